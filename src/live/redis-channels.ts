import { PubSubEngine } from 'graphql-subscriptions';
import type { Logger } from '../logger';

/** Marks a Redis message that was not JSON (RedisPubSub would pass the raw string on). */
const notJson = Symbol('not JSON');

/** For RedisPubSub's `deserializer`: JSON, or the marker. */
export function parseJsonMessage(message: Buffer | string): unknown {
  try {
    return JSON.parse(String(message));
  } catch {
    return notJson;
  }
}

/** At most one warning about dropped payloads per this period (an attacker controls the rate). */
const warnEveryMs = 10_000;

export interface ChannelOptions {
  /** REDIS_CHANNEL_PREFIX: put in front of every topic, so deployments sharing a Redis server never meet. */
  prefix: string;
  /** The payload as listeners expect it, or null to drop it (see bus-payloads.ts). */
  parse(topic: string, payload: unknown): unknown;
  log: Logger;
}

/**
 * The bus's view of Redis: topics become prefixed channels, and what arrives on them is
 * checked before any listener sees it. A payload that does not parse is dropped as if
 * it had been lost; for a room's messages, the next one reveals the gap and the database
 * fills it. Wraps one listener per topic (the bus subscribes once per topic), not per subscriber.
 */
export class PrefixedChannels extends PubSubEngine {
  private dropped = 0;
  private lastWarnAt = 0;

  constructor(
    private readonly engine: PubSubEngine,
    private readonly options: ChannelOptions,
  ) {
    super();
  }

  publish(topic: string, payload: unknown): Promise<void> {
    return this.engine.publish(this.options.prefix + topic, payload);
  }

  subscribe(topic: string, onMessage: (payload: unknown) => void, options: object = {}): Promise<number> {
    return this.engine.subscribe(this.options.prefix + topic, (raw: unknown) => this.accept(topic, raw, onMessage), options);
  }

  unsubscribe(subId: number): void {
    this.engine.unsubscribe(subId);
  }

  private accept(topic: string, raw: unknown, onMessage: (payload: unknown) => void): void {
    const payload = raw === notJson ? null : this.options.parse(topic, raw);
    if (payload !== null) return onMessage(payload);
    this.dropped++;
    const now = Date.now();
    if (now - this.lastWarnAt < warnEveryMs) return;
    this.lastWarnAt = now;
    this.options.log.warn({ channel: this.options.prefix + topic, dropped: this.dropped }, 'dropped Redis payloads that are not events of this service');
    this.dropped = 0;
  }
}
