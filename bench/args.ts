import { parseArgs } from 'node:util';
import type { BackendKind } from './db';

export const allScenarios = ['connect', 'fanout', 'storm', 'send', 'edit', 'react', 'history', 'chatlist', 'markread'] as const;
/**
 * Scenarios run only when named: the soak takes 10 minutes by default. first-screen took
 * 29 s on a loaded 2-core machine (not clearly cheap), needs Debian's chromium, which
 * `npm ci` does not install (a default run without it would record a failure), and
 * measures the web app, not the server under load.
 */
export const namedOnlyScenarios = ['soak', 'first-screen'] as const;
export type Scenario = (typeof allScenarios)[number] | (typeof namedOnlyScenarios)[number];

/** Every knob of a run; the defaults are the sizes. */
export interface Options {
  scenarios: Scenario[];
  /** Service backends: pglite always available; postgres when TEST_DATABASE_URL is set. */
  backends: BackendKind[];
  baseline: boolean;
  /** False: only the raw baseline runs connect and fanout (users still come from the first backend). */
  service: boolean;
  connections: number[];
  connectConcurrency: number;
  rooms: number;
  subs: number;
  /** Offered deliveries/s; null = maximum (closed loop). */
  rates: (number | null)[];
  durationS: number;
  /**
   * fanout: how many times the "max" phase is taken, raw and service alternating (the
   * first time with the other rates); the targets read the median pair's ratio.
   */
  maxPairs: number;
  drainS: number;
  window: number;
  bodyBytes: number;
  users: number;
  concurrency: number;
  /** Reconnect storm: messages/s into each room, and seconds of steady sending before the drop. */
  stormRate: number;
  stormWarmupS: number;
  /** Storms taken, raw and service alternating, fresh servers each; the targets read the median of each figure. */
  stormRounds: number;
  /** edit/react: messages seeded (spread over the rooms and users) for the mutations to change. */
  mutateMessages: number;
  historyMessages: number;
  historyRequests: number;
  /** chatlist: the reader's rooms, messages in each, unread in each (the issue: 200 × 10,000, 1,000 unread), requests. */
  chatListRooms: number;
  chatListMessages: number;
  chatListUnread: number;
  chatListRequests: number;
  /** markread: messages seeded per room for the members to mark in order. */
  markReadMessages: number;
  /** Soak: subscriber sockets, messages/s over all rooms, reconnects/s, seconds, seconds between samples. */
  soakConnections: number;
  soakRate: number;
  soakChurn: number;
  soakDurationS: number;
  soakSampleS: number;
  /** first-screen: page loads of each screen (sign-in, chat list), each in a new browser context. */
  firstScreenLoads: number;
  /** Hard bound of each scenario run on one target (the issue: under a minute). */
  scenarioBudgetS: number;
  publish: boolean;
  /** Results of scenarios this run does not take are copied from the previous latest.json (and say so). */
  carryOver: boolean;
  /** Only write the tables of latest.json again (--publish: BENCHMARKS.md too); nothing is run. */
  render: boolean;
  outDir: string;
  /** Free text kept with the results (e.g. "taken on a loaded machine"). */
  notes: string[];
}

const usage = `npm run bench -- [options]
  --scenario LIST        connect,fanout,storm,send,edit,react,history,chatlist,markread (default: all);
                         soak, first-screen (only when named)
  --backends LIST        pglite,postgres (default: pglite, plus postgres when TEST_DATABASE_URL is set;
                         postgres uses TEST_REDIS_URL for pub/sub when it is set)
  --no-baseline          skip the raw ws baseline
  --no-service           connect and fanout on the raw baseline only
  --connections LIST     connect sizes (default 5000,10000,19900)
  --connect-concurrency N handshakes in flight (default 100)
  --rooms R --subs S     fanout rooms × subscribers per room (default 10 × 500)
  --rates LIST           offered deliveries/s, "max" = closed loop (default 2000,5000,10000,max)
  --duration S           seconds per fanout phase and per send run (default 8)
  --max-pairs N          fanout: take the "max" phase N times, raw and each service alternating, a
                         fresh server and sockets each time (default 9; 1: once, with the rates);
                         the targets read the median pair's ratio
  --drain S              max seconds to wait for late deliveries after a phase (default 10)
  --window N             max mode: about N deliveries in flight, i.e. ceil(N / (R × S)) messages
                         per room, at least 1 (default 2000)
  --body N               message body bytes (default 64)
  --users N              users registered and shared by all sockets (default min(200, R × S))
  --concurrency N        send, edit, react and markread HTTP concurrency (default 64)
  --storm-rate N         storm: messages/s into each room (default 2: 10 × 500 → 10,000 deliveries/s)
  --storm-warmup S       storm: seconds of sending before half the subscribers are dropped (default 3);
                         sending goes on for --duration seconds after the drop; reconnects keep
                         --connect-concurrency handshakes in flight
  --storm-rounds N       storm: take the storm N times, raw and each service alternating, fresh
                         servers each time (default 3); the targets read each figure's median
  --mutate-messages N    edit/react: messages seeded for the mutations (default 2000)
  --history-messages N   messages in the history room (default 100000)
  --history-requests N   requests per history series (default 500)
  --chatlist-rooms N     chatlist: rooms of the reader (default 200). Runs on every backend given;
                         on PGlite the default size seeds slowly (200,000 messages took 23 s on a
                         loaded machine, so 2,000,000 take minutes): use --backends postgres or fewer rooms
  --chatlist-messages N  chatlist: messages per room (default 10000)
  --chatlist-unread N    chatlist: unread messages per room, after the reader's marker (default 1000)
  --chatlist-requests N  chatlist: requests per series (default 500)
  --markread-messages N  markread: messages seeded per room; each (user, room) pair marks them in
                         order, so a run needs ⌈requests / pairs⌉ of them (default 500)
  --soak-connections N   soak: subscriber sockets over --rooms rooms (default 10000)
  --soak-rate N          soak: messages/s over all rooms (default 5: 5,000 deliveries/s with 10,000 sockets)
  --soak-churn N         soak: subscribers dropped and reopened with \`after\` per second (default 10; 0: none)
  --soak-duration S      soak: seconds of traffic and churn (default 600)
  --soak-sample S        soak: seconds between readings of the server's RSS and descriptors (default 5)
  --first-screen-loads N first-screen: loads of the sign-in screen and of the signed-in chat list,
                         each in a new chromium context (default 20)
  --budget S             hard bound per scenario and target (default 60)
  --publish              also rewrite BENCHMARKS.md and bench/benchmarks.svg
  --carry-over           keep the previous latest.json's results of the scenarios not run now
                         (a note names the run they come from)
  --render               run nothing: write latest.json's tables again (latest.md, latest.svg;
                         with --publish BENCHMARKS.md too), after a change to how they are written
  --out DIR              results directory (default bench/results)
  --note TEXT            a note kept with the results (repeatable)`;

const list = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);
const ints = (value: string, name: string) =>
  list(value).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name}: ${v} is not a positive integer`);
    return n;
  });

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      backends: { type: 'string' },
      'no-baseline': { type: 'boolean' },
      'no-service': { type: 'boolean' },
      connections: { type: 'string' },
      'connect-concurrency': { type: 'string' },
      rooms: { type: 'string' },
      subs: { type: 'string' },
      rates: { type: 'string' },
      duration: { type: 'string' },
      'max-pairs': { type: 'string' },
      drain: { type: 'string' },
      window: { type: 'string' },
      body: { type: 'string' },
      users: { type: 'string' },
      concurrency: { type: 'string' },
      'storm-rate': { type: 'string' },
      'storm-warmup': { type: 'string' },
      'storm-rounds': { type: 'string' },
      'mutate-messages': { type: 'string' },
      'history-messages': { type: 'string' },
      'history-requests': { type: 'string' },
      'chatlist-rooms': { type: 'string' },
      'chatlist-messages': { type: 'string' },
      'chatlist-unread': { type: 'string' },
      'chatlist-requests': { type: 'string' },
      'markread-messages': { type: 'string' },
      'soak-connections': { type: 'string' },
      'soak-rate': { type: 'string' },
      'soak-churn': { type: 'string' },
      'soak-duration': { type: 'string' },
      'soak-sample': { type: 'string' },
      'first-screen-loads': { type: 'string' },
      budget: { type: 'string' },
      publish: { type: 'boolean' },
      'carry-over': { type: 'boolean' },
      render: { type: 'boolean' },
      out: { type: 'string' },
      note: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const one = (name: keyof typeof values, fallback: number) => (values[name] === undefined ? fallback : ints(String(values[name]), name)[0]!);
  const scenarios = values.scenario ? list(values.scenario) : [...allScenarios];
  const known: readonly string[] = [...allScenarios, ...namedOnlyScenarios];
  for (const s of scenarios) if (!known.includes(s)) throw new Error(`--scenario: unknown ${s}\n${usage}`);
  const backends = values.backends ? list(values.backends) : process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const b of backends) if (b !== 'pglite' && b !== 'postgres') throw new Error(`--backends: unknown ${b}`);
  if (backends.includes('postgres') && !process.env.TEST_DATABASE_URL) throw new Error('--backends postgres needs TEST_DATABASE_URL');
  const rates = list(values.rates ?? '2000,5000,10000,max').map((r) => (r === 'max' ? null : ints(r, 'rates')[0]!));
  const chatListUnread = one('chatlist-unread', 1000);
  if (chatListUnread > one('chatlist-messages', 10_000)) throw new Error('--chatlist-unread: more than --chatlist-messages');
  return {
    scenarios: scenarios as Scenario[],
    backends: backends as BackendKind[],
    baseline: !values['no-baseline'],
    service: !values['no-service'],
    connections: values.connections ? ints(values.connections, 'connections') : [5000, 10000, 19900],
    connectConcurrency: one('connect-concurrency', 100),
    rooms: one('rooms', 10),
    subs: one('subs', 500),
    rates,
    durationS: one('duration', 8),
    maxPairs: one('max-pairs', 9),
    drainS: one('drain', 10),
    window: one('window', 2000),
    bodyBytes: one('body', 64),
    // Shared by all sockets; registering costs ~50 ms of argon2 each, so small runs register fewer.
    users: one('users', Math.min(200, Math.max(2, one('rooms', 10) * one('subs', 500)))),
    concurrency: one('concurrency', 64),
    stormRate: one('storm-rate', 2),
    stormWarmupS: one('storm-warmup', 3),
    stormRounds: one('storm-rounds', 3),
    mutateMessages: one('mutate-messages', 2000),
    historyMessages: one('history-messages', 100_000),
    historyRequests: one('history-requests', 500),
    chatListRooms: one('chatlist-rooms', 200),
    chatListMessages: one('chatlist-messages', 10_000),
    chatListUnread,
    chatListRequests: one('chatlist-requests', 500),
    markReadMessages: one('markread-messages', 500),
    soakConnections: one('soak-connections', 10_000),
    soakRate: one('soak-rate', 5),
    // 0 is allowed: the same soak without churn, as a control.
    soakChurn: values['soak-churn'] === '0' ? 0 : one('soak-churn', 10),
    soakDurationS: one('soak-duration', 600),
    soakSampleS: one('soak-sample', 5),
    firstScreenLoads: one('first-screen-loads', 20),
    scenarioBudgetS: one('budget', 60),
    publish: Boolean(values.publish),
    carryOver: Boolean(values['carry-over']),
    render: Boolean(values.render),
    outDir: values.out ?? 'bench/results',
    notes: values.note ?? [],
  };
}

/** The closed loop keeps about `window` deliveries in flight: enough to keep a server busy, few enough to keep latency meaningful. */
export function messagesInFlightPerRoom(options: { window: number; rooms: number; subs: number }): number {
  return Math.max(1, Math.ceil(options.window / (options.rooms * options.subs)));
}
