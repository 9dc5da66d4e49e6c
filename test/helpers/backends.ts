import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Env } from '../../src/config';

/** Which backend this test file runs on: set per jest project (see jest.config.js). */
export function testBackend(): 'embedded' | 'production' {
  return (globalThis as { CHAT_TEST_BACKEND?: string }).CHAT_TEST_BACKEND === 'production' ? 'production' : 'embedded';
}

/** The PostgreSQL and Redis of the production project; throws (never skips) when unset. */
export function productionUrls(): { databaseUrl: string; redisUrl: string } {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('TEST_DATABASE_URL and TEST_REDIS_URL must be set for production tests');
  return { databaseUrl, redisUrl };
}

/** A database created for one test file, dropped by `drop`. */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: productionUrls().databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the TEST_DATABASE_URL server (fails loudly when unreachable). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `chat_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}"`));
  const url = new URL(productionUrls().databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}

/**
 * The environment that puts servers on this file's backend: nothing for the embedded
 * one; a fresh database and the test Redis for the production one.
 */
export async function backendEnv(): Promise<{ env: Env; cleanup: () => Promise<void> }> {
  if (testBackend() === 'embedded') return { env: {}, cleanup: async () => undefined };
  const database = await createTestDatabase();
  // Its own Redis keys too: rate-limit and socket counts kept in Redis outlive a test file by a minute, and
  // files running at once all come from 127.0.0.1.
  const prefix = `${new URL(database.url).pathname.slice(1)}:`;
  return {
    env: { DATABASE_URL: database.url, REDIS_URL: productionUrls().redisUrl, REDIS_CHANNEL_PREFIX: prefix },
    cleanup: () => database.drop(),
  };
}
