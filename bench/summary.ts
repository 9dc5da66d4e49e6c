import { median } from './stats';
import { maxPairs, pairsText } from './max-pairs';
import type { RunRecord } from './record';

import { chatListSeries } from './protocol';

/** One line per target of issues 4, 9, 10, 11 and 12, with what this run measured for each service backend. */
interface Goal {
  issue: 4 | 9 | 10 | 11 | 12;
  figure: string;
  target: string;
  measure(r: RunRecord, service: string): string | null;
}

const f = (v: number | null | undefined, digits = 0) => (v == null ? null : v.toLocaleString('en-US', { maximumFractionDigits: digits }));

const goals: Goal[] = [
  {
    issue: 4,
    figure: 'fan-out delivered/s at saturation ("max")',
    target: '≥ 60k/s and ≥ 0.8 × raw',
    measure(r, service) {
      const pairs = maxPairs(r.results.fanout, service);
      const first = pairs[0]?.service.deliveredPerSec;
      if (!first) return null;
      if (pairs.length === 1) return `${f(first)}/s${pairs[0]!.ratio !== null ? ` (${pairs[0]!.ratio.toFixed(2)} × raw ${f(pairs[0]!.raw?.deliveredPerSec)}/s)` : ''}`;
      return `${f(first)}/s in the first pair; ${pairsText(pairs) ?? 'no ratio'}`;
    },
  },
  {
    issue: 4,
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
    issue: 4,
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
    issue: 4,
    figure: 'sendMessage/s over HTTP, concurrency 64',
    target: '≥ 5,000/s on PostgreSQL, p99 ≤ 20 ms',
    measure(r, service) {
      const row = r.results.send?.find((x) => x.target === service);
      return row?.perSec == null ? null : `${f(row.perSec)}/s, p99 ${f(row.latencyMs?.p99, 1)} ms`;
    },
  },
  {
    issue: 4,
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
  ...issue9Goals(),
  ...issue10Goals(),
  {
    issue: 11,
    figure: 'soak: RSS and descriptors after the first minute, lost',
    target: 'flat, 0 lost',
    measure(r, service) {
      const row = r.results.soak?.find((x) => x.target === service);
      if (row?.rssSlopeMbPerMin == null) return row ? `failed: ${(row.error ?? '').slice(0, 80)}` : null;
      const lost = (row.lostKept ?? 0) + (row.lostChurned ?? 0);
      return `RSS after GC ${f(row.rssSlopeMbPerMin, 2)} MB/min (second half ${f(row.rssSecondHalfSlopeMbPerMin, 2)}), ${f(row.fdSlopePerMin, 2)} descriptors/min; ${f(lost)} lost (${f(row.connections)} connections, ${f(row.durationS)} s, ${f(row.reconnects)} reconnects)`;
    },
  },
  ...issue12Goals(),
];

function issue12Goals(): Goal[] {
  const row = (r: RunRecord, service: string) => r.results['first-screen']?.find((x) => x.target === service);
  return [
    {
      issue: 12,
      figure: 'web app: first screen on screen, cold loads (no raw baseline)',
      target: '≤ 1 s',
      measure(r, service) {
        const x = row(r, service);
        if (!x) return null;
        if (!x.signInMs || !x.chatListMs) return `failed: ${(x.error ?? '').slice(0, 80)}`;
        return `sign-in p95 ${f(x.signInMs.p95)} ms (max ${f(x.signInMs.max)}); chat list p95 ${f(x.chatListMs.p95)} ms (max ${f(x.chatListMs.max)}); ${f(x.loads)} loads each`;
      },
    },
    {
      issue: 12,
      figure: "web app: the first screen's JavaScript, gzipped",
      target: '≤ 150 KB',
      measure(r, service) {
        const x = row(r, service);
        return x?.jsGzipBytes == null ? null : `${f(x.jsGzipBytes / 1024, 1)} KB in ${f(x.jsFiles)} file(s)`;
      },
    },
  ];
}

/** Every round of the storm on this target that ran (older records: one). */
function stormRows(r: RunRecord, service: string) {
  return (r.results.storm ?? []).filter((x) => x.target === service && x.dropped != null);
}

/** `2.05 s`, or with several rounds `2.05 s, median of 3 rounds (2.01, 2.05, 3.24)`; values already scaled to the unit. */
function overRounds(values: readonly (number | null | undefined)[], digits: number, unit: string): string {
  const m = median(values);
  if (values.length <= 1) return `${f(m, digits)} ${unit}`;
  return `${f(m, digits)} ${unit}, median of ${values.length} rounds (${values.map((v) => f(v, digits) ?? '–').join(', ')})`;
}

function mutateGoal(kind: 'edit' | 'react', name: string): Goal {
  return {
    issue: 9,
    figure: `${name}/s over HTTP, concurrency 64`,
    target: '≥ 5,000/s on PostgreSQL, p99 ≤ 20 ms',
    measure(r, service) {
      const row = r.results[kind]?.find((x) => x.target === service);
      if (row?.perSec == null) return row ? `failed: ${(row.error ?? '').slice(0, 80)}` : null;
      return `${f(row.perSec)}/s, p99 ${f(row.latencyMs?.p99, 1)} ms${row.errors ? `, ${f(row.errors)} errors` : ''}`;
    },
  };
}

function issue9Goals(): Goal[] {
  const fanout = (r: RunRecord, target: string, offered: number | 'max') => r.results.fanout?.find((x) => x.target === target && x.offered === offered);
  return [
    {
      issue: 9,
      figure: 'fan-out delivered/s at "max" against raw',
      target: '≥ 0.9 × raw',
      measure(r, service) {
        return pairsText(maxPairs(r.results.fanout, service));
      },
    },
    {
      issue: 9,
      figure: 'p99 send → receive at 10k deliveries/s',
      target: '≤ 15 ms, 0 lost',
      measure(r, service) {
        const row = fanout(r, service, 10_000);
        const raw = fanout(r, 'raw', 10_000);
        if (row?.latencyMs?.p99 == null) return null;
        return `${f(row.latencyMs.p99, 1)} ms, ${row.lost} lost${raw?.latencyMs?.p99 != null ? ` (raw ${f(raw.latencyMs.p99, 1)} ms)` : ''}`;
      },
    },
    {
      issue: 9,
      figure: 'reconnect storm: drop → every dropped subscriber caught up',
      target: '≤ 3 s on PostgreSQL + Redis',
      measure(r, service) {
        const rows = stormRows(r, service);
        if (rows.length === 0) return null;
        const seconds = (ms: number | null | undefined) => (ms == null ? null : ms / 1000);
        const rawReconnect = median(stormRows(r, 'raw').map((x) => seconds(x.reconnectMs)));
        const reconnect = `reconnect alone ${f(median(rows.map((x) => seconds(x.reconnectMs))), 2)} s${rawReconnect != null ? `, raw ${f(rawReconnect, 2)} s` : ''}${rows.length > 1 ? ', medians' : ''}`;
        const short = rows.find((x) => x.allCaughtUpMs == null);
        if (short) return `${f(short.caughtUp)} of ${f(short.dropped)} caught up in round ${short.round ?? 1} (${reconnect})`;
        return `${overRounds(rows.map((x) => seconds(x.allCaughtUpMs)), 2, 's')} (${reconnect})`;
      },
    },
    {
      issue: 9,
      figure: 'reconnect storm: resubscribe → caught up, per subscriber',
      target: 'p99 ≤ 500 ms',
      measure(r, service) {
        const rows = stormRows(r, service).filter((x) => x.catchUpMs?.p99 != null);
        if (rows.length === 0) return null;
        return `p99 ${overRounds(rows.map((x) => x.catchUpMs!.p99), 1, 'ms')} (max ${f(Math.max(...rows.map((x) => x.catchUpMs!.max ?? 0)), 1)})`;
      },
    },
    {
      issue: 9,
      figure: 'reconnect storm: live p99 of the subscribers never dropped',
      target: '≤ 100 ms during the storm',
      measure(r, service) {
        const rows = stormRows(r, service).filter((x) => x.keptLatencyMs?.storm.p99 != null);
        if (rows.length === 0) return null;
        const raws = stormRows(r, 'raw').filter((x) => x.keptLatencyMs?.storm.p99 != null);
        const medians = rows.length > 1 ? ', medians' : '';
        const rawDuring = raws.length > 0 ? `; raw during ${f(median(raws.map((x) => x.keptLatencyMs!.storm.p99)), 1)} ms` : '';
        const longest = (of: typeof rows) => (of.length === 0 ? '–' : f(Math.max(...of.map((x) => x.loadgenStallMs ?? 0)), 0));
        const before = `before ${f(median(rows.map((x) => x.keptLatencyMs!.before.p99)), 1)} ms`;
        // Older records have no stall figure and no windows.
        const stall = rows[0]!.loadgenStallMs != null ? `; load generator stalled up to ${longest(rows)} ms, raw ${longest(raws)}` : '';
        const firsts = rows.map((x) => x.keptStormP99ByHalfSecond?.[0]);
        const windows = firsts.some((v) => v != null) ? `; first half second after the drop ${firsts.map((v) => f(v, 0) ?? '–').join(', ')} ms` : '';
        return `${overRounds(rows.map((x) => x.keptLatencyMs!.storm.p99), 1, 'ms')} (${before}${rawDuring}${medians}${stall}${windows})`;
      },
    },
    {
      issue: 9,
      figure: 'reconnect storm: lost / duplicated',
      target: '0 / 0',
      measure(r, service) {
        const rows = stormRows(r, service).filter((x) => x.lost != null);
        if (rows.length === 0) return null;
        const sum = (pick: (x: (typeof rows)[number]) => number | undefined) => rows.reduce((total, x) => total + (pick(x) ?? 0), 0);
        const over = rows.length > 1 ? ` over ${rows.length} rounds` : '';
        return `${f(sum((x) => x.lost))} / ${f(sum((x) => x.duplicates))} (${f(sum((x) => x.received))} deliveries checked${over}; ${f(sum((x) => x.outOfOrder))} out of cursor order)`;
      },
    },
    mutateGoal('edit', 'editMessage'),
    mutateGoal('react', 'addReaction'),
  ];
}

function issue10Goals(): Goal[] {
  return [
    {
      issue: 10,
      figure: 'chat list (200 rooms × 10,000 messages, 1,000 unread each)',
      target: 'p99 ≤ 10 ms server time on PostgreSQL',
      measure(r, service) {
        const row = r.results.chatlist?.find((x) => x.target === service);
        const s = row?.series?.find((x) => x.name === chatListSeries);
        if (!row) return null;
        if (!s?.serverMs) return `failed: ${(row.error ?? '').slice(0, 80)}`;
        const size = row.rooms === 200 && row.messagesPerRoom === 10_000 && row.unread === 1000 ? '' : ` (${f(row.rooms)} × ${f(row.messagesPerRoom)}, ${f(row.unread)} unread)`;
        return `server p99 ${f(s.serverMs.p99, 2)} ms (p50 ${f(s.serverMs.p50, 2)}; client p99 ${f(s.latencyMs.p99, 1)} ms)${size}${row.ok ? '' : `; ${(row.error ?? '').slice(0, 80)}`}`;
      },
    },
    {
      issue: 10,
      figure: 'markRead/s over HTTP, concurrency 64',
      target: '≥ 5,000/s on PostgreSQL, p99 ≤ 20 ms',
      measure(r, service) {
        const row = r.results.markread?.find((x) => x.target === service);
        if (row?.perSec == null) return row ? `failed: ${(row.error ?? '').slice(0, 80)}` : null;
        return `${f(row.perSec)}/s, p99 ${f(row.latencyMs?.p99, 1)} ms${row.errors ? `, ${f(row.errors)} errors` : ''}`;
      },
    },
    {
      issue: 10,
      figure: 'fan-out delivered/s at "max" against raw, `status` selected',
      target: '≥ 0.9 × raw',
      measure(r, service) {
        // Runs from before `status` was in the subscription document do not count.
        return pairsText(maxPairs(r.results.fanout, service, (row) => row.document?.includes(' status ') === true));
      },
    },
  ];
}

/** The issue's targets against this run, one column per service backend. */
export function summary(r: RunRecord): string | null {
  const services = [...new Set(Object.values(r.results).flatMap((rows) => (rows ?? []).map((x: { target: string }) => x.target)))].filter((t) => t !== 'raw');
  if (services.length === 0) return null;
  const head = ['figure', 'target', ...services];
  const measured = goals.map((g) => ({ g, values: services.map((s) => g.measure(r, s)) })).filter(({ values }) => values.some((v) => v !== null));
  const lines = measured.map(({ g, values }) => [g.figure, `${g.target} (issue ${g.issue})`, ...values.map((v) => v ?? '–')]);
  return ['### against the targets of issues 4, 9, 10, 11 and 12', '', `| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}
