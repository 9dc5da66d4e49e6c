import type { SqlEntityManager } from '@mikro-orm/knex';
import type { RoomKind } from '../entities/room.entity';
import type { MessageView, RoomView, UserView } from './views';

/**
 * The hot paths in plain SQL, one round trip each: entity hydration cost more than the
 * database itself on every send, history page and membership check (see BENCHMARKS.md).
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

type Row = Record<string, unknown>;

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/** The room and, when the user is a member, the user: null when the room does not exist. */
export async function findRoomAccess(em: SqlEntityManager, roomId: string, userId: string): Promise<RoomAccess | null> {
  const [row] = await em.execute<Row[]>(
    `select r.id, r.kind, r.name, r.created_at, r.last_seq, u.id as user_id, u.username, u.created_at as user_created_at
       from rooms r
       left join room_members m on m.room_id = r.id and m.user_id = ?
       left join users u on u.id = m.user_id
      where r.id = ?`,
    [userId, roomId],
  );
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

/**
 * Stores a message under its room's next sequence number in one statement: the UPDATE
 * takes the room's row lock until the INSERT commits, so sequence order is commit order
 * and a reader paging with `after` never passes a number whose message commits later.
 */
export async function insertMessage(
  em: SqlEntityManager,
  message: { id: string; roomId: string; authorId: string; body: string; createdAt: Date },
): Promise<number> {
  const [row] = await em.execute<Row[]>(
    `with next as (update rooms set last_seq = last_seq + 1 where id = ? returning last_seq)
     insert into messages (id, room_id, author_id, seq, body, created_at)
     select ?, ?, ?, next.last_seq, ?, ? from next
     returning seq`,
    [message.roomId, message.id, message.roomId, message.authorId, message.body, message.createdAt],
  );
  if (!row) throw new Error(`room ${message.roomId} vanished while storing a message`);
  return Number(row.seq);
}

/** Sequence bounds of a history read, both exclusive. */
export interface SeqRange {
  after: number | null;
  before: number | null;
}

/** Up to `limit` messages of the room within the range, from the oldest or the newest end. */
export async function selectMessages(
  em: SqlEntityManager,
  room: RoomView,
  range: SeqRange,
  order: 'asc' | 'desc',
  limit: number,
): Promise<MessageView[]> {
  const params: unknown[] = [room.id];
  let where = 'm.room_id = ?';
  if (range.after !== null) (where += ' and m.seq > ?'), params.push(range.after);
  if (range.before !== null) (where += ' and m.seq < ?'), params.push(range.before);
  params.push(limit);
  const rows = await em.execute<Row[]>(
    `select m.id, m.seq, m.body, m.created_at, u.id as author_id, u.username, u.created_at as author_created_at
       from messages m join users u on u.id = m.author_id
      where ${where}
      order by m.seq ${order === 'asc' ? 'asc' : 'desc'}
      limit ?`,
    params,
  );
  return rows.map((row) => ({
    id: row.id as string,
    seq: Number(row.seq),
    room,
    author: { id: row.author_id as string, username: row.username as string, createdAt: asDate(row.author_created_at) },
    body: row.body as string,
    createdAt: asDate(row.created_at),
  }));
}

/** Whether the room has messages below `olderThan` and above `newerThan` (null: do not ask). */
export async function hasMessagesBeyond(
  em: SqlEntityManager,
  roomId: string,
  olderThan: number | null,
  newerThan: number | null,
): Promise<{ older: boolean; newer: boolean }> {
  const [row] = await em.execute<Row[]>(
    `select exists(select 1 from messages where room_id = ? and seq < ?) as older,
            exists(select 1 from messages where room_id = ? and seq > ?) as newer`,
    [roomId, olderThan ?? 0, roomId, newerThan ?? Number.MAX_SAFE_INTEGER],
  );
  return { older: row?.older === true, newer: row?.newer === true };
}
