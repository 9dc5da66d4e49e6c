import type { PresenceTimings } from '../config';
import type { SqlClient } from '../entities/sql-client';
import { storeLastSeen } from '../entities/stores/presence';
import type { Logger } from '../logger';
import type { PresenceChange, PresenceEngine, PresenceOp, SweptUser } from './presence-engine';
import type { PresenceFeed } from './presence-feed';
import { GraceList } from './presence-grace';
import { Topic, type EventBus } from './pubsub';

/** What travels on `Topic.presence`: one user came online or went offline (dates as ISO strings). */
export interface PresenceSignal {
  userId: string;
  online: boolean;
  /** When the last socket closed; null when online. */
  lastSeenAt: string | null;
}

/** Presence in one process: the tracker of its sockets, and the feed of its `presence` subscribers. */
export interface Presence {
  readonly tracker: PresenceTracker;
  readonly feed: PresenceFeed;
}

export interface PresenceTrackerOptions {
  engine: PresenceEngine;
  bus: EventBus;
  sql: SqlClient;
  log: Logger;
  timings: PresenceTimings;
}

/** How long shutdown may spend on presence (the whole process has 10 s). */
const stopTimeoutMs = 3000;

/** Ops sent to the engine in one call at most (one Lua script run: keeps Redis responsive). */
const maxOpsPerCall = 1000;

/**
 * The process's presence: counts each user's acknowledged sockets here, and tells the
 * engine (memory or Redis) only when a user's first socket opens or, a grace period
 * after their last one closed, when it is gone, so a reconnect within the grace (here or
 * on another process) does not flap. Engine calls are queued and sent in order, batched
 * (all ops queued while one call is in flight go in the next), never on a socket's
 * accept path: with Redis down they fail, are logged, and are redone at a heartbeat.
 * Transitions are published on `Topic.presence`; going offline stores `last_seen_at`,
 * one statement per batch.
 */
export class PresenceTracker {
  /** Acknowledged sockets per user on this process. */
  private readonly sockets = new Map<string, number>();
  /** Users with no socket left here, waiting out the grace. */
  private readonly leaving: GraceList;
  private queue: (PresenceOp & { at: number })[] = [];
  /** Departures the engine did not take (Redis down): sent again at the next heartbeat. */
  private failedDepartures: (PresenceOp & { at: number })[] = [];
  private flushing: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private beating = false;
  private beatFailing = false;
  /** An engine call failed: announce every local user again at the next heartbeat. */
  private resync = false;
  private stopped = false;

  constructor(private readonly options: PresenceTrackerOptions) {
    this.leaving = new GraceList(options.timings.graceMs, (userId, at) => this.enqueue({ kind: '-', userId, at }));
  }

  /** Starts the heartbeat (and its sweep of dead processes); the first beat runs now. */
  start(): void {
    this.heartbeat = setInterval(() => void this.beat(), this.options.timings.heartbeatMs);
    this.heartbeat.unref();
    void this.beat();
  }

  /** An acknowledged socket of the user opened here. Synchronous: never waits for Redis. */
  connected(userId: string): void {
    const count = this.sockets.get(userId) ?? 0;
    this.sockets.set(userId, count + 1);
    if (count > 0 || this.leaving.takeBack(userId)) return;
    this.enqueue({ kind: '+', userId, at: Date.now() });
  }

  /** An acknowledged socket of the user closed here. */
  disconnected(userId: string): void {
    const count = this.sockets.get(userId);
    if (count === undefined) return;
    if (count > 1) return void this.sockets.set(userId, count - 1);
    this.sockets.delete(userId);
    this.leaving.add(userId);
  }

  /** Which of `userIds` are online on any process; this process's own knowledge when the engine cannot answer. */
  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    try {
      return await this.options.engine.onlineAmong(userIds);
    } catch (err) {
      this.options.log.warn({ err }, 'presence: cannot read who is online; answering from this process only');
      return new Set(userIds.filter((id) => this.isLocal(id)));
    }
  }

  /**
   * Graceful shutdown: this process's users go offline now (after the servers closed their
   * sockets). Bounded: with the database or Redis silent, the process still exits in time,
   * and its users go offline when its heartbeat expires.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat ?? undefined);
    this.leaving.stop();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.options.log.warn({ waitedMs: stopTimeoutMs }, 'presence: shutdown did not finish in time; this process expires instead');
        resolve();
      }, stopTimeoutMs);
    });
    await Promise.race([this.leave(), timeout]).finally(() => clearTimeout(timer));
  }

  private async leave(): Promise<void> {
    await this.flushing;
    const now = new Date();
    const local = [...[...this.sockets.keys()].map((userId) => ({ userId, at: now })), ...this.leaving.entries().map(([userId, at]) => ({ userId, at: new Date(at) }))];
    const seen = await this.storeSeen(local);
    try {
      const offline = await this.options.engine.leaveAll();
      // Awaited: the bus closes next.
      await Promise.all(offline.map((userId) => this.publish({ userId, online: false, lastSeenAt: (seen.get(userId) ?? now).toISOString() })));
    } catch (err) {
      this.options.log.warn({ err }, 'presence: could not remove this process at shutdown; its users go offline when it expires');
    }
  }

  private isLocal(userId: string): boolean {
    return this.sockets.has(userId) || this.leaving.has(userId);
  }

  private enqueue(op: PresenceOp & { at: number }): void {
    if (this.stopped) return;
    this.queue.push(op);
    this.flushing ??= this.drain();
  }

  /** Sends the queue to the engine in order, in batches, until it is empty. */
  private async drain(): Promise<void> {
    // Let the ops of this turn (a burst of connects) join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const ops = this.queue.splice(0, maxOpsPerCall);
      // Stored first, so no one reads a user offline and never seen: a user still online
      // elsewhere reads null meanwhile, and the latest close wins (see storeLastSeen).
      const seen = await this.storeSeen(ops.filter((op) => op.kind === '-').map(({ userId, at }) => ({ userId, at: new Date(at) })));
      let changes: PresenceChange[];
      try {
        const applied = await this.options.engine.apply(ops);
        changes = applied.changes;
        // Users recorded before the loss are announced again at the next heartbeat.
        if (applied.lost) this.resync = true;
      } catch (err) {
        this.options.log.warn({ err, ops: ops.length }, 'presence: could not record sockets; retrying at the next heartbeat');
        this.resync = true;
        this.failedDepartures.push(...ops.filter((op) => op.kind === '-'));
        continue;
      }
      for (const { userId, online } of changes) {
        void this.publish({ userId, online, lastSeenAt: online ? null : (seen.get(userId) ?? new Date()).toISOString() });
      }
    }
    this.flushing = null;
  }

  /** Stores when each was last seen (one statement for the batch); what was stored, by user (the input's when it failed). */
  private async storeSeen(users: readonly SweptUser[]): Promise<Map<string, Date>> {
    const stored = new Map(users.map(({ userId, at }) => [userId, at]));
    if (users.length === 0) return stored;
    try {
      for (const seen of await storeLastSeen(this.options.sql, users)) stored.set(seen.user.id, seen.lastSeenAt);
    } catch (err) {
      this.options.log.warn({ err, users: users.length }, 'presence: could not store last-seen times');
    }
    return stored;
  }

  /** Stores when each was last seen, then publishes that they went offline. */
  private async wentOffline(users: readonly SweptUser[]): Promise<void> {
    if (users.length === 0) return;
    const seen = await this.storeSeen(users);
    for (const { userId } of users) void this.publish({ userId, online: false, lastSeenAt: seen.get(userId)!.toISOString() });
  }

  private publish(signal: PresenceSignal): Promise<boolean> {
    return this.options.bus.publish(Topic.presence, signal);
  }

  /**
   * Proves this process alive and sweeps dead ones. When this process's entries were lost
   * (swept after a long stall, Redis restarted empty) or a call failed, every local user is
   * announced again (idempotent), and departures that failed are sent again.
   */
  private async beat(): Promise<void> {
    if (this.beating || this.stopped) return;
    this.beating = true;
    try {
      const { lost, swept } = await this.options.engine.beat();
      // A first beat finds itself absent too: announcing no one, or the few already queued, is harmless.
      if (lost || this.resync) this.announceAgain();
      if (this.beatFailing) this.options.log.info('presence: heartbeat restored');
      this.beatFailing = false;
      await this.wentOffline(swept);
    } catch (err) {
      this.resync = true;
      // Once per outage, not every heartbeat.
      if (!this.beatFailing) this.options.log.warn({ err }, 'presence: heartbeat failed; retrying every heartbeat');
      this.beatFailing = true;
    } finally {
      this.beating = false;
    }
  }

  private announceAgain(): void {
    this.resync = false;
    const now = Date.now();
    const departures = this.failedDepartures.splice(0).filter((op) => !this.isLocal(op.userId));
    for (const userId of [...this.sockets.keys(), ...this.leaving.entries().map(([id]) => id)]) this.enqueue({ kind: '+', userId, at: now });
    for (const op of departures) this.enqueue(op);
  }
}
