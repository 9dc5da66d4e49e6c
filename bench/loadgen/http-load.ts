import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { chatListQuery, chatListSeries, cursorOf, editMutation, historyQuery, markReadMutation, reactMutation, sendMutation } from '../protocol';
import { cpuSince, round, Samples, type CpuFigure, type LatencySummary } from '../stats';

interface Reply {
  status: number;
  text: string;
  /** The `total` of the response's `Server-Timing` header in ms, when it has one. */
  serverMs?: number | null;
}

/** `total;dur=1.234` in a Server-Timing header (the service's API server sets it). */
function serverTimingTotal(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  const match = value ? /(?:^|,)\s*total;(?:[^,]*;)?\s*dur=([\d.]+)/.exec(value) : null;
  return match ? Number(match[1]) : null;
}

/** One HTTP request on a keep-alive agent; the body is read fully. */
function call(agent: Agent, url: URL, method: 'GET' | 'POST', body: string | null, token: string | null): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/graphql-response+json, application/json' };
    if (body !== null) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    if (token) headers.authorization = `Bearer ${token}`;
    const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, serverMs: serverTimingTotal(res.headers['server-timing']) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const failed = (reply: Reply) => reply.status !== 200 || reply.text.includes('"errors"');

export interface SendArgs {
  apiUrl: string;
  tokens: string[];
  rooms: string[];
  concurrency: number;
  durationMs: number;
  bodyBytes: number;
}

export interface SendResult {
  concurrency: number;
  requests: number;
  succeeded: number;
  errors: number;
  firstError: string | null;
  perSec: number;
  latencyMs: LatencySummary;
  loadgenCpu: CpuFigure;
  wallMs: number;
}

/** One request of a closed loop: its JSON body, the token it is sent with, and what must be true of the answer. */
interface LoopRequest {
  payload: string;
  token: string;
  /** Why a 200 answer without errors is still wrong, or null when it is right. */
  check?: (text: string) => string | null;
}

/**
 * `concurrency` workers POSTing to the API in a closed loop for `durationMs`; request n
 * (numbered across workers) is `next(n)`. Latency is per request, errors are GraphQL errors
 * or non-200 answers.
 */
async function closedLoop(apiUrl: string, concurrency: number, durationMs: number, next: (n: number) => LoopRequest): Promise<SendResult> {
  const url = new URL(apiUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const samples = new Samples();
  let requests = 0;
  let errors = 0;
  let firstError: string | null = null;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const { payload, token, check } = next(requests++);
      const started = performance.now();
      const reply = await call(agent, url, 'POST', payload, token).catch((err: Error) => ({ status: 0, text: err.message }));
      samples.add(performance.now() - started);
      const wrong = failed(reply) ? `${reply.status} ${reply.text.slice(0, 300)}` : (check?.(reply.text) ?? null);
      if (wrong !== null) {
        errors++;
        firstError ??= wrong;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - t0;
  agent.destroy();
  return {
    concurrency,
    requests,
    succeeded: requests - errors,
    errors,
    firstError,
    perSec: round(((requests - errors) * 1000) / wallMs, 1),
    latencyMs: samples.summary(),
    loadgenCpu: cpuSince(cpu, wallMs),
    wallMs: Math.round(wallMs),
  };
}

/** sendMessage over HTTP from `concurrency` workers in a closed loop, for `durationMs`. */
export function httpSend(a: SendArgs): Promise<SendResult> {
  return closedLoop(a.apiUrl, a.concurrency, a.durationMs, (n) => {
    const body = `bench send ${n} `.padEnd(a.bodyBytes, 'x');
    const roomId = a.rooms[n % a.rooms.length]!;
    return { payload: JSON.stringify({ query: sendMutation, variables: { roomId, body } }), token: a.tokens[n % a.tokens.length]! };
  });
}

export interface MutateArgs {
  apiUrl: string;
  kind: 'edit' | 'react';
  /** Every user's token; a message's author is an index into it. */
  tokens: string[];
  messages: { id: string; author: number }[];
  emojis: string[];
  concurrency: number;
  durationMs: number;
  /** Request numbering starts here, so a measured run continues after its warm-up (no repeated change). */
  offset: number;
}

/**
 * editMessage or addReaction over HTTP from `concurrency` workers in a closed loop. Request
 * k edits message k mod M as its author with a new body, or adds a reaction to message
 * k mod M by user ⌊k / M⌋ mod U: every request really changes something, and consecutive
 * requests touch different messages (spread over every room) rather than queueing on one.
 */
export function httpMutate(a: MutateArgs): Promise<SendResult> {
  const m = a.messages.length;
  const users = a.tokens.length;
  return closedLoop(a.apiUrl, a.concurrency, a.durationMs, (n) => {
    const k = a.offset + n;
    const message = a.messages[k % m]!;
    if (a.kind === 'edit') {
      return { payload: JSON.stringify({ query: editMutation, variables: { messageId: message.id, body: `bench edit ${k}` } }), token: a.tokens[message.author]! };
    }
    const pass = Math.floor(k / m);
    const emoji = a.emojis[Math.floor(pass / users) % a.emojis.length]!;
    return { payload: JSON.stringify({ query: reactMutation, variables: { messageId: message.id, emoji } }), token: a.tokens[pass % users]! };
  });
}

export interface MarkReadArgs {
  apiUrl: string;
  /** The readers' tokens (none of them wrote the messages). */
  tokens: string[];
  /** Per room, the global ids of its seeded messages in room order. */
  messages: string[][];
  concurrency: number;
  durationMs: number;
  /** Request numbering starts here, so a measured run continues where its warm-up stopped. */
  offset: number;
}

/**
 * markRead over HTTP from `concurrency` workers in a closed loop. Request k is by pair
 * p = k mod P of (reader, room), P = readers × rooms, and marks the ⌊k / P⌋-th seeded
 * message of that room: each pair marks its messages in increasing order, so every request
 * moves a marker (checked: the answer's `lastRead` is the message), and consecutive
 * requests are different members' rows. A pair past the last seeded message is an error.
 */
export function httpMarkRead(a: MarkReadArgs): Promise<SendResult> {
  const rooms = a.messages.length;
  const pairs = a.tokens.length * rooms;
  return closedLoop(a.apiUrl, a.concurrency, a.durationMs, (n) => {
    const k = a.offset + n;
    const pair = k % pairs;
    const room = a.messages[pair % rooms]!;
    const step = Math.floor(k / pairs);
    const messageId = room[Math.min(step, room.length - 1)]!;
    return {
      payload: JSON.stringify({ query: markReadMutation, variables: { messageId } }),
      token: a.tokens[Math.floor(pair / rooms)]!,
      check: (text) => {
        if (step >= room.length) return `pair ${pair} ran out of seeded messages (${room.length}): seed more`;
        const lastRead = (JSON.parse(text) as { data?: { markRead?: { lastRead?: { id?: string } | null } } }).data?.markRead?.lastRead?.id;
        return lastRead === messageId ? null : `markRead(${messageId}) left lastRead at ${lastRead}`;
      },
    };
  });
}

export interface HistoryArgs {
  apiUrl: string;
  token: string;
  roomId: string;
  lastSeq: number;
  /** Requests per series; each series also stops at maxMs. */
  count: number;
  maxMs: number;
}

export interface HistorySeries {
  name: string;
  requests: number;
  errors: number;
  firstError: string | null;
  /** Client latency: send of the request to the last byte of the response. */
  latencyMs: LatencySummary;
  /** The server's own `Server-Timing: total` of the same requests; null when it sent none (`/health`). */
  serverMs: LatencySummary | null;
}

export interface HistoryResult {
  series: HistorySeries[];
  loadgenCpu: CpuFigure;
  wallMs: number;
}

/**
 * One client, one request at a time, so latency ≈ server time plus one loopback round
 * trip; the `GET /health` series measures that round trip (the floor) on the same socket.
 * Each GraphQL reply also carries the server's own time (Server-Timing), kept per series.
 */
export async function history(a: HistoryArgs): Promise<HistoryResult> {
  const api = new URL(a.apiUrl);
  const health = new URL('/health', api);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const page = (before: string | null) => JSON.stringify({ query: historyQuery, variables: { roomId: a.roomId, before } });
  const randomCursor = () => cursorOf(51 + Math.floor(Math.random() * (a.lastSeq - 50)));
  const series = [
    await measure('GET /health (floor)', a, () => call(agent, health, 'GET', null, null)),
    await measure('messages(last: 50)', a, () => call(agent, api, 'POST', page(null), a.token)),
    await measure('messages(last: 50, before: random)', a, () => call(agent, api, 'POST', page(randomCursor()), a.token)),
  ];
  agent.destroy();
  const wallMs = performance.now() - t0;
  return { series, loadgenCpu: cpuSince(cpu, wallMs), wallMs: Math.round(wallMs) };
}

async function measure(name: string, a: { count: number; maxMs: number }, once: () => Promise<Reply>): Promise<HistorySeries> {
  // Warm the path (JIT, statement caches) before timing it.
  for (let i = 0; i < 20; i++) await once();
  const samples = new Samples();
  const serverSamples = new Samples();
  let errors = 0;
  let firstError: string | null = null;
  const end = performance.now() + a.maxMs;
  for (let i = 0; i < a.count && performance.now() < end; i++) {
    const started = performance.now();
    const reply = await once();
    samples.add(performance.now() - started);
    if (reply.serverMs != null) serverSamples.add(reply.serverMs);
    if (failed(reply)) {
      errors++;
      firstError ??= `${reply.status} ${reply.text.slice(0, 300)}`;
    }
  }
  const serverMs = serverSamples.count > 0 ? serverSamples.summary() : null;
  return { name, requests: samples.count, errors, firstError, latencyMs: samples.summary(), serverMs };
}

export interface ChatListArgs {
  apiUrl: string;
  token: string;
  /** What every answer must hold: this many rooms, each with this unreadCount and a lastMessage. */
  rooms: number;
  unread: number;
  count: number;
  maxMs: number;
}

/** Why a chat list answer is wrong, or null. */
function chatListProblem(text: string, a: ChatListArgs): string | null {
  type Row = { lastMessage: { body: string } | null; unreadCount: number; lastActivityAt: string };
  const rooms = (JSON.parse(text) as { data?: { rooms?: Row[] } }).data?.rooms;
  if (!rooms) return `no rooms: ${text.slice(0, 300)}`;
  if (rooms.length !== a.rooms) return `${rooms.length} rooms, expected ${a.rooms}`;
  const bad = rooms.findIndex((r) => r.unreadCount !== a.unread || r.lastMessage === null);
  if (bad >= 0) return `room ${bad}: unreadCount ${rooms[bad]!.unreadCount} (expected ${a.unread}), lastMessage ${JSON.stringify(rooms[bad]!.lastMessage)}`;
  for (let i = 1; i < rooms.length; i++) if (rooms[i - 1]!.lastActivityAt < rooms[i]!.lastActivityAt) return `rooms ${i - 1} and ${i} not ordered by lastActivityAt`;
  return null;
}

/**
 * The chat list (`rooms { lastMessage { body } unreadCount lastActivityAt }`) from one client,
 * one request at a time, like `history`: a `/health` floor series first, then the query,
 * every answer checked (room count, unread counts, order).
 */
export async function chatList(a: ChatListArgs): Promise<HistoryResult> {
  const api = new URL(a.apiUrl);
  const health = new URL('/health', api);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const payload = JSON.stringify({ query: chatListQuery });
  const limits = { count: a.count, maxMs: a.maxMs };
  const series = [
    await measure('GET /health (floor)', limits, () => call(agent, health, 'GET', null, null)),
    await measure(chatListSeries, limits, async () => {
      const reply = await call(agent, api, 'POST', payload, a.token);
      if (failed(reply)) return reply;
      const problem = chatListProblem(reply.text, a);
      // A wrong answer counts as an error (measure() looks for "errors" in the text).
      return problem === null ? reply : { ...reply, text: `{"errors":[${JSON.stringify(problem)}]}` };
    }),
  ];
  agent.destroy();
  const wallMs = performance.now() - t0;
  return { series, loadgenCpu: cpuSince(cpu, wallMs), wallMs: Math.round(wallMs) };
}
