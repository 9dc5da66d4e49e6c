import { toGlobalId, uuidv7 } from '../src/ids';
import { createRoom, joinRoom, send, signUp, type TestUser } from './helpers/factories';
import { idsOf, readAll, readPage, seqOf, strictlyIncreasing } from './helpers/history';
import { errorCode, gql, gqlData } from './helpers/http';
import { NodeDoc, SendMessageDoc } from './helpers/operations';
import { useServers } from './helpers/servers';

const servers = useServers();

function trySend(user: TestUser, roomId: string, body: string) {
  return gql(servers().httpUrl, SendMessageDoc, { roomId, body }, user.token);
}

async function historyBodies(user: TestUser, roomId: string): Promise<string[]> {
  return (await readAll(servers(), user, roomId)).map((edge) => edge.node.body);
}

/** A room of `owner` that already holds one message, so "unchanged" is not trivially "empty". */
async function roomWithOneMessage(owner: TestUser) {
  const room = await createRoom(servers(), owner);
  await send(servers(), owner, room.id, 'first');
  return room;
}

describe('sendMessage membership', () => {
  test('sendMessage by a non-member fails with FORBIDDEN and stores nothing', async () => {
    const owner = await signUp(servers(), 'owner');
    const stranger = await signUp(servers(), 'stranger');
    const room = await roomWithOneMessage(owner);
    expect(errorCode(await trySend(stranger, room.id, 'let me in'))).toBe('FORBIDDEN');
    expect(await historyBodies(owner, room.id)).toEqual(['first']);
  });

  test('sendMessage to a room that does not exist fails with NOT_FOUND', async () => {
    const user = await signUp(servers(), 'lost');
    const result = await trySend(user, toGlobalId('Room', uuidv7()), 'anyone?');
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(result.data).toBeNull();
  });
});

describe('sendMessage body validation', () => {
  let owner: TestUser;
  beforeAll(async () => {
    owner = await signUp(servers(), 'writer');
  });

  // The smile emoji is one code point but two UTF-16 units: a naive `.length` would count 2.
  const emoji = '\u{1F600}';
  const rejected: [string, string][] = [
    ['an empty body', ''],
    ['a body of spaces only', '   '],
    ['a body of 4001 characters', 'x'.repeat(4001)],
    ['a body of 4001 emoji', emoji.repeat(4001)],
    // About 900 KB: under the 1 MiB request limit, so the API itself must reject it.
    ['a body of about 900 KB', 'y'.repeat(900 * 1024)],
  ];

  test.each(rejected)('sendMessage with %s fails with BAD_USER_INPUT and stores nothing', async (_name, body) => {
    const room = await roomWithOneMessage(owner);
    const result = await trySend(owner, room.id, body);
    expect(result.status).toBe(200); // a GraphQL error, not a transport error (413)
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data).toBeNull();
    expect(await historyBodies(owner, room.id)).toEqual(['first']);
  });

  const accepted: [string, string][] = [
    ['4000 characters', 'z'.repeat(4000)],
    ['4000 emoji (characters are code points)', emoji.repeat(4000)],
    ['4000 characters inside surrounding spaces', `  ${'w'.repeat(4000)}\n `],
  ];

  test.each(accepted)('sendMessage accepts a body of %s and stores it whole', async (_name, body) => {
    const room = await createRoom(servers(), owner);
    const sent = await send(servers(), owner, room.id, body);
    expect(sent.body).toBe(body.trim());
    expect(await historyBodies(owner, room.id)).toEqual([body.trim()]);
  });

  test('sendMessage stores and returns the body trimmed', async () => {
    const room = await createRoom(servers(), owner);
    const sent = await send(servers(), owner, room.id, '  hi  ');
    expect(sent.body).toBe('hi');
    expect(await historyBodies(owner, room.id)).toEqual(['hi']);
  });
});

describe('the stored message', () => {
  test('sendMessage returns id, createdAt, author and room, and history and node(id) read it back identically', async () => {
    const alice = await signUp(servers(), 'alice');
    const bob = await signUp(servers(), 'bob');
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    const before = Date.now();
    const sent = await send(servers(), alice, room.id, 'hello bob');

    expect(sent.id).toEqual(expect.any(String));
    expect(sent.author).toEqual({ id: alice.id, username: alice.username });
    expect(sent.room).toEqual({ id: room.id, kind: 'GROUP', name: room.name });
    expect(new Date(sent.createdAt).toISOString()).toBe(sent.createdAt);
    expect(Date.parse(sent.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(sent.createdAt)).toBeLessThanOrEqual(Date.now() + 1000);

    // Another member reads it back from history exactly as the sender got it.
    const page = await readPage(servers(), bob, room.id);
    expect(page.edges.map((edge) => edge.node)).toEqual([
      { id: sent.id, body: sent.body, createdAt: sent.createdAt, author: sent.author },
    ]);
    const { node } = await gqlData(servers().httpUrl, NodeDoc, { id: sent.id }, bob.token);
    expect(node).toEqual({
      __typename: 'Message',
      id: sent.id,
      body: sent.body,
      author: { id: alice.id },
      room: { id: room.id },
    });
  });

  test('node(id) of a message read by a non-member fails with FORBIDDEN', async () => {
    const alice = await signUp(servers(), 'alice');
    const eve = await signUp(servers(), 'eve');
    const room = await createRoom(servers(), alice);
    const sent = await send(servers(), alice, room.id, 'private');
    const result = await gql(servers().httpUrl, NodeDoc, { id: sent.id }, eve.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data?.node ?? null).toBeNull();
  });
});

describe('concurrent sends', () => {
  async function roomWithMembers(count: number) {
    const users = await Promise.all(Array.from({ length: count }, () => signUp(servers(), 'crowd')));
    const room = await createRoom(servers(), users[0]!);
    await Promise.all(users.slice(1).map((user) => joinRoom(servers(), user, room.id)));
    return { users, room };
  }

  test('40 parallel sends from 4 users are all stored, each once, in strictly increasing room sequence', async () => {
    const { users, room } = await roomWithMembers(4);
    const sends = Array.from({ length: 40 }, (_, i) => send(servers(), users[i % 4]!, room.id, `parallel ${i}`));
    const sent = await Promise.all(sends);

    const edges = await readAll(servers(), users[0]!, room.id);
    expect(edges).toHaveLength(40);
    expect(new Set(idsOf(edges))).toEqual(new Set(sent.map((message) => message.id)));
    expect(strictlyIncreasing(edges.map((edge) => seqOf(edge.cursor)))).toBe(true);
  });

  test('each sender\'s messages appear in the order that sender sent them while others send concurrently', async () => {
    const { users, room } = await roomWithMembers(4);
    // Each user sends 10 messages one after another; the four users run at the same time.
    const sendInOrder = async (user: TestUser) => {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push((await send(servers(), user, room.id, `${user.username} ${i}`)).id);
      return ids;
    };
    const perUser = await Promise.all(users.map(sendInOrder));

    const edges = await readAll(servers(), users[1]!, room.id);
    expect(edges).toHaveLength(40);
    users.forEach((user, index) => {
      const own = edges.filter((edge) => edge.node.author.id === user.id).map((edge) => edge.node.id);
      expect(own).toEqual(perUser[index]);
    });
  });
});
