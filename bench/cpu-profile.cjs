// Opt-in CPU profile of a server under test (node refuses --cpu-prof in NODE_OPTIONS):
// BENCH_CPU_PROFILE_DIR=/tmp/p BENCH_CPU_PROFILE_SECONDS=40 npm run bench -- …
// profiles the first N seconds of each server process and writes <dir>/<pid>.cpuprofile.
const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const { Session } = require('node:inspector');
  const { writeFileSync } = require('node:fs');
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  const seconds = Number(process.env.BENCH_CPU_PROFILE_SECONDS || 30);
  setTimeout(() => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(`${dir}/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
    });
  }, seconds * 1000).unref();
}
