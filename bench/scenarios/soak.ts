import { readFileSync } from 'node:fs';
import type { SoakResult } from '../loadgen/soak';
import { cpuWindow, memory, memoryAfterGc, openFds, type ServerCpu } from '../proc-stats';
import { round } from '../stats';
import type { Target } from '../targets';
import { benchUsers, errorText, sleep, targetSpecs, type RunContext, type TargetSpec } from './context';

/** One reading of the server under test. */
export interface SoakSample {
  /** Seconds since the soak's sending started. */
  atS: number;
  rssMb: number;
  fds: number;
  /** Read right after a forced full GC (every `gcEveryS`): retained memory, without the collector's sawtooth. */
  afterGc?: boolean;
  /** The live JS heap after that GC (process.memoryUsage().heapUsed, from bench/gc-on-signal.cjs). */
  heapMb?: number;
  /** Memory outside the JS heap that V8 knows of after that GC (`external`: Buffers, ArrayBuffers). */
  externalMb?: number;
  /** The JS heap V8 holds after that GC (heapTotal): above heapMb by the pages it keeps for reuse. */
  heapTotalMb?: number;
  /** Each V8 heap space after that GC: committed / used MB (which space keeps the pages). */
  spacesMb?: Record<string, { size: number; used: number }>;
}

export interface SoakScenarioResult extends Partial<SoakResult> {
  target: string;
  connections: number;
  rooms: number;
  msgsPerSec: number;
  churnPerSec: number;
  durationS: number;
  ok: boolean;
  error: string | null;
  /**
   * Least-squares slopes over the samples after the first minute (the whole run when
   * fewer than two): RSS read right after a full GC (what the process retains), RSS as it
   * is (with the collector's sawtooth of tens of MB), and open descriptors.
   */
  rssSlopeMbPerMin: number | null;
  /**
   * The slope of RSS after GC over the run's second half only: a leak keeps its slope there,
   * while the allocator filling its arenas early (steps of a few MB that stop) levels off.
   */
  rssSecondHalfSlopeMbPerMin?: number | null;
  rawRssSlopeMbPerMin?: number | null;
  /** The same for the live JS heap after GC: flat heap with rising RSS points at the allocator, not a JS leak. */
  heapSlopeMbPerMin?: number | null;
  /** And of `external` after GC: rising with a flat heap means Buffers kept alive by JS; flat too means the allocator's own keeping. */
  externalSlopeMbPerMin?: number | null;
  /** And of the heap V8 keeps committed (heapTotal): RSS rising with it, and not with heapUsed, is V8 keeping pages, not live objects. */
  heapTotalSlopeMbPerMin?: number | null;
  fdSlopePerMin: number | null;
  /** RSS after a full GC once the fleet is open, and again after the soak (the fleet still open). */
  rssAfterGcMb: { start: number; end: number } | null;
  samples: SoakSample[];
  serverCpu: ServerCpu | null;
}

/** Phase numbers of the soak, apart from the fanout's and the storm's. */
let nextPhase = 5000;
/** The first minute is the server settling (JIT, pools, buffers): slopes are taken after it. */
const settleS = 60;
/**
 * A forced full GC before one reading in this many seconds. Each one pauses the server
 * (up to ~0.7 s with 10,000 sockets on a shared 2-core machine), which shows in the kept
 * latency's p99 and max: the soak judges memory and losses, fanout judges latency.
 */
const gcEveryS = 30;

/**
 * The soak: `--soak-connections` subscribers of `messageAdded(roomId, after)` over
 * `--rooms` rooms, `--soak-rate` messages/s into the rooms, `--soak-churn` subscribers a
 * second dropped and reopened with their last cursor, for `--soak-duration` seconds.
 * Every `--soak-sample` seconds the server's RSS and open descriptors are read from
 * /proc (RSS after a forced full GC every 30 s); the report gives their slopes after the
 * first minute and what was lost.
 */
export async function runSoak(ctx: RunContext): Promise<SoakScenarioResult[]> {
  const results: SoakScenarioResult[] = [];
  for (const spec of targetSpecs(ctx, false)) {
    const o = ctx.options;
    ctx.log(`soak: ${spec.label}, ${o.soakConnections} connections over ${o.rooms} rooms, ${o.soakRate} messages/s, ${o.soakChurn} reconnects/s, ${o.soakDurationS} s`);
    const result = await soakOn(ctx, spec);
    ctx.log(
      result.error && result.sentMessages == null
        ? `  failed: ${result.error}`
        : `  RSS after GC ${result.rssSlopeMbPerMin} MB/min (as is ${result.rawRssSlopeMbPerMin}), JS heap after GC ${result.heapSlopeMbPerMin} MB/min (committed ${result.heapTotalSlopeMbPerMin}), external ${result.externalSlopeMbPerMin} MB/min, descriptors ${result.fdSlopePerMin}/min after the first minute; lost ${result.lostKept} kept + ${result.lostChurned} reconnected, dup ${result.duplicates}, ${result.reconnects} reconnects${result.error ? ` (${result.error})` : ''}`,
    );
    results.push(result);
  }
  return results;
}

async function soakOn(ctx: RunContext, spec: TargetSpec): Promise<SoakScenarioResult> {
  const o = ctx.options;
  const result: SoakScenarioResult = {
    target: spec.label, connections: o.soakConnections, rooms: o.rooms, msgsPerSec: o.soakRate, churnPerSec: o.soakChurn, durationS: o.soakDurationS,
    ok: false, error: null, rssSlopeMbPerMin: null, fdSlopePerMin: null, rssAfterGcMb: null, samples: [], serverCpu: null,
  };
  let target: Target | null = null;
  try {
    target = await spec.start();
    const fixture = { ...spec.fixture, rooms: spec.fixture.rooms.slice(0, o.rooms) };
    const n = o.soakConnections;
    const opened = await ctx.loadgen.command<{ opened: number; live: number; failure: string | null }>(
      'open',
      {
        target: target.kind, url: target.wsUrl, n, publishers: o.rooms, users: benchUsers(fixture), rooms: fixture.rooms,
        concurrency: o.connectConcurrency, timeoutMs: 120_000, probeTimeoutMs: 30_000, bodyBytes: o.bodyBytes, resumable: true,
      },
      180_000,
    );
    if (opened.live !== n) throw new Error(`${opened.live} of ${n} subscriptions live (${opened.opened} sockets opened${opened.failure ? `: ${opened.failure}` : ''})`);
    const gcStart = await memoryAfterGc(target.pid);
    const cpu = cpuWindow(target.pid);
    const args = {
      phase: nextPhase++, msgsPerSec: o.soakRate, durationMs: o.soakDurationS * 1000, churnPerSec: o.soakChurn,
      reconnectConcurrency: o.connectConcurrency, drainMs: o.drainS * 1000, bodyBytes: o.bodyBytes,
    };
    const sampling = sample(target, o.soakSampleS, result.samples);
    const soak = await ctx.loadgen.command<SoakResult>('soak', args, args.durationMs + args.drainMs + 120_000).finally(() => sampling.stop());
    result.serverCpu = cpu.stop();
    Object.assign(result, soak);
    const gcEnd = await memoryAfterGc(target.pid);
    result.rssAfterGcMb = { start: Math.round(gcStart.rssKb / 1024), end: Math.round(gcEnd.rssKb / 1024) };
    const settled = (samples: SoakSample[]) => (samples.filter((s) => s.atS >= settleS).length >= 2 ? samples.filter((s) => s.atS >= settleS) : samples);
    const all = settled(result.samples);
    result.rssSlopeMbPerMin = slopePerMin(settled(result.samples.filter((s) => s.afterGc)).map((s) => [s.atS, s.rssMb]));
    result.rssSecondHalfSlopeMbPerMin = secondHalfRssAfterGcSlope(result.samples);
    result.rawRssSlopeMbPerMin = slopePerMin(all.map((s) => [s.atS, s.rssMb]));
    result.heapSlopeMbPerMin = slopePerMin(settled(result.samples.filter((s) => s.heapMb !== undefined)).map((s) => [s.atS, s.heapMb!]));
    result.heapTotalSlopeMbPerMin = slopePerMin(settled(result.samples.filter((s) => s.heapTotalMb !== undefined)).map((s) => [s.atS, s.heapTotalMb!]));
    result.externalSlopeMbPerMin = slopePerMin(settled(result.samples.filter((s) => s.externalMb !== undefined)).map((s) => [s.atS, s.externalMb!]));
    result.fdSlopePerMin = slopePerMin(all.map((s) => [s.atS, s.fds]));
    result.error = problems(soak);
    result.ok = result.error === null;
  } catch (err) {
    result.error = errorText(err);
  } finally {
    await ctx.loadgen.command('close', {}, 60_000).catch(() => undefined);
    await target?.stop();
  }
  return result;
}

/** Reads RSS and descriptors every `everyS` seconds until stopped, after a full GC every `gcEveryS`. */
function sample(target: Target, everyS: number, into: SoakSample[]): { stop(): void } {
  const { pid } = target;
  const t0 = Date.now();
  let running = true;
  let nextGcAt = 0;
  void (async () => {
    while (running) {
      const atS = round((Date.now() - t0) / 1000, 1);
      const afterGc = atS >= nextGcAt;
      if (afterGc) nextGcAt += gcEveryS;
      const rssKb = afterGc ? (await memoryAfterGc(pid)).rssKb : memory(pid).rssKb;
      const usage = afterGc ? usageAfterGc(target) : undefined;
      into.push({ atS, rssMb: round(rssKb / 1024, 1), fds: openFds(pid), ...(afterGc && { afterGc }), ...(usage && { heapMb: mb(usage.heapUsed), heapTotalMb: mb(usage.heapTotal), externalMb: mb(usage.external), ...(usage.spaces && { spacesMb: spacesMb(usage.spaces) }) }) });
      await sleep(everyS * 1000);
    }
  })();
  return { stop: () => void (running = false) };
}

/** What the server reported of its memory after the GC just forced (memoryAfterGc waited for it). */
function usageAfterGc(target: Target): ReportedUsage | undefined {
  if (!target.heapReportFile) return undefined;
  try {
    return JSON.parse(readFileSync(target.heapReportFile, 'utf8')) as ReportedUsage;
  } catch {
    return undefined;
  }
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

/** What bench/gc-on-signal.cjs writes: process.memoryUsage() and V8's heap spaces in bytes. */
type ReportedUsage = NodeJS.MemoryUsage & { spaces?: Record<string, { size: number; used: number }> };

function spacesMb(spaces: NonNullable<ReportedUsage['spaces']>): Record<string, { size: number; used: number }> {
  return Object.fromEntries(Object.entries(spaces).map(([name, s]) => [name, { size: mb(s.size), used: mb(s.used) }]));
}

/** See `rssSecondHalfSlopeMbPerMin`. */
export function secondHalfRssAfterGcSlope(samples: SoakSample[]): number | null {
  const afterGc = samples.filter((s) => s.afterGc);
  const half = (afterGc[afterGc.length - 1]?.atS ?? 0) / 2;
  return slopePerMin(afterGc.filter((s) => s.atS >= half).map((s) => [s.atS, s.rssMb]));
}

/** Least-squares slope of y over x (seconds), per minute; null with fewer than two points. */
export function slopePerMin(points: [number, number][]): number | null {
  if (points.length < 2) return null;
  const mean = (k: 0 | 1) => points.reduce((sum, p) => sum + p[k], 0) / points.length;
  const [mx, my] = [mean(0), mean(1)];
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : round((num / den) * 60, 3);
}

/** What went wrong in a soak, or null; slopes are judged in the report, not here. */
function problems(s: SoakResult): string | null {
  const found: string[] = [];
  if (s.lostKept !== 0) found.push(`${s.lostKept} lost by subscribers never dropped`);
  if (s.lostChurned !== 0) found.push(`${s.lostChurned} lost by reconnected subscribers`);
  if (s.duplicates !== 0) found.push(`${s.duplicates} duplicated`);
  if (s.outOfOrder !== 0) found.push(`${s.outOfOrder} out of cursor order`);
  if (s.badCursors !== 0) found.push(`${s.badCursors} bad cursors`);
  if (s.reconnectFailures !== 0) found.push(`${s.reconnectFailures} reconnects failed (${s.reconnectFailure})`);
  if (s.errors.subscriptionErrors !== 0) found.push(`${s.errors.subscriptionErrors} subscription errors`);
  if (s.errors.sendErrors !== 0) found.push(`${s.errors.sendErrors} send errors`);
  if (s.errors.unexpectedCloses !== 0) found.push(`${s.errors.unexpectedCloses} closed by the server (last ${s.errors.lastCloseCode})`);
  return found.length ? found.join('; ') : null;
}
