import { RoomSequencer } from '../src/resolvers/room-sequencer';
import type { MessageView } from '../src/resolvers/views';
import { until } from './helpers/wait';

/** Unit tests of the per-room ordering rules; the "database" is an array of stored messages. */

function message(seq: number): MessageView {
  const room = { id: 'r', kind: 'GROUP' as never, name: 'r', createdAt: new Date(0) };
  return { id: `m${seq}`, seq, room, author: { id: 'u', username: 'u', createdAt: new Date(0) }, body: `#${seq}`, createdAt: new Date(0) };
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
    return stored.filter((seq) => seq > after).map(message);
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
