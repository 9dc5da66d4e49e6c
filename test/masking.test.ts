import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Client } from 'graphql-ws';
import { Membership } from '../src/entities/membership.entity';
import { createRoom, signUp, type TestUser } from './helpers/factories';
import { gql } from './helpers/http';
import { removeDataDir, startServers, type TestServers } from './helpers/servers';
import { wsClient } from './helpers/ws';
import { wsExecute } from './helpers/ws-request';

/**
 * Unexpected errors are caused for real, by breaking the database under running servers.
 * Each describe starts its own servers, since the breakage is not undone.
 */

const roomsQuery = '{ rooms { id name members { username } } }';
const allMessages = 'subscription { messageAdded { id body } }';

/** Codes an unexpected failure may carry (the database being gone may map to SERVICE_UNAVAILABLE). */
const maskedCodes = ['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'];

/** Asserts that the errors say nothing of the failure: no SQL, no stack, no driver text. */
function expectMasked(errors: readonly { extensions?: Record<string, unknown> }[] | null | undefined): void {
  expect(errors).toHaveLength(1);
  const error = errors![0]!;
  expect(maskedCodes).toContain(error.extensions?.code);
  const text = JSON.stringify(error);
  for (const leak of [/select/i, /room_members/i, /relation/i, /acquire/i, /exception/i, /stack/i, /\.ts:\d+/, /node_modules/]) {
    expect(text).not.toMatch(leak);
  }
}

interface Harness {
  servers: TestServers;
  user: TestUser;
  client: Client;
}

/** Own servers with one user in one room and an open graphql-ws client; cleaned up in afterAll. */
function useBreakableServers(): () => Harness {
  let harness: Harness | null = null;
  beforeAll(async () => {
    const servers = await startServers();
    const user = await signUp(servers, 'mask');
    await createRoom(servers, user);
    harness = { servers, user, client: wsClient(servers.wsUrl, user.token) };
    // Prove the setup works before breaking it, so a masked error below is the breakage's.
    expect((await wsExecute(harness.client, roomsQuery)).errors).toBeUndefined();
  });
  afterAll(async () => {
    if (!harness) return;
    await harness.client.dispose();
    await harness.servers.stop();
    await removeDataDir(harness.servers.dataDir);
  });
  return () => harness!;
}

describe('with the database closed under the servers', () => {
  const h = useBreakableServers();

  beforeAll(async () => {
    await h().servers.deps.orm.close(true);
  });

  test('an HTTP query gets a masked error with no database detail', async () => {
    const result = await gql(h().servers.httpUrl, roomsQuery, {}, h().user.token);
    expect(result.data ?? null).toBeNull();
    expectMasked(result.errors);
  });

  test('a WebSocket query gets a masked error with no database detail', async () => {
    const result = await wsExecute(h().client, roomsQuery);
    expect(result.data ?? null).toBeNull();
    expectMasked(result.errors);
  });

  test('a WebSocket subscription failing at subscribe time gets a masked error', async () => {
    const result = await wsExecute(h().client, allMessages);
    expect(result.data ?? null).toBeNull();
    expectMasked(result.errors);
  });

  test('errors the client caused are still reported as such', async () => {
    // Masking hides only the unexpected: a missing token is still UNAUTHENTICATED.
    const result = await gql(h().servers.httpUrl, roomsQuery);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('with a table missing under the servers (the raw error contains SQL)', () => {
  const h = useBreakableServers();

  beforeAll(async () => {
    const em = h().servers.deps.orm.em.fork() as SqlEntityManager;
    await em.getConnection().execute('alter table "room_members" rename to "room_members_gone"');
  });

  test('the underlying error really carries SQL (what masking must hide)', async () => {
    const em = h().servers.deps.orm.em.fork();
    await expect(em.find(Membership, { user: h().user.id })).rejects.toThrow(/select .*room_members/i);
  });

  test('an HTTP query gets a masked error with no SQL', async () => {
    const result = await gql(h().servers.httpUrl, roomsQuery, {}, h().user.token);
    expectMasked(result.errors);
  });

  test('a WebSocket query gets a masked error with no SQL', async () => {
    expectMasked((await wsExecute(h().client, roomsQuery)).errors);
  });

  test('a WebSocket subscription failing at subscribe time gets a masked error with no SQL', async () => {
    expectMasked((await wsExecute(h().client, allMessages)).errors);
  });
});
