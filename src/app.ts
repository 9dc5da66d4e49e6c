import { loadJwtSecret, createTokenService } from './auth';
import type { Config } from './config';
import type { Deps } from './context';
import { migrationsList } from './entities/migrations';
import { migrate, openDatabase, type Orm } from './entities/orm';
import { createSqlClient } from './entities/sql-client';
import type { Logger } from './logger';
import { createEventBus } from './live/pubsub';
import { Metrics } from './metrics';
import { createRateLimiter } from './rate-limit';
import { createClientAddressOf } from './client-address';
import { SocketCap } from './live/socket-cap';
import { reportBatchesTo } from './resolvers/batch-metrics';
import { RoomChannels } from './live/room-channels';
import { createRedisEngine, type RedisEngine } from './live/redis';
import { flatUuid } from './context';
import { PresenceTracker, type Presence } from './live/presence';
import { MemoryPresenceEngine, type PresenceEngine } from './live/presence-engine';
import { PresenceFeed } from './live/presence-feed';
import { RedisPresenceEngine } from './live/presence-redis';
import { SessionEnds } from './live/sessions';
import type { EventBus } from './live/pubsub';
import type { SqlClient } from './entities/sql-client';
import { bounded, createReadinessCheck, type Probe, type ReadinessReport } from './servers/http/readiness';

/** The long-lived services of a process and the way to close them. */
export interface Services {
  readonly deps: Deps;
  /** What `/ready` reports: the database (and Redis, when configured) answer. */
  readonly readiness: () => Promise<ReadinessReport>;
  /** Closes the bus and the database; after the servers have stopped. */
  stop(): Promise<void>;
}

const redisStartupWaitMs = 5000;

/** Opens the database (migrating when configured), the event bus and the token service. */
export async function startServices(config: Config, log: Logger): Promise<Services> {
  const db = await openDatabase(config.database, log);
  let redis: RedisEngine | null = null;
  try {
    if (config.migrateOnStart) await migrate(db.orm, log);
    const secret = await loadJwtSecret(config, log);
    redis = config.redisUrl ? createRedisEngine(config.redisUrl, config.redisChannelPrefix, log) : null;
    // Serve with Redis connected when it is there; when it is not, start anyway (the
    // database is the source of truth, /ready says 503, subscriptions resync later).
    if (redis && !(await redis.waitReady(redisStartupWaitMs))) {
      log.warn({ waitedMs: redisStartupWaitMs }, 'redis is not reachable at startup; starting without it for now');
    }
    const bus = createEventBus(log, { engine: redis?.pubsub });
    redis?.onResubscribed(() => bus.notifyResumed());
    const sql = createSqlClient(db.orm);
    // One id for this process in presence and in the socket cap, whose counts presence's heartbeat vouches for.
    const procId = flatUuid();
    const presence = createPresence(config, log, { bus, sql, redis, procId });
    const tokens = createTokenService(secret, config.jwtTtlSeconds);
    const sessions = new SessionEnds({ bus, sql, tokens, log, jwtTtlSeconds: config.jwtTtlSeconds });
    const deps: Deps = {
      config,
      log,
      orm: db.orm,
      sql,
      bus,
      rooms: new RoomChannels({ bus, sql, log }),
      tokens,
      limiter: createRateLimiter(config.rateLimits, { redis: redis?.commands ?? null, prefix: config.redisChannelPrefix, log }),
      clientAddressOf: createClientAddressOf(config.trustProxy),
      socketCap: new SocketCap({
        cap: config.maxSocketsPerUser,
        redis: redis?.commands ?? null,
        prefix: config.redisChannelPrefix,
        procId,
        expiryMs: config.presence.expiryMs,
        log,
      }),
      presence,
      sessions,
      metrics: createMetrics({ bus, sql, redis }),
    };
    presence.tracker.start();
    await sessions.start();
    const probes: Record<string, Probe> = {
      database: (ms) => bounded(checkSchema(db.orm), ms, 'the database'),
    };
    if (redis) probes.redis = redis.ping;
    return {
      deps,
      readiness: createReadinessCheck(probes, () => bus.stats().publishFailures),
      async stop() {
        // Before the bus and the database: this process's users go offline, with their last-seen times stored.
        await presence.tracker.stop();
        sessions.stop();
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

/** The process's registry, reading the bus's and Redis's totals and told every group-commit batch. */
function createMetrics(io: { bus: EventBus; sql: SqlClient; redis: RedisEngine | null }): Metrics {
  const metrics = new Metrics();
  metrics.readFrom({ publishFailures: () => io.bus.stats().publishFailures, redisErrors: () => io.redis?.errorCount() ?? 0 });
  reportBatchesTo(io.sql, metrics);
  return metrics;
}

/** Presence kept in Redis when there is one (several processes), else in this process's memory. */
function createPresence(config: Config, log: Logger, io: { bus: EventBus; sql: SqlClient; redis: RedisEngine | null; procId: string }): Presence {
  const engine: PresenceEngine = io.redis
    ? new RedisPresenceEngine({ client: io.redis.commands, prefix: config.redisChannelPrefix, procId: io.procId, expiryMs: config.presence.expiryMs })
    : new MemoryPresenceEngine();
  return {
    tracker: new PresenceTracker({ engine, bus: io.bus, sql: io.sql, log, timings: config.presence }),
    feed: new PresenceFeed({ bus: io.bus, sql: io.sql, log }),
  };
}

/** The database answers and every migration is applied (else requests would fail). */
async function checkSchema(orm: Orm): Promise<void> {
  const [row] = await orm.em.fork().getConnection().execute<{ applied: number }[]>(
    'select count(*)::int as "applied" from "mikro_orm_migrations"',
  );
  const pending = migrationsList.length - (row?.applied ?? 0);
  if (pending > 0) throw new Error(`${pending} migration(s) pending: run npm run migrate`);
}
