import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Options } from '../args';
import type { Backend } from '../db';
import type { LoadGen } from '../loadgen-client';
import type { Fixture } from '../setup';
import { startRaw, startService, type Target } from '../targets';

/** What every scenario gets from bench/run.ts. */
export interface RunContext {
  readonly options: Options;
  readonly loadgen: LoadGen;
  readonly jwtSecret: string;
  /** Service backends prepared with users and rooms (for connect, fanout, send). */
  readonly prepared: { backend: Backend; fixture: Fixture }[];
  log(line: string): void;
}

/** A server a scenario can start fresh, with the users and rooms to use on it. */
export interface TargetSpec {
  readonly label: string;
  readonly kind: 'service' | 'raw';
  readonly fixture: Fixture;
  start(): Promise<Target>;
}

/** The raw baseline (with the first backend's users: same secret, so the same tokens verify) and every service backend. */
export function targetSpecs(ctx: RunContext, withBaseline: boolean): TargetSpec[] {
  const specs: TargetSpec[] = [];
  const first = ctx.prepared[0];
  if (withBaseline && ctx.options.baseline && first) {
    specs.push({ label: 'raw', kind: 'raw', fixture: first.fixture, start: () => startRaw(ctx.jwtSecret) });
  }
  if (!ctx.options.service && withBaseline) return specs;
  for (const { backend, fixture } of ctx.prepared) {
    specs.push({ label: `service/${backend.name}`, kind: 'service', fixture, start: () => startService(backend, ctx.jwtSecret) });
  }
  return specs;
}

/** The loadgen's view of a fixture's users. */
export function benchUsers(fixture: Fixture): { token: string; username: string }[] {
  return fixture.users.map(({ token, username }) => ({ token, username }));
}

/** A scenario's hard time bound on one target. */
export class Budget {
  private readonly end: number;
  constructor(seconds: number) {
    this.end = performance.now() + seconds * 1000;
  }
  leftMs(): number {
    return Math.max(0, this.end - performance.now());
  }
}

/** The soft open-file limit of a process ("Max open files" in /proc/<pid>/limits). */
export function fileLimit(pid: number | 'self'): number {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
  return !match || match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
