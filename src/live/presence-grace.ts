/**
 * Users whose last socket on this process closed, waiting out the grace before they count
 * as gone: one timer for all of them (thousands of sockets may close at once), firing for
 * the oldest and taking every one due. A user who reconnects in time is taken back.
 */
export class GraceList {
  /** User → when their last socket closed (ms); a Map keeps closing order, so the first is the oldest. */
  private readonly closedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly graceMs: number,
    private readonly onEnded: (userId: string, closedAt: number) => void,
  ) {}

  add(userId: string): void {
    this.closedAt.set(userId, Date.now());
    this.arm();
  }

  /** The user reconnected: true when they were still in their grace (nothing to announce). */
  takeBack(userId: string): boolean {
    return this.closedAt.delete(userId);
  }

  has(userId: string): boolean {
    return this.closedAt.has(userId);
  }

  /** Who is waiting, and since when. */
  entries(): [string, number][] {
    return [...this.closedAt];
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer ?? undefined);
  }

  private arm(): void {
    if (this.timer || this.stopped) return;
    const oldest = this.closedAt.values().next();
    if (oldest.done) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, oldest.value + this.graceMs - Date.now()));
    this.timer.unref();
  }

  private expire(): void {
    this.timer = null;
    const due = Date.now() - this.graceMs;
    for (const [userId, closedAt] of this.closedAt) {
      if (closedAt > due) break;
      this.closedAt.delete(userId);
      this.onEnded(userId, closedAt);
    }
    this.arm();
  }
}
