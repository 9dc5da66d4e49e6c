import { messagesInFlightPerRoom } from './args';
import { stormDropSlice } from './loadgen/storm';
import { maxPairs, medianRatio } from './max-pairs';
import { optionsFor, type RunRecord } from './record';
import type { FanoutResult } from './scenarios/fanout';
import { summary } from './summary';

const dash = '–';
const num = (v: number | null | undefined, digits = 0) => (v == null || !Number.isFinite(v) ? dash : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ms = (v: number | null | undefined) => (v == null ? dash : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? dash : `${(a / b).toFixed(2)}×`);
const status = (ok: boolean, error: string | null) => (ok ? 'ok' : (error ?? 'failed').replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 120));

/**
 * Server CPU, the share of the time it waited for a CPU held by other processes, and the
 * share of the machine's CPU the hypervisor gave to other guests (a shared machine's noise).
 */
const cpuAndWait = (cpu: { pct: number; waitPct?: number; stealPct?: number } | null | undefined) => {
  if (!cpu) return dash;
  const notes = [
    cpu.waitPct != null && Number.isFinite(cpu.waitPct) ? `waited ${num(cpu.waitPct)}%` : null,
    cpu.stealPct != null && Number.isFinite(cpu.stealPct) ? `stolen ${num(cpu.stealPct)}%` : null,
  ].filter(Boolean);
  return `${num(cpu.pct)}%${notes.length ? ` (${notes.join(', ')})` : ''}`;
};

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function connectSection(r: RunRecord): string | null {
  const rows = r.results.connect;
  if (!rows?.length) return null;
  const raw = (n: number) => rows.find((x) => x.target === 'raw' && x.requested === n);
  return [
    '### connect: N authenticated sockets, one `messageAdded(roomId)` subscription each',
    '',
    'KB / conn. = (RSS after − RSS before) / sockets opened; "after GC" reads both after a forced full GC, once V8 gave back the pages it emptied (retained memory). A fresh server per row; 20-socket warm-up first.',
    '',
    table(
      ['target', 'N', 'subscribed', 'connected (s)', 'all subscribed (s)', 'RSS before → after (MB)', 'KB / conn.', '× raw', 'after GC: RSS (MB)', 'KB / conn.', '× raw', 'server CPU (s)', 'loadgen CPU (s)', 'status'],
      rows.map((x) => [
        x.target,
        `${num(x.n)}${x.cappedBy ? ` (of ${num(x.requested)}: ${x.cappedBy})` : ''}`,
        num(x.live),
        num(x.connectMs == null ? null : x.connectMs / 1000, 1),
        num(x.subscribedMs == null ? null : x.subscribedMs / 1000, 1),
        x.rssBeforeKb == null ? dash : `${num(x.rssBeforeKb / 1024)} → ${num(x.rssAfterKb! / 1024)}`,
        num(x.kbPerConnection, 1),
        x.target === 'raw' ? dash : ratio(x.kbPerConnection, raw(x.requested)?.kbPerConnection),
        x.gcRssBeforeKb == null ? dash : `${num(x.gcRssBeforeKb / 1024)} → ${num(x.gcRssAfterKb! / 1024)}`,
        num(x.kbPerConnectionAfterGc, 1),
        x.target === 'raw' ? dash : ratio(x.kbPerConnectionAfterGc, raw(x.requested)?.kbPerConnectionAfterGc),
        num(x.serverCpu ? x.serverCpu.cpuMs / 1000 : null, 1),
        num(x.loadgenCpu ? x.loadgenCpu.cpuMs / 1000 : null, 1),
        x.ok && (x.loadgenCpu?.pct ?? 0) >= 90 ? 'ok; the load generator was saturated, so connect time is an upper bound' : status(x.ok, x.error),
      ]),
    ),
  ].join('\n');
}

function fanoutSection(r: RunRecord): string | null {
  const all = r.results.fanout;
  if (!all?.length) return null;
  // The "max" phases taken again (--max-pairs) have their own table below.
  const rows = all.filter((x) => x.pair === undefined);
  const raw = (offered: number | 'max') => rows.find((x) => x.target === 'raw' && x.offered === offered);
  const frames = [...new Set(rows.map((x) => `${x.target} ${x.frameBytes?.max ?? '?'} B`))].join(', ');
  const o = optionsFor(r, 'fanout');
  return [
    `### fanout: ${o.rooms} rooms × ${o.subs} subscribers, ${o.durationS} s per phase, body ${o.bodyBytes} B`,
    '',
    `Delivered frame sizes: ${frames}. "max" is a closed loop with ${messagesInFlightPerRoom(o)} message(s) in flight per room (≈ ${o.window} deliveries). Latency is send → receipt in ms.`,
    '',
    table(
      ['target', 'offered/s', 'delivered/s', '× raw', 'p50', 'p95', 'p99', 'max', 'lost', 'server CPU', 'µs CPU / delivery', 'loadgen CPU', 'status'],
      rows.map((x) => [
        x.target,
        String(x.offered === 'max' ? 'max' : num(x.offered)),
        num(x.deliveredPerSec),
        x.target === 'raw' ? dash : ratio(x.deliveredPerSec, raw(x.offered)?.deliveredPerSec),
        ms(x.latencyMs?.p50),
        ms(x.latencyMs?.p95),
        ms(x.latencyMs?.p99),
        ms(x.latencyMs?.max),
        num(x.lost),
        cpuAndWait(x.serverCpu),
        num(x.serverUsPerDelivery, 1),
        x.loadgenCpu ? `${num(x.loadgenCpu.pct)}%` : dash,
        fanoutStatus(x),
      ]),
    ),
    ...maxPairsTables(all),
  ].join('\n');
}

const fanoutStatus = (x: FanoutResult) => (x.ok && (x.loadgenCpu?.pct ?? 0) >= 90 ? 'ok, but the load generator was saturated: a lower bound' : status(x.ok, x.error));

/** Per service, its "max" phases and raw's in pairs, taken in turn (--max-pairs); nothing when there is one pair. */
function maxPairsTables(rows: FanoutResult[]): string[] {
  const services = [...new Set(rows.filter((x) => x.target !== 'raw').map((x) => x.target))];
  return services.flatMap((service) => {
    const pairs = maxPairs(rows, service);
    if (pairs.length < 2) return [];
    const median = medianRatio(pairs);
    return [
      '',
      `**"max" against raw, ${service}: ${pairs.length} pairs.** Each pair is raw's "max" phase then the service's, one pair after another; pair 1 is the phase in the table above, after the rates. Each later phase has a fresh server with fresh sockets, warmed up at the lowest rate and then for 2 s at max (since 2417bb9, 2026-12-03), as the rates' phases warm up pair 1. On a shared virtual machine the host's load moves between two phases a minute apart, so one pair's ratio is a draw (0.76 and 0.99 for the same code on 2026-12-03); the targets read the median ratio${median === null ? '' : `, here ${median.toFixed(2)}`}.`,
      '',
      table(
        ['pair', 'raw delivered/s', 'raw server CPU', 'raw µs CPU / delivery', 'service delivered/s', 'service server CPU', 'service µs CPU / delivery', '× raw', 'status'],
        pairs.map((p) => [
          String(p.pair),
          num(p.raw?.deliveredPerSec),
          cpuAndWait(p.raw?.serverCpu),
          num(p.raw?.serverUsPerDelivery, 1),
          num(p.service.deliveredPerSec),
          cpuAndWait(p.service.serverCpu),
          num(p.service.serverUsPerDelivery, 1),
          p.ratio === null ? dash : `${p.ratio.toFixed(2)}×`,
          [p.raw ? `raw ${fanoutStatus(p.raw)}` : 'raw not run', `service ${fanoutStatus(p.service)}`].join('; '),
        ]),
      ),
    ];
  });
}

function sendSection(r: RunRecord): string | null {
  const rows = r.results.send;
  if (!rows?.length) return null;
  const o = optionsFor(r, 'send');
  return [
    `### send: \`sendMessage\` over HTTP, keep-alive, concurrency ${o.concurrency}, ${o.durationS} s`,
    '',
    table(
      ['target', 'sendMessage/s', 'p50', 'p95', 'p99', 'max (ms)', 'requests', 'errors', 'server CPU', 'loadgen CPU', 'status'],
      rows.map((x) => [
        x.target, num(x.perSec), ms(x.latencyMs?.p50), ms(x.latencyMs?.p95), ms(x.latencyMs?.p99), ms(x.latencyMs?.max),
        num(x.requests), num(x.errors), cpuAndWait(x.serverCpu), x.loadgenCpu ? `${num(x.loadgenCpu.pct)}%` : dash,
        status(x.ok, x.error),
      ]),
    ),
  ].join('\n');
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** How many rounds the storm was taken (older records: one). */
function stormRounds(rows: readonly { round?: number }[]): number {
  return Math.max(...rows.map((x) => x.round ?? 1));
}

function stormSection(r: RunRecord): string | null {
  const rows = r.results.storm;
  if (!rows?.length) return null;
  const o = optionsFor(r, 'storm');
  const lat = (l: { p50: number | null; p99: number | null; max: number | null } | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}` : dash);
  const s = (v: number | null | undefined) => num(v == null ? null : v / 1000, 2);
  return [
    `### storm: ${o.rooms} rooms × ${o.subs} subscribers, ${o.stormRate} messages/s per room, half dropped at once after ${o.stormWarmupS} s, ${o.durationS} s of sending after the drop, ${plural(stormRounds(rows), 'round')}`,
    '',
    `Each round is raw's storm, then the service's, with fresh servers; the targets read each figure's median over the rounds (since 2026-12-03; one storm before). Subscribers hold \`messageAdded(roomId, after)\` selecting \`cursor\` and keep the last one; every other subscriber's socket is terminated at once (${stormDropSlice} per event-loop turn of the load generator since 2026-12-02) and reopened (${o.connectConcurrency} handshakes in flight) with \`after\` = its last cursor. "Caught up" = it has every message its room had when it resubscribed (every message whose \`sendMessage\` answer the publisher had by then). Reconnect = drop → last subscribe frame sent. Kept = the subscribers never dropped: send → receipt p50 / p99 / max in ms before the drop, during the storm (drop → all caught up; raw: drop → all reconnected) and after; during the storm also p99 by half second after the drop, by when the message was sent (the first half second holds the close wave of the drop). Loadgen stall = the load generator's own longest event-loop delay during the storm: it drops and reopens the sockets on the thread that timestamps the kept subscribers' frames, so a frame that arrived meanwhile counts late by up to that much, on both targets. Every subscriber must get every message of its room once, with cursors increasing (the raw baseline has no resume: only its kept subscribers are counted, and it measures the reconnect alone).`,
    '',
    table(
      ['target', 'round', 'dropped', 'reconnected', 'reconnect (s)', 'all caught up (s)', 'catch-up p50 / p99 / max (ms)', 'missed / sub', 'kept before', 'kept during storm', 'kept p99 during storm by half second after the drop (ms)', 'loadgen stall during storm (ms)', 'kept after', 'lost', 'dup', 'out of order', 'server drop → end of storm: CPU; waiting for a CPU; CPU per reconnect less the steady fan-out (ms)', 'server CPU (whole run)', 'loadgen CPU', 'status'],
      rows.map((x) => [
        x.target,
        num(x.round ?? 1),
        num(x.dropped),
        num(x.reconnected),
        s(x.reconnectMs),
        s(x.allCaughtUpMs),
        x.catchUpMs ? lat(x.catchUpMs) : dash,
        num(x.missedMean, 1),
        lat(x.keptLatencyMs?.before),
        lat(x.keptLatencyMs?.storm),
        x.keptStormP99ByHalfSecond ? x.keptStormP99ByHalfSecond.map((p99) => ms(p99)).join(', ') : dash,
        ms(x.loadgenStallMs),
        lat(x.keptLatencyMs?.after),
        num(x.lost),
        num(x.duplicates),
        num(x.outOfOrder),
        x.serverStormCpuMs == null ? dash : `${num(x.serverStormCpuMs)}; ${num(x.serverStormWaitMs)}; ${num(x.serverCpuPerReconnectMs, 2)}`,
        x.serverCpu ? `${num(x.serverCpu.cpuMs / 1000, 1)} s (${num(x.serverCpu.pct)}%)` : dash,
        x.loadgenCpu ? `${num(x.loadgenCpu.pct)}%` : dash,
        status(x.ok, x.error),
      ]),
    ),
  ].join('\n');
}

function soakSection(r: RunRecord): string | null {
  const rows = r.results.soak;
  if (!rows?.length) return null;
  const o = optionsFor(r, 'soak');
  const lat = (l: { p50: number | null; p99: number | null; max: number | null } | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}` : dash);
  const first = (x: { samples: { rssMb: number; fds: number }[] }) => x.samples[0];
  const last = (x: { samples: { rssMb: number; fds: number }[] }) => x.samples[x.samples.length - 1];
  return [
    `### soak: ${num(o.soakConnections)} connections over ${o.rooms} rooms, ${o.soakRate} messages/s, ${o.soakChurn} reconnects/s, ${num(o.soakDurationS)} s`,
    '',
    `Subscribers hold \`messageAdded(roomId, after)\` selecting \`cursor\`; every second ${o.soakChurn} of them (picked at random among those holding a cursor of the run) are terminated without a close handshake and reopened with \`after\` = their last cursor, while publishers send ${o.soakRate} messages/s round robin over the rooms. The server's RSS and open descriptors are read from /proc every ${o.soakSampleS} s, RSS after a forced full GC every 30 s (bench/gc-on-signal.cjs); slopes are least-squares fits after the first minute, of RSS after GC (retained memory; also over the run's second half alone, where a leak keeps its slope and the allocator's early filling has levelled off), of the live JS heap (heapUsed), of the heap V8 keeps committed (heapTotal) and of \`external\` (Buffers, ArrayBuffers) after GC (process.memoryUsage()) and of RSS as it is (the collector's sawtooth makes it noisy over short runs). Lost = messages of its room a subscriber never received, for the subscribers never dropped and for those that reconnected (must be 0). Kept latency: send → receipt on every 50th subscriber never dropped; its p99 and max include the pauses of the forced GCs (the fanout scenario is the one that judges latency).`,
    '',
    table(
      ['target', 'RSS after GC slope (MB/min)', 'its second half', 'RSS as is slope', 'JS heap after GC slope', 'V8 heap committed after GC slope', 'external after GC slope', 'descriptors slope (/min)', 'RSS first → last sample (MB)', 'descriptors first → last', 'RSS after GC start → end (MB)', 'sent', 'lost kept / reconnected', 'dup', 'out of order', 'reconnects (subscribers)', 'kept p50 / p99 / max (ms)', 'server CPU', 'loadgen CPU', 'status'],
      rows.map((x) => [
        x.target,
        num(x.rssSlopeMbPerMin, 2),
        num(x.rssSecondHalfSlopeMbPerMin, 2),
        num(x.rawRssSlopeMbPerMin, 2),
        num(x.heapSlopeMbPerMin, 2),
        num(x.heapTotalSlopeMbPerMin, 2),
        num(x.externalSlopeMbPerMin, 2),
        num(x.fdSlopePerMin, 2),
        x.samples.length ? `${num(first(x)!.rssMb)} → ${num(last(x)!.rssMb)}` : dash,
        x.samples.length ? `${num(first(x)!.fds)} → ${num(last(x)!.fds)}` : dash,
        x.rssAfterGcMb ? `${num(x.rssAfterGcMb.start)} → ${num(x.rssAfterGcMb.end)}` : dash,
        num(x.sentMessages),
        `${num(x.lostKept)} / ${num(x.lostChurned)}`,
        num(x.duplicates),
        num(x.outOfOrder),
        `${num(x.reconnects)} (${num(x.churnedSubscribers)})`,
        lat(x.keptLatencyMs),
        cpuAndWait(x.serverCpu),
        x.loadgenCpu ? `${num(x.loadgenCpu.pct)}%` : dash,
        status(x.ok, x.error),
      ]),
    ),
  ].join('\n');
}

function mutateSection(r: RunRecord, kind: 'edit' | 'react'): string | null {
  const rows = r.results[kind];
  if (!rows?.length) return null;
  const name = kind === 'edit' ? 'editMessage' : 'addReaction';
  const how =
    kind === 'edit'
      ? 'Request k edits seeded message k mod M as its author, with a new body each time.'
      : 'Request k adds emoji ⌊k / (M·U)⌋ of 5 to seeded message k mod M as user ⌊k / M⌋ mod U: each request adds a reaction that was not there.';
  const o = optionsFor(r, kind);
  return [
    `### ${kind}: \`${name}\` over HTTP, keep-alive, concurrency ${o.concurrency}, ${o.durationS} s`,
    '',
    `${num(o.mutateMessages)} messages seeded first with \`sendMessage\` (M; message j by user j mod U into room j mod ${o.rooms}). ${how} After a 2 s warm-up that is not reported.`,
    '',
    table(
      ['target', `${name}/s`, 'p50', 'p95', 'p99', 'max (ms)', 'requests', 'errors', 'server CPU', 'loadgen CPU', 'status'],
      rows.map((x) => [
        x.target, num(x.perSec), ms(x.latencyMs?.p50), ms(x.latencyMs?.p95), ms(x.latencyMs?.p99), ms(x.latencyMs?.max),
        num(x.requests), num(x.errors), cpuAndWait(x.serverCpu), x.loadgenCpu ? `${num(x.loadgenCpu.pct)}%` : dash,
        status(x.ok, x.error),
      ]),
    ),
  ].join('\n');
}

function historySection(r: RunRecord): string | null {
  const rows = r.results.history;
  if (!rows?.length) return null;
  const lines = rows.flatMap((x) => {
    const cpus = [x.serverCpu ? `${num(x.serverCpu.pct)}%` : dash, x.loadgenCpu ? `${num(x.loadgenCpu.pct)}%` : dash];
    if (!x.series) return [[x.target, num(x.messages), dash, dash, dash, dash, dash, dash, dash, dash, ...cpus, status(x.ok, x.error)]];
    const floor = x.series[0]?.latencyMs.p50 ?? 0;
    return x.series.map((s, i) => [
      x.target, num(x.messages), s.name, num(s.requests), ms(s.latencyMs.p50), ms(s.latencyMs.p95), ms(s.latencyMs.p99), ms(s.latencyMs.max),
      s.serverMs ? `${ms(s.serverMs.p50)} / ${ms(s.serverMs.p95)} / ${ms(s.serverMs.p99)} / ${ms(s.serverMs.max)}` : dash,
      i === 0 ? dash : `${ms((s.latencyMs.p50 ?? 0) - floor)} / ${ms((s.latencyMs.p99 ?? 0) - floor)}`,
      ...cpus,
      status(x.ok, x.error),
    ]);
  });
  return [
    '### history: pages of 50 over one room, one client, one request at a time',
    '',
    'Sequential requests on one keep-alive connection. "Server time" is the service\'s own `Server-Timing: total` of each request (request head parsed → response head written, the JSON body already serialized); the target is read against it. Client latency ≈ server time + one loopback round trip; the `/health` row is that round trip (the floor), and "client − floor" subtracts its p50. CPU columns cover all three series.',
    '',
    table(['target', 'messages', 'query', 'requests', 'p50', 'p95', 'p99', 'max (ms)', 'server time p50 / p95 / p99 / max', 'client − floor p50 / p99', 'server CPU', 'loadgen CPU', 'status'], lines),
  ].join('\n');
}

function chatListSection(r: RunRecord): string | null {
  const rows = r.results.chatlist;
  if (!rows?.length) return null;
  const lines = rows.flatMap((x) => {
    const size = `${num(x.rooms)} × ${num(x.messagesPerRoom)} (${num(x.unread)} unread)`;
    const seed = x.seedMs == null ? dash : num(x.seedMs / 1000, 1);
    const cpus = [x.serverCpu ? `${num(x.serverCpu.pct)}%` : dash, x.loadgenCpu ? `${num(x.loadgenCpu.pct)}%` : dash];
    if (!x.series) return [[x.target, size, seed, dash, dash, dash, dash, dash, dash, dash, ...cpus, status(x.ok, x.error)]];
    return x.series.map((s) => [
      x.target, size, seed, s.name, num(s.requests), ms(s.latencyMs.p50), ms(s.latencyMs.p95), ms(s.latencyMs.p99), ms(s.latencyMs.max),
      s.serverMs ? `${ms(s.serverMs.p50)} / ${ms(s.serverMs.p95)} / ${ms(s.serverMs.p99)} / ${ms(s.serverMs.max)}` : dash,
      ...cpus,
      status(x.ok, x.error),
    ]);
  });
  return [
    '### chatlist: `rooms { lastMessage { body } unreadCount lastActivityAt }`, one client, one request at a time',
    '',
    'One user in R rooms of N messages each, written by two other members, the user\'s read marker U messages before the end of each room: users, rooms and memberships made through the service, messages and markers inserted with SQL as sends would leave them (seeding not measured). Every answer is checked: R rooms, each `unreadCount` = U, a `lastMessage`, ordered by `lastActivityAt`. Server time as in history (`Server-Timing: total`); the `/health` row is the loopback floor.',
    '',
    table(['target', 'rooms × messages', 'seed (s)', 'query', 'requests', 'p50', 'p95', 'p99', 'max (ms)', 'server time p50 / p95 / p99 / max', 'server CPU', 'loadgen CPU', 'status'], lines),
  ].join('\n');
}

function markReadSection(r: RunRecord): string | null {
  const rows = r.results.markread;
  if (!rows?.length) return null;
  const o = optionsFor(r, 'markread');
  return [
    `### markread: \`markRead(messageId)\` over HTTP, keep-alive, concurrency ${o.concurrency}, ${o.durationS} s`,
    '',
    `${num(o.markReadMessages)} messages per room by user 0 inserted with SQL (as sends would leave them); request k is by pair k mod P of (user ≠ 0, room) and marks that room's ⌊k / P⌋-th seeded message, so each pair marks its messages in increasing order and every request moves a marker (checked: the answer's \`lastRead\` is the message; anything else is an error). After a 2 s warm-up that is not reported.`,
    '',
    table(
      ['target', 'pairs', 'markRead/s', 'p50', 'p95', 'p99', 'max (ms)', 'requests', 'errors', 'server CPU', 'loadgen CPU', 'status'],
      rows.map((x) => [
        x.target, num(x.pairs), num(x.perSec), ms(x.latencyMs?.p50), ms(x.latencyMs?.p95), ms(x.latencyMs?.p99), ms(x.latencyMs?.max),
        num(x.requests), num(x.errors), cpuAndWait(x.serverCpu), x.loadgenCpu ? `${num(x.loadgenCpu.pct)}%` : dash,
        status(x.ok, x.error),
      ]),
    ),
  ].join('\n');
}

function firstScreenSection(r: RunRecord): string | null {
  const rows = r.results['first-screen'];
  if (!rows?.length) return null;
  const kb = (bytes: number | null) => (bytes == null ? dash : `${num(bytes / 1024, 1)} KB`);
  const lines = rows.flatMap((x) =>
    (['sign-in form', 'chat list (signed in)'] as const).map((screen, i) => {
      const s = i === 0 ? x.signInMs : x.chatListMs;
      const over = s?.max == null ? dash : `${num(Math.round(((s.p95 ?? 0) / 1000) * 100))}% (p95)`;
      return [x.target, screen, num(s?.count ?? null), ms(s?.p50), ms(s?.p95), ms(s?.max), over, i === 0 ? `${kb(x.jsGzipBytes)} in ${num(x.jsFiles)} file(s)` : dash, status(x.ok, x.error)];
    }),
  );
  const o = optionsFor(r, 'first-screen');
  return [
    `### first-screen: the web app's first screen in chromium, ${num(o.firstScreenLoads)} loads of each screen, a new browser context per load`,
    '',
    "Navigation start → the screen's element laid out (`auth-username`, `chat-list`), read by a `requestAnimationFrame` probe injected before the app's scripts (test/browser/first-screen-probe.ts, shared with test/browser/figures.test.ts). Every load in a new context: empty HTTP cache and storage. Signed in: the session put in localStorage as the app keeps it, the user in 3 rooms; the list counts once its rows are there (`app-config.json` read, the rooms query answered over HTTP), and each load checks it shows them. One load of each screen first, not counted. JS = the sign-in screen's scripts, gzipped with zlib. Chromium (/usr/bin/chromium, headless) is not pinned; the service is. Budgets (issue 12): 1 s, 150 KB gzipped. No raw baseline: a browser page has no raw counterpart.",
    '',
    table(['target', 'screen', 'loads', 'p50', 'p95', 'max (ms)', 'of the 1 s budget', 'JS gzipped (budget 150 KB)', 'status'], lines),
  ].join('\n');
}

/**
 * How much CPU the hypervisor took over this run's own measured windows (carried-over
 * tables say so in their own run): the worst window, where it was, and the median.
 */
function stolenLine(r: RunRecord): string[] {
  const windows: { scenario: string; pct: number }[] = [];
  const collect = (scenario: string, value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    const pct = (value as { stealPct?: unknown }).stealPct;
    if (typeof pct === 'number' && Number.isFinite(pct)) windows.push({ scenario, pct });
    for (const child of Object.values(value)) collect(scenario, child);
  };
  for (const [scenario, rows] of Object.entries(r.results)) if (!r.carriedOver?.[scenario as keyof RunRecord['results']]) collect(scenario, rows);
  if (windows.length === 0) return [];
  const sorted = windows.map((w) => w.pct).sort((a, b) => a - b);
  const worst = windows.reduce((a, b) => (b.pct > a.pct ? b : a));
  return [
    `Stolen: the hypervisor took ${num(sorted[Math.floor(sorted.length / 2)], 1)}% of the machine's CPU in the median measured window, ${num(worst.pct, 1)}% in the worst (${worst.scenario}); a window with much stolen measures the host, not the service (see "What limits their accuracy").`,
  ];
}

/** The Markdown report of one run: machine, command, then one table per scenario. */
export function markdown(r: RunRecord): string {
  const m = r.machine;
  const head = [
    `Run ${r.startedAt} → ${r.finishedAt}`,
    '',
    `Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGb} GB, Linux ${m.kernel}, node ${m.node}, ulimit -n ${m.ulimitN}, load average at start ${m.loadAverage}.`,
    `Command: \`${r.command}\``,
    `Pinning: ${r.pinning}`,
    ...stolenLine(r),
    ...r.notes.map((n) => `Note: ${n}`),
  ].join('\n');
  const sections = [summary(r), connectSection(r), fanoutSection(r), stormSection(r), sendSection(r), mutateSection(r, 'edit'), mutateSection(r, 'react'), historySection(r), chatListSection(r), markReadSection(r), soakSection(r), firstScreenSection(r)].filter((s): s is string => s !== null);
  return [head, ...sections].join('\n\n') + '\n';
}
