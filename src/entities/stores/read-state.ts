import { batchRows } from './batch-rows';
import type { Row, SqlClient, Statement } from '../sql-client';
import type { MessageView, ReadMarkerView, RoomView } from '../../resolvers/views';
import { messageColumns, messageJson, messageOf, roomColumns, roomOf } from './messages';
import { asDate } from './rows';

/**
 * Read state in plain SQL: markers, unread counts, the chat list's last messages and the
 * rooms' lowest markers (for Message.status). Every read takes many rooms at once, so a
 * field resolved per room costs one statement per request (loaders.ts).
 *
 * Markers are log positions of messages (0: none) kept on room_members; the read marker
 * carries its message's ordinal, so an unread count is a subtraction:
 *   rooms.message_count − last_read_ordinal − tombstones after the marker.
 * The sender's own messages never count: sending moves their markers (messages.ts).
 */

/**
 * What markRead / markDelivered did:
 * - `moved` / `unchanged`: the member's markers after the call (an older message changes nothing);
 * - `notFound`: no such message; `notMember`: the user is not a member of its room.
 */
export type MarkerMove =
  | { outcome: 'moved' | 'unchanged'; marker: ReadMarkerView }
  | { outcome: 'notFound' }
  | { outcome: 'notMember' };

/** One markRead (`read`) or markDelivered call. */
export interface MarkerMoveRequest {
  userId: string;
  messageId: string;
  read: boolean;
}

/**
 * Applies many marker moves in one statement (group commit, see marker-batcher.ts) and
 * returns, in request order, what became of each. Per member, the batch's furthest
 * targets win, compared with the row as it is once locked, so markers only move forward
 * whatever the order of concurrent batches. Member rows are locked in (room, user) order,
 * as the send statement does, so two batches (two processes) never deadlock; no room
 * lock is taken, so marking never waits for a room's sends.
 *
 * Several moves of one member in a batch all answer the member's markers after the batch;
 * only the first says `moved`, so the move is published once.
 */
export async function moveMarkers(sql: SqlClient, requests: readonly MarkerMoveRequest[], at: Date): Promise<MarkerMove[]> {
  const input = requests.map((r, ord) => ({ ord, user_id: r.userId, message_id: r.messageId, read: r.read }));
  const rows = await sql.query(moveMarkersStatement, [JSON.stringify(input), at.toISOString()]);
  const outcomes: MarkerMove[] = requests.map(() => ({ outcome: 'notFound' }));
  const published = new Set<string>();
  for (const row of rows) {
    const ord = Number(row.ord);
    if (row.user_id == null) {
      outcomes[ord] = { outcome: 'notMember' };
      continue;
    }
    const member = `${row.room_id as string}:${row.user_id as string}`;
    const moved = Boolean(row.moved) && !published.has(member);
    if (moved) published.add(member);
    const room = roomOf(row);
    const marker = markerOf(row, room);
    marker.lastRead = markedMessageOf(row.last_read_message, room);
    marker.lastDelivered = markedMessageOf(row.last_delivered_message, room);
    outcomes[ord] = { outcome: moved ? 'moved' : 'unchanged', marker };
  }
  return outcomes;
}

/** A message read as JSON (messageJson) by a statement that returns several per row (null: none). */
function markedMessageOf(json: unknown, room: RoomView): MessageView | null {
  if (json == null) return null;
  return messageOf((typeof json === 'string' ? JSON.parse(json) : json) as Row, room);
}

/*
 * One row per request whose message exists; user_id is null when its user is not a member.
 * The marked messages come with it: the answer to markRead selects them (a second
 * statement per call doubled its cost).
 */
const moveMarkersStatement: Statement = {
  name: 'move_markers',
  types: ['json', 'timestamptz'],
  text: `
    with input as (
      select * from ${batchRows('$1::json', 't', 'ord int, user_id uuid, message_id uuid, read bool')}
    ),
    target as (
      select i.ord, i.user_id, i.read, m.room_id, m.seq, m.ordinal from input i join messages m on m.id = i.message_id
    ),
    locked as materialized (
      select rm.room_id, rm.user_id, rm.last_read_seq, rm.last_delivered_seq, rm.markers_updated_at
        from room_members rm
       where (rm.room_id, rm.user_id) in (select room_id, user_id from target)
       order by rm.room_id, rm.user_id
         for update
    ),
    wanted as (
      select room_id, user_id, max(seq) as delivered_seq,
             (array_agg(seq order by seq desc) filter (where read))[1] as read_seq,
             (array_agg(ordinal order by seq desc) filter (where read))[1] as read_ordinal
        from target group by room_id, user_id
    ),
    moved as (
      update room_members rm
         set last_read_seq = case when w.read_seq > l.last_read_seq then w.read_seq else rm.last_read_seq end,
             last_read_ordinal = case when w.read_seq > l.last_read_seq then w.read_ordinal else rm.last_read_ordinal end,
             last_delivered_seq = greatest(l.last_delivered_seq, w.delivered_seq),
             markers_updated_at = $2
        from locked l join wanted w on w.room_id = l.room_id and w.user_id = l.user_id
       where rm.room_id = l.room_id and rm.user_id = l.user_id
         and (w.delivered_seq > l.last_delivered_seq or w.read_seq > l.last_read_seq)
      returning rm.room_id, rm.user_id, rm.last_read_seq, rm.last_delivered_seq, rm.markers_updated_at
    )
    select t.ord, ${roomColumns}, t.room_id, mv.user_id is not null as moved, l.user_id, u.username, u.created_at as user_created_at,
           coalesce(mv.last_read_seq, l.last_read_seq) as last_read_seq,
           coalesce(mv.last_delivered_seq, l.last_delivered_seq) as last_delivered_seq,
           coalesce(mv.markers_updated_at, l.markers_updated_at) as markers_updated_at,
           (select ${messageJson('m', 'au')} from messages m join users au on au.id = m.author_id
             where m.room_id = t.room_id and m.seq = coalesce(mv.last_read_seq, l.last_read_seq)) as last_read_message,
           (select ${messageJson('m', 'au')} from messages m join users au on au.id = m.author_id
             where m.room_id = t.room_id and m.seq = coalesce(mv.last_delivered_seq, l.last_delivered_seq)) as last_delivered_message
      from target t
      join rooms r on r.id = t.room_id
      left join locked l on l.room_id = t.room_id and l.user_id = t.user_id
      left join moved mv on mv.room_id = t.room_id and mv.user_id = t.user_id
      left join users u on u.id = l.user_id
     order by t.ord`,
};

/** Every member's markers in one room, earliest member first. */
export async function readRoomMarkers(sql: SqlClient, room: RoomView): Promise<ReadMarkerView[]> {
  const rows = await sql.query(roomMarkersStatement, [room.id]);
  return rows.map((row) => markerOf(row, room));
}

const roomMarkersStatement: Statement = {
  name: 'room_markers',
  types: ['uuid'],
  text: `
    select rm.user_id, u.username, u.created_at as user_created_at,
           rm.last_read_seq, rm.last_delivered_seq, rm.markers_updated_at
      from room_members rm join users u on u.id = rm.user_id
     where rm.room_id = $1
     order by rm.joined_at, rm.user_id`,
};

function markerOf(row: Row, room: RoomView): ReadMarkerView {
  return {
    room,
    user: { id: row.user_id as string, username: row.username as string, createdAt: asDate(row.user_created_at) },
    lastReadSeq: Number(row.last_read_seq),
    lastDeliveredSeq: Number(row.last_delivered_seq),
    updatedAt: asDate(row.markers_updated_at),
  };
}

/** The user's unread count in each room they are a member of (absent: not a member). */
export async function readUnreadCounts(sql: SqlClient, userId: string, roomIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await sql.query(unreadCountsStatement, [userId, roomIds]);
  return new Map(rows.map((row) => [row.room_id as string, Number(row.unread)]));
}

const unreadCountsStatement: Statement = {
  name: 'unread_counts',
  types: ['uuid', 'uuid[]'],
  text: `
    select r.id as room_id,
           r.message_count - rm.last_read_ordinal
             - (select count(*) from messages d where d.room_id = r.id and d.seq > rm.last_read_seq and d.deleted_at is not null) as unread
      from rooms r join room_members rm on rm.room_id = r.id and rm.user_id = $1
     where r.id = any($2)`,
};

/** The newest message that is not deleted, per room (absent: none). */
export async function readLastMessages(sql: SqlClient, roomIds: readonly string[]): Promise<Map<string, MessageView>> {
  const rows = await sql.query(lastMessagesStatement, [roomIds]);
  return new Map(rows.map((row) => [row.room_id as string, messageOf(row, roomOf(row))]));
}

const lastMessagesStatement: Statement = {
  name: 'last_messages',
  types: ['uuid[]'],
  text: `
    select ${messageColumns}, ${roomColumns}
      from rooms r
      join lateral (select * from messages l where l.room_id = r.id and l.deleted_at is null order by l.seq desc limit 1) m on true
      join users au on au.id = m.author_id
     where r.id = any($1)`,
};

/** A message's position per room and position: the messages markers point at. */
export async function readMessagesAt(sql: SqlClient, positions: readonly { roomId: string; seq: number }[]): Promise<Map<string, MessageView>> {
  const rows = await sql.query(messagesAtStatement, [positions.map((p) => p.roomId), positions.map((p) => p.seq)]);
  return new Map(rows.map((row) => [positionKey(row.room_id as string, Number(row.seq)), messageOf(row, roomOf(row))]));
}

export const positionKey = (roomId: string, seq: number) => `${roomId}:${seq}`;

const messagesAtStatement: Statement = {
  name: 'messages_at',
  types: ['uuid[]', 'int8[]'],
  text: `
    select ${messageColumns}, ${roomColumns}
      from unnest($1::uuid[], $2::int8[]) k(room_id, seq)
      join messages m on m.room_id = k.room_id and m.seq = k.seq
      join users au on au.id = m.author_id
      join rooms r on r.id = m.room_id`,
};

/**
 * Each room's lowest read and delivered markers: a message at or below them has been
 * read (received) by every member. Its author's markers are at least the message (a send
 * moves them), so "every member" is "every other member", as Message.status means.
 */
export interface MarkerFloors {
  read: number;
  delivered: number;
}

export async function readMarkerFloors(sql: SqlClient, roomIds: readonly string[]): Promise<Map<string, MarkerFloors>> {
  const rows = await sql.query(markerFloorsStatement, [roomIds]);
  return new Map(rows.map((row) => [row.room_id as string, { read: Number(row.read_floor), delivered: Number(row.delivered_floor) }]));
}

/** Each min() is the first entry of an index (room_members_*_floor_index), whatever the room's size. */
const markerFloorsStatement: Statement = {
  name: 'marker_floors',
  types: ['uuid[]'],
  text: `
    select k.room_id,
           coalesce((select min(last_read_seq) from room_members where room_id = k.room_id), 0) as read_floor,
           coalesce((select min(last_delivered_seq) from room_members where room_id = k.room_id), 0) as delivered_floor
      from unnest($1::uuid[]) k(room_id)`,
};

/**
 * The user's rooms as the chat list shows them, most recent activity first, each with the
 * user's unread count and its newest message that is not deleted: one statement for what
 * would be three (the rooms, then the counts and last messages per batch of rooms).
 */
export async function readChatList(sql: SqlClient, userId: string): Promise<RoomView[]> {
  const rows = await sql.query(chatListStatement, [userId]);
  return rows.map((row) => {
    const room: RoomView = roomOf(row);
    room.lastActivityAt = asDate(row.last_activity_at);
    room.unreadCount = Number(row.unread);
    room.lastMessage = markedMessageOf(row.last_message, room);
    return room;
  });
}

const chatListStatement: Statement = {
  name: 'chat_list',
  types: ['uuid'],
  text: `
    select ${roomColumns}, r.last_activity_at,
           r.message_count - rm.last_read_ordinal
             - (select count(*) from messages d where d.room_id = r.id and d.seq > rm.last_read_seq and d.deleted_at is not null) as unread,
           (select ${messageJson('l', 'au')} from messages l join users au on au.id = l.author_id
             where l.room_id = r.id and l.deleted_at is null order by l.seq desc limit 1) as last_message
      from room_members rm join rooms r on r.id = rm.room_id
     where rm.user_id = $1
     order by r.last_activity_at desc, r.id desc`,
};
