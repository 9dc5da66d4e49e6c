import type { SqlClient, Statement } from '../sql-client';
import type { RoomEventKind, RoomEventView } from '../../resolvers/views';
import { messageColumns, messageOf, roomColumns, roomOf } from './messages';
import { reactionsJson, reactionsOf } from './reactions';

/**
 * A room's event log: its messages (each one's MESSAGE_ADDED, at `messages.seq`) and its
 * `room_events` rows (every later change), which share one contiguous numbering taken
 * from `rooms.last_seq` under the room's row lock. Reads come in pages of this size, so a
 * subscriber far behind never holds a room's whole log.
 */
export const logPageSize = 100;

/**
 * The events after `afterSeq`, oldest first, at most `logPageSize`, each with its message
 * as it is now (with its reactions). Both sides walk their (room_id, seq) index from
 * `afterSeq` and stop at the page size.
 */
export async function readLogAfter(sql: SqlClient, roomId: string, afterSeq: number): Promise<RoomEventView[]> {
  const rows = await sql.query(logAfterStatement, [roomId, afterSeq, logPageSize]);
  const room = rows[0] ? roomOf(rows[0]) : null;
  return rows.map((row) => ({
    kind: row.event_kind as RoomEventKind,
    seq: Number(row.event_seq),
    message: { ...messageOf(row, room!), reactions: reactionsOf(row.reactions) },
  }));
}

const logAfterStatement: Statement = {
  name: 'room_log_after',
  types: ['uuid', 'bigint', 'bigint'],
  text: `
    with log as (
      (select seq, 'MESSAGE_ADDED' as kind, id as message_id from messages where room_id = $1 and seq > $2 order by seq limit $3)
      union all
      (select seq, kind, message_id from room_events where room_id = $1 and seq > $2 order by seq limit $3)
      order by seq
      limit $3
    )
    select l.seq as event_seq, l.kind as event_kind, ${messageColumns}, ${roomColumns}, ${reactionsJson('m')} as reactions
      from log l
      join messages m on m.id = l.message_id
      join users au on au.id = m.author_id
      join rooms r on r.id = m.room_id
     order by l.seq`,
};
