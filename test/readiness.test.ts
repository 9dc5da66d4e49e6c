import { testBackend } from './helpers/backends';
import { probe, untilReadyStatus } from './helpers/probes';
import { startServers, type TestServers } from './helpers/servers';

/**
 * GET /ready (dependencies answer) and GET /health (the process answers) on both servers,
 * before and after the database is closed under them. Backend-neutral: on the production
 * backend Redis is checked too.
 */

/** /ready must answer within this even when a dependency hangs (probes are bounded at 2 s). */
const maxReadyMs = 3000;

/** What a healthy /ready reports: the embedded backend has no Redis to check. */
const healthyChecks = testBackend() === 'production' ? { database: 'ok', redis: 'ok' } : { database: 'ok' };

let servers: TestServers;
const ports = () => [
  ['API', servers.apiPort],
  ['WebSocket', servers.wsPort],
] as const;

beforeAll(async () => {
  servers = await startServers();
});

afterAll(async () => {
  await servers?.destroy();
});

describe('while the database is up', () => {
  test('GET /ready answers 200 with every check ok on both servers', async () => {
    for (const [, port] of ports()) {
      // Polled: on the production backend the Redis publisher connects just after startup.
      const { body } = await untilReadyStatus(port, 200, 5000);
      expect(body).toEqual({ status: 'ready', ready: true, checks: healthyChecks, publishFailures: 0 });
    }
  });

  test('GET /health answers 200 on both servers', async () => {
    for (const [, port] of ports()) {
      expect(await probe(port, '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    }
  });
});

describe('after the database is closed under the servers', () => {
  beforeAll(async () => {
    await servers.deps.orm.close(true);
  });

  test.each(['API', 'WebSocket'])('GET /ready on the %s server answers 503 with a reason under checks.database, within 3 s', async (name) => {
    const [, port] = ports().find(([server]) => server === name)!;
    const { status, body, ms } = await probe(port, '/ready');
    expect(ms).toBeLessThan(maxReadyMs);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'unavailable', ready: false });
    expect(body.checks.database).toEqual(expect.any(String));
    expect(body.checks.database).not.toBe('ok');
    expect(body.checks.database).not.toBe('');
    // Only the database failed: the other checks are still ok.
    expect({ ...body.checks, database: 'ok' }).toEqual(healthyChecks);
  });

  test('GET /health still answers 200 on both servers: the process itself is alive', async () => {
    for (const [, port] of ports()) {
      expect(await probe(port, '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    }
  });

  test('GET /ready keeps answering 503 on repeated probes, not hanging', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => probe(servers.apiPort, '/ready')));
    for (const { status, ms } of answers) {
      expect(status).toBe(503);
      expect(ms).toBeLessThan(maxReadyMs);
    }
  });
});
