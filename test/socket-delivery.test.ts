import WebSocket from 'ws';
import { createRoom, joinRoom, listening, liveCount, signUp, topics } from './helpers/factories';
import { useWsClients, wsData } from './helpers/live';
import { LeaveRoomDoc, MessageAddedDoc, SendMessageDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { subscribe } from './helpers/ws';
import { until, withTimeout } from './helpers/wait';

/**
 * Shareable subscriptions are served outside graphql-ws (src/servers/ws/direct-subscriptions.ts) and
 * written straight to their sockets (src/servers/ws/socket-delivery.ts)
 * instead of through graphql-ws's per-event send: what graphql-ws guaranteed must still hold.
 */
describe('subscriptions written straight to the socket', () => {
  // The slow-consumer test sends as fast as it can: past a minute's budget of messages and the per-socket frame rate.
  const servers = useServers({ RATE_LIMIT_MESSAGES_PER_MINUTE: '0', MAX_FRAMES_PER_SOCKET_PER_SECOND: '0' });
  const open = useWsClients(servers);
  const afterTest: (() => void)[] = [];
  afterEach(() => afterTest.splice(0).forEach((cleanup) => cleanup()));

  test('frames are graphql-transport-ws `next` messages, and `complete` follows the last one', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    const frames: Record<string, unknown>[] = [];
    const socket = await rawSubscriber(servers().wsUrl, bob.token, room.id, (frame) => frames.push(frame));
    await listening(servers(), topics.messages(room.id), 1);
    const sender = open(alice.token);
    for (const body of ['one', 'two', 'three']) await wsData(sender, SendMessageDoc, { roomId: room.id, body });
    // Leaving ends the subscription: `complete` must come after every message.
    await wsData(open(bob.token), LeaveRoomDoc, { roomId: room.id });
    await until(() => frames.some((f) => f.type === 'complete'), 'the complete frame');
    expect(frames.map((f) => f.type)).toEqual(['next', 'next', 'next', 'complete']);
    expect(frames.map((f) => f.id)).toEqual(['s1', 's1', 's1', 's1']);
    const bodies = frames.slice(0, 3).map((f) => (f.payload as { data: { messageAdded: { body: string } } }).data.messageAdded.body);
    expect(bodies).toEqual(['one', 'two', 'three']);
    socket.close();
  });

  test('after the client completes a subscription nothing more is sent for it', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    const frames: Record<string, unknown>[] = [];
    const socket = await rawSubscriber(servers().wsUrl, alice.token, room.id, (frame) => frames.push(frame));
    await listening(servers(), topics.messages(room.id), 1);
    socket.send(JSON.stringify({ id: 's1', type: 'complete' }));
    await until(() => servers().deps.bus.listenerCount(topics.messages(room.id)) === 0, 'the subscription to stop');
    await wsData(open(alice.token), SendMessageDoc, { roomId: room.id, body: 'after complete' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(frames).toEqual([]);
    socket.close();
  });

  test('a refused subscription is one `next` with the error, then `complete` (as graphql-ws does)', async () => {
    const [alice, eve] = [await signUp(servers(), 'alice'), await signUp(servers(), 'eve')];
    const room = await createRoom(servers(), alice);
    const frames: Record<string, unknown>[] = [];
    const socket = await rawSubscriber(servers().wsUrl, eve.token, room.id, (frame) => frames.push(frame));
    afterTest.push(() => socket.terminate());
    await until(() => frames.length === 2, 'two frames');
    expect(frames[0]).toMatchObject({ id: 's1', type: 'next', payload: { errors: [{ extensions: { code: 'FORBIDDEN' } }] } });
    expect(frames[0]!.payload).not.toHaveProperty('data.messageAdded');
    expect(frames[1]).toEqual({ id: 's1', type: 'complete' });
  });

  test('a second subscribe with an id in use closes the socket with 4409, as for any operation', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    const socket = await rawSubscriber(servers().wsUrl, alice.token, room.id, () => undefined);
    afterTest.push(() => socket.terminate());
    await listening(servers(), topics.messages(room.id), 1);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ id: 's1', type: 'subscribe', payload: { query: MessageAddedDoc.toString(), variables: { roomId: room.id } } }));
    expect(await withTimeout(closed, 5000, 'the close')).toBe(4409);
    // The closed socket's subscription is stopped too.
    await until(() => servers().deps.bus.listenerCount(topics.messages(room.id)) === 0, 'the subscription to stop');
  });

  test('an invalid subscription is left to graphql-ws: an `error` frame', async () => {
    const alice = await signUp(servers(), 'alice');
    const frames: Record<string, unknown>[] = [];
    const socket = await rawSubscriber(servers().wsUrl, alice.token, null, (frame) => frames.push(frame), 'subscription { messageAdded { nope } }');
    afterTest.push(() => socket.terminate());
    await until(() => frames.length === 1, 'one frame');
    expect(frames[0]).toMatchObject({ id: 's1', type: 'error' });
  });

  test('a client that stops reading is disconnected with 1013; the others receive everything', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    const reader = subscribe(open(alice.token), MessageAddedDoc, { roomId: room.id });
    const slow = await rawSubscriber(servers().wsUrl, bob.token, room.id, () => undefined);
    afterTest.push(() => slow.terminate());
    await listening(servers(), topics.messages(room.id), 2);
    // Stop reading: the kernel buffers fill, then the server's send buffer grows.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)));
    const sender = open(alice.token);
    const body = '€'.repeat(3990); // about 12 KB per frame
    // Sent 10 at a time: one at a time, a loaded machine took longer than the 12 s
    // keep-alive to fill the buffers, and the heartbeat ended the paused socket first (1006).
    let sent = 0;
    while (liveCount(servers(), topics.messages(room.id)) === 2) {
      if (sent >= 5000) throw new Error('the slow consumer was never disconnected');
      const batch = Array.from({ length: 10 }, (_, i) => `${sent + i} ${body}`);
      await Promise.all(batch.map((text) => wsData(sender, SendMessageDoc, { roomId: room.id, body: text })));
      sent += batch.length;
    }
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await withTimeout(closed, 10_000, 'the slow client to see its close')).toBe(1013);
    expect(sent).toBeGreaterThan(10);
    // Every message exactly once (the sends of one batch may be stored in any order).
    const received: number[] = [];
    for (let i = 0; i < sent; i++) {
      const { data } = await reader.next();
      received.push(Number(data?.messageAdded.body.split(' ')[0]));
    }
    expect([...received].sort((a, b) => a - b)).toEqual(Array.from({ length: sent }, (_, i) => i));
  }, 120_000);
});

/** A plain `ws` client speaking graphql-transport-ws: sees every frame, subscription id `s1`. */
async function rawSubscriber(
  url: string,
  token: string,
  roomId: string | null,
  onFrame: (frame: Record<string, unknown>) => void,
  query = MessageAddedDoc.toString(),
): Promise<WebSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (frame.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: 's1', type: 'subscribe', payload: { query, variables: { roomId } } }));
        resolve();
      } else onFrame(frame);
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
  });
  return socket;
}
