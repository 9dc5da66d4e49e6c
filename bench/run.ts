/**
 * `npm run bench`: starts the load generator and, per scenario, fresh servers under test
 * (the service on each backend, and the raw ws baseline), runs the scenarios and writes
 * bench/results/<timestamp>.{json,md}, latest.{json,md,svg}; with --publish also
 * BENCHMARKS.md and bench/benchmarks.svg. Every child runs in its own process group and
 * is killed at the end, on failure and on signals.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseOptions, type Options } from './args';
import { renderChart } from './chart';
import { cleanupAll, createBackend, type Backend } from './db';
import { bounded, startLoadGen, type LoadGen } from './loadgen-client';
import { hasTaskset, killAll, root } from './procs';
import { benchmarksMd } from './publish';
import { carriedOverNotes, isCarriedOverNote, machine, type RunRecord } from './record';
import { markdown } from './report';
import { runConnect } from './scenarios/connect';
import { errorText, type RunContext } from './scenarios/context';
import { runFanout } from './scenarios/fanout';
import { runFirstScreen } from './scenarios/first-screen';
import { runChatList } from './scenarios/chatlist';
import { runHistory } from './scenarios/history';
import { runMarkRead } from './scenarios/markread';
import { runMutate } from './scenarios/mutate';
import { runSend } from './scenarios/send';
import { runSoak } from './scenarios/soak';
import { runStorm } from './scenarios/storm';
import { createFixture, type Fixture } from './setup';
import { buildBenchEntries } from './build';
import { loadgenCore, serverCore, startService } from './targets';

const log = (line: string) => process.stdout.write(`${line}\n`);
const shellQuote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

function installCleanup(): void {
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAll();
      // Temp directories and databases of this run go too (bounded: a signal means hurry).
      void bounded(cleanupAll(), 5000, 'cleanup')
        .catch(() => undefined)
        .finally(() => process.exit(130));
    });
  }
}

/** Users and rooms on each service backend, made once and reused by every server started on it. */
async function prepare(options: Options, jwtSecret: string, into: { backend: Backend; fixture: Fixture }[]): Promise<void> {
  for (const kind of options.backends) {
    const backend = await createBackend(kind);
    into.push({ backend, fixture: { users: [], rooms: [] } });
    log(`setup: ${backend.name}: ${options.users} users, ${options.rooms} rooms, every user a member of every room`);
    const started = Date.now();
    const target = await startService(backend, jwtSecret);
    try {
      into[into.length - 1]!.fixture = await createFixture(target.apiUrl!, options.users, options.rooms);
    } finally {
      await target.stop();
    }
    log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function scenarios(ctx: RunContext, record: RunRecord): Promise<void> {
  for (const scenario of ctx.options.scenarios) {
    try {
      if (scenario === 'connect') record.results.connect = await runConnect(ctx);
      if (scenario === 'fanout') record.results.fanout = await runFanout(ctx);
      if (scenario === 'storm') record.results.storm = await runStorm(ctx);
      if (scenario === 'send') record.results.send = await runSend(ctx);
      if (scenario === 'edit' || scenario === 'react') record.results[scenario] = await runMutate(ctx, scenario);
      if (scenario === 'history') record.results.history = await runHistory(ctx);
      if (scenario === 'chatlist') record.results.chatlist = await runChatList(ctx);
      if (scenario === 'markread') record.results.markread = await runMarkRead(ctx);
      if (scenario === 'soak') record.results.soak = await runSoak(ctx);
      if (scenario === 'first-screen') record.results['first-screen'] = await runFirstScreen(ctx);
    } catch (err) {
      record.notes.push(`${scenario} failed: ${errorText(err)}`);
      log(`${scenario} failed: ${errorText(err)}`);
    }
  }
}

/**
 * With --carry-over, the results of scenarios this run did not take come from the previous
 * latest.json, so that a partial run still publishes every table; a note says from which run.
 */
function carryOver(record: RunRecord, options: Options): void {
  const previousPath = join(resolve(root, options.outDir), 'latest.json');
  if (!options.carryOver || !existsSync(previousPath)) return;
  const previous = JSON.parse(readFileSync(previousPath, 'utf8')) as RunRecord;
  const fromPrevious = { startedAt: previous.startedAt, command: previous.command, loadAverage: previous.machine.loadAverage, cpuModel: previous.machine.cpuModel, options: previous.options };
  for (const [key, rows] of Object.entries(previous.results) as [keyof RunRecord['results'], never][]) {
    if (record.results[key] || !rows) continue;
    record.results[key] = rows;
    // A table the previous run itself carried over keeps the run it was really taken in.
    (record.carriedOver ??= {})[key] = previous.carriedOver?.[key] ?? fromPrevious;
  }
  record.notes.push(...carriedOverNotes(record));
}

function write(record: RunRecord, options: Options): void {
  const dir = resolve(root, options.outDir);
  mkdirSync(dir, { recursive: true });
  const stamp = record.startedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(record, null, 2)}\n`;
  for (const [name, text] of [[`${stamp}.json`, json], ['latest.json', json]] as const) writeFileSync(join(dir, name), text);
  renderTables(record, options, `${stamp}.md`);
}

/** The record's tables as latest.{md,svg} (and `<stampedMd>`); with --publish also BENCHMARKS.md and bench/benchmarks.svg. */
function renderTables(record: RunRecord, options: Options, stampedMd: string | null): void {
  const dir = resolve(root, options.outDir);
  const md = markdown(record);
  const svg = renderChart(record);
  const files: [string, string][] = [['latest.md', md], ['latest.svg', svg]];
  if (stampedMd) files.push([stampedMd, md]);
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  log(`\n${md}\nwrote ${files.map(([name]) => relative(root, join(dir, name))).join(', ')}`);
  if (options.publish) {
    writeFileSync(join(root, 'bench', 'benchmarks.svg'), svg);
    writeFileSync(join(root, 'BENCHMARKS.md'), benchmarksMd(record, 'bench/benchmarks.svg'));
    log('wrote BENCHMARKS.md and bench/benchmarks.svg');
  }
}

/** --render: the tables of latest.json written again, nothing run (after a change to how they are written). */
function renderOnly(options: Options): void {
  const path = join(resolve(root, options.outDir), 'latest.json');
  if (!existsSync(path)) throw new Error(`--render: ${relative(root, path)} does not exist`);
  const record = JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
  // The notes on carried-over tables are written anew: what they say may have grown since.
  record.notes = [...record.notes.filter((note) => !isCarriedOverNote(note)), ...carriedOverNotes(record)];
  renderTables(record, options, null);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  if (options.render) return renderOnly(options);
  installCleanup();
  buildBenchEntries();
  const pinning = hasTaskset
    ? `taskset: server under test on CPU ${serverCore}, load generator on CPU ${loadgenCore}; the orchestrator is unpinned and idle while measuring`
    : 'taskset not found: no pinning, server and load generator share the CPUs';
  const envPrefix = ['TEST_DATABASE_URL', 'TEST_REDIS_URL'].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]} `).join('');
  const record: RunRecord = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    command: `${envPrefix}npm run bench${argv.length ? ` -- ${argv.map(shellQuote).join(' ')}` : ''}`,
    machine: machine(),
    pinning,
    options,
    results: {},
    notes: [...options.notes],
  };
  log(`${record.command}\n${pinning}\nmachine: ${JSON.stringify(record.machine)}`);
  const jwtSecret = randomBytes(32).toString('base64url');
  const prepared: { backend: Backend; fixture: Fixture }[] = [];
  let loadgen: LoadGen | null = null;
  try {
    loadgen = await startLoadGen(hasTaskset ? loadgenCore : null);
    // history, chatlist and first-screen make their own fresh databases.
    if (options.scenarios.some((s) => s !== 'history' && s !== 'chatlist' && s !== 'first-screen')) await prepare(options, jwtSecret, prepared);
    await scenarios({ options, loadgen, jwtSecret, prepared, log }, record);
  } catch (err) {
    record.notes.push(`run failed: ${errorText(err)}`);
    log(`run failed: ${errorText(err)}`);
    process.exitCode = 1;
  } finally {
    await loadgen?.command('exit', {}, 2000).catch(() => undefined);
    await loadgen?.stop();
    for (const { backend } of prepared) await backend.cleanup().catch((err) => log(`cleanup of ${backend.name} failed: ${errorText(err)}`));
    await cleanupAll();
    killAll();
  }
  record.finishedAt = new Date().toISOString();
  carryOver(record, options);
  write(record, options);
}

void main();
