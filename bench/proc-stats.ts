import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { round } from './stats';

/** Kernel clock ticks per second (/proc/<pid>/stat counts CPU time in them). */
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds of a process so far (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/**
 * Seconds the process's main thread has spent runnable but waiting for a CPU (second field
 * of /proc/<pid>/schedstat): on a shared machine, how much other processes held it back.
 */
export function runQueueWaitSeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return NaN;
  }
}

export interface Memory {
  rssKb: number;
  /** Peak RSS since the process started. */
  hwmKb: number;
}

export function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
}

/** A window over which a process's CPU is measured. */
export interface CpuWindow {
  stop(): ServerCpu;
}

export interface ServerCpu {
  cpuMs: number;
  /** Percent of one core over the window (10 ms resolution). */
  pct: number;
  /** Percent of the window its main thread was runnable but waiting for a CPU (other processes held it); absent in older runs. */
  waitPct?: number;
  /**
   * Percent of the machine's CPU time over the window that the hypervisor gave to other
   * guests (steal, /proc/stat): time no process of this machine ran; absent in older runs.
   */
  stealPct?: number;
}

/** Steal and total ticks of all CPUs so far (the `cpu` line of /proc/stat). */
function cpuTicks(): { steal: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return { steal: fields[7] ?? 0, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return { steal: NaN, total: NaN };
  }
}

/** Percent of the machine's CPU time stolen by the hypervisor since `from`. */
function stealPctSince(from: { steal: number; total: number }): number {
  const now = cpuTicks();
  const total = now.total - from.total;
  return total > 0 ? round((100 * (now.steal - from.steal)) / total, 1) : NaN;
}

export function cpuWindow(pid: number): CpuWindow {
  const cpu0 = cpuSeconds(pid);
  const wait0 = runQueueWaitSeconds(pid);
  const ticks0 = cpuTicks();
  const t0 = performance.now();
  return {
    stop() {
      const ms = (cpuSeconds(pid) - cpu0) * 1000;
      const waitMs = (runQueueWaitSeconds(pid) - wait0) * 1000;
      const wall = performance.now() - t0;
      return { cpuMs: round(ms, 0), pct: round((100 * ms) / wall, 1), waitPct: round((100 * waitMs) / wall, 1), stealPct: stealPctSince(ticks0) };
    },
  };
}

let doneDir: string | null = null;

/**
 * Where the servers under test say a forced GC is over: bench/gc-on-signal.cjs creates
 * `<dir>/<pid>` (BENCH_GC_DONE_DIR, set by targets.ts) once V8 gave back the pages the GC
 * emptied. Made on first use, by the process that runs the scenarios, and removed when it exits.
 */
export function gcDoneDir(): string {
  if (doneDir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'chat-bench-gc-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    doneDir = dir;
  }
  return doneDir;
}

/** How long a forced GC may take (a compacting one of 20,000 sockets takes about a second here). */
const gcDeadlineMs = 30_000;

/**
 * RSS after a full garbage collection: servers under test preload bench/gc-on-signal.cjs,
 * which collects on SIGUSR2 and says when it is done (see gcDoneDir).
 */
export async function memoryAfterGc(pid: number): Promise<Memory> {
  // SIGUSR2 would kill a process without the handler: check that the preload caught it first.
  if (!catchesSignal(pid, 12)) throw new Error(`process ${pid} does not handle SIGUSR2 (bench/gc-on-signal.cjs not loaded)`);
  const done = join(gcDoneDir(), String(pid));
  rmSync(done, { force: true });
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + gcDeadlineMs;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not finish a forced GC within ${gcDeadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  rmSync(done, { force: true });
  return memory(pid);
}

/** Whether the process has a handler for the signal (SigCgt in /proc/<pid>/status). */
function catchesSignal(pid: number, signal: number): boolean {
  const mask = /^SigCgt:\s+([0-9a-f]+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return mask !== undefined && (BigInt(`0x${mask}`) & (1n << BigInt(signal - 1))) !== 0n;
}
