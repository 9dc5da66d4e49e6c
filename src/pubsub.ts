import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import type { Logger } from './logger';

/** Topic names; every payload is plain JSON so that Redis can carry it between processes. */
export const Topic = {
  /** A stored message of one room: MessageEvent. */
  messageAdded: (roomId: string) => `room.${roomId}.message`,
  /** A typing indicator in one room: TypingPayload. */
  typing: (roomId: string) => `room.${roomId}.typing`,
  /** The user joined or left a room: MembershipEvent. */
  membership: (userId: string) => `user.${userId}.membership`,
} as const;

export type Listener = (payload: unknown) => void;

/**
 * The process's event bus: one engine subscription per topic, fanned out to every
 * local listener, so a busy room costs the engine (Redis) one subscription per process.
 */
export interface EventBus {
  publish(topic: string, payload: object): Promise<void>;
  /** Resolves once the engine delivers the topic; the returned function stops listening. */
  listen(topic: string, listener: Listener): Promise<() => void>;
  /** Local listeners of a topic (for readiness checks and tests). */
  listenerCount(topic: string): number;
  close(): Promise<void>;
}

interface TopicEntry {
  listeners: Set<Listener>;
  subscription: Promise<number>;
}

/** In-process PubSub by default; the engine is swappable for graphql-redis-subscriptions. */
export function createEventBus(log: Logger, engine: PubSubEngine = new PubSub()): EventBus {
  const topics = new Map<string, TopicEntry>();

  function dispatch(topic: string, payload: unknown): void {
    const entry = topics.get(topic);
    if (!entry) return;
    for (const listener of [...entry.listeners]) {
      try {
        listener(payload);
      } catch (err) {
        log.error({ err, topic }, 'event listener failed');
      }
    }
  }

  function release(topic: string, entry: TopicEntry, listener: Listener): void {
    entry.listeners.delete(listener);
    if (entry.listeners.size > 0 || topics.get(topic) !== entry) return;
    topics.delete(topic);
    entry.subscription.then((id) => engine.unsubscribe(id)).catch((err) => log.warn({ err, topic }, 'unsubscribe failed'));
  }

  return {
    async publish(topic, payload) {
      await engine.publish(topic, payload);
    },
    async listen(topic, listener) {
      let entry = topics.get(topic);
      if (!entry) {
        entry = { listeners: new Set(), subscription: engine.subscribe(topic, (p: unknown) => dispatch(topic, p), {}) };
        topics.set(topic, entry);
      }
      const current = entry;
      current.listeners.add(listener);
      try {
        await current.subscription;
      } catch (err) {
        release(topic, current, listener);
        throw err;
      }
      return () => release(topic, current, listener);
    },
    listenerCount(topic) {
      return topics.get(topic)?.listeners.size ?? 0;
    },
    async close() {
      const entries = [...topics.values()];
      topics.clear();
      await Promise.all(entries.map(async (e) => engine.unsubscribe(await e.subscription)));
    },
  };
}
