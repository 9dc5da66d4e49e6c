import type { StormResult } from '../loadgen/storm';
import { cpuWindow, type ServerCpu } from '../proc-stats';
import type { Target } from '../targets';
import { benchUsers, errorText, targetSpecs, type RunContext, type TargetSpec } from './context';

export interface StormScenarioResult extends Partial<StormResult> {
  target: string;
  /** 1 … --storm-rounds (older records: absent, one round). */
  round?: number;
  rooms: number;
  subs: number;
  msgsPerSecPerRoom: number;
  ok: boolean;
  error: string | null;
  serverCpu: ServerCpu | null;
}

/** Phase numbers of the storm, apart from the fanout's. */
let nextPhase = 1000;

/**
 * The reconnect storm: R rooms × S subscribers of `messageAdded(roomId, after)`, each room
 * receiving `--storm-rate` messages/s; half the subscribers are dropped at once and
 * reconnect with their last cursor. On the raw baseline (no resume) it measures the
 * reconnect alone and the kept subscribers' latency beside it.
 */
export async function runStorm(ctx: RunContext): Promise<StormScenarioResult[]> {
  const results: StormScenarioResult[] = [];
  // One storm is a draw on a shared machine (all caught up 2.0 s and 3.4 s in two runs of the
  // same code on 2026-12-03): rounds alternate raw and service, and the targets read medians.
  for (let round = 1; round <= ctx.options.stormRounds; round++) {
    for (const spec of targetSpecs(ctx, true)) {
      ctx.log(`storm round ${round} of ${ctx.options.stormRounds}: ${spec.label}, ${ctx.options.rooms} rooms × ${ctx.options.subs} subscribers, ${ctx.options.stormRate} messages/s per room`);
      const result = { ...(await stormOn(ctx, spec)), round };
      ctx.log(
        result.ok || result.reconnectMs != null
          ? `  reconnect ${result.reconnectMs} ms, all caught up ${result.allCaughtUpMs ?? '–'} ms, catch-up p99 ${result.catchUpMs?.p99 ?? '–'} ms, kept p99 during ${result.keptLatencyMs?.storm.p99} ms, lost ${result.lost}, dup ${result.duplicates}${result.error ? ` (${result.error})` : ''}`
          : `  failed: ${result.error}`,
      );
      results.push(result);
    }
  }
  return results;
}

async function stormOn(ctx: RunContext, spec: TargetSpec): Promise<StormScenarioResult> {
  const { options } = ctx;
  const result: StormScenarioResult = {
    target: spec.label, rooms: options.rooms, subs: options.subs, msgsPerSecPerRoom: options.stormRate, ok: false, error: null, serverCpu: null,
  };
  let target: Target | null = null;
  try {
    target = await spec.start();
    const fixture = { ...spec.fixture, rooms: spec.fixture.rooms.slice(0, options.rooms) };
    const n = options.rooms * options.subs;
    const opened = await ctx.loadgen.command<{ opened: number; live: number; failure: string | null }>(
      'open',
      {
        target: target.kind, url: target.wsUrl, n, publishers: options.rooms, users: benchUsers(fixture), rooms: fixture.rooms,
        concurrency: 100, timeoutMs: options.scenarioBudgetS * 1000, probeTimeoutMs: 15_000, bodyBytes: options.bodyBytes,
        resumable: target.kind === 'service',
      },
      options.scenarioBudgetS * 1000 + 30_000,
    );
    if (opened.live !== n) throw new Error(`${opened.live} of ${n} subscriptions live (${opened.opened} sockets opened${opened.failure ? `: ${opened.failure}` : ''})`);
    const cpu = cpuWindow(target.pid);
    const args = {
      phase: nextPhase++,
      msgsPerSecPerRoom: options.stormRate,
      warmupMs: options.stormWarmupS * 1000,
      afterDropMs: options.durationS * 1000,
      reconnectConcurrency: options.connectConcurrency,
      resume: target.kind === 'service',
      drainMs: options.drainS * 1000,
      bodyBytes: options.bodyBytes,
      serverPid: target.pid,
    };
    const storm = await ctx.loadgen.command<StormResult>('storm', args, args.warmupMs + args.afterDropMs + args.drainMs + 30_000);
    result.serverCpu = cpu.stop();
    Object.assign(result, storm);
    result.error = problems(storm, args.resume);
    result.ok = result.error === null;
  } catch (err) {
    result.error = errorText(err);
  } finally {
    await ctx.loadgen.command('close', {}, 60_000).catch(() => undefined);
    await target?.stop();
  }
  return result;
}

/** What went wrong in a storm, or null; targets are judged in the report, not here. */
function problems(s: StormResult, resume: boolean): string | null {
  const found: string[] = [];
  if (s.reconnected !== s.dropped) found.push(`${s.dropped - s.reconnected} of ${s.dropped} did not reconnect${s.reconnectFailure ? ` (${s.reconnectFailure})` : ''}`);
  if (resume && s.caughtUp !== s.dropped) found.push(`${s.dropped - s.caughtUp} never caught up`);
  if (s.lost !== 0) found.push(`${s.lost} lost`);
  if (s.duplicates !== 0) found.push(`${s.duplicates} duplicated`);
  if (s.outOfOrder !== 0) found.push(`${s.outOfOrder} out of cursor order`);
  if (s.badCursors !== 0) found.push(`${s.badCursors} bad cursors`);
  if (s.errors.subscriptionErrors !== 0) found.push(`${s.errors.subscriptionErrors} subscription errors`);
  if (s.errors.sendErrors !== 0) found.push(`${s.errors.sendErrors} send errors`);
  if (s.errors.unexpectedCloses !== 0) found.push(`${s.errors.unexpectedCloses} closed by the server (last ${s.errors.lastCloseCode})`);
  return found.length ? found.join('; ') : null;
}
