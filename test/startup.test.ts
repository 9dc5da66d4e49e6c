import { killStarted, startProcess } from './helpers/child';
import { seedFromTemplate } from './helpers/pglite-template';
import { makeDataDir, removeDataDir } from './helpers/servers';
import { compiledEntry } from './helpers/service-build';

/**
 * Entry points refusing to start: each exits non-zero and says on stderr which variable
 * to fix. Ports 0, loopback and a temporary DATA_DIR make an unexpected start harmless.
 */

const exitMs = 20_000;
let dataDir: string;

beforeAll(async () => {
  dataDir = await makeDataDir();
  // Already migrated: the one test that starts does not also pay for initdb (restart.test.ts covers a first start).
  await seedFromTemplate(dataDir);
});

afterAll(async () => {
  killStarted();
  await removeDataDir(dataDir);
});

/** Runs an entry point to its exit; returns the exit code and stderr. */
async function runToExit(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const server = startProcess(compiledEntry(entry), { API_PORT: '0', SERVER_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env });
  const code = await server.exited(exitMs);
  return { code, stderr: server.stderr(), stdout: server.stdout() };
}

describe.each([
  ['start:api', 'src/servers/api-main.ts'],
  ['start:ws', 'src/servers/ws-main.ts'],
])('%s', (_script, entry) => {
  test('without DATABASE_URL and REDIS_URL exits non-zero naming both', async () => {
    const { code, stderr } = await runToExit(entry, {});
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain('DATABASE_URL');
    expect(stderr).toContain('REDIS_URL');
  }, exitMs + 5000);

  test('with DATABASE_URL but no REDIS_URL exits non-zero naming REDIS_URL', async () => {
    // Config is checked before any connection, so the database address is never dialled.
    const { code, stderr } = await runToExit(entry, { DATABASE_URL: 'postgres://chat@127.0.0.1:1/chat' });
    expect(code).not.toBe(0);
    expect(stderr).toContain('REDIS_URL');
    expect(stderr).not.toMatch(/DATABASE_URL \(or DB_URL\): required/);
  }, exitMs + 5000);
});

describe('npm start (src/servers/main.ts)', () => {
  test('API_PORT=abc exits non-zero naming API_PORT', async () => {
    const { code, stderr } = await runToExit('src/servers/main.ts', { API_PORT: 'abc' });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain('API_PORT');
  }, exitMs + 5000);

  test('NODE_ENV=production without JWT_SECRET exits non-zero naming JWT_SECRET', async () => {
    const { code, stderr } = await runToExit('src/servers/main.ts', { NODE_ENV: 'production' });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain('JWT_SECRET');
  }, exitMs + 5000);

  test('NODE_ENV=production with a 10-character JWT_SECRET exits non-zero naming JWT_SECRET, not echoing it', async () => {
    const secret = 'Sh0rtS3cr3'; // 10 characters
    const { code, stderr, stdout } = await runToExit('src/servers/main.ts', { NODE_ENV: 'production', JWT_SECRET: secret });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain('JWT_SECRET');
    expect(stderr + stdout).not.toContain(secret);
  }, exitMs + 5000);

  test('NODE_ENV=production with a 32-character JWT_SECRET starts on the embedded database', async () => {
    const server = startProcess(compiledEntry('src/servers/main.ts'), {
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(32),
      API_PORT: '0',
      SERVER_PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
    });
    // A bound for a loaded CI machine (the service loads and opens its database as it starts), not a speed goal.
    const api = await server.logLine((e) => typeof e.port === 'number' && String(e.url).startsWith('http://'), 'the API port', 2 * exitMs);
    expect((await fetch(`http://127.0.0.1:${api.port}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited(10_000)).toBe(0);
  }, 2 * exitMs + 15_000);
});
