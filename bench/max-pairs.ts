import type { FanoutResult } from './scenarios/fanout';
import { median } from './stats';

/** One "max" phase of a service and the raw baseline's taken just before it (--max-pairs). */
export interface MaxPair {
  pair: number;
  service: FanoutResult;
  raw: FanoutResult | undefined;
  /** service delivered/s ÷ raw delivered/s; null when either has no figure. */
  ratio: number | null;
}

/**
 * The service's "max" phases with raw's of the same pair, in pair order: pair 1 is the
 * phase taken with the other rates, later ones come from --max-pairs. `accept` filters
 * the service's rows (e.g. runs whose subscription document selected `status`).
 */
export function maxPairs(rows: readonly FanoutResult[] | undefined, service: string, accept: (row: FanoutResult) => boolean = () => true): MaxPair[] {
  const maxOf = (target: string) => (rows ?? []).filter((x) => x.target === target && x.offered === 'max');
  const raw = maxOf('raw');
  return maxOf(service)
    .filter(accept)
    .map((row) => {
      const pair = row.pair ?? 1;
      const base = raw.find((x) => (x.pair ?? 1) === pair);
      const ratio = row.deliveredPerSec && base?.deliveredPerSec ? row.deliveredPerSec / base.deliveredPerSec : null;
      return { pair, service: row, raw: base, ratio };
    });
}

/** The median of the pairs' ratios (the mean of the middle two for an even count); null when none has one. */
export function medianRatio(pairs: readonly MaxPair[]): number | null {
  return median(pairs.map((p) => p.ratio));
}

/**
 * "0.90 × raw, the median of 5 pairs (0.76, 0.85, 0.90, 0.93, 0.99)", or for one pair
 * "0.83 × raw (49,772/s vs 59,681/s)" as before pairs were taken; null without a ratio.
 */
export function pairsText(pairs: readonly MaxPair[]): string | null {
  const median = medianRatio(pairs);
  if (median === null) return null;
  const perSec = (v: number | undefined) => `${(v ?? 0).toLocaleString('en-US', { maximumFractionDigits: 0 })}/s`;
  if (pairs.length === 1) return `${median.toFixed(2)} × raw (${perSec(pairs[0]!.service.deliveredPerSec)} vs ${perSec(pairs[0]!.raw?.deliveredPerSec)})`;
  const ratios = pairs.map((p) => (p.ratio === null ? 'failed' : p.ratio.toFixed(2))).join(', ');
  return `${median.toFixed(2)} × raw, the median of ${pairs.length} pairs taken in turn (${ratios})`;
}
