import { createRoomWith, signUp } from '../helpers/factories';
import { openSocket, presenceAs, untilPresence } from '../helpers/presence';
import { startRedisProcess, type RedisProcess } from '../helpers/redis-process';
import { startServers, type TestServers } from '../helpers/servers';
import type { Client } from 'graphql-ws';

/**
 * Presence never holds up a socket: with Redis down, connection_init is still
 * acknowledged (the presence write fails, is logged, and is redone at a heartbeat), and
 * once Redis is back, empty after a crash, every process announces its users again.
 */

jest.setTimeout(30_000);

const heartbeatMs = 250;
let redis: RedisProcess;
let servers: TestServers;
const sockets: Client[] = [];

beforeAll(async () => {
  redis = await startRedisProcess();
  servers = await startServers({ REDIS_URL: redis.url, PRESENCE_HEARTBEAT_MS: String(heartbeatMs), PRESENCE_EXPIRY_MS: '1000', PRESENCE_GRACE_MS: '200' });
});

afterAll(async () => {
  await Promise.all(sockets.map((client) => client.dispose()));
  await servers?.destroy();
  await redis?.kill();
});

test('a socket opened while Redis is down is acknowledged, and its user is online once Redis is back (empty)', async () => {
  const [alice, bob] = [await signUp(servers, 'alice'), await signUp(servers, 'bob')];
  await createRoomWith(servers, alice, bob);
  // Bob's account is read once by this process before the outage (the database is up anyway).
  sockets.push(await openSocket(servers.wsUrl, bob.token));
  await untilPresence(servers, alice, bob, true);

  await redis.kill();
  sockets.push(await openSocket(servers.wsUrl, alice.token));
  // Redis cannot answer: this process answers for its own sockets.
  expect(await presenceAs(servers, bob, alice)).toEqual({ online: true, lastSeenAt: null });

  await redis.restart();
  // The restarted Redis knows nobody; the next heartbeats announce both again.
  await untilPresence(servers, bob, alice, true, 10_000);
  await untilPresence(servers, alice, bob, true, 10_000);
});
