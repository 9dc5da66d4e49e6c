import { batchRows } from './batch-rows';
import { jsonText } from '../../json-text';
import { transaction, type Execution, type Row, type SqlClient } from '../sql-client';
import type { MessageView, ReactionView, RoomEventKind, RoomEventView, UserView } from '../../resolvers/views';
import { messageColumns, messageOf, roomColumns, roomOf } from './messages';
import { asDate, asDateOrNull } from './rows';

/**
 * Changes to existing messages (edit, delete, reactions), many at once: one batch is one
 * transaction, whatever its mix of changes and rooms.
 *
 * 1. Lock the rows of the batch's rooms, in id order (sendMessage locks them in the same
 *    order, so two batches sharing rooms wait for each other instead of deadlocking).
 * 2. Read the batch's messages as they are now: a new statement, so under READ COMMITTED
 *    it sees every change committed by whoever held the locks before (one statement doing
 *    both would read with the snapshot taken before it waited).
 * 3. Apply the changes in submission order to that state in memory, with the caller's
 *    rules; each change that changes something takes its room's next position.
 * 4. Write the difference (message rows, reactions added and removed, the room_events
 *    rows, each room's last_seq) in one statement, and commit.
 *
 * Two round trips in all: `begin`, the lock and the read go as one script (each statement
 * of it still takes its own snapshot, the read's after the lock was granted), the write
 * and `commit` as another. The locks are held for one round trip, not four: under load
 * each round trip also waits for a busy event loop, and the next batch of the same rooms
 * waits for all of it.
 *
 * Each statement is prepared once per session and run in its script as EXECUTE with its
 * values as literals (uuid arrays, JSON documents): planning them on every batch cost more
 * than running them. Their plans are generic (orm.ts), made once and kept, so they are
 * written for it: every table is reached through a key by `= any(array)` (a join to a JSON
 * recordset, which the planner guesses at 100 rows, scanned the messages or reactions
 * table), and the transaction turns sequential scans off (see keyPlansOnly).
 *
 * The rules live with the caller (resolvers/message-changes.ts): this store knows how
 * messages are read and written, not who may change them.
 */

/** One reaction row: who reacted to the message with which emoji, and when. */
export interface StoredReaction {
  emoji: string;
  user: UserView;
  createdAt: Date;
}

/** A message as the rules see it while its batch holds its room's lock; the rules change it in place. */
export interface MessageState {
  /** Its own fields (no `reactions`: see below). */
  readonly message: MessageView;
  /** Earliest first (then by user id), as reactions are shown. */
  reactions: StoredReaction[];
  /** The users of this batch who are members of the message's room. */
  readonly members: ReadonlyMap<string, UserView>;
}

/** Whom a change is for, and by whom: all the store needs to read before the rules decide. */
export interface ChangeTarget {
  messageId: string;
  userId: string;
}

/** A change to the log, as its kind; null when the change was accepted but changed nothing. */
export type ChangeKind = Exclude<RoomEventKind, 'MESSAGE_ADDED'>;

/** What the rules said about one change: refused (and why), or applied. */
export type Verdict<R> = { refused: R } | { applied: ChangeKind | null };

/** The rules: apply `change` to `state` (null: no such message) in place, and say what happened. */
export type ChangeRules<C extends ChangeTarget, R> = (state: MessageState | null, change: C, now: Date) => Verdict<R>;

/** What one change gave: refused, or the message after it and the event it logged (null: nothing changed). */
export type ChangeOutcome<R> = { refused: R } | { message: MessageView; event: RoomEventView | null };

/** Applies the changes in one transaction, in order; one outcome per change. */
export async function changeMessages<C extends ChangeTarget, R>(
  sql: SqlClient,
  changes: readonly C[],
  rules: ChangeRules<C, R>,
): Promise<ChangeOutcome<R>[]> {
  const messageIds = [...new Set(changes.map((c) => c.messageId))];
  return transaction(sql, async (tx) => {
    const ids = uuidArray(messageIds);
    const [, rooms, messages, members] = await tx.script([
      keyPlansOnly,
      { statement: lockRoomsStatement, params: [ids] },
      { statement: readMessagesStatement, params: [ids] },
      { statement: readMembersStatement, params: [ids, pairsOf(changes)] },
    ]);
    const { outcomes, writes } = decideBatch({ rooms: rooms!, messages: messages!, members: members! }, changes, rules, new Date());
    // Nothing changed: the transaction wrapper commits (releasing the locks) on its own.
    if (writes) await tx.script([writeOf(writes)], { commit: true });
    return outcomes;
  });
}

/** What a batch read while holding its rooms' locks: the rows of its three statements. */
export interface BatchRead {
  /** lockRoomsStatement: each room's `last_seq`. */
  rooms: readonly Row[];
  /** readMessagesStatement: each message with its `reaction_rows`. */
  messages: readonly Row[];
  /** readMembersStatement: the batch's users who are members of the rooms they change. */
  members: readonly Row[];
}

/**
 * The batch decided in memory, from what was read: the rules applied to each change in
 * order, each applied change given its room's next position, and the writes that store
 * the result (null when nothing changed). No I/O: the transaction runs around it.
 */
export function decideBatch<C extends ChangeTarget, R>(
  read: BatchRead,
  changes: readonly C[],
  rules: ChangeRules<C, R>,
  now: Date,
): { outcomes: ChangeOutcome<R>[]; writes: Writes | null } {
  const lastSeqs = new Map(read.rooms.map((row) => [row.id as string, Number(row.last_seq)]));
  const states = statesOf(read.messages, membersByRoom(read.members));
  const before = new Map([...states].map(([id, state]) => [id, snapshot(state)]));
  const events: RoomEventView[] = [];
  const outcomes = changes.map((change): ChangeOutcome<R> => {
    const state = states.get(change.messageId) ?? null;
    const verdict = rules(state, change, now);
    if ('refused' in verdict) return verdict;
    const message = viewOf(state!);
    if (verdict.applied === null) return { message, event: null };
    const roomId = message.room.id;
    const seq = lastSeqs.get(roomId)! + 1;
    lastSeqs.set(roomId, seq);
    const event: RoomEventView = { kind: verdict.applied, seq, message };
    events.push(event);
    return { message, event };
  });
  return { outcomes, writes: events.length > 0 ? changesOf(before, states, events, lastSeqs, now) : null };
}

/** The message with its reactions grouped, as a snapshot (later changes in the batch do not alter it). */
export function viewOf(state: MessageState): MessageView {
  return { ...state.message, reactions: groupReactions(state.reactions) };
}

/**
 * Grouped by emoji in the order each emoji was first used, users earliest first: the
 * order `reactionsJson` reads them in, so an event and a later read agree.
 */
export function groupReactions(reactions: readonly StoredReaction[]): ReactionView[] {
  const sorted = isSorted(reactions) ? reactions : [...reactions].sort(byTimeThenUser);
  const groups = new Map<string, UserView[]>();
  for (const reaction of sorted) {
    const users = groups.get(reaction.emoji);
    if (users) users.push(reaction.user);
    else groups.set(reaction.emoji, [reaction.user]);
  }
  return [...groups].map(([emoji, users]) => ({ emoji, users }));
}

/** Read in order and appended with the batch's time, reactions are nearly always in order already. */
function isSorted(reactions: readonly StoredReaction[]): boolean {
  for (let i = 1; i < reactions.length; i++) if (byTimeThenUser(reactions[i - 1]!, reactions[i]!) > 0) return false;
  return true;
}

const byTimeThenUser = (a: StoredReaction, b: StoredReaction) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0);

/**
 * For the rest of the transaction, plans reach rows by their keys, never by scanning a
 * table. Each statement here touches a few rows by primary key; its generic plan is made
 * once per session, with the statistics of that moment, and kept. Planned while a table
 * was small (a new database, before autovacuum analyzed it), the plan scanned it and kept
 * scanning it as it grew.
 */
export const keyPlansOnly = 'set local enable_seqscan = off';

/** Uuids as an array literal's text (they were validated as uuids by the resolvers' ids). */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/** A timestamp as whole epoch milliseconds (a JS Date's precision, truncated as Date parsing does). */
const epochMs = (column: string) => `floor(extract(epoch from ${column}) * 1000)::bigint`;

/** The rooms of these messages, locked in id order: their last positions. A message never changes room. */
const lockRoomsStatement = {
  name: 'message_changes_lock_rooms',
  types: ['uuid[]'],
  text: `
    select r.id, r.last_seq
      from rooms r
     where r.id in (select room_id from messages where id = any($1))
     order by r.id
       for update`,
};

function statesOf(rows: readonly Row[], members: ReadonlyMap<string, ReadonlyMap<string, UserView>>): Map<string, MessageState> {
  const states = new Map<string, MessageState>();
  // A batch's reactions come from few users: one view of each, shared by all their reactions.
  const users = new Map<string, UserView>();
  for (const row of rows) {
    const message = messageOf(row, roomOf(row));
    const reactions = jsonRows(row.reaction_rows).map(([emoji, createdAtMs, userId, username, userCreatedAtMs]) => {
      let user = users.get(userId as string);
      if (!user) users.set(userId as string, (user = { id: userId as string, username: username as string, createdAt: new Date(Number(userCreatedAtMs)) }));
      return { emoji: emoji as string, user, createdAt: new Date(Number(createdAtMs)) };
    });
    states.set(message.id, { message, reactions, members: members.get(message.room.id) ?? new Map() });
  }
  return states;
}

/** A json_agg column: node-postgres and PGlite parse json; null when the aggregate had no rows. */
function jsonRows(value: unknown): unknown[][] {
  if (value === null || value === undefined) return [];
  return (typeof value === 'string' ? JSON.parse(value) : value) as unknown[][];
}

/**
 * Each of the batch's messages with its reactions, each reaction as an array (emoji, its
 * time and its user's id, username and creation time, times in epoch milliseconds, which
 * is what our writers store): arrays of numbers parse and map in a fraction of the time
 * objects of ISO strings took, a reaction-heavy batch's largest cost in memory.
 */
const readMessagesStatement = {
  name: 'message_changes_read_messages',
  types: ['uuid[]'],
  text: `
    select ${messageColumns}, ${roomColumns},
           (select json_agg(json_build_array(mr.emoji, ${epochMs('mr.created_at')}, ru.id, ru.username, ${epochMs('ru.created_at')})
                            order by mr.created_at, ru.id)
              from message_reactions mr
              join users ru on ru.id = mr.user_id
             where mr.message_id = m.id) as reaction_rows
      from messages m
      join users au on au.id = m.author_id
      join rooms r on r.id = m.room_id
     where m.id = any($1)`,
};

/**
 * Which of the batch's users are members of the rooms they change messages in: each
 * message by its key, then one primary-key probe per (room, user) pair of the batch. The
 * pairs are materialized first so that the plan cannot start from the users: expecting a
 * one-row batch (batchRows), the generic plan went from each user to all of their
 * memberships and read every message of those rooms to find the batch's (15 ms a batch,
 * under the rooms' locks). (A subquery per message instead scanned every member of the
 * room for each message.)
 */
export const readMembersStatement = {
  name: 'message_changes_read_members',
  types: ['uuid[]', 'json'],
  text: `
    with pairs as materialized (
      select distinct m.room_id, p.user_id
        from messages m
        join ${batchRows('$2', 'p', 'message_id uuid, user_id uuid')} on p.message_id = m.id
       where m.id = any($1)
    )
    select rm.room_id, u.id, u.username, u.created_at
      from pairs
      join room_members rm on rm.room_id = pairs.room_id and rm.user_id = pairs.user_id
      join users u on u.id = rm.user_id`,
};

const pairsOf = (changes: readonly ChangeTarget[]) => JSON.stringify(changes.map((c) => ({ message_id: c.messageId, user_id: c.userId })));

function membersByRoom(rows: readonly Row[]): Map<string, Map<string, UserView>> {
  const byRoom = new Map<string, Map<string, UserView>>();
  for (const row of rows) {
    const user = { id: row.id as string, username: row.username as string, createdAt: asDate(row.created_at) };
    const members = byRoom.get(row.room_id as string) ?? new Map<string, UserView>();
    members.set(user.id, user);
    byRoom.set(row.room_id as string, members);
  }
  return byRoom;
}

/** What a message was when read: to write only what the batch changed. */
interface Snapshot {
  body: string;
  editedAt: number | null;
  deletedAt: number | null;
  /** The reactions array as read: the rules push to it, or replace it when they remove. */
  reactions: readonly StoredReaction[];
  /** How many it held when read (what the rules pushed comes after). */
  stored: number;
}

const time = (value: unknown) => asDateOrNull(value)?.getTime() ?? null;

function snapshot(state: MessageState): Snapshot {
  const { body, editedAt, deletedAt } = state.message;
  return { body, editedAt: time(editedAt), deletedAt: time(deletedAt), reactions: state.reactions, stored: state.reactions.length };
}

/**
 * Reactions added and removed, by identity: the ones read are the first `stored` of the
 * array read; a rule that only added pushed to that same array (the common case: no set
 * or key is built for it).
 */
function reactionDiff(was: Snapshot, now: readonly StoredReaction[]): { added: readonly StoredReaction[]; removed: readonly StoredReaction[] } {
  if (now === was.reactions) return { added: now.slice(was.stored), removed: [] };
  const stored = new Set(was.reactions.slice(0, was.stored));
  const kept = new Set(now);
  return { added: now.filter((r) => !stored.has(r)), removed: [...stored].filter((r) => !kept.has(r)) };
}

/** The batch's writes, one JSON document per table: what differs from what was read, and the events. */
export interface Writes {
  messages: unknown[];
  added: unknown[];
  removed: unknown[];
  logged: unknown[];
  rooms: unknown[];
}

function changesOf(
  before: ReadonlyMap<string, Snapshot>,
  states: ReadonlyMap<string, MessageState>,
  events: readonly RoomEventView[],
  lastSeqs: ReadonlyMap<string, number>,
  now: Date,
): Writes {
  const messages: unknown[] = [];
  const added: unknown[] = [];
  const removed: unknown[] = [];
  for (const [id, state] of states) {
    const was = before.get(id)!;
    const { body, editedAt, deletedAt } = state.message;
    if (body !== was.body || time(editedAt) !== was.editedAt || time(deletedAt) !== was.deletedAt) {
      messages.push({ id, body, edited_at: asDateOrNull(editedAt), deleted_at: asDateOrNull(deletedAt) });
    }
    const { added: addedHere, removed: removedHere } = reactionDiff(was, state.reactions);
    for (const r of addedHere) added.push({ message_id: id, emoji: r.emoji, user_id: r.user.id, created_at: r.createdAt });
    for (const r of removedHere) removed.push({ message_id: id, emoji: r.emoji, user_id: r.user.id });
  }
  const logged = events.map((e) => ({ room_id: e.message.room.id, seq: e.seq, kind: e.kind, message_id: e.message.id, created_at: now }));
  const rooms = [...new Set(events.map((e) => e.message.room.id))].map((id) => ({ id, last_seq: lastSeqs.get(id) }));
  return { messages, added, removed, logged, rooms };
}

export const writeOf = (w: Writes): Execution => ({
  statement: writeChangesStatement,
  // jsonText: the rows' dates are mostly the batch's one `now`, converted once (json-text.ts).
  params: [w.messages, w.removed, w.added, w.logged, w.rooms].map((rows) => jsonText(rows)),
});

/**
 * Every write of a batch in one statement (data-modifying CTEs all run, once, whether or
 * not the final select reads them). Added and removed reactions never share a key: they
 * are the difference between the state read and the state after the batch.
 *
 * A removed reaction is found by its whole primary key (ordered by it, one row: only that
 * index gives the order) and deleted by its row address. Joined to the batch directly, the
 * generic plan made before the table had statistics went through the user's index and read
 * every reaction of that user to delete one. Only batches holding the room's lock change
 * its messages' reactions, so the address read is still the row's when it is deleted.
 */
const writeChangesStatement = {
  name: 'message_changes_write',
  types: ['json', 'json', 'json', 'json', 'json'],
  text: `
    with edits as materialized (
      select * from ${batchRows('$1', 't', 'id uuid, body text, edited_at timestamptz, deleted_at timestamptz')}
    ),
    changed as (
      update messages m set body = t.body, edited_at = t.edited_at, deleted_at = t.deleted_at
        from edits t
       where m.id = t.id and m.id = any(array(select id from edits))
      returning 1
    ),
    removals as materialized (
      select * from ${batchRows('$2', 't', 'message_id uuid, emoji text, user_id uuid')}
    ),
    unreacted as (
      delete from message_reactions mr
       where mr.ctid = any(array(
         select (select r.ctid from message_reactions r
                  where r.message_id = t.message_id and r.emoji = t.emoji and r.user_id = t.user_id
                  order by r.message_id, r.emoji, r.user_id limit 1)
           from removals t))
      returning 1
    ),
    reacted as (
      insert into message_reactions (message_id, emoji, user_id, created_at)
      select t.message_id, t.emoji, t.user_id, t.created_at
        from ${batchRows('$3', 't', 'message_id uuid, emoji text, user_id uuid, created_at timestamptz')}
      returning 1
    ),
    logged as (
      insert into room_events (room_id, seq, kind, message_id, created_at)
      select t.room_id, t.seq, t.kind, t.message_id, t.created_at
        from ${batchRows('$4', 't', 'room_id uuid, seq bigint, kind text, message_id uuid, created_at timestamptz')}
      returning 1
    ),
    moved as (
      update rooms r set last_seq = t.last_seq
        from ${batchRows('$5', 't', 'id uuid, last_seq bigint')}
       where r.id = t.id
      returning 1
    )
    select (select count(*) from changed) as changed, (select count(*) from unreacted) as unreacted,
           (select count(*) from reacted) as reacted, (select count(*) from logged) as logged, (select count(*) from moved) as moved`,
};
