import { toGlobalId, uuidv7 } from '../src/ids';
import { LoginDoc, MeDoc, NodeDoc, RegisterDoc, UserByUsernameDoc } from './helpers/operations';
import { signUp, uniqueName, type TestUser } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import { useServers } from './helpers/servers';

const servers = useServers();

function login(username: string, password: string) {
  return gql(servers().httpUrl, LoginDoc, { username, password });
}

let alice: TestUser;
beforeAll(async () => {
  alice = await signUp(servers(), 'Alice');
});

describe('login', () => {
  test('login with the right password returns a token that works for `me`', async () => {
    const { login: payload } = await gqlData(servers().httpUrl, LoginDoc, { username: alice.username, password: alice.password });
    expect(payload.user).toEqual({ id: alice.id, username: alice.username, createdAt: expect.any(String) });
    expect(Date.parse(payload.expiresAt)).toBeGreaterThan(Date.now());
    const { me } = await gqlData(servers().httpUrl, MeDoc, {}, payload.token);
    expect(me.id).toBe(alice.id);
  });

  test('login ignores the case of the username and returns the name as registered', async () => {
    for (const spelling of [alice.username.toLowerCase(), alice.username.toUpperCase()]) {
      const result = await login(spelling, alice.password);
      expect(result.data?.login.user).toMatchObject({ id: alice.id, username: alice.username });
    }
  });

  test('login with a wrong password fails with UNAUTHENTICATED', async () => {
    const result = await login(alice.username, 'not the password');
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect(result.data).toBeNull();
  });

  test('login does not accept the password in another case', async () => {
    expect(errorCode(await login(alice.username, alice.password.toUpperCase()))).toBe('UNAUTHENTICATED');
  });

  test('an unknown user and a wrong password fail with the same code and message', async () => {
    const wrongPassword = await login(alice.username, 'not the password');
    const unknownUser = await login(uniqueName('ghost'), alice.password);
    expect(errorCode(unknownUser)).toBe('UNAUTHENTICATED');
    // One message for both, so that nobody can probe which usernames exist.
    expect(unknownUser.errors?.[0]?.message).toBe(wrongPassword.errors?.[0]?.message);
  });

  test('login with a username of invalid shape fails with UNAUTHENTICATED, like any unknown user', async () => {
    for (const username of ['x', 'a'.repeat(200), 'bad name']) {
      expect(errorCode(await login(username, alice.password))).toBe('UNAUTHENTICATED');
    }
  });
});

describe('me, userByUsername and node', () => {
  test('`me` returns the signed-in user as register returned it', async () => {
    const username = uniqueName('me');
    const { register } = await gqlData(servers().httpUrl, RegisterDoc, { username, password: 'password-for-me' });
    const { me } = await gqlData(servers().httpUrl, MeDoc, {}, register.token);
    expect(me).toEqual(register.user);
  });

  test('`me` with a valid token of a user that does not exist fails with UNAUTHENTICATED', async () => {
    // A well-signed token whose subject is nobody: issued by the server's own token service.
    const { token } = servers().deps.tokens.issue(uuidv7(), uuidv7());
    expect(errorCode(await gql(servers().httpUrl, MeDoc, {}, token))).toBe('UNAUTHENTICATED');
  });

  test('userByUsername finds a user case-insensitively', async () => {
    const bob = await signUp(servers(), 'Bob');
    for (const spelling of [bob.username, bob.username.toUpperCase(), bob.username.toLowerCase()]) {
      const { userByUsername } = await gqlData(servers().httpUrl, UserByUsernameDoc, { username: spelling }, alice.token);
      expect(userByUsername).toMatchObject({ id: bob.id, username: bob.username });
    }
  });

  test('userByUsername of an unknown name returns null without an error', async () => {
    const result = await gql(servers().httpUrl, UserByUsernameDoc, { username: uniqueName('nobody') }, alice.token);
    expect(result.errors).toBeUndefined();
    expect(result.data?.userByUsername).toBeNull();
  });

  test('node(id) of a user returns that User', async () => {
    const { node } = await gqlData(servers().httpUrl, NodeDoc, { id: alice.id }, alice.token);
    expect(node).toEqual({ __typename: 'User', id: alice.id, username: alice.username });
  });

  test('node(id) of another user is readable too', async () => {
    const carol = await signUp(servers(), 'carol');
    const { node } = await gqlData(servers().httpUrl, NodeDoc, { id: carol.id }, alice.token);
    expect(node).toMatchObject({ __typename: 'User', id: carol.id, username: carol.username });
  });

  test.each([
    ['a garbage id', 'garbage!!'],
    ['an empty id', ''],
    ['a well-formed id of a user that does not exist', toGlobalId('User', uuidv7())],
    ['an id of an unknown type', Buffer.from(`Secret:${uuidv7()}`).toString('base64url')],
    ['an overlong id', 'A'.repeat(5000)],
  ])('node with %s fails with NOT_FOUND', async (_why, id) => {
    const result = await gql(servers().httpUrl, NodeDoc, { id }, alice.token);
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(result.data?.node ?? null).toBeNull();
  });
});
