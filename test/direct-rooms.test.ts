import { toGlobalId, uuidv7 } from '../src/ids';
import { openDirect, send, signUp, type TestUser } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import {
  JoinRoomDoc,
  LeaveRoomDoc,
  MessagesDoc,
  NodeDoc,
  OpenDirectRoomDoc,
  RoomDoc,
  RoomsDoc,
  SendMessageDoc,
} from './helpers/operations';
import { memberRowsOfRoom, membershipRows } from './helpers/room-db';
import { useServers } from './helpers/servers';

const servers = useServers();

async function pair(): Promise<[TestUser, TestUser]> {
  return [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
}

function openDirectRaw(user: TestUser, userId: string) {
  return gql(servers().httpUrl, OpenDirectRoomDoc, { userId }, user.token);
}

async function roomIdsOf(user: TestUser): Promise<string[]> {
  return (await gqlData(servers().httpUrl, RoomsDoc, {}, user.token)).rooms.map((r) => r.id);
}

describe('openDirectRoom', () => {
  test('returns a DIRECT room without a name whose members are exactly the two users', async () => {
    const [alice, bob] = await pair();
    const room = await openDirect(servers(), alice, bob);
    expect(room.kind).toBe('DIRECT');
    expect(room.name).toBeNull();
    expect(room.members.map((m) => m.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(await memberRowsOfRoom(servers(), room.id)).toBe(2);
  });

  test('(a, b) and (b, a) return the same room', async () => {
    const [alice, bob] = await pair();
    const fromAlice = await openDirect(servers(), alice, bob);
    const fromBob = await openDirect(servers(), bob, alice);
    expect(fromBob.id).toBe(fromAlice.id);
  });

  test('repeated calls return the same room and add no members', async () => {
    const [alice, bob] = await pair();
    const first = await openDirect(servers(), alice, bob);
    const again = await openDirect(servers(), alice, bob);
    const third = await openDirect(servers(), alice, bob);
    expect([again.id, third.id]).toEqual([first.id, first.id]);
    expect(await memberRowsOfRoom(servers(), first.id)).toBe(2);
  });

  test('each pair of users gets its own room', async () => {
    const [alice, bob] = await pair();
    const carol = await signUp(servers(), 'carol');
    const withBob = await openDirect(servers(), alice, bob);
    const withCarol = await openDirect(servers(), alice, carol);
    expect(withCarol.id).not.toBe(withBob.id);
    expect(withCarol.members.map((m) => m.id).sort()).toEqual([alice.id, carol.id].sort());
  });

  test('with yourself fails with BAD_USER_INPUT and creates no room', async () => {
    const alice = await signUp(servers(), 'alice');
    const result = await openDirectRaw(alice, alice.id);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data ?? null).toBeNull();
    expect(await roomIdsOf(alice)).toEqual([]);
  });

  test.each([
    ['a well-formed id of a user that does not exist', () => toGlobalId('User', uuidv7())],
    ['a garbage id', () => 'nobody'],
  ])('with %s fails with NOT_FOUND', async (_label, makeId) => {
    const alice = await signUp(servers(), 'alice');
    const result = await openDirectRaw(alice, makeId());
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(await roomIdsOf(alice)).toEqual([]);
  });

  test("with a room's id instead of a user's fails with NOT_FOUND", async () => {
    const [alice, bob] = await pair();
    const direct = await openDirect(servers(), alice, bob);
    expect(errorCode(await openDirectRaw(alice, direct.id))).toBe('NOT_FOUND');
  });
});

describe('a DIRECT room', () => {
  test('is listed in `rooms` of both users', async () => {
    const [alice, bob] = await pair();
    const room = await openDirect(servers(), alice, bob);
    for (const user of [alice, bob]) {
      const { rooms } = await gqlData(servers().httpUrl, RoomsDoc, {}, user.token);
      expect(rooms).toContainEqual(expect.objectContaining({ id: room.id, kind: 'DIRECT', name: null }));
    }
  });

  test('is readable by both users through room(id) and node(id)', async () => {
    const [alice, bob] = await pair();
    const room = await openDirect(servers(), alice, bob);
    for (const user of [alice, bob]) {
      const read = await gqlData(servers().httpUrl, RoomDoc, { id: room.id }, user.token);
      expect(read.room).toMatchObject({ id: room.id, kind: 'DIRECT', name: null });
      const { node } = await gqlData(servers().httpUrl, NodeDoc, { id: room.id }, user.token);
      expect(node).toMatchObject({ __typename: 'Room', id: room.id, kind: 'DIRECT' });
    }
  });

  test('is FORBIDDEN to a third user through room(id), node(id), messages and sendMessage', async () => {
    const [alice, bob] = await pair();
    const carol = await signUp(servers(), 'carol');
    const room = await openDirect(servers(), alice, bob);
    const url = servers().httpUrl;
    expect(errorCode(await gql(url, RoomDoc, { id: room.id }, carol.token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(url, NodeDoc, { id: room.id }, carol.token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(url, MessagesDoc, { roomId: room.id }, carol.token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(url, SendMessageDoc, { roomId: room.id, body: 'hi' }, carol.token))).toBe('FORBIDDEN');
    expect(await roomIdsOf(carol)).not.toContain(room.id);
  });

  test('carries messages between the two users, in order, for both of them', async () => {
    const [alice, bob] = await pair();
    const room = await openDirect(servers(), alice, bob);
    const first = await send(servers(), alice, room.id, 'hi bob');
    const second = await send(servers(), bob, room.id, 'hi alice');
    expect(first.room).toEqual({ id: room.id, kind: 'DIRECT', name: null });
    expect(second.author.id).toBe(bob.id);
    for (const user of [alice, bob]) {
      const { messages } = await gqlData(servers().httpUrl, MessagesDoc, { roomId: room.id }, user.token);
      expect(messages.edges.map((e) => [e.node.author.id, e.node.body])).toEqual([
        [alice.id, 'hi bob'],
        [bob.id, 'hi alice'],
      ]);
    }
  });
});

describe('joinRoom and leaveRoom on a DIRECT room', () => {
  /** The DIRECT room of alice and bob, and carol, who is in neither. */
  async function directWithOutsider() {
    const [alice, bob] = await pair();
    const carol = await signUp(servers(), 'carol');
    const room = await openDirect(servers(), alice, bob);
    return { alice, bob, carol, roomId: room.id };
  }

  async function expectMembersUnchanged(roomId: string, alice: TestUser, bob: TestUser, carol: TestUser) {
    expect(await memberRowsOfRoom(servers(), roomId)).toBe(2);
    expect(await membershipRows(servers(), roomId, alice.id)).toBe(1);
    expect(await membershipRows(servers(), roomId, bob.id)).toBe(1);
    expect(await membershipRows(servers(), roomId, carol.id)).toBe(0);
  }

  test('joinRoom by a member fails with FORBIDDEN', async () => {
    const { alice, bob, carol, roomId } = await directWithOutsider();
    const result = await gql(servers().httpUrl, JoinRoomDoc, { roomId }, alice.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    await expectMembersUnchanged(roomId, alice, bob, carol);
  });

  test('joinRoom by an outsider fails with FORBIDDEN and does not let them in', async () => {
    const { alice, bob, carol, roomId } = await directWithOutsider();
    const result = await gql(servers().httpUrl, JoinRoomDoc, { roomId }, carol.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data ?? null).toBeNull();
    await expectMembersUnchanged(roomId, alice, bob, carol);
  });

  test('leaveRoom by a member fails with FORBIDDEN and keeps them in', async () => {
    const { alice, bob, carol, roomId } = await directWithOutsider();
    const result = await gql(servers().httpUrl, LeaveRoomDoc, { roomId }, bob.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    await expectMembersUnchanged(roomId, alice, bob, carol);
    expect(await roomIdsOf(bob)).toContain(roomId);
  });

  test('leaveRoom by an outsider fails with FORBIDDEN', async () => {
    const { alice, bob, carol, roomId } = await directWithOutsider();
    const result = await gql(servers().httpUrl, LeaveRoomDoc, { roomId }, carol.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
    await expectMembersUnchanged(roomId, alice, bob, carol);
  });
});
