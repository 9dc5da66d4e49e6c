// Preloaded into the servers under test (NODE_OPTIONS=--require): on SIGUSR2 it runs a full
// garbage collection, so bench/run.ts can read RSS without floating garbage, writes
// process.memoryUsage() to $BENCH_HEAP_REPORT_FILE when set (the soak reads the live heap
// from it), then creates $BENCH_GC_DONE_DIR/<pid> to say it is done (bench/proc-stats.ts
// waits for it). Nothing else changes.
const v8 = require('node:v8');
const vm = require('node:vm');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * A compacting GC copies the live old generation into new pages; V8 gives the emptied ones
 * back on a background thread a little later (a 270 MB heap: RSS 550 MB right after the
 * GC, 349 MB 100 ms later). Reading RSS before that measured the copy, not what is kept.
 */
const pagesReturnedMs = 300;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  gc();
  setTimeout(() => {
    const file = process.env.BENCH_HEAP_REPORT_FILE;
    if (file) {
      // Each V8 heap space's committed size after the GC, for telling which one keeps pages.
      const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
      writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), spaces }));
    }
    const doneDir = process.env.BENCH_GC_DONE_DIR;
    if (doneDir) writeFileSync(join(doneDir, String(process.pid)), '');
  }, pagesReturnedMs);
});
