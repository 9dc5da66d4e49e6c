import { releaseEntityManager, type Context } from '../context';
import { Message } from '../entities/message.entity';
import { Topic } from '../pubsub';
import type { EventStream } from './event-stream';
import { RoomSequencer, type ReadAfter } from './room-sequencer';
import { messageView, roomView, userView, type MessageView } from './views';

/** At most this many messages are read per gap; a larger gap takes several reads. */
const maxReadPerGap = 100;

interface Feed {
  sequencer: RoomSequencer;
  stop: Promise<() => void>;
}

/**
 * The rooms one `messageAdded` subscription follows, each through a RoomSequencer, so
 * that every room's messages arrive in order and once even across lost live events:
 * after a join (the room's topic goes live later than the join commits) and after an
 * event-bus outage (the bus calls resyncAll).
 */
export class RoomFeeds {
  private readonly feeds = new Map<string, Feed>();
  private readonly readAfter: ReadAfter;

  constructor(
    private readonly ctx: Context,
    private readonly stream: EventStream<MessageView>,
  ) {
    this.readAfter = (roomId, afterSeq) => readMessagesAfter(ctx, roomId, afterSeq);
    stream.onEnd(ctx.bus.onResume(() => this.resyncAll()));
    stream.onEnd(() => this.unfollowAll());
  }

  /**
   * Follows a room from `lastSeq` on. With `resyncWhenLive` (a join), what was stored
   * between `lastSeq` and the moment the topic is live is read and delivered too.
   */
  follow(roomId: string, lastSeq: number, resyncWhenLive = false): void {
    if (this.stream.isEnded || this.feeds.has(roomId)) return;
    const fail = (err: unknown) => this.failed(roomId, err);
    const sequencer = new RoomSequencer(roomId, lastSeq, this.readAfter, (m) => this.stream.push(m), fail);
    const stop = this.ctx.bus.listen(Topic.messageAdded(roomId), (payload) => sequencer.offer(payload as MessageView));
    this.feeds.set(roomId, { sequencer, stop });
    stop.then(() => resyncWhenLive && sequencer.resync(), fail);
  }

  unfollow(roomId: string): void {
    this.feeds.get(roomId)?.stop.then((stop) => stop(), () => undefined);
    this.feeds.delete(roomId);
  }

  /** Resolves when every room followed so far is live; rejects if one cannot be. */
  async ready(): Promise<void> {
    await Promise.all([...this.feeds.values()].map((feed) => feed.stop));
  }

  private unfollowAll(): void {
    for (const roomId of [...this.feeds.keys()]) this.unfollow(roomId);
  }

  private resyncAll(): void {
    for (const feed of this.feeds.values()) feed.sequencer.resync();
  }

  private failed(roomId: string, err: unknown): void {
    if (this.stream.isEnded) return;
    // Missing a room silently would break "lose no message": end, so the client resubscribes.
    this.ctx.log.warn({ err, roomId }, 'could not follow a room; ending the subscription');
    this.stream.end();
  }
}

async function readMessagesAfter(ctx: Context, roomId: string, afterSeq: number): Promise<MessageView[]> {
  const em = ctx.em.fork();
  // The context's own fork is not kept alive by a subscription that filled a gap.
  releaseEntityManager(ctx);
  const rows = await em.find(
    Message,
    { room: roomId, seq: { $gt: afterSeq } },
    { populate: ['author', 'room'], orderBy: { seq: 'asc' }, limit: maxReadPerGap },
  );
  return rows.map((m) => messageView(m, roomView(m.room), userView(m.author)));
}
