import { TeardownQueue } from '../src/servers/ws/teardown-queue';

/** Resolves after the immediates queued so far, in the check phase of this loop turn. */
const nextImmediate = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TeardownQueue: closed sockets torn down a bounded number per event-loop turn', () => {
  test('at most maxPerTurn run in one turn; the rest run in the turns after, in order', async () => {
    const ran: number[] = [];
    const queue = new TeardownQueue(2, (err) => {
      throw err;
    });
    for (let i = 0; i < 5; i++) queue.push(() => ran.push(i));
    expect(ran).toEqual([]);

    await nextImmediate();
    expect(ran).toEqual([0, 1]);
    await nextImmediate();
    expect(ran).toEqual([0, 1, 2, 3]);
    await queue.drained();
    expect(ran).toEqual([0, 1, 2, 3, 4]);
  });

  test('timers and I/O of other sockets run between two chunks', async () => {
    let ran = 0;
    const queue = new TeardownQueue(10, (err) => {
      throw err;
    });
    for (let i = 0; i < 100; i++) queue.push(() => ran++);
    await nextImmediate();
    // After the first chunk: a timer already due runs at the next timers phase, before the second chunk.
    const seenByTimer = new Promise<number>((resolve) => setTimeout(() => resolve(ran), 0));
    const due = Date.now() + 3;
    while (Date.now() < due);
    expect(await seenByTimer).toBe(10);
    await queue.drained();
    expect(ran).toBe(100);
  });

  test('a teardown that throws is reported, and the ones after it still run', async () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    const queue = new TeardownQueue(50, (err) => errors.push(err));
    queue.push(() => ran.push('a'));
    queue.push(() => {
      throw new Error('teardown failed');
    });
    queue.push(() => ran.push('c'));
    await queue.drained();
    expect(ran).toEqual(['a', 'c']);
    expect(errors).toEqual([new Error('teardown failed')]);
  });

  test('drained() resolves at once when nothing is queued, and after the last teardown otherwise', async () => {
    const queue = new TeardownQueue(1, (err) => {
      throw err;
    });
    await expect(queue.drained()).resolves.toBeUndefined();
    let last = false;
    queue.push(() => undefined);
    queue.push(() => (last = true));
    await queue.drained();
    expect(last).toBe(true);
  });
});
