import { join } from 'node:path';
import pino from 'pino';
import type { DatabaseConfig } from '../../src/config';
import type { Orm } from '../../src/entities/orm';
import type { Logger } from '../../src/logger';
import { createTestDatabase, testBackend } from './backends';
import { makeDataDir, removeDataDir } from './servers';

/** An empty database on this file's backend, not yet opened; `remove` deletes it. */
export interface FreshDatabase {
  readonly config: DatabaseConfig;
  /** The postgres:// URL (production backend only; null for PGlite). */
  readonly url: string | null;
  remove(): Promise<void>;
}

/** A fresh temporary PGlite directory (embedded) or a freshly created PostgreSQL database. */
export async function freshDatabase(): Promise<FreshDatabase> {
  if (testBackend() === 'embedded') {
    const dir = await makeDataDir();
    return { config: { kind: 'pglite', dataDir: join(dir, 'pglite') }, url: null, remove: () => removeDataDir(dir) };
  }
  const database = await createTestDatabase();
  // Two connections at least: migrate holds the advisory lock on one and migrates on another.
  const config = { kind: 'postgres' as const, clientUrl: database.url, poolSize: 2, queryTimeoutMs: 10_000 };
  return { config, url: database.url, remove: () => database.drop() };
}

/** A logger whose JSON lines are kept in memory, to see what `migrate` reported. */
export function capturingLogger(): { log: Logger; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void entries.push(JSON.parse(line)) });
  return { log, entries };
}

/** Rows of one SQL query on a forked entity manager. */
export function query<T = Record<string, unknown>>(orm: Orm, sql: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().getConnection().execute<T[]>(sql, params);
}

/** The names recorded in MikroORM's migrations table, in the order they were applied. */
export async function appliedMigrations(orm: Orm): Promise<{ name: string; executed_at: Date }[]> {
  return query(orm, 'select name, executed_at from mikro_orm_migrations order by id');
}

/** Tables in the public schema, sorted. */
export async function publicTables(orm: Orm): Promise<string[]> {
  const rows = await query<{ tablename: string }>(orm, "select tablename from pg_tables where schemaname = 'public' order by tablename");
  return rows.map((row) => row.tablename);
}

/** Every table the initial migration creates (and the migrations table itself). */
export const serviceTables = ['message_reactions', 'messages', 'mikro_orm_migrations', 'room_events', 'room_members', 'rooms', 'sessions', 'users'];
