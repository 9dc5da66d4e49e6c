import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bounded } from './loadgen-client';
import { compiled } from './build';
import { cpuProfilePreload, findEntryProcess, root, startEntry, stopGroup, type Started } from './procs';
import { gcDoneDir } from './proc-stats';
import type { Backend } from './db';

/** Servers run on core 1, the load generator on core 0 (when taskset exists). */
export const serverCore = 1;
export const loadgenCore = 0;

/** A server under test, started fresh for a scenario. */
export interface Target {
  readonly kind: 'service' | 'raw';
  /** `raw`, `service/pglite`, `service/postgres+redis`. */
  readonly label: string;
  /** The node process doing the work (sampled in /proc). */
  readonly pid: number;
  readonly wsUrl: string;
  /** The service's HTTP API; null for the raw baseline. */
  readonly apiUrl: string | null;
  /** Where the server writes process.memoryUsage() after a forced GC (bench/gc-on-signal.cjs); service only. */
  readonly heapReportFile?: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const serviceEntry = compiled.service;

/** Lets run.ts trigger a full GC before reading RSS (see bench/gc-on-signal.cjs); changes nothing else. */
const gcPreload: Record<string, string> = {
  NODE_OPTIONS: `--require ${join(root, 'bench', 'gc-on-signal.cjs')} ${cpuProfilePreload}`,
  BENCH_GC_DONE_DIR: gcDoneDir(),
  // Opt-in profiling of the servers under test (bench/cpu-profile.cjs).
  ...(process.env.BENCH_CPU_PROFILE_DIR && {
    BENCH_CPU_PROFILE_DIR: process.env.BENCH_CPU_PROFILE_DIR,
    BENCH_CPU_PROFILE_SECONDS: process.env.BENCH_CPU_PROFILE_SECONDS ?? '30',
  }),
};

/** `NAME=value` pairs separated by spaces (values without spaces). */
function serviceEnvOverrides(spec: string | undefined): Record<string, string> {
  const pairs = (spec ?? '').split(' ').filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`BENCH_SERVICE_ENV: ${pair} is not NAME=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** `node dist/src/servers/main.js` (both servers, one process) on the backend, rate limits off, logging at warn. */
export async function startService(backend: Backend, jwtSecret: string): Promise<Target> {
  const [apiPort, wsPort] = [await freePort(), await freePort()];
  const heapReportFile = join(tmpdir(), `bench-heap-${process.pid}-${wsPort}.json`);
  const proc = startEntry(
    serviceEntry,
    {
      ...backend.env,
      ...gcPreload,
      BENCH_HEAP_REPORT_FILE: heapReportFile,
      ...(process.env.BENCH_NODE_FLAGS && { BENCH_NODE_FLAGS: process.env.BENCH_NODE_FLAGS }),
      // Settings of the service under test over the ones above, e.g. the rate limits on (BENCH_SERVICE_ENV="A=1 B=2").
      ...serviceEnvOverrides(process.env.BENCH_SERVICE_ENV),
      // As deployed (README, "Deploying"): libraries skip their development checks (graphql's
      // instanceOf looked for a second copy of graphql at every failed type test).
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      SERVER_PORT: String(wsPort),
      LOG_LEVEL: 'warn',
      JWT_SECRET: jwtSecret,
      RATE_LIMIT_AUTH_PER_MINUTE: '0',
      RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
      // Each bucket by name too (the two group variables above already turn them off).
      RATE_LIMIT_REGISTER_PER_MINUTE: '0',
      RATE_LIMIT_LOGIN_PER_MINUTE: '0',
      RATE_LIMIT_LOGIN_PER_USERNAME_PER_MINUTE: '0',
      RATE_LIMIT_SENDS_PER_MINUTE: '0',
      RATE_LIMIT_CHANGES_PER_MINUTE: '0',
      RATE_LIMIT_TYPING_PER_MINUTE: '0',
      // Bench users open many sockets each.
      MAX_SOCKETS_PER_USER: '0',
      // One address opens up to 20,000 sockets: the per-address and per-process caps are off.
      MAX_PENDING_SOCKETS_PER_ADDRESS: '0',
      MAX_CONNECTIONS: '0',
      // A publisher of a small fan-out (2 rooms × 50) sends ~300 messages/s at "max": past
      // the default 100 frames/s its socket was closed (4429) and the phase lost its window.
      MAX_FRAMES_PER_SOCKET_PER_SECOND: '0',
      // A fixture's tokens are used for the whole run, longer than the 15-minute default.
      JWT_TTL_SECONDS: '86400',
      // The service's own default (10) unless the bench is told otherwise.
      ...(process.env.DB_POOL_SIZE && { DB_POOL_SIZE: process.env.DB_POOL_SIZE }),
      // glibc's malloc arenas (default 8 per core): set to see how much of the soak's RSS is theirs.
      ...(process.env.MALLOC_ARENA_MAX && { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX }),
    },
    serverCore,
  );
  try {
    await waitReady(proc, `http://127.0.0.1:${apiPort}/ready`);
    await waitReady(proc, `http://127.0.0.1:${wsPort}/ready`);
    return {
      kind: 'service',
      label: `service/${backend.name}`,
      pid: await entryPid(proc, serviceEntry),
      wsUrl: `ws://127.0.0.1:${wsPort}/graphql`,
      apiUrl: `http://127.0.0.1:${apiPort}/graphql`,
      heapReportFile,
      stop: () => stopGroup(proc).finally(() => rmSync(heapReportFile, { force: true })),
    };
  } catch (err) {
    await stopGroup(proc, 1000);
    throw err;
  }
}

const rawEntry = compiled.raw;

export async function startRaw(jwtSecret: string): Promise<Target> {
  const proc = startEntry(rawEntry, { ...gcPreload, HOST: '127.0.0.1', PORT: '0', JWT_SECRET: jwtSecret }, serverCore);
  const port = await bounded(
    new Promise<number>((resolve, reject) => {
      createInterface({ input: proc.child.stdout! }).on('line', (line) => {
        const port = /"listening":(\d+)/.exec(line)?.[1];
        if (port) resolve(Number(port));
      });
      proc.child.once('exit', (code) => reject(new Error(`raw server exited (${code}): ${proc.stderr()}`)));
    }),
    30_000,
    'the raw server to listen',
  );
  return { kind: 'raw', label: 'raw', pid: await entryPid(proc, rawEntry), wsUrl: `ws://127.0.0.1:${port}`, apiUrl: null, stop: () => stopGroup(proc) };
}

async function waitReady(proc: Started, url: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.exited()) throw new Error(`the service exited before it was ready:\n${proc.stderr().slice(-3000)}`);
    const ok = await statusOf(url).then((status) => status === 200, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was not ready within ${ms} ms:\n${proc.stderr().slice(-3000)}`);
}

/** GET without keep-alive, so that no idle connection holds a descriptor in the server under test. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function entryPid(proc: Started, entry: string): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const pid = findEntryProcess(proc.pid, entry);
    // A compiled entry runs in the started process itself (taskset execs node); tsx spawns a child.
    if (pid !== null && (pid !== proc.pid || entry.endsWith('.js'))) return pid;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no node process running ${entry} under ${proc.pid}`);
}
