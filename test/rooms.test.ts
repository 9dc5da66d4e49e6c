import { toGlobalId, uuidv7 } from '../src/ids';
import { createRoom, joinRoom, signUp, type TestUser } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import { CreateRoomDoc, JoinRoomDoc, LeaveRoomDoc, RoomDoc, RoomsDoc } from './helpers/operations';
import { membershipRows, totalRooms } from './helpers/room-db';
import { useServers } from './helpers/servers';

const servers = useServers();

/** A well-formed global id of a room that was never created. */
const unknownRoomId = () => toGlobalId('Room', uuidv7());

async function roomIdsOf(user: TestUser): Promise<string[]> {
  const { rooms } = await gqlData(servers().httpUrl, RoomsDoc, {}, user.token);
  return rooms.map((r) => r.id);
}

function leave(user: TestUser, roomId: string) {
  return gql(servers().httpUrl, LeaveRoomDoc, { roomId }, user.token);
}

async function membersOf(viewer: TestUser, roomId: string): Promise<string[]> {
  const { room } = await gqlData(servers().httpUrl, RoomDoc, { id: roomId }, viewer.token);
  return room!.members.map((m) => m.id).sort();
}

describe('createRoom', () => {
  test('returns a GROUP room with the name, a createdAt and the creator as its only member', async () => {
    const alice = await signUp(servers(), 'alice');
    const before = Date.now();
    const room = await createRoom(servers(), alice, 'Lobby');
    const after = Date.now();
    expect(room.kind).toBe('GROUP');
    expect(room.name).toBe('Lobby');
    expect(room.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The server stamps it while handling the request (same clock as this test).
    expect(Date.parse(room.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(room.createdAt)).toBeLessThanOrEqual(after + 1000);
    expect(room.members).toEqual([{ id: alice.id, username: alice.username }]);
  });

  test.each([
    ['1 character', 'x'],
    ['100 characters', 'n'.repeat(100)],
    // Characters are code points: 100 emoji are 200 UTF-16 units but still a valid name.
    ['100 emoji', '😀'.repeat(100)],
  ])('accepts a name of %s', async (_label, name) => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice, name);
    expect(room.name).toBe(name);
  });

  test.each([
    ['empty', ''],
    ['whitespace only', '   \t  '],
    ['101 characters long', 'n'.repeat(101)],
  ])('rejects a name that is %s with BAD_USER_INPUT and creates nothing', async (_label, name) => {
    const alice = await signUp(servers(), 'alice');
    await createRoom(servers(), alice, 'existing');
    const roomsBefore = await roomIdsOf(alice);
    const totalBefore = await totalRooms(servers());

    const result = await gql(servers().httpUrl, CreateRoomDoc, { name }, alice.token);

    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data ?? null).toBeNull();
    expect(await roomIdsOf(alice)).toEqual(roomsBefore);
    expect(await totalRooms(servers())).toBe(totalBefore);
  });
});

describe('joinRoom', () => {
  test('adds the user: the returned room and room(id) list both members', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);

    const joined = await joinRoom(servers(), bob, room.id);

    expect(joined.id).toBe(room.id);
    expect(joined.kind).toBe('GROUP');
    expect(joined.members.map((m) => m.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(await membersOf(alice, room.id)).toEqual([alice.id, bob.id].sort());
    expect(await roomIdsOf(bob)).toContain(room.id);
  });

  test('joining twice succeeds and leaves one membership', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);

    const again = await gql(servers().httpUrl, JoinRoomDoc, { roomId: room.id }, bob.token);

    expect(again.errors).toBeUndefined();
    expect(again.data?.joinRoom.members.filter((m) => m.id === bob.id)).toHaveLength(1);
    expect(await membershipRows(servers(), room.id, bob.id)).toBe(1);
  });

  test('the creator joining their own room changes nothing', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    const joined = await joinRoom(servers(), alice, room.id);
    expect(joined.members).toEqual([{ id: alice.id, username: alice.username }]);
    expect(await membershipRows(servers(), room.id, alice.id)).toBe(1);
  });

  test.each([
    ['a well-formed id of a room that does not exist', unknownRoomId],
    ['a garbage id', () => 'not-a-room-id'],
    ['an empty id', () => ''],
  ])('fails with NOT_FOUND for %s', async (_label, makeId) => {
    const bob = await signUp(servers(), 'bob');
    const result = await gql(servers().httpUrl, JoinRoomDoc, { roomId: makeId() }, bob.token);
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(result.data ?? null).toBeNull();
  });

  test("fails with NOT_FOUND for a user's id (ids are typed, not interchangeable)", async () => {
    const bob = await signUp(servers(), 'bob');
    const result = await gql(servers().httpUrl, JoinRoomDoc, { roomId: bob.id }, bob.token);
    expect(errorCode(result)).toBe('NOT_FOUND');
  });
});

describe('leaveRoom', () => {
  test('returns true and removes the membership', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);

    const result = await leave(bob, room.id);

    expect(result.data?.leaveRoom).toBe(true);
    expect(await roomIdsOf(bob)).not.toContain(room.id);
    expect(await membersOf(alice, room.id)).toEqual([alice.id]);
    expect(await membershipRows(servers(), room.id, bob.id)).toBe(0);
    // No longer a member: the room is closed to them.
    expect(errorCode(await gql(servers().httpUrl, RoomDoc, { id: room.id }, bob.token))).toBe('FORBIDDEN');
  });

  test('leaving a second time returns false', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    expect((await leave(bob, room.id)).data?.leaveRoom).toBe(true);

    const again = await leave(bob, room.id);

    expect(again.errors).toBeUndefined();
    expect(again.data?.leaveRoom).toBe(false);
  });

  test('a user who never joined gets false and the members are unchanged', async () => {
    const [alice, carol] = [await signUp(servers(), 'alice'), await signUp(servers(), 'carol')];
    const room = await createRoom(servers(), alice);

    const result = await leave(carol, room.id);

    expect(result.errors).toBeUndefined();
    expect(result.data?.leaveRoom).toBe(false);
    expect(await membersOf(alice, room.id)).toEqual([alice.id]);
  });

  test('a user who left can join again', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    await leave(bob, room.id);

    const rejoined = await joinRoom(servers(), bob, room.id);

    expect(rejoined.members.map((m) => m.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(await membershipRows(servers(), room.id, bob.id)).toBe(1);
  });

  test('fails with NOT_FOUND for a room that does not exist', async () => {
    const bob = await signUp(servers(), 'bob');
    expect(errorCode(await leave(bob, unknownRoomId()))).toBe('NOT_FOUND');
    expect(errorCode(await leave(bob, 'garbage'))).toBe('NOT_FOUND');
  });
});
