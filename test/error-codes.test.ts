import type { SqlEntityManager } from '@mikro-orm/knex';
import jwt from 'jsonwebtoken';
import { createRoom, rawIdOf, signUp, type TestUser } from './helpers/factories';
import { errorCode, gql } from './helpers/http';
import { closeCodeOf, useWsClients, wsRequest } from './helpers/live';
import { captureLog } from './helpers/log-capture';
import { CreateRoomDoc, JoinRoomDoc, MeDoc, MessageAddedDoc, RoomsDoc, SendMessageDoc } from './helpers/operations';
import { totalRooms } from './helpers/room-db';
import { startServers, testJwtSecret, type TestServers } from './helpers/servers';
import { subjectOf } from './helpers/tokens';
import { subscribe } from './helpers/ws';

/**
 * Failures that are the client's, or an account's, get their own code instead of
 * INTERNAL_SERVER_ERROR; an unexpected failure is logged once, without SQL values.
 */

const log = captureLog();
let servers: TestServers;
beforeAll(async () => {
  servers = await startServers({ LOG_LEVEL: 'info' }, undefined, log);
});
afterAll(async () => {
  await servers?.destroy();
});
const open = useWsClients(() => servers);

/** A valid token for the user, signed as the service signs them, but not by this process. */
const tokenIssuedElsewhere = (token: string) =>
  jwt.sign({}, testJwtSecret, { algorithm: 'HS256', subject: subjectOf(token), expiresIn: 600 });

const execute = (sql: string, params: unknown[] = []) =>
  (servers.deps.orm.em.fork() as SqlEntityManager).getConnection().execute(sql, params);

/** Deletes the account's row behind the service's back, as an operator would; its token stays valid. */
async function deleteAccount(user: TestUser): Promise<void> {
  await execute('delete from room_members where user_id = ?', [rawIdOf(user.id)]);
  await execute('delete from users where id = ?', [rawIdOf(user.id)]);
}

test('a room name with a NUL character fails with BAD_USER_INPUT and creates nothing', async () => {
  const user = await signUp(servers, 'nul');
  const before = await totalRooms(servers);
  const result = await gql(servers.httpUrl, CreateRoomDoc, { name: 'bad\u0000name' }, user.token);
  expect(errorCode(result)).toBe('BAD_USER_INPUT');
  expect(await totalRooms(servers)).toBe(before);
});

describe('a valid token of an account that was deleted', () => {
  test('on HTTP, createRoom fails with UNAUTHENTICATED, and every later request with that token too', async () => {
    const user = await signUp(servers, 'gone');
    await deleteAccount(user);
    expect(errorCode(await gql(servers.httpUrl, CreateRoomDoc, { name: 'after deletion' }, user.token))).toBe('UNAUTHENTICATED');
    // Learned once: a query that would otherwise answer an empty list refuses the token now.
    expect(errorCode(await gql(servers.httpUrl, RoomsDoc, {}, user.token))).toBe('UNAUTHENTICATED');
  });

  test('on HTTP, sendMessage and joinRoom fail with UNAUTHENTICATED, not FORBIDDEN or INTERNAL_SERVER_ERROR', async () => {
    const owner = await signUp(servers, 'owner');
    const room = await createRoom(servers, owner);
    for (const attempt of [
      (token: string) => gql(servers.httpUrl, SendMessageDoc, { roomId: room.id, body: 'hello?' }, token),
      (token: string) => gql(servers.httpUrl, JoinRoomDoc, { roomId: room.id }, token),
      (token: string) => gql(servers.httpUrl, MeDoc, {}, token),
    ]) {
      const user = await signUp(servers, 'gone');
      await deleteAccount(user);
      expect(errorCode(await attempt(user.token))).toBe('UNAUTHENTICATED');
    }
  });

  test('over WebSocket, connection_init with it closes the socket with 4403', async () => {
    const user = await signUp(servers, 'gone');
    await deleteAccount(user);
    // A token this process did not issue (another process, days ago): the account is checked once here.
    const sub = subscribe(open(tokenIssuedElsewhere(user.token)), MessageAddedDoc, {});
    expect(await closeCodeOf(sub)).toBe(4403);
  });

  test('over WebSocket, on a socket opened before the deletion, operations fail with UNAUTHENTICATED', async () => {
    const user = await signUp(servers, 'gone');
    const client = open(user.token);
    // An open subscription keeps the (lazy) client on this one socket throughout.
    const held = subscribe(client, MessageAddedDoc, {});
    expect((await wsRequest(client, RoomsDoc)).errors).toBeUndefined();
    await deleteAccount(user);
    expect((await wsRequest(client, CreateRoomDoc, { name: 'too late' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await wsRequest(client, RoomsDoc)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await held.close();
  });

  test('a user who still exists is unaffected: served on both transports', async () => {
    const user = await signUp(servers, 'still');
    expect(errorCode(await gql(servers.httpUrl, MeDoc, {}, user.token))).toBeUndefined();
    expect((await wsRequest(open(user.token), MeDoc)).errors).toBeUndefined();
  });
});

describe('an unexpected database failure', () => {
  test('is logged once, with its SQLSTATE and constraint, and without the statement or its values', async () => {
    const user = await signUp(servers, 'logged');
    const secret = `SECRET-${Date.now()}`;
    await execute(`alter table rooms add constraint no_secrets check (name not like 'SECRET-%')`);
    try {
      const result = await gql(servers.httpUrl, CreateRoomDoc, { name: secret }, user.token);
      expect(errorCode(result)).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await execute('alter table rooms drop constraint no_secrets');
    }
    const errors = log.entries.filter((entry) => entry.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.err).toMatchObject({ code: '23514', constraint: 'no_secrets', table: 'rooms' });
    expect(log.text()).not.toContain(secret);
    expect(log.text()).not.toMatch(/insert into/i);
  });
});

describe('a document that does not parse', () => {
  const post = (query: string, accept = 'application/json') =>
    fetch(servers.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query }) });

  test('is GRAPHQL_PARSE_FAILED every time, also once the fast lane has parsed (and cached) it', async () => {
    const query = `{ nope${Date.now()}`;
    for (let i = 0; i < 2; i++) {
      const response = await post(query);
      expect([response.status, errorCode(await response.json())]).toEqual([200, 'GRAPHQL_PARSE_FAILED']);
    }
    // The GraphQL-over-HTTP media type says 400 for it.
    const strict = await post(query, 'application/graphql-response+json');
    expect([strict.status, errorCode(await strict.json())]).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
  });
});
