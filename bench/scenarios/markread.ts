import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { appendMessagesSql, seededMessageId, type Backend } from '../db';
import { bounded } from '../loadgen-client';
import type { MarkReadArgs, SendResult } from '../loadgen/http-load';
import { globalId, rawIdOf } from '../protocol';
import { cpuWindow } from '../proc-stats';
import type { Fixture } from '../setup';
import { startService, type Target } from '../targets';
import { Budget, errorText, type RunContext } from './context';
import type { SendScenarioResult } from './send';

export interface MarkReadScenarioResult extends SendScenarioResult {
  /** Messages seeded per room (by user 0) for the others to mark, and how long seeding took (not measured). */
  messagesPerRoom: number;
  /** (reader, room) pairs, each marking its room's messages in increasing order. */
  pairs: number;
  seedMs: number | null;
}

/** markRead over HTTP at fixed concurrency, on each service backend (the raw baseline has no markers). */
export async function runMarkRead(ctx: RunContext): Promise<MarkReadScenarioResult[]> {
  const results: MarkReadScenarioResult[] = [];
  for (const { backend, fixture } of ctx.prepared) {
    ctx.log(`markread: service/${backend.name}, concurrency ${ctx.options.concurrency}, ${ctx.options.markReadMessages} messages per room`);
    const result = await markReadOn(ctx, backend, fixture);
    ctx.log(`  ${result.ok ? `${result.perSec}/s, p50 ${result.latencyMs?.p50} ms, p99 ${result.latencyMs?.p99} ms` : `failed: ${result.error}`}`);
    results.push(result);
  }
  return results;
}

async function markReadOn(ctx: RunContext, backend: Backend, fixture: Fixture): Promise<MarkReadScenarioResult> {
  const { options } = ctx;
  const perRoom = options.markReadMessages;
  const readers = fixture.users.slice(1);
  const result: MarkReadScenarioResult = {
    target: `service/${backend.name}`, ok: false, error: null, serverCpu: null,
    messagesPerRoom: perRoom, pairs: readers.length * fixture.rooms.length, seedMs: null,
  };
  let target: Target | null = null;
  try {
    // With fewer pairs, one pair's requests overlap and a later one may land first (then the
    // earlier one rightly changes nothing, and the check cannot tell it from a marker not moved).
    if (result.pairs < 2 * options.concurrency) throw new Error(`markread needs at least 2 × concurrency (user, room) pairs besides user 0; ${result.pairs} with --users ${options.users} --rooms ${options.rooms}`);
    // User 0 wrote them (its markers at its newest, as sends leave them); every other member marks them.
    const tag = `b${randomBytes(4).toString('hex')}`;
    const roomIds = fixture.rooms.map(rawIdOf);
    const seedStarted = performance.now();
    await bounded(backend.sql(appendMessagesSql(tag, roomIds, fixture.users[0]!.rawId, perRoom, new Date())), 180_000, 'the markread seed');
    result.seedMs = Math.round(performance.now() - seedStarted);
    const messages = roomIds.map((room) => Array.from({ length: perRoom }, (_, i) => globalId('Message', seededMessageId(tag, room, i + 1))));
    const budget = new Budget(options.scenarioBudgetS);
    target = await startService(backend, ctx.jwtSecret);
    const args: Omit<MarkReadArgs, 'durationMs' | 'offset'> = { apiUrl: target.apiUrl!, tokens: readers.map((u) => u.token), messages, concurrency: options.concurrency };
    // Warm-up (JIT, pool connections, statement caches); not reported. The measured run
    // numbers its requests after the warm-up's, so every request still moves a marker.
    const warm = await ctx.loadgen.command<SendResult>('markread', { ...args, durationMs: 2000, offset: 0 }, 30_000);
    const durationMs = Math.min(options.durationS * 1000, budget.leftMs() - 5000);
    if (durationMs < 1000) throw new Error('scenario time budget exhausted');
    const cpu = cpuWindow(target.pid);
    const done = await ctx.loadgen.command<SendResult>('markread', { ...args, durationMs, offset: warm.requests }, durationMs + 30_000);
    Object.assign(result, done, { ok: done.errors === 0 && warm.errors === 0, error: done.firstError ?? warm.firstError, serverCpu: cpu.stop() });
  } catch (err) {
    result.error = errorText(err);
  } finally {
    await target?.stop();
  }
  return result;
}
