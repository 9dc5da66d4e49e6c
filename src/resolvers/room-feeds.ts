import type { Context } from '../context';
import { Message } from '../entities/message.entity';
import { Topic } from '../pubsub';
import type { EventStream } from './event-stream';
import { messageView, roomView, userView, type MessageView } from './views';

/** At most this many messages are replayed for a room joined mid-subscription. */
const maxReplay = 100;

/**
 * The rooms one `messageAdded` (without roomId) follows, as membership changes.
 *
 * A room joined after subscribing is followed from the join on: a message committed
 * between the join and the moment the engine (Redis) delivers the room's topic would
 * otherwise be lost, so after the listener is live the feed reads what the room got
 * since the join, holds live events meanwhile, and delivers both in order, each once.
 */
export class RoomFeeds {
  private readonly feeds = new Map<string, Promise<() => void>>();

  constructor(
    private readonly ctx: Context,
    private readonly stream: EventStream<MessageView>,
  ) {}

  /** Starts following a room; `sinceSeq` (on a join) replays what arrived after it. */
  follow(roomId: string, sinceSeq?: number): void {
    if (this.stream.isEnded || this.feeds.has(roomId)) return;
    const feed = sinceSeq === undefined ? this.listen(roomId, (m) => this.stream.push(m)) : this.catchUp(roomId, sinceSeq);
    this.feeds.set(roomId, feed);
    feed.catch((err) => {
      // Missing a room silently would break "lose no message": end, so the client resubscribes.
      this.ctx.log.warn({ err, roomId }, 'could not follow a room; ending the subscription');
      this.stream.end();
    });
  }

  unfollow(roomId: string): void {
    this.feeds.get(roomId)?.then((stop) => stop(), () => undefined);
    this.feeds.delete(roomId);
  }

  unfollowAll(): void {
    for (const roomId of [...this.feeds.keys()]) this.unfollow(roomId);
  }

  /** Resolves when every room followed so far is live. */
  async ready(): Promise<void> {
    await Promise.all(this.feeds.values());
  }

  private listen(roomId: string, deliver: (message: MessageView) => void): Promise<() => void> {
    return this.ctx.bus.listen(Topic.messageAdded(roomId), (payload) => deliver(payload as MessageView));
  }

  private async catchUp(roomId: string, sinceSeq: number): Promise<() => void> {
    let lastSeq = sinceSeq;
    let held: MessageView[] | null = [];
    const deliver = (message: MessageView) => {
      if (message.seq <= lastSeq) return;
      lastSeq = message.seq;
      this.stream.push(message);
    };
    const stop = await this.listen(roomId, (message) => (held ? held.push(message) : deliver(message)));
    try {
      (await this.readSince(roomId, sinceSeq)).forEach(deliver);
    } finally {
      held.sort((a, b) => a.seq - b.seq).forEach(deliver);
      held = null;
    }
    return stop;
  }

  private async readSince(roomId: string, sinceSeq: number): Promise<MessageView[]> {
    const rows = await this.ctx.em.fork().find(
      Message,
      { room: roomId, seq: { $gt: sinceSeq } },
      { populate: ['author', 'room'], orderBy: { seq: 'asc' }, limit: maxReplay },
    );
    return rows.map((m) => messageView(m, roomView(m.room), userView(m.author)));
  }
}
