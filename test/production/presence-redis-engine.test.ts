import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisPresenceEngine } from '../../src/live/presence-redis';
import { productionUrls } from '../helpers/backends';

/**
 * The Redis presence engine's scripts against a real Redis, as several processes of one
 * deployment would run them (each engine is one process id), under a prefix of its own.
 */

const filePrefix = `presence-engine-test-${randomBytes(4).toString('hex')}`;
const expiryMs = 400;
let redis: Redis;
/** One deployment per test: processes left by earlier tests must not be in its sweep. */
let prefix: string;

beforeEach(() => {
  prefix = `${filePrefix}-${randomBytes(4).toString('hex')}:`;
});

beforeAll(() => {
  redis = new Redis(productionUrls().redisUrl);
});

afterAll(async () => {
  const keys = await redis.keys(`${filePrefix}-*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const engine = () => new RedisPresenceEngine({ client: redis, prefix, procId: randomUUID(), expiryMs });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a user is online from the first process that has them until the last one lets go', async () => {
  const [a, b] = [engine(), engine()];
  await Promise.all([a.beat(), b.beat()]);
  const user = randomUUID();

  expect((await a.apply([{ kind: '+', userId: user }])).changes).toEqual([{ userId: user, online: true }]);
  expect((await b.apply([{ kind: '+', userId: user }])).changes).toEqual([]);
  expect((await a.apply([{ kind: '-', userId: user }])).changes).toEqual([]);
  expect(await a.onlineAmong([user])).toEqual(new Set([user]));
  expect((await b.apply([{ kind: '-', userId: user }])).changes).toEqual([{ userId: user, online: false }]);
  expect(await b.onlineAmong([user])).toEqual(new Set());
});

test('ops apply in order within one call: online then offline again', async () => {
  const a = engine();
  await a.beat();
  const user = randomUUID();

  const { changes } = await a.apply([{ kind: '+', userId: user }, { kind: '-', userId: user }]);

  expect(changes).toEqual([{ userId: user, online: true }, { userId: user, online: false }]);
});

test('concurrent first sockets on ten processes make exactly one online transition', async () => {
  const engines = Array.from({ length: 10 }, engine);
  await Promise.all(engines.map((e) => e.beat()));
  const user = randomUUID();

  const results = await Promise.all(engines.map((e) => e.apply([{ kind: '+', userId: user }])));

  expect(results.flatMap((r) => r.changes)).toEqual([{ userId: user, online: true }]);
  const leaves = await Promise.all(engines.map((e) => e.apply([{ kind: '-', userId: user }])));
  expect(leaves.flatMap((r) => r.changes)).toEqual([{ userId: user, online: false }]);
});

test('a process that stops beating is swept once, by one survivor; its users who are nowhere else go offline', async () => {
  const [dead, survivor, other] = [engine(), engine(), engine()];
  await Promise.all([dead.beat(), survivor.beat(), other.beat()]);
  const [alone, shared] = [randomUUID(), randomUUID()];
  await dead.apply([{ kind: '+', userId: alone }, { kind: '+', userId: shared }]);
  await survivor.apply([{ kind: '+', userId: shared }]);

  // Past the expiry, the others beat (and sweep) at once.
  await sleep(expiryMs + 100);
  const [bySurvivor, byOther] = await Promise.all([survivor.beat(), other.beat()]);

  const swept = [...bySurvivor.swept, ...byOther.swept];
  expect(swept.map((s) => s.userId)).toEqual([alone]);
  expect(Date.now() - swept[0]!.at.getTime()).toBeGreaterThanOrEqual(expiryMs);
  expect(await survivor.onlineAmong([alone, shared])).toEqual(new Set([shared]));
  // Come back from a long stall: it finds itself gone and is told so.
  expect((await dead.beat()).lost).toBe(true);
  expect((await dead.apply([{ kind: '+', userId: randomUUID() }])).lost).toBe(false);
});

test('leaveAll takes the process out at once', async () => {
  const [leaving, staying] = [engine(), engine()];
  await Promise.all([leaving.beat(), staying.beat()]);
  const [alone, shared] = [randomUUID(), randomUUID()];
  await leaving.apply([{ kind: '+', userId: alone }, { kind: '+', userId: shared }]);
  await staying.apply([{ kind: '+', userId: shared }]);

  expect(await leaving.leaveAll()).toEqual([alone]);
  expect(await staying.onlineAmong([alone, shared])).toEqual(new Set([shared]));
  expect(await redis.zscore(`${prefix}presence:procs`, 'nobody')).toBeNull();
});

test('writes by a process with no heartbeat entry make one, and say the entries were lost', async () => {
  const fresh = engine();

  expect((await fresh.apply([{ kind: '+', userId: randomUUID() }])).lost).toBe(true);
  expect((await fresh.beat()).lost).toBe(false);
});
