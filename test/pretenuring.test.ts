import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * What the servers' startup does to V8's pretenuring (PRETENURE_OBJECTS, off by default):
 * the same allocation site, trained the same way (helpers/tenured-site.ts), in two real
 * Node processes, one with the startup setting and one without.
 */
interface Growth {
  oldMb: number;
  youngMb: number;
  kept: number;
}

async function growthAfterTraining(young: boolean): Promise<Growth> {
  const script = join(__dirname, 'helpers', 'tenured-site.ts');
  const args = ['--expose-gc', '--import', 'tsx', script, ...(young ? ['young'] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: join(__dirname, '..') });
  return JSON.parse(stdout) as Growth;
}

test('after allocateEveryObjectYoung, a literal whose objects kept surviving still allocates young', async () => {
  const [pretenured, young] = await Promise.all([growthAfterTraining(false), growthAfterTraining(true)]);
  expect(young.kept).toBe(pretenured.kept);
  // 50,000 objects of 3 fields are about 2 MB: V8's default puts them in the old generation.
  expect(pretenured.oldMb).toBeGreaterThan(1.5);
  expect(pretenured.youngMb).toBeLessThan(0.5);
  // With the startup setting they are young, where a scavenge frees them when they die.
  expect(young.youngMb).toBeGreaterThan(1.5);
  expect(young.oldMb).toBeLessThan(0.5);
}, 60_000);
