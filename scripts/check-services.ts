import { Client } from 'pg';
import { Redis } from 'ioredis';

/**
 * CI guard: the production test project needs TEST_DATABASE_URL and TEST_REDIS_URL to
 * answer. An unreachable one fails the run here, by name, instead of skipping tests.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('TEST_DATABASE_URL and TEST_REDIS_URL must both be set');
  const pg = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await pg.connect().catch((err) => {
    throw new Error(`TEST_DATABASE_URL (${databaseUrl}) is unreachable: ${err.message}`);
  });
  await pg.end();
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await redis.connect().then(() => redis.ping()).catch((err) => {
    throw new Error(`TEST_REDIS_URL (${redisUrl}) is unreachable: ${err.message}`);
  });
  redis.disconnect();
  process.stdout.write('PostgreSQL and Redis answer.\n');
}

main().catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
