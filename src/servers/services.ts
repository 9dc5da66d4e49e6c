import { loadJwtSecret, createTokenService } from '../auth';
import type { Config } from '../config';
import type { Deps } from '../context';
import { migrate, openDatabase } from '../entities/orm';
import type { Logger } from '../logger';
import { createEventBus } from '../pubsub';
import { createRateLimiter } from '../rate-limit';
import { createRedisEngine, type RedisEngine } from '../redis';
import { bounded, createReadinessCheck, type Probe, type ReadinessReport } from './readiness';

/** The long-lived services of a process and the way to close them. */
export interface Services {
  readonly deps: Deps;
  /** What `/ready` reports: the database (and Redis, when configured) answer. */
  readonly readiness: () => Promise<ReadinessReport>;
  /** Closes the bus and the database; after the servers have stopped. */
  stop(): Promise<void>;
}

/** Opens the database (migrating when configured), the event bus and the token service. */
export async function startServices(config: Config, log: Logger): Promise<Services> {
  const db = await openDatabase(config.database);
  let redis: RedisEngine | null = null;
  try {
    if (config.migrateOnStart) await migrate(db.orm, log);
    const secret = await loadJwtSecret(config, log);
    redis = config.redisUrl ? createRedisEngine(config.redisUrl, log) : null;
    const bus = createEventBus(log, { engine: redis?.pubsub });
    const deps: Deps = {
      config,
      log,
      orm: db.orm,
      bus,
      tokens: createTokenService(secret, config.jwtTtlSeconds),
      limiter: createRateLimiter({
        auth: config.rateLimits.authPerMinute,
        messages: config.rateLimits.messagesPerMinute,
      }),
    };
    const probes: Record<string, Probe> = {
      database: (ms) => bounded(db.orm.em.fork().getConnection().execute('select 1'), ms, 'the database'),
    };
    if (redis) probes.redis = redis.ping;
    return {
      deps,
      readiness: createReadinessCheck(probes, () => bus.stats().publishFailures),
      async stop() {
        await bus.close();
        await redis?.close();
        await db.close();
      },
    };
  } catch (err) {
    await redis?.close();
    await db.close();
    throw err;
  }
}
