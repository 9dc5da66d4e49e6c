/**
 * The load generator: its own process (pinned to a core by bench/run.ts), driven by JSON
 * lines on stdin (`{ id, cmd, args }`) and answering JSON lines on stdout (`{ id, ok,
 * result | error }`). It keeps one fleet of sockets open between commands so that the
 * orchestrator can sample the server while it is connected. Every result carries the
 * load generator's own CPU for the command.
 */
import { readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { cpuSince } from './stats';
import { Fleet, type OpenArgs } from './loadgen/fleet';
import { chatList, history, httpMarkRead, httpMutate, httpSend, type ChatListArgs, type HistoryArgs, type MarkReadArgs, type MutateArgs, type SendArgs } from './loadgen/http-load';
import { probe, runPhase, type PhaseArgs } from './loadgen/phases';
import { runSoak, type SoakArgs } from './loadgen/soak';
import { runStorm, type StormArgs } from './loadgen/storm';

let fleet: Fleet | null = null;

/** Opens the fleet and waits until every subscription has received a probe message. */
async function open(args: OpenArgs & { probeTimeoutMs: number; bodyBytes: number }) {
  if (fleet) throw new Error('a fleet is already open');
  const cpu = process.cpuUsage();
  const started = performance.now();
  fleet = new Fleet(args);
  const { connectMs, opened, failure } = await fleet.open();
  const probed = await probe(fleet, args.probeTimeoutMs, args.bodyBytes);
  const wallMs = performance.now() - started;
  return {
    requested: args.n,
    opened,
    failure,
    publishers: fleet.pubs.length,
    connectMs: Math.round(connectMs),
    subscribedMs: Math.round(connectMs + probed.readyMs),
    live: probed.live,
    probeRounds: probed.rounds,
    frameBytes: probed.frameBytes,
    errors: { ...fleet.errors },
    fds: openFds(),
    loadgenCpu: cpuSince(cpu, wallMs),
  };
}

async function close() {
  const closing = fleet;
  fleet = null;
  await closing?.close();
  return { fds: openFds() };
}

function openFds(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}

const commands: Record<string, (args: never) => Promise<unknown>> = {
  open: (args: OpenArgs & { probeTimeoutMs: number; bodyBytes: number }) => open(args),
  phase: (args: PhaseArgs) => {
    if (!fleet) throw new Error('no fleet open');
    return runPhase(fleet, args);
  },
  storm: (args: StormArgs) => {
    if (!fleet) throw new Error('no fleet open');
    return runStorm(fleet, args);
  },
  soak: (args: SoakArgs) => {
    if (!fleet) throw new Error('no fleet open');
    return runSoak(fleet, args);
  },
  close: () => close(),
  send: (args: SendArgs) => httpSend(args),
  mutate: (args: MutateArgs) => httpMutate(args),
  history: (args: HistoryArgs) => history(args),
  chatlist: (args: ChatListArgs) => chatList(args),
  markread: (args: MarkReadArgs) => httpMarkRead(args),
  exit: async () => {
    setImmediate(() => process.exit(0));
    return {};
  },
};

const reply = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  const { id, cmd, args } = JSON.parse(line) as { id: number; cmd: string; args: never };
  const run = commands[cmd];
  if (!run) return reply({ id, ok: false, error: `unknown command ${cmd}` });
  run(args).then(
    (result) => reply({ id, ok: true, result }),
    (err: Error) => reply({ id, ok: false, error: err.message }),
  );
});
// The orchestrator going away (stdin closed) ends the load generator too.
process.stdin.on('end', () => process.exit(0));
reply({ ready: true, pid: process.pid });
