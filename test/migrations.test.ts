import { migrate, openDatabase, type Database } from '../src/entities/orm';
import { migrationsList } from '../src/entities/migrations';
import {
  appliedMigrations,
  capturingLogger,
  freshDatabase,
  publicTables,
  query,
  serviceTables,
  type FreshDatabase,
} from './helpers/fresh-database';

/**
 * The migrations against the entity metadata, on an EMPTY database of this file's backend
 * (a temporary PGlite directory, or a fresh PostgreSQL database): they must build exactly
 * the schema the entities describe, and running them again must change nothing.
 * The tests run in order on one database.
 */

const migrationNames = migrationsList.map((m) => m.name);

let fresh: FreshDatabase;
let db: Database;

beforeAll(async () => {
  fresh = await freshDatabase();
  db = await openDatabase(fresh.config);
});

afterAll(async () => {
  await db?.close();
  await fresh?.remove();
});

/** MikroORM's DDL to bring the database to the entities' metadata; '' when they agree. */
async function schemaDiff(): Promise<string> {
  return (await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();
}

test('migrate on an empty database applies every migration, in order, and logs their names', async () => {
  // Empty really means empty: nothing below can come from an earlier run.
  expect(await publicTables(db.orm)).toEqual([]);
  const { log, entries } = capturingLogger();
  await migrate(db.orm, log);
  expect((await appliedMigrations(db.orm)).map((row) => row.name)).toEqual(migrationNames);
  expect(await publicTables(db.orm)).toEqual(serviceTables);
  expect(entries).toContainEqual(expect.objectContaining({ msg: 'migrations applied', migrations: migrationNames }));
});

test('after migrating, the schema diff against the entity metadata is empty', async () => {
  // A non-empty diff means entities and migrations disagree: the next generated migration would "fix" it.
  expect(await schemaDiff()).toBe('');
});

test('migrating again applies nothing, logs nothing and leaves the migrations table unchanged', async () => {
  const before = await appliedMigrations(db.orm);
  const { log, entries } = capturingLogger();
  await migrate(db.orm, log);
  expect(await appliedMigrations(db.orm)).toEqual(before);
  expect(await db.orm.getMigrator().getPendingMigrations()).toEqual([]);
  expect(entries.filter((entry) => entry.msg === 'migrations applied')).toEqual([]);
});

describe('the indexes the service relies on exist', () => {
  test.each([
    // Case-insensitive usernames: `Alice` and `alice` are one name.
    ['users_username_lower_unique', 'users', /^CREATE UNIQUE INDEX .* \(lower\(\(username\)::text\)\)$/],
    // One DIRECT room per pair of users.
    ['rooms_direct_key_unique', 'rooms', /^CREATE UNIQUE INDEX .* \(direct_key\)$/],
    // History pages read (room_id, seq) ranges, and seq is unique within a room.
    ['messages_room_id_seq_unique', 'messages', /^CREATE UNIQUE INDEX .* \(room_id, seq\)$/],
    // "Rooms of a user", and one (room, user) pair exactly whichever index a plan picks.
    ['room_members_user_id_room_id_index', 'room_members', /^CREATE INDEX .* \(user_id, room_id\)$/],
    // "Members of a room", and joining twice is one membership.
    ['room_members_pkey', 'room_members', /^CREATE UNIQUE INDEX .* \(room_id, user_id\)$/],
  ])('%s on %s', async (name, table, definition) => {
    const rows = await query<{ tablename: string; indexdef: string }>(
      db.orm,
      "select tablename, indexdef from pg_indexes where schemaname = 'public' and indexname = ?",
      [name],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tablename).toBe(table);
    expect(rows[0]!.indexdef).toMatch(definition);
  });

  test('the lower(username) index rejects a username differing only in case', async () => {
    const insert = (id: string, username: string) =>
      query(db.orm, 'insert into users (id, username, password_hash, created_at) values (?, ?, ?, now())', [id, username, 'x']);
    await insert('00000000-0000-4000-8000-000000000001', 'CaseTwin');
    await expect(insert('00000000-0000-4000-8000-000000000002', 'casetwin')).rejects.toThrow(/users_username_lower_unique/);
  });
});

test('the schema diff notices drift, so its emptiness above is meaningful', async () => {
  await query(db.orm, 'drop index "users_username_lower_unique"');
  const diff = await schemaDiff();
  expect(diff).toMatch(/create unique index "users_username_lower_unique" on "users" \(lower\("username"\)\)/);
  // Applying what the diff proposes restores exactly the migrated schema.
  for (const statement of diff.split(/;\s*/).filter((s) => s.trim() !== '')) await query(db.orm, statement);
  expect(await schemaDiff()).toBe('');
});
