import { createRoom, joinRoom, signUp, type TestUser } from './helpers/factories';
import {
  batchIndex,
  fillRoom,
  idsOf,
  readAll,
  readPage,
  seqOf,
  startSender,
  strictlyIncreasing,
  type Page,
  type PageArgs,
} from './helpers/history';
import { errorCode, gql, gqlData } from './helpers/http';
import { MessagesDoc, RoomMessagesDoc } from './helpers/operations';
import { useServers } from './helpers/servers';

const servers = useServers();

/** The same page through `Room.messages`, shaped like a `Query.messages` page minus fields it does not select. */
async function readRoomPage(user: TestUser, roomId: string, args: PageArgs = {}) {
  const { room } = await gqlData(servers().httpUrl, RoomMessagesDoc, { id: roomId, ...args }, user.token);
  return room!.messages;
}

/** Both entry points must agree; compares ids, cursors and pageInfo. */
async function readBothWays(user: TestUser, roomId: string, args: PageArgs = {}) {
  const page = await readPage(servers(), user, roomId, args);
  const roomPage = await readRoomPage(user, roomId, args);
  expect(roomPage.pageInfo).toEqual(page.pageInfo);
  expect(roomPage.edges.map((e) => [e.cursor, e.node.id])).toEqual(page.edges.map((e) => [e.cursor, e.node.id]));
  return page;
}

const emptyPageInfo = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

describe('an empty room', () => {
  test.each<[string, PageArgs]>([
    ['no arguments', {}],
    ['first: 10', { first: 10 }],
    ['last: 10', { last: 10 }],
  ])('history with %s has no edges, no further pages and null cursors', async (_name, args) => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    const page = await readBothWays(alice, room.id, args);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual(emptyPageInfo);
  });
});

describe('default page', () => {
  test('history without first/last is the newest 50, oldest first, with hasPreviousPage when more exist', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    // 6 batches of 10: the newest 50 are exactly batches 1–5.
    const batches = await fillRoom(servers(), alice, room.id, 60, 10);
    const batchOf = batchIndex(batches);

    const page = await readBothWays(alice, room.id);
    expect(page.edges).toHaveLength(50);
    expect(new Set(idsOf(page.edges))).toEqual(new Set(batches.slice(1).flat().map((m) => m.id)));
    expect(strictlyIncreasing(page.edges.map((e) => seqOf(e.cursor)))).toBe(true);
    const pageBatches = page.edges.map((e) => batchOf.get(e.node.id)!);
    expect(pageBatches).toEqual([...pageBatches].sort((a, b) => a - b));
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    expect(page.pageInfo.startCursor).toBe(page.edges[0]!.cursor);
    expect(page.pageInfo.endCursor).toBe(page.edges[49]!.cursor);

    // The default page is the tail of the whole history.
    const all = await readAll(servers(), alice, room.id);
    expect(idsOf(page.edges)).toEqual(idsOf(all).slice(10));
  });

  test('a room of exactly one page reports no previous or next page', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    await fillRoom(servers(), alice, room.id, 50, 10);
    const byLast = await readBothWays(alice, room.id, { last: 50 });
    const byFirst = await readBothWays(alice, room.id, { first: 50 });
    const byDefault = await readBothWays(alice, room.id);
    for (const page of [byLast, byFirst, byDefault]) {
      expect(page.edges).toHaveLength(50);
      expect(page.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
      expect(idsOf(page.edges)).toEqual(idsOf(byLast.edges));
    }
  });
});

describe('page arguments', () => {
  let alice: TestUser;
  let roomId: string;
  beforeAll(async () => {
    alice = await signUp(servers(), 'alice');
    roomId = (await createRoom(servers(), alice)).id;
    await fillRoom(servers(), alice, roomId, 3);
  });

  const junkCursor = Buffer.from('not a cursor at all').toString('base64');
  test.each<[string, PageArgs]>([
    ['first with last', { first: 10, last: 10 }],
    ['first: 101', { first: 101 }],
    ['last: 101', { last: 101 }],
    ['first: -1', { first: -1 }],
    ['last: -1', { last: -1 }],
    ['after: "abc"', { first: 10, after: 'abc' }],
    ['before: base64 of junk', { last: 10, before: junkCursor }],
    ['after: base64 of junk, without first', { after: junkCursor }],
    ['before: an empty string', { before: '' }],
  ])('history with %s fails with BAD_USER_INPUT on both entry points', async (_name, args) => {
    const viaQuery = await gql(servers().httpUrl, MessagesDoc, { roomId, ...args }, alice.token);
    expect(errorCode(viaQuery)).toBe('BAD_USER_INPUT');
    expect(viaQuery.data).toBeNull();
    const viaRoom = await gql(servers().httpUrl, RoomMessagesDoc, { id: roomId, ...args }, alice.token);
    expect(errorCode(viaRoom)).toBe('BAD_USER_INPUT');
    expect(viaRoom.data?.room ?? null).toBeNull();
  });

  test('history of a room by a non-member fails with FORBIDDEN', async () => {
    const eve = await signUp(servers(), 'eve');
    const result = await gql(servers().httpUrl, MessagesDoc, { roomId, last: 10 }, eve.token);
    expect(errorCode(result)).toBe('FORBIDDEN');
  });

  test('a page of 100 is allowed and returns 100 messages', async () => {
    const bob = await signUp(servers(), 'bob');
    const room = await createRoom(servers(), bob);
    await fillRoom(servers(), bob, room.id, 110, 10);
    const newest = await readBothWays(bob, room.id, { last: 100 });
    expect(newest.edges).toHaveLength(100);
    expect(newest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const oldest = await readBothWays(bob, room.id, { first: 100 });
    expect(oldest.edges).toHaveLength(100);
    expect(oldest.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });
});

describe('walking a long history while messages keep arriving', () => {
  const pageSize = 40;

  test('last/before back to the start, then first/after to the end, skips and repeats nothing', async () => {
    const alice = await signUp(servers(), 'alice');
    const bob = await signUp(servers(), 'bob');
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    const batches = await fillRoom(servers(), alice, room.id, 250, 10);
    const batchOf = batchIndex(batches);
    const originals = new Set(batches.flat().map((m) => m.id));

    // The newest page is read before bob starts, so the backward walk covers exactly the originals.
    const firstPage = await readPage(servers(), alice, room.id, { last: pageSize });
    expect(firstPage.pageInfo.hasNextPage).toBe(false);
    const bobSender = startSender(servers(), bob, room.id, 200);
    try {
      // Backward: before each page, wait for a new message from bob, so every cursor is used after arrivals.
      const backward = [...firstPage.edges];
      let older = firstPage;
      const pagesBack: Page[] = [firstPage];
      while (older.pageInfo.hasPreviousPage) {
        expect(pagesBack.length).toBeLessThan(20);
        await bobSender.sentMoreThan(bobSender.sent.length);
        older = await readPage(servers(), alice, room.id, { last: pageSize, before: older.pageInfo.startCursor });
        expect(older.pageInfo.hasNextPage).toBe(true); // the pages walked already are newer
        backward.unshift(...older.edges);
        pagesBack.push(older);
      }
      const liveBeforeForward = bobSender.sent.length;
      expect(liveBeforeForward).toBeGreaterThan(0);
      expect(backward).toHaveLength(250);
      expect(new Set(idsOf(backward))).toEqual(originals);
      expect(strictlyIncreasing(backward.map((e) => seqOf(e.cursor)))).toBe(true);
      const backwardBatches = backward.map((e) => batchOf.get(e.node.id)!);
      expect(backwardBatches).toEqual([...backwardBatches].sort((a, b) => a - b));

      // Forward: while still inside the originals, again wait for a new message before each page.
      const forward: Page['edges'] = [];
      let after: string | null = null;
      let completedBeforeLastRead = 0;
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThan(100);
        const lastSeen = forward[forward.length - 1];
        if (!lastSeen || originals.has(lastSeen.node.id)) await bobSender.sentMoreThan(bobSender.sent.length);
        completedBeforeLastRead = bobSender.sent.length;
        const page: Page = await readPage(servers(), alice, room.id, { first: pageSize, after });
        forward.push(...page.edges);
        // An empty page has null cursors; keep the last one (Relay clients do the same).
        after = page.pageInfo.endCursor ?? after;
        if (!page.pageInfo.hasNextPage) break;
      }
      await bobSender.stop();
      const live = bobSender.sent.map((m) => m.id);

      // The originals in the same order as walking back, then bob's messages in send order, each once.
      expect(idsOf(forward.slice(0, 250))).toEqual(idsOf(backward));
      const liveSeen = idsOf(forward.slice(250));
      expect(liveSeen).toEqual(live.slice(0, liveSeen.length));
      // Everything whose send completed before the final read is in the walk.
      expect(liveSeen.length).toBeGreaterThanOrEqual(completedBeforeLastRead);
      // Bob sent during the forward walk too, not only before it.
      expect(liveSeen.length).toBeGreaterThan(liveBeforeForward);
      expect(strictlyIncreasing(forward.map((e) => seqOf(e.cursor)))).toBe(true);

      // The last cursor still works: after it come exactly the messages bob sent once the walk ended.
      const rest = await readPage(servers(), alice, room.id, { first: 100, after });
      expect(idsOf(rest.edges)).toEqual(live.slice(liveSeen.length));
      expect(rest.pageInfo.hasNextPage).toBe(false);

      // A cursor from the first page, read again after all those arrivals, gives the same older page.
      const again = await readPage(servers(), alice, room.id, { last: pageSize, before: firstPage.pageInfo.startCursor });
      expect(again.edges).toEqual(pagesBack[1]!.edges);
      expect(again.pageInfo.hasPreviousPage).toBe(true);
    } finally {
      await bobSender.stop();
    }
  });
});
