import { randomBytes } from 'node:crypto';
import { killStarted, startProcess, type ServerProcess } from '../helpers/child';
import { createRoomWith, signUp, type TestUser } from '../helpers/factories';
import { useWsClients } from '../helpers/live';
import { openSocket, PresenceDoc, presenceSubscribed, untilPresence } from '../helpers/presence';
import { makeDataDir, removeDataDir, testJwtSecret, useSecondServers, useServers } from '../helpers/servers';
import { subscribe } from '../helpers/ws';
import type { Client } from 'graphql-ws';
import { compiledEntry } from '../helpers/service-build';

/**
 * Presence across the processes of one deployment (one PostgreSQL database, one Redis):
 * a socket on one process makes its user online for every process, transitions reach
 * subscribers on every process, and the users of a process killed without closing its
 * sockets go offline once its heartbeat expires. Its own key prefix keeps this file's
 * processes apart from other test files sharing the Redis server.
 */

jest.setTimeout(40_000);

const heartbeatMs = 250;
const expiryMs = 1000;
const env = {
  REDIS_CHANNEL_PREFIX: `presence-test-${randomBytes(4).toString('hex')}:`,
  PRESENCE_HEARTBEAT_MS: String(heartbeatMs),
  PRESENCE_EXPIRY_MS: String(expiryMs),
  PRESENCE_GRACE_MS: '200',
};
const a = useServers(env);
const b = useSecondServers(a);
const openClient = useWsClients(b);
const sockets: Client[] = [];

afterAll(async () => {
  await Promise.all(sockets.map((client) => client.dispose()));
  killStarted();
});

async function aliceAndBob(): Promise<{ alice: TestUser; bob: TestUser }> {
  const [alice, bob] = [await signUp(a(), 'alice'), await signUp(a(), 'bob')];
  await createRoomWith(a(), alice, bob);
  return { alice, bob };
}

test("a user connected on process A is online when asked on B, and B's subscriber sees A's transitions", async () => {
  const { alice, bob } = await aliceAndBob();
  const aliceSees = subscribe(openClient(alice.token), PresenceDoc);
  await presenceSubscribed(b());

  const bobOnA = await openSocket(a().wsUrl, bob.token);
  sockets.push(bobOnA);

  expect((await aliceSees.next()).data?.presence).toMatchObject({ id: bob.id, online: true, lastSeenAt: null });
  expect(await untilPresence(b(), alice, bob, true)).toEqual({ online: true, lastSeenAt: null });
  await bobOnA.dispose();
  const offline = (await aliceSees.next()).data?.presence;
  expect(offline).toMatchObject({ id: bob.id, online: false });
  expect((await untilPresence(b(), alice, bob, false)).lastSeenAt).toEqual(offline?.lastSeenAt);
});

test('a reconnect to the other process within the grace keeps the user online without a transition', async () => {
  const { alice, bob } = await aliceAndBob();
  const aliceSees = subscribe(openClient(alice.token), PresenceDoc);
  await presenceSubscribed(b());
  const bobOnA = await openSocket(a().wsUrl, bob.token);
  expect((await aliceSees.next()).data?.presence).toMatchObject({ id: bob.id, online: true });

  await bobOnA.dispose();
  const bobOnB = await openSocket(b().wsUrl, bob.token);
  sockets.push(bobOnB);

  // Past A's grace: A dropped its entry, B's keeps Bob online, so nothing is sent.
  await aliceSees.expectSilence(600);
  expect(await untilPresence(a(), alice, bob, true)).toEqual({ online: true, lastSeenAt: null });
  await bobOnB.dispose();
});

describe('a killed process', () => {
  let child: ServerProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    child = startProcess(compiledEntry('src/servers/ws-main.ts'), {
      ...env,
      DATABASE_URL: a().env.DATABASE_URL!,
      REDIS_URL: a().env.REDIS_URL!,
      JWT_SECRET: testJwtSecret,
      HOST: '127.0.0.1',
      SERVER_PORT: '0',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      MIGRATE_ON_START: 'false',
    });
  });

  afterAll(async () => {
    await removeDataDir(dataDir);
  });

  test('its users go offline once its heartbeat expires, last seen at its last heartbeat', async () => {
    const line = await child.logLine((entry) => typeof entry.port === 'number', 'the listening port', 25_000);
    const { alice, bob } = await aliceAndBob();
    const aliceSees = subscribe(openClient(alice.token), PresenceDoc);
    await presenceSubscribed(b());
    sockets.push(await openSocket(`ws://127.0.0.1:${line.port as number}/graphql`, bob.token));
    expect((await aliceSees.next()).data?.presence).toMatchObject({ id: bob.id, online: true });

    process.kill(-child.child.pid!, 'SIGKILL');
    expect(await child.exited(5000)).toBeNull();
    const killedAt = Date.now();

    // Dead after the expiry; swept by the next heartbeat of A or B.
    const offline = (await aliceSees.next(expiryMs + 2 * heartbeatMs + 3000)).data?.presence;
    expect(offline).toMatchObject({ id: bob.id, online: false });
    expect(Date.parse(offline!.lastSeenAt!)).toBeLessThanOrEqual(killedAt);
    expect(await untilPresence(a(), alice, bob, false)).toEqual({ online: false, lastSeenAt: offline!.lastSeenAt });
  });
});

