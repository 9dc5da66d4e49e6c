import { createRoomWith, rawIdOf, signUp, type TestUser } from './helpers/factories';
import { post, remove, type MessageJson } from './helpers/message-changes';
import { listening } from './helpers/factories';
import { useWsClients } from './helpers/live';
import { markDelivered, markRead, ReadMarkersDoc, roomState, type MarkerJson } from './helpers/read-state';
import { useServers, type TestServers } from './helpers/servers';
import { subscribe } from './helpers/ws';
import { Topic } from '../src/live/pubsub';

/*
 * Unread counts and ticks are kept cheap by counters (message ordinals, each member's
 * read ordinal) that sends, deletes and marker moves change concurrently. After a burst
 * of all three at once, every member's unreadCount and every message's status must equal
 * what a full count over the tables says.
 */

const servers = useServers();
const openClient = useWsClients(servers);

async function query<T>(s: TestServers, sql: string, params: unknown[]): Promise<T[]> {
  return s.deps.orm.em.fork().getConnection().execute<T[]>(sql, params);
}

/** The definition, counted row by row: other members' messages after my read marker, not deleted. */
async function unreadByDefinition(s: TestServers, roomId: string, userId: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    s,
    `select count(*)::int as n from messages m join room_members rm on rm.room_id = m.room_id and rm.user_id = ?
      where m.room_id = ? and m.seq > rm.last_read_seq and m.deleted_at is null and m.author_id <> ?`,
    [rawIdOf(userId), rawIdOf(roomId), rawIdOf(userId)],
  );
  return row!.n;
}

/** The definition of each message's status: every other member's markers, one by one. */
async function statusByDefinition(s: TestServers, roomId: string): Promise<Map<string, string>> {
  const rows = await query<{ id: string; status: string }>(
    s,
    `select m.id,
            case when not exists (select 1 from room_members o where o.room_id = m.room_id and o.user_id <> m.author_id and o.last_read_seq < m.seq) then 'READ'
                 when not exists (select 1 from room_members o where o.room_id = m.room_id and o.user_id <> m.author_id and o.last_delivered_seq < m.seq) then 'DELIVERED'
                 else 'SENT' end as status
       from messages m where m.room_id = ?`,
    [rawIdOf(roomId)],
  );
  return new Map(rows.map((r) => [r.id, r.status]));
}

const pick = <T>(items: T[], i: number) => items[(i * 7919) % items.length]!;

test('after concurrent sends, deletes and marker moves, unread counts and ticks match a full count', async () => {
  const members: TestUser[] = [];
  for (const name of ['ann', 'ben', 'cat', 'dan']) members.push(await signUp(servers(), name));
  const room = await createRoomWith(servers(), members[0]!, ...members.slice(1));
  const seeded: MessageJson[] = [];
  for (let i = 0; i < 8; i++) seeded.push(await post(servers(), members[i % 4]!, room.id, `seed ${i}`));

  const work: Promise<unknown>[] = [];
  for (let i = 0; i < 40; i++) {
    const member = members[i % 4]!;
    work.push(post(servers(), member, room.id, `burst ${i}`).then((m) => seeded.push(m)));
    const target = pick(seeded, i);
    if (i % 3 === 0) work.push(markRead(servers(), member, target.id));
    if (i % 3 === 1) work.push(markDelivered(servers(), member, target.id));
    if (i % 5 === 0 && target.author.id === member.id) work.push(remove(servers(), member, target.id));
  }
  await Promise.all(work);
  // A few deletes by their authors after the burst, and marker moves racing them.
  await Promise.all(seeded.slice(0, 12).flatMap((m, i) => [remove(servers(), members.find((u) => u.id === m.author.id)!, m.id), markRead(servers(), members[i % 4]!, m.id)]));

  for (const member of members) {
    const state = await roomState(servers(), member, room.id);
    expect(state.unreadCount).toBe(await unreadByDefinition(servers(), room.id, member.id));
  }
  const expected = await statusByDefinition(servers(), room.id);
  const state = await roomState(servers(), members[0]!, room.id);
  for (const { node } of state.messages.edges) expect([node.body, node.status]).toEqual([node.body, expected.get(rawIdOf(node.id))]);
});

test('the counters stay consistent: ordinals contiguous, message_count and activity as the messages say, markers pointing at messages', async () => {
  const [ann, ben] = [await signUp(servers(), 'ann'), await signUp(servers(), 'ben')];
  const room = await createRoomWith(servers(), ann, ben);
  await Promise.all(Array.from({ length: 30 }, (_, i) => post(servers(), i % 2 ? ann : ben, room.id, `m${i}`)));
  const roomId = rawIdOf(room.id);

  const [counts] = await query<{ n: number; max_ordinal: number; distinct_ordinals: number; message_count: number; activity_ok: boolean }>(
    servers(),
    `select count(*)::int as n, max(m.ordinal)::int as max_ordinal, count(distinct m.ordinal)::int as distinct_ordinals,
            r.message_count::int as message_count, r.last_activity_at = max(m.created_at) as activity_ok
       from messages m join rooms r on r.id = m.room_id where m.room_id = ? group by r.id`,
    [roomId],
  );
  expect(counts).toEqual({ n: 30, max_ordinal: 30, distinct_ordinals: 30, message_count: 30, activity_ok: true });
  const markers = await query<{ ok: boolean }>(
    servers(),
    `select rm.last_read_ordinal = m.ordinal and rm.last_delivered_seq >= rm.last_read_seq as ok
       from room_members rm join messages m on m.room_id = rm.room_id and m.seq = rm.last_read_seq where rm.room_id = ?`,
    [roomId],
  );
  expect(markers).toEqual([{ ok: true }, { ok: true }]);
});

test('many moves of one member at once, in any order: the markers end at the furthest and are never seen going back', async () => {
  const [ann, ben] = [await signUp(servers(), 'ann'), await signUp(servers(), 'ben')];
  const room = await createRoomWith(servers(), ann, ben);
  const messages: MessageJson[] = [];
  for (let i = 0; i < 20; i++) messages.push(await post(servers(), ann, room.id, `m${i}`));
  const sub = subscribe<{ readMarkers: MarkerJson }, unknown>(openClient(ann.token), ReadMarkersDoc, { roomId: room.id });
  await listening(servers(), Topic.readMarkers(rawIdOf(room.id)));

  const shuffled = messages.map((m, i) => [(i * 7) % 20, m] as const).sort(([a], [b]) => a - b).map(([, m]) => m);
  const answers = await Promise.all(shuffled.map((m, i) => (i % 2 ? markRead(servers(), ben, m.id) : markDelivered(servers(), ben, m.id))));

  const state = await roomState(servers(), ben, room.id);
  const bens = state.readMarkers.find((m) => m.user.id === ben.id)!;
  const lastReadBody = shuffled.filter((_, i) => i % 2).map((m) => m.body).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))).at(-1);
  expect([bens.lastRead?.body, bens.lastDelivered?.body]).toEqual([lastReadBody, 'm19']);
  // Each caller gets markers at least as far as its own message.
  shuffled.forEach((m, i) => expect(Number(answers[i]!.lastDelivered!.body.slice(1))).toBeGreaterThanOrEqual(Number(m.body.slice(1))));

  const seen: number[] = [];
  for (;;) {
    const move = (await sub.next()).data!.readMarkers;
    seen.push(Number(move.lastDelivered!.body.slice(1)));
    if (move.lastDelivered!.body === 'm19' && move.lastRead?.body === lastReadBody) break;
  }
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
});
