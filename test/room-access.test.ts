import { toGlobalId, uuidv7 } from '../src/ids';
import { readRoomAccess } from '../src/entities/stores/rooms';
import { createRoom, joinRoom, listening, openDirect, rawIdOf, send, signUp, topics, type TestUser } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import {
  LeaveRoomDoc,
  MessagesDoc,
  NodeDoc,
  RoomDoc,
  RoomMessagesDoc,
  RoomsDoc,
  SendMessageDoc,
  SetTypingDoc,
  TypingDoc,
} from './helpers/operations';
import { useServers } from './helpers/servers';
import { subscribe, wsClient } from './helpers/ws';

const servers = useServers();

/** A room of its creator with one message in it, and a signed-in user who is not a member. */
async function roomWithOutsider(): Promise<{ owner: TestUser; outsider: TestUser; roomId: string }> {
  const [owner, outsider] = [await signUp(servers(), 'owner'), await signUp(servers(), 'outsider')];
  const room = await createRoom(servers(), owner);
  await send(servers(), owner, room.id, 'members only');
  return { owner, outsider, roomId: room.id };
}

describe('rooms', () => {
  test("lists the viewer's rooms and not rooms of other users", async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const mine = await createRoom(servers(), alice, 'mine');
    const theirs = await createRoom(servers(), bob, 'theirs');

    const { rooms } = await gqlData(servers().httpUrl, RoomsDoc, {}, alice.token);

    expect(rooms.map((r) => r.id)).toEqual([mine.id]);
    expect(rooms.map((r) => r.id)).not.toContain(theirs.id);
  });

  test('includes joined GROUP rooms and DIRECT rooms, with their kinds', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const own = await createRoom(servers(), alice);
    const joined = await createRoom(servers(), bob);
    await joinRoom(servers(), alice, joined.id);
    const direct = await openDirect(servers(), alice, bob);

    const { rooms } = await gqlData(servers().httpUrl, RoomsDoc, {}, alice.token);

    const kinds = Object.fromEntries(rooms.map((r) => [r.id, r.kind]));
    expect(kinds).toEqual({ [own.id]: 'GROUP', [joined.id]: 'GROUP', [direct.id]: 'DIRECT' });
  });

  test('a new user has no rooms', async () => {
    const carol = await signUp(servers(), 'carol');
    const { rooms } = await gqlData(servers().httpUrl, RoomsDoc, {}, carol.token);
    expect(rooms).toEqual([]);
  });
});

describe('room(id)', () => {
  test('a member reads the room with its members', async () => {
    const { owner, roomId } = await roomWithOutsider();
    const { room } = await gqlData(servers().httpUrl, RoomDoc, { id: roomId }, owner.token);
    expect(room).toMatchObject({ id: roomId, kind: 'GROUP', members: [{ id: owner.id, username: owner.username }] });
    expect(typeof room?.createdAt).toBe('string');
  });

  test('a non-member gets FORBIDDEN and no room', async () => {
    const { outsider, roomId } = await roomWithOutsider();
    const result = await gql(servers().httpUrl, RoomDoc, { id: roomId }, outsider.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data?.room ?? null).toBeNull();
  });

  test('membership checks made at the same moment, by members, non-members and for no room, each get their own answer', async () => {
    const [alice, bob, carol] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob'), await signUp(servers(), 'carol')];
    const shared = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, shared.id);
    const carols = await createRoom(servers(), carol);
    const missing = toGlobalId('Room', uuidv7());
    const cases: [TestUser, string, string][] = [
      [alice, shared.id, 'ok'],
      [bob, shared.id, 'ok'],
      [carol, shared.id, 'FORBIDDEN'],
      [carol, carols.id, 'ok'],
      [alice, carols.id, 'FORBIDDEN'],
      [bob, missing, 'NOT_FOUND'],
    ];
    const asked = Array.from({ length: 5 }, () => cases).flat();
    const answers = await Promise.all(asked.map(([user, id]) => gql(servers().httpUrl, RoomDoc, { id }, user.token)));
    answers.forEach((result, i) => {
      const [user, id, expected] = asked[i]!;
      if (expected !== 'ok') return expect(errorCode(result)).toBe(expected);
      expect(result.errors).toBeUndefined();
      expect(result.data?.room?.id).toBe(id);
      expect(result.data?.room?.members.map((m) => m.id)).toContain(user.id);
    });
  });

  test('one read answers a batch of checks in the order asked, repeats included', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice, 'batched');
    await send(servers(), alice, room.id, 'one');
    const [roomId, aliceId, bobId, nowhere] = [rawIdOf(room.id), rawIdOf(alice.id), rawIdOf(bob.id), uuidv7()];
    const asks = [
      { roomId, userId: aliceId },
      { roomId: nowhere, userId: aliceId },
      { roomId, userId: bobId },
      { roomId, userId: aliceId },
    ];

    const answers = await readRoomAccess(servers().deps.sql, asks);

    const member = { id: aliceId, username: alice.username };
    expect(answers[0]).toMatchObject({ room: { id: roomId, kind: 'GROUP', name: 'batched', lastSeq: 1 }, member });
    expect(answers[1]).toBeNull();
    expect(answers[2]).toMatchObject({ room: { id: roomId, lastSeq: 1 }, member: null });
    expect(answers[3]).toEqual(answers[0]);
  });

  test.each([
    ['a well-formed id of a room that does not exist', () => toGlobalId('Room', uuidv7())],
    ['a garbage id', () => '%%%'],
  ])('fails with NOT_FOUND for %s', async (_label, makeId) => {
    const alice = await signUp(servers(), 'alice');
    const result = await gql(servers().httpUrl, RoomDoc, { id: makeId() }, alice.token);
    expect(errorCode(result)).toBe('NOT_FOUND');
  });
});

describe('node(id) of a room', () => {
  test('a member gets the Room', async () => {
    const { owner, roomId } = await roomWithOutsider();
    const { node } = await gqlData(servers().httpUrl, NodeDoc, { id: roomId }, owner.token);
    expect(node).toMatchObject({ __typename: 'Room', id: roomId, kind: 'GROUP' });
  });

  test('a non-member gets FORBIDDEN and no node', async () => {
    const { outsider, roomId } = await roomWithOutsider();
    const result = await gql(servers().httpUrl, NodeDoc, { id: roomId }, outsider.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data?.node ?? null).toBeNull();
  });

  test('a well-formed id of a room that does not exist is NOT_FOUND', async () => {
    const alice = await signUp(servers(), 'alice');
    const result = await gql(servers().httpUrl, NodeDoc, { id: toGlobalId('Room', uuidv7()) }, alice.token);
    expect(errorCode(result)).toBe('NOT_FOUND');
  });
});

describe('room-scoped operations by a non-member fail with FORBIDDEN', () => {
  test('messages(roomId) returns no history', async () => {
    const { outsider, roomId } = await roomWithOutsider();
    const result = await gql(servers().httpUrl, MessagesDoc, { roomId }, outsider.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data ?? null).toBeNull();
  });

  test('Room.messages through room(id) returns no history', async () => {
    const { outsider, roomId } = await roomWithOutsider();
    const result = await gql(servers().httpUrl, RoomMessagesDoc, { id: roomId, last: 10 }, outsider.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data?.room ?? null).toBeNull();
  });

  test('sendMessage stores nothing', async () => {
    const { owner, outsider, roomId } = await roomWithOutsider();
    const result = await gql(servers().httpUrl, SendMessageDoc, { roomId, body: 'let me in' }, outsider.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    // The owner's history still holds only the owner's message.
    const { messages } = await gqlData(servers().httpUrl, MessagesDoc, { roomId }, owner.token);
    expect(messages.edges.map((e) => e.node.body)).toEqual(['members only']);
  });

  test('setTyping reaches no member', async () => {
    const { owner, outsider, roomId } = await roomWithOutsider();
    const client = wsClient(servers().wsUrl, owner.token);
    const sub = subscribe(client, TypingDoc, { roomId });
    try {
      await listening(servers(), topics.typing(roomId));
      const result = await gql(servers().httpUrl, SetTypingDoc, { roomId, isTyping: true }, outsider.token);
      expect(errorCode(result)).toBe('FORBIDDEN');
      expect(result.data ?? null).toBeNull();
      // A refused indicator must not be published; the listener is in place, so 300 ms is ample.
      await sub.expectSilence(300);
    } finally {
      await sub.close();
      await client.dispose();
    }
  });

  test('a member who left is treated as a non-member', async () => {
    const { owner, outsider, roomId } = await roomWithOutsider();
    await joinRoom(servers(), outsider, roomId);
    await gqlData(servers().httpUrl, LeaveRoomDoc, { roomId }, outsider.token);
    const read = await gql(servers().httpUrl, MessagesDoc, { roomId }, outsider.token);
    const write = await gql(servers().httpUrl, SendMessageDoc, { roomId, body: 'still here?' }, outsider.token);
    expect(errorCode(read)).toBe('FORBIDDEN');
    expect(errorCode(write)).toBe('FORBIDDEN');
    // The member who stayed is unaffected.
    expect((await send(servers(), owner, roomId, 'bye')).body).toBe('bye');
  });
});
