import { compactHeapOnFullGc } from '../../src/servers/heap-compaction';

/**
 * Child process of heap-compaction.test.ts (run with --expose-gc): fills the old
 * generation, frees nine objects in ten spread over every page, collects, and prints the
 * heap V8 keeps committed and the live heap, in MB, as JSON. With `compact` it first
 * does what the servers do at startup.
 */
if (process.argv.includes('compact')) compactHeapOnFullGc();
const collect = (globalThis as { gc?: () => void }).gc!;
let kept: { n: number; s: string }[] = [];
for (let i = 0; i < 1_500_000; i++) kept.push({ n: i, s: `item ${i}` });
collect();
collect();
kept = kept.filter((_, i) => i % 10 === 0);
collect();
collect();
const { heapTotal, heapUsed } = process.memoryUsage();
process.stdout.write(JSON.stringify({ committedMb: heapTotal / 1e6, liveMb: heapUsed / 1e6, kept: kept.length }));
