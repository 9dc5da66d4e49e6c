import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memory, openFds } from '../../bench/proc-stats';
import { startProcess, type ServerProcess } from './child';
import { compiledEntry } from './service-build';
import { until } from './wait';


/** The service as operators run it (`npm start`), in a child process the fuzz tests can watch die. */
export interface FuzzTarget {
  readonly server: ServerProcess;
  readonly pid: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly healthUrls: string[];
  /** Where the preloaded test/helpers/heap-on-signal.cjs writes memory usage after a GC. */
  readonly heapReportFile: string;
}

/**
 * Starts `node dist/src/servers/main.js` (built in globalSetup) with the default limits
 * (what a hostile client meets in production) and test/helpers/heap-on-signal.cjs
 * preloaded: SIGUSR2 runs a full GC and reports the heap into a file, so retained memory
 * is measured without adding a debug hook to src. The compiled entry runs in the spawned process itself, so the
 * child's pid is the server's pid.
 */
export async function startFuzzTarget(dataDir: string, startupMs: number): Promise<FuzzTarget> {
  const server = startProcess(compiledEntry('src/servers/main.ts'), {
    API_PORT: '0',
    SERVER_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    JWT_SECRET: 'fuzz-secret-0123456789-0123456789-0123456789',
    NODE_OPTIONS: `--require ${join(__dirname, 'heap-on-signal.cjs')}`,
    HEAP_REPORT_FILE: join(dataDir, 'heap-report.json'),
  });
  const api = await server.logLine((e) => typeof e.port === 'number' && String(e.url).startsWith('http://'), 'the API port', startupMs);
  const ws = await server.logLine((e) => typeof e.port === 'number' && String(e.url).startsWith('ws://'), 'the WebSocket port', startupMs);
  return {
    server,
    pid: server.child.pid!,
    httpUrl: `http://127.0.0.1:${api.port as number}/graphql`,
    wsUrl: `ws://127.0.0.1:${ws.port as number}/graphql`,
    healthUrls: [api.port, ws.port].map((port) => `http://127.0.0.1:${port as number}/health`),
    heapReportFile: join(dataDir, 'heap-report.json'),
  };
}

/** Fails (with the child's last output) unless the process is alive and both /health answer 200. */
export async function requireHealthy(target: FuzzTarget): Promise<void> {
  const { child } = target.server;
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(`the server died (${child.exitCode ?? child.signalCode}):\n${target.server.stderr().slice(-4000)}`);
  }
  for (const url of target.healthUrls) {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  }
}

/** What the process holds once garbage is collected and sockets are closed. */
export interface Retained {
  /** Live JS heap after a full GC. */
  heapMb: number;
  /** Off-heap memory owned by JS objects (Buffers, WASM memory of PGlite). */
  externalMb: number;
  rssMb: number;
  fds: number;
}

/**
 * Memory after a full GC, and open descriptors once they stop falling (closed sockets are
 * released a little after the client sees the close). Two collections a second apart:
 * the first frees what finalizers were holding.
 */
export async function retained(target: FuzzTarget, settleFdsTo?: number): Promise<Retained> {
  if (settleFdsTo !== undefined) {
    await until(() => openFds(target.pid) <= settleFdsTo, `descriptors back to ${settleFdsTo}`, 10_000).catch(() => undefined);
  }
  await heapAfterGc(target);
  const heap = await heapAfterGc(target);
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return { heapMb: mb(heap.heapUsed), externalMb: mb(heap.external), rssMb: Math.round(memory(target.pid).rssKb / 1024), fds: openFds(target.pid) };
}

async function heapAfterGc(target: FuzzTarget): Promise<NodeJS.MemoryUsage> {
  const before = readReport(target.heapReportFile)?.at ?? 0;
  process.kill(target.pid, 'SIGUSR2');
  let report: (NodeJS.MemoryUsage & { at: number }) | null = null;
  await until(() => (report = readReport(target.heapReportFile)) !== null && report.at > before, 'a heap report', 10_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return report!;
}

function readReport(file: string): (NodeJS.MemoryUsage & { at: number }) | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as NodeJS.MemoryUsage & { at: number };
  } catch {
    // Read while being written: the next poll reads it whole.
    return null;
  }
}
