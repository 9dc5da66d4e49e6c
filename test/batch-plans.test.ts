import { transaction, type SqlClient, type Statement } from '../src/entities/sql-client';
import { insertMessagesStatement } from '../src/entities/stores/messages';
import { keyPlansOnly, readMembersStatement, writeOf } from '../src/entities/stores/message-changes';
import { roomAccessStatement } from '../src/entities/stores/rooms';
import { createRoom, rawIdOf, signUp } from './helpers/factories';
import { useServers } from './helpers/servers';

/**
 * Batch statements run with generic plans (planned once per session), on JSON input that
 * PostgreSQL cannot size. Estimated at 100 rows (a set-returning function's default), the
 * send's plan hashed the whole users table for every batch, below about 200,000 users:
 * batchRows (src/entities/stores/batch-rows.ts) makes it expect a few rows. This reads the
 * plan a pooled session would use, with as many users as the fan-out benchmark has.
 */

const servers = useServers();

/**
 * The plan a pooled session keeps for `statement` (planned once, for any values: generic),
 * shown for these values (literals: SQL text quoted by the caller's JSON or uuids).
 */
async function genericPlan(sql: SqlClient, statement: Statement, values: readonly string[], setting?: string): Promise<string> {
  return transaction(sql, async (tx) => {
    await tx.query({ text: 'set local plan_cache_mode = force_generic_plan' }, []);
    if (setting) await tx.query({ text: setting }, []);
    await tx.query({ text: `prepare plan_test(${statement.types!.join(', ')}) as ${statement.text}` }, []);
    try {
      const literals = values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
      const rows = await tx.query({ text: `explain (costs off) execute plan_test(${literals})` }, []);
      return rows.map((row) => String(row['QUERY PLAN'])).join('\n');
    } finally {
      await tx.query({ text: 'deallocate plan_test' }, []);
    }
  });
}

/** One draft of a send, as the message batcher writes it, in the statement's JSON input. */
function sendInput(roomId: string, authorId: string): string {
  const draft = {
    ord: 0,
    id: '0193a000-0000-7000-8000-000000000001',
    room_id: roomId,
    author_id: authorId,
    body: 'hello',
    created_at: new Date().toISOString(),
    client_message_id: null,
    reply_to_id: null,
  };
  return JSON.stringify([draft]);
}

test("a send's generic plan looks its author and the room's members up by key, not by reading every row", async () => {
  const alice = await signUp(servers(), 'alice');
  const room = await createRoom(servers(), alice);
  const { sql } = servers().deps;
  const [roomId, aliceId] = [rawIdOf(room.id), rawIdOf(alice.id)];
  await sql.query(
    {
      text: `insert into users (id, username, password_hash, created_at)
             select gen_random_uuid(), 'bulk' || g, 'x', now() from generate_series(1, 5000) g`,
    },
    [],
  );
  // Members too: with a nearly empty room_members the planner probes users by key anyway.
  await sql.query(
    {
      text: `insert into room_members (room_id, user_id, joined_at, markers_updated_at)
             select $1, id, now(), now() from users where username like 'bulk%'`,
    },
    [roomId],
  );
  await sql.query({ text: 'analyze users, room_members' }, []);
  const plan = await genericPlan(sql, insertMessagesStatement, [sendInput(roomId, aliceId)]);
  expect(plan).toContain('users_pkey');
  expect(plan).not.toMatch(/Seq Scan on users/);
  // Whether the author is alone in the room: two index entries at most, never a scan of every membership.
  expect(plan).not.toMatch(/Seq Scan on room_members/);
});

/**
 * A session keeps the generic plan it made until the tables' statistics change (an
 * ANALYZE: never, with autovacuum off), and on a new deployment it is made while the
 * tables are nearly empty, without statistics. Planned then, the send moved its author's
 * markers through the room's read floor index (every member who had not read the new
 * message), and looked for a reply's original among every message of the room: nearly
 * the whole room on each send once it has grown.
 */
test("a send's generic plan made on a new database moves the author's markers and finds a reply's original by key", async () => {
  const alice = await signUp(servers(), 'alice');
  const room = await createRoom(servers(), alice);
  const plan = await genericPlan(servers().deps.sql, insertMessagesStatement, [sendInput(rawIdOf(room.id), rawIdOf(alice.id))]);
  const markersMoved = plan.slice(plan.indexOf('Update on room_members'));
  expect(markersMoved).toMatch(/room_members_pkey/);
  expect(plan).not.toMatch(/room_members_read_floor_index/);
  // A reply's original by its id alone, never among every message of the room.
  expect(plan).not.toMatch(/messages_room_id_seq_unique/);
  expect(membershipsReadByUserAlone(plan)).toEqual([]);
});

/**
 * Membership probes through an index of the user alone that filter for the room: each one
 * reads every membership of the user (room_members_user_id_index, replaced by one on
 * (user_id, room_id) in Migration20261203000001MemberLookups). Planned on a new database, the
 * send's and the access checks' probes went that way; a user in 10,000 rooms made each of
 * their sends read 10,000 rows, in the batch every other sender waits for.
 */
function membershipsReadByUserAlone(plan: string): string[] {
  return [...plan.matchAll(/on room_members \w+\s*\n\s*Index Cond: \(user_id = [\w.]+\)\s*\n\s*Filter: \([^\n]*room_id[^\n]*/g)].map((m) => m[0]);
}

test('the generic access check planned on a new database reads each membership by room and user', async () => {
  const alice = await signUp(servers(), 'alice');
  const room = await createRoom(servers(), alice);
  const [roomId, aliceId] = [rawIdOf(room.id), rawIdOf(alice.id)];
  const plan = await genericPlan(servers().deps.sql, roomAccessStatement, [`{${roomId}}`, `{${aliceId}}`]);
  expect(plan).toMatch(/on room_members/);
  expect(membershipsReadByUserAlone(plan)).toEqual([]);
});

/**
 * The members read of an edit or reaction batch, as in the react benchmark: 64 users in
 * each of 10 rooms of 200 messages. Expecting a one-row batch, the generic plan went from
 * each pair's user to all of their memberships and then read every message of each of
 * those rooms for the batch's ids (15 ms a batch, under the rooms' locks: 700-1,700
 * reactions/s instead of 5,000).
 */
test("an edit or reaction batch's generic members read looks each message up by key, never reading a room's messages", async () => {
  const alice = await signUp(servers(), 'alice');
  const rooms = await Promise.all(Array.from({ length: 10 }, () => createRoom(servers(), alice)));
  const roomIds = rooms.map((room) => rawIdOf(room.id));
  const { sql } = servers().deps;
  await sql.query({ text: `insert into users (id, username, password_hash, created_at) select gen_random_uuid(), 'many' || g, 'x', now() from generate_series(1, 63) g` }, []);
  await sql.query(
    {
      text: `insert into room_members (room_id, user_id, joined_at, markers_updated_at)
             select r, u.id, now(), now() from unnest($1::uuid[]) r, users u where u.username like 'many%'`,
    },
    [`{${roomIds.join(',')}}`],
  );
  const messages = await sql.query(
    {
      text: `insert into messages (id, room_id, author_id, seq, ordinal, body, created_at)
             select gen_random_uuid(), ($1::uuid[])[g % 10 + 1], $2, g / 10 + 1, g / 10 + 1, 'seeded', now()
               from generate_series(0, 1999) g
             returning id`,
    },
    [`{${roomIds.join(',')}}`, rawIdOf(alice.id)],
  );
  const users = await sql.query({ text: `select id from users where username like 'many%'` }, []);
  const pairs = Array.from({ length: 35 }, (_, k) => ({ message_id: messages[k * 7]!.id, user_id: users[k % users.length]!.id }));
  const ids = `{${pairs.map((p) => p.message_id).join(',')}}`;
  const plan = await genericPlan(sql, readMembersStatement, [ids, JSON.stringify(pairs)], keyPlansOnly);
  expect(plan).toMatch(/using messages_pkey on messages/);
  expect(plan).not.toMatch(/using messages_room_id_seq_unique/);
  // Memberships by (room, user) through either index, as the statistics say; never by room alone.
  expect(plan).toMatch(/using (room_members_pkey|room_members_user_id_room_id_index) on room_members/);
  expect(membershipsReadByUserAlone(plan)).toEqual([]);
});

/**
 * Removing a reaction deletes its row by the whole primary key. Expecting a one-row batch
 * and with no statistics yet, the generic plan went through the user's index and read
 * every reaction of that user to delete one: under the rooms' locks, a user with many
 * reactions would have made every removal of theirs as slow as their history is long.
 */
test("a change batch's generic write deletes a removed reaction by its key, not by reading all of its user's reactions", async () => {
  const alice = await signUp(servers(), 'alice');
  const room = await createRoom(servers(), alice);
  const { sql } = servers().deps;
  const [roomId, aliceId] = [rawIdOf(room.id), rawIdOf(alice.id)];
  const messages = await sql.query(
    {
      text: `insert into messages (id, room_id, author_id, seq, ordinal, body, created_at)
             select gen_random_uuid(), $1, $2, g, g, 'seeded', now() from generate_series(1, 2000) g
             returning id`,
    },
    [roomId, aliceId],
  );
  await sql.query(
    {
      text: `insert into message_reactions (message_id, emoji, user_id, created_at)
             select m.id, e, $1, now() from messages m, unnest(array['👍', '🎉', '🔥']) e where m.room_id = $2`,
    },
    [aliceId, roomId],
  );
  const { statement } = writeOf({ messages: [], added: [], removed: [], logged: [], rooms: [] });
  const removed = JSON.stringify([{ message_id: messages[0]!.id, emoji: '👍', user_id: aliceId }]);
  const plan = await genericPlan(sql, statement, ['[]', removed, '[]', '[]', '[]'], keyPlansOnly);
  const deletion = plan.slice(plan.indexOf('Delete on message_reactions'), plan.indexOf('CTE reacted'));
  expect(deletion).toMatch(/message_reactions_pkey/);
  expect(deletion).not.toMatch(/message_reactions_user_id_index/);
  expect(deletion).toMatch(/Tid Scan on message_reactions/);
});
