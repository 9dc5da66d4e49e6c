import type { RoomKind } from '../room.entity';
import type { SqlClient, Statement } from '../sql-client';
import type { MessageView, RoomView, UserView } from '../../resolvers/views';
import { messageOf } from './messages';
import { asDate } from './rows';

/**
 * A history page in one round trip: the viewer's access to the room, the page itself and
 * whether messages exist beyond it, in one statement. Three statements cost three pool
 * checkouts and three loopback round trips, which was most of a page's server time.
 */

/** One page of a room's history, as the database sees it (bounds exclusive). */
export interface HistoryRead {
  roomId: string;
  userId: string;
  /** `asc` reads from the oldest end of the range, `desc` from the newest. */
  order: 'asc' | 'desc';
  size: number;
  afterSeq: number | null;
  beforeSeq: number | null;
  /**
   * Where an empty page stands, to ask what lies beyond it: older than `olderThan`,
   * newer than `newerThan`; null means "nothing there" (the page is at that end).
   * A non-empty page uses its own first and last numbers instead.
   */
  emptyOlderThan: number | null;
  emptyNewerThan: number | null;
}

export interface HistoryPage {
  room: RoomView;
  /** Null when the viewer is not a member: then `messages` is empty and nothing else was read. */
  member: UserView | null;
  /** Oldest first. */
  messages: MessageView[];
  hasOlder: boolean;
  hasNewer: boolean;
}

/** Beyond the largest sequence number a room can reach: an open upper bound the index can use. */
const noUpperBound = Number.MAX_SAFE_INTEGER;

/**
 * `access` is at most one row (the room, and the viewer when a member); every other part
 * reads only when `access` says member, so a stranger costs one primary-key lookup. The
 * page walks the (room_id, seq) unique index from the end the order names. "Older
 * messages exist" is the room's smallest number below the page's first (or the empty
 * page's position), "newer" its largest above the page's last: min/max become one probe
 * at each end of the same index, whereas `exists(… seq < <value from the page>)` is
 * planned without the value and fell back to a sequential scan of the table.
 * The answer is a head row (room, viewer, flags) followed by one row per message, oldest
 * first, each carrying only its own columns: repeating the head on 50 rows cost more to
 * send and parse (two timestamps each) than the rest of the row. No row at all when the
 * room does not exist.
 */
const pageSql = (order: 'asc' | 'desc') => `
  with access as (
    select r.id, r.kind, r.name, r.created_at, u.id as user_id, u.username, u.created_at as user_created_at
      from rooms r
      left join room_members rm on rm.room_id = r.id and rm.user_id = $1
      left join users u on u.id = rm.user_id
     where r.id = $2
  ),
  page as (
    select m.id, m.seq, m.body, m.created_at, m.author_id, m.client_message_id, m.reply_to_id, m.edited_at, m.deleted_at
      from messages m
     where m.room_id = $2 and m.seq > $3 and m.seq < $4
       and (select user_id from access) is not null
     order by m.seq ${order}
     limit $5
  ),
  beyond as (
    select (select min(seq) from messages where room_id = $2) < (select coalesce(min(seq), $6::bigint) from page) as older,
           (select max(seq) from messages where room_id = $2) > (select coalesce(max(seq), $7::bigint) from page) as newer
     where (select user_id from access) is not null
  )
  select a.id, a.kind, a.name, a.created_at, a.user_id, a.username, a.user_created_at, b.older, b.newer,
         null::uuid as message_id, null::bigint as seq, null::text as body, null::timestamptz as message_created_at,
         null::uuid as author_id, null::text as author_username, null::timestamptz as author_created_at,
         null::text as client_message_id, null::uuid as reply_to_id, null::timestamptz as edited_at, null::timestamptz as deleted_at
    from access a
    left join beyond b on true
  union all
  select null, null, null, null, null, null, null, null, null,
         p.id, p.seq, p.body, p.created_at, au.id, au.username, au.created_at,
         p.client_message_id, p.reply_to_id, p.edited_at, p.deleted_at
    from page p
    join users au on au.id = p.author_id
   order by seq asc nulls first`;

/** $1 viewer, $2 room, $3 after, $4 before, $5 page size, $6 empty page's older bound, $7 its newer bound. */
const pageTypes = ['uuid', 'uuid', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint'];

const pageStatements: Record<'asc' | 'desc', Statement> = {
  asc: { name: 'history_page_asc', text: pageSql('asc'), types: pageTypes },
  desc: { name: 'history_page_desc', text: pageSql('desc'), types: pageTypes },
};

/** The room, the viewer's membership and one page with its pageInfo flags; null when the room does not exist. */
export async function readHistoryPage(sql: SqlClient, read: HistoryRead): Promise<HistoryPage | null> {
  const rows = await sql.query(pageStatements[read.order], [
    read.userId, read.roomId, read.afterSeq ?? 0, read.beforeSeq ?? noUpperBound, read.size, read.emptyOlderThan, read.emptyNewerThan,
  ]);
  const head = rows[0];
  if (!head) return null;
  const room: RoomView = { id: head.id as string, kind: head.kind as RoomKind, name: (head.name as string | null) ?? null, createdAt: asDate(head.created_at) };
  const member = head.user_id
    ? { id: head.user_id as string, username: head.username as string, createdAt: asDate(head.user_created_at) }
    : null;
  const messages = rows.slice(1).map((row) => messageOf(row, room));
  return { room, member, messages, hasOlder: head.older === true, hasNewer: head.newer === true };
}
