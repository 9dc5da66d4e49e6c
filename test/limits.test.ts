import { getIntrospectionQuery } from 'graphql';
import type { Client } from 'graphql-ws';
import { createRoom, signUp, type TestUser } from './helpers/factories';
import { errorCode, gql, type GraphQLErrorJson } from './helpers/http';
import { useServers } from './helpers/servers';
import { wsClient } from './helpers/ws';
import { acknowledgedSocket, wsExecute } from './helpers/ws-request';

const servers = useServers();
const oneMiB = 1024 * 1024;

/**
 * A query exactly `depth` fields deep, walking Room → messages → edges → node → room → …
 * and closing with a leaf so that the last level counts too. Pages of one message, so
 * that it stays under MAX_QUERY_COST (nested pages multiply) and depth alone decides.
 */
function nestedQuery(depth: number): string {
  const cycle = ['messages(first: 1)', 'edges', 'node', 'room'];
  const fields = ['rooms'];
  while (fields.length < depth - 1) fields.push(cycle[(fields.length - 1) % cycle.length]!);
  // A connection has no scalar of its own: end one level earlier on a Room with a two-level leaf.
  let leaf = fields.at(-1) === 'edges' ? 'cursor' : 'id';
  if (fields.at(-1)!.startsWith('messages')) {
    fields.pop();
    leaf = 'members { id }';
  }
  return `{ ${fields.map((f) => `${f} {`).join(' ')} ${leaf} ${'}'.repeat(fields.length)} }`;
}

/** 16 levels (1 + 4 + 4 + 4 + 3) hidden in fragments: the limit follows fragment spreads. */
function nestedThroughFragments(): string {
  return `{ rooms { ...R1 } }
    fragment R1 on Room { messages(first: 1) { edges { node { room { ...R2 } } } } }
    fragment R2 on Room { messages(first: 1) { edges { node { room { ...R3 } } } } }
    fragment R3 on Room { messages(first: 1) { edges { node { room { ...R4 } } } } }
    fragment R4 on Room { messages(first: 1) { edges { cursor } } }`;
}

function aliasedQuery(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;
}

const sendMessage = 'mutation ($roomId: ID!, $body: String!) { sendMessage(roomId: $roomId, body: $body) { id } }';

/** One transport under test: runs a document and returns `{ data, errors }`. */
type Run = (query: string, variables?: Record<string, unknown>) => Promise<{ data?: unknown; errors?: readonly GraphQLErrorJson[] | null }>;

let user: TestUser;
let roomId: string;
let client: Client;

beforeAll(async () => {
  user = await signUp(servers(), 'limits');
  roomId = (await createRoom(servers(), user)).id;
  client = wsClient(servers().wsUrl, user.token);
});

afterAll(async () => {
  await client?.dispose();
});

const transports: [string, () => Run][] = [
  ['HTTP', () => (query, variables) => gql(servers().httpUrl, query, variables, user.token)],
  ['WebSocket', () => (query, variables) => wsExecute(client, query, variables) as ReturnType<Run>],
];

test('nestedQuery builds queries of the stated depth', () => {
  // Guards the generator the depth tests rely on: here depth = number of opening braces.
  for (const depth of [14, 15, 16, 17]) expect(nestedQuery(depth).split('{').length - 1).toBe(depth);
});

describe.each(transports)('limits over %s', (_name, transport) => {

  test('a query 15 levels deep runs', async () => {
    const result = await transport()(nestedQuery(15));
    expect(result.errors ?? []).toEqual([]);
    expect(result.data).toEqual({ rooms: [expect.objectContaining({ messages: expect.anything() })] });
  });

  test('a query 16 levels deep fails with BAD_USER_INPUT', async () => {
    const result = await transport()(nestedQuery(16));
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data ?? null).toBeNull();
  });

  test('a query 16 levels deep through fragments fails with BAD_USER_INPUT', async () => {
    const result = await transport()(nestedThroughFragments());
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/depth/i);
  });

  test('the introspection query works although it is deep', async () => {
    const result = await transport()(getIntrospectionQuery());
    expect(result.errors ?? []).toEqual([]);
    const types = (result.data as { __schema: { types: { name: string }[] } }).__schema.types.map((t) => t.name);
    expect(types).toEqual(expect.arrayContaining(['Room', 'Message', 'User']));
  });

  test('50 aliases pass', async () => {
    const result = await transport()(aliasedQuery(50));
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(result.data as object)).toHaveLength(50);
  });

  test('51 aliases fail with BAD_USER_INPUT', async () => {
    const result = await transport()(aliasedQuery(51));
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data ?? null).toBeNull();
  });

  test('a 5000-character message body fails with BAD_USER_INPUT, not a transport error', async () => {
    const result = await transport()(sendMessage, { roomId, body: 'x'.repeat(5000) });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    // The connection is still usable afterwards.
    expect((await transport()(sendMessage, { roomId, body: 'x'.repeat(4000) })).errors ?? []).toEqual([]);
  });
});

test('an oversized message body over HTTP is a 200 response carrying a GraphQL error', async () => {
  const result = await gql(servers().httpUrl, sendMessage, { roomId, body: 'x'.repeat(5000) }, user.token);
  expect(result.status).toBe(200);
  expect(errorCode(result)).toBe('BAD_USER_INPUT');
});

describe('payload size limits', () => {
  /** A POST /graphql whose JSON body is about `bytes` long (padding in an unused variable). */
  function postOfSize(bytes: number): Promise<Response> {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(bytes) } });
    return fetch(servers().httpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  }

  test('an HTTP request body over 1 MiB gets status 413', async () => {
    const response = await postOfSize(oneMiB + 1024);
    expect(response.status).toBe(413);
  });

  test('an HTTP request body just under 1 MiB is accepted', async () => {
    const response = await postOfSize(oneMiB - 1024);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  test('a WebSocket frame over 1 MiB closes the socket with 1009', async () => {
    const raw = await acknowledgedSocket(servers().wsUrl, user.token);
    raw.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }', variables: { pad: 'x'.repeat(oneMiB) } } });
    expect((await raw.closed()).code).toBe(1009);
  });

  test('a WebSocket frame just under 1 MiB is executed', async () => {
    const raw = await acknowledgedSocket(servers().wsUrl, user.token);
    raw.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }', variables: { pad: 'x'.repeat(oneMiB - 1024) } } });
    expect(await raw.message()).toEqual({ id: '1', type: 'next', payload: { data: { __typename: 'Query' } } });
    raw.socket.close(1000);
    expect((await raw.closed()).code).toBe(1000);
  });
});
