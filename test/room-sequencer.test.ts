import { logPageSize } from '../src/entities/stores/room-log';
import { RoomSequencer } from '../src/live/room-sequencer';
import type { RoomEventView } from '../src/resolvers/views';
import { until } from './helpers/wait';

/** Unit tests of the per-room ordering rules; the "database" is an array of stored events, read in pages. */

function message(seq: number): RoomEventView {
  const room = { id: 'r', kind: 'GROUP' as never, name: 'r', createdAt: new Date(0) };
  const author = { id: 'u', username: 'u', createdAt: new Date(0) };
  const view = { id: `m${seq}`, seq, room, author, body: `#${seq}`, createdAt: new Date(0), clientMessageId: null, replyToId: null, editedAt: null, deletedAt: null };
  return { kind: 'MESSAGE_ADDED', seq, message: view };
}

function setup(lastSeq: number, stored: number[]) {
  const delivered: number[] = [];
  const failures: unknown[] = [];
  let reads = 0;
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const readAfter = async (_room: string, after: number) => {
    reads++;
    await gate;
    return stored.filter((seq) => seq > after).slice(0, logPageSize).map(message);
  };
  const sequencer = new RoomSequencer('r', lastSeq, readAfter, (m) => delivered.push(m.seq), (err) => failures.push(err));
  return {
    sequencer,
    delivered,
    failures,
    reads: () => reads,
    /** Holds the next database reads until `release()`: live events arrive meanwhile. */
    hold() {
      gate = new Promise((resolve) => (release = resolve));
      return () => release();
    },
  };
}

test('consecutive live events are delivered at once, without reading the database', () => {
  const s = setup(3, []);
  [4, 5, 6].forEach((seq) => s.sequencer.offer(message(seq)));
  expect(s.delivered).toEqual([4, 5, 6]);
  expect(s.reads()).toBe(0);
});

test('an event already delivered (or older than the start) is dropped', () => {
  const s = setup(3, []);
  [2, 3, 4, 4].forEach((seq) => s.sequencer.offer(message(seq)));
  expect(s.delivered).toEqual([4]);
});

test('a gap is filled from the database before the event that revealed it', async () => {
  const s = setup(3, [4, 5, 6, 7]);
  s.sequencer.offer(message(7));
  await until(() => s.delivered.length === 4, 'the gap to fill');
  expect(s.delivered).toEqual([4, 5, 6, 7]);
});

test('live events that arrive while a gap is read come after it, in order, once', async () => {
  const s = setup(3, [4, 5, 6, 7, 8, 9]);
  const release = s.hold();
  s.sequencer.offer(message(6));
  [9, 7, 8, 6].forEach((seq) => s.sequencer.offer(message(seq)));
  release();
  await until(() => s.delivered.includes(9), 'everything to arrive');
  expect(s.delivered).toEqual([4, 5, 6, 7, 8, 9]);
});

test('resync reads what was stored after the last delivered message (the tail a lost publish leaves)', async () => {
  const s = setup(3, [4, 5]);
  s.sequencer.resync();
  await until(() => s.delivered.length === 2, 'the resync');
  expect(s.delivered).toEqual([4, 5]);
});

test('a gap the database cannot fill is skipped rather than retried forever', async () => {
  const s = setup(3, []);
  s.sequencer.offer(message(6));
  await until(() => s.delivered.length === 1, 'the event after the gap');
  expect(s.delivered).toEqual([6]);
  expect(s.reads()).toBe(1);
});

test('a failed database read is reported, so the subscription can end', async () => {
  const failures: unknown[] = [];
  const sequencer = new RoomSequencer('r', 0, () => Promise.reject(new Error('down')), () => undefined, (err) => failures.push(err));
  sequencer.offer(message(2));
  await until(() => failures.length === 1, 'the failure');
  expect(String(failures[0])).toContain('down');
});

test('a start far behind (a resume) is read page after page until the log is exhausted, then live events follow', async () => {
  const total = logPageSize * 2 + 17;
  const stored = Array.from({ length: total }, (_, i) => i + 1);
  const s = setup(0, stored);
  const release = s.hold();
  s.sequencer.resync();
  s.sequencer.offer(message(total + 1));
  release();
  await until(() => s.delivered.length === total + 1, 'every stored event and the live one');
  expect(s.delivered).toEqual([...stored, total + 1]);
  expect(s.reads()).toBe(3);
});

describe("an event this process committed (offerIfNext), before the bus's copy", () => {
  test('the next event is delivered at once, and its copy from the bus is dropped', () => {
    const s = setup(3, [4]);
    s.sequencer.offerIfNext(message(4));
    s.sequencer.offer(message(4));
    expect(s.delivered).toEqual([4]);
    expect(s.reads()).toBe(0);
  });

  test('an event ahead of the next one is left to the bus: no gap read, and the bus still delivers both in order', () => {
    const s = setup(3, [4, 5]);
    s.sequencer.offerIfNext(message(5));
    expect(s.delivered).toEqual([]);
    expect(s.reads()).toBe(0);
    [4, 5].forEach((seq) => s.sequencer.offer(message(seq)));
    expect(s.delivered).toEqual([4, 5]);
    expect(s.reads()).toBe(0);
  });

  test('while a gap is read, it waits for the bus as well, and comes once after the gap', async () => {
    const s = setup(3, [4, 5, 6]);
    const release = s.hold();
    s.sequencer.offer(message(5));
    s.sequencer.offerIfNext(message(6));
    expect(s.delivered).toEqual([]);
    release();
    await until(() => s.delivered.length === 3, 'the gap to fill');
    s.sequencer.offer(message(6));
    expect(s.delivered).toEqual([4, 5, 6]);
  });
});
