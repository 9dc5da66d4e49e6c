import type { TestServers } from './servers';
import { rawIdOf } from './factories';

/**
 * Direct reads of the rooms tables, for facts the API cannot show on its own
 * (e.g. that a race left exactly one row behind). Ids in and out are global ids.
 */
async function countOf(servers: TestServers, sql: string, params: unknown[]): Promise<number> {
  const rows = await servers.deps.orm.em.fork().getConnection().execute<{ n: number }[]>(sql, params);
  return Number(rows[0]!.n);
}

/** Membership rows of one user in one room: 0 or 1 when the primary key holds. */
export function membershipRows(servers: TestServers, roomId: string, userId: string): Promise<number> {
  return countOf(servers, 'select count(*)::int as n from "room_members" where "room_id" = ? and "user_id" = ?', [
    rawIdOf(roomId),
    rawIdOf(userId),
  ]);
}

/** All membership rows of one room. */
export function memberRowsOfRoom(servers: TestServers, roomId: string): Promise<number> {
  return countOf(servers, 'select count(*)::int as n from "room_members" where "room_id" = ?', [rawIdOf(roomId)]);
}

/** Every room in the database, of any kind and any owner. */
export function totalRooms(servers: TestServers): Promise<number> {
  return countOf(servers, 'select count(*)::int as n from "rooms"', []);
}

/** DIRECT rooms that both users belong to (found through memberships, not the pair key). */
export function directRoomsOfPair(servers: TestServers, userA: string, userB: string): Promise<number> {
  return countOf(
    servers,
    `select count(*)::int as n from "rooms" r
      where r."kind" = 'DIRECT'
        and exists (select 1 from "room_members" m where m."room_id" = r."id" and m."user_id" = ?)
        and exists (select 1 from "room_members" m where m."room_id" = r."id" and m."user_id" = ?)`,
    [rawIdOf(userA), rawIdOf(userB)],
  );
}

/**
 * Stores `count` messages of `body` in a room straight into the database, bypassing the
 * API's text checks: for bodies no client could send (e.g. control characters that JSON
 * escapes six bytes each), to build results of a given size.
 */
export async function insertMessages(servers: TestServers, roomId: string, authorId: string, body: string, count: number): Promise<void> {
  const connection = servers.deps.orm.em.fork().getConnection();
  const room = rawIdOf(roomId);
  await connection.execute(
    `insert into "messages" ("id", "room_id", "author_id", "seq", "ordinal", "body", "created_at")
       select gen_random_uuid(), ?, ?, r."last_seq" + s, r."message_count" + s, ?, now() from "rooms" r, generate_series(1, ?) s where r."id" = ?`,
    [room, rawIdOf(authorId), body, count, room],
  );
  await connection.execute(
    'update "rooms" set "last_seq" = "last_seq" + ?, "message_count" = "message_count" + ?, "last_activity_at" = now() where "id" = ?',
    [count, count, room],
  );
}
