import type { Context } from '../context';
import type { EventStream } from './event-stream';
import type { MessageSink, RoomFollow } from './room-channels';
import type { MessageView } from './views';

/**
 * The rooms one `messageAdded` subscription follows, each through the process's channel
 * of the room (room-channels.ts), so that every room's messages arrive in order and once
 * even across lost live events: after a join (the room's topic goes live later than the
 * join commits) and after an event-bus outage.
 */
export class RoomFeeds implements MessageSink {
  private readonly follows = new Map<string, RoomFollow>();

  constructor(
    private readonly ctx: Context,
    private readonly stream: EventStream<MessageView>,
  ) {
    stream.onEnd(() => this.unfollowAll());
  }

  /** Follows a room from `lastSeq` on (ignored when it is already followed). */
  follow(roomId: string, lastSeq: number): void {
    if (this.stream.isEnded || this.follows.has(roomId)) return;
    this.follows.set(roomId, this.ctx.rooms.follow(roomId, lastSeq, this));
  }

  unfollow(roomId: string): void {
    this.follows.get(roomId)?.stop();
    this.follows.delete(roomId);
  }

  /** Resolves when every room followed so far is live; rejects if one cannot be. */
  async ready(): Promise<void> {
    await Promise.all([...this.follows.values()].map((follow) => follow.live));
  }

  push(message: MessageView): void {
    this.stream.push(message);
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
