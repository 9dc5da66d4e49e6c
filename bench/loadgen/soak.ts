import { performance } from 'node:perf_hooks';
import { cursorIn, cursorPosition } from '../protocol';
import { cpuSince, Samples, type CpuFigure, type LatencySummary } from '../stats';
import type { Fleet, FleetErrors } from './fleet';
import { diffErrors, sleep } from './phases';

export interface SoakArgs {
  /** ≥ 1, distinct per phase (see phases.ts). */
  phase: number;
  /** Messages per second over all rooms (open loop, round robin). */
  msgsPerSec: number;
  durationMs: number;
  /** Subscriber sockets dropped (no close handshake) and reopened with `after` per second. */
  churnPerSec: number;
  /** Reopens in flight at most; past it a churn tick drops nobody (counted as skipped). */
  reconnectConcurrency: number;
  drainMs: number;
  bodyBytes: number;
}

export interface SoakResult {
  phase: number;
  subscribers: number;
  sentMessages: number;
  /** Every subscriber must have every message of its room sent in the phase, once. */
  expected: number;
  received: number;
  /** Missing at the end, for subscribers never dropped and for those that reconnected. */
  lostKept: number;
  lostChurned: number;
  duplicates: number;
  outOfOrder: number;
  badCursors: number;
  /** Distinct subscribers dropped at least once, and drops (a subscriber may be dropped again). */
  churnedSubscribers: number;
  reconnects: number;
  reconnectFailures: number;
  reconnectFailure: string | null;
  /** Churn ticks that dropped nobody because `reconnectConcurrency` reopens were in flight. */
  churnSkipped: number;
  /** Send → receipt, sampled on every 50th subscriber never dropped. */
  keptLatencyMs: LatencySummary;
  stale: number;
  errors: FleetErrors;
  loadgenCpu: CpuFigure;
  wallMs: number;
}

/** Every 50th subscriber's latencies are kept: 10,000 subscribers for 10 minutes would hold tens of millions. */
const latencyEvery = 50;
const tickMs = 100;

/**
 * The soak: steady sending into every room for `durationMs` while `churnPerSec`
 * subscribers a second are dropped and reopened with `after` = their last cursor. Only a
 * subscriber that has a cursor of this phase is dropped, so that resuming can be exact.
 * At the end (after the reopens in flight finish and a drain) every subscriber, kept or
 * reconnected, must have every message of its room once, in cursor order.
 */
export async function runSoak(fleet: Fleet, a: SoakArgs): Promise<SoakResult> {
  const n = fleet.args.n;
  if (fleet.opened !== n) throw new Error(`only ${fleet.opened} of ${n} subscribers are open`);
  const rooms = fleet.roomSubs.length;
  const total = Math.max(rooms, Math.ceil((a.msgsPerSec * a.durationMs) / 1000));
  const perRoom = Math.ceil(total / rooms);
  const received = new Uint8Array(n * perRoom);
  const positionOf = new Float64Array(total).fill(-1);
  const lastCursor = new Array<string | null>(n).fill(null);
  const lastPosition = new Float64Array(n).fill(-1);
  const down = new Uint8Array(n);
  const churned = new Uint8Array(n);
  const errorsBefore = { ...fleet.errors };
  const latency = new Samples();
  const counts = { received: 0, duplicates: 0, outOfOrder: 0, badCursors: 0, stale: 0, reconnects: 0, failures: 0, skipped: 0 };
  let failure: string | null = null;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const slot = (i: number, m: number) => i * perRoom + Math.floor(m / rooms);

  fleet.afterOf = (i) => lastCursor[i] ?? null;
  fleet.onDelivery = (i, d, _bytes, frame) => {
    if (d.phase !== a.phase) {
      if (d.phase !== 0) counts.stale++;
      return;
    }
    const m = d.seq;
    const cursor = cursorIn(frame);
    const position = cursor === null ? -1 : cursorPosition(cursor);
    if (position < 0 || (positionOf[m]! >= 0 && positionOf[m] !== position)) counts.badCursors++;
    if (positionOf[m]! < 0) positionOf[m] = position;
    if (position <= lastPosition[i]!) counts.outOfOrder++;
    else {
      lastPosition[i] = position;
      lastCursor[i] = cursor;
    }
    const s = slot(i, m);
    if (received[s]) return void counts.duplicates++;
    received[s] = 1;
    counts.received++;
    if (!churned[i] && i % latencyEvery === 0) latency.add(performance.now() - d.sentAtMs);
  };

  let sent = 0;
  let sending = true;
  const send = () => {
    if (!sending) return;
    const due = Math.min(total, Math.floor(((performance.now() - t0) * a.msgsPerSec) / 1000) + 1);
    while (sent < due) {
      const m = sent++;
      fleet.publish(m % rooms, a.phase, m, a.bodyBytes);
    }
    if (sent < total) setTimeout(send, 5);
  };
  send();

  const reopening = new Set<Promise<void>>();
  const churnOne = (i: number) => {
    down[i] = 1;
    churned[i] = 1;
    fleet.drop([i]);
    const reopen = fleet.reopen([i], 1, 30_000).then(({ reopened, failure: why }) => {
      down[i] = 0;
      if (reopened === 1) counts.reconnects++;
      else {
        counts.failures++;
        failure ??= why;
      }
    });
    reopening.add(reopen);
    void reopen.finally(() => reopening.delete(reopen));
  };
  /** Drops `churnPerSec` a second, spread over ticks, picking subscribers that are up and have a cursor of this phase. */
  let owed = 0;
  while (performance.now() - t0 < a.durationMs) {
    owed += (a.churnPerSec * tickMs) / 1000;
    for (; owed >= 1; owed--) {
      if (reopening.size >= a.reconnectConcurrency) {
        counts.skipped++;
        continue;
      }
      const i = pickChurnable(n, down, lastCursor);
      if (i !== null) churnOne(i);
    }
    await sleep(tickMs);
  }
  sending = false;
  await Promise.all([...reopening]);

  const expectedOf = (i: number) => Math.floor((sent - fleet.roomOf[i]! + rooms - 1) / rooms);
  let expected = 0;
  for (let i = 0; i < n; i++) expected += expectedOf(i);
  const deadline = performance.now() + a.drainMs;
  while (counts.received < expected && performance.now() < deadline) await sleep(20);
  fleet.onDelivery = () => undefined;
  fleet.afterOf = () => null;

  let lostKept = 0;
  let lostChurned = 0;
  for (let i = 0; i < n; i++) {
    let have = 0;
    for (let k = i * perRoom, end = k + perRoom; k < end; k++) have += received[k]!;
    const missing = expectedOf(i) - have;
    if (churned[i]) lostChurned += missing;
    else lostKept += missing;
  }
  const wallMs = performance.now() - t0;
  let churnedSubscribers = 0;
  for (let i = 0; i < n; i++) churnedSubscribers += churned[i]!;
  return {
    phase: a.phase,
    subscribers: n,
    sentMessages: sent,
    expected,
    received: counts.received,
    lostKept,
    lostChurned,
    duplicates: counts.duplicates,
    outOfOrder: counts.outOfOrder,
    badCursors: counts.badCursors,
    churnedSubscribers,
    reconnects: counts.reconnects,
    reconnectFailures: counts.failures,
    reconnectFailure: failure,
    churnSkipped: counts.skipped,
    keptLatencyMs: latency.summary(),
    stale: counts.stale,
    errors: diffErrors(fleet.errors, errorsBefore),
    loadgenCpu: cpuSince(cpu, wallMs),
    wallMs: Math.round(wallMs),
  };
}

/** A random subscriber that is up and has a cursor of this phase (a few tries: most are). */
function pickChurnable(n: number, down: Uint8Array, lastCursor: (string | null)[]): number | null {
  for (let tries = 0; tries < 20; tries++) {
    const i = Math.floor(Math.random() * n);
    if (!down[i] && lastCursor[i] !== null) return i;
  }
  return null;
}
