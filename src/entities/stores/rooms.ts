import type { RoomKind } from '../room.entity';
import type { Row, SqlClient, Statement } from '../sql-client';
import type { RoomView, UserView } from '../../resolvers/views';
import { asDate } from './rows';

/** Rooms and users on the hot paths: membership checks, in one round trip each. */

/** A room as its members see it, with the number of its last message. */
export interface MemberRoom extends RoomView {
  lastSeq: number;
}

export interface RoomAccess {
  room: MemberRoom;
  /** Null when the viewer is not a member. */
  member: UserView | null;
}

/** Whose access to which room a caller asks about. */
export interface AccessAsk {
  roomId: string;
  userId: string;
}

/**
 * For each ask, the room and, when the user is a member, the user (null when the room does
 * not exist), in one round trip for all of them: membership checks come in bursts (a
 * reconnect storm resubscribes thousands of sockets at once) and one query per check was
 * one PostgreSQL wake-up each (resolvers/access-reader.ts groups them).
 */
export async function readRoomAccess(sql: SqlClient, asks: readonly AccessAsk[]): Promise<(RoomAccess | null)[]> {
  const rows = await sql.query(roomAccessStatement, [asks.map((a) => a.roomId), asks.map((a) => a.userId)]);
  const byAsk = new Map(rows.map((row) => [askKey(row.asked_room as string, row.asked_user as string), roomAccessOf(row)]));
  return asks.map((a) => byAsk.get(askKey(a.roomId, a.userId)) ?? null);
}

const askKey = (roomId: string, userId: string) => `${roomId}/${userId}`;

function roomAccessOf(row: Row): RoomAccess {
  const room = {
    id: row.id as string,
    kind: row.kind as RoomKind,
    name: (row.name as string | null) ?? null,
    createdAt: asDate(row.created_at),
    lastSeq: Number(row.last_seq),
  };
  const member = row.user_id
    ? { id: row.user_id as string, username: row.username as string, createdAt: asDate(row.user_created_at) }
    : null;
  return { room, member };
}

/**
 * Rooms are reached by key (`= any`), as the plan is generic and made once (see
 * stores/message-changes.ts): the join to the asks alone was estimated at 100 rows.
 */
export const roomAccessStatement: Statement = {
  name: 'room_access_many',
  types: ['uuid[]', 'uuid[]'],
  text: `
    select a.room_id as asked_room, a.user_id as asked_user,
           r.id, r.kind, r.name, r.created_at, r.last_seq, u.id as user_id, u.username, u.created_at as user_created_at
      from unnest($1::uuid[], $2::uuid[]) as a(room_id, user_id)
      join rooms r on r.id = a.room_id
      left join room_members m on m.room_id = a.room_id and m.user_id = a.user_id
      left join users u on u.id = m.user_id
     where r.id = any($1)`,
};

/** True when the user's row exists: read on failure paths and once per user at WebSocket sign-in only. */
export async function userRowExists(sql: SqlClient, userId: string): Promise<boolean> {
  return (await sql.query(userExistsStatement, [userId])).length > 0;
}

const userExistsStatement: Statement = { name: 'user_exists', types: ['uuid'], text: 'select 1 from users where id = $1' };


/** When each room's newest message was sent, or it was created (absent: no such room). */
export async function readRoomActivity(sql: SqlClient, roomIds: readonly string[]): Promise<Map<string, Date>> {
  const rows = await sql.query(roomActivityStatement, [roomIds]);
  return new Map(rows.map((row) => [row.id as string, asDate(row.last_activity_at)]));
}

const roomActivityStatement: Statement = {
  name: 'room_activity',
  types: ['uuid[]'],
  text: 'select id, last_activity_at from rooms where id = any($1)',
};

/** The user's rooms, most recent activity first (ties: newest room first), each with its activity. */
export async function readRoomsOfUser(sql: SqlClient, userId: string): Promise<(RoomView & { lastActivityAt: Date })[]> {
  const rows = await sql.query(roomsOfUserStatement, [userId]);
  return rows.map((row) => ({
    id: row.id as string,
    kind: row.kind as RoomKind,
    name: (row.name as string | null) ?? null,
    createdAt: asDate(row.created_at),
    lastActivityAt: asDate(row.last_activity_at),
  }));
}

const roomsOfUserStatement: Statement = {
  name: 'rooms_of_user',
  types: ['uuid'],
  text: `
    select r.id, r.kind, r.name, r.created_at, r.last_activity_at
      from room_members m join rooms r on r.id = m.room_id
     where m.user_id = $1
     order by r.last_activity_at desc, r.id desc`,
};
