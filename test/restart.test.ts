import { LoginDoc, MeDoc, MessagesDoc, RoomsDoc } from './helpers/operations';
import { createRoom, send, signUp, type TestUser } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import { seedFromTemplate } from './helpers/pglite-template';
import { makeDataDir, removeDataDir, startServers, type TestServers } from './helpers/servers';
import { wsClient } from './helpers/ws';
import { wsExecute } from './helpers/ws-request';
import type { Env } from '../src/config';

/** What the first run left behind, to be found again after the restart. */
interface FirstRun {
  user: TestUser;
  roomId: string;
  bodies: string[];
  /** The cursor after the first message, taken before the restart. */
  cursor: string;
}

/** Starts servers on `dataDir`, registers a user with a room and two messages, and stops. */
async function firstRun(dataDir: string, env: Env = {}): Promise<FirstRun> {
  const servers = await startServers(env, dataDir);
  try {
    const user = await signUp(servers, 'restart');
    const room = await createRoom(servers, user);
    const bodies = ['before the restart', 'second message'];
    for (const body of bodies) await send(servers, user, room.id, body);
    const { messages } = await gqlData(servers.httpUrl, MessagesDoc, { roomId: room.id, first: 1 }, user.token);
    return { user, roomId: room.id, bodies, cursor: messages.pageInfo.endCursor! };
  } finally {
    await servers.stop();
  }
}

describe('restart on the same DATA_DIR with the same JWT_SECRET', () => {
  let dataDir: string;
  let before: FirstRun;
  let servers: TestServers | null = null;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    before = await firstRun(dataDir);
    servers = await startServers({}, dataDir);
  });

  afterAll(async () => {
    await servers?.stop();
    await removeDataDir(dataDir);
  });

  test('login with the same username and password works', async () => {
    const { login } = await gqlData(servers!.httpUrl, LoginDoc, { username: before.user.username, password: before.user.password });
    expect(login.user.id).toBe(before.user.id);
  });

  test('the token issued before the restart still works over HTTP', async () => {
    const { me } = await gqlData(servers!.httpUrl, MeDoc, {}, before.user.token);
    expect(me).toMatchObject({ id: before.user.id, username: before.user.username });
  });

  test('the token issued before the restart still works over WebSocket', async () => {
    const client = wsClient(servers!.wsUrl, before.user.token);
    try {
      const result = await wsExecute<{ me: { id: string } }>(client, '{ me { id } }');
      expect(result.data?.me.id).toBe(before.user.id);
    } finally {
      await client.dispose();
    }
  });

  test('rooms and message history are intact', async () => {
    const { rooms } = await gqlData(servers!.httpUrl, RoomsDoc, {}, before.user.token);
    expect(rooms.map((r) => r.id)).toEqual([before.roomId]);
    const { messages } = await gqlData(servers!.httpUrl, MessagesDoc, { roomId: before.roomId }, before.user.token);
    expect(messages.edges.map((e) => e.node.body)).toEqual(before.bodies);
  });

  test('a message sent after the restart follows the old history; a cursor from before still pages', async () => {
    await send(servers!, before.user, before.roomId, 'after the restart');
    const next = await gqlData(
      servers!.httpUrl,
      MessagesDoc,
      { roomId: before.roomId, first: 10, after: before.cursor },
      before.user.token,
    );
    expect(next.messages.edges.map((e) => e.node.body)).toEqual([before.bodies[1], 'after the restart']);
  });

  test('the username is still taken (CONFLICT) after the restart', async () => {
    const result = await gql(
      servers!.httpUrl,
      'mutation ($u: String!) { register(username: $u, password: "another password") { token } }',
      { u: before.user.username.toUpperCase() },
    );
    expect(errorCode(result)).toBe('CONFLICT');
  });
});

describe('restart without JWT_SECRET', () => {
  // An empty value counts as unset, so the secret is generated into DATA_DIR.
  const noSecret: Env = { JWT_SECRET: '' };
  let dataDir: string;
  let before: FirstRun;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    // Migrated already (the describe above starts on an empty directory): this one is about the secret.
    await seedFromTemplate(dataDir);
    before = await firstRun(dataDir, noSecret);
  });

  afterAll(async () => {
    await removeDataDir(dataDir);
  });

  test('a token survives the restart because the generated secret is kept in DATA_DIR', async () => {
    const servers = await startServers(noSecret, dataDir);
    try {
      const { me } = await gqlData(servers.httpUrl, MeDoc, {}, before.user.token);
      expect(me.id).toBe(before.user.id);
    } finally {
      await servers.stop();
    }
  });

  test('a different JWT_SECRET makes old tokens UNAUTHENTICATED but keeps the data', async () => {
    const servers = await startServers({ JWT_SECRET: 'a-completely-different-secret-of-enough-length' }, dataDir);
    try {
      expect(errorCode(await gql(servers.httpUrl, MeDoc, {}, before.user.token))).toBe('UNAUTHENTICATED');
      const { login } = await gqlData(servers.httpUrl, LoginDoc, { username: before.user.username, password: before.user.password });
      const { messages } = await gqlData(servers.httpUrl, MessagesDoc, { roomId: before.roomId }, login.token);
      expect(messages.edges.map((e) => e.node.body)).toEqual(before.bodies);
    } finally {
      await servers.stop();
    }
  });
});
