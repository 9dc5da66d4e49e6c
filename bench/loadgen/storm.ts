import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { cpuSeconds, runQueueWaitSeconds } from '../proc-stats';
import { cursorIn, cursorPosition } from '../protocol';
import { cpuSince, round, Samples, type CpuFigure, type LatencySummary } from '../stats';
import type { Fleet, FleetErrors } from './fleet';
import { diffErrors, sleep } from './phases';

export interface StormArgs {
  /** ≥ 1, distinct per phase (see phases.ts). */
  phase: number;
  /** Messages per second into each room. */
  msgsPerSecPerRoom: number;
  /** Steady sending before the drop (every subscriber gets a cursor; live latency before the storm). */
  warmupMs: number;
  /** Sending after the drop. */
  afterDropMs: number;
  /** Every other subscriber is dropped (half of them). */
  reconnectConcurrency: number;
  /** Whether dropped subscribers resume with `after` (the service); the raw baseline cannot. */
  resume: boolean;
  drainMs: number;
  bodyBytes: number;
  /** The server under test, whose CPU over the storm window is read from /proc (same machine). */
  serverPid: number;
}

export interface StormResult {
  phase: number;
  subscribers: number;
  dropped: number;
  reconnected: number;
  reconnectFailure: string | null;
  sentMessages: number;
  /** Drop → the last dropped subscriber's subscribe frame sent. */
  reconnectMs: number | null;
  /** Drop → the last dropped subscriber caught up (null: not all did, or no resume). */
  allCaughtUpMs: number | null;
  caughtUp: number;
  /** Server CPU from the drop to the end of the storm (all caught up; raw: all reconnected). */
  serverStormCpuMs: number | null;
  /** How long the server's main thread waited for a CPU (held back by other processes) from the drop to the end of the storm. */
  serverStormWaitMs: number | null;
  /** The same less what the steady fan-out of the warm-up cost per second over that time, per dropped subscriber. */
  serverCpuPerReconnectMs: number | null;
  /** Per dropped subscriber: its subscribe frame sent → it had every message the room had then. */
  catchUpMs: LatencySummary | null;
  /** Messages a dropped subscriber had to catch up on (missed while away), mean. */
  missedMean: number | null;
  /**
   * The load generator's own longest event-loop delay from the drop to the end of the
   * storm: it terminates, closes and reopens the dropped sockets on the same thread that
   * timestamps the kept subscribers' frames, so a frame that arrived meanwhile is counted
   * late by up to this much (null: the storm never ended).
   */
  loadgenStallMs: number | null;
  /** Send → receipt for the subscribers never dropped: before the drop, from the drop until all caught up, after. */
  keptLatencyMs: { before: LatencySummary; storm: LatencySummary; after: LatencySummary };
  /**
   * The kept subscribers' p99 during the storm by when the message was sent: [0, 0.5 s)
   * after the drop, [0.5 s, 1 s), …; it tells the close wave of the drop (the first
   * window) from the reconnects and catch-up reads that follow. Null: no deliveries.
   */
  keptStormP99ByHalfSecond: (number | null)[];
  /** Every subscriber must get every message of its room once (raw: only the kept ones, it has no resume). */
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  /** A delivery whose cursor is not after the subscriber's previous one. */
  outOfOrder: number;
  /** A delivery without a readable cursor, or one message delivered under two cursors. */
  badCursors: number;
  stale: number;
  errors: FleetErrors;
  loadgenCpu: CpuFigure;
  wallMs: number;
}

/** Sockets dropped per event-loop turn (see Fleet.dropInSlices); the report states it. */
export const stormDropSlice = 100;

/** Adds a latency to the window of its send time (half seconds from the drop; a message sent just before the drop counts in the first). */
function sampleBySendTime(windows: Samples[], sentAfterDropMs: number, latencyMs: number): void {
  const at = Math.max(0, Math.floor(sentAfterDropMs / 500));
  for (let i = windows.length; i <= at; i++) windows.push(new Samples());
  windows[at]!.add(latencyMs);
}

/** Per-subscriber bookkeeping of a storm, flat arrays indexed by socket. */
class Subscribers {
  readonly lastCursor: (string | null)[];
  readonly lastPosition: Float64Array;
  readonly dropped: Uint8Array;
  readonly resubAt: Float64Array;
  /** How many of the room's acknowledged messages it must have to be caught up (−1: not resubscribed). */
  readonly target: Int32Array;
  /** How many of those it has, counted in acknowledgement order. */
  readonly have: Int32Array;
  readonly caughtAt: Float64Array;
  constructor(n: number) {
    this.lastCursor = new Array<string | null>(n).fill(null);
    this.lastPosition = new Float64Array(n).fill(-1);
    this.dropped = new Uint8Array(n);
    this.resubAt = new Float64Array(n);
    this.target = new Int32Array(n).fill(-1);
    this.have = new Int32Array(n);
    this.caughtAt = new Float64Array(n);
  }
}

/**
 * The reconnect storm: every room receives messages at a fixed rate; after `warmupMs`
 * every other subscriber's socket is dropped at once and reopened (with its last cursor
 * as `after` on the service) while sending goes on. Counts, per subscriber, every message
 * of the phase exactly once in cursor order, and when each resumed subscriber has every
 * message its room had (acknowledged to the publisher) when it resubscribed.
 */
export async function runStorm(fleet: Fleet, a: StormArgs): Promise<StormResult> {
  const n = fleet.args.n;
  if (fleet.opened !== n) throw new Error(`only ${fleet.opened} of ${n} subscribers are open`);
  const rooms = fleet.roomSubs.length;
  const totalMs = a.warmupMs + a.afterDropMs;
  const total = Math.max(rooms, Math.round((a.msgsPerSecPerRoom * rooms * totalMs) / 1000));
  const perRoom = Math.ceil(total / rooms);
  const received = new Uint8Array(n * perRoom);
  const positionOf = new Float64Array(total).fill(-1);
  const sentAt = new Float64Array(total);
  const messageOfPublish = new Map<number, number>();
  /** Per room, its messages in the order the publisher got their answers (committed by then). */
  const acked: number[][] = Array.from({ length: rooms }, () => []);
  const subs = new Subscribers(n);
  const errorsBefore = { ...fleet.errors };
  const kept = { before: new Samples(), storm: new Samples(), after: new Samples() };
  const keptStormBySent: Samples[] = [];
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let sent = 0;
  let receivedCount = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let badCursors = 0;
  let stale = 0;
  let dropAt = Infinity;
  let stormEnd = Infinity;
  let caughtUp = 0;
  let lastResubAt = 0;
  let missedSum = 0;
  const droppedList: number[] = [];
  const cpuAtStart = cpuSeconds(a.serverPid);
  let cpuAtDrop = 0;
  let waitAtDrop = 0;
  let stormWaitMs: number | null = null;
  let stormCpuMs: number | null = null;
  let reconnectCpuMs: number | null = null;
  const loadgenDelay = monitorEventLoopDelay({ resolution: 5 });
  let loadgenStallMs: number | null = null;
  const endStorm = (now: number) => {
    stormEnd = now;
    loadgenDelay.disable();
    loadgenStallMs = round(loadgenDelay.max / 1e6, 1);
    stormCpuMs = Math.round((cpuSeconds(a.serverPid) - cpuAtDrop) * 1000);
    stormWaitMs = Math.round((runQueueWaitSeconds(a.serverPid) - waitAtDrop) * 1000);
    const steadyPerMs = (cpuAtDrop - cpuAtStart) / (dropAt - t0);
    reconnectCpuMs = stormCpuMs - steadyPerMs * 1000 * (now - dropAt);
  };

  const slot = (i: number, m: number) => i * perRoom + Math.floor(m / rooms);
  /** Advances a resubscribed subscriber over the acknowledged messages it already has. */
  const checkCaughtUp = (i: number, now: number) => {
    const target = subs.target[i]!;
    if (target < 0 || subs.caughtAt[i]! > 0) return;
    const list = acked[fleet.roomOf[i]!]!;
    let have = subs.have[i]!;
    while (have < target && received[slot(i, list[have]!)]) have++;
    subs.have[i] = have;
    if (have < target) return;
    subs.caughtAt[i] = now;
    if (++caughtUp === droppedList.length) endStorm(now);
  };

  fleet.onPublished = (publishId) => {
    const m = messageOfPublish.get(publishId);
    if (m === undefined) return;
    messageOfPublish.delete(publishId);
    acked[m % rooms]!.push(m);
  };
  fleet.onSubscribe = (i) => {
    if (!subs.dropped[i]) return;
    const now = performance.now();
    subs.resubAt[i] = now;
    lastResubAt = now;
    if (!a.resume) return;
    const list = acked[fleet.roomOf[i]!]!;
    subs.target[i] = list.length;
    let had = 0;
    for (const m of list) if (received[slot(i, m)]) had++;
    missedSum += list.length - had;
    checkCaughtUp(i, now);
  };
  fleet.afterOf = (i) => subs.lastCursor[i] ?? null;
  fleet.onDelivery = (i, d, _bytes, frame) => {
    if (d.phase !== a.phase) {
      if (d.phase !== 0) stale++;
      return;
    }
    const now = performance.now();
    const m = d.seq;
    if (a.resume) {
      const cursor = cursorIn(frame);
      const position = cursor === null ? -1 : cursorPosition(cursor);
      if (position < 0 || (positionOf[m]! >= 0 && positionOf[m] !== position)) badCursors++;
      if (positionOf[m]! < 0) positionOf[m] = position;
      if (position <= subs.lastPosition[i]!) outOfOrder++;
      else {
        subs.lastPosition[i] = position;
        subs.lastCursor[i] = cursor;
      }
    }
    const s = slot(i, m);
    if (received[s]) return void duplicates++;
    received[s] = 1;
    receivedCount++;
    if (!subs.dropped[i]) {
      const bucket = now < dropAt ? kept.before : now < stormEnd ? kept.storm : kept.after;
      bucket.add(now - d.sentAtMs);
      if (bucket === kept.storm) sampleBySendTime(keptStormBySent, d.sentAtMs - dropAt, now - d.sentAtMs);
    } else checkCaughtUp(i, now);
  };

  // Open loop, round robin over the rooms, as the fanout phases send.
  const msgsPerSec = a.msgsPerSecPerRoom * rooms;
  let sending = true;
  const tick = () => {
    if (!sending) return;
    const due = Math.min(total, Math.floor(((performance.now() - t0) * msgsPerSec) / 1000) + 1);
    while (sent < due) {
      const m = sent++;
      sentAt[m] = fleet.publish(m % rooms, a.phase, m, a.bodyBytes);
      messageOfPublish.set(fleet.lastPublishId, m);
    }
    if (sent < total) setTimeout(tick, 5);
  };
  tick();

  await sleep(a.warmupMs);
  for (let i = 1; i < n; i += 2) droppedList.push(i);
  cpuAtDrop = cpuSeconds(a.serverPid);
  waitAtDrop = runQueueWaitSeconds(a.serverPid);
  dropAt = performance.now();
  loadgenDelay.enable();
  for (const i of droppedList) subs.dropped[i] = 1;
  await fleet.dropInSlices(droppedList, stormDropSlice);
  const { reopened, failure } = await fleet.reopen(droppedList, a.reconnectConcurrency, a.afterDropMs + a.drainMs);
  // Without resume there is no catching up: the storm is the reconnect itself.
  if (!a.resume) endStorm(performance.now());
  await sleep(Math.max(0, t0 + totalMs - performance.now()));
  sending = false;
  const expectedPer = (i: number) => (a.resume || !subs.dropped[i] ? Math.floor((sent - fleet.roomOf[i]! + rooms - 1) / rooms) : 0);
  let expected = 0;
  for (let i = 0; i < n; i++) expected += expectedPer(i);
  const deadline = performance.now() + a.drainMs;
  while (receivedCountCounted(a.resume, receivedCount, received, subs, perRoom, n) < expected && performance.now() < deadline) await sleep(20);
  loadgenDelay.disable();
  fleet.onDelivery = () => undefined;
  fleet.onPublished = () => undefined;
  fleet.onSubscribe = () => undefined;
  const counted = receivedCountCounted(a.resume, receivedCount, received, subs, perRoom, n);
  const catchUp = new Samples();
  for (const i of droppedList) if (subs.caughtAt[i]! > 0) catchUp.add(subs.caughtAt[i]! - subs.resubAt[i]!);
  const wallMs = performance.now() - t0;
  return {
    phase: a.phase,
    subscribers: n,
    dropped: droppedList.length,
    reconnected: reopened,
    reconnectFailure: failure,
    sentMessages: sent,
    reconnectMs: lastResubAt > 0 ? Math.round(lastResubAt - dropAt) : null,
    allCaughtUpMs: a.resume && caughtUp === droppedList.length ? Math.round(stormEnd - dropAt) : null,
    caughtUp,
    serverStormCpuMs: stormCpuMs,
    serverStormWaitMs: stormWaitMs,
    serverCpuPerReconnectMs: reconnectCpuMs === null || droppedList.length === 0 ? null : round(reconnectCpuMs / droppedList.length, 3),
    catchUpMs: a.resume ? catchUp.summary() : null,
    missedMean: a.resume && droppedList.length > 0 ? round(missedSum / droppedList.length, 2) : null,
    loadgenStallMs,
    keptLatencyMs: { before: kept.before.summary(), storm: kept.storm.summary(), after: kept.after.summary() },
    keptStormP99ByHalfSecond: Array.from(keptStormBySent, (samples) => samples.summary().p99),
    expected,
    received: counted,
    lost: expected - counted,
    duplicates,
    outOfOrder,
    badCursors,
    stale,
    errors: diffErrors(fleet.errors, errorsBefore),
    loadgenCpu: cpuSince(cpu, wallMs),
    wallMs: Math.round(wallMs),
  };
}

/** Deliveries that count: all of them on a resuming target; only the kept subscribers' on the raw baseline. */
function receivedCountCounted(resume: boolean, all: number, received: Uint8Array, subs: Subscribers, perRoom: number, n: number): number {
  if (resume) return all;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (subs.dropped[i]) continue;
    for (let k = i * perRoom, end = k + perRoom; k < end; k++) count += received[k]!;
  }
  return count;
}
