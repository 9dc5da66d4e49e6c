import type { Client } from 'graphql-ws';
import type { MessageAddedSubscription } from '../gql/graphql';
import { createRoom, joinRoom, listening, send, signUp, topics, type TestUser } from '../helpers/factories';
import { errorCode, gql } from '../helpers/http';
import { readPage, type Sent } from '../helpers/history';
import { refusalCode } from '../helpers/live';
import { MessageAddedDoc, SetTypingDoc } from '../helpers/operations';
import { startRedisProcess, type RedisProcess } from '../helpers/redis-process';
import { startServers, type TestServers } from '../helpers/servers';
import { until } from '../helpers/wait';
import { subscribe, wsClient, type Subscription } from '../helpers/ws';

/**
 * A Redis crash and restart under live servers (in-process, on this file's own
 * redis-server). The database is the source of truth: sends keep working while live
 * delivery between processes is down (a process still delivers its own sends to its own
 * subscribers), and once Redis is back the same subscriptions receive what other
 * processes stored meanwhile (read from the database), then new messages, in order and once.
 */

/** A send must never wait on Redis: the publisher fails fast (DESIGN: the database decides). */
const maxSendMs = 3000;

let redis: RedisProcess;
let servers: TestServers;
/** A second process of the deployment (same database, same Redis): what it stores reaches `servers` through Redis only. */
let other: TestServers;
let alice: TestUser;
let bob: TestUser;
let room: { id: string };
let client: Client;
let connections = 0;
let sub: Subscription<MessageAddedSubscription>;
/** Alice's second subscription, opened during the outage on the same socket. */
let aliceSecond: Subscription<MessageAddedSubscription>;
/** Messages stored by the other process while Redis was down: their live publish failed. */
let outageSent: Sent[] = [];

beforeAll(async () => {
  redis = await startRedisProcess();
  servers = await startServers({ REDIS_URL: redis.url });
  other = await startServers(servers.env);
  alice = await signUp(servers, 'alice');
  bob = await signUp(servers, 'bob');
  room = await createRoom(servers, alice);
  await joinRoom(servers, bob, room.id);
  client = wsClient(servers.wsUrl, alice.token);
  // A reconnect would show up as a second `connected`: the subscription must survive as is.
  client.on('connected', () => connections++);
  sub = subscribe(client, MessageAddedDoc, { roomId: room.id });
  await listening(servers, topics.messages(room.id));
});

afterAll(async () => {
  await sub?.close();
  await aliceSecond?.close();
  await client?.dispose();
  await other?.destroy();
  await servers?.destroy();
  await redis?.kill();
});

async function timedSend(via: TestServers, body: string): Promise<{ message: Sent; ms: number }> {
  const started = Date.now();
  const message = await send(via, alice, room.id, body);
  return { message, ms: Date.now() - started };
}

function ready(): Promise<Response> {
  return fetch(`http://127.0.0.1:${servers.apiPort}/ready`);
}

test('a messageAdded subscriber receives a message sent over HTTP while Redis is up', async () => {
  const sent = await send(servers, alice, room.id, 'before the outage');
  expect((await sub.next()).data?.messageAdded).toEqual(sent);
});

describe('while Redis is down', () => {
  let bobSub: Subscription<MessageAddedSubscription>;
  let bobClient: Client;
  let bobStarted = 0;

  beforeAll(async () => {
    await redis.kill();
    // Started first: the bus waits up to 5 s for Redis to confirm a new channel.
    bobClient = wsClient(servers.wsUrl, bob.token);
    bobStarted = Date.now();
    bobSub = subscribe(bobClient, MessageAddedDoc, { roomId: room.id });
    // Alice's topics are already subscribed in this process: a second subscription shares them.
    aliceSecond = subscribe(client, MessageAddedDoc, { roomId: room.id });
    await listening(servers, topics.messages(room.id), 2);
  });

  afterAll(async () => {
    await bobSub?.close();
    await bobClient?.dispose();
  });

  test("a message sent through this process reaches this process's subscribers at once, without Redis", async () => {
    const { message, ms } = await timedSend(servers, 'outage, sent here');
    expect(ms).toBeLessThan(maxSendMs);
    expect((await sub.next(1000)).data?.messageAdded).toEqual(message);
    expect((await aliceSecond.next(1000)).data?.messageAdded).toEqual(message);
  });

  test('sendMessage through the other process succeeds quickly, the message is in history, and the failed publish is counted', async () => {
    const before = other.deps.bus.stats().publishFailures;
    const sent: Sent[] = [];
    for (const body of ['outage 1', 'outage 2', 'outage 3']) {
      const { message, ms } = await timedSend(other, body);
      expect(ms).toBeLessThan(maxSendMs);
      sent.push(message);
    }
    const page = await readPage(servers, alice, room.id, { last: 3 });
    expect(page.edges.map((edge) => edge.node.id)).toEqual(sent.map((m) => m.id));
    outageSent = sent;
    expect(other.deps.bus.stats().publishFailures).toBe(before + 3);
    // Nothing reaches this process's subscribers until Redis is back.
    await sub.expectSilence(200);
  });

  test('setTyping fails with SERVICE_UNAVAILABLE, since publishing is all it does', async () => {
    const result = await gql(servers.httpUrl, SetTypingDoc, { roomId: room.id, isTyping: true }, alice.token);
    expect(errorCode(result)).toBe('SERVICE_UNAVAILABLE');
    expect(result.data?.setTyping ?? null).toBeNull();
  });

  test('GET /ready answers 503 naming redis, while the database stays ok', async () => {
    const response = await ready();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'unavailable', ready: false, checks: { database: 'ok' } });
    expect(body.checks.redis).toEqual(expect.any(String));
    expect(body.checks.redis).not.toBe('ok');
    expect(body.publishFailures).toBe(servers.deps.bus.stats().publishFailures);
  });

  test('a subscription that needs a new Redis channel fails with SERVICE_UNAVAILABLE after the subscribe timeout', async () => {
    // Bob's membership channel is new to this process, so it waits on Redis (down) and times out.
    expect(await refusalCode(bobSub)).toBe('SERVICE_UNAVAILABLE');
    expect(Date.now() - bobStarted).toBeGreaterThanOrEqual(4500);
  });

  test('a subscription whose channels this process already follows is not refused', async () => {
    // It shares Alice's bus topics, so it never waits on Redis. Bob's refusal above shows the
    // subscribe timeout has passed, so a refusal would already be buffered; the short window
    // only covers nothing more arriving while Redis is down.
    await aliceSecond.expectSilence(200);
  });
});

describe('after Redis restarts on the same port', () => {
  let restartedAt = 0;
  /** What the old subscription received from the first resumed message on, in order. */
  let resumed: Sent[] = [];

  beforeAll(async () => {
    await redis.restart();
    restartedAt = Date.now();
  });

  test('the old subscription receives what the other process stored during the outage, then new messages, in order and once, without reconnecting', async () => {
    // Once Redis has re-subscribed, the bus tells every subscription to read what it missed
    // from the database (the source of truth): nothing acknowledged is lost to live delivery.
    for (const expected of outageSent) expect((await sub.next(10_000)).data?.messageAdded).toEqual(expected);
    const resumedAfterMs = Date.now() - restartedAt;
    const after: Sent[] = [];
    for (const body of ['resumed 1', 'resumed 2', 'resumed 3']) after.push(await send(servers, alice, room.id, body));
    for (const expected of after) expect((await sub.next()).data?.messageAdded).toEqual(expected);
    // Short window: a duplicate (live event and database read of one message) would show here.
    await sub.expectSilence(300);
    expect(connections).toBe(1);
    resumed = [...outageSent, ...after];
    // ioredis retries at least every 2 s (src/redis.ts), so the resync follows Redis quickly.
    expect(resumedAfterMs).toBeLessThan(5000);
  });

  test('the subscription accepted during the outage receives the same messages once Redis is back', async () => {
    expect(resumed.length).toBe(6);
    for (const expected of resumed) expect((await aliceSecond.next()).data?.messageAdded).toEqual(expected);
    await aliceSecond.expectSilence(100);
  });

  test('GET /ready answers 200 again once Redis is back', async () => {
    await until(async () => (await ready()).status === 200, '/ready to answer 200', 5000);
    const body = await (await ready()).json();
    expect(body).toMatchObject({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });
});
