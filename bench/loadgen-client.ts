import { createInterface } from 'node:readline';
import { compiled } from './build';
import { cpuProfilePreload, startEntry, stopGroup, type Started } from './procs';

/** The orchestrator's handle on the load generator process (bench/loadgen.ts). */
export interface LoadGen {
  /** The node process that runs the load (not the tsx wrapper). */
  readonly pid: number;
  command<T>(cmd: string, args: object, timeoutMs: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startLoadGen(core: number | null): Promise<LoadGen> {
  const proc: Started = startEntry(compiled.loadgen, profiling(), core, 'pipe');
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let onReady: (pid: number) => void = () => undefined;
  const ready = new Promise<number>((resolve) => (onReady = resolve));
  createInterface({ input: proc.child.stdout! }).on('line', (line) => {
    let message: { id?: number; ok?: boolean; result?: unknown; error?: string; ready?: boolean; pid?: number };
    try {
      message = JSON.parse(line);
    } catch {
      return void process.stderr.write(`loadgen: ${line}\n`);
    }
    if (message.ready) return onReady(message.pid!);
    const waiter = pending.get(message.id!);
    pending.delete(message.id!);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new Error(`loadgen: ${message.error}`));
  });
  proc.child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`loadgen exited (${code}): ${proc.stderr().slice(-2000)}`));
    pending.clear();
  });
  const pid = await bounded(ready, 30_000, 'the load generator to start');
  return {
    pid,
    command<T>(cmd: string, args: object, timeoutMs: number) {
      const id = nextId++;
      const reply = new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
      proc.child.stdin!.write(`${JSON.stringify({ id, cmd, args })}\n`);
      return bounded(reply, timeoutMs, `loadgen ${cmd}`);
    },
    stop: () => stopGroup(proc, 3000),
  };
}

/**
 * With BENCH_CPU_PROFILE_DIR the load generator is profiled too (bench/cpu-profile.cjs,
 * written when it exits): at a fan-out's maximum it is the one saturated.
 */
function profiling(): Record<string, string> {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  return dir ? { NODE_OPTIONS: cpuProfilePreload, BENCH_CPU_PROFILE_DIR: dir, BENCH_CPU_PROFILE_SECONDS: '3600' } : {};
}

export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
