// Preloaded into the servers under test (NODE_OPTIONS=--require): on SIGUSR2 it runs a full
// garbage collection, so bench/run.ts can read RSS without floating garbage, and writes
// process.memoryUsage() to $BENCH_HEAP_REPORT_FILE when set (the soak reads the live heap
// from it). Nothing else changes.
const v8 = require('node:v8');
const vm = require('node:vm');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  gc();
  const file = process.env.BENCH_HEAP_REPORT_FILE;
  if (!file) return;
  // Each V8 heap space's committed size after the GC, for telling which one keeps pages.
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
  require('node:fs').writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), spaces }));
});
