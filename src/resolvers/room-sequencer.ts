import type { MessageView } from './views';

/** Reads a room's messages with a sequence number above `afterSeq`, oldest first (bounded). */
export type ReadAfter = (roomId: string, afterSeq: number) => Promise<MessageView[]>;

/**
 * Delivers one room's messages in sequence order, each exactly once: for the process (see
 * room-channels.ts) and, while one catches up, for a single subscriber.
 *
 * A room's sequence numbers are contiguous (allocated under the room's row lock, in the
 * transaction that stores the message), so a jump means live events were lost: a
 * publish that failed while Redis was down, or events sent before this subscriber's
 * topic was live. The missing ones are read from the database, which is the source of
 * truth; live events are held meanwhile and delivered after them.
 */
export class RoomSequencer {
  private held: MessageView[] = [];
  private filling = false;

  constructor(
    private readonly roomId: string,
    private lastSeq: number,
    private readonly readAfter: ReadAfter,
    private readonly deliver: (message: MessageView) => void,
    private readonly fail: (err: unknown) => void,
  ) {}

  /** The number of the last message delivered (or the starting point). */
  get position(): number {
    return this.lastSeq;
  }

  /** A live event from the bus. */
  offer(message: MessageView): void {
    if (this.filling) {
      this.held.push(message);
    } else if (message.seq === this.lastSeq + 1) {
      this.accept(message);
    } else if (message.seq > this.lastSeq) {
      this.held.push(message);
      void this.fill();
    }
  }

  /** Reads whatever was stored after the last delivered message (after a join or an outage). */
  resync(): void {
    if (!this.filling) void this.fill();
  }

  private accept(message: MessageView): void {
    if (message.seq <= this.lastSeq) return;
    this.lastSeq = message.seq;
    this.deliver(message);
  }

  private async fill(): Promise<void> {
    this.filling = true;
    const before = this.lastSeq;
    try {
      (await this.readAfter(this.roomId, this.lastSeq)).forEach((m) => this.accept(m));
    } catch (err) {
      this.fail(err);
      return;
    } finally {
      this.filling = false;
    }
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = [];
    // Without progress the gap cannot be filled (the rows are gone): skip it rather than loop.
    if (this.lastSeq === before && held[0] && held[0].seq > this.lastSeq + 1) this.lastSeq = held[0].seq - 1;
    held.forEach((m) => this.offer(m));
  }
}
