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
  /** The server answered the final probe ping (its message loop is not stuck). */
  answered: boolean;
  closeCode: number | null;
  closeReason: string;
}

/**
 * Sends `frames` on a fresh graphql-transport-ws socket (after a proper init when
 * `initWith` is given), then a ping with a unique payload. graphql-ws handles a socket's
 * messages in order, so its pong shows every earlier frame was dealt with; a server may
 * instead close the socket. Either must happen within `boundMs`.
 */
export async function runSocketSession(url: string, initWith: string | null, frames: Wire[], boundMs: number): Promise<SocketOutcome> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  socket.on('error', () => undefined);
  const probe = `probe-${Math.random()}`;
  let answered = false;
  let acked = false;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const probeAnswered = new Promise<void>((resolve) =>
    socket.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"connection_ack"')) acked = true;
      if (text.includes(probe)) {
        answered = true;
        resolve();
      }
    }),
  );
  const opened = new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  if (await withTimeout(opened, boundMs, 'the socket to open')) {
    if (initWith !== null) {
      socket.send(JSON.stringify({ type: 'connection_init', payload: { token: initWith } }));
      await withTimeout(Promise.race([until(() => acked), closed]), boundMs, 'connection_ack');
    }
    for (const frame of frames) if (socket.readyState === WebSocket.OPEN) socket.send(frame);
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping', payload: { probe } }));
    await withTimeout(Promise.race([probeAnswered, closed]), boundMs, 'a pong to the probe, or a close');
  }
  if (socket.readyState === WebSocket.OPEN) socket.close(1000);
  const { code, reason } = await withTimeout(closed, boundMs, 'the socket to close');
  return { answered, closeCode: answered ? null : code, closeReason: reason };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
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
  return encodeURIComponent(text).slice(0, 16_000);
}
