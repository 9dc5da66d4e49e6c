import jwt from 'jsonwebtoken';
import { LoginDoc, RegisterDoc } from './helpers/operations';
import { uniqueName } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import { useServers } from './helpers/servers';

const servers = useServers();
const password = 'correct horse battery';

function register(username: string, pass = password) {
  return gql(servers().httpUrl, RegisterDoc, { username, password: pass });
}

function login(username: string, pass = password) {
  return gql(servers().httpUrl, LoginDoc, { username, password: pass });
}

/** Rows of `users` whose name matches case-insensitively, read straight from the database. */
async function userRows(username: string): Promise<{ username: string; password_hash: string }[]> {
  const em = servers().deps.orm.em.fork();
  return em
    .getConnection()
    .execute('select username, password_hash from users where lower(username) = lower(?)', [username]);
}

/** A unique valid name of exactly `length` characters. */
function nameOfLength(length: number): string {
  return uniqueName('n').padEnd(length, 'x').slice(0, length);
}

describe('register', () => {
  test('register returns a token, a future expiresAt and the new user', async () => {
    const username = uniqueName('reg');
    const before = Date.now();
    const { register: payload } = await gqlData(servers().httpUrl, RegisterDoc, { username, password });
    expect(payload.token).toEqual(expect.any(String));
    expect(Date.parse(payload.expiresAt)).toBeGreaterThan(Date.now());
    expect(payload.user).toEqual({ id: expect.any(String), username, createdAt: expect.any(String) });
    // createdAt is a real timestamp of this request (database precision is milliseconds).
    const createdAt = Date.parse(payload.user.createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(createdAt).toBeLessThanOrEqual(Date.now() + 1000);
  });

  test('expiresAt is the expiry the token itself carries', async () => {
    const { register: payload } = await gqlData(servers().httpUrl, RegisterDoc, { username: uniqueName('exp'), password });
    const claims = jwt.decode(payload.token) as jwt.JwtPayload;
    expect(Date.parse(payload.expiresAt)).toBe(claims.exp! * 1000);
  });

  test.each([
    ['a too short username (2 characters)', 'ab'],
    ['a too long username (33 characters)', 'a'.repeat(33)],
    ['an empty username', ''],
    ['a username with a space', 'bad name'],
    ['a username with an @', 'bad@name'],
    ['a username with a slash', 'bad/name'],
    ['a username with non-ASCII letters', 'ünïcödé'],
    ['a username with an emoji', 'name😀x'],
    ['a username with a trailing newline', 'goodname\n'],
  ])('register with %s fails with BAD_USER_INPUT', async (_why, username) => {
    expect(errorCode(await register(username))).toBe('BAD_USER_INPUT');
  });

  test.each([3, 32])('a username of exactly %i characters is accepted', async (length) => {
    const username = nameOfLength(length);
    const result = await register(username);
    expect(result.errors).toBeUndefined();
    expect(result.data?.register.user.username).toBe(username);
  });

  test('a username may use letters, digits, "_", "." and "-"', async () => {
    const username = `Ab9_.-${uniqueName('ok')}`.slice(0, 32);
    expect((await register(username)).data?.register.user.username).toBe(username);
  });

  test.each([
    ['a password of 7 characters', 'x'.repeat(7)],
    ['a password of 129 characters', 'x'.repeat(129)],
    ['an empty password', ''],
    // Length counts characters, not UTF-16 units: 7 emoji are 14 units but still 7 characters.
    ['a password of 7 emoji', '😀'.repeat(7)],
  ])('register with %s fails with BAD_USER_INPUT', async (_why, pass) => {
    expect(errorCode(await register(uniqueName('pw'), pass))).toBe('BAD_USER_INPUT');
  });

  test.each([
    ['8 characters', 'x'.repeat(8)],
    ['128 characters', 'y'.repeat(128)],
    ['128 emoji', '😀'.repeat(128)],
  ])('a password of %s is accepted and works for login', async (_why, pass) => {
    const username = uniqueName('pw');
    expect((await register(username, pass)).errors).toBeUndefined();
    expect((await login(username, pass)).errors).toBeUndefined();
  });

  test('a register refused with BAD_USER_INPUT creates no account', async () => {
    const username = uniqueName('nothing');
    expect(errorCode(await register(username, 'short'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await login(username, 'short'))).toBe('UNAUTHENTICATED');
    expect(await userRows(username)).toHaveLength(0);
    // The name was not reserved either: a valid attempt still gets it.
    expect((await register(username)).errors).toBeUndefined();
  });
});

describe('username uniqueness', () => {
  test('the same username twice fails with CONFLICT', async () => {
    const username = uniqueName('dup');
    await gqlData(servers().httpUrl, RegisterDoc, { username, password });
    expect(errorCode(await register(username, 'another password'))).toBe('CONFLICT');
  });

  test('a username differing only in case fails with CONFLICT', async () => {
    const username = `Alice_${uniqueName('c')}`;
    await gqlData(servers().httpUrl, RegisterDoc, { username, password });
    expect(errorCode(await register(username.toLowerCase()))).toBe('CONFLICT');
    expect(errorCode(await register(username.toUpperCase()))).toBe('CONFLICT');
    expect(await userRows(username)).toHaveLength(1);
  });

  test('8 concurrent registers of one name in different cases: exactly one succeeds, the rest get CONFLICT', async () => {
    const base = `abcdefgh_${uniqueName('r')}`;
    // Variant i upper-cases letter i, so every attempt spells the name differently.
    const attempts = Array.from({ length: 8 }, (_, i) => ({
      username: base.slice(0, i) + base[i]!.toUpperCase() + base.slice(i + 1),
      password: `password-of-racer-${i}`,
    }));
    const results = await Promise.all(attempts.map((a) => register(a.username, a.password)));

    const winners = results.flatMap((r, i) => (r.data?.register ? [i] : []));
    expect(winners).toHaveLength(1);
    const losers = results.filter((_, i) => i !== winners[0]);
    expect(losers.map(errorCode)).toEqual(Array(7).fill('CONFLICT'));
    expect(await userRows(base)).toHaveLength(1);

    // The stored account is the winner's: its password logs in (under any case), a loser's does not.
    const winner = attempts[winners[0]!]!;
    const loggedIn = await login(base.toUpperCase(), winner.password);
    expect(loggedIn.data?.login.user.username).toBe(winner.username);
    const loser = attempts.find((a) => a !== winner)!;
    expect(errorCode(await login(base, loser.password))).toBe('UNAUTHENTICATED');
  });
});

describe('password storage', () => {
  test('the password is stored only as an argon2id hash', async () => {
    const username = uniqueName('hash');
    const secret = 'a very distinctive passphrase 42';
    await gqlData(servers().httpUrl, RegisterDoc, { username, password: secret });
    const rows = await userRows(username);
    expect(rows).toHaveLength(1);
    const hash = rows[0]!.password_hash;
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(hash).not.toContain(secret);
  });

  test('two users with the same password get different hashes (salted)', async () => {
    const [a, b] = [uniqueName('salt'), uniqueName('salt')];
    await gqlData(servers().httpUrl, RegisterDoc, { username: a, password });
    await gqlData(servers().httpUrl, RegisterDoc, { username: b, password });
    const [[rowA], [rowB]] = await Promise.all([userRows(a), userRows(b)]);
    expect(rowA!.password_hash).not.toBe(rowB!.password_hash);
  });

  test('register never returns the password or its hash', async () => {
    const secret = 'another distinctive passphrase';
    const result = await register(uniqueName('leak'), secret);
    const text = JSON.stringify(result);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('$argon2');
  });
});
