/** Latency samples in milliseconds, kept exactly (a run holds at most a few million). */
export class Samples {
  private values = new Float64Array(1024);
  private size = 0;

  add(ms: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = ms;
  }

  get count(): number {
    return this.size;
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.size).sort();
    const at = (q: number) => (this.size === 0 ? null : round(sorted[Math.min(this.size - 1, Math.ceil(q * this.size) - 1)]!));
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      count: this.size,
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
      max: this.size === 0 ? null : round(sorted[this.size - 1]!),
      mean: this.size === 0 ? null : round(sum / this.size),
    };
  }
}

/** The middle value (the mean of the two middle ones for an even count), missing ones left out; null when there is none. */
export function median(values: readonly (number | null | undefined)[]): number | null {
  const known = values.filter((v): v is number => v != null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = known.length >> 1;
  return known.length % 2 === 1 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
}

/** Milliseconds; null when there were no samples. */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** CPU the calling process used since `since` (process.cpuUsage), as ms and % of one core over wallMs. */
export function cpuSince(since: NodeJS.CpuUsage, wallMs: number): CpuFigure {
  const used = process.cpuUsage(since);
  const ms = (used.user + used.system) / 1000;
  return { cpuMs: round(ms, 1), pct: wallMs > 0 ? round((100 * ms) / wallMs, 1) : 0 };
}

export interface CpuFigure {
  cpuMs: number;
  /** Percent of one core over the measured window. */
  pct: number;
}
