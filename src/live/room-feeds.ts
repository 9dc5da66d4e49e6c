import type { Context } from '../context';
import type { EventStream } from './event-stream';
import type { RoomEventSink, RoomFollow } from './room-channels';
import type { RoomEventView } from '../resolvers/views';

/** What a subscription takes of each room event (undefined: nothing, e.g. an edit for `messageAdded`). */
export type EventSelector<T> = (event: RoomEventView) => T | undefined;

/**
 * The rooms one subscription follows (`messageAdded`, `roomEvents`), each through the
 * process's channel of the room (room-channels.ts), so that every room's events arrive in
 * order and once even across lost live events: after a join (the room's topic goes live
 * later than the join commits), after an event-bus outage, and from a resume cursor.
 */
export class RoomFeeds<T> implements RoomEventSink {
  private readonly follows = new Map<string, RoomFollow>();

  constructor(
    private readonly ctx: Context,
    private readonly stream: EventStream<T>,
    private readonly select: EventSelector<T>,
  ) {
    stream.onEnd(() => this.unfollowAll());
  }

  /**
   * Follows a room from position `lastSeq` on (ignored when it is already followed);
   * `storedUpTo` is the room's last position as read by the caller (see RoomChannels.follow).
   */
  follow(roomId: string, lastSeq: number, storedUpTo = lastSeq): void {
    if (this.stream.isEnded || this.follows.has(roomId)) return;
    this.follows.set(roomId, this.ctx.rooms.follow(roomId, lastSeq, this, storedUpTo));
  }

  unfollow(roomId: string): void {
    this.follows.get(roomId)?.stop();
    this.follows.delete(roomId);
  }

  /** Resolves when every room followed so far is live; rejects if one cannot be. */
  async ready(): Promise<void> {
    await Promise.all([...this.follows.values()].map((follow) => follow.live));
  }

  push(event: RoomEventView): void {
    const value = this.select(event);
    if (value !== undefined) this.stream.push(value);
  }

  /** Logged by the room's channel (once for all its followers): only ends the stream. */
  fail(roomId: string): void {
    this.follows.delete(roomId);
    // Missing a room silently would break "lose no message": end, so the client resubscribes.
    this.stream.end();
  }

  private unfollowAll(): void {
    for (const roomId of [...this.follows.keys()]) this.unfollow(roomId);
  }
}
