import { loadJwtSecret, createTokenService } from '../auth';
import type { Config } from '../config';
import type { Deps } from '../context';
import { migrate, openDatabase } from '../entities/orm';
import type { Logger } from '../logger';
import { createEventBus } from '../pubsub';
import { createRateLimiter } from '../rate-limit';

/** The long-lived services of a process and the way to close them. */
export interface Services {
  readonly deps: Deps;
  /** Closes the bus and the database; after the servers have stopped. */
  stop(): Promise<void>;
}

/** Opens the database (migrating when configured), the event bus and the token service. */
export async function startServices(config: Config, log: Logger): Promise<Services> {
  const db = await openDatabase(config.database);
  try {
    if (config.migrateOnStart) await migrate(db.orm, log);
    const secret = await loadJwtSecret(config, log);
    const bus = createEventBus(log);
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
    return {
      deps,
      async stop() {
        await bus.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
