import { createRedisEngine, type RedisEngine } from '../../src/live/redis';
import { createLogger } from '../../src/logger';
import { productionUrls } from '../helpers/backends';

/**
 * Shutdown closes the Redis connections while the last subscriptions are still ending:
 * their UNSUBSCRIBEs then fail with "Connection is closed". RedisPubSub leaves those
 * promises unhandled; the engine must catch them, or the process sees an unhandled
 * rejection (jest fails the test that was running when it surfaced).
 */

let engine: RedisEngine;
afterEach(() => engine?.close());

test('subscriptions that end after the engine closed raise no unhandled rejection', async () => {
  const rejections: unknown[] = [];
  const record = (reason: unknown) => void rejections.push(reason);
  process.on('unhandledRejection', record);
  try {
    engine = createRedisEngine(productionUrls().redisUrl, `close-test-${process.pid}:`, createLogger({ level: 'silent' }));
    expect(await engine.waitReady(5_000)).toBe(true);
    const ids = await Promise.all(['a', 'b', 'c'].map((topic) => engine.pubsub.subscribe(topic, () => undefined, {})));
    await engine.close();
    ids.forEach((id) => engine.pubsub.unsubscribe(id));
    // The rejections come from the socket's close event: give it time to fire.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rejections).toEqual([]);
  } finally {
    process.off('unhandledRejection', record);
  }
});
