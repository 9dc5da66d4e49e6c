import { MessagesDoc, SendMessageDoc } from './helpers/operations';
import { createRoom, signUp } from './helpers/factories';
import { gqlData } from './helpers/http';
import { useServers } from './helpers/servers';

/**
 * The hot paths' named statements are planned once per database session and the plan is
 * reused (plan_cache_mode): PostgreSQL's default keeps re-planning a statement whose
 * custom plans look cheaper, which cost about 0.3 ms per history page.
 */

const servers = useServers();

test('sessions that run the hot paths reuse generic plans, and the history page is prepared and reused', async () => {
  const alice = await signUp(servers(), 'alice');
  const room = await createRoom(servers(), alice);
  await gqlData(servers().httpUrl, SendMessageDoc, { roomId: room.id, body: 'hello' }, alice.token);
  for (let i = 0; i < 8; i++) {
    const page = await gqlData(servers().httpUrl, MessagesDoc, { roomId: room.id, last: 50 }, alice.token);
    expect(page.messages.edges.map((e) => e.node.body)).toEqual(['hello']);
  }
  const { sql } = servers().deps;
  const [mode] = await sql.query({ text: 'show plan_cache_mode' }, []);
  expect(mode).toEqual({ plan_cache_mode: 'force_generic_plan' });
  // Whichever pooled session answers: every one that ran the page planned it once, generically.
  const prepared = await sql.query({ text: "select generic_plans, custom_plans from pg_prepared_statements where name = 'history_page_desc'" }, []);
  for (const row of prepared) expect(Number(row.custom_plans)).toBe(0);
  // PGlite has one session, so the statement is certainly there, reused for every page.
  if (servers().deps.config.database.kind === 'pglite') expect(prepared.map((r) => Number(r.generic_plans))).toEqual([8]);
});
