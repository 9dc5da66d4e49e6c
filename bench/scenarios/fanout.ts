import { messagesInFlightPerRoom } from '../args';
import type { PhaseResult } from '../loadgen/phases';
import { subscriptionQuery } from '../protocol';
import { cpuWindow, memory, type ServerCpu } from '../proc-stats';
import type { Target } from '../targets';
import { benchUsers, Budget, errorText, sleep, targetSpecs, type RunContext, type TargetSpec } from './context';

export interface FanoutResult extends Partial<PhaseResult> {
  target: string;
  rooms: number;
  subs: number;
  offered: number | 'max';
  ok: boolean;
  /** Why the phase has no figures (failed, or skipped to stay within the time budget). */
  error: string | null;
  serverCpu: ServerCpu | null;
  /** Server CPU per delivered message. */
  serverUsPerDelivery: number | null;
  serverRssKb: number | null;
  /** The subscription document the subscribers held (bench/protocol.ts), so a run says what it measured. */
  document?: string;
  /** A "max" phase taken again after the rates (--max-pairs): its pair, from 2; absent for the first. */
  pair?: number;
}

/** Phase numbers are unique across the run so that late deliveries are never miscounted. */
let nextPhase = 1;

/** R rooms × S subscribers; publishers send over the WebSocket at each offered rate, then at maximum. */
export async function runFanout(ctx: RunContext): Promise<FanoutResult[]> {
  const results: FanoutResult[] = [];
  const specs = targetSpecs(ctx, true);
  for (const spec of specs) {
    ctx.log(`fanout: ${spec.label}, ${ctx.options.rooms} rooms × ${ctx.options.subs} subscribers`);
    results.push(...(await fanoutOn(ctx, spec)));
  }
  results.push(...(await repeatedMax(ctx, specs)));
  return results;
}

/**
 * The "max" phase again, `maxPairs - 1` more times, each target in turn on a fresh server
 * with fresh sockets: on a shared virtual machine one max phase against raw's a minute
 * later gave anything from 0.69 to 0.99 × raw for the same code (2026-12-03), the host's
 * load moving between the two. Pairs taken back to back, alternating, and their median,
 * say what the code does; every pair is reported.
 */
async function repeatedMax(ctx: RunContext, specs: TargetSpec[]): Promise<FanoutResult[]> {
  const rows: FanoutResult[] = [];
  const pairs = specs.length > 1 && ctx.options.rates.includes(null) ? ctx.options.maxPairs : 1;
  for (let pair = 2; pair <= pairs; pair++) {
    for (const spec of specs) {
      ctx.log(`fanout max, pair ${pair} of ${pairs}: ${spec.label}`);
      const row = emptyRow(ctx, spec, 'max');
      row.pair = pair;
      rows.push(row);
      await withSubscribers(ctx, spec, [row], async (target, budget) => {
        // The first pair's "max" comes after the rates' phases, which ran the per-message
        // code (sendMessage, the commit, the bus) hundreds of times; at the warm-up's few
        // messages V8 was still optimizing it through the measured phase (about 80
        // functions, compiled by its helper threads on the server's core). Two seconds at
        // max, not reported, bring a fresh server to where the first pair's was.
        await phase(ctx, null, Math.min(2000, ctx.options.durationS * 1000));
        await sleep(300);
        await measure(ctx, target, budget, row);
      });
    }
  }
  return rows;
}

async function fanoutOn(ctx: RunContext, spec: TargetSpec): Promise<FanoutResult[]> {
  const { options } = ctx;
  const rows = options.rates.map((rate) => emptyRow(ctx, spec, rate ?? 'max'));
  await withSubscribers(ctx, spec, rows, async (target, budget) => {
    for (const row of rows) {
      if (budget.leftMs() < options.durationS * 1000 + 4000) {
        row.error = `skipped: the ${options.scenarioBudgetS} s scenario budget is spent`;
        continue;
      }
      await measure(ctx, target, budget, row);
    }
  });
  return rows;
}

function emptyRow(ctx: RunContext, spec: TargetSpec, offered: number | 'max'): FanoutResult {
  const { options } = ctx;
  return {
    target: spec.label, rooms: options.rooms, subs: options.subs, offered, ok: false, error: 'not run',
    serverCpu: null, serverUsPerDelivery: null, serverRssKb: null, document: subscriptionQuery,
  };
}

/**
 * Starts the target, opens R × S subscriptions on it, warms up, runs `work`, and closes
 * everything; a failure is written into every row `work` did not finish.
 */
async function withSubscribers(
  ctx: RunContext,
  spec: TargetSpec,
  rows: FanoutResult[],
  work: (target: Target, budget: Budget) => Promise<void>,
): Promise<void> {
  const { options } = ctx;
  let target: Target | null = null;
  try {
    target = await spec.start();
    const fixture = { ...spec.fixture, rooms: spec.fixture.rooms.slice(0, options.rooms) };
    const opened = await ctx.loadgen.command<{ opened: number; live: number; failure: string | null }>(
      'open',
      {
        target: target.kind, url: target.wsUrl, n: options.rooms * options.subs, publishers: options.rooms,
        users: benchUsers(fixture), rooms: fixture.rooms, concurrency: 100,
        timeoutMs: options.scenarioBudgetS * 1000, probeTimeoutMs: 15_000, bodyBytes: options.bodyBytes,
      },
      options.scenarioBudgetS * 1000 + 30_000,
    );
    const n = options.rooms * options.subs;
    if (opened.live !== n) throw new Error(`${opened.live} of ${n} subscriptions live (${opened.opened} sockets opened${opened.failure ? `: ${opened.failure}` : ''})`);
    // Opening the sockets is set-up, bounded on its own; the phases share the scenario budget.
    const budget = new Budget(options.scenarioBudgetS);
    // Warm-up at the lowest offered rate (JIT, caches); not reported.
    await phase(ctx, options.rates.find((r) => r !== null) ?? 1000, Math.min(1500, options.durationS * 1000));
    await work(target, budget);
  } catch (err) {
    const error = errorText(err);
    for (const row of rows) if (row.error === 'not run') row.error = error;
    ctx.log(`  failed: ${error}`);
  } finally {
    await ctx.loadgen.command('close', {}, 60_000).catch(() => undefined);
    await target?.stop();
  }
}

/** One phase at the row's offered rate, its figures written into the row. */
async function measure(ctx: RunContext, target: Target, budget: Budget, row: FanoutResult): Promise<void> {
  const { options } = ctx;
  const cpu = cpuWindow(target.pid);
  const result = await phase(ctx, row.offered === 'max' ? null : row.offered, options.durationS * 1000, Math.min(options.drainS * 1000, budget.leftMs() - options.durationS * 1000));
  const serverCpu = cpu.stop();
  Object.assign(row, result, {
    ok: result.lost === 0 && result.errors.sendErrors === 0 && result.errors.subscriptionErrors === 0,
    error: result.lost === 0 ? null : `${result.lost} deliveries missing after the drain`,
    serverCpu,
    serverUsPerDelivery: result.received > 0 ? Math.round((serverCpu.cpuMs * 1000 * 100) / result.received) / 100 : null,
    serverRssKb: memory(target.pid).rssKb,
  });
  ctx.log(`  offered ${row.offered}: delivered ${result.deliveredPerSec}/s, p99 ${result.latencyMs.p99} ms, lost ${result.lost}, server CPU ${serverCpu.pct}%`);
  // Let a backlog from an overloaded phase drain out of the server before the next one.
  await sleep(300);
}

function phase(ctx: RunContext, rate: number | null, durationMs: number, drainMs = 3000): Promise<PhaseResult> {
  const { options } = ctx;
  return ctx.loadgen.command<PhaseResult>(
    'phase',
    { phase: nextPhase++, rate, durationMs, drainMs: Math.max(1000, drainMs), bodyBytes: options.bodyBytes, window: messagesInFlightPerRoom(options) },
    durationMs + drainMs + 15_000,
  );
}

