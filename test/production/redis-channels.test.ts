import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { productionUrls } from '../helpers/backends';
import { createRoom, listening, rawIdOf, send, signUp, topics, type TestUser } from '../helpers/factories';
import { gql } from '../helpers/http';
import { MessageAddedDoc, RoomsDoc } from '../helpers/operations';
import { startServers, type TestServers } from '../helpers/servers';
import { subscribe, wsClient, type Subscription } from '../helpers/ws';

/**
 * Redis channels carry this deployment's events only: they are prefixed with
 * REDIS_CHANNEL_PREFIX, and a payload a stranger publishes that is not an event of the
 * expected shape is dropped; the room's gap reading from the database restores the truth.
 */

jest.setTimeout(60_000);

/** Publishes on the Redis server as anyone with access to it could. */
let stranger: Redis;
beforeAll(() => {
  stranger = new Redis(productionUrls().redisUrl, { lazyConnect: false });
});
afterAll(() => stranger.disconnect());

interface Deployment {
  servers: TestServers;
  alice: TestUser;
  room: { id: string };
  client: Client;
  live: Subscription<{ messageAdded: { id: string; body: string } }>;
}

async function deploy(prefix: string): Promise<Deployment> {
  const servers = await startServers({ REDIS_CHANNEL_PREFIX: prefix });
  const alice = await signUp(servers, 'alice');
  const room = await createRoom(servers, alice);
  const client = wsClient(servers.wsUrl, alice.token);
  const live = subscribe(client, MessageAddedDoc, { roomId: room.id });
  await listening(servers, topics.messages(room.id));
  return { servers, alice, room, client, live };
}

async function undeploy(d: Deployment | undefined): Promise<void> {
  await d?.client.dispose();
  await d?.servers.destroy();
}

/** A message as the service publishes it, but never stored: a forgery with a valid shape. */
function forgedMessage(d: Deployment, seq: number) {
  const createdAt = new Date().toISOString();
  const user = { id: rawIdOf(d.alice.id), username: d.alice.username, createdAt };
  const room = { id: rawIdOf(d.room.id), kind: 'GROUP', name: 'forged', createdAt };
  return { id: '01900000-0000-7000-8000-000000000000', seq, room, author: user, body: 'forged', createdAt };
}

const roomChannel = (prefix: string, d: Deployment) => `${prefix}${topics.messages(d.room.id)}`;

describe('payloads published by a stranger on the prefixed channel', () => {
  let d: Deployment;
  beforeAll(async () => {
    d = await deploy('chat:');
  });
  afterAll(() => undeploy(d));

  test('bad shapes are dropped and the next real message is still delivered, without a gap', async () => {
    const channel = roomChannel('chat:', d);
    await send(d.servers, d.alice, d.room.id, 'one');
    expect((await d.live.next()).data?.messageAdded.body).toBe('one');
    const bad = [
      'not json at all',
      JSON.stringify({ hello: 'world' }),
      JSON.stringify({ ...forgedMessage(d, 2), seq: 'two' }),
      JSON.stringify({ ...forgedMessage(d, 2), body: '\u001b[2Jcleared' }),
      JSON.stringify({ ...forgedMessage(d, 2), room: { ...forgedMessage(d, 2).room, id: '01900000-0000-7000-8000-00000000ffff' } }),
      // A huge sequence number that would make the room skip every real message up to it.
      JSON.stringify({ ...forgedMessage(d, 2), seq: 'Infinity' }),
    ];
    for (const payload of bad) await stranger.publish(channel, payload);
    // Meanwhile another request is served at once.
    const started = Date.now();
    expect((await gql(d.servers.httpUrl, RoomsDoc, {}, d.alice.token)).errors).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    await send(d.servers, d.alice, d.room.id, 'two');
    expect((await d.live.next()).data?.messageAdded.body).toBe('two');
  });

  test('a payload with only a huge sequence number cannot make the room skip the real messages after it', async () => {
    // Taken as a message, it would move the room's position to 999999 and hide every real one below it.
    const before = await send(d.servers, d.alice, d.room.id, 'three');
    expect((await d.live.next()).data?.messageAdded.id).toBe(before.id);
    await stranger.publish(roomChannel('chat:', d), '{"seq": 999999}');
    await send(d.servers, d.alice, d.room.id, 'four');
    expect((await d.live.next()).data?.messageAdded.body).toBe('four');
  });

  test('an unprefixed channel is not listened to: a well-shaped message published there is never delivered', async () => {
    await stranger.publish(topics.messages(d.room.id), JSON.stringify(forgedMessage(d, 6)));
    // Short window: nothing may arrive from the unprefixed channel.
    await d.live.expectSilence(300);
    await send(d.servers, d.alice, d.room.id, 'five');
    expect((await d.live.next()).data?.messageAdded.body).toBe('five');
  });
});

describe('two deployments sharing one Redis server with different REDIS_CHANNEL_PREFIX', () => {
  let a: Deployment;
  let b: Deployment;
  beforeAll(async () => {
    a = await deploy('alpha:');
    b = await deploy('beta:');
  });
  afterAll(async () => {
    await undeploy(a);
    await undeploy(b);
  });

  test('each subscribes and publishes under its own prefix only', async () => {
    const channels = await stranger.pubsub('CHANNELS', '*');
    expect(channels).toContain(roomChannel('alpha:', a));
    expect(channels).toContain(roomChannel('beta:', b));
    expect(channels).not.toContain(roomChannel('beta:', a));
    expect(channels).not.toContain(roomChannel('alpha:', b));
    const seen: string[] = [];
    const watcher = new Redis(productionUrls().redisUrl);
    try {
      await watcher.psubscribe('*');
      watcher.on('pmessage', (_pattern, channel) => seen.push(channel));
      await send(a.servers, a.alice, a.room.id, 'from alpha');
      expect((await a.live.next()).data?.messageAdded.body).toBe('from alpha');
      expect(seen).toContain(roomChannel('alpha:', a));
      expect(seen.filter((channel) => channel.startsWith('beta:'))).toEqual([]);
    } finally {
      watcher.disconnect();
    }
  });

  test("a valid event of one deployment's room, published under the other's prefix, reaches no one", async () => {
    await stranger.publish(roomChannel('beta:', a), JSON.stringify(forgedMessage(a, 3)));
    // Short window: alpha listens on alpha: only.
    await a.live.expectSilence(300);
    await send(b.servers, b.alice, b.room.id, 'from beta');
    expect((await b.live.next()).data?.messageAdded.body).toBe('from beta');
    await a.live.expectSilence(100);
  });
});
