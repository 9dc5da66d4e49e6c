import { getHeapSpaceStatistics } from 'node:v8';
import { allocateEveryObjectYoung } from '../../src/servers/pretenuring';

/**
 * Child process of pretenuring.test.ts (run with --expose-gc): makes one object literal's
 * objects survive scavenges until V8 would pretenure it, then makes 50,000 more and prints
 * how much the old and the young generation grew meanwhile, in MB, as JSON. With `young`
 * it first does what the servers do at startup. Whether V8 pretenures the site by then
 * depends on when its optimizing compiler, on a thread of its own, finished: about one
 * process in ten does not.
 */
if (process.argv.includes('young')) allocateEveryObjectYoung();
const scavenge = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc!;
const used = (space: string) => getHeapSpaceStatistics().find((s) => s.space_name === space)!.space_used_size;
const make = (i: number) => ({ a: i, b: i + 1, c: null });
const kept: unknown[] = [];
for (let round = 0; round < 20; round++) {
  for (let i = 0; i < 20_000; i++) kept.push(make(i));
  scavenge({ type: 'minor' });
}
scavenge({ type: 'minor' });
const [oldBefore, youngBefore] = [used('old_space'), used('new_space')];
const fresh = new Array<unknown>(50_000);
for (let i = 0; i < fresh.length; i++) fresh[i] = make(i);
const grown = { oldMb: (used('old_space') - oldBefore) / 1e6, youngMb: (used('new_space') - youngBefore) / 1e6 };
process.stdout.write(JSON.stringify({ ...grown, kept: kept.length + fresh.length }));
