import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { until, withTimeout } from './wait';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** One server process started with `tsx <entry>`, its output collected as it arrives. */
export interface ServerProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** stdout split into lines (the last, unfinished line excluded). */
  lines(): string[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited(ms: number): Promise<number | null>;
  /** Waits (bounded) until a stdout line parses as JSON and matches `predicate`. */
  logLine(predicate: (entry: Record<string, unknown>) => boolean, what: string, ms: number): Promise<Record<string, unknown>>;
}

const started: ChildProcess[] = [];

/**
 * Starts `node_modules/.bin/tsx <entry>` (or `node <entry>` for a .js one) with exactly `env` (plus PATH, so `tsx` finds
 * `node`). It runs in its own process group so that `killStarted` also reaches the node
 * process tsx spawns.
 */
export function startProcess(entry: string, env: Record<string, string>): ServerProcess {
  // Compiled entries (dist/, as `npm start` runs them) need no transform.
  const [command, args] = entry.endsWith('.js') ? [process.execPath, ['--enable-source-maps', join(root, entry)]] : [tsx, [join(root, entry)]];
  const child = spawn(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = () => out.split('\n').slice(0, -1);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    lines,
    exited: (ms) => withTimeout(exit, ms, `${entry} to exit`),
    async logLine(predicate, what, ms) {
      let found: Record<string, unknown> | undefined;
      await until(
        () => {
          found = lines().map(parseJson).find((entry) => entry !== null && predicate(entry)) ?? undefined;
          // Stop waiting early when the process died: the line will never come.
          if (!found && child.exitCode !== null) throw new Error(`${entry} exited (${child.exitCode}) before ${what}:\n${err}`);
          return found !== undefined;
        },
        what,
        ms,
      );
      return found!;
    },
  };
}

export function parseJson(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Kills every process group started here that has not exited yet (for afterAll). */
export function killStarted(): void {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
