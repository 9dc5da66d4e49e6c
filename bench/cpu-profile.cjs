// Opt-in CPU profile of a server under test or of the load generator (node refuses --cpu-prof in NODE_OPTIONS):
// BENCH_CPU_PROFILE_DIR=/tmp/p npm run bench -- …  writes <dir>/<pid>.cpuprofile when the
// process is told to stop (SIGTERM) or exits, or after BENCH_CPU_PROFILE_SECONDS, whichever is first.
const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const { Session } = require('node:inspector');
  const { writeFileSync } = require('node:fs');
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  let written = false;
  // A main-thread inspector session answers synchronously, so this completes inside the handler.
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(`${dir}/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
    });
  };
  process.prependListener('SIGTERM', write);
  process.on('exit', write);
  setTimeout(write, Number(process.env.BENCH_CPU_PROFILE_SECONDS || 300) * 1000).unref();
}
