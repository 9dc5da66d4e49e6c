import { performance } from 'node:perf_hooks';
import { cpuSince, round, Samples, type CpuFigure, type LatencySummary } from '../stats';
import type { Fleet, FleetErrors } from './fleet';

/** Phase 0 is the liveness probe; measured phases are numbered from 1. */
const probePhase = 0;

export interface ProbeResult {
  readyMs: number;
  rounds: number;
  live: number;
  /** Size of a delivered `next` frame (bytes on the wire, before WebSocket framing). */
  frameBytes: number;
}

/**
 * graphql-transport-ws has no "subscribed" acknowledgement: a subscription is live once it
 * has received a message. Publishes one probe per room every `roundMs` until every
 * subscriber got one (or the timeout).
 */
export async function probe(fleet: Fleet, timeoutMs: number, bodyBytes: number, roundMs = 250): Promise<ProbeResult> {
  const started = performance.now();
  const live = new Uint8Array(fleet.args.n);
  const wanted = fleet.opened;
  let count = 0;
  let frameBytes = 0;
  fleet.onDelivery = (i, d, bytes) => {
    if (d.phase !== probePhase || i < 0 || live[i]) return;
    live[i] = 1;
    count++;
    frameBytes = bytes;
  };
  let rounds = 0;
  while (count < wanted && performance.now() - started < timeoutMs) {
    for (let room = 0; room < fleet.roomSubs.length; room++) fleet.publish(room, probePhase, rounds, bodyBytes);
    rounds++;
    const roundEnd = performance.now() + roundMs;
    while (count < wanted && performance.now() < roundEnd) await sleep(5);
  }
  return { readyMs: performance.now() - started, rounds, live: count, frameBytes };
}

export interface PhaseArgs {
  /** ≥ 1, distinct per phase: late deliveries of earlier phases are told apart. */
  phase: number;
  /** Offered deliveries per second; null: closed loop at maximum (`window` messages in flight per room). */
  rate: number | null;
  durationMs: number;
  /** How long to wait for outstanding deliveries after the last send. */
  drainMs: number;
  bodyBytes: number;
  window: number;
}

export interface PhaseResult {
  phase: number;
  offered: number | 'max';
  durationMs: number;
  sentMessages: number;
  sentMsgsPerSec: number;
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  /** Deliveries of earlier phases that arrived during this one. */
  stale: number;
  /** Received deliveries ÷ max(send window, time of the last delivery). */
  deliveredPerSec: number;
  /** Phase start → last delivery. */
  receiveSpanMs: number;
  latencyMs: LatencySummary;
  frameBytes: { min: number; max: number };
  drainTimedOut: boolean;
  errors: FleetErrors;
  loadgenCpu: CpuFigure;
  wallMs: number;
}

/** Publishes timed messages at a fixed rate (open loop) or at maximum (closed loop) and counts every delivery. */
export async function runPhase(fleet: Fleet, a: PhaseArgs): Promise<PhaseResult> {
  if (fleet.opened !== fleet.args.n) throw new Error(`only ${fleet.opened} of ${fleet.args.n} subscribers are open`);
  const rooms = fleet.roomSubs.length;
  const errorsBefore = { ...fleet.errors };
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + a.durationMs;
  const counts: number[] = [];
  const seqRoom: number[] = [];
  const inflight = new Array<number>(rooms).fill(0);
  const samples = new Samples();
  let sent = 0;
  let expected = 0;
  let received = 0;
  let duplicates = 0;
  let stale = 0;
  let lastAt = t0;
  let minBytes = Infinity;
  let maxBytes = 0;
  let sending = true;

  const send = (room: number) => {
    counts.push(0);
    seqRoom.push(room);
    expected += fleet.roomSubs[room]!;
    inflight[room]!++;
    fleet.publish(room, a.phase, sent++, a.bodyBytes);
  };
  const pump = (room: number) => {
    while (sending && inflight[room]! < a.window && performance.now() < end) send(room);
  };
  fleet.onDelivery = (_i, d, bytes) => {
    if (d.phase !== a.phase) {
      if (d.phase !== probePhase) stale++;
      return;
    }
    const now = performance.now();
    const room = seqRoom[d.seq]!;
    const count = ++counts[d.seq]!;
    if (count > fleet.roomSubs[room]!) return void duplicates++;
    received++;
    samples.add(now - d.sentAtMs);
    lastAt = now;
    if (bytes < minBytes) minBytes = bytes;
    if (bytes > maxBytes) maxBytes = bytes;
    if (count === fleet.roomSubs[room]) {
      inflight[room]!--;
      if (a.rate === null) pump(room);
    }
  };

  if (a.rate === null) {
    for (let room = 0; room < rooms; room++) pump(room);
  } else {
    const msgsPerSec = a.rate / (fleet.args.n / rooms);
    const total = Math.max(1, Math.round((msgsPerSec * a.durationMs) / 1000));
    const tick = () => {
      if (!sending) return;
      const due = Math.min(total, Math.floor(((performance.now() - t0) * msgsPerSec) / 1000) + 1);
      while (sent < due) send(sent % rooms);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  }
  await sleep(Math.max(0, end - performance.now()));
  sending = false;
  const drainTimedOut = await drain(() => received + duplicates, () => received >= expected, a.drainMs);
  fleet.onDelivery = () => undefined;
  const wallMs = performance.now() - t0;
  // Over the send window, or longer when deliveries trailed after it (a server falling behind).
  const receiveMs = Math.max(a.durationMs, lastAt - t0);
  return {
    phase: a.phase,
    offered: a.rate ?? 'max',
    durationMs: a.durationMs,
    sentMessages: sent,
    sentMsgsPerSec: round((sent * 1000) / a.durationMs, 1),
    expected,
    received,
    lost: expected - received,
    duplicates,
    stale,
    deliveredPerSec: Math.round((received * 1000) / receiveMs),
    receiveSpanMs: Math.round(lastAt - t0),
    latencyMs: samples.summary(),
    frameBytes: { min: Number.isFinite(minBytes) ? minBytes : 0, max: maxBytes },
    drainTimedOut,
    errors: diffErrors(fleet.errors, errorsBefore),
    loadgenCpu: cpuSince(cpu, wallMs),
    wallMs: Math.round(wallMs),
  };
}

/** Waits until `done`, or `maxMs`, or 3 s without progress; true when it gave up. */
async function drain(progress: () => number, done: () => boolean, maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  let last = progress();
  let lastChange = performance.now();
  while (!done()) {
    const now = performance.now();
    if (now > deadline || now - lastChange > 3000) return true;
    await sleep(10);
    if (progress() !== last) {
      last = progress();
      lastChange = performance.now();
    }
  }
  return false;
}

/** The errors a fleet made between two readings. */
export function diffErrors(now: FleetErrors, before: FleetErrors): FleetErrors {
  return {
    openFailures: now.openFailures - before.openFailures,
    subscriptionErrors: now.subscriptionErrors - before.subscriptionErrors,
    sendErrors: now.sendErrors - before.sendErrors,
    unexpectedCloses: now.unexpectedCloses - before.unexpectedCloses,
    lastCloseCode: now.lastCloseCode,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
