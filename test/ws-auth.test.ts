import WebSocket from 'ws';
import { CreateRoomDoc, MeDoc, RoomsDoc } from './helpers/operations';
import { signUp, uniqueName, type TestUser } from './helpers/factories';
import { gqlData } from './helpers/http';
import { useServers } from './helpers/servers';
import { badTokens } from './helpers/tokens';
import { withTimeout } from './helpers/wait';
import { subscribe, wsClient } from './helpers/ws';

const servers = useServers();

let alice: TestUser;
beforeAll(async () => {
  alice = await signUp(servers(), 'alice');
});

interface InitOutcome {
  /** Message types the server sent before closing (a rejected init gets none). */
  received: string[];
  closeCode: number;
}

/**
 * Opens a raw graphql-transport-ws socket, sends `connection_init` (with `payload` unless
 * it is undefined) and reports how the server closed it. Resolves only on close.
 */
function initAndAwaitClose(url: string, payload?: unknown): Promise<InitOutcome> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const received: string[] = [];
  const closed = new Promise<InitOutcome>((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload })));
    socket.on('message', (data) => received.push(JSON.parse(String(data)).type));
    socket.on('close', (closeCode) => resolve({ received, closeCode }));
    socket.on('error', reject);
  });
  return withTimeout(closed, 5000, 'the server to close the socket').finally(() => socket.terminate());
}

/** Runs `me` through the real graphql-ws client with the given connection_init payload. */
async function meOverWs(connectionParams: Record<string, unknown>) {
  const client = wsClient(servers().wsUrl, null, connectionParams);
  try {
    const sub = subscribe(client, MeDoc);
    const result = await sub.next();
    await sub.close();
    return result;
  } finally {
    await client.dispose();
  }
}

describe('accepted connection_init payloads', () => {
  test.each([
    ['{ token }', (t: string) => ({ token: t })],
    ['{ Authorization: "Bearer …" }', (t: string) => ({ Authorization: `Bearer ${t}` })],
    ['{ authorization: "Bearer …" }', (t: string) => ({ authorization: `Bearer ${t}` })],
    ['{ AUTHORIZATION: "Bearer …" }', (t: string) => ({ AUTHORIZATION: `Bearer ${t}` })],
  ])('%s authenticates the socket and `me` returns its user', async (_form, params) => {
    const result = await meOverWs(params(alice.token));
    expect(result.errors).toBeUndefined();
    expect(result.data?.me).toMatchObject({ id: alice.id, username: alice.username });
  });

  test('a valid connection_init is acknowledged on a raw socket', async () => {
    const socket = new WebSocket(servers().wsUrl, 'graphql-transport-ws');
    try {
      const ack = new Promise<string>((resolve, reject) => {
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token: alice.token } })));
        socket.on('message', (data) => resolve(JSON.parse(String(data)).type));
        socket.on('close', (code) => reject(new Error(`closed with ${code}`)));
      });
      expect(await withTimeout(ack, 5000, 'connection_ack')).toBe('connection_ack');
    } finally {
      socket.close(1000);
    }
  });

  test('a mutation over an authenticated socket acts as the token\'s user', async () => {
    const name = uniqueName('wsroom');
    const client = wsClient(servers().wsUrl, alice.token);
    try {
      const result = await subscribe(client, CreateRoomDoc, { name }).next();
      expect(result.data?.createRoom.members.map((m) => m.id)).toEqual([alice.id]);
    } finally {
      await client.dispose();
    }
  });
});

describe('rejected connection_init payloads', () => {
  test('connection_init without a payload closes the socket with 4403 and no ack', async () => {
    expect(await initAndAwaitClose(servers().wsUrl)).toEqual({ received: [], closeCode: 4403 });
  });

  const payloads: ReadonlyArray<readonly [string, () => unknown]> = [
    ['an empty payload', () => ({})],
    ['a non-string token', () => ({ token: 12345 })],
    ['an empty token', () => ({ token: '' })],
    ...badTokens.map(([kind, make]) => [`{ token } with ${kind}`, () => ({ token: make(alice.token) })] as const),
    ...badTokens.map(([kind, make]) => [`{ Authorization } with ${kind}`, () => ({ Authorization: `Bearer ${make(alice.token)}` })] as const),
  ];
  test.each(payloads)('connection_init with %s closes the socket with 4403 and no ack', async (_kind, payload) => {
    expect(await initAndAwaitClose(servers().wsUrl, payload())).toEqual({ received: [], closeCode: 4403 });
  });
});

describe('no operation runs on a rejected socket', () => {
  test.each(badTokens)('a createRoom sent with %s fails with close code 4403 and creates nothing', async (_kind, make) => {
    const name = uniqueName('never');
    // The token names alice, so a server that ran the mutation would give her a room.
    const client = wsClient(servers().wsUrl, make(alice.token));
    try {
      await expect(subscribe(client, CreateRoomDoc, { name }).next()).rejects.toMatchObject({ code: 4403 });
    } finally {
      await client.dispose();
    }
    const { rooms } = await gqlData(servers().httpUrl, RoomsDoc, {}, alice.token);
    expect(rooms.map((r) => r.name)).not.toContain(name);
  });

  test('a query with no token at all fails with close code 4403', async () => {
    const client = wsClient(servers().wsUrl, null);
    try {
      await expect(subscribe(client, MeDoc).next()).rejects.toMatchObject({ code: 4403 });
    } finally {
      await client.dispose();
    }
  });
});
