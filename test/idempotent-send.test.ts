import { createRoomWith, listening, signUp, topics, type TestUser } from './helpers/factories';
import { errorCode, gql } from './helpers/http';
import { useWsClients } from './helpers/live';
import { seqOf } from './helpers/history';
import { useServers } from './helpers/servers';
import {
  inOneBatch,
  lastSeq,
  messageRows,
  RoomEventsDoc,
  rewrite,
  rowsWithKey,
  sendOk,
  tombstone,
  trySend,
  type SentMessage,
} from './helpers/sends';
import { subscribe } from './helpers/ws';

/*
 * sendMessage with a clientMessageId: a retry (same author, same key) returns the message
 * first stored under the key and stores and publishes nothing; the key reused for another
 * message is CONFLICT. End to end through the real servers, on both backends.
 */

const servers = useServers();
const openClient = useWsClients(servers);

let owner: TestUser;
let member: TestUser;
beforeAll(async () => {
  [owner, member] = [await signUp(servers(), 'owner'), await signUp(servers(), 'member')];
});

const sharedRoom = () => createRoomWith(servers(), owner, member);

let keys = 0;
const newKey = () => `key-${Date.now()}-${++keys}`;

/** The fields a retry must give back unchanged. */
const identity = (m: SentMessage) => ({ id: m.id, cursor: m.cursor, createdAt: m.createdAt, body: m.body, clientMessageId: m.clientMessageId });

describe('a retry returns the first message and changes nothing', () => {
  test('the same key twice: one row, the same id, cursor and createdAt, and the room log does not move', async () => {
    const room = await sharedRoom();
    const key = newKey();
    const first = await sendOk(servers(), owner, { roomId: room.id, body: 'hello', clientMessageId: key });
    expect(first.clientMessageId).toBe(key);
    const seqAfterFirst = await lastSeq(servers(), room.id);

    const retry = await sendOk(servers(), owner, { roomId: room.id, body: 'hello', clientMessageId: key });
    expect(identity(retry)).toEqual(identity(first));
    expect(await rowsWithKey(servers(), owner.id, key)).toBe(1);
    expect(await lastSeq(servers(), room.id)).toBe(seqAfterFirst);

    // The next message takes the very next position: the retry took none.
    const next = await sendOk(servers(), owner, { roomId: room.id, body: 'next' });
    expect(seqOf(next.cursor)).toBe(seqOf(first.cursor) + 1);
  });

  test('a retry publishes nothing: a roomEvents subscriber gets the message once, then the next one', async () => {
    const room = await sharedRoom();
    const sub = subscribe(openClient(member.token), RoomEventsDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));
    const key = newKey();
    const first = await sendOk(servers(), owner, { roomId: room.id, body: 'once', clientMessageId: key });
    for (let i = 0; i < 3; i++) await sendOk(servers(), owner, { roomId: room.id, body: 'once', clientMessageId: key });
    const marker = await sendOk(servers(), owner, { roomId: room.id, body: 'after the retries' });

    const events = [await sub.next(), await sub.next()].map((r) => (r.data as { roomEvents: { kind: string; message: SentMessage } }).roomEvents);
    expect(events.map((e) => [e.kind, e.message.id])).toEqual([
      ['MESSAGE_ADDED', first.id],
      ['MESSAGE_ADDED', marker.id],
    ]);
    expect(events[0]!.message.clientMessageId).toBe(key);
    await sub.expectSilence(200);
  });

  test('the key is per author: two users may use the same key, each gets their own message', async () => {
    const room = await sharedRoom();
    const key = newKey();
    const mine = await sendOk(servers(), owner, { roomId: room.id, body: 'same words', clientMessageId: key });
    const theirs = await sendOk(servers(), member, { roomId: room.id, body: 'same words', clientMessageId: key });
    expect(theirs.id).not.toBe(mine.id);
    expect(seqOf(theirs.cursor)).toBe(seqOf(mine.cursor) + 1);
    expect([mine.author.id, theirs.author.id]).toEqual([owner.id, member.id]);
  });

  test('a retry of a message deleted since returns its tombstone, not a CONFLICT', async () => {
    const room = await sharedRoom();
    const key = newKey();
    const first = await sendOk(servers(), owner, { roomId: room.id, body: 'regret', clientMessageId: key });
    await tombstone(servers(), first.id);
    const retry = await sendOk(servers(), owner, { roomId: room.id, body: 'regret', clientMessageId: key });
    expect(retry).toMatchObject({ id: first.id, cursor: first.cursor, body: '', clientMessageId: key });
    expect(retry.deletedAt).toEqual(expect.any(String));
    expect(await messageRows(servers(), room.id)).toBe(1);
  });

  test('a retry of a message edited since returns it as edited; the room still decides', async () => {
    const room = await sharedRoom();
    const other = await sharedRoom();
    const key = newKey();
    const first = await sendOk(servers(), owner, { roomId: room.id, body: 'typo', clientMessageId: key });
    await rewrite(servers(), first.id, 'fixed');
    const retry = await sendOk(servers(), owner, { roomId: room.id, body: 'typo', clientMessageId: key });
    expect(retry).toMatchObject({ id: first.id, cursor: first.cursor, body: 'fixed' });
    expect(retry.editedAt).toEqual(expect.any(String));
    expect(errorCode(await trySend(servers(), owner, { roomId: other.id, body: 'typo', clientMessageId: key }))).toBe('CONFLICT');
  });
});

describe('the key reused for another message is CONFLICT and stores nothing', () => {
  test.each([
    ['another body', { body: 'something else' }],
    ['another room', { room: 'other' }],
    ['a reply where the first was none', { reply: true }],
  ])('the same key with %s', async (_name, change: { body?: string; room?: string; reply?: boolean }) => {
    const room = await sharedRoom();
    const other = await sharedRoom();
    const earlier = await sendOk(servers(), owner, { roomId: room.id, body: 'earlier' });
    const key = newKey();
    const first = await sendOk(servers(), owner, { roomId: room.id, body: 'original', clientMessageId: key });
    const before = [await lastSeq(servers(), room.id), await lastSeq(servers(), other.id)];

    const result = await trySend(servers(), owner, {
      roomId: change.room ? other.id : room.id,
      body: change.body ?? 'original',
      clientMessageId: key,
      replyToId: change.reply ? earlier.id : null,
    });
    expect(errorCode(result)).toBe('CONFLICT');
    expect(result.data).toBeNull();
    expect([await lastSeq(servers(), room.id), await lastSeq(servers(), other.id)]).toEqual(before);
    expect(await rowsWithKey(servers(), owner.id, key)).toBe(1);
    // The first message is untouched: a plain retry still returns it.
    expect((await sendOk(servers(), owner, { roomId: room.id, body: 'original', clientMessageId: key })).id).toBe(first.id);
  });

  test('a retry into a room the author has left is FORBIDDEN, as any send there', async () => {
    const room = await sharedRoom();
    const key = newKey();
    await sendOk(servers(), member, { roomId: room.id, body: 'bye', clientMessageId: key });
    await gql(servers().httpUrl, 'mutation Leave($roomId: ID!) { leaveRoom(roomId: $roomId) }', { roomId: room.id }, member.token);
    expect(errorCode(await trySend(servers(), member, { roomId: room.id, body: 'bye', clientMessageId: key }))).toBe('FORBIDDEN');
  });
});

describe('what a clientMessageId may be', () => {
  const emoji = '\u{1F600}';
  test.each([
    ['empty', ''],
    ['65 characters', 'k'.repeat(65)],
    ['65 emoji', emoji.repeat(65)],
    ['a NUL', 'a\u0000b'],
    ['a line feed', 'a\nb'],
    ['a tab', 'a\tb'],
    ['a C1 control', 'a\u0085b'],
    ['a line separator', 'a\u2028b'],
    ['a lone surrogate', 'a\uD800b'],
  ])('%s is BAD_USER_INPUT and stores nothing', async (_name, key) => {
    const room = await sharedRoom();
    const result = await trySend(servers(), owner, { roomId: room.id, body: 'hi', clientMessageId: key });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(await messageRows(servers(), room.id)).toBe(0);
  });

  test.each([
    ['1 character', 'k'],
    ['64 characters', 'k'.repeat(64)],
    ['64 emoji (characters are code points)', emoji.repeat(64)],
    ['a UUID', '0b9c7f2e-5d1a-4c3b-9e8f-7a6b5c4d3e2f'],
    ['spaces and punctuation', ' a key: with spaces, (and) punctuation! '],
  ])('%s is accepted and returned exactly as given', async (_name, key) => {
    const room = await sharedRoom();
    const sent = await sendOk(servers(), owner, { roomId: room.id, body: 'hi', clientMessageId: key });
    expect(sent.clientMessageId).toBe(key);
    expect((await sendOk(servers(), owner, { roomId: room.id, body: 'hi', clientMessageId: key })).id).toBe(sent.id);
  });

  test('keys are compared exactly: case, surrounding spaces and Unicode normalisation make different keys', async () => {
    const room = await sharedRoom();
    const base = newKey();
    const variants = [`caf\u00e9-${base}`, `cafe\u0301-${base}`, `CAF\u00c9-${base}`, ` caf\u00e9-${base}`];
    const sent = [];
    for (const key of variants) sent.push(await sendOk(servers(), owner, { roomId: room.id, body: 'same', clientMessageId: key }));
    expect(new Set(sent.map((m) => m.id)).size).toBe(variants.length);
    expect(sent.map((m) => m.clientMessageId)).toEqual(variants);
  });

  test('without a key every send is a new message', async () => {
    const room = await sharedRoom();
    const a = await sendOk(servers(), owner, { roomId: room.id, body: 'twice' });
    const b = await sendOk(servers(), owner, { roomId: room.id, body: 'twice', clientMessageId: null });
    expect(a.id).not.toBe(b.id);
    expect([a.clientMessageId, b.clientMessageId]).toEqual([null, null]);
  });
});

describe('retries inside one batch (group commit)', () => {
  test('ten sends of one key in one batch: one row, the same id and cursor for every caller, positions contiguous', async () => {
    const room = await sharedRoom();
    const key = newKey();
    const results = await inOneBatch(servers(), room.id, owner, () =>
      Array.from({ length: 10 }, () => trySend(servers(), member, { roomId: room.id, body: 'only once', clientMessageId: key })),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const sent = results.map((r) => r.data!.sendMessage);
    expect(new Set(sent.map((m) => `${m.id} ${m.cursor}`)).size).toBe(1);
    expect(await rowsWithKey(servers(), member.id, key)).toBe(1);
    // The held send is at 1, the keyed message at 2: nothing else took a position.
    expect(seqOf(sent[0]!.cursor)).toBe(2);
    expect(await lastSeq(servers(), room.id)).toBe(2);
  });

  test('a retry of a stored key in a batch of new messages takes no position: the new ones are contiguous', async () => {
    const room = await sharedRoom();
    const key = newKey();
    const first = await sendOk(servers(), member, { roomId: room.id, body: 'stored earlier', clientMessageId: key });
    const results = await inOneBatch(servers(), room.id, owner, () => [
      trySend(servers(), owner, { roomId: room.id, body: 'new one', clientMessageId: newKey() }),
      trySend(servers(), member, { roomId: room.id, body: 'stored earlier', clientMessageId: key }),
      trySend(servers(), owner, { roomId: room.id, body: 'new two' }),
      trySend(servers(), member, { roomId: room.id, body: 'reused key', clientMessageId: key }),
    ]);
    expect(results.map((r) => errorCode(r) ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'CONFLICT']);
    expect(results[1]!.data!.sendMessage.id).toBe(first.id);
    // first = 1, the held send = 2, the two new messages = 3 and 4.
    expect([results[0], results[2]].map((r) => seqOf(r!.data!.sendMessage.cursor))).toEqual([3, 4]);
    expect(await lastSeq(servers(), room.id)).toBe(4);
    expect(await messageRows(servers(), room.id)).toBe(4);
  });
});
