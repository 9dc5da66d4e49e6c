import type { SqlClient } from '../entities/sql-client';
import { readPresenceAudience } from '../entities/stores/presence';
import type { Logger } from '../logger';
import type { UserView } from '../resolvers/views';
import type { PresenceSignal } from './presence';
import { Topic, type EventBus } from './pubsub';

/** A user as a presence subscriber receives them: their fields and the transition. */
export interface PresenceUserView extends UserView {
  presence: { online: boolean; lastSeenAt: string | null };
}

/** Receives the transitions meant for one subscriber. */
export type PresenceSink = (user: PresenceUserView) => void;

/**
 * The process's presence subscribers, fed from one bus listener held while there is at
 * least one. Transitions that arrive together (a burst of connects) are resolved with
 * one statement: the users' fields and which of the process's subscribers share a room
 * with each; each transition then goes to those subscribers only. A user's own
 * transitions are never delivered to themselves (their other devices know).
 */
export class PresenceFeed {
  /** Subscriber user id → their subscriptions on this process. */
  private readonly sinks = new Map<string, Set<PresenceSink>>();
  private listening: Promise<() => void> | null = null;
  private pending: PresenceSignal[] = [];
  private flushing = false;

  constructor(private readonly options: { bus: EventBus; sql: SqlClient; log: Logger }) {}

  /** Subscribes `sink` for `viewerId`; resolves once the bus delivers (rejects as bus.listen does). Returns the unsubscribe. */
  async add(viewerId: string, sink: PresenceSink): Promise<() => void> {
    const own = this.sinks.get(viewerId) ?? new Set<PresenceSink>();
    own.add(sink);
    this.sinks.set(viewerId, own);
    const remove = () => this.remove(viewerId, sink);
    try {
      this.listening ??= this.options.bus.listen(Topic.presence, (payload) => this.receive(payload as PresenceSignal));
      await this.listening;
    } catch (err) {
      this.listening = null;
      remove();
      throw err;
    }
    return remove;
  }

  /** Subscriptions on this process (for tests). */
  subscriberCount(): number {
    let count = 0;
    for (const own of this.sinks.values()) count += own.size;
    return count;
  }

  private remove(viewerId: string, sink: PresenceSink): void {
    const own = this.sinks.get(viewerId);
    if (!own?.delete(sink) || own.size > 0) return;
    this.sinks.delete(viewerId);
    if (this.sinks.size > 0 || !this.listening) return;
    const listening = this.listening;
    this.listening = null;
    listening.then((stop) => stop(), () => undefined);
  }

  private receive(signal: PresenceSignal): void {
    if (this.sinks.size === 0) return;
    this.pending.push(signal);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const signals = this.pending.splice(0, 500);
      try {
        await this.deliver(signals);
      } catch (err) {
        // Signals are not logged: those lost here are lost; queries read the state.
        this.options.log.warn({ err, signals: signals.length }, 'presence: could not deliver transitions');
      }
    }
    this.flushing = false;
  }

  private async deliver(signals: readonly PresenceSignal[]): Promise<void> {
    const userIds = [...new Set(signals.map((s) => s.userId))];
    const audience = await readPresenceAudience(this.options.sql, userIds, [...this.sinks.keys()]);
    const byUser = new Map(audience.map((a) => [a.user.id, a]));
    for (const signal of signals) {
      const entry = byUser.get(signal.userId);
      if (!entry) continue;
      const view: PresenceUserView = { ...entry.user, presence: { online: signal.online, lastSeenAt: signal.lastSeenAt } };
      for (const viewerId of entry.coMembers) {
        for (const sink of this.sinks.get(viewerId) ?? []) sink(view);
      }
    }
  }
}
