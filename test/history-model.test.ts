import { encodeCursor, toPageRequest, type PageRequest } from '../src/resolvers/pagination';
import { toGlobalId, uuidv7 } from '../src/ids';
import { createRoom, rawIdOf, signUp, type TestUser } from './helpers/factories';
import { fillRoom, readPage, seqOf, type PageArgs } from './helpers/history';
import { errorCode, gql } from './helpers/http';
import { MessagesDoc } from './helpers/operations';
import { useServers } from './helpers/servers';

const servers = useServers();

/**
 * What a page must be, computed from the room's sequence numbers alone: the rules that
 * history.ts states, written out plainly so the one-statement SQL is checked against them.
 */
function expectedPage(seqs: number[], page: PageRequest, rawRoomId: string) {
  const inRange = seqs.filter((s) => (page.afterSeq === null || s > page.afterSeq) && (page.beforeSeq === null || s < page.beforeSeq));
  const nodes = page.size === 0 ? [] : page.direction === 'forward' ? inRange.slice(0, page.size) : inRange.slice(-page.size);
  const any = (test: (s: number) => boolean) => seqs.some(test);
  let hasPreviousPage: boolean;
  let hasNextPage: boolean;
  if (nodes.length > 0) {
    [hasPreviousPage, hasNextPage] = [any((s) => s < nodes[0]!), any((s) => s > nodes[nodes.length - 1]!)];
  } else if (page.direction === 'forward') {
    // An empty page read forward stands right after `after` (at the start without it).
    hasPreviousPage = page.afterSeq !== null && any((s) => s <= page.afterSeq!);
    hasNextPage = any((s) => s > (page.afterSeq ?? 0));
  } else {
    // An empty page read backward stands right before `before` (at the end without it).
    hasPreviousPage = any((s) => page.beforeSeq === null || s < page.beforeSeq);
    hasNextPage = page.beforeSeq !== null && any((s) => s >= page.beforeSeq!);
  }
  return {
    seqs: nodes,
    pageInfo: {
      hasPreviousPage,
      hasNextPage,
      startCursor: nodes.length ? encodeCursor(rawRoomId, nodes[0]!) : null,
      endCursor: nodes.length ? encodeCursor(rawRoomId, nodes[nodes.length - 1]!) : null,
    },
  };
}

/** Cursors in the format handed out before they named their room: still accepted, for any room. */
const cursor = (seq: number | null) => (seq === null ? null : Buffer.from(`m${seq}`).toString('base64url'));

/** Every combination of a few sizes and cursor positions (before the start, inside, at and past both ends). */
function argCombinations(count: number): PageArgs[] {
  const positions = [null, 0, 1, 2, Math.floor(count / 2), count - 1, count, count + 1];
  const sizes: [keyof PageArgs | null, number | null][] = [[null, null], ['first', 0], ['first', 1], ['first', 5], ['last', 0], ['last', 1], ['last', 5], ['last', 100]];
  const combos: PageArgs[] = [];
  for (const [key, size] of sizes) {
    for (const after of positions) {
      for (const before of positions) {
        if (after !== null && before !== null && before <= after + 1 && (after + before) % 3 !== 0) continue; // keep a few crossed ranges
        combos.push({ ...(key && { [key]: size }), after: cursor(after), before: cursor(before) });
      }
    }
  }
  return combos;
}

describe('history pages against a model of the paging rules', () => {
  const count = 23;
  let alice: TestUser;
  let roomId: string;
  let seqs: number[];

  beforeAll(async () => {
    alice = await signUp(servers(), 'alice');
    roomId = (await createRoom(servers(), alice)).id;
    await fillRoom(servers(), alice, roomId, count, 8);
    seqs = (await readPage(servers(), alice, roomId, { first: 100 })).edges.map((e) => seqOf(e.cursor));
    expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });

  test('every combination of first/last, after and before gives the model page and pageInfo', async () => {
    const combos = argCombinations(count);
    expect(combos.length).toBeGreaterThan(250);
    for (const args of combos) {
      const page = await readPage(servers(), alice, roomId, args);
      const expected = expectedPage(seqs, toPageRequest(args, { defaultSize: 50, maxSize: 100 }, null), rawIdOf(roomId));
      expect({ args, seqs: page.edges.map((e) => seqOf(e.cursor)), pageInfo: page.pageInfo }).toEqual({ args, ...expected });
    }
  });

  test('an empty room: every page is empty with nothing beyond it', async () => {
    const room = await createRoom(servers(), alice);
    for (const args of [{}, { first: 3 }, { last: 3 }, { first: 3, after: cursor(5) }, { last: 3, before: cursor(5) }]) {
      const page = await readPage(servers(), alice, room.id, args);
      expect(page).toEqual({ edges: [], pageInfo: { hasPreviousPage: false, hasNextPage: false, startCursor: null, endCursor: null } });
    }
  });
});

describe('history access', () => {
  test('a well-formed id of a room that does not exist is NOT_FOUND, for a bad cursor BAD_USER_INPUT first', async () => {
    const alice = await signUp(servers(), 'alice');
    const missing = toGlobalId('Room', uuidv7());
    expect(errorCode(await gql(servers().httpUrl, MessagesDoc, { roomId: missing, last: 5 }, alice.token))).toBe('NOT_FOUND');
    expect(errorCode(await gql(servers().httpUrl, MessagesDoc, { roomId: missing, last: 5, before: 'junk' }, alice.token))).toBe('BAD_USER_INPUT');
  });

  test('without a token: UNAUTHENTICATED, whether or not the room exists', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    expect(errorCode(await gql(servers().httpUrl, MessagesDoc, { roomId: room.id, last: 5 }, null))).toBe('UNAUTHENTICATED');
  });
});
