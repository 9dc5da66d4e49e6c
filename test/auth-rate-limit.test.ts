import { LoginDoc, MeDoc, RegisterDoc } from './helpers/operations';
import { uniqueName } from './helpers/factories';
import { errorCode, gql } from './helpers/http';
import { useServers, type TestServers } from './helpers/servers';

const password = 'correct horse battery';

function register(servers: TestServers, username = uniqueName('rl')) {
  return gql(servers.httpUrl, RegisterDoc, { username, password });
}

function login(servers: TestServers, username: string) {
  return gql(servers.httpUrl, LoginDoc, { username, password });
}

// Each describe gets its own servers, hence its own per-minute budget for 127.0.0.1.

describe('with RATE_LIMIT_AUTH_PER_MINUTE=3 (register and login per address, 3 each)', () => {
  const servers = useServers({ RATE_LIMIT_AUTH_PER_MINUTE: '3' });

  test('the 4th register fails with RATE_LIMITED and creates nothing; login has its own budget, and the 4th login fails too', async () => {
    const username = uniqueName('shared');
    const registered = await register(servers(), username);
    expect(registered.errors).toBeUndefined();
    expect((await register(servers())).errors).toBeUndefined();
    expect((await register(servers())).errors).toBeUndefined();

    const late = uniqueName('late');
    const limitedRegister = await register(servers(), late);
    expect(errorCode(limitedRegister)).toBe('RATE_LIMITED');
    expect(limitedRegister.data).toBeNull();
    expect(limitedRegister.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);

    for (let i = 0; i < 3; i++) expect((await login(servers(), username)).errors).toBeUndefined();
    // Correct credentials do not get past the limit either.
    const limitedLogin = await login(servers(), username);
    expect(errorCode(limitedLogin)).toBe('RATE_LIMITED');
    expect(limitedLogin.data).toBeNull();

    // The refused register created no account.
    const rows = await servers()
      .deps.orm.em.fork()
      .getConnection()
      .execute('select id from users where lower(username) = lower(?)', [late]);
    expect(rows).toHaveLength(0);
    // Requests that need a token are a different budget: the account keeps working.
    const me = await gql(servers().httpUrl, MeDoc, {}, registered.data!.register.token);
    expect(me.data?.me.username).toBe(username);
  });
});

describe('with default settings', () => {
  const servers = useServers();

  test('60 sign-ups in a row from one address all pass, and login still works after them', async () => {
    const usernames = Array.from({ length: 60 }, () => uniqueName('bulk'));
    for (const username of usernames) {
      const result = await register(servers(), username);
      expect({ username, errors: result.errors }).toEqual({ username, errors: undefined });
    }
    expect((await login(servers(), usernames[0]!)).errors).toBeUndefined();
  }, 30_000);
});
