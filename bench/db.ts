import { createHash, randomBytes } from 'node:crypto';
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

const uuidArray = (ids: string[]) => {
  for (const id of ids) if (!uuid.test(id)) throw new Error(`not a uuid: ${id}`);
  return `array[${ids.map((id) => `'${id}'`).join(',')}]::uuid[]`;
};

export interface ChatListSeed {
  roomIds: string[];
  /** The user whose chat list is read: a member of every room, author of none of the messages. */
  readerId: string;
  authorIds: string[];
  messagesPerRoom: number;
  /** Messages after the reader's read marker in each room. */
  unread: number;
  /** The newest message of room k is `now − k minutes`, so the chat list has a clear order. */
  now: Date;
}

/**
 * The chat list's rooms (new and empty, every user a member) filled straight into the tables,
 * leaving what `messagesPerRoom` sends per room would: seq = ordinal = 1..N, authors in turn,
 * rooms.last_seq = message_count = N and last_activity_at = the newest message's time, each
 * author's markers at their own newest message (a send moves them), and the reader's read
 * marker at message N − unread (delivered: all of them, as a client that received everything).
 */
export function chatListSql(seed: ChatListSeed): string {
  const { messagesPerRoom: n, unread } = seed;
  const authors = uuidArray(seed.authorIds);
  const a = seed.authorIds.length;
  const now = `'${seed.now.toISOString()}'::timestamptz`;
  // Room k (1-based) ends at now − (k − 1) minutes; message g of it is (N − g) seconds older.
  const at = (g: string) => `${now} - (r.k - 1) * interval '1 minute' - (${n} - ${g}) * interval '1 second'`;
  const rooms = `unnest(${uuidArray(seed.roomIds)}) with ordinality as r(id, k)`;
  const readAt = n - unread;
  return `
    insert into "messages" ("id", "room_id", "author_id", "seq", "ordinal", "body", "created_at")
    select gen_random_uuid(), r.id, (${authors})[1 + g % ${a}], g, g, 'chat list message ' || g, ${at('g')}
      from ${rooms}, generate_series(1, ${n}) as g;
    update "rooms" t set "last_seq" = ${n}, "message_count" = ${n}, "last_activity_at" = ${at(String(n))}
      from ${rooms} where t."id" = r.id;
    update "room_members" m set "last_read_seq" = ${readAt}, "last_read_ordinal" = ${readAt}, "last_delivered_seq" = ${n},
           "markers_updated_at" = ${at(String(readAt))}
      from ${rooms} where m."room_id" = r.id and m."user_id" = '${seed.readerId}'::uuid;
    -- Author i (0-based) wrote the messages g with g mod A = i; their newest is N − ((N − i) mod A).
    update "room_members" m set "last_read_seq" = x.last, "last_read_ordinal" = x.last, "last_delivered_seq" = x.last,
           "markers_updated_at" = ${at('x.last')}
      from ${rooms}, (select w.id, ${n} - ((${n} - (w.i - 1)) % ${a}) as last from unnest(${authors}) with ordinality as w(id, i)) x
     where m."room_id" = r.id and m."user_id" = x.id;
    analyze "messages";
    analyze "rooms";
    analyze "room_members";
  `;
}

/** A seeded message's id, the same in SQL (md5 of the key, as a uuid) and here. */
export function seededMessageId(tag: string, roomId: string, ordinal: number): string {
  const hex = createHash('md5').update(`${tag}:${roomId}:${ordinal}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `perRoom` messages by `authorId` appended to each of the rooms (which may already hold
 * messages), as that many sends would leave them: the next seqs and ordinals, the rooms'
 * last_seq / message_count / last_activity_at, the author's markers at their newest message.
 * Ids are seededMessageId(tag, room, i) for i = 1..perRoom.
 */
export function appendMessagesSql(tag: string, roomIds: string[], authorId: string, perRoom: number, now: Date): string {
  if (!/^\w+$/.test(tag)) throw new Error(`bad tag ${tag}`);
  const rooms = uuidArray(roomIds);
  const ts = (g: string) => `'${now.toISOString()}'::timestamptz - (${perRoom} - ${g}) * interval '1 millisecond'`;
  return `
    insert into "messages" ("id", "room_id", "author_id", "seq", "ordinal", "body", "created_at")
    select md5('${tag}:' || r.id || ':' || g)::uuid, r.id, '${authorId}'::uuid, r.last_seq + g, r.message_count + g,
           'markread message ' || g, ${ts('g')}
      from "rooms" r, generate_series(1, ${perRoom}) as g
     where r.id = any(${rooms});
    update "rooms" set "last_seq" = "last_seq" + ${perRoom}, "message_count" = "message_count" + ${perRoom},
           "last_activity_at" = greatest("last_activity_at", ${ts(String(perRoom))})
     where "id" = any(${rooms});
    update "room_members" m set "last_read_seq" = r.last_seq, "last_read_ordinal" = r.message_count,
           "last_delivered_seq" = r.last_seq, "markers_updated_at" = ${ts(String(perRoom))}
      from "rooms" r where m."room_id" = r.id and r.id = any(${rooms}) and m."user_id" = '${authorId}'::uuid;
    analyze "messages";
    analyze "room_members";
  `;
}
