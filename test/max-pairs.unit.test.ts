import { maxPairs, medianRatio, pairsText } from '../bench/max-pairs';
import type { FanoutResult } from '../bench/scenarios/fanout';

/** A fan-out row as the scenario records it, with only what the pairing reads. */
const row = (target: string, offered: number | 'max', deliveredPerSec: number | undefined, pair?: number, document = 'subscription { messageAdded { id status } }'): FanoutResult => ({
  target, rooms: 10, subs: 500, offered, ok: deliveredPerSec !== undefined, error: null,
  serverCpu: null, serverUsPerDelivery: null, serverRssKb: null, document, deliveredPerSec, ...(pair === undefined ? {} : { pair }),
});

const service = 'service/postgres+redis';

describe('the "max" pairs of a fan-out run', () => {
  it('pairs each service phase with raw\'s of the same pair, the first being the phase taken with the rates', () => {
    const rows = [
      row('raw', 10_000, 10_000), row('raw', 'max', 50_000),
      row(service, 10_000, 10_000), row(service, 'max', 40_000),
      row('raw', 'max', 60_000, 2), row(service, 'max', 57_000, 2),
      row('raw', 'max', 50_000, 3), row(service, 'max', 45_000, 3),
    ];
    const pairs = maxPairs(rows, service);
    expect(pairs.map((p) => [p.pair, p.raw?.deliveredPerSec, p.service.deliveredPerSec, p.ratio])).toEqual([
      [1, 50_000, 40_000, 0.8],
      [2, 60_000, 57_000, 0.95],
      [3, 50_000, 45_000, 0.9],
    ]);
    expect(medianRatio(pairs)).toBe(0.9);
    expect(pairsText(pairs)).toBe('0.90 × raw, the median of 3 pairs taken in turn (0.80, 0.95, 0.90)');
  });

  it('takes the mean of the middle two for an even count, and leaves out a pair whose phase failed', () => {
    const rows = [
      row('raw', 'max', 50_000), row(service, 'max', 40_000),
      row('raw', 'max', 50_000, 2), row(service, 'max', undefined, 2),
      row('raw', 'max', 50_000, 3), row(service, 'max', 45_000, 3),
    ];
    const pairs = maxPairs(rows, service);
    expect(pairs.map((p) => p.ratio)).toEqual([0.8, null, 0.9]);
    expect(medianRatio(pairs)).toBeCloseTo(0.85, 10);
    expect(pairsText(pairs)).toBe('0.85 × raw, the median of 3 pairs taken in turn (0.80, failed, 0.90)');
  });

  it('reads a run with one pair as runs read before pairs were taken', () => {
    const pairs = maxPairs([row('raw', 'max', 59_681), row(service, 'max', 49_772)], service);
    expect(pairsText(pairs)).toBe('0.83 × raw (49,772/s vs 59,681/s)');
  });

  it('has no ratio without raw, and keeps only the rows the caller accepts', () => {
    expect(medianRatio(maxPairs([row(service, 'max', 40_000)], service))).toBeNull();
    const rows = [row('raw', 'max', 50_000), row(service, 'max', 40_000, undefined, 'subscription { messageAdded { id } }')];
    expect(maxPairs(rows, service, (x) => x.document?.includes(' status ') === true)).toEqual([]);
  });
});
