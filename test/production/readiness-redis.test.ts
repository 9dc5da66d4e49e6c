import { probe, untilReadyStatus } from '../helpers/probes';
import { startRedisProcess, type RedisProcess } from '../helpers/redis-process';
import { startServers, type TestServers } from '../helpers/servers';

/**
 * GET /ready follows Redis: servers on this file's own redis-server (never the shared one)
 * report it down once it is killed, and ready again by themselves once it is back on the
 * same port. The tests run in order: up, killed, restarted.
 */

jest.setTimeout(30_000);

/** Each answer is bounded by the server's probe timeout (2 s). */
const maxReadyMs = 3000;
/** How soon /ready must notice a change; reconnects back off to one attempt every 2 s. */
const noticeMs = 5000;
const recoverMs = 10_000;

let redis: RedisProcess;
let servers: TestServers;
const ports = () => [servers.apiPort, servers.wsPort];

beforeAll(async () => {
  redis = await startRedisProcess();
  servers = await startServers({ REDIS_URL: redis.url });
});

afterAll(async () => {
  await servers?.destroy();
  await redis?.kill();
});

test('while Redis is up, /ready answers 200 with database and redis ok on both servers', async () => {
  for (const port of ports()) {
    // Polled: the Redis publisher connects just after startup.
    const { body } = await untilReadyStatus(port, 200, noticeMs);
    expect(body).toMatchObject({ status: 'ready', ready: true, checks: { database: 'ok', redis: 'ok' } });
  }
});

describe('after redis-server is killed', () => {
  beforeAll(async () => {
    await redis.kill();
  });

  test('/ready answers 503 naming redis within a few seconds on both servers, the database still ok', async () => {
    for (const port of ports()) {
      const { body, ms } = await untilReadyStatus(port, 503, noticeMs);
      expect(ms).toBeLessThan(maxReadyMs);
      expect(body).toMatchObject({ status: 'unavailable', ready: false, checks: { database: 'ok' } });
      expect(body.checks.redis).toEqual(expect.any(String));
      expect(body.checks.redis).not.toBe('ok');
      expect(body.publishFailures).toBe(servers.deps.bus.stats().publishFailures);
    }
  });

  test('/ready keeps answering 503 promptly while Redis stays down', async () => {
    const answers = await Promise.all(ports().map((port) => probe(port, '/ready')));
    for (const { status, ms } of answers) {
      expect(status).toBe(503);
      expect(ms).toBeLessThan(maxReadyMs);
    }
  });

  test('/health still answers 200 on both servers', async () => {
    for (const port of ports()) {
      expect(await probe(port, '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    }
  });
});

describe('after redis-server restarts on the same port', () => {
  beforeAll(async () => {
    await redis.restart();
  });

  test('/ready returns to 200 by itself on both servers', async () => {
    for (const port of ports()) {
      const { body } = await untilReadyStatus(port, 200, recoverMs);
      expect(body.checks).toEqual({ database: 'ok', redis: 'ok' });
    }
  });
});
