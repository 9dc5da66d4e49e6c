import { toGlobalId, uuidv7 } from '../src/ids';
import { createRoom, createRoomWith, listening, send, signUp, topics } from './helpers/factories';
import { closeCodeOf, refusalCode, useWsClients, wsData } from './helpers/live';
import { MessageAddedDoc, SendMessageDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { subscribe } from './helpers/ws';

const servers = useServers();
const openClient = useWsClients(servers);


describe('messageAdded(roomId) for a member', () => {
  test('delivers a message another member sent over HTTP, equal to the sendMessage result', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoomWith(servers(), alice, bob);
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));

    const sent = await send(servers(), bob, room.id, 'hello over http');

    const received = await sub.next();
    expect(received.errors).toBeUndefined();
    expect(received.data?.messageAdded).toEqual(sent);
    expect(received.data?.messageAdded.author).toEqual({ id: bob.id, username: bob.username });
  });

  test('delivers a message another member sent as a graphql-ws mutation, equal to its result', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoomWith(servers(), alice, bob);
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));

    const { sendMessage: sent } = await wsData(openClient(bob.token), SendMessageDoc, { roomId: room.id, body: 'hello over ws' });

    const received = await sub.next();
    expect(received.data?.messageAdded).toEqual(sent);
    expect(received.data?.messageAdded).toMatchObject({ body: 'hello over ws', author: { id: bob.id } });
  });

  test('does not deliver messages of other rooms', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const watched = await createRoomWith(servers(), alice, bob);
    const elsewhere = await createRoom(servers(), bob);
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, { roomId: watched.id });
    await listening(servers(), topics.messages(watched.id));

    // Sent first and published before the second send returns: had it been delivered, it would come first.
    await send(servers(), bob, elsewhere.id, 'not for alice');
    const sent = await send(servers(), bob, watched.id, 'for alice');

    expect((await sub.next()).data?.messageAdded.id).toBe(sent.id);
  });
});

describe('messageAdded(roomId) refused at subscribe time', () => {
  test('a non-member gets one FORBIDDEN error, no data, and the subscription completes', async () => {
    const [owner, outsider] = [await signUp(servers(), 'owner'), await signUp(servers(), 'outsider')];
    const room = await createRoom(servers(), owner);
    const sub = subscribe(openClient(outsider.token), MessageAddedDoc, { roomId: room.id });

    expect(await refusalCode(sub)).toBe('FORBIDDEN');
    // The refused subscription left no listener behind on the room's topic.
    expect(servers().deps.bus.listenerCount(topics.messages(room.id))).toBe(0);
  });

  test('an unknown room ends with NOT_FOUND', async () => {
    const alice = await signUp(servers(), 'alice');
    const unknownRoomId = toGlobalId('Room', uuidv7());
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, { roomId: unknownRoomId });

    expect(await refusalCode(sub)).toBe('NOT_FOUND');
  });

  test('a malformed room id ends with NOT_FOUND', async () => {
    const alice = await signUp(servers(), 'alice');
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, { roomId: 'not-an-id' });

    expect(await refusalCode(sub)).toBe('NOT_FOUND');
  });

  test('a socket without a token is closed with 4403 before the subscription runs', async () => {
    const room = await createRoom(servers(), await signUp(servers(), 'owner'));
    const sub = subscribe(openClient(null), MessageAddedDoc, { roomId: room.id });

    expect(await closeCodeOf(sub)).toBe(4403);
    expect(servers().deps.bus.listenerCount(topics.messages(room.id))).toBe(0);
  });

  test('a socket with an invalid token is closed with 4403', async () => {
    const room = await createRoom(servers(), await signUp(servers(), 'owner'));
    const sub = subscribe(openClient('not.a.jwt'), MessageAddedDoc, { roomId: room.id });

    expect(await closeCodeOf(sub)).toBe(4403);
  });
});

describe('fan-out', () => {
  test('a burst of 100 messages reaches each of 3 subscribers exactly once, in send order', async () => {
    const [alice, bob, carol] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob'), await signUp(servers(), 'carol')];
    const room = await createRoomWith(servers(), alice, bob, carol);
    // Two subscribe to the room, one to all of their rooms: both paths must deliver the same stream.
    const subs = [
      subscribe(openClient(alice.token), MessageAddedDoc, { roomId: room.id }),
      subscribe(openClient(bob.token), MessageAddedDoc, { roomId: room.id }),
      subscribe(openClient(carol.token), MessageAddedDoc, {}),
    ];
    await listening(servers(), topics.messages(room.id), subs.length);

    const sentIds: string[] = [];
    for (let i = 0; i < 100; i++) sentIds.push((await send(servers(), i % 2 ? bob : alice, room.id, `burst ${i}`)).id);

    for (const sub of subs) {
      const receivedIds: string[] = [];
      while (receivedIds.length < sentIds.length) receivedIds.push((await sub.next()).data!.messageAdded.id);
      expect(receivedIds).toEqual(sentIds);
    }
    // Every message has been read once; a short window shows no duplicate trails behind.
    await Promise.all(subs.map((sub) => sub.expectSilence(200)));
  });
});
