// Preloaded into the servers under test (NODE_OPTIONS=--require): on SIGUSR2 it runs a full
// garbage collection, so bench/run.ts can read RSS without floating garbage. Nothing else changes.
const v8 = require('node:v8');
const vm = require('node:vm');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  gc();
});
