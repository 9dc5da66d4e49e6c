import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { migrate, openDatabase } from './orm';

/**
 * `npm run migrate`: applies pending migrations and exits, for deployments that
 * migrate separately (then start the servers with MIGRATE_ON_START=false).
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ level: config.logLevel });
  const db = await openDatabase(config.database, log);
  try {
    await migrate(db.orm, log);
    log.info('database is up to date');
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err?.stack ?? err)}\n`);
  process.exit(1);
});
