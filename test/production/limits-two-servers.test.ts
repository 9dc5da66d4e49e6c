import { Redis } from 'ioredis';
import { SocketCapCloseCode } from '../../src/servers/ws/ws';
import { productionUrls } from '../helpers/backends';
import { createRoomWith, rawIdOf, signUp } from '../helpers/factories';
import { errorCode, gql } from '../helpers/http';
import { expectRateLimited, loginFrom } from '../helpers/limits';
import { SendMessageDoc } from '../helpers/operations';
import { useSecondServers, useServers, type TestServers } from '../helpers/servers';
import { until } from '../helpers/wait';
import { acknowledgedSocket, rawSocket, type RawSocket } from '../helpers/ws-request';

/**
 * Two processes of one deployment (one PostgreSQL database, one Redis) share every
 * budget: a split tier does not multiply them. The socket cap counts a user's sockets on
 * every process, and the counts of a process that is not alive (no presence heartbeat)
 * are not held against anyone.
 */

const env = {
  RATE_LIMIT_SENDS_PER_MINUTE: '3',
  RATE_LIMIT_LOGIN_PER_USERNAME_PER_MINUTE: '2',
  MAX_SOCKETS_PER_USER: '2',
};
const a = useServers(env);
const b = useSecondServers(a);
let redis: Redis;
const open: RawSocket[] = [];

beforeAll(() => {
  redis = new Redis(productionUrls().redisUrl);
});
afterEach(() => open.splice(0).forEach((raw) => raw.socket.terminate()));
afterAll(() => redis.quit());

const prefix = () => a().env.REDIS_CHANNEL_PREFIX!;

async function initOutcome(servers: TestServers, token: string): Promise<{ acked: boolean; code?: number }> {
  const raw = await rawSocket(servers.wsUrl);
  open.push(raw);
  raw.send({ type: 'connection_init', payload: { token } });
  const first = await Promise.race([raw.message().then((m) => m.type), raw.closed()]);
  if (first === 'connection_ack') return { acked: true };
  return { acked: false, code: typeof first === 'string' ? (await raw.closed()).code : first.code };
}

async function redisNowMs(): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

test('one user\'s sends are counted across both processes: 2 on A, 1 on B, then the 4th is refused on either', async () => {
  const [alice, bob] = [await signUp(a(), 'alice'), await signUp(a(), 'bob')];
  const room = await createRoomWith(a(), alice, bob);
  const send = (servers: TestServers, body: string) => gql(servers.httpUrl, SendMessageDoc, { roomId: room.id, body }, alice.token);
  expect((await send(a(), 'one')).errors).toBeUndefined();
  expect((await send(a(), 'two')).errors).toBeUndefined();
  expect((await send(b(), 'three')).errors).toBeUndefined();
  expectRateLimited(await send(b(), 'four'));
  expectRateLimited(await send(a(), 'five'));
});

test('failed logins against one username are counted across both processes', async () => {
  const victim = await signUp(a(), 'victim');
  expect(errorCode(await loginFrom(a(), victim.username, 'wrong password'))).toBe('UNAUTHENTICATED');
  expect(errorCode(await loginFrom(b(), victim.username, 'wrong password'))).toBe('UNAUTHENTICATED');
  expectRateLimited(await loginFrom(a(), victim.username, victim.password));
});

test('the socket cap counts both processes; closing a socket on one frees a place on the other', async () => {
  const alice = await signUp(a(), 'alice');
  open.push(await acknowledgedSocket(a().wsUrl, alice.token));
  const onB = await acknowledgedSocket(b().wsUrl, alice.token);
  open.push(onB);
  expect(await initOutcome(a(), alice.token)).toEqual({ acked: false, code: SocketCapCloseCode });
  expect(await initOutcome(b(), alice.token)).toEqual({ acked: false, code: SocketCapCloseCode });
  onB.socket.close(1000);
  await onB.closed();
  await until(async () => (await initOutcome(a(), alice.token)).acked, 'the closed socket to be uncounted');
});

test('counts of a process with no presence heartbeat are dropped; those of a live one count', async () => {
  const alice = await signUp(a(), 'alice');
  const key = `${prefix()}sockets:${rawIdOf(alice.id)}`;
  // A process that died without cleaning up (never swept yet): not in presence:procs.
  await redis.hset(key, 'dead-process', 5);
  open.push(await acknowledgedSocket(a().wsUrl, alice.token));
  expect(await redis.hexists(key, 'dead-process')).toBe(0);
  // A third process, alive (its heartbeat is recent), holding one socket of alice: she is at the cap.
  await redis.zadd(`${prefix()}presence:procs`, await redisNowMs(), 'live-process');
  await redis.hset(key, 'live-process', 1);
  try {
    expect(await initOutcome(b(), alice.token)).toEqual({ acked: false, code: SocketCapCloseCode });
  } finally {
    await redis.zrem(`${prefix()}presence:procs`, 'live-process');
  }
});
