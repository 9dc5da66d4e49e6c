import { toGlobalId, uuidv7 } from '../src/ids';
import { createRoom, createRoomWith, listening, signUp, topics, type TestUser } from './helpers/factories';
import { errorCode, gqlData } from './helpers/http';
import { useWsClients } from './helpers/live';
import { seqOf } from './helpers/history';
import { useServers } from './helpers/servers';
import {
  HistoryDoc,
  inOneBatch,
  lastSeq,
  MessageAddedFullDoc,
  messageRows,
  NodeMessageDoc,
  RoomEventsDoc,
  sendOk,
  tombstone,
  trySend,
  type SentMessage,
} from './helpers/sends';
import { subscribe } from './helpers/ws';

/*
 * sendMessage with replyToId: the original must be a message of the same room that is not
 * deleted; `replyTo` then resolves wherever the reply is read (the send's result, history
 * pages that do not hold the original, node(id), live events), and shows an original
 * deleted later as its tombstone.
 */

const servers = useServers();
const openClient = useWsClients(servers);

let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
});

const sharedRoom = () => createRoomWith(servers(), alice, bob);

async function historyTail(user: TestUser, roomId: string, last: number): Promise<SentMessage[]> {
  const { messages } = await gqlData<{ messages: { edges: { node: SentMessage }[] } }, unknown>(
    servers().httpUrl,
    HistoryDoc,
    { roomId, last },
    user.token,
  );
  return messages.edges.map((edge) => edge.node);
}

describe('a reply to a message of the same room', () => {
  test('is stored with its original: the result, history and node(id) all show replyTo', async () => {
    const room = await sharedRoom();
    const original = await sendOk(servers(), alice, { roomId: room.id, body: 'lunch at noon?' });
    const reply = await sendOk(servers(), bob, { roomId: room.id, body: 'yes!', replyToId: original.id });

    expect(reply.replyTo).toEqual({ id: original.id, body: 'lunch at noon?', deletedAt: null, author: { id: alice.id } });
    expect(seqOf(reply.cursor)).toBe(seqOf(original.cursor) + 1);
    const [inHistory] = await historyTail(alice, room.id, 1);
    expect(inHistory).toEqual(reply);
    const { node } = await gqlData<{ node: SentMessage }, unknown>(servers().httpUrl, NodeMessageDoc, { id: reply.id }, alice.token);
    expect(node.replyTo).toEqual(reply.replyTo);
  });

  test('replyTo resolves for an original far outside the page being read', async () => {
    const room = await sharedRoom();
    const original = await sendOk(servers(), alice, { roomId: room.id, body: 'the question' });
    for (let i = 0; i < 60; i++) await sendOk(servers(), bob, { roomId: room.id, body: `chatter ${i}` });
    const reply = await sendOk(servers(), bob, { roomId: room.id, body: 'the answer', replyToId: original.id });

    // The newest 50 hold the reply but not the original (61 messages before it).
    const page = await historyTail(alice, room.id, 50);
    expect(page.map((m) => m.id)).not.toContain(original.id);
    expect(page.at(-1)).toMatchObject({ id: reply.id, replyTo: { id: original.id, body: 'the question' } });
    // Messages that reply to nothing show null.
    expect(page[0]!.replyTo).toBeNull();
  });

  test('an original deleted after the reply shows as its tombstone, in history and in node(id)', async () => {
    const room = await sharedRoom();
    const original = await sendOk(servers(), alice, { roomId: room.id, body: 'oops, wrong room' });
    const reply = await sendOk(servers(), bob, { roomId: room.id, body: 'what?', replyToId: original.id });
    await tombstone(servers(), original.id);

    const [inHistory] = await historyTail(bob, room.id, 1);
    expect(inHistory!.id).toBe(reply.id);
    expect(inHistory!.replyTo).toEqual({ id: original.id, body: '', deletedAt: expect.any(String), author: { id: alice.id } });
    const { node } = await gqlData<{ node: SentMessage }, unknown>(servers().httpUrl, NodeMessageDoc, { id: reply.id }, bob.token);
    expect(node.replyTo).toEqual(inHistory!.replyTo);
    expect(node.body).toBe('what?');
  });

  test('live subscribers receive the reply with its original and its clientMessageId (roomEvents and messageAdded)', async () => {
    const room = await sharedRoom();
    const original = await sendOk(servers(), alice, { roomId: room.id, body: 'ping' });
    const events = subscribe(openClient(alice.token), RoomEventsDoc, { roomId: room.id });
    const added = subscribe(openClient(alice.token), MessageAddedFullDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id), 2);

    const reply = await sendOk(servers(), bob, { roomId: room.id, body: 'pong', clientMessageId: 'pong-1', replyToId: original.id });
    expect(reply.clientMessageId).toBe('pong-1');

    const event = (await events.next()).data as { roomEvents: { kind: string; cursor: string; message: SentMessage } };
    expect(event.roomEvents).toEqual({ kind: 'MESSAGE_ADDED', cursor: reply.cursor, message: reply });
    const message = (await added.next()).data as { messageAdded: SentMessage };
    expect(message.messageAdded).toEqual(reply);
  });
});

describe('a reply whose original is not a message of the room is BAD_USER_INPUT and stores nothing', () => {
  let roomId: string;
  let elsewhereId: string;
  let deletedId: string;
  beforeAll(async () => {
    roomId = (await sharedRoom()).id;
    const elsewhere = await createRoom(servers(), bob);
    elsewhereId = (await sendOk(servers(), bob, { roomId: elsewhere.id, body: 'in another room' })).id;
    deletedId = (await sendOk(servers(), alice, { roomId, body: 'soon gone' })).id;
    await tombstone(servers(), deletedId);
  });

  const cases: [string, () => string][] = [
    ["another room's message (of a room the sender belongs to)", () => elsewhereId],
    ['a message that does not exist', () => toGlobalId('Message', uuidv7())],
    ['a deleted message', () => deletedId],
    ['a malformed id', () => 'not-an-id'],
    ['the id of a room', () => roomId],
    ['the id of a user', () => alice.id],
  ];

  test.each(cases)('%s', async (_name, replyToId) => {
    const before = [await lastSeq(servers(), roomId), await messageRows(servers(), roomId)];
    const result = await trySend(servers(), bob, { roomId, body: 'answering', replyToId: replyToId() });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data).toBeNull();
    expect([await lastSeq(servers(), roomId), await messageRows(servers(), roomId)]).toEqual(before);
  });

  test('a non-member gets FORBIDDEN, whatever the reply names', async () => {
    const stranger = await signUp(servers(), 'stranger');
    const result = await trySend(servers(), stranger, { roomId, body: 'hi', replyToId: toGlobalId('Message', uuidv7()) });
    expect(errorCode(result)).toBe('FORBIDDEN');
  });

  test('in one batch, a refused reply fails alone: the others are stored at contiguous positions', async () => {
    const room = await sharedRoom();
    const original = await sendOk(servers(), alice, { roomId: room.id, body: 'original' });
    const results = await inOneBatch(servers(), room.id, alice, () => [
      trySend(servers(), bob, { roomId: room.id, body: 'good reply', replyToId: original.id }),
      trySend(servers(), bob, { roomId: room.id, body: 'bad reply', replyToId: elsewhereId }),
      trySend(servers(), alice, { roomId: room.id, body: 'plain' }),
    ]);
    expect(results.map((r) => errorCode(r) ?? 'ok')).toEqual(['ok', 'BAD_USER_INPUT', 'ok']);
    // original = 1, the held send = 2, then the good reply and the plain message.
    expect([results[0], results[2]].map((r) => seqOf(r!.data!.sendMessage.cursor))).toEqual([3, 4]);
    expect(results[0]!.data!.sendMessage.replyTo?.id).toBe(original.id);
    expect(await lastSeq(servers(), room.id)).toBe(4);
  });

  test('a retry of a stored reply returns it even after its original was deleted', async () => {
    const room = await sharedRoom();
    const original = await sendOk(servers(), alice, { roomId: room.id, body: 'to be deleted' });
    const reply = await sendOk(servers(), bob, { roomId: room.id, body: 'noted', clientMessageId: 'noted-1', replyToId: original.id });
    await tombstone(servers(), original.id);
    const retry = await sendOk(servers(), bob, { roomId: room.id, body: 'noted', clientMessageId: 'noted-1', replyToId: original.id });
    expect(retry).toMatchObject({ id: reply.id, cursor: reply.cursor, replyTo: { id: original.id, body: '' } });
  });
});
