import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { ErrorCode, userError } from '../errors';
import type { Logger } from '../logger';

/**
 * Topic names; every payload is plain JSON so that Redis can carry it between processes.
 * `roomEvents` carries the room's logged events (followed through room channels, which
 * read what the bus lost from the log); the others are signals (signals.ts): no log.
 */
export const Topic = {
  /** A change to one room's log (a message added, edited, deleted, its reactions): RoomEventView. */
  roomEvents: (roomId: string) => `room.${roomId}.events`,
  /** A typing indicator in one room: TypingView. */
  typing: (roomId: string) => `room.${roomId}.typing`,
  /** A member's read or delivered marker moved in one room: ReadMarkerView. */
  readMarkers: (roomId: string) => `room.${roomId}.markers`,
  /** The user joined or left a room: MembershipEvent. */
  membership: (userId: string) => `user.${userId}.membership`,
  /** A user came online or went offline, anywhere in the deployment: PresenceSignal (live/presence.ts). */
  presence: 'presence',
  /** A session ended (logout, a replayed refresh token): SessionEndedSignal (live/sessions.ts). */
  sessionsEnded: 'sessions.ended',
} as const;

export type Listener = (payload: unknown) => void;

/** What operators see of the bus (in `/ready`). */
export interface BusStats {
  /** Publishes the engine refused or did not confirm in time since startup. */
  publishFailures: number;
}

/**
 * The process's event bus: one engine subscription per topic, fanned out to every
 * local listener, so a busy room costs the engine (Redis) one subscription per process.
 */
export interface EventBus {
  /** Never throws: false when the engine failed (logged and counted). */
  publish(topic: string, payload: object): Promise<boolean>;
  /**
   * Resolves once the engine delivers the topic; the returned function stops listening.
   * Rejects with SERVICE_UNAVAILABLE when the engine cannot subscribe in time.
   */
  listen(topic: string, listener: Listener): Promise<() => void>;
  /** Local listeners of a topic (for readiness checks and tests). */
  listenerCount(topic: string): number;
  /** Called after the engine recovered from an outage, when events may have been missed. */
  onResume(listener: () => void): () => void;
  /** The engine recovered: tells every onResume listener. */
  notifyResumed(): void;
  stats(): BusStats;
  close(): Promise<void>;
}

interface TopicEntry {
  /** The map's own key: listeners' release functions refer to it, not to their caller's copy. */
  topic: string;
  listeners: Set<Listener>;
  subscription: Promise<number>;
  /** The engine confirmed the subscription: later listeners need not wait (nor arm a timer). */
  live: boolean;
}

export interface EventBusOptions {
  /** In-process PubSub by default; graphql-redis-subscriptions' RedisPubSub in production. */
  engine?: PubSubEngine;
  /** How long a new subscription may wait for the engine (Redis down: it would wait forever). */
  subscribeTimeoutMs?: number;
  /** How long a publish may take before it counts as failed (never longer for a sender). */
  publishTimeoutMs?: number;
}

export function createEventBus(log: Logger, options: EventBusOptions = {}): EventBus {
  const engine = options.engine ?? new PubSub();
  const subscribeTimeoutMs = options.subscribeTimeoutMs ?? 5000;
  const publishTimeoutMs = options.publishTimeoutMs ?? 2000;
  const topics = new Map<string, TopicEntry>();
  const stats: BusStats = { publishFailures: 0 };
  const resumeListeners = new Set<() => void>();

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

  function release(entry: TopicEntry, listener: Listener): void {
    entry.listeners.delete(listener);
    if (entry.listeners.size > 0 || topics.get(entry.topic) !== entry) return;
    topics.delete(entry.topic);
    entry.subscription.then((id) => engine.unsubscribe(id)).catch(() => undefined);
  }

  function entryFor(topic: string): TopicEntry {
    let entry = topics.get(topic);
    if (!entry) {
      const subscription = engine.subscribe(topic, (p: unknown) => dispatch(topic, p), {});
      const created: TopicEntry = { topic, listeners: new Set(), subscription, live: false };
      subscription.then(() => (created.live = true), () => undefined);
      entry = created;
      topics.set(topic, entry);
      // A failed engine subscription must not stay cached for later listeners.
      const failed = entry;
      subscription.catch(() => topics.get(topic) === failed && topics.delete(topic));
    }
    return entry;
  }

  return {
    async publish(topic, payload) {
      try {
        await within(engine.publish(topic, payload), publishTimeoutMs, 'publish');
        return true;
      } catch (err) {
        stats.publishFailures++;
        log.error({ err, topic, publishFailures: stats.publishFailures }, 'publish failed');
        return false;
      }
    },
    async listen(topic, listener) {
      const entry = entryFor(topic);
      entry.listeners.add(listener);
      // The returned function lives as long as the listener: it holds the entry, and not the
      // caller's topic string (one copy per subscriber, about 140 bytes each).
      if (entry.live) return () => release(entry, listener);
      try {
        await within(entry.subscription, subscribeTimeoutMs, 'subscribe');
      } catch (err) {
        release(entry, listener);
        log.warn({ err, topic }, 'subscribe failed');
        throw userError(ErrorCode.ServiceUnavailable, 'Live updates are unavailable right now; try again shortly.');
      }
      return () => release(entry, listener);
    },
    listenerCount(topic) {
      return topics.get(topic)?.listeners.size ?? 0;
    },
    stats: () => ({ ...stats }),
    onResume(listener) {
      resumeListeners.add(listener);
      return () => resumeListeners.delete(listener);
    },
    notifyResumed() {
      log.info({ subscriptions: resumeListeners.size }, 'event bus resumed; subscriptions resync from the database');
      for (const listener of [...resumeListeners]) listener();
    },
    async close() {
      const entries = [...topics.values()];
      topics.clear();
      await Promise.allSettled(entries.map(async (e) => engine.unsubscribe(await e.subscription)));
    },
  };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
