import type { Client } from 'graphql-ws';
import { createRoom, signUp, type TestUser } from './helpers/factories';
import { errorCode, gql, type GraphQLErrorJson } from './helpers/http';
import { readAll } from './helpers/history';
import { insertMessages } from './helpers/room-db';
import { useServers, type TestServers } from './helpers/servers';
import { wsClient } from './helpers/ws';
import { wsExecute } from './helpers/ws-request';

/** One transport under test: runs a document and returns `{ data, errors }`. */
type Run = (query: string, variables?: Record<string, unknown>) => Promise<{ data?: unknown; errors?: readonly GraphQLErrorJson[] | null }>;

/** HTTP (the fast lane) and WebSocket (graphql-ws) for one user of `servers`. */
function transportsOf(servers: () => TestServers, user: () => TestUser, client: () => Client): [string, () => Run][] {
  return [
    ['HTTP', () => (query, variables) => gql(servers().httpUrl, query, variables, user().token)],
    ['WebSocket', () => (query, variables) => wsExecute(client(), query, variables, 10_000) as ReturnType<Run>],
  ];
}

/** The payload: each fragment spreads the next one twice, so a walk that follows every spread doubles per fragment. */
function fragmentDoubling(fragments: number): string {
  const definitions = Array.from({ length: fragments }, (_, i) =>
    i === fragments - 1 ? `fragment F${i} on User { id username }` : `fragment F${i} on User { ...F${i + 1} ...F${i + 1} }`,
  );
  return `query { me { ...F0 } } ${definitions.join(' ')}`;
}

/** History inside history, 100 × 100: 101 history reads and 10,000 messages from 184 bytes. */
const historyInHistory = `query ($roomId: ID!) { messages(roomId: $roomId, first: 100) { edges { node { room {
  messages(first: 100) { edges { node { body } } } } } } } }`;

/** A normal request from another user, timed: the service must keep answering while an attack runs. */
async function timedMe(servers: TestServers, user: TestUser): Promise<number> {
  const started = performance.now();
  const result = await gql(servers.httpUrl, '{ me { id } }', {}, user.token);
  expect(result.errors ?? []).toEqual([]);
  return performance.now() - started;
}

describe('with the default bounds', () => {
  const servers = useServers();
  let user: TestUser;
  let bystander: TestUser;
  let roomId: string;
  let client: Client;

  beforeAll(async () => {
    [user, bystander] = await Promise.all([signUp(servers(), 'bounds'), signUp(servers(), 'bystander')]);
    roomId = (await createRoom(servers(), user)).id;
    client = wsClient(servers().wsUrl, user.token);
  });
  afterAll(async () => {
    await client?.dispose();
  });

  describe.each(transportsOf(servers, () => user, () => client))('over %s', (_name, transport) => {
    test('30 fragments each spreading the next twice are refused within a second, and another client is answered meanwhile', async () => {
      const started = performance.now();
      const [result, bystanderMs] = await Promise.all([transport()(fragmentDoubling(30)), timedMe(servers(), bystander)]);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.data ?? null).toBeNull();
      expect(bystanderMs).toBeLessThan(2000);
    });

    test('history inside history at 100 × 100 is refused with BAD_USER_INPUT, and another client is answered meanwhile', async () => {
      const [result, bystanderMs] = await Promise.all([transport()(historyInHistory, { roomId }), timedMe(servers(), bystander)]);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0]!.message).toMatch(/cost/);
      expect(result.data ?? null).toBeNull();
      expect(bystanderMs).toBeLessThan(2000);
    });

    test('a mutation over the cost limit is refused before it runs: no message is stored', async () => {
      const before = (await readAll(servers(), user, roomId)).length;
      const result = await transport()(
        `mutation ($roomId: ID!) { sendMessage(roomId: $roomId, body: "never stored") { room {
           messages(first: 100) { edges { node { room { messages(first: 100) { edges { cursor } } } } } } } } }`,
        { roomId },
      );
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(await readAll(servers(), user, roomId)).toHaveLength(before);
    });

    test('page sizes given as variables count: first: $n with n = 100 is refused, n = 10 runs', async () => {
      const nested = `query ($roomId: ID!, $n: Int) { messages(roomId: $roomId, first: $n) { edges { node { room {
        messages(first: $n) { edges { cursor } } } } } } }`;
      expect(errorCode(await transport()(nested, { roomId, n: 100 }))).toBe('BAD_USER_INPUT');
      const small = await transport()(nested, { roomId, n: 10 });
      expect(small.errors ?? []).toEqual([]);
    });

    test('a realistic screen (rooms with members and the last 50 messages each) runs', async () => {
      const result = await transport()(`{ rooms { id name members { id username } messages(last: 50) {
        edges { cursor node { id body createdAt author { id username } } } pageInfo { hasPreviousPage startCursor } } } }`);
      expect(result.errors ?? []).toEqual([]);
      expect((result.data as { rooms: unknown[] }).rooms.length).toBeGreaterThan(0);
    });

    test('more than 10,000 tokens are refused with BAD_USER_INPUT', async () => {
      const result = await transport()(`{ me { ${'id '.repeat(10_001)} } }`);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
    });

    test('more than 50 directives are refused with BAD_USER_INPUT', async () => {
      const result = await transport()(`{ me { ${'id @include(if: true) '.repeat(51)} } }`);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
    });
  });

  test('a subscription whose per-event selection costs too much is refused over WebSocket', async () => {
    const result = await wsExecute(
      client,
      `subscription ($roomId: ID!) { messageAdded(roomId: $roomId) { room { messages(first: 100) { edges { node { room {
         messages(first: 100) { edges { cursor } } } } } } } } }`,
      { roomId },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('with MAX_RESPONSE_BYTES=50000', () => {
  const servers = useServers({ MAX_RESPONSE_BYTES: '50000' });
  let user: TestUser;
  let bystander: TestUser;
  let roomId: string;
  let client: Client;

  beforeAll(async () => {
    [user, bystander] = await Promise.all([signUp(servers(), 'bytes'), signUp(servers(), 'bystander')]);
    roomId = (await createRoom(servers(), user)).id;
    // 20 messages of 4,000 characters: about 80 KB of JSON when read in one page.
    await insertMessages(servers(), roomId, user.id, 'x'.repeat(4000), 20);
    client = wsClient(servers().wsUrl, user.token);
  });
  afterAll(async () => {
    await client?.dispose();
  });

  const page = (size: number) => `query ($roomId: ID!) { messages(roomId: $roomId, last: ${size}) { edges { node { body } } } }`;

  describe.each(transportsOf(servers, () => user, () => client))('over %s', (_name, transport) => {
    test('a result over the limit is replaced by BAD_USER_INPUT, and the server keeps serving', async () => {
      const [result, bystanderMs] = await Promise.all([transport()(page(20), { roomId }), timedMe(servers(), bystander)]);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0]!.message).toBe('The result is larger than 50000 bytes; ask for less.');
      expect(result.data ?? null).toBeNull();
      expect(bystanderMs).toBeLessThan(2000);
      // A page under the limit (5 × 4,000 characters) is answered as usual.
      const small = await transport()(page(5), { roomId });
      expect(small.errors ?? []).toEqual([]);
    });
  });

  test("Yoga's own path (a GET request) bounds its result too", async () => {
    const url = new URL(servers().httpUrl);
    url.searchParams.set('query', page(20));
    url.searchParams.set('variables', JSON.stringify({ roomId }));
    const response = await fetch(url, { headers: { authorization: `Bearer ${user.token}`, accept: 'application/json' } });
    expect(errorCode(await response.json())).toBe('BAD_USER_INPUT');
  });
});

describe('with MAX_QUERY_COST=0 and MAX_RESPONSE_BYTES=0 (bounds off)', () => {
  const servers = useServers({ MAX_QUERY_COST: '0', MAX_RESPONSE_BYTES: '0' });

  test('a result too large to serialize on the fast lane answers a masked error, and the process keeps serving', async () => {
    const user = await signUp(servers(), 'crash');
    const roomId = (await createRoom(servers(), user)).id;
    // U+0001 is escaped to 6 bytes in JSON: 3 × 100 × 100 bodies of 4,000 make ~720 M characters, past V8's longest string.
    await insertMessages(servers(), roomId, user.id, '\u0001'.repeat(4000), 100);
    const nested = 'messages(roomId: $roomId, first: 100) { edges { node { room { messages(first: 100) { edges { node { body } } } } } } }';
    const result = await gql(servers().httpUrl, `query ($roomId: ID!) { a: ${nested} b: ${nested} c: ${nested} }`, { roomId }, user.token);
    expect(result.status).toBe(500);
    expect(result.errors).toEqual([{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(await timedMe(servers(), user)).toBeLessThan(2000);
  }, 120_000);
});
