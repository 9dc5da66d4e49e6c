import { transaction, type Execution } from '../src/entities/sql-client';
import { createRoom, signUp } from './helpers/factories';
import { edit, post, react } from './helpers/message-changes';
import { useServers } from './helpers/servers';

/**
 * Changes to messages run statements prepared once per session (EXECUTE inside their
 * scripts) with generic plans: planning them on every batch cost more than running them.
 */

const servers = useServers();

test('edits and reactions reuse their prepared statements, with generic plans only', async () => {
  const alice = await signUp(servers(), 'alice');
  const room = await createRoom(servers(), alice);
  const message = await post(servers(), alice, room.id, 'hello');
  for (let i = 0; i < 4; i++) await edit(servers(), alice, message.id, `edited ${i}`);
  const reacted = await react(servers(), alice, message.id, '👍');
  expect(reacted.body).toBe('edited 3');
  const { sql } = servers().deps;
  const rows = await sql.query(
    { text: "select name, generic_plans, custom_plans from pg_prepared_statements where name like 'message_changes_%' order by name" },
    [],
  );
  // Whichever pooled session answers: every one that ran them planned them generically, never per call.
  for (const row of rows) expect(Number(row.custom_plans)).toBe(0);
  // PGlite has one session, so they are certainly there: five changes, five executions of one plan each.
  if (servers().deps.config.database.kind === 'pglite') {
    expect(rows.map((r) => [r.name, Number(r.generic_plans)])).toEqual([
      ['message_changes_lock_rooms', 5],
      ['message_changes_read_members', 5],
      ['message_changes_read_messages', 5],
      ['message_changes_write', 5],
    ]);
  }
});

const echo: Execution['statement'] = { name: 'test_script_echo', types: ['text', 'int'], text: 'select $1::text as t, $2::int as n' };

test('a script executes prepared statements with quoted and null values, and its session survives a failed script', async () => {
  const { sql } = servers().deps;
  const quoted = "it's a \\ \"quote\" $1 ;";
  const run = (steps: (string | Execution)[]) => transaction(sql, (tx) => tx.script(steps, { commit: true }));
  expect(await run([{ statement: echo, params: [quoted, '7'] }, { statement: echo, params: [null, null] }])).toEqual([
    [{ t: quoted, n: 7 }],
    [{ t: null, n: null }],
  ]);
  // An error later in the script rolls it back; the statement stays prepared and usable.
  await expect(run([{ statement: echo, params: ['a', '1'] }, 'select 1 / 0'])).rejects.toThrow();
  await expect(run([{ statement: echo, params: ['a', 'not a number'] }])).rejects.toThrow();
  expect(await run([{ statement: echo, params: ['b', '2'] }])).toEqual([[{ t: 'b', n: 2 }]]);
});
