import type { Client } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import { isDatabaseUnavailable } from '../../src/entities/db-errors';
import { User } from '../../src/entities/user.entity';
import { uuidv7 } from '../../src/ids';
import { createTestDatabase, productionUrls, type TestDatabase } from '../helpers/backends';
import { createRoom, send, signUp, uniqueName, type TestUser } from '../helpers/factories';
import { errorCode, gql, type GraphQLErrorJson } from '../helpers/http';
import { CreateRoomDoc, MessageAddedDoc, MessagesDoc, RegisterDoc, RoomsDoc, SendMessageDoc } from '../helpers/operations';
import { startServers, type TestServers } from '../helpers/servers';
import { proxyDatabase, type TcpProxy } from '../helpers/tcp-proxy';
import { until } from '../helpers/wait';
import { wsExecute } from '../helpers/ws-request';
import { subscribe, wsClient } from '../helpers/ws';

/**
 * PostgreSQL goes away under live servers and comes back. Requests that need the database
 * fail fast with SERVICE_UNAVAILABLE (never INTERNAL_SERVER_ERROR, never a hang or a crash),
 * /ready names the database, and everything works again without a restart.
 */

jest.setTimeout(30_000);

/** The pool gives up acquiring after 5 s and connecting after 3 s: an outage answer comes within that, with slack. */
const maxOutageAnswerMs = 8000;
const recoveryMs = 15_000;
const password = 'correct horse battery';

// The servers run in this jest process: jest fails the running test on an unhandled
// rejection or uncaught exception, so anything that would crash the service fails here.

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await fn();
  return { result, ms: Date.now() - started };
}

/** An outage answer carries the code only: no SQL, driver message, address or stack. */
function expectCleanUnavailable(errors: readonly GraphQLErrorJson[] | null | undefined): void {
  expect(errors).toHaveLength(1);
  expect(errors![0]!.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
  expect(JSON.stringify(errors)).not.toMatch(/select|insert|ECONN|terminat|127\.0\.0\.1|knex|\bat \S+:\d+/i);
}

function probe(port: number, path: '/health' | '/ready'): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`);
}

describe('PostgreSQL unreachable behind a paused proxy, then back', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let servers: TestServers;
  let alice: TestUser;
  let room: { id: string };
  let client: Client;
  const beforeOutage: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    let url: string;
    ({ proxy, url } = await proxyDatabase(productionUrls().databaseUrl, db.url));
    // Migrations run through the proxy too.
    servers = await startServers({ DATABASE_URL: url, REDIS_URL: productionUrls().redisUrl });
    alice = await signUp(servers, 'alice');
    room = await createRoom(servers, alice);
    for (const body of ['first before', 'second before']) beforeOutage.push((await send(servers, alice, room.id, body)).id);
    client = wsClient(servers.wsUrl, alice.token);
  });

  afterAll(async () => {
    await client?.dispose();
    await proxy?.resume();
    await servers?.destroy();
    await proxy?.close();
    await db?.drop();
  });

  const rooms = () => gql(servers.httpUrl, RoomsDoc, {}, alice.token);
  const history = () => gql(servers.httpUrl, MessagesDoc, { roomId: room.id, first: 100 }, alice.token);
  const sendBody = (body: string) => gql(servers.httpUrl, SendMessageDoc, { roomId: room.id, body }, alice.token);
  const register = () => gql(servers.httpUrl, RegisterDoc, { username: uniqueName('outage'), password });
  const wsRooms = () => wsExecute<{ rooms: { id: string }[] }>(client, RoomsDoc.toString(), {}, maxOutageAnswerMs + 2000);

  test('register, createRoom, sendMessage (setup), messages and a graphql-ws query work through the proxy', async () => {
    expect(alice.token).toEqual(expect.any(String));
    expect((await history()).data?.messages.edges.map((e) => e.node.id)).toEqual(beforeOutage);
    // The socket opens now, so that the outage test runs on an already-open connection.
    expect((await wsRooms()).data?.rooms.map((r) => r.id)).toEqual([room.id]);
  });

  describe('while PostgreSQL is unreachable', () => {
    beforeAll(async () => {
      await proxy.pause();
    });

    test('HTTP rooms, sendMessage, messages and register fail with SERVICE_UNAVAILABLE within 8 s', async () => {
      const outcomes = await Promise.all([timed(rooms), timed(() => sendBody('during the outage')), timed(history), timed(register)]);
      for (const { result, ms } of outcomes) {
        expect(result.status).toBe(200);
        expect(result.data ?? null).toBeNull();
        expectCleanUnavailable(result.errors);
        expect(ms).toBeLessThan(maxOutageAnswerMs);
      }
    });

    test('a query over an already-open graphql-ws socket fails with SERVICE_UNAVAILABLE within 8 s', async () => {
      const { result, ms } = await timed(wsRooms);
      expectCleanUnavailable(result.errors as GraphQLErrorJson[]);
      expect(ms).toBeLessThan(maxOutageAnswerMs);
    });

    test('a messageAdded(roomId) subscription (membership check) is refused with SERVICE_UNAVAILABLE and no data', async () => {
      const sub = subscribe(client, MessageAddedDoc, { roomId: room.id });
      const { result: results, ms } = await timed(() => sub.completed(maxOutageAnswerMs + 2000));
      expect(results).toHaveLength(1);
      expect(results[0]!.data ?? null).toBeNull();
      expectCleanUnavailable(results[0]!.errors as GraphQLErrorJson[]);
      expect(ms).toBeLessThan(maxOutageAnswerMs);
    });

    test('GET /ready answers 503 naming the database on both servers, while Redis is fine', async () => {
      for (const port of [servers.apiPort, servers.wsPort]) {
        const response = await probe(port, '/ready');
        const body = await response.json();
        expect(response.status).toBe(503);
        expect(body.status).toBe('unavailable');
        expect(body.checks.database).toEqual(expect.any(String));
        expect(body.checks.database).not.toBe('ok');
        expect(body.checks.redis).toBe('ok');
      }
    });

    test('the process survives: /health answers 200 on both servers', async () => {
      for (const port of [servers.apiPort, servers.wsPort]) expect((await probe(port, '/health')).status).toBe(200);
    });
  });

  describe('after PostgreSQL comes back', () => {
    beforeAll(async () => {
      await proxy.resume();
    });

    test('rooms, sendMessage and history work again without a restart, keeping the earlier messages', async () => {
      await until(async () => !(await rooms()).errors, 'rooms to work again', recoveryMs);
      const sent = await sendBody('after the outage');
      expect(sent.errors).toBeUndefined();
      const ids = (await history()).data?.messages.edges.map((e) => e.node.id);
      expect(ids).toEqual([...beforeOutage, sent.data!.sendMessage.id]);
    });

    test('the graphql-ws socket opened before the outage serves queries again', async () => {
      expect((await wsRooms()).data?.rooms.map((r) => r.id)).toEqual([room.id]);
    });

    test('GET /ready answers 200 again on both servers', async () => {
      for (const port of [servers.apiPort, servers.wsPort]) {
        const response = await probe(port, '/ready');
        expect(response.status).toBe(200);
        expect((await response.json()).checks).toEqual({ database: 'ok', redis: 'ok' });
      }
    });
  });

  describe('a pooled connection cut just before a write', () => {
    test('the write fails as unavailable, not as a bug (knex reports its failed BEGIN as "Transaction query already complete")', async () => {
      // Idle connections in the pool, then cut: the write gets one whose closing the
      // driver has not noticed yet, so its BEGIN fails on a dead socket.
      await Promise.all([1, 2, 3].map(() => servers.deps.orm.em.fork().getConnection().execute('select pg_sleep(0.05)')));
      await proxy.pause();
      const em = servers.deps.orm.em.fork();
      em.create(User, { id: uuidv7(), username: uniqueName('cut'), passwordHash: 'x', createdAt: new Date() });
      const error = await em.flush().then(() => null, (err: unknown) => err);
      await proxy.resume();
      expect(error).not.toBeNull();
      expect(isDatabaseUnavailable(error)).toBe(true);
    });
  });
});

describe('PostgreSQL terminates every connection of the database (pg_terminate_backend)', () => {
  let servers: TestServers;
  let alice: TestUser;
  let room: { id: string };

  beforeAll(async () => {
    servers = await startServers();
    alice = await signUp(servers, 'alice');
    room = await createRoom(servers, alice);
  });

  afterAll(async () => {
    await servers?.destroy();
  });

  /** Terminates every backend connected to this file's database; returns how many. */
  async function terminateAll(): Promise<number> {
    const admin = new PgClient({ connectionString: productionUrls().databaseUrl, connectionTimeoutMillis: 5000 });
    await admin.connect();
    try {
      const dbName = decodeURIComponent(new URL(servers.env.DATABASE_URL!).pathname.slice(1));
      const { rows } = await admin.query(
        'select pg_terminate_backend(pid) as done from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [dbName],
      );
      return rows.filter((r: { done: boolean }) => r.done).length;
    } finally {
      await admin.end();
    }
  }

  const createRoomNow = () => gql(servers.httpUrl, CreateRoomDoc, { name: uniqueName('after') }, alice.token);
  const sendNow = (body: string) => gql(servers.httpUrl, SendMessageDoc, { roomId: room.id, body }, alice.token);

  test('requests right after the termination succeed or fail with SERVICE_UNAVAILABLE, then succeed again', async () => {
    // Several pooled connections, all idle when they are terminated.
    await Promise.all([1, 2, 3, 4].map((i) => sendNow(`warm-up ${i}`)));
    expect(await terminateAll()).toBeGreaterThan(0);
    // A write first (createRoom starts with BEGIN), then reads and writes at once.
    const first = await createRoomNow();
    const burst = await Promise.all([
      sendNow('right after'),
      gql(servers.httpUrl, RoomsDoc, {}, alice.token),
      gql(servers.httpUrl, RegisterDoc, { username: uniqueName('burst'), password }),
    ]);
    for (const result of [first, ...burst]) {
      if (result.errors) expectCleanUnavailable(result.errors);
      else expect(result.data).toBeTruthy();
    }
    await until(async () => errorCode(await sendNow('recovered')) === undefined, 'sendMessage to work again', 5000);
    expect(errorCode(await createRoomNow())).toBeUndefined();
  });

  test('/ready answers 200 and /health 200 after the termination', async () => {
    for (const port of [servers.apiPort, servers.wsPort]) {
      expect((await probe(port, '/health')).status).toBe(200);
      expect((await probe(port, '/ready')).status).toBe(200);
    }
  });
});
