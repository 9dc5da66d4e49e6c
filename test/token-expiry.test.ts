import { createRoom, listening, topics, type TestUser } from './helpers/factories';
import { closeCodeOf, sseSubscribe, useWsClients } from './helpers/live';
import { MessageAddedDoc } from './helpers/operations';
import { openAcknowledged } from './helpers/raw-socket';
import { useServers } from './helpers/servers';
import { signUpWithSession } from './helpers/sessions';
import { until, withTimeout } from './helpers/wait';
import { subscribe } from './helpers/ws';

/**
 * Expiry on live connections (issue 11, item 3), with 2-second access tokens: a socket
 * closes with 4403 "Token expired" when the token it was opened with expires (graphql-ws
 * clients retry 4403 with fresh `connectionParams`), and an SSE subscription ends.
 */

const servers = useServers({ JWT_TTL_SECONDS: '2' });
const open = useWsClients(servers);

const asTestUser = (user: { id: string; username: string; password: string; token: string }): TestUser => user;

test('a socket closes with 4403 "Token expired" once its token expired, not before', async () => {
  const alice = await signUpWithSession(servers(), 'alice');
  const socket = await openAcknowledged(servers().wsUrl, alice.token);
  try {
    const closed = await withTimeout(socket.closed, 5000, 'the socket to close at expiry');
    expect(closed).toEqual({ code: 4403, reason: 'Token expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(alice.expiresAt));
  } finally {
    socket.terminate();
  }
});

test("a graphql-ws subscription's socket is closed with 4403 at expiry (the client retries 4403, unlike 4401)", async () => {
  const alice = await signUpWithSession(servers(), 'alice');
  const room = await createRoom(servers(), asTestUser(alice));
  const subscription = subscribe(open(alice.token), MessageAddedDoc, { roomId: room.id });
  await listening(servers(), topics.messages(room.id));
  expect(await withTimeout(closeCodeOf(subscription), 5000, 'the close')).toBe(4403);
});

test('sockets whose tokens expire at different times each close at their own expiry', async () => {
  const alice = await signUpWithSession(servers(), 'alice');
  const early = await openAcknowledged(servers().wsUrl, alice.token);
  await until(() => Date.now() >= Date.parse(alice.expiresAt) - 1000, 'a second to pass');
  const bob = await signUpWithSession(servers(), 'bob');
  const late = await openAcknowledged(servers().wsUrl, bob.token);
  try {
    await withTimeout(early.closed, 5000, 'the early socket to close');
    expect(Date.now()).toBeLessThan(Date.parse(bob.expiresAt));
    expect(await Promise.race([late.closed, Promise.resolve('open')])).toBe('open');
    expect((await withTimeout(late.closed, 5000, 'the late socket to close')).code).toBe(4403);
  } finally {
    early.terminate();
    late.terminate();
  }
});

test('an SSE subscription ends when its token expires', async () => {
  const alice = await signUpWithSession(servers(), 'alice');
  const room = await createRoom(servers(), asTestUser(alice));
  const stream = await sseSubscribe(servers().httpUrl, MessageAddedDoc, { roomId: room.id }, alice.token);
  try {
    expect(stream.status).toBe(200);
    await listening(servers(), topics.messages(room.id));
    await expect(stream.next(5000)).rejects.toThrow(/the event stream (completed|ended)/);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(alice.expiresAt));
  } finally {
    stream.close();
  }
  // Its listener is released.
  await until(() => servers().deps.bus.listenerCount(topics.messages(room.id)) === 0, 'the SSE listener to go');
});
