import { createRoomWith, listening, signUp, topics, type TestUser } from './helpers/factories';
import { errorCode, gql } from './helpers/http';
import { MessageAddedDoc, SendMessageDoc } from './helpers/operations';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startServers, useServers } from './helpers/servers';
import { until } from './helpers/wait';
import { subscribe, wsClient } from './helpers/ws';

/**
 * GET /metrics on both servers (one registry per process's services): the numbers move
 * with what the servers do, on each path an operation can take.
 */

// A small message budget, so that a refusal can be counted (RATE_LIMITED) without a long loop.
const messagesPerMinute = 4;
const servers = useServers({ RATE_LIMIT_MESSAGES_PER_MINUTE: String(messagesPerMinute) });
let alice: TestUser;
let bob: TestUser;
let roomId: string;

beforeAll(async () => {
  alice = await signUp(servers(), 'alice');
  bob = await signUp(servers(), 'bob');
  roomId = (await createRoomWith(servers(), alice, bob)).id;
});

const apiBase = () => `http://127.0.0.1:${servers().apiPort}`;
const wsBase = () => `http://127.0.0.1:${servers().wsPort}`;

async function scrape(base: string): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** One sample's value in Prometheus text (0 when the series is not there); labels may be a subset. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) total += Number(match[3]);
  }
  return total;
}

const sendOk = { transport: 'http', type: 'mutation', operation: 'sendMessage', outcome: 'ok' };

/** A roomEvents selection with a per-viewer field: graphql-ws runs it (not shareable, so not direct). */
const perViewerRoomEvents = `subscription PerViewer($roomId: ID) {
  roomEvents(roomId: $roomId) { kind message { id reactions { emoji reactedByMe } } }
}`;

/** Over the default cost limit (100 × 100 nested messages). */
const costlySend = `mutation ($roomId: ID!) { sendMessage(roomId: $roomId, body: "never stored") { room {
  messages(first: 100) { edges { node { room { messages(first: 100) { edges { cursor } } } } } } } } }`;

describe('GET /metrics', () => {
  test('both servers answer in Prometheus text, with the process metrics (CPU, memory, event-loop lag)', async () => {
    for (const base of [apiBase(), wsBase()]) {
      const text = await scrape(base);
      expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
      expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
      expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
      expect(text).toContain('# TYPE chat_operations_total counter');
      expect(text).toContain('# TYPE chat_send_message_duration_seconds histogram');
    }
  });

  test('a send, two subscriptions (direct and graphql-ws), their deliveries, and the sockets move the numbers', async () => {
    const before = await scrape(apiBase());
    const client = wsClient(servers().wsUrl, bob.token);
    const direct = subscribe(client, MessageAddedDoc, { roomId });
    const perViewer = subscribe(client, perViewerRoomEvents, { roomId });
    await listening(servers(), topics.messages(roomId), 2);

    const open = await scrape(wsBase());
    expect(sample(open, 'chat_ws_connections_open')).toBe(1);
    expect(sample(open, 'chat_ws_subscriptions_open', { path: 'direct' })).toBe(1);
    expect(sample(open, 'chat_ws_subscriptions_open', { path: 'graphql-ws' })).toBe(1);
    const subscribed = { transport: 'ws', type: 'subscription', outcome: 'ok' };
    expect(sample(open, 'chat_operations_total', { ...subscribed, operation: 'messageAdded' })).toBe(1);
    expect(sample(open, 'chat_operations_total', { ...subscribed, operation: 'roomEvents' })).toBe(1);

    const sent = await gql(servers().httpUrl, SendMessageDoc, { roomId, body: 'counted' }, alice.token);
    expect(sent.errors).toBeUndefined();
    await direct.next();
    await perViewer.next();

    const after = await scrape(apiBase());
    expect(sample(after, 'chat_operations_total', sendOk)).toBe(sample(before, 'chat_operations_total', sendOk) + 1);
    expect(sample(after, 'chat_send_message_duration_seconds_count')).toBe(sample(before, 'chat_send_message_duration_seconds_count') + 1);
    const sendBatches = { kind: 'sends' };
    expect(sample(after, 'chat_group_commit_batch_size_sum', sendBatches)).toBe(sample(before, 'chat_group_commit_batch_size_sum', sendBatches) + 1);
    const frames = sample(after, 'chat_ws_frames_delivered_total') - sample(before, 'chat_ws_frames_delivered_total');
    expect(frames).toBe(2);

    await direct.close();
    await perViewer.close();
    await client.dispose();
    await until(async () => sample(await scrape(wsBase()), 'chat_ws_connections_open') === 0, 'the socket to be uncounted');
    const closed = await scrape(wsBase());
    expect(sample(closed, 'chat_ws_subscriptions_open')).toBe(0);
  });

  test('errors are counted by code, once each, on HTTP and WebSocket', async () => {
    const outsider = await signUp(servers(), 'outsider');
    const before = await scrape(apiBase());
    const refused = await gql(servers().httpUrl, SendMessageDoc, { roomId, body: 'not a member' }, outsider.token);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    // Refused by the cost limit before it runs (a plugin that stops the operation early).
    const tooCostly = await gql(servers().httpUrl, costlySend, { roomId }, alice.token);
    expect(errorCode(tooCostly)).toBe('BAD_USER_INPUT');
    // Invalid on both transports: the fast lane and DirectSubscriptions hand these on, and only the final path counts them.
    const invalid = await gql(servers().httpUrl, '{ nope }', {}, alice.token);
    expect(errorCode(invalid)).toBe('GRAPHQL_VALIDATION_FAILED');
    const unparsableHttp = await gql(servers().httpUrl, '{ nope', {}, alice.token);
    expect(unparsableHttp.errors?.[0]?.message).toMatch(/^Syntax Error/);
    const client = wsClient(servers().wsUrl, bob.token);
    const unparsable = subscribe(client, 'subscription { messageAdded(', {});
    await expect(unparsable.next()).rejects.toBeDefined();
    const unknownField = subscribe(client, 'subscription { messageAdded { nope } }', {});
    await expect(unknownField.next()).rejects.toBeDefined();
    await client.dispose();

    const after = await scrape(wsBase());
    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('chat_operations_total', { transport: 'http', operation: 'sendMessage', outcome: 'FORBIDDEN' })).toBe(1);
    expect(moved('chat_graphql_errors_total', { code: 'FORBIDDEN' })).toBe(1);
    expect(moved('chat_operations_total', { transport: 'http', operation: 'sendMessage', outcome: 'BAD_USER_INPUT' })).toBe(1);
    expect(moved('chat_operations_total', { transport: 'http', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(moved('chat_operations_total', { transport: 'http', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(moved('chat_operations_total', { transport: 'ws', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(moved('chat_operations_total', { transport: 'ws', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
  });

  test('rate-limit refusals are counted (RATE_LIMITED)', async () => {
    const before = await scrape(apiBase());
    let refusal: string | undefined;
    for (let i = 0; i <= messagesPerMinute && refusal === undefined; i++) {
      refusal = errorCode(await gql(servers().httpUrl, SendMessageDoc, { roomId, body: `burst ${i}` }, alice.token));
    }
    expect(refusal).toBe('RATE_LIMITED');
    const after = await scrape(apiBase());
    expect(sample(after, 'chat_graphql_errors_total', { code: 'RATE_LIMITED' }) - sample(before, 'chat_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(1);
  });
});

describe('servers started and stopped in one process', () => {
  test('leave nothing of theirs alive: the process metrics (GC, event loop) are registered once per process', async () => {
    // prom-client's default collectors are never stopped: registered on each services'
    // registry, they kept every stopped server's database alive (a PGlite is ~190 MB).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let first: WeakRef<object> | undefined;
    for (let i = 0; i < 2; i++) {
      const other = await startServers(servers().env);
      const text = await scrape(`http://127.0.0.1:${other.apiPort}`);
      expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
      first ??= new WeakRef(other.deps.orm);
      await other.destroy();
    }
    await until(() => (gc(), first!.deref() === undefined), 'the first stopped server to be collected');
    // The running servers still show the process metrics.
    expect(await scrape(apiBase())).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });
});
