import { createRoom, send, signUp, type TestUser } from './helpers/factories';
import { useServers } from './helpers/servers';

/**
 * POST /graphql with a JSON body is answered by the API's fast lane (src/servers/http/fast-lane.ts);
 * the same request with a query string goes through Yoga. Yoga is the reference: both must
 * give the same status, media type, CORS headers and body.
 */
/** What Apollo Client and urql send (their defaults). */
const apolloAccept = 'application/graphql-response+json,application/json;q=0.9';
const urqlAccept = 'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed';

describe('the fast lane answers as Yoga does', () => {
  const servers = useServers();
  let alice: TestUser;
  let bob: TestUser;
  let roomId: string;

  beforeAll(async () => {
    [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    roomId = (await createRoom(servers(), alice)).id;
    await send(servers(), alice, roomId, 'hello');
  });

  type Case = [string, () => { body: string; token?: string; headers?: Record<string, string> }];
  const cases: Case[] = [
    ['a query', () => ({ body: JSON.stringify({ query: '{ me { id username } }' }), token: alice.token })],
    ['a query without a token (UNAUTHENTICATED)', () => ({ body: JSON.stringify({ query: '{ me { id } }' }) })],
    ['a history page', () => ({ body: JSON.stringify({ query: 'query($r: ID!) { messages(roomId: $r, last: 2) { edges { node { body } } pageInfo { hasPreviousPage } } }', variables: { r: roomId } }), token: alice.token })],
    ['an out-of-range page size (BAD_USER_INPUT)', () => ({ body: JSON.stringify({ query: 'query($r: ID!) { messages(roomId: $r, first: 101) { edges { cursor } } }', variables: { r: roomId } }), token: alice.token })],
    ['a mutation refused (FORBIDDEN)', () => ({ body: JSON.stringify({ query: 'mutation($r: ID!) { sendMessage(roomId: $r, body: "hi") { id } }', variables: { r: roomId } }), token: bob.token })],
    ['variables of the wrong type', () => ({ body: JSON.stringify({ query: 'query($n: Int) { messages(roomId: "x", last: $n) { edges { cursor } } }', variables: { n: 'many' } }), token: alice.token })],
    ['one of several operations by name', () => ({ body: JSON.stringify({ query: 'query A { me { id } } query B { me { username } }', operationName: 'B' }), token: alice.token })],
    ['several operations and no name', () => ({ body: JSON.stringify({ query: 'query A { me { id } } query B { me { username } }' }), token: alice.token })],
    ['a validation error', () => ({ body: JSON.stringify({ query: '{ me { nope } }' }), token: alice.token })],
    ['a syntax error', () => ({ body: JSON.stringify({ query: '{ me { ' }) })],
    ['a body that is not JSON', () => ({ body: '{"query": ' })],
    ['a body that is not an object', () => ({ body: '[1, 2]' })],
    ['a cross-origin request', () => ({ body: JSON.stringify({ query: '{ me { id } }' }), token: alice.token, headers: { origin: 'http://app.example' } })],
    ['Accept: application/json', () => ({ body: JSON.stringify({ query: '{ me { id } }' }), token: alice.token, headers: { accept: 'application/json' } })],
    ...[apolloAccept, urqlAccept, 'application/graphql-response+json'].flatMap((accept) => [
      [`a query, Accept: ${accept}`, () => ({ body: JSON.stringify({ query: '{ me { id } }' }), token: alice.token, headers: { accept } })],
      [`an error without data, Accept: ${accept}`, () => ({ body: JSON.stringify({ query: '{ me { id } }' }), headers: { accept } })],
      [`variables of the wrong type, Accept: ${accept}`, () => ({ body: JSON.stringify({ query: 'query($n: Int) { messages(roomId: "x", last: $n) { edges { cursor } } }', variables: { n: 'many' } }), token: alice.token, headers: { accept } })],
      [`a validation error, Accept: ${accept}`, () => ({ body: JSON.stringify({ query: '{ me { nope } }' }), token: alice.token, headers: { accept } })],
      [`a refused mutation, Accept: ${accept}`, () => ({ body: JSON.stringify({ query: 'mutation($r: ID!) { sendMessage(roomId: $r, body: "hi") { id } }', variables: { r: roomId } }), token: bob.token, headers: { accept } })],
    ] as Case[]),
    ['Accept: text/event-stream first', () => ({ body: JSON.stringify({ query: '{ me { id } }' }), token: alice.token, headers: { accept: 'text/event-stream, application/json' } })],
  ];

  test.each(cases)('%s', async (_name, request) => {
    const { body, token, headers } = request();
    const [fast, yoga] = await Promise.all([post('/graphql', body, token, headers), post('/graphql?lane=yoga', body, token, headers)]);
    expect(fast).toEqual(yoga);
  });

  test('a subscription over plain POST: the same stream head (status, media type)', async () => {
    const body = JSON.stringify({ query: 'subscription($r: ID) { messageAdded(roomId: $r) { id } }', variables: { r: roomId } });
    const [fast, yoga] = await Promise.all([head('/graphql', body, alice.token), head('/graphql?lane=yoga', body, alice.token)]);
    expect(fast).toEqual(yoga);
  });

  test('a mutation is stored once, and answered with what was stored', async () => {
    const before = await post('/graphql', JSON.stringify({ query: 'query($r: ID!) { messages(roomId: $r) { edges { cursor } } }', variables: { r: roomId } }), alice.token);
    const sent = await post('/graphql', JSON.stringify({ query: 'mutation($r: ID!) { sendMessage(roomId: $r, body: "once") { body } }', variables: { r: roomId } }), alice.token);
    expect(sent.body).toEqual({ data: { sendMessage: { body: 'once' } } });
    const after = await post('/graphql', JSON.stringify({ query: 'query($r: ID!) { messages(roomId: $r) { edges { cursor } } }', variables: { r: roomId } }), alice.token);
    const count = (r: typeof before) => (r.body as { data: { messages: { edges: unknown[] } } }).data.messages.edges.length;
    expect(count(after)).toBe(count(before) + 1);
  });

  /** Status and media type of a streamed answer; the stream is then dropped. */
  async function head(path: string, body: string, token: string) {
    const aborter = new AbortController();
    const response = await fetch(new URL(path, servers().httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: aborter.signal,
    });
    const result = { status: response.status, type: response.headers.get('content-type') };
    aborter.abort();
    return result;
  }

  async function post(path: string, body: string, token?: string, headers: Record<string, string> = {}) {
    const url = new URL(path, servers().httpUrl);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      cors: ['access-control-allow-origin', 'access-control-allow-credentials', 'vary'].map((h) => response.headers.get(h)),
      body: JSON.parse(text) as unknown,
    };
  }
});
