/** How a GroupCommit runs batches and judges their failures. */
export interface GroupCommitOptions<I, O> {
  /** Runs one batch as one unit (one statement or transaction); one outcome per item, in order. */
  run(items: readonly I[]): Promise<O[]>;
  /** True when the same batch may succeed if run again (a deadlock or serialization failure). */
  isTransient(err: unknown): boolean;
  /**
   * True when the failure is no item's fault (the database is unreachable): every caller
   * gets it at once, instead of each waiting out the same outage alone.
   */
  isSystemic(err: unknown): boolean;
  /** Most items in one batch (bounds the statement's size). */
  maxBatch?: number;
  /** Batches running at once; later items queue and go together in the next one. */
  maxInFlight?: number;
  /** Runs of one batch when it keeps failing transiently. */
  maxAttempts?: number;
  /** Told each batch's size as it starts (metrics: one call per batch, not per item). */
  onBatch?: (size: number) => void;
}

/** What a GroupCommit has done so far (for tests and operators). */
export interface GroupCommitStats {
  /** Batches run (a retry or a one-by-one rerun does not count again). */
  batches: number;
  /** Items that went out in those batches. */
  items: number;
  /** The largest batch so far. */
  largest: number;
  /** Batches running now. */
  inFlight: number;
  /** Items waiting for the next batch. */
  queued: number;
}

interface Pending<I, O> {
  item: I;
  resolve(outcome: O): void;
  reject(err: unknown): void;
}

/**
 * Group commit: items submitted while a batch is running, or within the same turn of the
 * event loop, go to the database together as the next batch. There is no timer: a lone
 * item waits only for the end of the current turn (setImmediate), so that requests already
 * read from their sockets in this turn join it; under load, batches grow by themselves
 * while the previous one runs.
 *
 * Each caller gets its own outcome, and its own error: a batch that fails for a reason
 * that may be one item's (a constraint, a bad value) is run again one item at a time, so
 * only the guilty item's caller sees the failure. Outcomes are delivered in submission
 * order, so callers that continue at once (e.g. to publish) do so in that order.
 */
export class GroupCommit<I, O> {
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly maxAttempts: number;
  private queue: Pending<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly totals = { batches: 0, items: 0, largest: 0 };

  constructor(private readonly options: GroupCommitOptions<I, O>) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  /** Resolves with the item's outcome once its batch committed; rejects with its own failure. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  stats(): GroupCommitStats {
    return { ...this.totals, inFlight: this.inFlight, queued: this.queue.length };
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.totals.batches++;
      this.totals.items += batch.length;
      this.totals.largest = Math.max(this.totals.largest, batch.length);
      this.options.onBatch?.(batch.length);
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async commit(batch: Pending<I, O>[]): Promise<void> {
    let outcomes: O[];
    try {
      outcomes = await this.runWithRetry(batch.map((p) => p.item));
    } catch (err) {
      if (batch.length === 1 || this.options.isSystemic(err)) batch.forEach((p) => p.reject(err));
      else await this.commitOneByOne(batch);
      return;
    }
    batch.forEach((p, i) => p.resolve(outcomes[i]!));
  }

  /** Isolates the failing item(s); stops early when the database itself is the problem. */
  private async commitOneByOne(batch: Pending<I, O>[]): Promise<void> {
    for (const [i, pending] of batch.entries()) {
      try {
        const [outcome] = await this.runWithRetry([pending.item]);
        pending.resolve(outcome!);
      } catch (err) {
        pending.reject(err);
        if (this.options.isSystemic(err)) return batch.slice(i + 1).forEach((p) => p.reject(err));
      }
    }
  }

  private async runWithRetry(items: readonly I[]): Promise<O[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.options.run(items);
      } catch (err) {
        if (attempt >= this.maxAttempts || !this.options.isTransient(err)) throw err;
      }
    }
  }
}
