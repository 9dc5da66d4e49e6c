import type { Client } from 'graphql-ws';
import { createTestDatabase, productionUrls, type TestDatabase } from '../helpers/backends';
import { createRoom, send, signUp, uniqueName, type TestUser } from '../helpers/factories';
import { gql, type GraphQLErrorJson } from '../helpers/http';
import { CreateRoomDoc, JoinRoomDoc, MeDoc, MessagesDoc, RegisterDoc, RoomsDoc, SendMessageDoc } from '../helpers/operations';
import { startServers, type TestServers } from '../helpers/servers';
import { proxyDatabase, type TcpProxy } from '../helpers/tcp-proxy';
import { wsExecute } from '../helpers/ws-request';
import { wsClient } from '../helpers/ws';

/**
 * PostgreSQL stops answering without closing anything (a network partition: the sockets
 * stay open, no byte comes back). Requests must end with SERVICE_UNAVAILABLE within
 * DB_QUERY_TIMEOUT_MS plus a margin, never INTERNAL_SERVER_ERROR and never a hang.
 */

jest.setTimeout(60_000);

const queryTimeoutMs = 1500;
/** The pool's acquire timeout (5 s, orm.ts) bounds a request queued behind stalled connections. */
const maxAnswerMs = 5000 + queryTimeoutMs + 1500;

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await fn();
  return { result, ms: Date.now() - started };
}

describe('PostgreSQL silent behind a stalled proxy', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let servers: TestServers;
  let alice: TestUser;
  let room: { id: string };
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    let url: string;
    ({ proxy, url } = await proxyDatabase(productionUrls().databaseUrl, db.url));
    servers = await startServers({
      DATABASE_URL: url,
      REDIS_URL: productionUrls().redisUrl,
      DB_QUERY_TIMEOUT_MS: String(queryTimeoutMs),
    });
    alice = await signUp(servers, 'alice');
    room = await createRoom(servers, alice);
    await send(servers, alice, room.id, 'before the silence');
    client = wsClient(servers.wsUrl, alice.token);
    expect((await wsExecute(client, RoomsDoc.toString())).errors).toBeUndefined();
    proxy.stall();
  });

  afterAll(async () => {
    await client?.dispose();
    await proxy?.pause();
    await servers?.destroy();
    await proxy?.close();
    await db?.drop();
  });

  const unavailable = (errors: readonly GraphQLErrorJson[] | null | undefined) => {
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
  };

  test('HTTP rooms, sendMessage, messages and register end with SERVICE_UNAVAILABLE within the query timeout plus a margin', async () => {
    const outcomes = await Promise.all([
      timed(() => gql(servers.httpUrl, RoomsDoc, {}, alice.token)),
      timed(() => gql(servers.httpUrl, SendMessageDoc, { roomId: room.id, body: 'into the void' }, alice.token)),
      timed(() => gql(servers.httpUrl, MessagesDoc, { roomId: room.id, first: 10 }, alice.token)),
      timed(() => gql(servers.httpUrl, RegisterDoc, { username: uniqueName('silent'), password: 'correct horse battery' })),
    ]);
    for (const { result, ms } of outcomes) {
      unavailable(result.errors);
      expect(ms).toBeLessThan(maxAnswerMs);
    }
  });

  test('a second round, writes in transactions included, ends with SERVICE_UNAVAILABLE within the bound too', async () => {
    // The first round left every pooled connection with a timed-out query: they must not poison what follows.
    const outcomes = await Promise.all([
      timed(() => gql(servers.httpUrl, CreateRoomDoc, { name: 'quiet room' }, alice.token)),
      timed(() => gql(servers.httpUrl, JoinRoomDoc, { roomId: room.id }, alice.token)),
      timed(() => gql(servers.httpUrl, SendMessageDoc, { roomId: room.id, body: 'again' }, alice.token)),
      timed(() => gql(servers.httpUrl, MeDoc, {}, alice.token)),
      timed(() => gql(servers.httpUrl, RoomsDoc, {}, alice.token)),
    ]);
    for (const { result, ms } of outcomes) {
      unavailable(result.errors);
      expect(ms).toBeLessThan(maxAnswerMs);
    }
  });

  test('a query over an open graphql-ws socket ends with SERVICE_UNAVAILABLE within the bound', async () => {
    const { result, ms } = await timed(() => wsExecute(client, RoomsDoc.toString(), {}, maxAnswerMs + 2000));
    unavailable(result.errors as GraphQLErrorJson[]);
    expect(ms).toBeLessThan(maxAnswerMs);
  });

  test('meanwhile a request that needs no database is served at once', async () => {
    const { result, ms } = await timed(() => gql(servers.httpUrl, '{ __typename }'));
    expect(result.data).toEqual({ __typename: 'Query' });
    expect(ms).toBeLessThan(1000);
  });
});
