import pino from 'pino';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Bounds } from '../src/config';
import type { Services } from '../src/app';
import { createWsServer, type WsTiming } from '../src/servers/ws/ws';
import { createChatYoga } from '../src/servers/graphql/yoga';
import { createRoom, joinRoom, listening, signUp, topics, type TestUser } from './helpers/factories';
import { codeOf, useWsClients, wsRequest } from './helpers/live';
import { MessageAddedDoc, SendMessageDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { withTimeout } from './helpers/wait';
import { wsClient, subscribe } from './helpers/ws';
import { rawSocket, wsExecute, type RawSocket } from './helpers/ws-request';

/**
 * Issue 14, items 4-6: what one socket or one address may make the WebSocket server do.
 * The servers run with the default bounds (MAX_OPERATIONS_PER_SOCKET 100, ...); the
 * flood, deadline and per-address tests use a WebSocket server of their own over the
 * same services, with small bounds and its log lines captured.
 */
const servers = useServers();
const open = useWsClients(servers);
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

let alice: TestUser;
let bob: TestUser;
let roomId: string;
beforeAll(async () => {
  [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  roomId = (await createRoom(servers(), alice)).id;
  await joinRoom(servers(), bob, roomId);
});

interface BoundedWs {
  url: string;
  /** Log lines at warn level or above. */
  warnings(): { msg: string }[];
}

async function boundedWs(bounds: Partial<Bounds>, timing: WsTiming = { keepAliveMs: 12_000, connectionInitWaitMs: 3_000 }): Promise<BoundedWs> {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const { deps: shared } = servers();
  const deps = { ...shared, log, config: { ...shared.config, bounds: { ...shared.config.bounds, ...bounds } } };
  const services = { deps, readiness: async () => ({ status: 'ok', checks: {} }), stop: async () => undefined } as unknown as Services;
  const ws = createWsServer(services, createChatYoga(deps), timing);
  const url = `ws://127.0.0.1:${await ws.start(0, '127.0.0.1')}/graphql`;
  stops.push(() => ws.stop());
  return { url, warnings: () => lines.filter((line) => line.level >= 40) };
}

/** `chat_ws_slow_consumers_closed_total` from the WebSocket server's GET /metrics. */
async function slowConsumersClosed(wsUrl: string): Promise<number> {
  const text = await (await fetch(wsUrl.replace(/^ws:/, 'http:').replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^chat_ws_slow_consumers_closed_total (\S+)$/m.exec(text)?.[1]);
}

/** Another user's sendMessage over graphql-ws (from `localAddress`) answers, without errors, within `ms`. */
async function expectServedWithin(ms: number, url = servers().wsUrl, localAddress?: string): Promise<void> {
  const client = localAddress
    ? createClient({ url, retryAttempts: 0, connectionParams: { token: bob.token }, webSocketImpl: socketFrom(localAddress) })
    : wsClient(url, bob.token);
  try {
    const started = Date.now();
    const result = await wsRequest(client, SendMessageDoc, { roomId, body: 'still served' });
    expect(result.errors).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(ms);
  } finally {
    await client.dispose();
  }
}

/** A WebSocket class for graphql-ws whose sockets leave from another loopback address. */
function socketFrom(localAddress: string) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { localAddress });
    }
  };
}

async function initialised(url: string, token: string): Promise<RawSocket> {
  const raw = await rawSocket(url);
  raw.send({ type: 'connection_init', payload: { token } });
  expect((await raw.message()).type).toBe('connection_ack');
  return raw;
}

/** The client's TCP socket: pausing it means the client reads nothing more. */
const tcpOf = (raw: RawSocket) => (raw.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;

/**
 * Sends graphql-ws pings from a client that reads nothing, up to `count` frames or `ms`,
 * then starts reading again and resolves with the close code the server had sent.
 */
async function pingFlood(raw: RawSocket, options: { count: number; payloadBytes: number; ms: number; stop(): boolean }) {
  const frame = JSON.stringify({ type: 'ping', payload: { pad: 'x'.repeat(options.payloadBytes) } });
  tcpOf(raw).pause();
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, options.ms));
  for (let i = 0; i < options.count && raw.socket.readyState === raw.socket.OPEN && !options.stop(); i++) {
    // Waits until the frame reached the kernel, or the time is up (a server that stopped reading).
    await Promise.race([new Promise((resolve) => raw.socket.send(frame, resolve)), deadline]);
  }
  tcpOf(raw).resume();
  return (await raw.closed(10_000)).code;
}

describe('operations per socket (MAX_OPERATIONS_PER_SOCKET, default 100)', () => {
  test('operations past the cap are refused with BAD_USER_INPUT, the socket stays usable, and others are served meanwhile', async () => {
    const client = open(alice.token);
    const subs = Array.from({ length: 100 }, () => subscribe(client, MessageAddedDoc, { roomId }));
    await listening(servers(), topics.messages(roomId), 100);
    // 60 more: with the 100 above, within the default frame budget (a 2 s burst of 100 frames/s).
    const overCap = Array.from({ length: 60 }, (_, i) =>
      i % 2 ? wsExecute(client, 'query { me { id } }') : wsExecute(client, MessageAddedDoc.toString(), { roomId }),
    );
    await expectServedWithin(2000);
    for (const refused of await Promise.all(overCap)) expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    // Still open: the 100 subscriptions get the message above, and a freed slot takes a new operation.
    for (const sub of subs) expect((await sub.next()).data?.messageAdded.body).toBe('still served');
    await subs[0]!.close();
    await expect(wsExecute(client, 'query { me { username } }')).resolves.toEqual({ data: { me: { username: alice.username } } });
  });
});

describe('subscriptions executed per event', () => {
  test('500 subscriptions selecting room members: another client sendMessage answers within 2 s and every subscriber gets the event', async () => {
    const query = 'subscription($r: ID) { messageAdded(roomId: $r) { body room { members { username } } } }';
    const subs = Array.from({ length: 5 }, () => open(alice.token)).flatMap((client) =>
      Array.from({ length: 100 }, () => subscribe(client, query, { r: roomId })),
    );
    await listening(servers(), topics.messages(roomId), 500);
    await expectServedWithin(2000);
    for (const sub of subs) {
      const { data } = (await sub.next()) as { data: { messageAdded: { body: string; room: { members: { username: string }[] } } } };
      expect(data.messageAdded.body).toBe('still served');
      expect(data.messageAdded.room.members).toHaveLength(2);
    }
  });
});

describe('ping floods', () => {
  test('a client that pings and never reads is closed with 1013 once its pongs pass 1 MiB, logged once, RSS bounded', async () => {
    const ws = await boundedWs({ maxFramesPerSocketPerSecond: 0 });
    const raw = await initialised(ws.url, alice.token);
    const slowConsumersBefore = await slowConsumersClosed(ws.url);
    const rssBefore = process.memoryUsage().rss;
    const closed = pingFlood(raw, { count: 1000, payloadBytes: 64 * 1024, ms: 8000, stop: () => ws.warnings().length > 0 });
    await expectServedWithin(2000, ws.url);
    expect(await closed).toBe(1013);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    expect(ws.warnings().map((line) => line.msg)).toEqual(['closing a slow consumer']);
    expect(await slowConsumersClosed(ws.url)).toBe(slowConsumersBefore + 1);
  });

  test('a client sending frames faster than MAX_FRAMES_PER_SOCKET_PER_SECOND is closed with 4429, logged once', async () => {
    const ws = await boundedWs({ maxFramesPerSocketPerSecond: 50 });
    const raw = await initialised(ws.url, alice.token);
    const closed = pingFlood(raw, { count: 5000, payloadBytes: 16, ms: 3000, stop: () => false });
    await expectServedWithin(2000, ws.url);
    expect(await closed).toBe(4429);
    expect(ws.warnings().map((line) => line.msg)).toEqual(['closing a socket that sends too many messages']);
  });

  test('a burst within the budget is served', async () => {
    const ws = await boundedWs({ maxFramesPerSocketPerSecond: 50 });
    const raw = await initialised(ws.url, alice.token);
    for (let i = 0; i < 90; i++) raw.send({ type: 'ping' });
    for (let i = 0; i < 90; i++) expect((await raw.message()).type).toBe('pong');
    raw.socket.close();
  });
});

/** Sockets opened by upgradeStatus, closed by the test that opened them. */
const opened: WebSocket[] = [];

describe('sockets that have not initialised', () => {
  test('a ping whose payload says "connection_init" does not lift the deadline (4408), an initialised neighbour stays', async () => {
    const ws = await boundedWs({}, { keepAliveMs: 400, connectionInitWaitMs: 300 });
    const raw = await rawSocket(ws.url);
    raw.send({ type: 'ping', payload: { type: 'connection_init', '"connection_init"': true } });
    expect((await raw.message()).type).toBe('pong');
    const neighbour = await initialised(ws.url, bob.token);
    expect((await raw.closed(3000)).code).toBe(4408);
    expect(neighbour.socket.readyState).toBe(WebSocket.OPEN);
    await expectServedWithin(2000, ws.url);
    neighbour.socket.close();
  });

  test('the socket past MAX_PENDING_SOCKETS_PER_ADDRESS is refused with 429; another address and initialised sockets are not', async () => {
    const ws = await boundedWs({ maxPendingSocketsPerAddress: 3 });
    const pending = [await rawSocket(ws.url), await rawSocket(ws.url), await rawSocket(ws.url)];
    expect(await upgradeStatus(ws.url)).toBe(429);
    expect(await upgradeStatus(ws.url, '127.0.0.2')).toBe(101);
    // Initialising one frees its place; so does closing one.
    pending[0]!.send({ type: 'connection_init', payload: { token: alice.token } });
    expect((await pending[0]!.message()).type).toBe('connection_ack');
    expect(await upgradeStatus(ws.url)).toBe(101);
    expect(await upgradeStatus(ws.url)).toBe(429);
    await expectServedWithin(2000, ws.url, '127.0.0.2');
    pending[1]!.socket.close();
    await pending[1]!.closed();
    expect(await upgradeStatus(ws.url)).toBe(101);
    for (const raw of pending) raw.socket.close();
    for (const socket of opened.splice(0)) socket.close();
  });
});

/** The HTTP status of a WebSocket upgrade: 101 (the socket is kept, to be closed by the caller) or the refusal's. */
function upgradeStatus(url: string, localAddress?: string): Promise<number> {
  const socket = new WebSocket(url, 'graphql-transport-ws', { localAddress });
  const status = new Promise<number>((resolve, reject) => {
    socket.once('open', () => {
      opened.push(socket);
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', reject);
  });
  return withTimeout(status, 5000, 'the upgrade');
}
