import { logPageSize } from '../entities/stores/room-log';
import type { RoomEventView } from '../resolvers/views';

/** Reads a room's log after `afterSeq`, oldest first, in pages of at most `logPageSize`. */
export type ReadAfter = (roomId: string, afterSeq: number) => Promise<RoomEventView[]>;

/**
 * Delivers one room's events in log order, each exactly once: for the process (see
 * room-channels.ts) and, while one catches up from a cursor, for a single subscriber.
 *
 * A room's log positions are contiguous (allocated under the room's row lock, in the
 * transaction that makes the change), so a jump means live events were lost: a publish
 * that failed while Redis was down, or events sent before the topic was live. Resuming
 * from a cursor is the same case: the starting position is simply further behind. The
 * missing events are read from the database, the source of truth, page after page until
 * the log is exhausted; live events are held meanwhile and delivered after them.
 */
export class RoomSequencer {
  private held: RoomEventView[] = [];
  private filling = false;
  /** A resync asked for while a read was under way: what it wants may have been stored after that read. */
  private rereadAsked = false;
  private stopped = false;

  constructor(
    private readonly roomId: string,
    private lastSeq: number,
    private readonly readAfter: ReadAfter,
    private readonly deliver: (event: RoomEventView) => void,
    private readonly fail: (err: unknown) => void,
  ) {}

  /** The position of the last event delivered (or the starting point). */
  get position(): number {
    return this.lastSeq;
  }

  /** True while it reads the log or holds live events for later. */
  get busy(): boolean {
    return this.filling || this.held.length > 0;
  }

  /** A live event from the bus. */
  offer(event: RoomEventView): void {
    if (this.filling) {
      this.held.push(event);
    } else if (event.seq === this.lastSeq + 1) {
      this.accept(event);
    } else if (event.seq > this.lastSeq) {
      this.held.push(event);
      void this.fill();
    }
  }

  /**
   * An event this process just committed, before the bus brings it back: delivered now
   * when it is the very next one and nothing is held or being read, else left to the bus
   * (an earlier event of another process is still on its way: taking this one would open
   * a gap, and a read). Its copy from the bus is then a repeat, dropped by position.
   */
  offerIfNext(event: RoomEventView): void {
    if (!this.busy && event.seq === this.lastSeq + 1) this.accept(event);
  }

  /**
   * Nobody listens any more: a read under way stops after its page. A client far behind
   * that went away again would otherwise have its whole log read for nobody.
   */
  stop(): void {
    this.stopped = true;
    this.held = [];
  }

  /** Reads whatever was stored after the last delivered event (after a join, a resume or an outage). */
  resync(): void {
    // Skipping it while a read is under way lost what was stored after that read began
    // (e.g. the topic went live, or the bus resumed, during a resume's read).
    if (this.filling) this.rereadAsked = true;
    else void this.fill();
  }

  private accept(event: RoomEventView): void {
    if (this.stopped || event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.deliver(event);
  }

  private async fill(): Promise<void> {
    this.filling = true;
    const before = this.lastSeq;
    try {
      for (;;) {
        const page = await this.readAfter(this.roomId, this.lastSeq);
        page.forEach((event) => this.accept(event));
        if (this.stopped) return;
        if (page.length < logPageSize && !this.rereadAsked) break;
        if (page.length < logPageSize) this.rereadAsked = false;
      }
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
    held.forEach((event) => this.offer(event));
  }
}
