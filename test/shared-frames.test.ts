import WebSocket from 'ws';
import { createRoom, joinRoom, listening, send, signUp, topics } from './helpers/factories';
import { useServers } from './helpers/servers';
import { until } from './helpers/wait';

/** A frame as the client got it: parsed, and whether ws saw a text frame. */
interface ReceivedFrame {
  frame: { id?: string; type: string; payload?: { data?: { messageAdded?: { id: string; body: string } } } };
  isText: boolean;
  bytes: number;
}

const documentText = 'subscription SharedFrames($roomId: ID!) { messageAdded(roomId: $roomId) { id body author { username } } }';

/**
 * An event's `next` frame is built once as bytes (src/servers/ws/socket-delivery.ts
 * SharedPayload) and written to every socket of the same sharing key: whatever the
 * operation ids, each client must get a text frame with its own id and the same payload.
 */
describe('shared next frames', () => {
  const servers = useServers({ RATE_LIMIT_MESSAGES_PER_MINUTE: '0' });

  test('subscribers with the same id, another id, and an id needing JSON escaping each get their own exact frame', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    const ids = ['1', '1', 'c0ffee-2', 'é "quoted" \\ \u2028 id'];
    const received = ids.map(() => [] as ReceivedFrame[]);
    const sockets = await Promise.all(ids.map((id, i) => rawSubscriber(servers().wsUrl, bob.token, room.id, id, received[i]!)));
    try {
      await listening(servers(), topics.messages(room.id), ids.length);
      const bodies = ['plain', 'ünïcödé 🎉 "quotes" and \\ backslash'];
      for (const body of bodies) await send(servers(), alice, room.id, body);
      await until(() => received.every((frames) => frames.length === bodies.length), 'every frame on every socket');
      received.forEach((frames, i) => {
        expect(frames.every((f) => f.isText)).toBe(true);
        expect(frames.map((f) => f.frame.id)).toEqual([ids[i], ids[i]]);
        expect(frames.map((f) => f.frame.type)).toEqual(['next', 'next']);
        expect(frames.map((f) => f.frame.payload?.data?.messageAdded?.body)).toEqual(bodies);
      });
      // The payload is the same for everyone: only the id part of the frame differs.
      const payloads = received.map((frames) => frames.map((f) => JSON.stringify(f.frame.payload)));
      expect(new Set(payloads.map((p) => p.join('\n'))).size).toBe(1);
      const idBytes = (id: string) => Buffer.byteLength(JSON.stringify(id));
      expect(received[3]![1]!.bytes - received[0]![1]!.bytes).toBe(idBytes(ids[3]!) - idBytes(ids[0]!));
    } finally {
      sockets.forEach((socket) => socket.terminate());
    }
  });
});

async function rawSubscriber(url: string, token: string, roomId: string, id: string, frames: ReceivedFrame[]): Promise<WebSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (data: Buffer, isBinary) => {
      const frame = JSON.parse(data.toString('utf8')) as ReceivedFrame['frame'];
      if (frame.type === 'connection_ack') {
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: documentText, variables: { roomId } } }));
        resolve();
      } else frames.push({ frame, isText: !isBinary, bytes: data.length });
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
  });
  return socket;
}
