import WebSocket from 'ws';
import type { HttpCase, Wire } from './fuzz-input';
import { withTimeout } from './wait';

/**
 * Close codes a hostile socket may be closed with, each documented (DESIGN.md, README
 * "Limits"): anything else (4500, 1006 with no close frame, 1011) is a server failure.
 */
export const documentedCloseCodes = new Set([
  1000, // the client's own close after the probe
  1009, // frame over 1 MiB
  1013, // the client does not read what it is sent
  4400, // invalid message
  4401, // subscribe before the ack
  4403, // rejected connection_init
  4408, // no init in time
  4409, // duplicate operation id
  4429, // second init, or a flood of frames
]);

export interface SocketOutcome {
  /** Every query or mutation sent got its `complete` or `error`, and the final ping its pong. */
  answered: boolean;
  closeCode: number | null;
  closeReason: string;
}

/**
 * Sends `frames` on a fresh graphql-transport-ws socket (after a proper init when
 * `initWith` is given), then a ping with a unique payload. Within `boundMs` the server
 * must either answer everything (the pong, and a `complete` or `error` for every
 * well-formed query or mutation it was sent) or close the socket.
 */
export async function runSocketSession(url: string, initWith: string | null, frames: Wire[], boundMs: number): Promise<SocketOutcome> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  try {
    return await session(socket, initWith, frames, boundMs);
  } catch (err) {
    socket.terminate();
    throw err;
  }
}

async function session(socket: WebSocket, initWith: string | null, frames: Wire[], boundMs: number): Promise<SocketOutcome> {
  socket.on('error', () => undefined);
  const probe = `probe-${Math.random()}`;
  const awaiting = new Set<string>();
  let ponged = false;
  let acked = false;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const isClosed = () => socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED;
  socket.on('message', (data) => {
    const text = data.toString();
    if (text.includes(probe)) ponged = true;
    const message = parseFrame(text);
    if (message?.type === 'connection_ack') acked = true;
    if ((message?.type === 'complete' || message?.type === 'error') && typeof message.id === 'string') awaiting.delete(message.id);
  });
  const opened = new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  if (await withTimeout(opened, boundMs, 'the socket to open')) {
    if (initWith !== null) {
      socket.send(JSON.stringify({ type: 'connection_init', payload: { token: initWith } }));
      await until(() => acked || isClosed(), boundMs, 'connection_ack');
    }
    for (const frame of frames) {
      if (socket.readyState !== WebSocket.OPEN) break;
      const id = answeredOperationId(frame);
      if (id !== null) awaiting.add(id);
      // A client's own `complete` ends an operation without an answer (graphql-transport-ws).
      const completed = completedId(frame);
      if (completed !== null) awaiting.delete(completed);
      socket.send(frame);
    }
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping', payload: { probe } }));
    await until(() => (ponged && awaiting.size === 0) || isClosed(), boundMs, () => `answers (pong ${ponged}, ${awaiting.size} operations awaiting), or a close`);
  }
  const answered = ponged && awaiting.size === 0;
  if (socket.readyState === WebSocket.OPEN) socket.close(1000);
  const { code, reason } = await withTimeout(closed, boundMs, 'the socket to close');
  return { answered, closeCode: answered ? null : code, closeReason: reason };
}

function parseFrame(text: string): { type?: unknown; id?: unknown; payload?: unknown } | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as { type?: unknown; id?: unknown }) : null;
  } catch {
    return null;
  }
}

/** The id of a well-formed subscribe of a query or mutation (those end with `complete` or `error`; subscriptions need not). */
function answeredOperationId(frame: Wire): string | null {
  if (typeof frame !== 'string') return null;
  const message = parseFrame(frame) as { type?: unknown; id?: unknown; payload?: { query?: unknown } } | null;
  if (message?.type !== 'subscribe' || typeof message.id !== 'string' || message.id === '') return null;
  const query = message.payload?.query;
  return typeof query === 'string' && /^\s*(query|mutation|\{)/.test(query) ? message.id : null;
}

function completedId(frame: Wire): string | null {
  const message = typeof frame === 'string' ? parseFrame(frame) : null;
  return message?.type === 'complete' && typeof message.id === 'string' ? message.id : null;
}

/** Polls `check` until it holds; rejects after `ms` (the socket is then closed by the caller's failure). */
async function until(check: () => boolean, ms: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`nothing within ${ms} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface HttpOutcome {
  status: number;
  contentType: string;
}

/**
 * Sends one request to /graphql and reads the answer within `boundMs`. A streaming answer
 * (SSE or multipart subscription) may never end by design: its head is the answer, and the
 * request is then aborted, as a client leaving would.
 */
export async function runHttpCase(url: string, request: HttpCase, boundMs: number): Promise<HttpOutcome> {
  const headers: Record<string, string> = {};
  if (request.contentType) headers['content-type'] = request.contentType;
  if (request.accept) headers.accept = request.accept;
  if (request.authorization) headers.authorization = request.authorization;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${boundMs} ms`)), boundMs);
  try {
    const target = request.method === 'GET' ? `${url}?${queryString(request.body)}` : url;
    const response = await fetch(target, {
      method: request.method,
      headers,
      body: request.method === 'GET' ? undefined : typeof request.body === 'string' ? request.body : new Uint8Array(request.body),
      signal: controller.signal,
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (/event-stream|multipart/.test(contentType)) controller.abort();
    else await response.arrayBuffer();
    return { status: response.status, contentType };
  } finally {
    clearTimeout(timer);
  }
}

/** A GET carries the JSON body's fields as parameters (query, variables as JSON); other bodies go as they are. */
function queryString(body: string | Buffer): string {
  const text = body.toString();
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(parsed)) params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      return params.toString().slice(0, 16_000);
    }
  } catch {
    // Not JSON: sent as a raw query string below.
  }
  // Each UTF-8 byte percent-encoded: encodeURIComponent throws on a lone surrogate (the
  // fuzzer makes them), where a client sends it as U+FFFD as Buffer does.
  return Buffer.from(text, 'utf8').toString('hex').replace(/../g, '%$&').slice(0, 16_000);
}
