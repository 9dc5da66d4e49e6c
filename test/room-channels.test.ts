import { PubSub } from 'graphql-subscriptions';
import { createContext } from '../src/context';
import { createLogger } from '../src/logger';
import { createEventBus, Topic } from '../src/live/pubsub';
import { sendMessage } from '../src/resolvers/messages';
import { insertMessages } from '../src/entities/stores/messages';
import { RoomChannels, type RoomEventSink } from '../src/live/room-channels';
import type { RoomEventView } from '../src/resolvers/views';
import { createRoom, rawIdOf, signUp } from './helpers/factories';
import { useServers } from './helpers/servers';
import { until } from './helpers/wait';

/**
 * One channel per room and process, on the real database and an in-process bus: every
 * follower gets each message once and in order, however far behind the channel it joined.
 */

const servers = useServers();

class CollectingSink implements RoomEventSink {
  readonly seqs: number[] = [];
  readonly failures: unknown[] = [];
  push(event: RoomEventView): void {
    this.seqs.push(event.seq);
  }
  fail(_roomId: string, err: unknown): void {
    this.failures.push(err);
  }
}

/** The in-process engine, but delivering a turn after `publish` returns, as Redis does (later still). */
class LaterPubSub extends PubSub {
  override publish(trigger: string, payload: unknown): Promise<void> {
    setImmediate(() => void super.publish(trigger, payload));
    return Promise.resolve();
  }
}

async function setup(engine?: PubSub) {
  const bus = createEventBus(createLogger({ level: 'silent' }), { engine });
  const { sql, log } = servers().deps;
  const rooms = new RoomChannels({ bus, sql, log });
  const deps = { ...servers().deps, bus, rooms };
  const owner = await signUp(servers(), 'owner');
  const roomId = rawIdOf((await createRoom(servers(), owner)).id);
  const ctx = createContext(deps, { token: owner.token, clientAddress: '127.0.0.1' });
  const send = (body: string) => sendMessage(ctx, { roomId, body });
  return { bus, rooms, roomId, send };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('followers of one room share one bus listener, and each gets every message once, in order', async () => {
  const { bus, rooms, roomId, send } = await setup();
  const sinks = [new CollectingSink(), new CollectingSink(), new CollectingSink()];
  const follows = sinks.map((sink) => rooms.follow(roomId, 0, sink));
  await Promise.all(follows.map((f) => f.live));
  expect(bus.listenerCount(Topic.roomEvents(roomId))).toBe(1);
  expect(rooms.followerCount(roomId)).toBe(3);

  for (let i = 0; i < 5; i++) await send(`m${i}`);
  await until(() => sinks.every((s) => s.seqs.length === 5), 'five messages for every follower');
  for (const sink of sinks) expect(sink.seqs).toEqual(range(1, 5));

  follows.forEach((f) => f.stop());
  expect(rooms.followerCount(roomId)).toBe(0);
  await until(() => bus.listenerCount(Topic.roomEvents(roomId)) === 0, 'the channel to let go of the topic');
  await bus.close();
});

test('a follower that joins behind the channel reads what it missed, then goes on live, once each', async () => {
  const { rooms, roomId, send } = await setup();
  const ahead = new CollectingSink();
  const first = rooms.follow(roomId, 0, ahead);
  await first.live;
  for (let i = 0; i < 4; i++) await send(`early ${i}`);
  await until(() => ahead.seqs.length === 4, 'the channel to reach 4');

  // Its view of the room is older than the channel's: messages 2-4 were delivered before it came.
  const behind = new CollectingSink();
  const late = rooms.follow(roomId, 1, behind);
  for (let i = 0; i < 3; i++) await send(`late ${i}`);
  await until(() => behind.seqs.length === 6 && ahead.seqs.length === 7, 'every message for both');
  expect(behind.seqs).toEqual(range(2, 7));
  expect(ahead.seqs).toEqual(range(1, 7));
  expect(behind.failures).toEqual([]);
  [first, late].forEach((f) => f.stop());
});

test('a follower that joins ahead of the channel is not given what it already has', async () => {
  const { rooms, roomId, send } = await setup();
  for (let i = 0; i < 3; i++) await send(`before ${i}`);
  // The channel starts from an older view (0): it reads 1-3 once live; the second follower has them.
  const old = new CollectingSink();
  const fresh = new CollectingSink();
  const follows = [rooms.follow(roomId, 0, old), rooms.follow(roomId, 3, fresh)];
  await Promise.all(follows.map((f) => f.live));
  await send('after');
  await until(() => old.seqs.length === 4 && fresh.seqs.length === 1, 'the new message for both');
  expect(old.seqs).toEqual(range(1, 4));
  expect(fresh.seqs).toEqual([4]);
  follows.forEach((f) => f.stop());
});

test('after the bus resumes from an outage, the channel reads what was stored meanwhile, once for all its followers', async () => {
  const { bus, rooms, roomId, send } = await setup();
  const sinks = [new CollectingSink(), new CollectingSink()];
  const follows = sinks.map((sink) => rooms.follow(roomId, 0, sink));
  await Promise.all(follows.map((f) => f.live));
  await send('live');
  await until(() => sinks.every((s) => s.seqs.length === 1), 'the live message');

  // Stored while the bus was away: its publish never reaches the channel.
  const [stored] = await insertMessages(servers().deps.sql, [
    { id: crypto.randomUUID(), roomId, authorId: (await firstMemberOf(roomId))!, body: 'lost', createdAt: new Date() },
  ]);
  expect(stored).toMatchObject({ outcome: 'stored', seq: 2 });
  bus.notifyResumed();
  await until(() => sinks.every((s) => s.seqs.length === 2), 'the message stored during the outage');
  for (const sink of sinks) expect(sink.seqs).toEqual([1, 2]);
  follows.forEach((f) => f.stop());
});

async function firstMemberOf(roomId: string): Promise<string | undefined> {
  const [row] = await servers().deps.sql.query({ text: 'select user_id from room_members where room_id = $1 limit 1' }, [roomId]);
  return row?.user_id as string | undefined;
}

test('when the database cannot fill a gap, every follower of the room is ended once, and the channel lets go', async () => {
  const bus = createEventBus(createLogger({ level: 'silent' }));
  const { log } = servers().deps;
  // The database answers the channel's first read (nothing new), then goes away: reads
  // fail as they do when the server is unreachable.
  let reads = 0;
  const goesAway = {
    query: () => (reads++ === 0 ? Promise.resolve([]) : Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))),
  };
  const rooms = new RoomChannels({ bus, sql: goesAway, log });
  const roomId = crypto.randomUUID();
  const sinks = [new CollectingSink(), new CollectingSink()];
  const follows = sinks.map((sink) => rooms.follow(roomId, 5, sink));
  await Promise.all(follows.map((f) => f.live));
  await until(() => reads === 1, 'the read of what was stored before the topic went live');
  expect(sinks.every((s) => s.failures.length === 0)).toBe(true);
  // Seq 8 after 5: messages 6 and 7 were lost on the bus, and cannot be read back.
  const room = { id: roomId, kind: 'GROUP', name: 'r', createdAt: new Date(0).toISOString() };
  const author = { id: crypto.randomUUID(), username: 'u', createdAt: new Date(0).toISOString() };
  const message = { id: crypto.randomUUID(), seq: 8, room, author, body: 'late', createdAt: new Date().toISOString(), clientMessageId: null, replyToId: null, editedAt: null, deletedAt: null, reactions: [] };
  await bus.publish(Topic.roomEvents(roomId), { kind: 'MESSAGE_ADDED', seq: 8, message });
  await until(() => sinks.every((s) => s.failures.length === 1), 'every follower to be ended');
  expect(reads).toBe(2);
  for (const sink of sinks) expect(sink.seqs).toEqual([]);
  expect(rooms.followerCount(roomId)).toBe(0);
  await until(() => bus.listenerCount(Topic.roomEvents(roomId)) === 0, 'the channel to let go of the topic');
  await bus.close();
});

describe('an event this process commits goes to its own followers before the bus brings it back', () => {
  test('they get it as the send returns, once, and the copy from the bus is dropped', async () => {
    const { bus, rooms, roomId, send } = await setup(new LaterPubSub());
    const sink = new CollectingSink();
    const follow = rooms.follow(roomId, 0, sink);
    await follow.live;
    await send('first');
    // The engine has not delivered yet: the follower got it from this process.
    expect(sink.seqs).toEqual([1]);
    await send('second');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sink.seqs).toEqual([1, 2]);
    follow.stop();
    await bus.close();
  });

  test('a follower that throws does not fail the send, which is committed', async () => {
    const { bus, rooms, roomId, send } = await setup(new LaterPubSub());
    const throwing: RoomEventSink = {
      push: () => {
        throw new Error('a delivery bug');
      },
      fail: () => undefined,
    };
    const follow = rooms.follow(roomId, 0, throwing);
    await follow.live;
    await expect(send('stored anyway')).resolves.toMatchObject({ body: 'stored anyway', seq: 1 });
    follow.stop();
    await bus.close();
  });
});
