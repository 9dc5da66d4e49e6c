import { batchRows } from './batch-rows';
import type { RoomKind } from '../room.entity';
import type { Row, SqlClient, Statement } from '../sql-client';
import type { MessageView, RoomView, UserView } from '../../resolvers/views';
import { asDate, asDateOrNull } from './rows';

/**
 * The messages table on the hot paths, in plain SQL, one round trip each: entity
 * hydration cost more than the database itself on every send (see BENCHMARKS.md).
 * Every statement that reads messages selects `messageColumns` and maps rows with
 * `messageOf`; history pages (history.ts) and log reads (room-log.ts) do too.
 */

/**
 * A message's own columns with the aliases `messageOf` reads, for a statement that names
 * the message `m` and its author `au`.
 */
export const messageColumns = `m.id as message_id, m.seq, m.body, m.created_at as message_created_at,
  m.client_message_id, m.reply_to_id, m.edited_at, m.deleted_at,
  au.id as author_id, au.username as author_username, au.created_at as author_created_at`;

/**
 * The same columns as one JSON object (keys as `messageOf` reads them), for a statement
 * that returns several messages per row (a marker's read and delivered messages).
 */
export const messageJson = (m: string, au: string) => `json_build_object(
  'message_id', ${m}.id, 'seq', ${m}.seq, 'body', ${m}.body, 'message_created_at', ${m}.created_at,
  'client_message_id', ${m}.client_message_id, 'reply_to_id', ${m}.reply_to_id, 'edited_at', ${m}.edited_at,
  'deleted_at', ${m}.deleted_at, 'author_id', ${au}.id, 'author_username', ${au}.username, 'author_created_at', ${au}.created_at)`;

/** A message to store; `roomId` and `authorId` are checked against membership when stored. */
export interface MessageDraft {
  id: string;
  roomId: string;
  authorId: string;
  body: string;
  createdAt: Date;
  /** The author's idempotency key: unique per author (messages_author_id_client_message_id_unique). */
  clientMessageId?: string | null;
  /** Must name a message of the same room that is not deleted, or the draft is refused. */
  replyToId?: string | null;
}

/** What storing a draft gave: its number and the views of its room and author. */
export interface StoredMessage {
  seq: number;
  room: RoomView;
  author: UserView;
  /**
   * No other member was in the room: the message is READ at once (Message.status); with
   * one, it is SENT, since nobody else's markers can be past a message just stored.
   */
  alone: boolean;
}

/**
 * What became of one draft:
 * - `stored`: inserted, at position `seq`;
 * - `duplicate`: its author already has a message under its clientMessageId (`messageId`),
 *   stored by an earlier statement: nothing inserted, no position taken;
 * - `notMember`: its author is not a member of its room, or the room does not exist;
 * - `replyRefused`: replyToId names no message of its room that is not deleted.
 * Only `stored` changed anything.
 */
export type StoreOutcome =
  | ({ outcome: 'stored' } & StoredMessage)
  | { outcome: 'duplicate'; messageId: string }
  | { outcome: 'notMember' }
  | { outcome: 'replyRefused' };

/**
 * Stores many messages in one statement (one round trip, one implicit transaction) and
 * returns, in draft order, what became of each (see StoreOutcome). The checks come in
 * this order: membership (a non-member learns nothing about keys or messages), then the
 * idempotency key (a retry returns its message even if its original was deleted since),
 * then the reply.
 *
 * Sequence numbers: every room of the batch is locked first, in id order (so two batches
 * sharing rooms, in this process or another, wait for each other instead of deadlocking),
 * then its last_seq jumps by its number of drafts really inserted, which take the numbers
 * in between in draft order. The row locks are held until the statement commits, so
 * sequence order is commit order and a room's numbers stay contiguous: a reader paging
 * with `after` never passes a number whose message commits later (room-sequencer.ts
 * relies on it). Ordinals (messages.ordinal, rooms.message_count) are taken the same way,
 * and the sender's markers move to their message in the same statement (read-state.ts).
 *
 * Keys: the statement sees keys committed before it started. Two drafts of one batch with
 * the same key, or a key committed by another process while this statement waited for
 * its room locks, fail the unique constraint (SQLSTATE 23505) and roll the whole
 * statement back; run again (GroupCommit runs a failed batch one draft at a time), the
 * later draft finds the earlier one's row and is a `duplicate`.
 *
 * The drafts travel as one JSON parameter, so the statement is the same whatever the
 * batch size and is planned once per session.
 */
export async function insertMessages(sql: SqlClient, drafts: readonly MessageDraft[]): Promise<StoreOutcome[]> {
  const input = drafts.map((d, ord) => ({
    ord,
    id: d.id,
    room_id: d.roomId,
    author_id: d.authorId,
    // JSON escapes a lone surrogate, which PostgreSQL's json refuses; as text it was stored as U+FFFD.
    body: d.body.replace(/\p{Cs}/gu, '\uFFFD'),
    created_at: d.createdAt.toISOString(),
    client_message_id: d.clientMessageId ?? null,
    reply_to_id: d.replyToId ?? null,
  }));
  const rows = await sql.query(insertMessagesStatement, [JSON.stringify(input)]);
  const outcomes: StoreOutcome[] = drafts.map(() => ({ outcome: 'notMember' }));
  for (const row of rows) outcomes[Number(row.ord)] = outcomeOf(row, drafts[Number(row.ord)]!);
  return outcomes;
}

function outcomeOf(row: Row, draft: MessageDraft): StoreOutcome {
  if (row.duplicate_of) return { outcome: 'duplicate', messageId: row.duplicate_of as string };
  if (row.seq == null) return { outcome: 'replyRefused' };
  return {
    outcome: 'stored',
    seq: Number(row.seq),
    room: { id: draft.roomId, kind: row.kind as RoomKind, name: (row.name as string | null) ?? null, createdAt: asDate(row.room_created_at) },
    author: { id: draft.authorId, username: row.username as string, createdAt: asDate(row.author_created_at) },
    alone: Boolean(row.alone),
  };
}

/*
 * One row per draft whose author is a member (drafts without a row: not a member):
 * `duplicate_of` set for a key already stored, else `seq` set when inserted, else the
 * reply was refused.
 */
const insertMessagesSql = `
with input as (
  select * from ${batchRows('$1::json', 't', 'ord int, id uuid, room_id uuid, author_id uuid, body text, created_at timestamptz, client_message_id text, reply_to_id uuid')}
),
member as (
  select i.*, u.username, u.created_at as author_created_at
    from input i
    join room_members m on m.room_id = i.room_id and m.user_id = i.author_id
    join users u on u.id = i.author_id
),
checked as (
  -- A reply's original is read by its id alone, and its room and tombstone checked on the
  -- row: with those conditions in the subquery's WHERE, a plan made on a new database (kept
  -- until the table is next analyzed) read every message of the room to find it.
  select mb.*, d.id as duplicate_of,
         mb.reply_to_id is not null and not coalesce((
           select r.room_id = mb.room_id and r.deleted_at is null from messages r where r.id = mb.reply_to_id
         ), false) as reply_refused
    from member mb
    left join messages d on d.author_id = mb.author_id and d.client_message_id = mb.client_message_id
),
allowed as (select * from checked where duplicate_of is null and not reply_refused),
counts as (select room_id, count(*) as n, max(created_at) as latest from allowed group by room_id),
locked as materialized (
  select r.id from rooms r where r.id in (select room_id from counts) order by r.id for update
),
bumped as (
  update rooms r set last_seq = r.last_seq + c.n, message_count = r.message_count + c.n,
                     last_activity_at = greatest(r.last_activity_at, c.latest)
    from counts c, locked l
   where r.id = c.room_id and l.id = r.id
  returning r.id, r.kind, r.name, r.created_at, r.last_seq - c.n as base_seq, r.message_count - c.n as base_ordinal
),
numbered as (
  select a.*, b.base_seq + k.n as seq, b.base_ordinal + k.n as ordinal
    from allowed a
    join bumped b on b.id = a.room_id
    join (select id, row_number() over (partition by room_id order by ord) as n from allowed) k on k.id = a.id
),
stored as (
  insert into messages (id, room_id, author_id, seq, ordinal, body, created_at, client_message_id, reply_to_id)
  select id, room_id, author_id, seq, ordinal, body, created_at, client_message_id, reply_to_id from numbered
  returning id, seq
),
-- Sending moves the sender's markers to their newest message of the batch: they have read
-- what came before it, and none of their own messages is ever unread to them. Member rows
-- are locked in (room, user) order, as marker moves lock them (read-state.ts): no deadlock.
-- The row is found by its key alone; that a marker never moves back is decided in SET. A
-- condition on last_read_seq in WHERE let a plan made on a new database (kept until the
-- table is next analyzed) go through the room's read floor index: every member yet to read.
authors as (
  select distinct on (room_id, author_id) room_id, author_id, seq, ordinal, created_at
    from numbered order by room_id, author_id, seq desc
),
author_rows as materialized (
  select rm.room_id, rm.user_id from room_members rm join authors x on x.room_id = rm.room_id and x.author_id = rm.user_id
   order by rm.room_id, rm.user_id for update of rm
),
marked as (
  update room_members rm
     set last_read_seq = greatest(rm.last_read_seq, x.seq),
         last_read_ordinal = case when x.seq > rm.last_read_seq then x.ordinal else rm.last_read_ordinal end,
         last_delivered_seq = greatest(rm.last_delivered_seq, x.seq),
         markers_updated_at = case when x.seq > rm.last_read_seq then x.created_at else rm.markers_updated_at end
    from authors x join author_rows ar on ar.room_id = x.room_id and ar.user_id = x.author_id
   where rm.room_id = x.room_id and rm.user_id = x.author_id
)
select c.ord, c.duplicate_of, s.seq, b.kind, b.name, b.created_at as room_created_at, c.username, c.author_created_at,
       -- The author is a member, so alone = fewer than two members. Ordered by the primary
       -- key: a sequential scan would then have to read and sort every member, so the plan
       -- reads at most two index entries. (A NOT EXISTS for another member was planned as a
       -- scan of room_members that, for a two-member room, could read the whole table.)
       s.id is not null and (select count(*) from (
         select 1 from room_members o where o.room_id = c.room_id order by o.room_id, o.user_id limit 2
       ) as first_two) < 2 as alone
  from checked c
  left join stored s on s.id = c.id
  left join bumped b on b.id = c.room_id and s.id is not null`;

/** Exported for its plan test (batch-plans.test.ts). */
export const insertMessagesStatement: Statement = { name: 'insert_messages', types: ['json'], text: insertMessagesSql };

/** A message row selected with `messageColumns`: the one mapping from rows to MessageView. */
export function messageOf(row: Row, room: RoomView): MessageView {
  return {
    id: row.message_id as string,
    seq: Number(row.seq),
    room,
    author: { id: row.author_id as string, username: row.author_username as string, createdAt: asDate(row.author_created_at) },
    body: row.body as string,
    createdAt: asDate(row.message_created_at),
    clientMessageId: (row.client_message_id as string | null) ?? null,
    replyToId: (row.reply_to_id as string | null) ?? null,
    editedAt: asDateOrNull(row.edited_at),
    deletedAt: asDateOrNull(row.deleted_at),
  };
}

/** A room row selected as `r` with the aliases `roomOf` reads. */
export const roomColumns = 'r.id as room_id, r.kind as room_kind, r.name as room_name, r.created_at as room_created_at';

export function roomOf(row: Row): RoomView {
  return { id: row.room_id as string, kind: row.room_kind as RoomKind, name: (row.room_name as string | null) ?? null, createdAt: asDate(row.room_created_at) };
}

/** Messages by id, with their rooms, in any order; ids that do not exist are absent. */
export async function readMessagesByIds(sql: SqlClient, ids: readonly string[]): Promise<MessageView[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query(messagesByIdsStatement, [ids]);
  return rows.map((row) => messageOf(row, roomOf(row)));
}

const messagesByIdsStatement: Statement = {
  name: 'messages_by_ids',
  types: ['uuid[]'],
  text: `
    select ${messageColumns}, ${roomColumns}
      from messages m
      join users au on au.id = m.author_id
      join rooms r on r.id = m.room_id
     where m.id = any($1)`,
};
