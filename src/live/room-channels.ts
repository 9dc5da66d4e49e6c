import type { SqlClient } from '../entities/sql-client';
import type { Logger } from '../logger';
import { Topic, type EventBus } from './pubsub';
import { readLogAfter } from '../entities/stores/room-log';
import { RoomSequencer, type ReadAfter } from './room-sequencer';
import type { RoomEventView } from '../resolvers/views';

/**
 * The last events a channel delivered, kept so that a subscriber resuming a little behind
 * (a phone that reconnects after a drop, half a process's sockets after a network blip)
 * is served from memory instead of each reading the database. Small: a busy room's events
 * are shared objects, and one further behind reads the log as usual.
 */
const recentEventsKept = 32;

/** Where one subscription's events of a room go. */
export interface RoomEventSink {
  push(event: RoomEventView): void;
  /** The room can no longer be followed (a database read failed, already logged): the subscription ends. */
  fail(roomId: string, err: unknown): void;
}

/** One subscription's place in a room's channel. */
export interface RoomFollow {
  /** Settles once the room's topic is live; rejects (SERVICE_UNAVAILABLE) if it cannot be. */
  readonly live: Promise<unknown>;
  stop(): void;
}

export interface RoomChannelsDeps {
  bus: EventBus;
  sql: SqlClient;
  log: Logger;
}

/**
 * The rooms this process follows, one channel per room: one bus listener, one sequencer
 * and one database read per gap for every subscriber in the process, instead of one of
 * each per subscriber (a fan-out to thousands of idle sockets kept thousands of copies,
 * and a Redis outage ended in thousands of identical reads). A subscriber costs a small
 * follower object, and reads the database itself only when it joins behind the channel.
 */
export class RoomChannels {
  private readonly channels = new Map<string, RoomChannel>();
  private readonly readAfter: ReadAfter;

  constructor(private readonly deps: RoomChannelsDeps) {
    this.readAfter = (roomId, afterSeq) => readLogAfter(deps.sql, roomId, afterSeq);
  }

  /**
   * Delivers the room's events after `lastSeq` to `sink`, in order and once each,
   * including those stored between the caller's read of `lastSeq` and the moment the
   * room is live, and those a lost bus event skipped. A `lastSeq` behind the channel (a
   * resume from a cursor) is caught up first, from memory or from the log. `storedUpTo`
   * is the room's last position as the caller read it (at least `lastSeq`).
   */
  follow(roomId: string, lastSeq: number, sink: RoomEventSink, storedUpTo = lastSeq): RoomFollow {
    let channel = this.channels.get(roomId);
    if (!channel) {
      const created = new RoomChannel(roomId, lastSeq, this.readAfter, this.deps, () => {
        if (this.channels.get(roomId) === created) this.channels.delete(roomId);
      });
      this.channels.set(roomId, (channel = created));
    }
    return channel.add(lastSeq, sink, storedUpTo);
  }

  /**
   * An event this process committed, to its own followers of the room at once: the bus's
   * round trip (Redis and back, an event-loop turn each way, more under load) is then
   * only on the way to other processes. Nothing happens when the room is not followed here
   * or the event is not the next one (see RoomSequencer.offerIfNext). Never throws: the
   * change is committed, so a failing delivery is logged, as the bus does for its listeners.
   */
  offerCommitted(event: RoomEventView): void {
    const roomId = event.message.room.id;
    try {
      this.channels.get(roomId)?.offerCommitted(event);
    } catch (err) {
      this.deps.log.error({ err, roomId, seq: event.seq }, 'delivering a committed event in this process failed');
    }
  }

  /** How many subscriptions of this process follow the room (for readiness waits in tests). */
  followerCount(roomId: string): number {
    return this.channels.get(roomId)?.size ?? 0;
  }
}

/** One room in this process: live bus events, sequenced once, offered to every follower. */
class RoomChannel {
  private readonly followers = new Set<Follower>();
  /** The last events delivered, oldest first, contiguous (see recentEventsKept). */
  private readonly recent: RoomEventView[] = [];
  private readonly sequencer: RoomSequencer;
  /** Resolves with the bus listener's stop function once the topic is live. */
  readonly live: Promise<() => void>;
  private readonly stopResync: () => void;
  private closed = false;
  /** Set once the topic is live (and the read that follows has begun). */
  private isLive = false;
  readonly log: Logger;

  constructor(
    readonly roomId: string,
    lastSeq: number,
    readonly readAfter: ReadAfter,
    deps: RoomChannelsDeps,
    private readonly forget: () => void,
  ) {
    this.log = deps.log;
    this.sequencer = new RoomSequencer(roomId, lastSeq, readAfter, (m) => this.deliver(m), (err) => this.fail(err));
    this.live = deps.bus.listen(Topic.roomEvents(roomId), (payload) => this.sequencer.offer(payload as RoomEventView));
    // What was stored before the topic went live never comes from the bus: read it.
    this.live.then(
      () => {
        this.isLive = true;
        this.sequencer.resync();
      },
      (err) => this.fail(err),
    );
    // After an outage of the bus, events may have been lost: read what was stored meanwhile.
    this.stopResync = deps.bus.onResume(() => this.sequencer.resync());
  }

  add(lastSeq: number, sink: RoomEventSink, storedUpTo: number): Follower {
    const follower = new Follower(this, lastSeq, sink);
    this.followers.add(follower);
    // Joined behind the channel: what the channel delivered before this join is replayed,
    // from memory when it still holds it, else read again from the log.
    if (this.sequencer.position > lastSeq && !follower.replay(this.recentAfter(lastSeq))) follower.catchUp();
    // The log holds events the channel never saw (their publish was lost, or is still on
    // its way): without a read, a resume from a cursor between the two would wait for the
    // room's next live event. The channel reads them once, for every follower (before
    // its topic is live, the read that follows going live will do).
    if (this.isLive && storedUpTo > lastSeq && this.sequencer.position < storedUpTo) this.sequencer.resync();
    return follower;
  }

  offerCommitted(event: RoomEventView): void {
    this.sequencer.offerIfNext(event);
  }

  /** The delivered events after `lastSeq` when memory still holds all of them, else null. */
  private recentAfter(lastSeq: number): RoomEventView[] | null {
    const oldest = this.recent[0];
    if (!oldest || oldest.seq > lastSeq + 1) return null;
    return this.recent.slice(lastSeq + 1 - oldest.seq);
  }

  get size(): number {
    return this.followers.size;
  }

  remove(follower: Follower): void {
    this.followers.delete(follower);
    if (this.followers.size === 0) this.close();
  }

  private deliver(event: RoomEventView): void {
    // Kept contiguous: after a gap the sequencer had to skip, what came before is dropped.
    if (this.recent.length > 0 && this.recent[this.recent.length - 1]!.seq + 1 !== event.seq) this.recent.length = 0;
    this.recent.push(event);
    if (this.recent.length > recentEventsKept) this.recent.shift();
    for (const follower of this.followers) follower.offer(event);
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    // Missing messages silently would break "lose no message": every follower ends.
    this.log.warn({ err, roomId: this.roomId, followers: this.followers.size }, 'could not follow a room; ending its subscriptions');
    this.close();
    for (const follower of [...this.followers]) follower.sink.fail(this.roomId, err);
    this.followers.clear();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sequencer.stop();
    this.forget();
    this.stopResync();
    this.live.then((stop) => stop(), () => undefined);
  }
}

/** One subscriber of a channel: it only drops what it already has, unless it is catching up. */
class Follower implements RoomFollow {
  /** Only while joining behind the channel: orders the read-back and the live events. */
  private catching: RoomSequencer | null = null;

  constructor(
    private readonly channel: RoomChannel,
    private lastSeq: number,
    readonly sink: RoomEventSink,
  ) {}

  get live(): Promise<unknown> {
    return this.channel.live;
  }

  offer(event: RoomEventView): void {
    if (this.catching) return this.offerWhileCatching(this.catching, event);
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.sink.push(event);
  }

  /** Delivers events the channel kept; false (nothing done) when there are none to give. */
  replay(events: RoomEventView[] | null): boolean {
    if (!events) return false;
    events.forEach((event) => this.offer(event));
    return true;
  }

  /** Once caught up, the channel's order alone is enough: its own sequencer is let go. */
  private offerWhileCatching(catching: RoomSequencer, event: RoomEventView): void {
    catching.offer(event);
    if (catching.busy || this.catching !== catching) return;
    this.lastSeq = catching.position;
    this.catching = null;
  }

  catchUp(): void {
    const { channel, sink } = this;
    this.catching = new RoomSequencer(channel.roomId, this.lastSeq, channel.readAfter, (m) => sink.push(m), (err) => this.failCatchUp(err));
    this.catching.resync();
  }

  stop(): void {
    this.catching?.stop();
    this.channel.remove(this);
  }

  private failCatchUp(err: unknown): void {
    this.stop();
    this.channel.log.warn({ err, roomId: this.channel.roomId }, 'could not catch up with a room; ending the subscription');
    this.sink.fail(this.channel.roomId, err);
  }
}
