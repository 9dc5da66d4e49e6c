import { performance } from 'node:perf_hooks';
import { chatListSql, createBackend, type Backend, type BackendKind } from '../db';
import { bounded } from '../loadgen-client';
import type { ChatListArgs, HistoryResult } from '../loadgen/http-load';
import { chatListSeries, rawIdOf } from '../protocol';
import { cpuWindow, type ServerCpu } from '../proc-stats';
import { createFixture } from '../setup';
import { startService, type Target } from '../targets';
import { Budget, errorText, type RunContext } from './context';

export interface ChatListScenarioResult extends Partial<HistoryResult> {
  target: string;
  rooms: number;
  messagesPerRoom: number;
  unread: number;
  seedMs: number | null;
  ok: boolean;
  error: string | null;
  serverCpu: ServerCpu | null;
}

/**
 * The chat list of a user in R rooms of N messages each, U unread in each, on a fresh
 * database per backend: one client, one request at a time, every answer checked.
 */
export async function runChatList(ctx: RunContext): Promise<ChatListScenarioResult[]> {
  const results: ChatListScenarioResult[] = [];
  for (const kind of ctx.options.backends) {
    const result = await chatListOn(ctx, kind);
    const s = result.series?.find((x) => x.name === chatListSeries);
    const figures = `client p50 ${s?.latencyMs.p50} ms, p99 ${s?.latencyMs.p99} ms; server p50 ${s?.serverMs?.p50} ms, p99 ${s?.serverMs?.p99} ms`;
    ctx.log(`  ${result.ok ? figures : `failed: ${result.error}`}`);
    results.push(result);
  }
  return results;
}

async function chatListOn(ctx: RunContext, kind: BackendKind): Promise<ChatListScenarioResult> {
  const { chatListRooms: rooms, chatListMessages: messagesPerRoom, chatListUnread: unread } = ctx.options;
  const result: ChatListScenarioResult = { target: `service/${kind}`, rooms, messagesPerRoom, unread, seedMs: null, ok: false, error: null, serverCpu: null };
  let backend: Backend | null = null;
  let target: Target | null = null;
  try {
    backend = await createBackend(kind);
    result.target = `service/${backend.name}`;
    ctx.log(`chatlist: ${result.target}, ${rooms} rooms × ${messagesPerRoom} messages, ${unread} unread in each`);
    // Users, rooms and memberships through the service (user 0 creates the rooms and reads;
    // users 1 and 2 join and write); then the messages and markers straight into the tables.
    target = await startService(backend, ctx.jwtSecret);
    const fixture = await createFixture(target.apiUrl!, 3, rooms);
    await target.stop();
    target = null;
    const [reader, ...authors] = fixture.users;
    const seedStarted = performance.now();
    const sql = chatListSql({ roomIds: fixture.rooms.map(rawIdOf), readerId: reader!.rawId, authorIds: authors.map((u) => u.rawId), messagesPerRoom, unread, now: new Date() });
    await bounded(backend.sql(sql), 600_000, 'the chat list seed');
    result.seedMs = Math.round(performance.now() - seedStarted);
    ctx.log(`  seeded ${rooms * messagesPerRoom} messages in ${(result.seedMs / 1000).toFixed(1)} s`);
    const budget = new Budget(ctx.options.scenarioBudgetS);
    target = await startService(backend, ctx.jwtSecret);
    const cpu = cpuWindow(target.pid);
    const maxMs = Math.max(1000, Math.floor((budget.leftMs() - 5000) / 2));
    const args: ChatListArgs = { apiUrl: target.apiUrl!, token: reader!.token, rooms, unread, count: ctx.options.chatListRequests, maxMs };
    const reply = await ctx.loadgen.command<HistoryResult>('chatlist', args, maxMs * 2 + 30_000);
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
