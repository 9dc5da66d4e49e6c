import { messageBatchStats } from '../../src/resolvers/message-batcher';
import { createRoom, joinRoom, signUp } from '../helpers/factories';
import { readAll, seqOf } from '../helpers/history';
import { gql } from '../helpers/http';
import { SendMessageDoc } from '../helpers/operations';
import { useSecondServers, useServers, type TestServers } from '../helpers/servers';

/*
 * Two servers (two connection pools, two batchers) on one PostgreSQL database, as two
 * processes of a deployment are: their batches lock the same room rows at the same time.
 * Rooms are locked in id order, so batches wait for each other instead of deadlocking,
 * and each room's numbers stay contiguous across both.
 */

const servers = useServers();
const secondServers = useSecondServers(servers);

const largestBatch = (s: TestServers) => messageBatchStats(s.deps.sql).largest;

test('200 sends to 4 rooms through two servers at once: each stored once, numbers per room contiguous from 1', async () => {
  const users = await Promise.all([0, 1, 2, 3].map((i) => signUp(servers(), `pair${i}`)));
  const rooms = await Promise.all([0, 1, 2, 3].map(() => createRoom(servers(), users[0]!)));
  await Promise.all(users.slice(1).flatMap((user) => rooms.map((room) => joinRoom(servers(), user, room.id))));

  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => {
      const via = i % 2 === 0 ? servers() : secondServers();
      // Each server's sends visit the rooms in a different order, so its batches hold rooms in different orders.
      const room = rooms[i % 2 === 0 ? (i / 2) % 4 : 3 - (((i - 1) / 2) % 4)]!;
      return gql(via.httpUrl, SendMessageDoc, { roomId: room.id, body: `via ${i % 2} #${i}` }, users[i % 4]!.token);
    }),
  );

  expect(results.filter((r) => r.errors !== undefined)).toEqual([]);
  expect(new Set(results.map((r) => r.data!.sendMessage.id)).size).toBe(200);
  // Both servers really batched: several rooms per statement, from both sides.
  expect(largestBatch(servers())).toBeGreaterThan(1);
  expect(largestBatch(secondServers())).toBeGreaterThan(1);
  for (const room of rooms) {
    const history = await readAll(servers(), users[0]!, room.id);
    expect(history.map((edge) => seqOf(edge.cursor))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  }
});
