/**
 * An event source that can hand its events to a synchronous consumer instead of being
 * iterated: a transport that delivers each event straight to a socket skips one
 * promise per event per subscriber, which is most of a fan-out's cost.
 */
export interface PushSource<T> {
  /**
   * From now on every event goes to the consumer's `next` as it is pushed (buffered ones
   * first), and its `done` runs once when the stream ends; iterating the stream is then
   * not allowed. An object rather than two callbacks: one per subscription, no closures.
   */
  consume(consumer: PushConsumer<T>): void;
  /** Stops the stream, as an iterator's return() would. */
  return(): unknown;
}

export interface PushConsumer<T> {
  next(value: T): void;
  done(): void;
}

export function isPushSource<T>(value: unknown): value is PushSource<T> {
  return typeof (value as PushSource<T> | null)?.consume === 'function';
}

/**
 * A push-based async iterator for one subscriber. Listeners start before the
 * iterator is returned (no gap between the membership check and the first event),
 * and every cleanup runs exactly once, whether the client stops, the stream is
 * ended by the server, or the buffer overflows.
 */
export class EventStream<T> implements AsyncIterableIterator<T>, PushSource<T> {
  private buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private consumer: PushConsumer<T> | null = null;
  private ended = false;
  private cleanups: (() => void)[] = [];

  /** @param maxBuffered events kept for a consumer that does not read; past it the stream ends. */
  constructor(private readonly maxBuffered = 10_000) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.consumer) {
      this.consumer.next(value);
      return;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.end();
      return;
    }
    this.buffer.push(value);
  }

  consume(consumer: PushConsumer<T>): void {
    if (this.consumer || this.waiting) throw new Error('an EventStream has one consumer');
    for (const value of this.buffer.splice(0)) consumer.next(value);
    if (this.ended) return consumer.done();
    this.consumer = consumer;
  }

  /** Runs when the stream ends, or at once if it already has. */
  onEnd(cleanup: () => void): void {
    if (this.ended) cleanup();
    else this.cleanups.push(cleanup);
  }

  /** Ends the stream after the events already buffered are read. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    const consumer = this.consumer;
    this.consumer = null;
    consumer?.done();
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  get isEnded(): boolean {
    return this.ended;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
