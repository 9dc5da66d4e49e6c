import { LoginDoc, MessagesDoc, RegisterDoc, RoomDoc, RoomsDoc } from './helpers/operations';
import { createRoom, signUp, uniqueName, type TestUser } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import { useServers } from './helpers/servers';
import { badTokens } from './helpers/tokens';

const servers = useServers();

let owner: TestUser;
let other: TestUser;
let third: TestUser;
let roomId: string;
beforeAll(async () => {
  owner = await signUp(servers(), 'owner');
  other = await signUp(servers(), 'other');
  third = await signUp(servers(), 'third');
  roomId = (await createRoom(servers(), owner)).id;
});

/**
 * Every field that needs a token, with arguments that would succeed for `owner`, so that
 * the token is the only thing wrong. Plain strings: these are deliberately minimal queries.
 */
const protectedFields: ReadonlyArray<readonly [string, string, () => Record<string, unknown>]> = [
  ['me', 'query { me { id } }', () => ({})],
  ['rooms', 'query { rooms { id } }', () => ({})],
  ['room', 'query ($id: ID!) { room(id: $id) { id } }', () => ({ id: roomId })],
  ['messages', 'query ($roomId: ID!) { messages(roomId: $roomId) { edges { cursor } } }', () => ({ roomId })],
  ['userByUsername', 'query ($u: String!) { userByUsername(username: $u) { id } }', () => ({ u: other.username })],
  ['node', 'query ($id: ID!) { node(id: $id) { id } }', () => ({ id: other.id })],
  ['createRoom', 'mutation ($name: String!) { createRoom(name: $name) { id } }', () => ({ name: uniqueName('anon') })],
  ['joinRoom', 'mutation ($roomId: ID!) { joinRoom(roomId: $roomId) { id } }', () => ({ roomId })],
  ['leaveRoom', 'mutation ($roomId: ID!) { leaveRoom(roomId: $roomId) }', () => ({ roomId })],
  ['openDirectRoom', 'mutation ($userId: ID!) { openDirectRoom(userId: $userId) { id } }', () => ({ userId: other.id })],
  ['sendMessage', 'mutation ($roomId: ID!, $body: String!) { sendMessage(roomId: $roomId, body: $body) { id } }', () => ({ roomId, body: 'sneaky' })],
  ['setTyping', 'mutation ($roomId: ID!) { setTyping(roomId: $roomId, isTyping: true) }', () => ({ roomId })],
];

/** Authorization header values that must not authenticate anyone, keyed by a readable name. */
const badHeaders: ReadonlyArray<readonly [string, () => Record<string, string>]> = [
  ['no token', () => ({})],
  ...badTokens.map(([name, make]) => [name, () => ({ authorization: `Bearer ${make(owner.token)}` })] as const),
  ['an empty Bearer header', () => ({ authorization: 'Bearer ' })],
];

describe.each(badHeaders)('with %s over HTTP', (_kind, header) => {
  test.each(protectedFields)('%s fails with UNAUTHENTICATED and returns no data', async (field, query, variables) => {
    const result = await gql(servers().httpUrl, query, variables(), null, header());
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect((result.data as Record<string, unknown> | null | undefined)?.[field] ?? null).toBeNull();
  });
});

test('the same protected fields all succeed for the owner with a valid token (the arguments are good)', async () => {
  // Guards the matrix above: UNAUTHENTICATED there is due to the token alone. The overrides
  // keep this test's own effects apart from what the next test checks was never done.
  const overrides: Record<string, Record<string, unknown>> = {
    sendMessage: { body: 'sent with a valid token' },
    openDirectRoom: { userId: third.id },
  };
  for (const [field, query, variables] of protectedFields) {
    if (field === 'leaveRoom') continue; // the owner must stay a member for the next test
    const result = await gql(servers().httpUrl, query, { ...variables(), ...overrides[field] }, owner.token);
    expect({ field, errors: result.errors }).toEqual({ field, errors: undefined });
  }
});

test('rejected mutations changed nothing: the room has only its owner and no anonymous message', async () => {
  const { room } = await gqlData(servers().httpUrl, RoomDoc, { id: roomId }, owner.token);
  expect(room?.members.map((m) => m.id)).toEqual([owner.id]);
  const { messages } = await gqlData(servers().httpUrl, MessagesDoc, { roomId }, owner.token);
  expect(messages.edges.map((e) => e.node.body)).not.toContain('sneaky');
  const { rooms } = await gqlData(servers().httpUrl, RoomsDoc, {}, other.token);
  expect(rooms).toEqual([]);
});

describe('register and login ignore a bad token', () => {
  test.each(badTokens)('register with %s in the Authorization header succeeds', async (_kind, make) => {
    const username = uniqueName('reg');
    const headers = { authorization: `Bearer ${make(owner.token)}` };
    const result = await gql(servers().httpUrl, RegisterDoc, { username, password: 'password-1234' }, null, headers);
    expect(result.errors).toBeUndefined();
    expect(result.data?.register.user.username).toBe(username);
  });

  test.each(badTokens)('login with %s in the Authorization header succeeds', async (_kind, make) => {
    const headers = { authorization: `Bearer ${make(owner.token)}` };
    const result = await gql(servers().httpUrl, LoginDoc, { username: other.username, password: other.password }, null, headers);
    expect(result.errors).toBeUndefined();
    expect(result.data?.login.user.id).toBe(other.id);
  });

  test('register with a non-Bearer Authorization header succeeds', async () => {
    const headers = { authorization: 'Basic dXNlcjpwYXNz' };
    const result = await gql(servers().httpUrl, RegisterDoc, { username: uniqueName('basic'), password: 'password-1234' }, null, headers);
    expect(result.errors).toBeUndefined();
  });
});

describe('HTTP tokens', () => {
  test('the Bearer scheme is accepted in any case', async () => {
    const result = await gql(servers().httpUrl, 'query { me { id } }', {}, null, { authorization: `bearer ${owner.token}` });
    expect(result.data).toEqual({ me: { id: owner.id } });
  });

  test('a token identifies its own user: each user sees themselves as `me`', async () => {
    const [a, b] = await Promise.all([
      gql(servers().httpUrl, 'query { me { id } }', {}, owner.token),
      gql(servers().httpUrl, 'query { me { id } }', {}, other.token),
    ]);
    expect([a.data, b.data]).toEqual([{ me: { id: owner.id } }, { me: { id: other.id } }]);
  });

  test('introspection works without a token', async () => {
    const result = await gql(servers().httpUrl, '{ __schema { queryType { name } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  test('an unauthenticated error carries no stack trace or internals', async () => {
    const result = await gql(servers().httpUrl, 'query { me { id } }');
    const text = JSON.stringify(result.errors);
    expect(text).not.toMatch(/stack|at .+\.ts:\d+|jsonwebtoken|JsonWebTokenError/i);
  });
});
