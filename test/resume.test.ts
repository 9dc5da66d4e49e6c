import WebSocket from 'ws';
import { encodeCursor } from '../src/resolvers/pagination';
import { createRoom, joinRoom, listening, rawIdOf, signUp, topics, type TestUser } from './helpers/factories';
import { gqlData } from './helpers/http';
import { refusalCode, useWsClients } from './helpers/live';
import { LeaveRoomDoc } from './helpers/operations';
import {
  collect,
  contiguousFrom,
  HistoryDoc,
  httpRun,
  roomChurn,
  RoomEventsStateDoc,
  sendState,
  type StateEvent,
  MessageAddedAfterDoc,
  positionOf,
  RoomEventsAfterDoc,
  SendWithCursorDoc,
  senderLoop,
  type Collector,
  type RoomEvent,
  type SentMessage,
} from './helpers/resume';
import { insertMessages } from './helpers/room-db';
import { useServers } from './helpers/servers';
import { until, withTimeout } from './helpers/wait';
import { subscribe } from './helpers/ws';

/**
 * Issue 9, items 2 and 7, end to end: a client hands its last cursor to `roomEvents` or
 * `messageAdded` and gets every change after it, then live ones, with no gap and no
 * duplicate, whatever the room's channel in this process is doing at that moment (not yet
 * followed, live with its recent events in memory, or far ahead of the cursor).
 */

jest.setTimeout(20_000);

// The senders below send as fast as they can: past a minute's budget and the per-socket frame rate.
const servers = useServers({ RATE_LIMIT_MESSAGES_PER_MINUTE: '0', MAX_FRAMES_PER_SOCKET_PER_SECOND: '0' });
const open = useWsClients(servers);

async function sendMessage(user: TestUser, roomId: string, body: string): Promise<SentMessage> {
  return (await gqlData<{ sendMessage: SentMessage }, unknown>(servers().httpUrl, SendWithCursorDoc, { roomId, body }, user.token)).sendMessage;
}

async function sendMany(user: TestUser, roomId: string, count: number, prefix = 'm'): Promise<SentMessage[]> {
  const sent: SentMessage[] = [];
  for (let i = 0; i < count; i++) sent.push(await sendMessage(user, roomId, `${prefix} ${i}`));
  return sent;
}

/** A room of alice's that bob belongs to. */
async function twoMemberRoom() {
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const room = await createRoom(servers(), alice);
  await joinRoom(servers(), bob, room.id);
  return { alice, bob, room };
}

const positions = (items: { cursor: string }[]) => items.map((item) => positionOf(item.cursor));

describe('resuming after a cursor', () => {
  test('roomEvents after a message cursor: every later event in order, then live ones', async () => {
    const { alice, bob, room } = await twoMemberRoom();
    const before = await sendMany(alice, room.id, 10);
    const events = collect<RoomEvent>(open(bob.token), RoomEventsAfterDoc, { roomId: room.id, after: before[2]!.cursor }, 'roomEvents');
    await events.until((r) => r.length === 7, 'the 7 stored events');
    await listening(servers(), topics.messages(room.id));
    const live = await sendMany(alice, room.id, 5, 'live');
    await events.until((r) => r.length === 12, 'the 5 live events');

    expect(events.results.map((e) => e.message.id)).toEqual([...before.slice(3), ...live].map((m) => m.id));
    expect(events.results.every((e) => e.kind === 'MESSAGE_ADDED')).toBe(true);
    expect(contiguousFrom(positionOf(before[2]!.cursor) + 1, positions(events.results))).toBe(true);
    events.stop();
  });

  test('messageAdded after an event cursor: every later message in order, then live ones', async () => {
    const { alice, bob, room } = await twoMemberRoom();
    const before = await sendMany(alice, room.id, 8);
    // An event cursor as a roomEvents client holds it.
    const events = collect<RoomEvent>(open(bob.token), RoomEventsAfterDoc, { roomId: room.id, after: before[0]!.cursor }, 'roomEvents');
    await events.until((r) => r.length === 7, 'the stored events');
    events.stop();
    const eventCursor = events.results[3]!.cursor;

    const messages = collect<SentMessage>(open(bob.token), MessageAddedAfterDoc, { roomId: room.id, after: eventCursor }, 'messageAdded');
    await messages.until((r) => r.length === 3, 'the stored messages');
    await listening(servers(), topics.messages(room.id));
    const live = await sendMany(alice, room.id, 4, 'live');
    await messages.until((r) => r.length === 7, 'the live messages');

    expect(messages.results).toEqual([...before.slice(5), ...live]);
    messages.stop();
  });

  test('while a sender keeps sending, resumers of every kind get a contiguous log, then live, once each', async () => {
    const { alice, bob, room } = await twoMemberRoom();
    const before = await sendMany(alice, room.id, 60);
    const sender = senderLoop((i) => sendMessage(alice, room.id, `during ${i}`));
    let resumers: { from: number; events: Collector<RoomEvent> }[] = [];
    let messages: Collector<SentMessage> | null = null;
    try {
      await until(() => sender.sent.length >= 5, 'the sender to get going');
      // All at once, while messages arrive: the first one creates the room's channel in
      // this process at its cursor; the others join it behind (far behind: read from the
      // log; a little behind: served from the channel's memory) or at its live end.
      const cursors = [before[5]!.cursor, before[50]!.cursor, before[0]!.cursor, sender.sent.at(-1)!.cursor, before[59]!.cursor];
      resumers = cursors.map((after) => ({
        from: positionOf(after),
        events: collect<RoomEvent>(open(bob.token), RoomEventsAfterDoc, { roomId: room.id, after }, 'roomEvents'),
      }));
      messages = collect<SentMessage>(open(bob.token), MessageAddedAfterDoc, { roomId: room.id, after: before[30]!.cursor }, 'messageAdded');
      const sentAtStart = sender.sent.length;
      await until(() => sender.sent.length >= sentAtStart + 30, 'messages sent while the resumers start', 10_000);
    } finally {
      await sender.stop();
    }
    const lastSent = sender.sent.at(-1)!;
    const last = positionOf(lastSent.cursor);
    for (const { from, events } of resumers) {
      await events.until((r) => positions(r).includes(last), `events up to position ${last}`);
      expect(contiguousFrom(from + 1, positions(events.results))).toBe(true);
      expect(events.results.at(-1)!.message.id).toBe(lastSent.id);
    }
    await messages!.until((r) => r.at(-1)?.id === lastSent.id, 'the last message');
    expect(messages!.results).toEqual([...before.slice(31), ...sender.sent]);
    // Nothing more after the last one: a duplicate would arrive late.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(messages!.results).toHaveLength(29 + sender.sent.length);
    for (const { from, events } of resumers) expect(events.results).toHaveLength(last - from);
  });

  test('a subscriber joining a live channel from a cursor, while a sender keeps sending, misses nothing', async () => {
    const { alice, bob, room } = await twoMemberRoom();
    const before = await sendMany(alice, room.id, 40);
    // A live follower of the room keeps its channel in this process going.
    const watcher = collect<RoomEvent>(open(alice.token), RoomEventsAfterDoc, { roomId: room.id }, 'roomEvents');
    await listening(servers(), topics.messages(room.id));
    const sender = senderLoop((i) => sendMessage(alice, room.id, `during ${i}`));
    const resumers: { from: number; events: Collector<RoomEvent> }[] = [];
    try {
      // One resumer after another while the channel moves on: each from a cursor a little
      // or far behind the channel, each joining at a different moment.
      for (const index of [39, 35, 10, 0]) {
        await until(() => sender.sent.length >= resumers.length * 5 + 5, 'more messages');
        const after = before[index]!.cursor;
        resumers.push({ from: positionOf(after), events: collect<RoomEvent>(open(bob.token), RoomEventsAfterDoc, { roomId: room.id, after }, 'roomEvents') });
      }
      const sentAtStart = sender.sent.length;
      await until(() => sender.sent.length >= sentAtStart + 20, 'messages after the last resumer');
    } finally {
      await sender.stop();
    }
    const last = positionOf(sender.sent.at(-1)!.cursor);
    for (const { from, events } of [...resumers, { from: positionOf(before[39]!.cursor), events: watcher }]) {
      await events.until((r) => positions(r).includes(last), `events up to position ${last}`);
      expect(contiguousFrom(from + 1, positions(events.results))).toBe(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const { from, events } of resumers) expect(events.results).toHaveLength(last - from);
  });

  test('while the room churns (sends, edits, reactions, deletes), resumers from event cursors get every event once, in order', async () => {
    const { alice, bob, room } = await twoMemberRoom();
    const run = httpRun(servers().httpUrl, alice.token);
    const churn = roomChurn(run, room.id);
    for (let step = 0; step < 60; step++) await churn(step);
    // Event cursors of every kind, as a client that was following holds them.
    const start = (await gqlData<{ messages: { edges: { cursor: string }[] } }, unknown>(servers().httpUrl, HistoryDoc, { roomId: room.id, first: 1 }, bob.token)).messages.edges[0]!.cursor;
    const all = collect<StateEvent>(open(bob.token), RoomEventsStateDoc, { roomId: room.id, after: start }, 'roomEvents');
    await all.until((r) => r.length >= 60, 'the stored events');
    const byKind = (kind: string) => all.results.filter((e) => e.kind === kind);
    const cursors = ['MESSAGE_EDITED', 'REACTIONS_CHANGED', 'MESSAGE_DELETED'].map((kind) => byKind(kind)[2]!.cursor);

    const sender = senderLoop((i) => churn(60 + i));
    const resumers: { from: number; events: Collector<StateEvent> }[] = [];
    try {
      for (const after of cursors) {
        resumers.push({ from: positionOf(after), events: collect<StateEvent>(open(bob.token), RoomEventsStateDoc, { roomId: room.id, after }, 'roomEvents') });
        await until(() => sender.sent.length >= resumers.length * 10, 'more changes');
      }
    } finally {
      await sender.stop();
    }
    const last = positionOf((await sendState(run, room.id, 'the end')).cursor);
    for (const { from, events } of [...resumers, { from: positionOf(start), events: all }]) {
      await events.until((r) => positions(r).includes(last), `events up to position ${last}`);
      expect(contiguousFrom(from + 1, positions(events.results))).toBe(true);
    }
    expect(new Set(all.results.map((e) => e.kind))).toEqual(new Set(['MESSAGE_ADDED', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'REACTIONS_CHANGED']));
    // messageAdded after an edit's cursor: the messages stored after that edit, and only those.
    const edit = byKind('MESSAGE_EDITED')[4]!;
    const messages = collect<SentMessage>(open(bob.token), MessageAddedAfterDoc, { roomId: room.id, after: edit.cursor }, 'messageAdded');
    const expected = all.results.filter((e) => e.kind === 'MESSAGE_ADDED' && positionOf(e.cursor) > positionOf(edit.cursor));
    await messages.until((r) => r.length >= expected.length, 'the later messages');
    expect(messages.results.map((m) => m.id)).toEqual(expected.map((e) => e.message.id));
  });

  test.each([
    ['the first subscriber of the room in this process', false],
    ['a subscriber joining the live channel far behind', true],
  ])('a client 350 messages behind gets all of them in order, then live ones: %s', async (_name, withLiveFollower) => {
    const { alice, bob, room } = await twoMemberRoom();
    const first = await sendMessage(alice, room.id, 'the last one bob saw');
    const watcher = withLiveFollower ? collect<RoomEvent>(open(alice.token), RoomEventsAfterDoc, { roomId: room.id }, 'roomEvents') : null;
    if (watcher) await listening(servers(), topics.messages(room.id));
    await insertMessages(servers(), room.id, alice.id, 'missed', 350);
    const behind = collect<RoomEvent>(open(bob.token), RoomEventsAfterDoc, { roomId: room.id, after: first.cursor }, 'roomEvents');
    await behind.until((r) => r.length === 350, 'the 350 missed events');
    const live = await sendMessage(alice, room.id, 'live again');
    await behind.until((r) => r.length === 351, 'the live event');

    expect(contiguousFrom(positionOf(first.cursor) + 1, positions(behind.results))).toBe(true);
    expect(behind.results.slice(0, 350).every((e) => e.message.body === 'missed')).toBe(true);
    expect(behind.results[350]!.message).toEqual({ id: live.id, body: 'live again' });
  });
});

describe('cursors', () => {
  test('a history edge cursor works as `after`, and Message.cursor equals the edge cursor of the same message', async () => {
    const { alice, bob, room } = await twoMemberRoom();
    const sent = await sendMany(alice, room.id, 6);
    type History = { messages: { edges: { cursor: string; node: SentMessage }[] } };
    const { messages } = await gqlData<History, unknown>(servers().httpUrl, HistoryDoc, { roomId: room.id, first: 10 }, bob.token);
    expect(messages.edges.map((edge) => edge.cursor)).toEqual(sent.map((m) => m.cursor));
    expect(messages.edges.every((edge) => edge.cursor === edge.node.cursor)).toBe(true);

    const resumed = collect<SentMessage>(open(bob.token), MessageAddedAfterDoc, { roomId: room.id, after: messages.edges[3]!.cursor }, 'messageAdded');
    await resumed.until((r) => r.length === 2, 'the two later messages');
    expect(resumed.results).toEqual(sent.slice(4));
  });

  test('the cursor of the last event resumes with live events only', async () => {
    const { alice, bob, room } = await twoMemberRoom();
    const sent = await sendMany(alice, room.id, 3);
    const sub = subscribe(open(bob.token), MessageAddedAfterDoc, { roomId: room.id, after: sent[2]!.cursor });
    await listening(servers(), topics.messages(room.id));
    await sub.expectSilence(100);
    const live = await sendMessage(alice, room.id, 'next');
    expect((await sub.next()).data).toEqual({ messageAdded: live });
  });
});

describe('refused resumes', () => {
  const refused = async (token: string, document: string, variables: Record<string, unknown>) => refusalCode(subscribe(open(token), document, variables));

  test('`after` without roomId is BAD_USER_INPUT, for both subscriptions', async () => {
    const { alice, room } = await twoMemberRoom();
    const [sent] = await sendMany(alice, room.id, 1);
    expect(await refused(alice.token, RoomEventsAfterDoc, { after: sent!.cursor })).toBe('BAD_USER_INPUT');
    expect(await refused(alice.token, MessageAddedAfterDoc, { after: sent!.cursor })).toBe('BAD_USER_INPUT');
  });

  test("a cursor of another room is BAD_USER_INPUT, even one of the user's own rooms", async () => {
    const { alice, room } = await twoMemberRoom();
    const other = await createRoom(servers(), alice);
    const [elsewhere] = await sendMany(alice, other.id, 1);
    await sendMany(alice, room.id, 2);
    expect(await refused(alice.token, RoomEventsAfterDoc, { roomId: room.id, after: elsewhere!.cursor })).toBe('BAD_USER_INPUT');
    expect(await refused(alice.token, MessageAddedAfterDoc, { roomId: room.id, after: elsewhere!.cursor })).toBe('BAD_USER_INPUT');
  });

  test.each(['', 'nonsense', 'bTEyMw', 'AQ', 'A'.repeat(34), 'x'.repeat(100)])('a malformed cursor (%p) is BAD_USER_INPUT', async (cursor) => {
    const { alice, room } = await twoMemberRoom();
    expect(await refused(alice.token, RoomEventsAfterDoc, { roomId: room.id, after: cursor })).toBe('BAD_USER_INPUT');
  });

  test('a cursor beyond the last event of the room is BAD_USER_INPUT', async () => {
    const { alice, room } = await twoMemberRoom();
    const sent = await sendMany(alice, room.id, 2);
    const beyond = encodeCursor(rawIdOf(room.id), positionOf(sent[1]!.cursor) + 1);
    expect(await refused(alice.token, RoomEventsAfterDoc, { roomId: room.id, after: beyond })).toBe('BAD_USER_INPUT');
    expect(await refused(alice.token, MessageAddedAfterDoc, { roomId: room.id, after: beyond })).toBe('BAD_USER_INPUT');
  });

  test('a non-member resuming with a valid cursor of the room is FORBIDDEN and receives nothing', async () => {
    const { alice, room } = await twoMemberRoom();
    const eve = await signUp(servers(), 'eve');
    const [sent] = await sendMany(alice, room.id, 3);
    expect(await refused(eve.token, RoomEventsAfterDoc, { roomId: room.id, after: sent!.cursor })).toBe('FORBIDDEN');
    expect(await refused(eve.token, MessageAddedAfterDoc, { roomId: room.id, after: sent!.cursor })).toBe('FORBIDDEN');
  });
});

describe('roomEvents without roomId', () => {
  test('follows rooms joined after subscribing and stops at rooms left, keeping the others', async () => {
    const { alice, bob, room: kept } = await twoMemberRoom();
    const joinedLater = await createRoom(servers(), alice);
    const events = collect<RoomEvent>(open(bob.token), RoomEventsAfterDoc, {}, 'roomEvents');
    await listening(servers(), topics.messages(kept.id));
    await listening(servers(), topics.membership(bob.id));

    await joinRoom(servers(), bob, joinedLater.id);
    await listening(servers(), topics.messages(joinedLater.id));
    const inJoined = await sendMessage(alice, joinedLater.id, 'welcome, bob');
    const inKept = await sendMessage(alice, kept.id, 'in the kept room');
    await events.until((r) => r.length === 2, 'both events');

    await gqlData(servers().httpUrl, LeaveRoomDoc, { roomId: joinedLater.id }, bob.token);
    await until(() => servers().deps.rooms.followerCount(rawIdOf(joinedLater.id)) === 0, 'bob to stop following the left room');
    await sendMessage(alice, joinedLater.id, 'bob is gone');
    const last = await sendMessage(alice, kept.id, 'still here');
    await events.until((r) => r.length === 3, 'the kept room event');
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(events.results.map((e) => e.message.id)).toEqual([inJoined.id, inKept.id, last.id]);
    expect(events.ended).toBeNull();
  });
});

describe('a slow consumer closed with 1013', () => {
  test('reconnects with its last cursor and gets everything, exactly once, in order', async () => {
    const { alice, bob, room } = await twoMemberRoom();
    const frames: RoomEvent[] = [];
    const slow = await rawSubscriber(servers().wsUrl, bob.token, { roomId: room.id }, (event) => frames.push(event));
    const closed = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)));
    await listening(servers(), topics.messages(room.id));
    // Stop reading: the kernel buffers fill, then the server's send buffer grows past its bound.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const body = '€'.repeat(3990); // about 12 KB per frame
    const sent: SentMessage[] = [];
    let closeCode: number | null = null;
    void closed.then((code) => (closeCode = code));
    while (servers().deps.rooms.followerCount(rawIdOf(room.id)) === 1 && closeCode === null) {
      if (sent.length >= 3000) throw new Error('the slow consumer was never disconnected');
      // Sent 10 at a time (see socket-delivery.test.ts: one at a time was too slow on a loaded machine).
      const batch = await Promise.all(Array.from({ length: 10 }, (_, i) => sendMessage(alice, room.id, `${sent.length + i} ${body}`)));
      sent.push(...batch);
    }
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await withTimeout(closed, 10_000, 'the slow client to see its close')).toBe(1013);
    // While it is away, more than a page of the log and more than the channel keeps in memory.
    for (let i = 0; i < 15; i++) {
      sent.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => sendMessage(alice, room.id, `while away ${i * 10 + j}`)))));
    }
    expect(sent.length - frames.length).toBeGreaterThan(150);

    // What a client does: resume after the last event it has, while the room goes on.
    const sender = senderLoop((i) => sendMessage(alice, room.id, `during the resume ${i}`));
    let resumed: Collector<RoomEvent>;
    try {
      resumed = collect<RoomEvent>(open(bob.token), RoomEventsAfterDoc, { roomId: room.id, after: frames.at(-1)!.cursor }, 'roomEvents');
      await until(() => sender.sent.length >= 20, 'messages during the resume');
    } finally {
      await sender.stop();
    }
    sent.push(...sender.sent);
    await resumed.until((r) => frames.length + r.length >= sent.length, 'everything after the last event it had');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Caught up in one reconnect (its catch-up fits the socket's send buffer), once each, in order.
    expect(resumed.ended).toBeNull();
    const received = [...frames, ...resumed.results];
    const inOrder = [...sent].sort((a, b) => positionOf(a.cursor) - positionOf(b.cursor));
    expect(received.map((e) => e.message.id)).toEqual(inOrder.map((m) => m.id));
    expect(contiguousFrom(positionOf(inOrder[0]!.cursor), positions(received))).toBe(true);
  }, 60_000);
});

/** A plain `ws` client speaking graphql-transport-ws (its socket can be paused): roomEvents as id `s1`. */
async function rawSubscriber(url: string, token: string, variables: Record<string, unknown>, onEvent: (event: RoomEvent) => void): Promise<WebSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; payload?: { data?: { roomEvents?: RoomEvent } } };
      if (frame.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: 's1', type: 'subscribe', payload: { query: RoomEventsAfterDoc, variables } }));
        resolve();
      } else if (frame.payload?.data?.roomEvents) onEvent(frame.payload.data.roomEvents);
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
  });
  return socket;
}
