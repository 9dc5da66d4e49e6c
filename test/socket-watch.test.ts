import WebSocket from 'ws';
import type { Services } from '../src/app';
import { createWsServer } from '../src/servers/ws/ws';
import { createChatYoga } from '../src/servers/graphql/yoga';
import { signUp, type TestUser } from './helpers/factories';
import { useServers } from './helpers/servers';
import { withTimeout } from './helpers/wait';

/**
 * The heartbeat and the connection-init deadline (one timer for every socket, see
 * socket-watch.ts), on a WebSocket server of their own with short periods.
 */

const servers = useServers();
const timing = { keepAliveMs: 400, connectionInitWaitMs: 300 };
let wsUrl: string;
let stopWs: () => Promise<void>;
let alice: TestUser;

beforeAll(async () => {
  const { deps } = servers();
  const services = { deps, readiness: async () => ({ status: 'ok', checks: {} }), stop: async () => undefined } as unknown as Services;
  const ws = createWsServer(services, createChatYoga(deps), timing);
  wsUrl = `ws://127.0.0.1:${await ws.start(0, '127.0.0.1')}/graphql`;
  stopWs = () => ws.stop();
  alice = await signUp(servers(), 'alice');
});

afterAll(() => stopWs());

interface Opened {
  socket: WebSocket;
  closed: Promise<number>;
  received: string[];
}

function open(options: WebSocket.ClientOptions = {}): Promise<Opened> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws', options);
  const received: string[] = [];
  socket.on('message', (data) => received.push(JSON.parse(String(data)).type));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, closed, received }));
    socket.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a socket that sends no connection_init is closed with 4408 once the wait is over', async () => {
  const started = Date.now();
  const { closed } = await open();
  expect(await withTimeout(closed, 3000, 'the init deadline')).toBe(4408);
  expect(Date.now() - started).toBeGreaterThanOrEqual(timing.connectionInitWaitMs - 20);
});

test('an initialised socket that answers pings stays open over several periods', async () => {
  const { socket, closed, received } = await open();
  let pings = 0;
  socket.on('ping', () => pings++);
  socket.send(JSON.stringify({ type: 'connection_init', payload: { token: alice.token } }));
  const outcome = await Promise.race([closed.then((code) => `closed ${code}`), sleep(timing.keepAliveMs * 4).then(() => 'open')]);
  expect(outcome).toBe('open');
  expect(received).toEqual(['connection_ack']);
  expect(pings).toBeGreaterThanOrEqual(2);
  socket.close();
});

test('a peer that stops answering pings is terminated within two periods', async () => {
  const { socket, closed } = await open({ autoPong: false });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { token: alice.token } }));
  const started = Date.now();
  // Terminated, not closed: the server does not wait for a close handshake from a dead peer.
  expect(await withTimeout(closed, timing.keepAliveMs * 4, 'the heartbeat to give up')).toBe(1006);
  expect(Date.now() - started).toBeLessThanOrEqual(timing.keepAliveMs * 2 + 200);
});
