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
}

/** Phase numbers are unique across the run so that late deliveries are never miscounted. */
let nextPhase = 1;

/** R rooms × S subscribers; publishers send over the WebSocket at each offered rate, then at maximum. */
export async function runFanout(ctx: RunContext): Promise<FanoutResult[]> {
  const results: FanoutResult[] = [];
  for (const spec of targetSpecs(ctx, true)) {
    ctx.log(`fanout: ${spec.label}, ${ctx.options.rooms} rooms × ${ctx.options.subs} subscribers`);
    results.push(...(await fanoutOn(ctx, spec)));
  }
  return results;
}

async function fanoutOn(ctx: RunContext, spec: TargetSpec): Promise<FanoutResult[]> {
  const { options } = ctx;
  const rows: FanoutResult[] = options.rates.map((rate) => ({
    target: spec.label, rooms: options.rooms, subs: options.subs, offered: rate ?? 'max', ok: false, error: 'not run',
    serverCpu: null, serverUsPerDelivery: null, serverRssKb: null, document: subscriptionQuery,
  }));
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
    for (const row of rows) {
      const needMs = options.durationS * 1000 + 4000;
      if (budget.leftMs() < needMs) {
        row.error = `skipped: the ${options.scenarioBudgetS} s scenario budget is spent`;
        continue;
      }
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
  } catch (err) {
    const error = errorText(err);
    for (const row of rows) if (row.error === 'not run') row.error = error;
    ctx.log(`  failed: ${error}`);
  } finally {
    await ctx.loadgen.command('close', {}, 60_000).catch(() => undefined);
    await target?.stop();
  }
  return rows;
}

function phase(ctx: RunContext, rate: number | null, durationMs: number, drainMs = 3000): Promise<PhaseResult> {
  const { options } = ctx;
  return ctx.loadgen.command<PhaseResult>(
    'phase',
    { phase: nextPhase++, rate, durationMs, drainMs: Math.max(1000, drainMs), bodyBytes: options.bodyBytes, window: messagesInFlightPerRoom(options) },
    durationMs + drainMs + 15_000,
  );
}

