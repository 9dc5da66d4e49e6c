import { toGlobalId, uuidv7 } from '../src/ids';
import { createRoomWith, listening, signUp, topics } from './helpers/factories';
import { errorCode } from './helpers/http';
import { useWsClients } from './helpers/live';
import {
  AddReactionDoc,
  attempt,
  DeleteMessageDoc,
  edit,
  EditMessageDoc,
  history,
  post,
  react,
  remove,
  RoomEventsDoc,
  type RoomEventJson,
} from './helpers/message-changes';
import { LeaveRoomDoc } from './helpers/operations';
import { gqlData } from './helpers/http';
import { seqOf } from './helpers/history';
import { useServers } from './helpers/servers';
import { subscribe } from './helpers/ws';

const servers = useServers();
const openClient = useWsClients(servers);


async function twoMembers() {
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const room = await createRoomWith(servers(), alice, bob);
  return { alice, bob, room };
}

describe('editMessage', () => {
  test('the author edits: the new body (normalised as on send), editedAt set, the rest unchanged', async () => {
    const { alice, room } = await twoMembers();
    const sent = await post(servers(), alice, room.id, 'helo');

    const edited = await edit(servers(), alice, sent.id, '  hello\r\nworld  ');

    expect(edited).toMatchObject({ id: sent.id, body: 'hello\nworld', deletedAt: null, cursor: sent.cursor, createdAt: sent.createdAt });
    expect(Date.parse(edited.editedAt!)).toBeGreaterThanOrEqual(Date.parse(sent.createdAt));
    expect((await history(servers(), alice, room.id)).map((m) => m.body)).toEqual(['hello\nworld']);
  });

  test('a subscriber receives MESSAGE_EDITED with the new body, at the next position of the room', async () => {
    const { alice, bob, room } = await twoMembers();
    const sent = await post(servers(), alice, room.id, 'first');
    const sub = subscribe<{ roomEvents: RoomEventJson }, unknown>(openClient(bob.token), RoomEventsDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));

    const edited = await edit(servers(), alice, sent.id, 'second');

    const event = (await sub.next()).data!.roomEvents;
    expect(event.kind).toBe('MESSAGE_EDITED');
    expect(event.message).toEqual(edited);
    expect(event.cursor).not.toBe(sent.cursor);
  });

  test('an edit to the same body changes nothing and emits nothing', async () => {
    const { alice, bob, room } = await twoMembers();
    const sent = await post(servers(), alice, room.id, 'same');
    const sub = subscribe<{ roomEvents: RoomEventJson }, unknown>(openClient(bob.token), RoomEventsDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));

    expect(await edit(servers(), alice, sent.id, ' same ')).toMatchObject({ body: 'same', editedAt: null });
    await sub.expectSilence(300);
  });

  test('another member: FORBIDDEN, and the message is unchanged', async () => {
    const { alice, bob, room } = await twoMembers();
    const sent = await post(servers(), alice, room.id, 'mine');

    expect(errorCode(await attempt(servers(), bob, EditMessageDoc, { messageId: sent.id, body: 'yours' }))).toBe('FORBIDDEN');
    expect((await history(servers(), alice, room.id))[0]).toMatchObject({ body: 'mine', editedAt: null });
  });

  test('a stranger to the room: FORBIDDEN', async () => {
    const { alice, room } = await twoMembers();
    const stranger = await signUp(servers(), 'stranger');
    const sent = await post(servers(), alice, room.id, 'private');

    expect(errorCode(await attempt(servers(), stranger, EditMessageDoc, { messageId: sent.id, body: 'x' }))).toBe('FORBIDDEN');
  });

  test('the author after leaving the room: FORBIDDEN (a non-member no longer reads the room)', async () => {
    const { alice, bob, room } = await twoMembers();
    const sent = await post(servers(), bob, room.id, 'before leaving');
    await gqlData(servers().httpUrl, LeaveRoomDoc, { roomId: room.id }, bob.token);

    expect(errorCode(await attempt(servers(), bob, EditMessageDoc, { messageId: sent.id, body: 'after' }))).toBe('FORBIDDEN');
    expect(errorCode(await attempt(servers(), bob, DeleteMessageDoc, { messageId: sent.id }))).toBe('FORBIDDEN');
    expect((await history(servers(), alice, room.id))[0]!.body).toBe('before leaving');
  });

  test.each([
    ['an empty body', ''],
    ['a blank body', ' \n\t '],
    ['a body over 4000 characters', 'x'.repeat(4001)],
    ['a NUL character', 'a\u0000b'],
  ])('%s: BAD_USER_INPUT, nothing changes', async (_what, body) => {
    const { alice, room } = await twoMembers();
    const sent = await post(servers(), alice, room.id, 'kept');

    expect(errorCode(await attempt(servers(), alice, EditMessageDoc, { messageId: sent.id, body }))).toBe('BAD_USER_INPUT');
    expect((await history(servers(), alice, room.id))[0]).toMatchObject({ body: 'kept', editedAt: null });
  });

  test.each([
    ['an unknown message', () => toGlobalId('Message', uuidv7())],
    ['a malformed id', () => 'not-an-id'],
    ['the id of a room', () => toGlobalId('Room', uuidv7())],
  ])('%s: NOT_FOUND', async (_what, messageId) => {
    const alice = await signUp(servers(), 'alice');
    expect(errorCode(await attempt(servers(), alice, EditMessageDoc, { messageId: messageId(), body: 'x' }))).toBe('NOT_FOUND');
    expect(errorCode(await attempt(servers(), alice, DeleteMessageDoc, { messageId: messageId() }))).toBe('NOT_FOUND');
  });

  test('without a token: UNAUTHENTICATED', async () => {
    const { alice, room } = await twoMembers();
    const sent = await post(servers(), alice, room.id, 'x');
    const anonymous = { ...alice, token: '' };
    expect(errorCode(await attempt(servers(), anonymous, EditMessageDoc, { messageId: sent.id, body: 'y' }))).toBe('UNAUTHENTICATED');
  });

  test('a deleted message: BAD_USER_INPUT, it stays a tombstone', async () => {
    const { alice, room } = await twoMembers();
    const sent = await post(servers(), alice, room.id, 'gone soon');
    await remove(servers(), alice, sent.id);

    expect(errorCode(await attempt(servers(), alice, EditMessageDoc, { messageId: sent.id, body: 'back' }))).toBe('BAD_USER_INPUT');
    expect((await history(servers(), alice, room.id))[0]).toMatchObject({ body: '', editedAt: null });
  });
});

describe('deleteMessage', () => {
  test('leaves a tombstone in place in history: empty body, deletedAt, no reactions; its neighbours untouched', async () => {
    const { alice, bob, room } = await twoMembers();
    const before = await post(servers(), alice, room.id, 'before');
    const doomed = await post(servers(), alice, room.id, 'doomed');
    const after = await post(servers(), bob, room.id, 'after');
    await react(servers(), bob, doomed.id, '👍');

    const tombstone = await remove(servers(), alice, doomed.id);

    expect(tombstone).toMatchObject({ id: doomed.id, body: '', reactions: [], cursor: doomed.cursor, createdAt: doomed.createdAt });
    expect(tombstone.deletedAt).not.toBeNull();
    const page = await history(servers(), bob, room.id);
    expect(page.map((m) => [m.id, m.body])).toEqual([
      [before.id, 'before'],
      [doomed.id, ''],
      [after.id, 'after'],
    ]);
    expect(page[1]).toEqual(tombstone);
  });

  test('deleting twice returns the same tombstone and emits one MESSAGE_DELETED in all', async () => {
    const { alice, bob, room } = await twoMembers();
    const doomed = await post(servers(), alice, room.id, 'doomed');
    const sub = subscribe<{ roomEvents: RoomEventJson }, unknown>(openClient(bob.token), RoomEventsDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));

    const first = await remove(servers(), alice, doomed.id);
    const second = await remove(servers(), alice, doomed.id);
    const marker = await post(servers(), alice, room.id, 'marker');

    expect(second).toEqual(first);
    const deleted = (await sub.next()).data!.roomEvents;
    expect(deleted).toMatchObject({ kind: 'MESSAGE_DELETED', message: first });
    // The next event is the marker: the second delete logged nothing.
    expect((await sub.next()).data!.roomEvents).toMatchObject({ kind: 'MESSAGE_ADDED', message: { id: marker.id } });
  });

  test('another member cannot delete: FORBIDDEN, the message stays', async () => {
    const { alice, bob, room } = await twoMembers();
    const sent = await post(servers(), alice, room.id, 'keep me');

    expect(errorCode(await attempt(servers(), bob, DeleteMessageDoc, { messageId: sent.id }))).toBe('FORBIDDEN');
    expect((await history(servers(), alice, room.id))[0]).toMatchObject({ body: 'keep me', deletedAt: null });
  });
});

describe('the room log', () => {
  test('a subscriber sees sends, edits, reactions and deletes in order, each with the message as it is after it', async () => {
    const { alice, bob, room } = await twoMembers();
    const sub = subscribe<{ roomEvents: RoomEventJson }, unknown>(openClient(bob.token), RoomEventsDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));

    const sent = await post(servers(), alice, room.id, 'v1');
    const edited = await edit(servers(), alice, sent.id, 'v2');
    const reacted = await react(servers(), bob, sent.id, '🎉');
    const deleted = await remove(servers(), alice, sent.id);

    const events: RoomEventJson[] = [];
    for (let i = 0; i < 4; i++) events.push((await sub.next()).data!.roomEvents);
    expect(events.map((e) => [e.kind, e.message.body, e.message.reactions.length])).toEqual([
      ['MESSAGE_ADDED', 'v1', 0],
      ['MESSAGE_EDITED', 'v2', 0],
      ['REACTIONS_CHANGED', 'v2', 1],
      ['MESSAGE_DELETED', '', 0],
    ]);
    expect(events[1]!.message).toEqual(edited);
    expect(events[2]!.message).toEqual(reacted);
    expect(events[3]!.message).toEqual(deleted);

    // Resuming after the first event replays the rest from the log, in the same order and
    // at the same positions, each message as it was after its event or (read from the log) as it is now.
    const resumed = subscribe<{ roomEvents: RoomEventJson }, unknown>(openClient(bob.token), RoomEventsDoc, {
      roomId: room.id,
      after: events[0]!.cursor,
    });
    const replayed: RoomEventJson[] = [];
    for (let i = 0; i < 3; i++) replayed.push((await resumed.next()).data!.roomEvents);
    expect(replayed.map((e) => [e.kind, e.cursor])).toEqual(events.slice(1).map((e) => [e.kind, e.cursor]));
    replayed.forEach((e, i) => expect([events[i + 1]!.message, deleted]).toContainEqual(e.message));
  });

  test('concurrent edits and deletes of many messages keep every room position once, contiguous', async () => {
    const { alice, bob, room } = await twoMembers();
    const sent = [];
    for (let i = 0; i < 10; i++) sent.push(await post(servers(), i % 2 ? bob : alice, room.id, `m${i}`));
    const sub = subscribe<{ roomEvents: RoomEventJson }, unknown>(openClient(alice.token), RoomEventsDoc, {
      roomId: room.id,
      after: sent[9]!.cursor,
    });
    await listening(servers(), topics.messages(room.id));

    const results = await Promise.all(
      sent.flatMap((m, i) => {
        const author = i % 2 ? bob : alice;
        return [
          attempt(servers(), author, EditMessageDoc, { messageId: m.id, body: `m${i} edited` }),
          attempt(servers(), alice, AddReactionDoc, { messageId: m.id, emoji: '👍' }),
          ...(i < 3 ? [attempt(servers(), author, DeleteMessageDoc, { messageId: m.id })] : []),
        ];
      }),
    );
    // Only a change that came after its message's delete may fail, and only as BAD_USER_INPUT.
    expect(results.filter((r) => r.errors).map(errorCode).every((code) => code === 'BAD_USER_INPUT')).toBe(true);
    const changed = results.filter((r) => !r.errors).length;

    const received: RoomEventJson[] = [];
    while (received.length < changed) received.push((await sub.next()).data!.roomEvents);
    await sub.expectSilence(200);
    // Every accepted change took one position: 11, 12, … with no gap and no repeat.
    expect(received.map((e) => seqOf(e.cursor))).toEqual(Array.from({ length: changed }, (_, i) => 11 + i));
    expect(received.filter((e) => e.kind === 'MESSAGE_DELETED')).toHaveLength(3);
  });
});
