import type { Client } from 'graphql-ws';
import { createTestDatabase, productionUrls, type TestDatabase } from '../helpers/backends';
import { killStarted, startProcess, type ServerProcess } from '../helpers/child';
import { createRoom, joinRoom, signUp, type TestUser } from '../helpers/factories';
import { gqlData } from '../helpers/http';
import { startRedisProcess, type RedisProcess } from '../helpers/redis-process';
import {
  collect,
  contiguousFrom,
  HistoryStateDoc,
  httpRun,
  positionOf,
  roomChurn,
  RoomEventsStateDoc,
  senderLoop,
  sendState,
  type Collector,
  type MessageState,
  type StateEvent,
} from '../helpers/resume';
import { makeDataDir, removeDataDir, startServers, type TestServers } from '../helpers/servers';
import { until } from '../helpers/wait';
import { wsClient } from '../helpers/ws';
import { compiledEntry } from '../helpers/service-build';

/**
 * Issue 9, item 2, across processes: clients follow `roomEvents` on one WebSocket process
 * while a sender keeps changing the room; the process is killed (SIGKILL), and each client
 * reconnects to another process with the last cursor it has. Every event arrives exactly
 * once, in order: the positions a client saw, over both connections, are contiguous. The
 * same after a Redis crash and restart, which loses every live event published meanwhile.
 */

jest.setTimeout(20_000);

// Three processes compile TypeScript and race for the migration lock: generous on a busy machine.
const startupMs = 25_000;

type History = { messages: { edges: { node: MessageState }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

/** The room's messages as history shows them now, oldest first (the log's final state). */
async function historyOf(httpUrl: string, user: TestUser, roomId: string): Promise<MessageState[]> {
  const messages: MessageState[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page: History = await gqlData<History, unknown>(httpUrl, HistoryStateDoc, { roomId, first: 100, after }, user.token);
    messages.push(...page.messages.edges.map((edge) => edge.node));
    if (!page.messages.pageInfo.hasNextPage) return messages;
    after = page.messages.pageInfo.endCursor;
  }
  throw new Error('more than 50 pages of history');
}

/**
 * One client of the room: the events it received over every connection so far, and the
 * connection it has now. `resume` opens a new one after the last event it has.
 */
class Reader {
  readonly received: StateEvent[] = [];
  private client: Client | null = null;
  private events: Collector<StateEvent> | null = null;
  private readonly clients: Client[] = [];

  constructor(
    readonly user: TestUser,
    private readonly roomId: string,
    readonly from: string,
  ) {}

  /** Subscribes on `wsUrl` after the last event received (or `from`). */
  connect(wsUrl: string): void {
    this.harvest();
    this.client = wsClient(wsUrl, this.user.token);
    this.clients.push(this.client);
    this.events = collect<StateEvent>(this.client, RoomEventsStateDoc, { roomId: this.roomId, after: this.lastCursor }, 'roomEvents');
  }

  get lastCursor(): string {
    return this.all().at(-1)?.cursor ?? this.from;
  }

  /** Every event so far, over every connection, in arrival order. */
  all(): StateEvent[] {
    return [...this.received, ...(this.events?.results ?? [])];
  }

  get connection(): Collector<StateEvent> {
    return this.events!;
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.dispose()));
  }

  /** Keeps what the ended connection delivered. */
  private harvest(): void {
    if (this.events) this.received.push(...this.events.results);
    this.events = null;
  }
}

/**
 * Asserts what the issue asks: every event once, in order (positions contiguous from the
 * cursor to the log's last one), and the final state equal to the log: the last event of
 * each message shows it as history does now.
 */
function expectCompleteAndInOrder(reader: Reader, log: MessageState[], lastPosition: number): void {
  const events = reader.all();
  const first = positionOf(reader.from) + 1;
  expect(contiguousFrom(first, events.map((e) => positionOf(e.cursor)))).toBe(true);
  expect(positionOf(events.at(-1)!.cursor)).toBe(lastPosition);
  const finalState = new Map(events.map((e) => [e.message.id, e.message]));
  const changed = log.filter((m) => positionOf(m.cursor) >= first);
  expect(changed.map((m) => finalState.get(m.id))).toEqual(changed);
}

/** The kinds of event a reader saw: the churn makes every kind. */
const kindsOf = (reader: Reader) => new Set(reader.all().map((e) => e.kind));
const everyKind = new Set(['MESSAGE_ADDED', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'REACTIONS_CHANGED']);

describe('a WebSocket process killed while the room keeps changing', () => {
  let database: TestDatabase;
  let dataDir: string;
  let apiPort: number;
  let wsA: { proc: ServerProcess; port: number };
  let wsB: { proc: ServerProcess; port: number };
  let alice: TestUser;
  let room: { id: string };
  const readers: Reader[] = [];

  const httpUrl = () => `http://127.0.0.1:${apiPort}/graphql`;
  const wsUrl = (port: number) => `ws://127.0.0.1:${port}/graphql`;

  async function started(proc: ServerProcess) {
    const line = await proc.logLine((e) => typeof e.port === 'number', 'the listening port', startupMs);
    return { proc, port: line.port as number };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await makeDataDir();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: productionUrls().redisUrl,
      JWT_SECRET: 'resume-failover-test-secret-shared-by-all-processes',
      HOST: '127.0.0.1',
      API_PORT: '0',
      SERVER_PORT: '0',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
      MAX_FRAMES_PER_SOCKET_PER_SECOND: '0',
    };
    const [api, a, b] = await Promise.all(
      ['src/servers/api-main.ts', 'src/servers/ws-main.ts', 'src/servers/ws-main.ts'].map((entry) => started(startProcess(compiledEntry(entry), env))),
    );
    [apiPort, wsA, wsB] = [api!.port, a!, b!];
    alice = await signUp({ httpUrl: httpUrl() }, 'alice');
    room = await createRoom({ httpUrl: httpUrl() }, alice);
  }, startupMs * 2);

  afterAll(async () => {
    await Promise.allSettled(readers.map((r) => r.dispose()));
    killStarted();
    await database?.drop();
    if (dataDir) await removeDataDir(dataDir);
  });

  test('every client reconnected to the other process with its last cursor has every event once, in order', async () => {
    const run = httpRun(httpUrl(), alice.token);
    const start = await sendState(run, room.id, 'before anyone subscribed');
    for (let i = 0; i < 6; i++) {
      const user = await signUp({ httpUrl: httpUrl() }, `reader${i}`);
      await joinRoom({ httpUrl: httpUrl() }, user, room.id);
      // Subscribing after a cursor: what is sent before the subscription is live is read from the log.
      readers.push(new Reader(user, room.id, start.cursor));
    }
    readers.forEach((r) => r.connect(wsUrl(wsA.port)));

    const sender = senderLoop(roomChurn(run, room.id));
    try {
      await until(() => sender.sent.length >= 30 && readers.every((r) => r.all().length >= 20), 'the readers to follow live on process A', 10_000);
      const killedAt = sender.sent.length;
      process.kill(-wsA.proc.child.pid!, 'SIGKILL');
      expect(await wsA.proc.exited(5000)).toBeNull();
      await until(() => readers.every((r) => r.connection.ended !== null), 'every connection to process A to end');
      readers.forEach((r) => r.connect(wsUrl(wsB.port)));
      await until(() => sender.sent.length >= killedAt + 40, 'changes made around the failover', 10_000);
    } finally {
      await sender.stop();
    }

    // Sent after every other change returned: its position is the log's last.
    const lastPosition = positionOf((await sendState(run, room.id, 'the end')).cursor);
    const log = await historyOf(httpUrl(), alice, room.id);
    for (const reader of readers) {
      await reader.connection.until((r) => r.some((e) => positionOf(e.cursor) === lastPosition), 'the last event on process B');
      // Each saw part of the churn on A and the rest, read back then live, on B.
      expect(reader.received.length).toBeGreaterThan(0);
      expect(reader.connection.results.length).toBeGreaterThan(0);
    }
    // A duplicate would arrive late.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const reader of readers) expectCompleteAndInOrder(reader, log, lastPosition);
    for (const reader of readers) expect(kindsOf(reader)).toEqual(everyKind);
  });
});

describe('resuming across a Redis crash and restart', () => {
  let redis: RedisProcess;
  let servers: TestServers;
  let alice: TestUser;
  let room: { id: string };
  const readers: Reader[] = [];

  beforeAll(async () => {
    redis = await startRedisProcess();
    servers = await startServers({ REDIS_URL: redis.url, RATE_LIMIT_MESSAGES_PER_MINUTE: '0', MAX_FRAMES_PER_SOCKET_PER_SECOND: '0' });
    alice = await signUp(servers, 'alice');
    room = await createRoom(servers, alice);
  });

  afterAll(async () => {
    await Promise.allSettled(readers.map((r) => r.dispose()));
    await servers?.destroy();
    await redis?.kill();
  });

  test('clients that stay, that resume during the outage and that resume after it get every event once, in order', async () => {
    const run = httpRun(servers.httpUrl, alice.token);
    const start = await sendState(run, room.id, 'before anyone subscribed');
    const [bob, carol] = [await signUp(servers, 'bob'), await signUp(servers, 'carol')];
    for (const user of [bob, carol]) await joinRoom(servers, user, room.id);
    // Bob's second device resumes during the outage: his topics are followed in this
    // process by his first one, so it needs no new Redis channel (a new one would wait
    // for Redis and fail with SERVICE_UNAVAILABLE: see redis-restart.test.ts).
    const [stays, resumesDuring, resumesAfter] = [bob, bob, carol].map((user) => new Reader(user, room.id, start.cursor)) as [Reader, Reader, Reader];
    readers.push(stays, resumesDuring, resumesAfter);
    readers.forEach((r) => r.connect(servers.wsUrl));

    const sender = senderLoop(roomChurn(run, room.id));
    try {
      await until(() => sender.sent.length >= 20 && readers.every((r) => r.all().length >= 10), 'the readers to follow live', 10_000);
      await redis.kill();
      // Their sockets drop (a phone losing its network); they come back with their last cursor.
      await resumesDuring.dispose();
      await resumesAfter.dispose();
      const killedAt = sender.sent.length;
      await until(() => sender.sent.length >= killedAt + 20, 'messages sent while Redis is down');
      // The room's topic is still followed in this process (by `stays`): no new Redis channel is needed.
      resumesDuring.connect(servers.wsUrl);
      await until(() => sender.sent.length >= killedAt + 40, 'more messages while Redis is down');
      await redis.restart();
      resumesAfter.connect(servers.wsUrl);
      const restartedAt = sender.sent.length;
      await until(() => sender.sent.length >= restartedAt + 20, 'messages after the restart', 10_000);
    } finally {
      await sender.stop();
    }

    const lastPosition = positionOf((await sendState(run, room.id, 'the end')).cursor);
    const log = await historyOf(servers.httpUrl, alice, room.id);
    for (const reader of readers) {
      await reader.connection.until((r) => r.some((e) => positionOf(e.cursor) === lastPosition), 'the last event', 10_000);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const reader of readers) expectCompleteAndInOrder(reader, log, lastPosition);
    for (const reader of readers) expect(kindsOf(reader)).toEqual(everyKind);
    expect(stays.received).toEqual([]);
    expect(servers.deps.bus.stats().publishFailures).toBeGreaterThan(0);
  });
});
