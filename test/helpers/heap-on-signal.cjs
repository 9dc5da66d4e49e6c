// Preloaded into the server under the fuzz tests (NODE_OPTIONS=--require), never into src:
// on SIGUSR2 it runs a full garbage collection and writes process.memoryUsage() as JSON to
// $HEAP_REPORT_FILE, so a test can read the live JS heap (RSS alone also counts what the
// allocator keeps for reuse after a burst of large buffers). Nothing else changes.
const { writeFileSync } = require('node:fs');
const v8 = require('node:v8');
const vm = require('node:vm');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  gc();
  if (process.env.HEAP_REPORT_FILE) writeFileSync(process.env.HEAP_REPORT_FILE, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
});
