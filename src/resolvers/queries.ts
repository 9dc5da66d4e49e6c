import type { Row, SqlClient, Statement } from '../entities/sql-client';
import type { RoomKind } from '../entities/room.entity';
import type { MessageView, RoomView, UserView } from './views';

/**
 * The hot paths in plain SQL, one round trip each: entity hydration cost more than the
 * database itself on every send, history page and membership check (see BENCHMARKS.md).
 * The history page has its own statement in history-queries.ts.
 * The entities still describe the schema and serve everything else.
 */

/** A room as its members see it, with the number of its last message. */
export interface MemberRoom extends RoomView {
  lastSeq: number;
}

export interface RoomAccess {
  room: MemberRoom;
  /** Null when the viewer is not a member. */
  member: UserView | null;
}

/** node-postgres gives Date objects, PGlite too; a string is parsed all the same. */
export const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/** The room and, when the user is a member, the user: null when the room does not exist. */
export async function findRoomAccess(sql: SqlClient, roomId: string, userId: string): Promise<RoomAccess | null> {
  const [row] = await sql.query(roomAccessStatement, [userId, roomId]);
  if (!row) return null;
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

const roomAccessStatement: Statement = {
  name: 'room_access',
  types: ['uuid', 'uuid'],
  text: `
    select r.id, r.kind, r.name, r.created_at, r.last_seq, u.id as user_id, u.username, u.created_at as user_created_at
      from rooms r
      left join room_members m on m.room_id = r.id and m.user_id = $1
      left join users u on u.id = m.user_id
     where r.id = $2`,
};

/** True when the user's row exists: read on failure paths and once per user at WebSocket sign-in only. */
export async function userRowExists(sql: SqlClient, userId: string): Promise<boolean> {
  return (await sql.query(userExistsStatement, [userId])).length > 0;
}

const userExistsStatement: Statement = { name: 'user_exists', types: ['uuid'], text: 'select 1 from users where id = $1' };

/** A message to store; `roomId` and `authorId` are checked against membership when stored. */
export interface MessageDraft {
  id: string;
  roomId: string;
  authorId: string;
  body: string;
  createdAt: Date;
}

/** What storing a draft gave: its number and the views of its room and author. */
export interface StoredMessage {
  seq: number;
  room: RoomView;
  author: UserView;
}

/**
 * Stores many messages in one statement (one round trip, one implicit transaction) and
 * returns, in draft order, each one's stored form, or null when its author is not a
 * member of its room (or the room does not exist): nothing is stored for that draft.
 *
 * Sequence numbers: every room of the batch is locked first, in id order (so two batches
 * sharing rooms, in this process or another, wait for each other instead of deadlocking),
 * then its last_seq jumps by its number of drafts, which take the numbers in between in
 * draft order. The row locks are held until the statement commits, so sequence order is
 * commit order and a room's numbers stay contiguous: a reader paging with `after`
 * never passes a number whose message commits later (room-sequencer.ts relies on it).
 *
 * The drafts travel as one JSON parameter, so the statement is the same whatever the
 * batch size and is planned once per session.
 */
export async function insertMessages(sql: SqlClient, drafts: readonly MessageDraft[]): Promise<(StoredMessage | null)[]> {
  const input = drafts.map((d, ord) => ({
    ord,
    id: d.id,
    room_id: d.roomId,
    author_id: d.authorId,
    // JSON escapes a lone surrogate, which PostgreSQL's json refuses; as text it was stored as U+FFFD.
    body: d.body.replace(/\p{Cs}/gu, '\uFFFD'),
    created_at: d.createdAt.toISOString(),
  }));
  const rows = await sql.query(insertMessagesStatement, [JSON.stringify(input)]);
  const stored: (StoredMessage | null)[] = drafts.map(() => null);
  for (const row of rows) {
    const draft = drafts[Number(row.ord)]!;
    stored[Number(row.ord)] = {
      seq: Number(row.seq),
      room: { id: draft.roomId, kind: row.kind as RoomKind, name: (row.name as string | null) ?? null, createdAt: asDate(row.room_created_at) },
      author: { id: draft.authorId, username: row.username as string, createdAt: asDate(row.author_created_at) },
    };
  }
  return stored;
}

const insertMessagesSql = `
with input as (
  select * from json_to_recordset($1::json)
    as t(ord int, id uuid, room_id uuid, author_id uuid, body text, created_at timestamptz)
),
allowed as (
  select i.*, u.username, u.created_at as author_created_at
    from input i
    join room_members m on m.room_id = i.room_id and m.user_id = i.author_id
    join users u on u.id = i.author_id
),
counts as (select room_id, count(*) as n from allowed group by room_id),
locked as materialized (
  select r.id from rooms r where r.id in (select room_id from counts) order by r.id for update
),
bumped as (
  update rooms r set last_seq = r.last_seq + c.n
    from counts c, locked l
   where r.id = c.room_id and l.id = r.id
  returning r.id, r.kind, r.name, r.created_at, r.last_seq - c.n as base_seq
),
stored as (
  insert into messages (id, room_id, author_id, seq, body, created_at)
  select a.id, a.room_id, a.author_id, b.base_seq + row_number() over (partition by a.room_id order by a.ord), a.body, a.created_at
    from allowed a join bumped b on b.id = a.room_id
  returning id, seq
)
select a.ord, s.seq, b.kind, b.name, b.created_at as room_created_at, a.username, a.author_created_at
  from allowed a join stored s on s.id = a.id join bumped b on b.id = a.room_id`;

const insertMessagesStatement: Statement = { name: 'insert_messages', types: ['json'], text: insertMessagesSql };

/** A room's messages with a number above `afterSeq`, oldest first, at most `limit`. */
export async function readMessagesAfter(sql: SqlClient, roomId: string, afterSeq: number, limit: number): Promise<MessageView[]> {
  const rows = await sql.query(messagesAfterStatement, [roomId, afterSeq, limit]);
  const head = rows[0];
  if (!head) return [];
  const room: RoomView = { id: roomId, kind: head.kind as RoomKind, name: (head.name as string | null) ?? null, createdAt: asDate(head.room_created_at) };
  return rows.map((row) => messageOf(row, room));
}

/** A message row as the history page and readMessagesAfter select it (aliases included). */
export function messageOf(row: Row, room: RoomView): MessageView {
  return {
    id: row.message_id as string,
    seq: Number(row.seq),
    room,
    author: { id: row.author_id as string, username: row.author_username as string, createdAt: asDate(row.author_created_at) },
    body: row.body as string,
    createdAt: asDate(row.message_created_at),
  };
}

const messagesAfterStatement: Statement = {
  name: 'messages_after',
  types: ['uuid', 'bigint', 'bigint'],
  text: `
    select m.id as message_id, m.seq, m.body, m.created_at as message_created_at, r.kind, r.name, r.created_at as room_created_at,
           u.id as author_id, u.username as author_username, u.created_at as author_created_at
      from messages m
      join rooms r on r.id = m.room_id
      join users u on u.id = m.author_id
     where m.room_id = $1 and m.seq > $2
     order by m.seq
     limit $3`,
};
