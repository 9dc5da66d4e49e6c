import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { PubSubEngine } from 'graphql-subscriptions';
import { Redis, type RedisOptions } from 'ioredis';
import { parseBusPayload } from './bus-payloads';
import type { Logger } from '../logger';
import { jsonText } from '../json-text';
import { parseJsonMessage, PrefixedChannels } from './redis-channels';

/** Redis fan-out between processes, and what the process needs to watch and close it. */
export interface RedisEngine {
  /** Channels named `<prefix><topic>`; payloads that are not this service's events are dropped (redis-channels.ts). */
  readonly pubsub: PubSubEngine;
  /** The publishing connection, for plain commands (presence): fails fast while Redis is down, auto-pipelined. */
  readonly commands: Redis;
  /** Resolves when Redis answers PING within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs: number): Promise<void>;
  /**
   * Waits until both connections are ready, at most `timeoutMs`; false on timeout. Until
   * then the fail-fast publisher would drop every publish.
   */
  waitReady(timeoutMs: number): Promise<boolean>;
  /**
   * Calls `listener` after a lost subscriber connection is back and every channel is
   * subscribed again: events published in between never arrived, so subscribers resync.
   */
  onResubscribed(listener: () => void): void;
  /** Errors both connections reported since startup (each failed reconnection attempt counts). */
  errorCount(): number;
  /** Closes both connections for good; later calls do nothing. */
  close(): Promise<void>;
}

/** Reconnect forever, backing off to one attempt every 2 s. */
const retryStrategy = (attempt: number) => Math.min(attempt * 100, 2000);

/**
 * Two connections, as Redis requires: one subscribed, one publishing. The subscriber
 * queues its SUBSCRIBEs while disconnected and re-subscribes every channel after a
 * reconnect, so live subscriptions resume without clients noticing. The publisher
 * fails fast instead of queueing: a publish during an outage must not hang a send.
 */
export function createRedisEngine(url: string, channelPrefix: string, log: Logger): RedisEngine {
  const common: RedisOptions = { retryStrategy, lazyConnect: false, connectionName: 'chat' };
  // Auto-pipelining: the publishes of one stored batch of messages (see message-batcher.ts)
  // are issued in the same turn of the event loop and leave in one write, not one each.
  const publisher = new Redis(url, {
    ...common,
    enableOfflineQueue: false,
    commandTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableAutoPipelining: true,
  });
  const subscriber = new Redis(url, { ...common, autoResubscribe: true, maxRetriesPerRequest: null });
  catchSubscriptionFailures(subscriber, log);
  watchConnection(publisher, 'publisher', log);
  const resubscribed = watchConnection(subscriber, 'subscriber', log);
  let errors = 0;
  let closed = false;
  const countError = () => void errors++;
  publisher.on('error', countError);
  subscriber.on('error', countError);
  return {
    commands: publisher,
    pubsub: new PrefixedChannels(new RedisPubSub({ publisher, subscriber, serializer: jsonText, deserializer: parseJsonMessage }), {
      prefix: channelPrefix,
      parse: parseBusPayload,
      log,
    }),
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([publisher.ping(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async waitReady(timeoutMs) {
      const ready = (client: Redis) =>
        client.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => client.once('ready', () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const both = Promise.all([ready(publisher), ready(subscriber)]).then(() => true as const);
      return Promise.race([both, timeout]).finally(() => clearTimeout(timer));
    },
    onResubscribed(listener) {
      // ioredis re-sends SUBSCRIBE while becoming ready; a PING queued now answers after them.
      resubscribed.push(() => subscriber.ping().then(listener, () => undefined));
    },
    errorCount: () => errors,
    async close() {
      // Once: a second disconnect of an ended connection arms ioredis's 2 s close timer for nothing.
      if (closed) return;
      closed = true;
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

/**
 * Logs an outage once when it starts and once when it ends, not on every retry; the
 * returned list holds what to call when the connection is restored.
 */
function watchConnection(client: Redis, role: string, log: Logger): (() => void)[] {
  const onRestored: (() => void)[] = [];
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err, role }, 'redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ role }, 'redis connection restored');
    onRestored.forEach((listener) => listener());
  });
  return onRestored;
}

/**
 * Commands on the subscriber connection whose promise nobody may be holding:
 *
 * - RedisPubSub calls UNSUBSCRIBE and PUNSUBSCRIBE without handling their promises;
 * - ioredis itself re-sends SUBSCRIBE and PSUBSCRIBE for every channel when the connection
 *   is back after an outage (autoResubscribe), without handling their promises either.
 *
 * One still queued or unanswered when the connection is closed for good (shutdown, with
 * Redis just restarted or the last sockets ending) rejects with "Connection is closed",
 * and nobody would catch it: an unhandled rejection, which ends a process run with
 * --unhandled-rejections=strict and failed a test suite (1 run in 20 of
 * presence-redis-outage under load). Each such promise gets a handler that logs at debug
 * level (a closed connection is subscribed to nothing); callers still get the same
 * promise, so RedisPubSub's own SUBSCRIBE still reports its failure to the bus.
 */
function catchSubscriptionFailures(client: Redis, log: Logger): void {
  for (const name of ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const) {
    const send = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    const handled = (...args: unknown[]) => {
      const reply = send(...args);
      reply.catch((err: Error) => log.debug({ err, command: name }, 'redis subscription command failed'));
      return reply;
    };
    Object.assign(client, { [name]: handled });
  }
}
