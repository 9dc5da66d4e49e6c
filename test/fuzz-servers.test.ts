import fc from 'fast-check';
import { killStarted } from './helpers/child';
import { documentedCloseCodes, runHttpCase, runSocketSession } from './helpers/fuzz-clients';
import { httpCaseArb, sessionArb } from './helpers/fuzz-input';
import { requireHealthy, retained, startFuzzTarget, type FuzzTarget, type Retained } from './helpers/fuzz-target';
import { seedFromTemplate } from './helpers/pglite-template';
import { makeDataDir, removeDataDir } from './helpers/servers';

/**
 * Issue 11, item 6: random and mutated graphql-transport-ws frames, GraphQL documents and
 * JSON bodies thrown at both servers of one real process (`npm start`'s entry, default
 * limits). Properties: the process never dies and /health keeps answering; every socket
 * answers a probe or is closed with a documented code, every request is answered, within
 * a bound; replaying the same input leaves the live heap after a full GC and the open
 * descriptors where they were. Bounded runs keep it under a minute; the seed changes per run and is printed
 * by fast-check on failure: rerun with FUZZ_SEED=<seed> (and FUZZ_RUNS to go longer).
 */
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const runs = Number(process.env.FUZZ_RUNS ?? 100);
/**
 * How long one socket session or one request may take to be answered: a hang detector.
 * A 9 MB GraphiQL page took over 5 s on a slow CI machine running the whole suite.
 */
const boundMs = 10_000;
const startupMs = 25_000;
/**
 * Growth of the live JS heap (after a full GC) allowed over a replay of the fuzzing: a
 * leak of 30 kB per socket or request (300 of them by default) shows past it. RSS is
 * printed, not bounded: after bursts of megabyte frames and bodies the allocator keeps
 * pages for reuse, which is not a leak and varies with the machine.
 */
const heapMarginMb = 8;
const fdMargin = 8;

/**
 * fast-check's report, with the long runs of one character our giant inputs are made of
 * shortened (a counterexample would otherwise print a megabyte); it names the seed and path.
 */
const settings = (numRuns: number): fc.Parameters<[unknown]> => ({
  seed,
  numRuns,
  reporter(details) {
    if (!details.failed) return;
    const shorten = (text: string) => text.replace(/(.)\1{99,}/g, (run, c: string) => `${c}…(${run.length} times)`);
    // fast-check 4's report leaves out what the property threw: it is the diagnosis.
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${shorten(fc.defaultReportMessage(details)!)}\nGot: ${shorten(error)}\nReplay: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} (the seed above).`);
  },
});

let dataDir: string;
let target: FuzzTarget;
let token: string;
let baseline: Retained;
/** How the sessions and requests ended (printed at the end: shows what the input reached). */
const tally = new Map<string, number>();
const count = (outcome: string) => tally.set(outcome, (tally.get(outcome) ?? 0) + 1);

beforeAll(async () => {
  dataDir = await makeDataDir();
  await seedFromTemplate(dataDir);
  target = await startFuzzTarget(dataDir, startupMs);
  token = await registerUser(target.httpUrl);
  // Warm-up: the first requests load code paths and caches once (e.g. GraphiQL's page is
  // rendered and compressed at its first request), so they get the startup bound; the
  // baseline is taken after.
  await fc.assert(fc.asyncProperty(sessionArb(token), (s) => socketProperty(s, startupMs).then(() => true)), settings(20));
  await fc.assert(fc.asyncProperty(httpCaseArb(token), (c) => httpProperty(c, startupMs).then(() => true)), settings(20));
  baseline = await retained(target);
}, startupMs * 3);

afterAll(async () => {
  killStarted();
  await removeDataDir(dataDir);
});

async function registerUser(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($u: String!, $p: String!) { register(username: $u, password: $p) { token } }',
      variables: { u: `fuzz_${Date.now().toString(36)}`, p: 'fuzz-password-123' },
    }),
  });
  const { data } = (await response.json()) as { data: { register: { token: string } } };
  return data.register.token;
}

async function socketProperty({ initFirst, frames }: { initFirst: boolean; frames: (string | Buffer)[] }, bound = boundMs): Promise<void> {
  const outcome = await runSocketSession(target.wsUrl, initFirst ? token : null, frames, bound);
  count(outcome.answered ? 'ws answered' : `ws closed ${outcome.closeCode}`);
  if (!outcome.answered && !documentedCloseCodes.has(outcome.closeCode!)) {
    throw new Error(`socket closed with undocumented code ${outcome.closeCode} (${outcome.closeReason})`);
  }
  await requireHealthy(target);
}

async function httpProperty(request: Parameters<typeof runHttpCase>[1], bound = boundMs): Promise<void> {
  const outcome = await runHttpCase(target.httpUrl, request, bound);
  count(`http ${outcome.status}`);
  // Hostile input is the client's fault: a 4xx or a GraphQL error, never a server error.
  if (outcome.status >= 500) throw new Error(`answered ${outcome.status} (${outcome.contentType})`);
  await requireHealthy(target);
}

const wsFuzz = () => fc.assert(fc.asyncProperty(sessionArb(token), (s) => socketProperty(s).then(() => true)), settings(runs));
const httpFuzz = () => fc.assert(fc.asyncProperty(httpCaseArb(token), (c) => httpProperty(c).then(() => true)), settings(runs * 2));

test('hostile graphql-transport-ws frames: the process lives, every socket answers or closes with a documented code', wsFuzz, 120_000);

test('hostile GraphQL documents and bodies over HTTP and SSE: the process lives, every request is answered without a 5xx', httpFuzz, 120_000);

/**
 * The first pass fills bounded caches (Yoga's parse and validation LRUs hold up to 1024
 * documents each, and every fuzzed document is new): that growth is printed, not judged.
 * The same seed then replays exactly the same sockets and requests: the caches already
 * hold those documents, so what the heap gains over the replay is what sockets and
 * requests leave behind.
 */
test('replaying the same hostile input leaves the heap after GC and open descriptors where they were', async () => {
  const filled = await retained(target, baseline.fds + fdMargin);
  await wsFuzz();
  await httpFuzz();
  const after = await retained(target, filled.fds + fdMargin);
  const detail = `seed ${seed}, ${runs} runs: after warm-up ${JSON.stringify(baseline)}, after the first pass ${JSON.stringify(filled)}, after the replay ${JSON.stringify(after)}`;
  process.stdout.write(`fuzz outcomes: ${JSON.stringify(Object.fromEntries([...tally].sort()))}\nfuzz retained: ${detail}\n`);
  expect({ detail, heapBack: after.heapMb - filled.heapMb <= heapMarginMb }).toEqual({ detail, heapBack: true });
  expect({ detail, externalBack: after.externalMb - filled.externalMb <= heapMarginMb }).toEqual({ detail, externalBack: true });
  expect({ detail, fdsBack: after.fds - filled.fds <= fdMargin }).toEqual({ detail, fdsBack: true });
}, 180_000);
