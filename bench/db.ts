import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';

/** Where the service keeps its data for one scenario: a fresh PGlite directory or a fresh PostgreSQL database. */
export interface Backend {
  readonly name: 'pglite' | 'postgres' | 'postgres+redis';
  readonly kind: 'pglite' | 'postgres';
  /** What the service's environment gets (DATA_DIR, DATABASE_URL, REDIS_URL). */
  readonly env: Record<string, string>;
  /** Runs SQL on the backend; on PGlite only while the service is stopped (one process owns the files). */
  sql(text: string): Promise<void>;
  /** Removes the directory or drops the database. */
  cleanup(): Promise<void>;
}

export type BackendKind = Backend['kind'];

/** Backends not cleaned up yet: removed on a signal or failure by `cleanupAll`. */
const live = new Set<Backend>();

export async function cleanupAll(): Promise<void> {
  for (const backend of [...live]) await backend.cleanup().catch(() => undefined);
}

export async function createBackend(kind: BackendKind): Promise<Backend> {
  const backend = await newBackend(kind);
  const cleanup = backend.cleanup;
  const tracked: Backend = {
    ...backend,
    cleanup: async () => {
      live.delete(tracked);
      await cleanup();
    },
  };
  live.add(tracked);
  return tracked;
}

async function newBackend(kind: BackendKind): Promise<Backend> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chat-bench-'));
  if (kind === 'pglite') {
    return {
      name: 'pglite',
      kind,
      env: { DATA_DIR: dataDir },
      async sql(text) {
        const db = new PGlite(join(dataDir, 'pglite'));
        try {
          await db.exec(text);
        } finally {
          await db.close();
        }
      },
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set: no PostgreSQL backend');
  const name = `chat_bench_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const redisUrl = process.env.TEST_REDIS_URL;
  return {
    name: redisUrl ? 'postgres+redis' : 'postgres',
    kind,
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString(), ...(redisUrl ? { REDIS_URL: redisUrl } : {}) },
    sql: (text) => admin(url.toString(), text),
    async cleanup() {
      await admin(adminUrl, `drop database if exists "${name}" with (force)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function admin(url: string, text: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const uuid = /^[0-9a-f-]{36}$/;

/**
 * `count` messages in one (new, empty) room, straight into the tables: per-room seq and ordinal 1..count
 * and rooms.last_seq = message_count = count, as sendMessage would leave them; authors taken in turn.
 */
export function historySql(roomId: string, authorIds: string[], count: number): string {
  for (const id of [roomId, ...authorIds]) if (!uuid.test(id)) throw new Error(`not a uuid: ${id}`);
  const authors = `array[${authorIds.map((id) => `'${id}'`).join(',')}]::uuid[]`;
  return `
    insert into "messages" ("id", "room_id", "author_id", "seq", "ordinal", "body", "created_at")
    select gen_random_uuid(), '${roomId}'::uuid, (${authors})[1 + g % ${authorIds.length}], g, g,
           'history message ' || g || ' ' || repeat('x', 40), now() - (${count} - g) * interval '1 second'
    from generate_series(1, ${count}) as g;
    update "rooms" set "last_seq" = ${count}, "message_count" = ${count}, "last_activity_at" = now() where "id" = '${roomId}';
    analyze "messages";
  `;
}
