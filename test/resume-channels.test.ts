import { createContext } from '../src/context';
import { logPageSize } from '../src/entities/stores/room-log';
import { insertMessages } from '../src/entities/stores/messages';
import { createLogger } from '../src/logger';
import { createEventBus } from '../src/live/pubsub';
import { sendMessage } from '../src/resolvers/messages';
import { RoomChannels, type RoomEventSink } from '../src/live/room-channels';
import { RoomSequencer } from '../src/live/room-sequencer';
import type { RoomEventView } from '../src/resolvers/views';
import { createRoom, rawIdOf, signUp } from './helpers/factories';
import { useServers } from './helpers/servers';
import { until } from './helpers/wait';

/**
 * The two holes the end-to-end resume tests (resume.test.ts) found, pinned down where they
 * were: a resume whose cursor is behind the log but not behind the room's channel, and a
 * resync asked for while a read is under way.
 */

const servers = useServers();

class CollectingSink implements RoomEventSink {
  readonly seqs: number[] = [];
  push(event: RoomEventView): void {
    this.seqs.push(event.seq);
  }
  fail(): void {
    throw new Error('no failure expected');
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('a resync asked for while a read is under way reads again after it: what was stored meanwhile is not left for the next live event', async () => {
  const stored = [1, 2, 3];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reads = 0;
  // Like a database read, it sees what was stored when it began.
  const readAfter = async (_room: string, after: number) => {
    const page = stored.filter((seq) => seq > after).slice(0, logPageSize).map((seq) => ({ kind: 'MESSAGE_ADDED', seq }) as RoomEventView);
    if (reads++ === 0) await gate;
    return page;
  };
  const delivered: number[] = [];
  const sequencer = new RoomSequencer('r', 0, readAfter, (event) => delivered.push(event.seq), (err) => {
    throw err;
  });
  sequencer.resync();
  // Stored, and a resync asked for (the topic went live, the bus resumed), while the first read is held.
  stored.push(4, 5);
  sequencer.resync();
  release();
  await until(() => delivered.length === 5, 'the events stored during the read');
  expect(delivered).toEqual(range(1, 5));
  expect(reads).toBe(2);
});

test("a follower whose cursor is at the channel's position but behind the log gets the rest without waiting for a live event", async () => {
  const bus = createEventBus(createLogger({ level: 'silent' }));
  const { sql, log } = servers().deps;
  const rooms = new RoomChannels({ bus, sql, log });
  const owner = await signUp(servers(), 'owner');
  const roomId = rawIdOf((await createRoom(servers(), owner)).id);
  const ctx = createContext({ ...servers().deps, bus, rooms }, { token: owner.token, clientAddress: '127.0.0.1' });
  await sendMessage(ctx, { roomId, body: 'seen live' });
  const watcher = new CollectingSink();
  const watching = rooms.follow(roomId, 0, watcher);
  await watching.live;
  await until(() => watcher.seqs.length === 1, 'the first message');

  // Stored without a live event (its publish was lost): the channel still thinks 1 is the last.
  await insertMessages(sql, range(1, 3).map(() => ({ id: crypto.randomUUID(), roomId, authorId: rawIdOf(owner.id), body: 'unpublished', createdAt: new Date() })));
  // A client resuming after 1, having read that the room is at 4.
  const resumer = new CollectingSink();
  const resuming = rooms.follow(roomId, 1, resumer, 4);
  await until(() => resumer.seqs.length === 3, 'the unpublished events for the resumer');
  expect(resumer.seqs).toEqual([2, 3, 4]);
  // Read once by the channel, for every follower.
  await until(() => watcher.seqs.length === 4, 'the unpublished events for the watcher');
  expect(watcher.seqs).toEqual(range(1, 4));
  [watching, resuming].forEach((f) => f.stop());
  await bus.close();
});

test.each([
  ['the first follower of the room (the channel reads)', false],
  ['a follower joining a live channel far behind (it reads for itself)', true],
])('a far-behind follower that goes away stops the log being read for it: %s', async (_name, channelLive) => {
  const bus = createEventBus(createLogger({ level: 'silent' }));
  const { sql, log } = servers().deps;
  let logReads = 0;
  const countingSql = new Proxy(sql, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'query') return typeof value === 'function' ? value.bind(target) : value;
      return (statement: { name?: string }, params: unknown[]) => {
        if (statement.name === 'room_log_after') logReads++;
        return value.call(target, statement, params);
      };
    },
  });
  const rooms = new RoomChannels({ bus, sql: countingSql, log });
  const owner = await signUp(servers(), 'owner');
  const roomId = rawIdOf((await createRoom(servers(), owner)).id);
  const drafts = range(1, 5 * logPageSize).map(() => ({ id: crypto.randomUUID(), roomId, authorId: rawIdOf(owner.id), body: 'old', createdAt: new Date() }));
  await insertMessages(sql, drafts);
  const watching = channelLive ? rooms.follow(roomId, 5 * logPageSize, new CollectingSink()) : null;
  await watching?.live;
  await until(() => logReads === (channelLive ? 1 : 0), "the channel's first read");
  const readsBefore = logReads;

  // It goes away as soon as its first event arrives (a phone dropping again).
  let gone: (() => void) | null = null;
  const received: number[] = [];
  const follow = rooms.follow(roomId, 0, { push: (event) => (received.push(event.seq), gone?.()), fail: () => undefined }, 5 * logPageSize);
  gone = () => follow.stop();
  await until(() => received.length > 0, 'the first event');
  await new Promise((resolve) => setTimeout(resolve, 300));
  // One page read (at most one more already under way), not the five the log holds.
  expect(logReads - readsBefore).toBeLessThanOrEqual(2);
  watching?.stop();
  await bus.close();
});
