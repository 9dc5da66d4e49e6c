import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { Options } from './args';
import type { ChatListScenarioResult } from './scenarios/chatlist';
import type { ConnectResult } from './scenarios/connect';
import type { FanoutResult } from './scenarios/fanout';
import type { FirstScreenResult } from './scenarios/first-screen';
import type { HistoryScenarioResult } from './scenarios/history';
import type { MarkReadScenarioResult } from './scenarios/markread';
import type { MutateScenarioResult } from './scenarios/mutate';
import type { SendScenarioResult } from './scenarios/send';
import type { SoakScenarioResult } from './scenarios/soak';
import type { StormScenarioResult } from './scenarios/storm';

/** Everything one `npm run bench` produced: written as bench/results/<timestamp>.json. */
export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: Machine;
  pinning: string;
  options: Options;
  results: {
    connect?: ConnectResult[];
    fanout?: FanoutResult[];
    storm?: StormScenarioResult[];
    send?: SendScenarioResult[];
    edit?: MutateScenarioResult[];
    react?: MutateScenarioResult[];
    history?: HistoryScenarioResult[];
    chatlist?: ChatListScenarioResult[];
    markread?: MarkReadScenarioResult[];
    soak?: SoakScenarioResult[];
    'first-screen'?: FirstScreenResult[];
  };
  notes: string[];
  /** Scenarios whose results were carried over from an earlier run (--carry-over), and from which. */
  carriedOver?: Partial<Record<keyof RunRecord['results'], CarriedFrom>>;
}

/** The run a carried-over table was really taken in. */
export interface CarriedFrom {
  startedAt: string;
  command: string;
  loadAverage: string;
  /** The machine's CPU (absent in records made before it was kept): runs on different machines differ by up to 2×. */
  cpuModel?: string;
  /** The options that run was taken with (its sizes and durations, which the table's heading states). */
  options?: Options;
}

/** The options a table was taken with: its own run's when it was carried over. */
export function optionsFor(record: RunRecord, key: keyof RunRecord['results']): Options {
  return record.carriedOver?.[key]?.options ?? record.options;
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  node: string;
  kernel: string;
  memoryGb: number;
  ulimitN: string;
  loadAverage: string;
}

export function machine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // cpus() it is.
  }
  let ulimitN = '?';
  try {
    ulimitN = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    // Unknown.
  }
  return {
    nproc,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    node: process.version,
    kernel: release(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    ulimitN,
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

const carriedOverMark = ': carried over from the run of ';

/** True for a note written by carriedOverNotes. */
export function isCarriedOverNote(note: string): boolean {
  return note.includes(carriedOverMark) && note.endsWith(', not re-run.');
}

/** One note per run that carried-over tables come from. */
export function carriedOverNotes(record: RunRecord): string[] {
  const byRun = new Map<string, { from: CarriedFrom; keys: string[] }>();
  for (const [key, from] of Object.entries(record.carriedOver ?? {}) as [string, CarriedFrom][]) {
    const entry = byRun.get(from.startedAt) ?? { from, keys: [] };
    entry.keys.push(key);
    byRun.set(from.startedAt, entry);
  }
  return [...byRun.values()].map(
    ({ from, keys }) => `${keys.join(', ')}${carriedOverMark}${from.startedAt} (\`${from.command}\`${from.cpuModel ? `, on ${from.cpuModel}` : ''}, load average at its start ${from.loadAverage}), not re-run.`,
  );
}
