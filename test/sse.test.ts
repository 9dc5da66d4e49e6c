import { createRoom, joinRoom, listening, send, signUp, topics } from './helpers/factories';
import { sseSubscribe } from './helpers/live';
import { MessageAddedDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { until } from './helpers/wait';

const servers = useServers();

describe('subscriptions over Server-Sent Events on the API server', () => {
  test('messageAdded(roomId) over SSE delivers a message sent over HTTP as a data: event', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    const stream = await sseSubscribe(servers().httpUrl, MessageAddedDoc, { roomId: room.id }, alice.token);
    try {
      expect(stream.status).toBe(200);
      await listening(servers(), topics.messages(room.id));

      const sent = await send(servers(), bob, room.id, 'hello over sse');

      const event = await stream.next();
      expect(event.errors).toBeUndefined();
      expect(event.data?.messageAdded).toEqual(sent);
    } finally {
      stream.close();
    }
    // Aborting the request lets the server drop the subscription's listener.
    await until(() => servers().deps.bus.listenerCount(topics.messages(room.id)) === 0, 'the SSE listener to go');
  });

  test('messageAdded without roomId over SSE follows all rooms of the user', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), bob);
    await joinRoom(servers(), alice, room.id);
    const stream = await sseSubscribe(servers().httpUrl, MessageAddedDoc, {}, alice.token);
    try {
      await listening(servers(), topics.messages(room.id));

      const sent = await send(servers(), bob, room.id, 'to all my rooms');

      expect((await stream.next()).data?.messageAdded).toEqual(sent);
    } finally {
      stream.close();
    }
  });

  test('a non-member subscribing over SSE gets a FORBIDDEN error and no data', async () => {
    const [owner, outsider] = [await signUp(servers(), 'owner'), await signUp(servers(), 'outsider')];
    const room = await createRoom(servers(), owner);
    const stream = await sseSubscribe(servers().httpUrl, MessageAddedDoc, { roomId: room.id }, outsider.token);
    try {
      const event = await stream.next();
      expect(event.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(event.data ?? null).toBeNull();
    } finally {
      stream.close();
    }
  });

  test('subscribing over SSE without a token gets UNAUTHENTICATED', async () => {
    const room = await createRoom(servers(), await signUp(servers(), 'owner'));
    const stream = await sseSubscribe(servers().httpUrl, MessageAddedDoc, { roomId: room.id }, null);
    try {
      const event = await stream.next();
      expect(event.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(event.data ?? null).toBeNull();
    } finally {
      stream.close();
    }
  });
});
