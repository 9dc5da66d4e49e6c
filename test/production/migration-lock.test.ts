import { migrate, openDatabase, type Database } from '../../src/entities/orm';
import { migrationsList } from '../../src/entities/migrations';
import { productionUrls } from '../helpers/backends';
import { killStarted, parseJson, startProcess } from '../helpers/child';
import { signUp } from '../helpers/factories';
import {
  appliedMigrations,
  capturingLogger,
  freshDatabase,
  publicTables,
  query,
  serviceTables,
  type FreshDatabase,
} from '../helpers/fresh-database';
import { errorCode, gql } from '../helpers/http';
import { RegisterDoc } from '../helpers/operations';
import { probe, untilReadyStatus } from '../helpers/probes';
import { startServers, type TestServers } from '../helpers/servers';

/**
 * Migrating PostgreSQL the ways deployments do: several processes starting at once (they
 * take turns under an advisory lock), `npm run migrate` as a separate step, and servers
 * started with MIGRATE_ON_START=false before anyone migrated.
 */

jest.setTimeout(30_000);

const migrationNames = migrationsList.map((m) => m.name);
/** tsx compiles the entry point first: generous on a loaded machine. */
const exitMs = 20_000;

afterAll(() => killStarted());

/** `npm run migrate` on `url` to its exit: the code and the JSON lines it logged. */
async function runMigrate(url: string): Promise<{ code: number | null; logged: Record<string, unknown>[]; stderr: string }> {
  const child = startProcess('src/entities/migrate-main.ts', { DATABASE_URL: url, LOG_LEVEL: 'info' });
  const code = await child.exited(exitMs);
  const logged = child.lines().map(parseJson).filter((entry) => entry !== null);
  return { code, logged, stderr: child.stderr() };
}

/** Opens `fresh` just long enough to run `fn` on it. */
async function inspect<T>(fresh: FreshDatabase, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(fresh.config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('three processes migrating the same fresh database at once', () => {
  let fresh: FreshDatabase;
  let dbs: Database[] = [];

  beforeAll(async () => {
    fresh = await freshDatabase();
    // Three pools, as three processes would have: the advisory lock is all that orders them.
    dbs = await Promise.all([1, 2, 3].map(() => openDatabase(fresh.config)));
  });

  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.close()));
    await fresh?.remove();
  });

  test('all resolve, exactly one applies the migrations, and each is recorded once', async () => {
    // Without the lock this fails every time: the losers collide creating mikro_orm_migrations.
    const loggers = dbs.map(() => capturingLogger());
    await Promise.all(dbs.map((db, i) => migrate(db.orm, loggers[i]!.log)));
    const appliers = loggers.filter(({ entries }) => entries.some((entry) => entry.msg === 'migrations applied'));
    expect(appliers).toHaveLength(1);
    expect((await appliedMigrations(dbs[0]!.orm)).map((row) => row.name)).toEqual(migrationNames);
    expect(await publicTables(dbs[0]!.orm)).toEqual(serviceTables);
  });

  test('the advisory lock is released afterwards', async () => {
    const locks = await query(
      dbs[0]!.orm,
      "select 1 from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())",
    );
    expect(locks).toEqual([]);
  });
});

describe('npm run migrate', () => {
  let fresh: FreshDatabase;

  beforeAll(async () => {
    fresh = await freshDatabase();
  });

  afterAll(async () => {
    await fresh?.remove();
  });

  test('on a fresh database exits 0 after applying every migration', async () => {
    const { code, logged, stderr } = await runMigrate(fresh.url!);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'migrations applied', migrations: migrationNames }));
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'database is up to date' }));
    await inspect(fresh, async (db) => {
      expect((await appliedMigrations(db.orm)).map((row) => row.name)).toEqual(migrationNames);
      expect((await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    });
  }, exitMs + 5000);

  test('run again, it exits 0 and applies nothing', async () => {
    const { code, logged } = await runMigrate(fresh.url!);
    expect(code).toBe(0);
    expect(logged.filter((entry) => entry.msg === 'migrations applied')).toEqual([]);
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'database is up to date' }));
  }, exitMs + 5000);

  test('against an unreachable server exits non-zero instead of hanging', async () => {
    // Port 1 on loopback refuses at once; the address is never a real database.
    const { code, stderr } = await runMigrate('postgres://postgres@127.0.0.1:1/chat');
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toMatch(/ECONNREFUSED/);
  }, exitMs + 5000);
});

describe('servers started with MIGRATE_ON_START=false on an unmigrated database', () => {
  let fresh: FreshDatabase;
  let servers: TestServers;

  beforeAll(async () => {
    fresh = await freshDatabase();
    servers = await startServers({ DATABASE_URL: fresh.url!, REDIS_URL: productionUrls().redisUrl, MIGRATE_ON_START: 'false' });
  });

  afterAll(async () => {
    await servers?.stop();
    await fresh?.remove();
  });

  const register = () => gql(servers.httpUrl, RegisterDoc, { username: `nomig_${Date.now() % 1e6}`, password: 'correct horse battery' });

  test('start without creating any table', async () => {
    expect(await publicTables(servers.deps.orm)).toEqual([]);
  });

  test('report not ready on both servers, naming the pending migrations, while the database itself answers', async () => {
    for (const port of [servers.apiPort, servers.wsPort]) {
      const { status, body } = await probe(port, '/ready');
      expect(status).toBe(503);
      expect(body).toMatchObject({ ready: false, checks: { redis: 'ok' } });
      expect(String((body as { checks: Record<string, string> }).checks.database)).toMatch(/mikro_orm_migrations|pending/);
    }
  });

  test('answer register with a masked INTERNAL_SERVER_ERROR and keep running', async () => {
    const result = await register();
    expect(result.data?.register ?? null).toBeNull();
    expect(errorCode(result)).toBe('INTERNAL_SERVER_ERROR');
    // The raw error names the missing relation; none of it may reach the client.
    expect(JSON.stringify(result.errors)).not.toMatch(/relation|users|insert|select|42P01/i);
    expect((await probe(servers.apiPort, '/health')).status).toBe(200);
    expect(await publicTables(servers.deps.orm)).toEqual([]);
  });

  test('serve register and report ready once npm run migrate has run, without a restart', async () => {
    expect((await runMigrate(fresh.url!)).code).toBe(0);
    const user = await signUp(servers, 'migrated');
    expect(user.token).toEqual(expect.any(String));
    for (const port of [servers.apiPort, servers.wsPort]) {
      const { body } = await untilReadyStatus(port, 200, 5000);
      expect(body).toMatchObject({ ready: true, checks: { database: 'ok', redis: 'ok' } });
    }
  }, exitMs + 5000);
});
