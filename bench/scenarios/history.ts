import { performance } from 'node:perf_hooks';
import { createBackend, historySql, type Backend, type BackendKind } from '../db';
import { bounded } from '../loadgen-client';
import type { HistoryResult } from '../loadgen/http-load';
import { rawIdOf } from '../protocol';
import { cpuWindow, type ServerCpu } from '../proc-stats';
import { createFixture } from '../setup';
import { startService, type Target } from '../targets';
import { Budget, errorText, type RunContext } from './context';

export interface HistoryScenarioResult extends Partial<HistoryResult> {
  target: string;
  messages: number;
  seedMs: number | null;
  ok: boolean;
  error: string | null;
  serverCpu: ServerCpu | null;
}

/** `messages(roomId, last: 50)` pages over a room of N messages, on a fresh database per backend. */
export async function runHistory(ctx: RunContext): Promise<HistoryScenarioResult[]> {
  const results: HistoryScenarioResult[] = [];
  for (const kind of ctx.options.backends) {
    const result = await historyOn(ctx, kind);
    const last = result.series?.find((s) => s.name === 'messages(last: 50)');
    const figures = `last:50 client p50 ${last?.latencyMs.p50} ms, p99 ${last?.latencyMs.p99} ms; server p50 ${last?.serverMs?.p50} ms, p99 ${last?.serverMs?.p99} ms`;
    ctx.log(`  ${result.ok ? figures : `failed: ${result.error}`}`);
    results.push(result);
  }
  return results;
}

async function historyOn(ctx: RunContext, kind: BackendKind): Promise<HistoryScenarioResult> {
  const { options } = ctx;
  const result: HistoryScenarioResult = { target: `service/${kind}`, messages: options.historyMessages, seedMs: null, ok: false, error: null, serverCpu: null };
  let backend: Backend | null = null;
  let target: Target | null = null;
  try {
    backend = await createBackend(kind);
    result.target = `service/${backend.name}`;
    ctx.log(`history: ${result.target}, ${options.historyMessages} messages`);
    // Schema, two authors and the room through the service; then the messages straight into the tables.
    target = await startService(backend, ctx.jwtSecret);
    const fixture = await createFixture(target.apiUrl!, 2, 1);
    await target.stop();
    target = null;
    const seedStarted = performance.now();
    const sql = historySql(rawIdOf(fixture.rooms[0]!), fixture.users.map((u) => u.rawId), options.historyMessages);
    await bounded(backend.sql(sql), 180_000, 'the history seed');
    result.seedMs = Math.round(performance.now() - seedStarted);
    const budget = new Budget(options.scenarioBudgetS);
    target = await startService(backend, ctx.jwtSecret);
    const cpu = cpuWindow(target.pid);
    const maxMs = Math.max(1000, Math.floor((budget.leftMs() - 5000) / 3));
    const reply = await ctx.loadgen.command<HistoryResult>(
      'history',
      { apiUrl: target.apiUrl, token: fixture.users[0]!.token, roomId: fixture.rooms[0], lastSeq: options.historyMessages, count: options.historyRequests, maxMs },
      maxMs * 3 + 30_000,
    );
    const errors = reply.series.reduce((sum, s) => sum + s.errors, 0);
    Object.assign(result, reply, { ok: errors === 0, error: reply.series.find((s) => s.firstError)?.firstError ?? null, serverCpu: cpu.stop() });
  } catch (err) {
    result.error = errorText(err);
  } finally {
    await target?.stop();
    await backend?.cleanup().catch((err) => ctx.log(`  cleanup failed: ${errorText(err)}`));
  }
  return result;
}
