import { transaction } from '../src/entities/sql-client';
import { insertMessagesStatement } from '../src/entities/stores/messages';
import { fromGlobalId } from '../src/ids';
import { createRoom, signUp } from './helpers/factories';
import { useServers } from './helpers/servers';

/**
 * Batch statements run with generic plans (planned once per session), on JSON input that
 * PostgreSQL cannot size. Estimated at 100 rows (a set-returning function's default), the
 * send's plan hashed the whole users table for every batch, below about 200,000 users:
 * batchRows (src/entities/stores/batch-rows.ts) makes it expect a few rows. This reads the
 * plan a pooled session would use, with as many users as the fan-out benchmark has.
 */

const servers = useServers();

test("a send's generic plan looks its author and the room's members up by key, not by reading every row", async () => {
  const alice = await signUp(servers(), 'alice');
  const room = await createRoom(servers(), alice);
  const { sql } = servers().deps;
  const [roomId, aliceId] = [fromGlobalId(room.id)!.rawId, fromGlobalId(alice.id)!.rawId];
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
  const draft = {
    ord: 0,
    id: '0193a000-0000-7000-8000-000000000001',
    room_id: roomId,
    author_id: aliceId,
    body: 'hello',
    created_at: new Date().toISOString(),
    client_message_id: null,
    reply_to_id: null,
  };
  const plan = await transaction(sql, async (tx) => {
    await tx.query({ text: 'set local plan_cache_mode = force_generic_plan' }, []);
    await tx.query({ text: `prepare plan_test_send(json) as ${insertMessagesStatement.text}` }, []);
    try {
      const rows = await tx.query({ text: `explain (costs off) execute plan_test_send('${JSON.stringify([draft])}')` }, []);
      return rows.map((row) => String(row['QUERY PLAN'])).join('\n');
    } finally {
      await tx.query({ text: 'deallocate plan_test_send' }, []);
    }
  });
  expect(plan).toContain('users_pkey');
  expect(plan).not.toMatch(/Seq Scan on users/);
  // Whether the author is alone in the room: two index entries at most, never a scan of every membership.
  expect(plan).not.toMatch(/Seq Scan on room_members/);
});
