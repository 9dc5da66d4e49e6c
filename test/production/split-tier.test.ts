import type { FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import type { MessageAddedSubscription, MessagesQuery } from '../gql/graphql';
import { createTestDatabase, productionUrls, type TestDatabase } from '../helpers/backends';
import { killStarted, parseJson, startProcess, type ServerProcess } from '../helpers/child';
import { createRoom, joinRoom, send, signUp, type TestUser } from '../helpers/factories';
import { gqlData } from '../helpers/http';
import { wsData } from '../helpers/live';
import { MessageAddedDoc, MessagesDoc, SendMessageDoc, SetTypingDoc, TypingDoc } from '../helpers/operations';
import { makeDataDir, removeDataDir } from '../helpers/servers';
import { withTimeout } from '../helpers/wait';
import { subscribe, wsClient, type Subscription } from '../helpers/ws';
import { compiledEntry } from '../helpers/service-build';

/**
 * The split deployment as operators run it: one API process and two WebSocket processes
 * (real child processes) on one PostgreSQL database and one Redis. The tests run in order
 * against the same three processes: chat across them, kill one WebSocket process, fail
 * over to the other, then stop that one gracefully.
 */

jest.setTimeout(30_000);

// Three processes compile TypeScript and race for the migration lock: generous on a busy CI machine.
const startupMs = 25_000;
const probeEveryMs = 100;
const warmUpMs = 5000;

interface Tier {
  readonly proc: ServerProcess;
  readonly port: number;
}

let database: TestDatabase;
let dataDir: string;
let api: Tier;
let ws1: Tier;
let ws2: Tier;
let alice: TestUser;
let bob: TestUser;
let room: { id: string };
const clients: Client[] = [];
/** Every message acknowledged in `room` (sendMessage returned), in send order. */
const acknowledged: string[] = [];

const httpUrl = () => `http://127.0.0.1:${api.port}/graphql`;
const wsUrl = (tier: Tier) => `ws://127.0.0.1:${tier.port}/graphql`;
const viaApi = () => ({ httpUrl: httpUrl() });

async function started(proc: ServerProcess): Promise<Tier> {
  const line = await proc.logLine((e) => typeof e.port === 'number', 'the listening port', startupMs);
  return { proc, port: line.port as number };
}

function client(tier: Tier, user: TestUser): Client {
  const c = wsClient(wsUrl(tier), user.token);
  clients.push(c);
  return c;
}

/** Resolves with the close code of the client's socket (listen before causing the close). */
function closeCode(c: Client): Promise<number> {
  return new Promise((resolve) => c.on('closed', (event) => resolve((event as { code: number }).code)));
}

async function sendViaApi(body: string) {
  const message = await send(viaApi(), alice, room.id, body);
  acknowledged.push(message.id);
  return message;
}

async function sendOverWs(c: Client, body: string) {
  const { sendMessage } = await wsData(c, SendMessageDoc, { roomId: room.id, body });
  acknowledged.push(sendMessage.id);
  return sendMessage;
}

function setTypingViaApi(isTyping: boolean): Promise<unknown> {
  return gqlData(httpUrl(), SetTypingDoc, { roomId: room.id, isTyping }, alice.token);
}

/**
 * Readiness of a subscription held by another process. graphql-ws sends no "subscribed"
 * ack, and the bus that `listening()` reads in-process lives in another process here, so:
 * publish a probe every ~100 ms until the subscriber sees one (at most ~5 s); probes
 * published before that process's Redis channel was live are lost to live delivery, which
 * is expected. Then publish a marker and read up to it: probes still in flight come before
 * it (all sent by the API, one Redis publisher, so Redis keeps their order), and the real
 * assertions start on an empty subscription.
 */
async function warmUp<T>(
  sub: Subscription<T>,
  probe: () => Promise<unknown>,
  marker: () => Promise<unknown>,
  isMarker: (result: FormattedExecutionResult<T, unknown>) => boolean,
): Promise<void> {
  const first = sub.next(warmUpMs + 2000);
  let arrived = false;
  first.then(() => (arrived = true), () => (arrived = true));
  const deadline = Date.now() + warmUpMs;
  while (!arrived && Date.now() < deadline) {
    await probe();
    await withTimeout(first, probeEveryMs, 'a probe').catch(() => undefined);
  }
  await first;
  await marker();
  for (let read = 0; read < 100; read++) if (isMarker(await sub.next())) return;
  throw new Error('the warm-up marker never arrived');
}

/** Warms up a messageAdded subscription with messages sent through the API into `roomId`. */
function warmUpMessages(sub: Subscription<MessageAddedSubscription>, send: (body: string) => Promise<unknown>): Promise<void> {
  let probes = 0;
  const marker = `warm-up done ${Date.now()}`;
  return warmUp(sub, () => send(`probe ${probes++}`), () => send(marker), (r) => r.data?.messageAdded.body === marker);
}

/** A full room history over a graphql-ws connection, oldest first. */
async function historyOver(c: Client, roomId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 10; pages++) {
    const { messages }: MessagesQuery = await wsData(c, MessagesDoc, { roomId, first: 100, after });
    ids.push(...messages.edges.map((edge) => edge.node.id));
    if (!messages.pageInfo.hasNextPage) return ids;
    after = messages.pageInfo.endCursor ?? null;
  }
  throw new Error('more than 10 pages of history');
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await makeDataDir();
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: productionUrls().redisUrl,
    JWT_SECRET: 'split-tier-test-secret-shared-by-all-three-processes',
    HOST: '127.0.0.1',
    API_PORT: '0',
    SERVER_PORT: '0',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
  };
  // All three at once on an empty database: each migrates on start, and the advisory
  // lock must serialise them (a failed or doubled migration would stop a process).
  const procs = ['src/servers/api-main.ts', 'src/servers/ws-main.ts', 'src/servers/ws-main.ts'].map((entry) => startProcess(compiledEntry(entry), env));
  [api, ws1, ws2] = await Promise.all(procs.map(started));
  alice = await signUp(viaApi(), 'alice');
  bob = await signUp(viaApi(), 'bob');
  room = await createRoom(viaApi(), alice);
  await joinRoom(viaApi(), bob, room.id);
}, startupMs * 2);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.dispose()));
  killStarted();
  await database?.drop();
  if (dataDir) await removeDataDir(dataDir);
});

test('started at once on an empty database, exactly one of the three processes applies the migrations', () => {
  // The others waited on the advisory lock and found nothing left to apply.
  const applied = [api, ws1, ws2].filter((tier) => tier.proc.lines().some((line) => parseJson(line)?.msg === 'migrations applied'));
  expect(applied).toHaveLength(1);
});

test('/health and /ready answer 200 on the API and on both WebSocket processes', async () => {
  expect(new Set([api.port, ws1.port, ws2.port]).size).toBe(3);
  for (const tier of [api, ws1, ws2]) {
    expect((await fetch(`http://127.0.0.1:${tier.port}/health`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${tier.port}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  }
});

describe('across processes', () => {
  let bobOnWs2: Client;
  /** Bob's room subscription on WS process 2; it stays open until that process is killed. */
  let bobRoom: Subscription<MessageAddedSubscription>;

  beforeAll(async () => {
    bobOnWs2 = client(ws2, bob);
    bobRoom = subscribe(bobOnWs2, MessageAddedDoc, { roomId: room.id });
    await warmUpMessages(bobRoom, sendViaApi);
  });

  test('a subscriber on WS process 2 receives messages sent through WS process 1 and the API, identical to the sendMessage results', async () => {
    const overWs1 = await sendOverWs(client(ws1, alice), 'sent through WS process 1');
    expect((await bobRoom.next()).data?.messageAdded).toEqual(overWs1);
    const overApi = await sendViaApi('sent through the API');
    expect((await bobRoom.next()).data?.messageAdded).toEqual(overApi);
  });

  test('typing set on WS process 1 and on the API reaches a typing subscriber on WS process 2', async () => {
    const typing = subscribe(bobOnWs2, TypingDoc, { roomId: room.id });
    // Probes are "typing", the marker "stopped typing": only the marker is false.
    await warmUp(typing, () => setTypingViaApi(true), () => setTypingViaApi(false), (r) => r.data?.typing.isTyping === false);
    const expected = (isTyping: boolean) => ({ isTyping, user: { id: alice.id, username: alice.username }, room: { id: room.id } });

    expect(await wsData(client(ws1, alice), SetTypingDoc, { roomId: room.id, isTyping: true })).toEqual({ setTyping: true });
    expect((await typing.next()).data?.typing).toEqual(expected(true));
    await setTypingViaApi(false);
    expect((await typing.next()).data?.typing).toEqual(expected(false));
    await typing.close();
  });

  test('messageAdded without roomId on WS process 2 follows a room joined through the API after subscribing', async () => {
    // Its own rooms: the probes go to a lobby, so bob's room subscription sees none of them.
    const lobby = await createRoom(viaApi(), alice);
    await joinRoom(viaApi(), bob, lobby.id);
    const everything = subscribe(bobOnWs2, MessageAddedDoc, {});
    await warmUpMessages(everything, (body) => send(viaApi(), alice, lobby.id, body));

    const later = await createRoom(viaApi(), alice);
    await joinRoom(viaApi(), bob, later.id);
    const sent = await send(viaApi(), alice, later.id, 'in a room joined after subscribing');
    expect((await everything.next()).data?.messageAdded).toEqual(sent);
    await everything.close();
  });

  describe('when WS process 2 is killed', () => {
    let closedWith: number;
    let subscriptionError: unknown;
    let bobOnWs1: Client;
    let bobAgain: Subscription<MessageAddedSubscription>;

    beforeAll(async () => {
      // Acknowledged by the process about to die: it must survive the kill.
      const last = await sendOverWs(client(ws2, bob), 'last words on WS process 2');
      expect((await bobRoom.next()).data?.messageAdded).toEqual(last);
      const closed = closeCode(bobOnWs2);
      const pending = bobRoom.next().then(() => null, (err: unknown) => err ?? 'rejected');
      process.kill(-ws2.proc.child.pid!, 'SIGKILL');
      expect(await ws2.proc.exited(5000)).toBeNull();
      closedWith = await withTimeout(closed, 5000, 'the socket on WS process 2 to close');
      subscriptionError = await pending;
    });

    test('its clients see the socket close without a close frame (1006) and their subscription ends with an error', () => {
      expect(closedWith).toBe(1006);
      expect(subscriptionError).not.toBeNull();
    });

    test('a client reconnected to WS process 1 with the same token receives messages sent through the API', async () => {
      bobOnWs1 = client(ws1, bob);
      bobAgain = subscribe(bobOnWs1, MessageAddedDoc, { roomId: room.id });
      await warmUpMessages(bobAgain, sendViaApi);
      const sent = await sendViaApi('after the failover');
      expect((await bobAgain.next()).data?.messageAdded).toEqual(sent);
    });

    test('the history read over the new connection holds every acknowledged message, in order', async () => {
      expect(acknowledged.length).toBeGreaterThan(4);
      expect(await historyOver(bobOnWs1, room.id)).toEqual(acknowledged);
    });

    test('SIGTERM to WS process 1 closes its sockets with 1001 and it exits 0 within 10 s', async () => {
      const closed = closeCode(bobOnWs1);
      const signalledAt = Date.now();
      ws1.proc.child.kill('SIGTERM');
      expect(await withTimeout(closed, 10_000, 'the socket on WS process 1 to close')).toBe(1001);
      expect(await ws1.proc.exited(10_000)).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(10_000);
    }, 25_000);
  });
});
