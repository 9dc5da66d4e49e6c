import type { Client } from 'graphql-ws';
import { createRoom, signUp, type TestUser } from './helpers/factories';
import { gql } from './helpers/http';
import { JoinRoomDoc, MeDoc, OpenDirectRoomDoc, RoomDoc } from './helpers/operations';
import { directRoomsOfPair, memberRowsOfRoom, membershipRows } from './helpers/room-db';
import { useServers } from './helpers/servers';
import { subscribe, wsClient } from './helpers/ws';
import type { TypedDocumentString } from './gql/graphql';

const servers = useServers();

/*
 * Why graphql-ws for the races: on the embedded database every query resolves without
 * yielding to I/O, so the server finishes one HTTP request before it reads the next
 * socket, and parallel HTTP calls never overlap. The operations of ONE graphql-ws
 * connection that arrive together are all started before any of them finishes, so
 * their reads and writes do interleave (the check-then-insert race is really run).
 */

/** A graphql-ws connection that is already acknowledged, so later operations go out together. */
async function connectedClient(user: TestUser): Promise<Client> {
  const client = wsClient(servers().wsUrl, user.token);
  const warmUp = subscribe(client, MeDoc, {});
  await warmUp.next();
  await warmUp.close();
  return client;
}

/** One query or mutation over graphql-ws; resolves with its single result. */
async function overWs<T, V>(client: Client, doc: TypedDocumentString<T, V>, variables: V) {
  const operation = subscribe(client, doc, variables);
  try {
    return await operation.next();
  } finally {
    await operation.close();
  }
}

/** Asserts the outcome of a race to open the pair's DIRECT room: one room, stored once, complete. */
async function expectOneDirectRoom(alice: TestUser, bob: TestUser, rooms: ({ id: string; members: { id: string }[] } | undefined)[]) {
  const ids = new Set(rooms.map((room) => room?.id));
  expect(ids.size).toBe(1);
  const [roomId] = [...ids] as string[];
  expect(await directRoomsOfPair(servers(), alice.id, bob.id)).toBe(1);
  expect(await memberRowsOfRoom(servers(), roomId!)).toBe(2);
  // Every caller got the complete room, not one caught half-created.
  for (const room of rooms) expect(room?.members.map((m) => m.id).sort()).toEqual([alice.id, bob.id].sort());
}

describe('concurrent openDirectRoom', () => {
  test('10 parallel HTTP calls, half (a→b) and half (b→a), return one room stored once', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? gql(servers().httpUrl, OpenDirectRoomDoc, { userId: bob.id }, alice.token)
          : gql(servers().httpUrl, OpenDirectRoomDoc, { userId: alice.id }, bob.token),
      ),
    );
    for (const result of results) expect(result.errors).toBeUndefined();
    await expectOneDirectRoom(alice, bob, results.map((r) => r.data?.openDirectRoom));
  });

  // Several rounds, so that one lucky ordering cannot hide a missing constraint.
  test.each([1, 2])('round %i: 10 overlapping graphql-ws calls from both sides return one room stored once', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const [aliceWs, bobWs] = await Promise.all([connectedClient(alice), connectedClient(bob)]);
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0
            ? overWs(aliceWs, OpenDirectRoomDoc, { userId: bob.id })
            : overWs(bobWs, OpenDirectRoomDoc, { userId: alice.id }),
        ),
      );
      for (const result of results) expect(result.errors).toBeUndefined();
      await expectOneDirectRoom(alice, bob, results.map((r) => r.data?.openDirectRoom));
    } finally {
      await Promise.all([aliceWs.dispose(), bobWs.dispose()]);
    }
  });
});

describe('concurrent joinRoom of one user', () => {
  async function expectOneMembership(room: { id: string }, alice: TestUser, bob: TestUser) {
    expect(await membershipRows(servers(), room.id, bob.id)).toBe(1);
    expect(await memberRowsOfRoom(servers(), room.id)).toBe(2);
    const after = await gql(servers().httpUrl, RoomDoc, { id: room.id }, bob.token);
    expect(after.data?.room?.members.map((m) => m.id).sort()).toEqual([alice.id, bob.id].sort());
  }

  test('5 parallel HTTP calls all succeed and leave one membership', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => gql(servers().httpUrl, JoinRoomDoc, { roomId: room.id }, bob.token)),
    );
    for (const result of results) {
      expect(result.errors).toBeUndefined();
      expect(result.data?.joinRoom.id).toBe(room.id);
    }
    await expectOneMembership(room, alice, bob);
  });

  test('5 overlapping graphql-ws calls all succeed and leave one membership', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    const bobWs = await connectedClient(bob);
    try {
      const results = await Promise.all(
        Array.from({ length: 5 }, () => overWs(bobWs, JoinRoomDoc, { roomId: room.id })),
      );
      for (const result of results) {
        expect(result.errors).toBeUndefined();
        expect(result.data?.joinRoom.id).toBe(room.id);
      }
      await expectOneMembership(room, alice, bob);
    } finally {
      await bobWs.dispose();
    }
  });
});
