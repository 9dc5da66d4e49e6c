import { probeHeap } from './helpers/heap-probe';

/**
 * What the servers' startup does to V8's pretenuring (PRETENURE_OBJECTS, off by default):
 * the same allocation site, trained the same way (helpers/tenured-site.ts), in real Node
 * processes, with the startup setting and without.
 */
interface Growth {
  oldMb: number;
  youngMb: number;
  kept: number;
}

const growthAfterTraining = (young: boolean) => probeHeap<Growth>('tenured-site.ts', young ? 'young' : undefined);

/** V8's default pretenures the trained site in most processes, not all (see the helper): up to three tries. */
async function pretenuredGrowth(): Promise<Growth> {
  let growth = await growthAfterTraining(false);
  for (let attempt = 1; attempt < 3 && growth.oldMb <= 1.5; attempt++) growth = await growthAfterTraining(false);
  return growth;
}

test('after allocateEveryObjectYoung, a literal whose objects kept surviving still allocates young', async () => {
  const [pretenured, young] = await Promise.all([pretenuredGrowth(), growthAfterTraining(true)]);
  expect(young.kept).toBe(pretenured.kept);
  // 50,000 objects of 3 fields are about 2 MB: V8's default puts them in the old generation.
  expect(pretenured.oldMb).toBeGreaterThan(1.5);
  expect(pretenured.youngMb).toBeLessThan(0.5);
  // With the startup setting they are young, where a scavenge frees them when they die.
  expect(young.youngMb).toBeGreaterThan(1.5);
  expect(young.oldMb).toBeLessThan(0.5);
}, 60_000);
