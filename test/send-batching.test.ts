import { messageBatchStats } from '../src/resolvers/message-batcher';
import { createRoom, joinRoom, signUp, type TestUser } from './helpers/factories';
import { inOneBatch } from './helpers/sends';
import { readAll, seqOf } from './helpers/history';
import { errorCode, gql } from './helpers/http';
import { SendMessageDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { until } from './helpers/wait';

/*
 * Group commit of sendMessage: sends that arrive while a batch is in flight are stored
 * together in one statement. These tests go through the real server; where a test needs
 * the sends to share one batch, it holds the database (a transaction locking the room
 * row: on PostgreSQL the batches in flight wait for the lock, on PGlite for the single
 * connection; helpers/sends.ts inOneBatch), so every later send queues and goes out in
 * the next batch together.
 */

const servers = useServers();

function trySend(user: TestUser, roomId: string, body: string) {
  return gql(servers().httpUrl, SendMessageDoc, { roomId, body }, user.token);
}

const batchStats = () => messageBatchStats(servers().deps.sql);

describe('concurrent sends are batched, and each caller gets its own message', () => {
  test('120 parallel sends from 4 users to 3 rooms: each stored once, seqs per room contiguous from 1, history in seq order', async () => {
    const users = await Promise.all([0, 1, 2, 3].map((i) => signUp(servers(), `batcher${i}`)));
    const rooms = await Promise.all([0, 1, 2].map(() => createRoom(servers(), users[0]!)));
    await Promise.all(users.slice(1).flatMap((user) => rooms.map((room) => joinRoom(servers(), user, room.id))));

    const planned = Array.from({ length: 120 }, (_, i) => ({ user: users[i % 4]!, room: rooms[i % 3]!, body: `message ${i}` }));
    const results = await Promise.all(planned.map((p) => trySend(p.user, p.room.id, p.body)));

    for (const [i, result] of results.entries()) {
      expect(result.errors).toBeUndefined();
      const sent = result.data!.sendMessage;
      // Each caller got its own message back: its body, its author, its room.
      expect(sent.body).toBe(planned[i]!.body);
      expect(sent.author.id).toBe(planned[i]!.user.id);
      expect(sent.room.id).toBe(planned[i]!.room.id);
    }
    expect(new Set(results.map((r) => r.data!.sendMessage.id)).size).toBe(120);

    for (const room of rooms) {
      const history = await readAll(servers(), users[0]!, room.id);
      expect(history.map((edge) => seqOf(edge.cursor))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const sentHere = results.map((r) => r.data!.sendMessage).filter((m) => m.room.id === room.id);
      expect(history.map((edge) => edge.node.id).sort()).toEqual(sentHere.map((m) => m.id).sort());
      // Each caller's message is the one history holds under its number.
      const bodyById = new Map(sentHere.map((m) => [m.id, m.body]));
      for (const edge of history) expect(edge.node.body).toBe(bodyById.get(edge.node.id));
    }
  });

  test('sends queued behind a batch in flight go out together, numbered in the order they were queued', async () => {
    const [owner, member] = [await signUp(servers(), 'owner'), await signUp(servers(), 'member')];
    const room = await createRoom(servers(), owner);
    await joinRoom(servers(), member, room.id);
    // One at a time into the queue: requests started together on separate connections may
    // reach the server in another order (seen on a loaded machine).
    const results = await inOneBatch(servers(), room.id, owner, async () => {
      const pending = [];
      for (let i = 0; i < 12; i++) {
        pending.push(trySend(i % 2 ? member : owner, room.id, `queued ${i}`));
        await until(() => batchStats().queued === i + 1, `send ${i} queued`);
      }
      return pending;
    });
    const sent = results.map((r) => r.data!.sendMessage);
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    expect(new Set(sent.map((m) => m.id)).size).toBe(12);
    const history = await readAll(servers(), owner, room.id);
    expect(history.map((edge) => seqOf(edge.cursor))).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(history.map((edge) => edge.node.body)).toEqual(['first, in flight', ...sent.map((m) => m.body)]);
  });
});

describe('one caller failing inside a batch does not fail the others', () => {
  let owner: TestUser;
  let stranger: TestUser;
  let roomId: string;
  beforeAll(async () => {
    [owner, stranger] = [await signUp(servers(), 'owner'), await signUp(servers(), 'stranger')];
    roomId = (await createRoom(servers(), owner)).id;
  });

  test("a non-member's send in a batch fails with FORBIDDEN; the members' sends in the same batch are stored", async () => {
    const before = (await readAll(servers(), owner, roomId)).length;
    const results = await inOneBatch(servers(), roomId, owner, () => [
      trySend(owner, roomId, 'member one'),
      trySend(stranger, roomId, 'let me in'),
      trySend(owner, roomId, 'member two'),
    ]);
    expect(results.map((r) => errorCode(r) ?? 'ok')).toEqual(['ok', 'FORBIDDEN', 'ok']);
    const bodies = (await readAll(servers(), owner, roomId)).slice(before).map((edge) => edge.node.body);
    expect(bodies).toEqual(['first, in flight', 'member one', 'member two']);
  });

  test('a body with a NUL character is refused before it reaches a batch: BAD_USER_INPUT, numbers stay contiguous', async () => {
    // PostgreSQL cannot store NUL; text.ts refuses it (and every control character) at the edge.
    const before = await readAll(servers(), owner, roomId);
    const results = await Promise.all([
      trySend(owner, roomId, 'fine before'),
      trySend(owner, roomId, 'nul \u0000 inside'),
      trySend(owner, roomId, 'fine after'),
    ]);
    expect(results.map((r) => errorCode(r) ?? 'ok')).toEqual(['ok', 'BAD_USER_INPUT', 'ok']);
    const after = await readAll(servers(), owner, roomId);
    expect(after.map((edge) => seqOf(edge.cursor))).toEqual(Array.from({ length: before.length + 2 }, (_, i) => i + 1));
    expect(after.slice(before.length).map((edge) => edge.node.body).sort()).toEqual(['fine after', 'fine before']);
  });

  test('an empty body is refused before it reaches a batch: BAD_USER_INPUT, and the others are stored', async () => {
    const before = (await readAll(servers(), owner, roomId)).length;
    const results = await Promise.all([trySend(owner, roomId, 'kept'), trySend(owner, roomId, '   '), trySend(owner, roomId, 'kept too')]);
    expect(results.map((r) => errorCode(r) ?? 'ok')).toEqual(['ok', 'BAD_USER_INPUT', 'ok']);
    const bodies = (await readAll(servers(), owner, roomId)).slice(before).map((edge) => edge.node.body).sort();
    expect(bodies).toEqual(['kept', 'kept too']);
  });
});
