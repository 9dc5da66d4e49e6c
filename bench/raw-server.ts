/**
 * The physical-limit baseline: plain `ws`, the service's JWT check (jsonwebtoken, HS256,
 * a KeyObject secret) on a first `hello` frame, rooms joined by a `sub` frame, and a `pub`
 * frame fanned out with ONE ws.send per socket of a frame shaped (and sized) like the
 * service's graphql-transport-ws `next` frame for messageAdded. The frame is serialized
 * once per publish (per distinct subscription id), as a fan-out at the limit would.
 *
 * Env: PORT (0 = any), HOST (127.0.0.1), JWT_SECRET. Prints `{"listening":<port>}` when up.
 */
import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { WebSocketServer, type WebSocket } from 'ws';
import { globalId, type RawClientFrame } from './protocol';

const secret = process.env.JWT_SECRET;
if (!secret) throw new Error('JWT_SECRET is required');
const key = createSecretKey(Buffer.from(secret, 'utf8'));

/** Per socket: the user once `hello` verified, and the rooms to leave on close. */
interface SocketState {
  userId: string | null;
  rooms: Map<string, string>;
}

/** room → socket → the socket's subscription id in that room. */
const rooms = new Map<string, Map<WebSocket, string>>();

function verify(token: unknown): string | null {
  if (typeof token !== 'string') return null;
  try {
    const claims = jwt.verify(token, key, { algorithms: ['HS256'] });
    return typeof claims === 'string' || typeof claims.sub !== 'string' ? null : claims.sub;
  } catch {
    return null;
  }
}

function join(ws: WebSocket, state: SocketState, room: string, id: string): void {
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Map()));
  members.set(ws, id);
  state.rooms.set(room, id);
}

function leaveAll(ws: WebSocket, state: SocketState): void {
  for (const room of state.rooms.keys()) {
    const members = rooms.get(room);
    members?.delete(ws);
    if (members?.size === 0) rooms.delete(room);
  }
}

/** The `next` frame the service would send for this message, serialized once per subscription id. */
function publish(state: SocketState, frame: Extract<RawClientFrame, { type: 'pub' }>, publisher: WebSocket): void {
  const message = {
    id: globalId('Message', randomUUID()),
    body: frame.body,
    createdAt: new Date().toISOString(),
    // The service's subscription selects Message.status; a fresh message is SENT to everyone.
    status: 'SENT',
    author: { id: globalId('User', state.userId!), username: frame.username },
    room: { id: frame.room },
  };
  const encoded = new Map<string, Buffer>();
  for (const [ws, id] of rooms.get(frame.room) ?? []) {
    let bytes = encoded.get(id);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify({ id, type: 'next', payload: { data: { messageAdded: message } } }));
      encoded.set(id, bytes);
    }
    ws.send(bytes);
  }
  // The service answers the sending mutation with `next` + `complete`; so does the baseline.
  const result = { data: { sendMessage: { id: message.id, createdAt: message.createdAt } } };
  publisher.send(JSON.stringify({ id: frame.id, type: 'next', payload: result }));
  publisher.send(JSON.stringify({ id: frame.id, type: 'complete' }));
}

function onFrame(ws: WebSocket, state: SocketState, data: Buffer): void {
  let frame: RawClientFrame;
  try {
    frame = JSON.parse(data.toString('utf8')) as RawClientFrame;
  } catch {
    return ws.close(4400, 'Invalid frame');
  }
  if (frame.type === 'hello') {
    if (state.userId) return ws.close(4429, 'Too many hellos');
    state.userId = verify(frame.token);
    if (!state.userId) return ws.close(4403, 'Forbidden');
    return ws.send('{"type":"welcome"}');
  }
  if (!state.userId) return ws.close(4401, 'Unauthorized');
  if (frame.type === 'sub') return join(ws, state, frame.room, frame.id);
  if (frame.type === 'pub') return publish(state, frame, ws);
  ws.close(4400, 'Unknown frame');
}

const http = createServer((_req, res) => res.writeHead(426).end());
const wss = new WebSocketServer({ server: http, maxPayload: 1024 * 1024 });
wss.on('connection', (ws) => {
  const state: SocketState = { userId: null, rooms: new Map() };
  ws.on('message', (data) => onFrame(ws, state, data as Buffer));
  ws.on('close', () => leaveAll(ws, state));
  ws.on('error', () => undefined);
});

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ listening: (http.address() as AddressInfo).port })}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
