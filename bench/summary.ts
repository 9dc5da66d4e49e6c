import type { RunRecord } from './record';

/** One line per target of issue 4, with what this run measured for each service backend. */
interface Goal {
  figure: string;
  target: string;
  measure(r: RunRecord, service: string): string | null;
}

const f = (v: number | null | undefined, digits = 0) => (v == null ? null : v.toLocaleString('en-US', { maximumFractionDigits: digits }));

const goals: Goal[] = [
  {
    figure: 'fan-out delivered/s at saturation ("max")',
    target: '≥ 60k/s and ≥ 0.8 × raw',
    measure(r, service) {
      const row = r.results.fanout?.find((x) => x.target === service && x.offered === 'max');
      const raw = r.results.fanout?.find((x) => x.target === 'raw' && x.offered === 'max');
      if (!row?.deliveredPerSec) return null;
      return `${f(row.deliveredPerSec)}/s${raw?.deliveredPerSec ? ` (${(row.deliveredPerSec / raw.deliveredPerSec).toFixed(2)} × raw ${f(raw.deliveredPerSec)}/s)` : ''}`;
    },
  },
  {
    figure: 'p99 send → receive at 10k deliveries/s',
    target: '≤ 30 ms, 0 lost',
    measure(r, service) {
      const row = r.results.fanout?.find((x) => x.target === service && x.offered === 10_000);
      const raw = r.results.fanout?.find((x) => x.target === 'raw' && x.offered === 10_000);
      if (row?.latencyMs?.p99 == null) return null;
      return `${f(row.latencyMs.p99, 1)} ms, ${row.lost} lost${raw?.latencyMs?.p99 != null ? ` (raw ${f(raw.latencyMs.p99, 1)} ms)` : ''}`;
    },
  },
  {
    figure: 'memory per subscriber at the largest N',
    target: '≤ 10 KB and ≤ 1.5 × raw',
    measure(r, service) {
      const rows = (r.results.connect ?? []).filter((x) => x.target === service && x.kbPerConnection != null);
      const row = rows.sort((a, b) => (b.opened ?? 0) - (a.opened ?? 0))[0];
      if (!row) return null;
      const raw = r.results.connect?.find((x) => x.target === 'raw' && x.requested === row.requested);
      return `${f(row.kbPerConnection, 1)} KB at ${f(row.opened)}${raw?.kbPerConnection != null ? ` (raw ${f(raw.kbPerConnection, 1)} KB)` : ''}${row.ok ? '' : ' (incomplete)'}`;
    },
  },
  {
    figure: 'sendMessage/s over HTTP, concurrency 64',
    target: '≥ 5,000/s on PostgreSQL, p99 ≤ 20 ms',
    measure(r, service) {
      const row = r.results.send?.find((x) => x.target === service);
      return row?.perSec == null ? null : `${f(row.perSec)}/s, p99 ${f(row.latencyMs?.p99, 1)} ms`;
    },
  },
  {
    figure: 'history page (last: 50), 100k messages',
    target: 'p99 ≤ 5 ms server time',
    measure(r, service) {
      const row = r.results.history?.find((x) => x.target === service);
      const page = row?.series?.find((s) => s.name === 'messages(last: 50)');
      if (!page) return null;
      const client = `client p99 ${f(page.latencyMs.p99, 1)} ms, floor p99 ${f(row?.series?.[0]?.latencyMs.p99, 1)} ms`;
      // Runs from before the Server-Timing header only have the client side.
      if (page.serverMs?.p99 == null) return `no server time; ${client}`;
      return `server p99 ${f(page.serverMs.p99, 2)} ms (p50 ${f(page.serverMs.p50, 2)}; ${client})`;
    },
  },
];

/** The issue's targets against this run, one column per service backend. */
export function summary(r: RunRecord): string | null {
  const services = [...new Set(Object.values(r.results).flatMap((rows) => (rows ?? []).map((x: { target: string }) => x.target)))].filter((t) => t !== 'raw');
  if (services.length === 0) return null;
  const head = ['figure', 'target (issue 4)', ...services];
  const lines = goals.map((g) => [g.figure, g.target, ...services.map((s) => g.measure(r, s) ?? '–')]);
  return ['### against the targets of issue 4', '', `| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}
