import { cpuWindow, memory, memoryAfterGc, openFds, type ServerCpu } from '../proc-stats';
import type { CpuFigure } from '../stats';
import type { Target } from '../targets';
import { benchUsers, Budget, errorText, fileLimit, sleep, targetSpecs, type RunContext, type TargetSpec } from './context';

export interface ConnectResult {
  target: string;
  requested: number;
  /** Connections asked of the load generator: `requested`, unless an open-file limit allowed fewer. */
  n: number;
  cappedBy: string | null;
  /** Sockets acknowledged, and subscriptions seen live (received a probe). */
  opened: number | null;
  live: number | null;
  ok: boolean;
  error: string | null;
  /** Until every handshake was acknowledged and every subscribe frame sent. */
  connectMs: number | null;
  /** Until every subscription had received a probe message (graphql-ws has no "subscribed" ack). */
  subscribedMs: number | null;
  /** RSS as it is, before and after, and the difference per opened socket. */
  rssBeforeKb: number | null;
  rssAfterKb: number | null;
  kbPerConnection: number | null;
  /** The same right after a forced full GC (bench/gc-on-signal.cjs): retained memory only. */
  gcRssBeforeKb: number | null;
  gcRssAfterKb: number | null;
  kbPerConnectionAfterGc: number | null;
  serverFds: number | null;
  serverCpu: ServerCpu | null;
  loadgenCpu: CpuFigure | null;
  frameBytes: number | null;
}

interface OpenReply {
  opened: number;
  failure: string | null;
  connectMs: number;
  subscribedMs: number;
  live: number;
  frameBytes: number;
  loadgenCpu: CpuFigure;
  errors: Record<string, unknown>;
}

/** Publisher sockets used to probe the subscriptions. */
const publishers = 1;

/** N authenticated sockets with one messageAdded(roomId) each, per size and target, each on a fresh server. */
export async function runConnect(ctx: RunContext): Promise<ConnectResult[]> {
  const results: ConnectResult[] = [];
  for (const requested of ctx.options.connections) {
    for (const spec of targetSpecs(ctx, true)) {
      ctx.log(`connect: ${spec.label}, ${requested} connections`);
      const r = await connectOnce(ctx, spec, requested);
      ctx.log(`  ${r.live ?? 0} of ${r.n} subscribed in ${r.subscribedMs} ms; KB/connection ${r.kbPerConnection} (after GC ${r.kbPerConnectionAfterGc})${r.ok ? '' : `; ${r.error}`}`);
      results.push(r);
    }
  }
  return results;
}

async function connectOnce(ctx: RunContext, spec: TargetSpec, requested: number): Promise<ConnectResult> {
  const budget = new Budget(ctx.options.scenarioBudgetS);
  const result: ConnectResult = {
    target: spec.label, requested, n: requested, cappedBy: null, opened: null, live: null, ok: false, error: null,
    connectMs: null, subscribedMs: null, rssBeforeKb: null, rssAfterKb: null, kbPerConnection: null, gcRssBeforeKb: null,
    gcRssAfterKb: null, kbPerConnectionAfterGc: null, serverFds: null, serverCpu: null, loadgenCpu: null, frameBytes: null,
  };
  let target: Target | null = null;
  try {
    target = await spec.start();
    capToFileLimits(ctx, target, result);
    // Warm-up: the first subscriptions load code and fill caches; that is not per-connection memory.
    await open(ctx, spec, target, 20, budget);
    await ctx.loadgen.command('close', {}, 30_000);
    await sleep(1000);
    const before = memory(target.pid);
    const gcBefore = await memoryAfterGc(target.pid);
    const cpu = cpuWindow(target.pid);
    const reply = await open(ctx, spec, target, result.n, budget);
    const serverCpu = cpu.stop();
    // Let the last writes and allocations settle before reading RSS.
    await sleep(1000);
    const after = memory(target.pid);
    const gcAfter = await memoryAfterGc(target.pid);
    const perSocket = (a: number, b: number) => (reply.opened > 0 ? Math.round(((a - b) / reply.opened) * 100) / 100 : null);
    const complete = reply.opened === result.n && reply.live === result.n;
    Object.assign(result, {
      opened: reply.opened,
      live: reply.live,
      ok: complete,
      error: complete ? null : `${reply.opened} opened, ${reply.live} live of ${result.n}${reply.failure ? `: ${reply.failure}` : ''} ${JSON.stringify(reply.errors)}`,
      connectMs: reply.connectMs,
      subscribedMs: reply.subscribedMs,
      rssBeforeKb: before.rssKb,
      rssAfterKb: after.rssKb,
      kbPerConnection: perSocket(after.rssKb, before.rssKb),
      gcRssBeforeKb: gcBefore.rssKb,
      gcRssAfterKb: gcAfter.rssKb,
      kbPerConnectionAfterGc: perSocket(gcAfter.rssKb, gcBefore.rssKb),
      serverFds: openFds(target.pid),
      serverCpu,
      loadgenCpu: reply.loadgenCpu,
      frameBytes: reply.frameBytes,
    });
  } catch (err) {
    result.error = errorText(err);
  } finally {
    await ctx.loadgen.command('close', {}, 60_000).catch(() => undefined);
    await target?.stop();
  }
  return result;
}

/** Opens within what is left of the budget: most of it for the handshakes, the rest for the probe. */
function open(ctx: RunContext, spec: TargetSpec, target: Target, n: number, budget: Budget): Promise<OpenReply> {
  const left = budget.leftMs() - 4000;
  if (left < 5000) throw new Error('scenario time budget exhausted');
  return ctx.loadgen.command<OpenReply>(
    'open',
    {
      target: target.kind,
      url: target.wsUrl,
      n,
      publishers,
      users: benchUsers(spec.fixture),
      rooms: spec.fixture.rooms,
      concurrency: ctx.options.connectConcurrency,
      timeoutMs: Math.round(left * 0.75),
      probeTimeoutMs: Math.round(left * 0.2),
      bodyBytes: ctx.options.bodyBytes,
    },
    left + 10_000,
  );
}

/** Each side of a loopback connection holds one descriptor in its own process; leave room for what they already hold. */
function capToFileLimits(ctx: RunContext, target: Target, result: ConnectResult): void {
  const margin = 10 + publishers;
  const server = fileLimit(target.pid) - openFds(target.pid) - margin;
  const loadgen = fileLimit(ctx.loadgen.pid) - openFds(ctx.loadgen.pid) - margin;
  if (server < result.n && server <= loadgen) Object.assign(result, { n: server, cappedBy: `server open-file limit ${fileLimit(target.pid)}` });
  else if (loadgen < result.n) Object.assign(result, { n: loadgen, cappedBy: `load generator open-file limit ${fileLimit(ctx.loadgen.pid)}` });
}
