import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** Whether `taskset` exists: servers go to core 1, the load generator to core 0. */
export const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

export interface Started {
  readonly child: ChildProcess;
  /** The process group leader (node or tsx, or taskset exec'd into it). */
  readonly pid: number;
  /** Everything written to stderr so far (capped), for error messages. */
  stderr(): string;
  exited(): boolean;
}

const started: Started[] = [];

/** `--require` of bench/cpu-profile.cjs, for NODE_OPTIONS: a CPU profile when BENCH_CPU_PROFILE_DIR is set, nothing otherwise. */
export const cpuProfilePreload = `--require ${join(root, 'bench', 'cpu-profile.cjs')}`;

/**
 * Starts `node <entry>` for a compiled entry (see bench/build.ts), else `tsx <entry>`, in its
 * own process group (so that killing the group also reaches the node process tsx spawns),
 * pinned to `core` when taskset exists. Only 127.0.0.1 is used by callers.
 */
export function startEntry(entry: string, env: Record<string, string>, core: number | null, stdin: 'pipe' | 'ignore' = 'ignore'): Started {
  const runner = entry.endsWith('.js') ? process.execPath : tsx;
  const command = core !== null && hasTaskset ? 'taskset' : runner;
  // Node and V8 flags for the service under test (BENCH_NODE_FLAGS, see README "Benchmarks").
  const nodeFlags = runner === process.execPath && env.BENCH_NODE_FLAGS ? env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : [];
  const args = [...(core !== null && hasTaskset ? ['-c', String(core), runner] : []), ...nodeFlags, join(root, entry)];
  const child = spawn(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true,
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-20_000)));
  const entryStarted: Started = {
    child,
    pid: child.pid!,
    stderr: () => err,
    exited: () => child.exitCode !== null || child.signalCode !== null,
  };
  started.push(entryStarted);
  return entryStarted;
}

/** SIGTERM to the group, then SIGKILL after `graceMs` if it is still there. */
export async function stopGroup(proc: Started, graceMs = 8000): Promise<void> {
  if (proc.exited()) return;
  const gone = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  signalGroup(proc.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(proc.pid, 'SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
  // tsx exits when its node child does; make sure nothing of the group lingers.
  signalGroup(proc.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Kills every group started here: used on exit, on failure and on signals (synchronous). */
export function killAll(): void {
  for (const proc of started.splice(0)) signalGroup(proc.pid, 'SIGKILL');
}

/** The direct children of a process (Linux /proc). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/**
 * The real node process running `entry`: tsx's CLI spawns a node child with its loader, so
 * this is the deepest descendant of `pid` whose command line names the entry file.
 */
export function findEntryProcess(pid: number, entry: string): number | null {
  let found: number | null = cmdline(pid).includes(entry) ? pid : null;
  for (const child of childrenOf(pid)) found = findEntryProcess(child, entry) ?? found;
  return found;
}
