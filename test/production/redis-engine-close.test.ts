import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { Redis } from 'ioredis';
import { createRedisEngine, type RedisEngine } from '../../src/live/redis';
import { createLogger } from '../../src/logger';
import { productionUrls } from '../helpers/backends';
import { startRedisProcess, type RedisProcess } from '../helpers/redis-process';

/**
 * Shutdown closes the Redis connections while the last subscriptions are still ending:
 * their UNSUBSCRIBEs then fail with "Connection is closed". RedisPubSub leaves those
 * promises unhandled; the engine must catch them, or the process sees an unhandled
 * rejection (jest fails the test that was running when it surfaced).
 */

let engine: RedisEngine;
let redis: RedisProcess | undefined;
afterEach(async () => {
  await engine?.close();
  await redis?.kill();
});

const silent = createLogger({ level: 'silent' });

/** Collects the process's unhandled rejections while `work` runs, and a little after. */
async function unhandledRejectionsDuring(work: () => Promise<void>): Promise<unknown[]> {
  const rejections: unknown[] = [];
  const record = (reason: unknown) => void rejections.push(reason);
  process.on('unhandledRejection', record);
  try {
    await work();
    // The rejections come from the socket's close event: give it time to fire.
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    process.off('unhandledRejection', record);
  }
  return rejections;
}

/** The engine's subscriber connection (RedisPubSub's), whose ready check the test times its close by. */
function subscriberOf(redisEngine: RedisEngine): Redis {
  const inner = (redisEngine.pubsub as unknown as { engine: RedisPubSub }).engine;
  return inner.getSubscriber() as Redis;
}

test('subscriptions that end after the engine closed raise no unhandled rejection', async () => {
  const rejections = await unhandledRejectionsDuring(async () => {
    engine = createRedisEngine(productionUrls().redisUrl, `close-test-${process.pid}:`, silent);
    expect(await engine.waitReady(5_000)).toBe(true);
    const ids = await Promise.all(['a', 'b', 'c'].map((topic) => engine.pubsub.subscribe(topic, () => undefined, {})));
    await engine.close();
    ids.forEach((id) => engine.pubsub.unsubscribe(id));
  });
  expect(rejections).toEqual([]);
});

/**
 * After an outage ioredis subscribes every channel again by itself once the connection is
 * ready, and holds no handler on those promises. A shutdown that begins while its ready
 * check (INFO) is unanswered lets that check succeed on the ending connection: the
 * SUBSCRIBE is queued there and rejected with "Connection is closed" when it closes,
 * unhandled. That failed 1 run in 20 of presence-redis-outage.test.ts under load; here
 * the engine closes right after the INFO is written, every time.
 */
test('a resubscribe queued while the engine closes, after an outage, raises no unhandled rejection', async () => {
  redis = await startRedisProcess();
  const server = redis;
  const rejections = await unhandledRejectionsDuring(async () => {
    engine = createRedisEngine(server.url, 'resubscribe-test:', silent);
    expect(await engine.waitReady(5_000)).toBe(true);
    await engine.pubsub.subscribe('room', () => undefined, {});
    const subscriber = subscriberOf(engine);
    await server.kill();
    closeOnNextReadyCheck(subscriber, engine);
    const ended = new Promise((resolve) => subscriber.once('end', resolve));
    await server.restart();
    // Closed for good, its queued commands flushed (with "Connection is closed").
    await ended;
  });
  expect(rejections).toEqual([]);
});

/** Closes the engine in the same turn as the subscriber's next INFO (ioredis's ready check) is written. */
function closeOnNextReadyCheck(subscriber: Redis, redisEngine: RedisEngine): void {
  const info = subscriber.info.bind(subscriber) as (...args: unknown[]) => Promise<string>;
  Object.assign(subscriber, {
    info: (...args: unknown[]) => {
      const reply = info(...args);
      void redisEngine.close();
      return reply;
    },
  });
}
