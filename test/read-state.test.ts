import { Topic } from '../src/live/pubsub';
import { toGlobalId, uuidv7 } from '../src/ids';
import { createRoomWith, joinRoom, listening, rawIdOf, signUp, createRoom } from './helpers/factories';
import { errorCode, gqlData } from './helpers/http';
import { useWsClients } from './helpers/live';
import { post, remove } from './helpers/message-changes';
import {
  chatList,
  markDelivered,
  markerSummary,
  markRead,
  ReadMarkersDoc,
  roomState,
  StatusAddedDoc,
  statuses,
  tryMark,
  type ChatListRoomJson,
  type MarkerJson,
} from './helpers/read-state';
import { useServers } from './helpers/servers';
import { subscribe } from './helpers/ws';

const servers = useServers();
const openClient = useWsClients(servers);

const markerTopic = (roomGlobalId: string) => Topic.readMarkers(rawIdOf(roomGlobalId));

async function threeInARoom() {
  const [alice, bob, carol] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob'), await signUp(servers(), 'carol')];
  const room = await createRoomWith(servers(), alice, bob, carol);
  return { alice, bob, carol, room };
}

describe('markRead and markDelivered', () => {
  test('move forward only: an older message returns the current markers unchanged; reading also delivers', async () => {
    const { alice, bob, room } = await threeInARoom();
    const [m1, m2, m3] = [await post(servers(), alice, room.id, 'one'), await post(servers(), alice, room.id, 'two'), await post(servers(), alice, room.id, 'three')];

    const delivered = await markDelivered(servers(), bob, m3.id);
    expect([delivered.lastRead, delivered.lastDelivered?.body]).toEqual([null, 'three']);
    const read = await markRead(servers(), bob, m2.id);
    expect([read.lastRead?.body, read.lastDelivered?.body, read.user.id, read.room.id]).toEqual(['two', 'three', bob.id, room.id]);
    // The marked messages are the messages, as history shows them.
    expect([read.lastRead, read.lastDelivered]).toEqual([
      { id: m2.id, body: 'two', createdAt: m2.createdAt },
      { id: m3.id, body: 'three', createdAt: m3.createdAt },
    ]);

    const older = await markRead(servers(), bob, m1.id);
    expect(older).toEqual(read);
    expect(await markDelivered(servers(), bob, m1.id)).toEqual(read);
  });

  test('a send moves the sender\'s markers to it; Room.readMarkers has one entry per member', async () => {
    const { alice, bob, carol, room } = await threeInARoom();
    await post(servers(), alice, room.id, 'from alice');
    await post(servers(), bob, room.id, 'from bob');

    expect(markerSummary((await roomState(servers(), carol, room.id)).readMarkers)).toEqual([
      ['alice', 'from alice', 'from alice'],
      ['bob', 'from bob', 'from bob'],
      ['carol', null, null],
    ]);
  });

  test('refusals change nothing: NOT_FOUND for an unknown or malformed id, FORBIDDEN for a non-member', async () => {
    const { alice, room } = await threeInARoom();
    const message = await post(servers(), alice, room.id, 'hello');
    const stranger = await signUp(servers(), 'mallory');

    expect(errorCode(await tryMark(servers(), stranger, message.id))).toBe('FORBIDDEN');
    expect(errorCode(await tryMark(servers(), stranger, message.id, false))).toBe('FORBIDDEN');
    expect(errorCode(await tryMark(servers(), alice, toGlobalId('Message', uuidv7())))).toBe('NOT_FOUND');
    expect(errorCode(await tryMark(servers(), alice, 'not-an-id'))).toBe('NOT_FOUND');
    expect(errorCode(await tryMark(servers(), alice, room.id))).toBe('NOT_FOUND');
  });
});

describe('unread counts and the chat list', () => {
  test('unreadCount counts other members\' messages after my read marker, without tombstones', async () => {
    const { alice, bob, room } = await threeInARoom();
    const sent = [];
    for (const body of ['a', 'b', 'c', 'd', 'e']) sent.push(await post(servers(), alice, room.id, body));
    const unread = async () => (await roomState(servers(), bob, room.id)).unreadCount;

    expect(await unread()).toBe(5);
    await markRead(servers(), bob, sent[1]!.id);
    expect(await unread()).toBe(3);
    await remove(servers(), alice, sent[3]!.id);
    await remove(servers(), alice, sent[0]!.id);
    expect(await unread()).toBe(2);
    expect((await roomState(servers(), alice, room.id)).unreadCount).toBe(0);

    // Bob's own message moves his marker past everything before it.
    await post(servers(), bob, room.id, 'from bob');
    expect(await unread()).toBe(0);
    await post(servers(), alice, room.id, 'f');
    expect(await unread()).toBe(1);
  });

  test('rooms come newest activity first, with their newest message that is not deleted', async () => {
    const alice = await signUp(servers(), 'alice');
    const quiet = await createRoom(servers(), alice, 'quiet');
    const busy = await createRoom(servers(), alice, 'busy');
    const later = await createRoom(servers(), alice, 'later');
    await post(servers(), alice, busy.id, 'first');
    const newest = await post(servers(), alice, quiet.id, 'newest');

    const list = await chatList(servers(), alice);
    expect(list.map((r) => [r.name, r.lastMessage?.body ?? null])).toEqual([
      ['quiet', 'newest'],
      ['busy', 'first'],
      ['later', null],
    ]);
    expect(list[0]!.lastActivityAt).toBe(newest.createdAt);
    expect(Date.parse(list[2]!.lastActivityAt)).toBeGreaterThan(0);

    await remove(servers(), alice, newest.id);
    const [first] = await chatList(servers(), alice);
    // A deletion is not activity: the room keeps its place and shows nothing deleted.
    expect([first!.name, first!.lastMessage, first!.lastActivityAt]).toEqual(['quiet', null, newest.createdAt]);
    expect(later.id).toBeDefined();
  });

  test('a newcomer has nothing unread: their markers start at the newest message', async () => {
    const { alice, room } = await threeInARoom();
    await post(servers(), alice, room.id, 'before dave');
    const dave = await signUp(servers(), 'dave');
    await joinRoom(servers(), dave, room.id);

    const state = await roomState(servers(), dave, room.id);
    expect(state.unreadCount).toBe(0);
    expect(markerSummary(state.readMarkers).at(-1)).toEqual(['dave', 'before dave', 'before dave']);
  });
});

describe('Message.status', () => {
  test('SENT, then DELIVERED when every other member received it, then READ when every other member read it', async () => {
    const { alice, bob, carol, room } = await threeInARoom();
    const message = await post(servers(), alice, room.id, 'tick');
    const status = async () => (await statuses(servers(), bob, room.id)).find(([body]) => body === 'tick')![1];

    expect(await status()).toBe('SENT');
    await markDelivered(servers(), bob, message.id);
    expect(await status()).toBe('SENT');
    await markDelivered(servers(), carol, message.id);
    expect(await status()).toBe('DELIVERED');
    await markRead(servers(), bob, message.id);
    expect(await status()).toBe('DELIVERED');
    await markRead(servers(), carol, message.id);
    expect(await status()).toBe('READ');
    // The same for every viewer, the author included.
    expect(await statuses(servers(), alice, room.id)).toEqual([['tick', 'READ']]);
  });

  test('a member who joins later does not turn old messages back to SENT', async () => {
    const { alice, bob, carol, room } = await threeInARoom();
    const message = await post(servers(), alice, room.id, 'old');
    await markRead(servers(), bob, message.id);
    await markRead(servers(), carol, message.id);
    const dave = await signUp(servers(), 'dave');
    await joinRoom(servers(), dave, room.id);

    expect(await statuses(servers(), dave, room.id)).toEqual([['old', 'READ']]);
    await post(servers(), alice, room.id, 'new');
    expect(await statuses(servers(), dave, room.id)).toEqual([['old', 'READ'], ['new', 'SENT']]);
  });

  test('alone in a room, a message is READ at once (nobody else is left to read it): in the answer, live and in history', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice, 'solo');
    const sub = subscribe<{ messageAdded: { body: string; status: string } }, unknown>(openClient(alice.token), StatusAddedDoc, { roomId: room.id });
    await listening(servers(), `room.${rawIdOf(room.id)}.events`);
    const sent = await gqlData<{ sendMessage: { status: string } }, unknown>(
      servers().httpUrl,
      'mutation($r: ID!) { sendMessage(roomId: $r, body: "to myself") { status } }',
      { r: room.id },
      alice.token,
    );
    expect(sent.sendMessage.status).toBe('READ');
    expect((await sub.next()).data?.messageAdded).toMatchObject({ body: 'to myself', status: 'READ' });
    expect(await statuses(servers(), alice, room.id)).toEqual([['to myself', 'READ']]);
  });

  test('messageAdded subscribers read the status with the message', async () => {
    const { alice, bob, room } = await threeInARoom();
    const sub = subscribe<{ messageAdded: { body: string; status: string } }, unknown>(openClient(bob.token), StatusAddedDoc, { roomId: room.id });
    await listening(servers(), `room.${rawIdOf(room.id)}.events`);
    await post(servers(), alice, room.id, 'live');
    expect((await sub.next()).data?.messageAdded).toEqual({ id: expect.any(String), body: 'live', status: 'SENT' });
  });
});

describe('readMarkers subscription', () => {
  test('delivers other members\' moves and my own (for my other devices), in one room', async () => {
    const { alice, bob, carol, room } = await threeInARoom();
    const message = await post(servers(), alice, room.id, 'see me');
    const sub = subscribe<{ readMarkers: MarkerJson }, unknown>(openClient(bob.token), ReadMarkersDoc, { roomId: room.id });
    await listening(servers(), markerTopic(room.id));

    await markDelivered(servers(), bob, message.id);
    await markRead(servers(), carol, message.id);
    await markRead(servers(), carol, message.id);
    const moves = [(await sub.next()).data!.readMarkers, (await sub.next()).data!.readMarkers];
    expect(markerSummary(moves)).toEqual([
      ['bob', null, 'see me'],
      ['carol', 'see me', 'see me'],
    ]);
    // The repeated markRead moved nothing, so nothing was published.
    await sub.expectSilence(200);
  });

  test('without roomId: every room of the user, including one joined after subscribing', async () => {
    const { alice, bob, room } = await threeInARoom();
    const other = await createRoom(servers(), bob, 'other');
    const sub = subscribe<{ readMarkers: MarkerJson }, unknown>(openClient(alice.token), ReadMarkersDoc, {});
    await listening(servers(), markerTopic(room.id));

    await joinRoom(servers(), alice, other.id);
    await listening(servers(), markerTopic(other.id));
    const message = await post(servers(), alice, other.id, 'in other');
    await markRead(servers(), bob, message.id);
    const move = (await sub.next()).data!.readMarkers;
    expect([move.room.id, move.user.id, move.lastRead?.body]).toEqual([other.id, bob.id, 'in other']);
  });

  test('a non-member is FORBIDDEN', async () => {
    const { room } = await threeInARoom();
    const stranger = await signUp(servers(), 'mallory');
    const sub = subscribe<{ readMarkers: MarkerJson }, unknown>(openClient(stranger.token), ReadMarkersDoc, { roomId: room.id });
    const result = await sub.next();
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the chat list read in one statement', () => {
  test('through fragments and without: the same rooms, counts and last messages as each room read alone', async () => {
    const { alice, bob, room } = await threeInARoom();
    const other = await createRoom(servers(), bob, 'other');
    await joinRoom(servers(), alice, other.id);
    const sent = [await post(servers(), bob, room.id, 'one'), await post(servers(), bob, room.id, 'two'), await post(servers(), bob, other.id, 'three')];
    await remove(servers(), bob, sent[1]!.id);

    const list = await chatList(servers(), alice);
    const viaFragment = await gqlData<{ rooms: ChatListRoomJson[] }, unknown>(
      servers().httpUrl,
      `query { rooms { ...Row } } fragment Row on Room { id name lastActivityAt ... on Room { unreadCount lastMessage { id body author { id } } } }`,
      {},
      alice.token,
    );
    expect(viaFragment.rooms).toEqual(list);
    const alone = await Promise.all(list.map((r) => roomState(servers(), alice, r.id)));
    expect(list.map((r) => [r.id, r.unreadCount])).toEqual(alone.map((r) => [r.id, r.unreadCount]));
    expect(list.map((r) => [r.name, r.unreadCount, r.lastMessage?.body])).toEqual([
      ['other', 1, 'three'],
      [expect.any(String), 1, 'one'],
    ]);
  });
});
