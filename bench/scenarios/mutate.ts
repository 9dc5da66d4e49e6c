import { performance } from 'node:perf_hooks';
import type { SendResult } from '../loadgen/http-load';
import { sendMutation } from '../protocol';
import { cpuWindow } from '../proc-stats';
import { gql, pool } from '../setup';
import type { Target } from '../targets';
import { Budget, errorText, targetSpecs, type RunContext, type TargetSpec } from './context';
import type { SendScenarioResult } from './send';

export type MutateKind = 'edit' | 'react';

export interface MutateScenarioResult extends SendScenarioResult {
  kind: MutateKind;
  /** Messages seeded for the mutations, and how long seeding took (not measured). */
  messages: number;
  seedMs: number | null;
}

/** Few distinct emojis, one code point each (no variation selector): a message gets at most 20. */
const emojis = ['👍', '😂', '🎉', '🔥', '😮'];

/** editMessage or addReaction over HTTP at fixed concurrency, on each backend (nothing to compare on the raw baseline). */
export async function runMutate(ctx: RunContext, kind: MutateKind): Promise<MutateScenarioResult[]> {
  const results: MutateScenarioResult[] = [];
  for (const spec of targetSpecs(ctx, false)) {
    ctx.log(`${kind}: ${spec.label}, concurrency ${ctx.options.concurrency}, ${ctx.options.mutateMessages} messages`);
    const result = await mutateOn(ctx, spec, kind);
    ctx.log(`  ${result.ok ? `${result.perSec}/s, p99 ${result.latencyMs?.p99} ms` : `failed: ${result.error}`}`);
    results.push(result);
  }
  return results;
}

async function mutateOn(ctx: RunContext, spec: TargetSpec, kind: MutateKind): Promise<MutateScenarioResult> {
  const { options } = ctx;
  const budget = new Budget(options.scenarioBudgetS);
  const result: MutateScenarioResult = { target: spec.label, kind, ok: false, error: null, serverCpu: null, messages: options.mutateMessages, seedMs: null };
  let target: Target | null = null;
  try {
    target = await spec.start();
    const seedStarted = performance.now();
    const messages = await seed(target.apiUrl!, spec, options.mutateMessages);
    result.seedMs = Math.round(performance.now() - seedStarted);
    const args = {
      apiUrl: target.apiUrl,
      kind,
      tokens: spec.fixture.users.map((u) => u.token),
      messages,
      emojis,
      concurrency: options.concurrency,
    };
    // Warm-up (JIT, pool connections, statement caches); not reported. The measured run
    // numbers its requests after the warm-up's, so it changes what the warm-up did not.
    const warm = await ctx.loadgen.command<SendResult>('mutate', { ...args, durationMs: 2000, offset: 0 }, 30_000);
    const durationMs = Math.min(options.durationS * 1000, budget.leftMs() - 5000);
    if (durationMs < 1000) throw new Error('scenario time budget exhausted');
    const cpu = cpuWindow(target.pid);
    const done = await ctx.loadgen.command<SendResult>('mutate', { ...args, durationMs, offset: warm.requests }, durationMs + 30_000);
    Object.assign(result, done, { ok: done.errors === 0, error: done.firstError, serverCpu: cpu.stop() });
  } catch (err) {
    result.error = errorText(err);
  } finally {
    await target?.stop();
  }
  return result;
}

/** Message j is sent by user j mod U into room j mod R, so edits (author only) and reactions spread over every room. */
async function seed(apiUrl: string, spec: TargetSpec, count: number): Promise<{ id: string; author: number }[]> {
  const { users, rooms } = spec.fixture;
  return pool(Array.from({ length: count }, (_, j) => j), 16, async (j) => {
    const author = j % users.length;
    const data = await gql<{ sendMessage: { id: string } }>(apiUrl, sendMutation, { roomId: rooms[j % rooms.length], body: `bench seed ${j}` }, users[author]!.token);
    return { id: data.sendMessage.id, author };
  });
}
