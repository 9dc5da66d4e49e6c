import { resolve } from 'node:path';
import { ConfigError, libpqToUrl, loadConfig, type Env, type RunMode } from '../src/config';

const longSecret = 'x'.repeat(32);

/** The problems loadConfig reports for `env` (fails when it accepts it). */
function problemsOf(env: Env, mode: RunMode = 'all'): string[] {
  try {
    loadConfig(env, mode);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)} in mode ${mode}`);
}

/** The variable names the problems start with, e.g. `API_PORT: …` → `API_PORT`. */
function variablesNamed(problems: string[]): string[] {
  return problems.map((p) => /^[A-Z_]+/.exec(p)?.[0] ?? p).sort();
}

describe('loadConfig defaults', () => {
  test('an empty environment gives the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'all',
      isProduction: false,
      host: '0.0.0.0',
      apiPort: 8081,
      wsPort: 8080,
      dataDir: resolve('./.data'),
      database: { kind: 'pglite', dataDir: resolve('./.data', 'pglite') },
      redisUrl: null,
      jwtSecret: null,
      logLevel: 'info',
      migrateOnStart: true,
      compactHeap: true,
      pretenureObjects: false,
      typingTimeoutMs: 6000,
      limits: { maxDepth: 15, maxAliases: 50, maxPayloadBytes: 1024 * 1024, maxPageSize: 100, defaultPageSize: 50 },
    });
  });

  test('default rate limits let 60 sign-ups and 600 messages a minute through', () => {
    const { rateLimits } = loadConfig({});
    expect(rateLimits.register).toBeGreaterThanOrEqual(60);
    expect(rateLimits.login).toBeGreaterThanOrEqual(60);
    expect(rateLimits.loginUsername).toBeGreaterThanOrEqual(10);
    expect(rateLimits.send).toBeGreaterThanOrEqual(600);
    expect(rateLimits.change).toBeGreaterThanOrEqual(300);
    expect(rateLimits.typing).toBeGreaterThanOrEqual(300);
  });

  test('a group variable set to 0 turns its buckets off; a bucket variable wins over its group', () => {
    expect(loadConfig({ RATE_LIMIT_AUTH_PER_MINUTE: '0', RATE_LIMIT_MESSAGES_PER_MINUTE: '0' }).rateLimits).toEqual({
      register: 0, login: 0, loginUsername: 0, send: 0, change: 0, typing: 0,
    });
    const { rateLimits } = loadConfig({ RATE_LIMIT_MESSAGES_PER_MINUTE: '0', RATE_LIMIT_TYPING_PER_MINUTE: '30', RATE_LIMIT_LOGIN_PER_USERNAME_PER_MINUTE: '5' });
    expect(rateLimits).toMatchObject({ send: 0, change: 0, typing: 30, loginUsername: 5 });
  });

  test('TRUST_PROXY: unset or 0 trusts nothing; a number is a hop count; otherwise addresses or CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual({ addresses: ['loopback', '10.0.0.0/8'] });
    expect(() => loadConfig({ TRUST_PROXY: 'not-an-address' })).toThrow(/TRUST_PROXY/);
  });

  test('MAX_SOCKETS_PER_USER: 20 by default, 0 turns it off', () => {
    expect(loadConfig({}).maxSocketsPerUser).toBe(20);
    expect(loadConfig({ MAX_SOCKETS_PER_USER: '0' }).maxSocketsPerUser).toBe(0);
    expect(() => loadConfig({ MAX_SOCKETS_PER_USER: '-1' })).toThrow(/MAX_SOCKETS_PER_USER/);
  });

  test('the config is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
    expect(Object.isFrozen(config.rateLimits)).toBe(true);
  });

  test('values are read from the environment and coerced', () => {
    const config = loadConfig({
      API_PORT: '9001',
      SERVER_PORT: '0',
      DATA_DIR: '/tmp/chat-data',
      LOG_LEVEL: 'debug',
      MIGRATE_ON_START: 'false',
      COMPACT_HEAP: '0',
      PRETENURE_OBJECTS: 'true',
      TYPING_TIMEOUT_MS: '300',
      RATE_LIMIT_AUTH_PER_MINUTE: '0',
      JWT_SECRET: 'dev',
    });
    expect(config).toMatchObject({
      apiPort: 9001,
      wsPort: 0,
      dataDir: '/tmp/chat-data',
      database: { kind: 'pglite', dataDir: '/tmp/chat-data/pglite' },
      logLevel: 'debug',
      migrateOnStart: false,
      compactHeap: false,
      pretenureObjects: true,
      typingTimeoutMs: 300,
      rateLimits: { register: 0, login: 0, loginUsername: 0 },
      jwtSecret: 'dev',
    });
  });

  test('an empty value counts as unset', () => {
    expect(loadConfig({ API_PORT: '', JWT_SECRET: '', DATABASE_URL: '' })).toMatchObject({
      apiPort: 8081,
      jwtSecret: null,
      database: { kind: 'pglite' },
    });
  });
});

describe('loadConfig problems', () => {
  test('every invalid variable is listed at once, by name', () => {
    const problems = problemsOf({
      API_PORT: 'abc',
      SERVER_PORT: '70000',
      LOG_LEVEL: 'loud',
      MIGRATE_ON_START: 'yes',
      TYPING_TIMEOUT_MS: '-5',
      DATABASE_URL: 'mysql://db',
      REDIS_URL: 'http://cache',
    });
    expect(variablesNamed(problems)).toEqual(
      ['API_PORT', 'DATABASE_URL', 'LOG_LEVEL', 'MIGRATE_ON_START', 'REDIS_URL', 'SERVER_PORT', 'TYPING_TIMEOUT_MS'].sort(),
    );
  });

  test('the ConfigError message names each variable', () => {
    expect(() => loadConfig({ API_PORT: 'abc', SERVER_PORT: '-1' })).toThrow(/API_PORT[\s\S]*SERVER_PORT/);
  });

  test('invalid values and missing production settings are listed together', () => {
    const problems = problemsOf({ NODE_ENV: 'production', API_PORT: 'abc' }, 'api');
    expect(variablesNamed(problems)).toEqual(['API_PORT', 'DATABASE_URL', 'JWT_SECRET', 'REDIS_URL']);
  });

  test('a DB_URL that is neither a URL nor libpq pairs is named', () => {
    expect(variablesNamed(problemsOf({ DB_URL: 'nonsense' }))).toEqual(['DB_URL']);
  });

  test('presence timings: defaults, and an expiry shorter than two heartbeats is named', () => {
    expect(loadConfig({}).presence).toEqual({ heartbeatMs: 10_000, expiryMs: 30_000, graceMs: 5_000 });
    expect(loadConfig({ PRESENCE_HEARTBEAT_MS: '250', PRESENCE_EXPIRY_MS: '1000', PRESENCE_GRACE_MS: '0' }).presence).toEqual({
      heartbeatMs: 250,
      expiryMs: 1000,
      graceMs: 0,
    });
    expect(variablesNamed(problemsOf({ PRESENCE_HEARTBEAT_MS: '20000' }))).toEqual(['PRESENCE_EXPIRY_MS']);
    expect(variablesNamed(problemsOf({ PRESENCE_GRACE_MS: '-1', PRESENCE_HEARTBEAT_MS: '0' }))).toEqual(['PRESENCE_GRACE_MS', 'PRESENCE_HEARTBEAT_MS']);
  });

  test('session lifetimes: 15-minute access tokens and 30-day refresh tokens by default; zero or negative is named', () => {
    const config = loadConfig({});
    expect([config.jwtTtlSeconds, config.refreshTtlSeconds]).toEqual([900, 30 * 24 * 3600]);
    expect(loadConfig({ JWT_TTL_SECONDS: '60', REFRESH_TTL_SECONDS: '3600' })).toMatchObject({ jwtTtlSeconds: 60, refreshTtlSeconds: 3600 });
    expect(variablesNamed(problemsOf({ JWT_TTL_SECONDS: '0', REFRESH_TTL_SECONDS: '-1' }))).toEqual(['JWT_TTL_SECONDS', 'REFRESH_TTL_SECONDS']);
  });
});

describe('database URLs', () => {
  test('a libpq DB_URL becomes a postgres URL', () => {
    const config = loadConfig({ DB_URL: 'user=postgres password=secret dbname=chat host=localhost sslmode=disable' });
    expect(config.database).toEqual({
      kind: 'postgres',
      clientUrl: 'postgres://postgres:secret@localhost/chat?sslmode=disable',
      poolSize: 10,
      queryTimeoutMs: 10_000,
    });
  });

  test('libpq quoted values, ports and special characters are kept', () => {
    const url = new URL(libpqToUrl("host=db.internal port=6543 user=chat password='p@ss word' dbname=chat_prod")!);
    expect(url.hostname).toBe('db.internal');
    expect(url.port).toBe('6543');
    expect(decodeURIComponent(url.username)).toBe('chat');
    expect(decodeURIComponent(url.password)).toBe('p@ss word');
    expect(url.pathname).toBe('/chat_prod');
  });

  test('a postgres:// DB_URL or DATABASE_URL is used as is; DATABASE_URL wins', () => {
    expect(loadConfig({ DB_URL: 'postgresql://a@h/db' }).database).toMatchObject({ clientUrl: 'postgresql://a@h/db' });
    const both = loadConfig({ DATABASE_URL: 'postgres://main@h/db', DB_URL: 'postgres://other@h/db', DB_POOL_SIZE: '3' });
    expect(both.database).toEqual({ kind: 'postgres', clientUrl: 'postgres://main@h/db', poolSize: 3, queryTimeoutMs: 10_000 });
  });
});

describe('production rules', () => {
  test('NODE_ENV=production without JWT_SECRET names JWT_SECRET', () => {
    expect(variablesNamed(problemsOf({ NODE_ENV: 'production' }))).toEqual(['JWT_SECRET']);
  });

  test('NODE_ENV=production with a 10-character JWT_SECRET names JWT_SECRET', () => {
    expect(variablesNamed(problemsOf({ NODE_ENV: 'production', JWT_SECRET: '0123456789' }))).toEqual(['JWT_SECRET']);
  });

  test('NODE_ENV=production with a 32-character secret on the embedded database is allowed', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: longSecret });
    expect(config).toMatchObject({ isProduction: true, jwtSecret: longSecret, database: { kind: 'pglite' } });
  });

  test('outside production a short JWT_SECRET is accepted', () => {
    expect(loadConfig({ JWT_SECRET: 'short' }).jwtSecret).toBe('short');
  });
});

describe('split tiers', () => {
  test.each(['api', 'ws'] as const)('start:%s without DATABASE_URL and REDIS_URL names both', (mode) => {
    const problems = problemsOf({}, mode);
    expect(variablesNamed(problems)).toEqual(['DATABASE_URL', 'REDIS_URL']);
    expect(problems.join('\n')).toContain(`start:${mode}`);
  });

  test.each(['api', 'ws'] as const)('start:%s with DB_URL and REDIS_URL is accepted', (mode) => {
    const config = loadConfig({ DB_URL: 'host=db dbname=chat', REDIS_URL: 'redis://cache:6379' }, mode);
    expect(config).toMatchObject({ mode, redisUrl: 'redis://cache:6379', database: { kind: 'postgres' } });
  });

  test('start:api with only DATABASE_URL names REDIS_URL', () => {
    expect(variablesNamed(problemsOf({ DATABASE_URL: 'postgres://h/db' }, 'api'))).toEqual(['REDIS_URL']);
  });
});
