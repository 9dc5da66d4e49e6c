import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver, type Knex } from '@mikro-orm/postgresql';
import { PGliteDriver } from 'mikro-orm-pglite';
import type { DatabaseConfig } from '../config';
import type { Logger } from '../logger';
import { entities } from './index';
import { migrationsList } from './migrations';

export type Orm = MikroORM;

/** The ORM plus whatever must be closed after it (the borrowed PGlite instance). */
export interface Database {
  readonly orm: Orm;
  /** Closes the pool (or the embedded database) cleanly; safe to call twice. */
  close(): Promise<void>;
}

function commonOptions(): Options {
  return {
    entities,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, warnWhenNoEntities: true },
    // Resolvers must fork: a stray use of the global identity map is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // Never create a database: a typo in DATABASE_URL must fail, not start on an empty one.
    ensureDatabase: false,
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
  };
}

/** Connects to PGlite (files under dataDir) or PostgreSQL; does not migrate. */
export async function openDatabase(db: DatabaseConfig, log?: Logger): Promise<Database> {
  if (db.kind === 'pglite') return openPglite(db.dataDir);
  const orm = await MikroORM.init({
    ...commonOptions(),
    driver: PostgreSqlDriver,
    clientUrl: db.clientUrl,
    pool: { min: 0, max: db.poolSize, afterCreate: planOncePerSession },
    driverOptions: {
      // Fail fast when PostgreSQL is away (knex waits 60 s by default): requests get
      // SERVICE_UNAVAILABLE within seconds, and new connections are tried on the next request.
      acquireConnectionTimeout: 5000,
      // query_timeout bounds a query whose server went silent (a partition keeps the socket open).
      connection: { connectionTimeoutMillis: 3000, keepAlive: true, query_timeout: db.queryTimeoutMs },
      // knex reports dropped connections itself; keep that in the structured log.
      ...(log && { log: knexLog(log) }),
    },
  });
  return { orm, close: () => orm.close(true) };
}

/**
 * The hot paths' named statements (sql-client.ts) are planned once per session and the
 * plan reused: PostgreSQL's default re-plans a statement whose custom plans look cheaper,
 * which for the history page cost about 0.3 ms per call. Set per connection rather than
 * as a startup option, which PgBouncer refuses. Unnamed statements (MikroORM's) are
 * planned per call either way.
 */
export const genericPlansSql = 'set plan_cache_mode = force_generic_plan';

function planOncePerSession(connection: { query(sql: string, done: (err: Error | null) => void): void }, done: (err: Error | null, connection: unknown) => void): void {
  connection.query(genericPlansSql, (err) => done(err, connection));
}

function knexLog(log: Logger) {
  return {
    warn: (message: unknown) => log.warn({ detail: String(message) }, 'database driver warning'),
    error: (message: unknown) => log.warn({ detail: String(message) }, 'database driver error'),
    deprecate: () => undefined,
    debug: () => undefined,
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir);
  await pglite.waitReady;
  const orm = await MikroORM.init({
    ...commonOptions(),
    driver: PGliteDriver,
    dbName: 'postgres',
    // The driver "borrows" an instance given as a factory, so closing it is ours to do.
    driverOptions: { connection: { pglite: () => pglite } },
  });
  return {
    orm,
    async close() {
      await orm.close(true);
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** An arbitrary constant: the advisory lock key every process of this service migrates under. */
const migrationLockKey = 72_616_201;

/**
 * Applies pending migrations; logs which ones ran. On PostgreSQL, processes starting
 * together take turns under an advisory lock: the first applies, the others find
 * nothing left to do. (PGlite is one process by construction.)
 */
export async function migrate(orm: Orm, log: Logger): Promise<void> {
  const run = async () => {
    const applied = await orm.getMigrator().up();
    if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  };
  if (orm.config.get('driver') !== PostgreSqlDriver) return run();
  await withAdvisoryLock(orm, migrationLockKey, run);
}

interface PgConnection {
  query(sql: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

async function tryLock(connection: PgConnection, key: number): Promise<boolean> {
  const { rows } = await connection.query('select pg_try_advisory_lock($1) as "locked"', [key]);
  return rows[0]?.locked === true;
}

/**
 * Holds a session-level advisory lock on a dedicated pooled connection while `fn` runs.
 * The lock is polled with pg_try_advisory_lock: a blocking wait would be cut by the
 * client-side query timeout while another process migrates.
 */
async function withAdvisoryLock(orm: Orm, key: number, fn: () => Promise<void>): Promise<void> {
  const knex = (orm.em.getConnection() as unknown as { getKnex(): Knex }).getKnex();
  const connection = (await knex.client.acquireConnection()) as PgConnection;
  try {
    while (!(await tryLock(connection, key))) await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      await fn();
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
