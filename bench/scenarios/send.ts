import type { SendResult } from '../loadgen/http-load';
import { cpuWindow, type ServerCpu } from '../proc-stats';
import type { Target } from '../targets';
import { Budget, errorText, targetSpecs, type RunContext, type TargetSpec } from './context';

export interface SendScenarioResult extends Partial<SendResult> {
  target: string;
  ok: boolean;
  error: string | null;
  serverCpu: ServerCpu | null;
}

/** sendMessage over HTTP at fixed concurrency, persisted on each backend (no baseline: there is nothing to store). */
export async function runSend(ctx: RunContext): Promise<SendScenarioResult[]> {
  const results: SendScenarioResult[] = [];
  for (const spec of targetSpecs(ctx, false)) {
    ctx.log(`send: ${spec.label}, concurrency ${ctx.options.concurrency}`);
    const result = await sendOn(ctx, spec);
    ctx.log(`  ${result.ok ? `${result.perSec}/s, p99 ${result.latencyMs?.p99} ms` : `failed: ${result.error}`}`);
    results.push(result);
  }
  return results;
}

async function sendOn(ctx: RunContext, spec: TargetSpec): Promise<SendScenarioResult> {
  const { options } = ctx;
  const budget = new Budget(options.scenarioBudgetS);
  const result: SendScenarioResult = { target: spec.label, ok: false, error: null, serverCpu: null };
  let target: Target | null = null;
  try {
    target = await spec.start();
    const args = {
      apiUrl: target.apiUrl,
      tokens: spec.fixture.users.map((u) => u.token),
      rooms: spec.fixture.rooms,
      concurrency: options.concurrency,
      bodyBytes: options.bodyBytes,
    };
    // Warm-up (JIT, pool connections, statement caches); not reported.
    await ctx.loadgen.command('send', { ...args, durationMs: 2000 }, 30_000);
    const durationMs = Math.min(options.durationS * 1000, budget.leftMs() - 5000);
    if (durationMs < 1000) throw new Error('scenario time budget exhausted');
    const cpu = cpuWindow(target.pid);
    const sent = await ctx.loadgen.command<SendResult>('send', { ...args, durationMs }, durationMs + 30_000);
    Object.assign(result, sent, { ok: sent.errors === 0, error: sent.firstError, serverCpu: cpu.stop() });
  } catch (err) {
    result.error = errorText(err);
  } finally {
    await target?.stop();
  }
  return result;
}
