import { loadJwtSecret, createTokenService } from '../auth';
import type { Config } from '../config';
import type { Deps } from '../context';
import { migrationsList } from '../entities/migrations';
import { migrate, openDatabase, type Orm } from '../entities/orm';
import { createSqlClient } from '../entities/sql-client';
import type { Logger } from '../logger';
import { createEventBus } from '../live/pubsub';
import { createRateLimiter } from '../rate-limit';
import { RoomChannels } from '../live/room-channels';
import { createRedisEngine, type RedisEngine } from '../live/redis';
import { flatUuid } from '../context';
import { PresenceTracker, type Presence } from '../live/presence';
import { MemoryPresenceEngine, type PresenceEngine } from '../live/presence-engine';
import { PresenceFeed } from '../live/presence-feed';
import { RedisPresenceEngine } from '../live/presence-redis';
import { SessionEnds } from '../live/sessions';
import type { EventBus } from '../live/pubsub';
import type { SqlClient } from '../entities/sql-client';
import { bounded, createReadinessCheck, type Probe, type ReadinessReport } from './readiness';

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
    const presence = createPresence(config, log, { bus, sql, redis });
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
      limiter: createRateLimiter({
        auth: config.rateLimits.authPerMinute,
        messages: config.rateLimits.messagesPerMinute,
      }),
      presence,
      sessions,
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

/** Presence kept in Redis when there is one (several processes), else in this process's memory. */
function createPresence(config: Config, log: Logger, io: { bus: EventBus; sql: SqlClient; redis: RedisEngine | null }): Presence {
  const engine: PresenceEngine = io.redis
    ? new RedisPresenceEngine({ client: io.redis.commands, prefix: config.redisChannelPrefix, procId: flatUuid(), expiryMs: config.presence.expiryMs })
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
