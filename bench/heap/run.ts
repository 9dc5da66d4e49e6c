import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { buildBenchEntries, compiled } from '../build';
import { root } from '../procs';
import { heapGrowth } from './snapshot-diff';

/**
 * `npm run bench:heap -- [N]`: what one subscribed socket keeps on the service's heap.
 * Starts the compiled service (PGlite in a temporary directory, or DATABASE_URL /
 * REDIS_URL when set), opens 50 warm-up sockets, takes a heap snapshot, opens N more
 * (default 2,000), each authenticated with one `messageAdded(roomId)` subscription, takes
 * another, and prints the self size of the new objects per socket, by type and by
 * retainer. A heap snapshot is exact where RSS (the `connect` scenario) is not.
 *
 * `npm run bench:heap -- --churn N`: what a reconnect leaves behind, as the soak's churn
 * does it. 500 sockets resume with `messageAdded(roomId, after)`; one at a time, a socket
 * is terminated without a close handshake and a new one resumes from the same cursor
 * (500 times to warm up, then N times, default 3,000, between the two snapshots); the
 * growth is printed per reconnect. Sockets open at both snapshots are the same number.
 *
 * `npm run bench:heap -- --sends N`: what a message does. The same 500 resumed sockets;
 * N messages (default 3,000, after 500 to warm up) sent one at a time over HTTP between
 * the two snapshots, each delivered to every socket; the growth is printed per message.
 */
type Mode = 'sockets' | 'churn' | 'sends';
const mode: Mode = process.argv.includes('--churn') ? 'churn' : process.argv.includes('--sends') ? 'sends' : 'sockets';
const count = mode === 'sockets' ? Number(process.argv[2] ?? 2000) : Number(process.argv[process.argv.indexOf(`--${mode}`) + 1] ?? 3000);
/** Churn and sends measure around sockets that resume from a cursor, as the soak's do. */
const resuming = mode !== 'sockets';
const sockets = resuming ? 500 : count;
const subscription = resuming
  ? 'subscription Resume($roomId: ID, $after: String) { messageAdded(roomId: $roomId, after: $after) { cursor } }'
  : 'subscription OnMessage($roomId: ID) { messageAdded(roomId: $roomId) { id body createdAt author { id username } room { id } } }';

async function main(): Promise<void> {
  buildBenchEntries();
  const dir = mkdtempSync(join(tmpdir(), 'chat-heap-'));
  const [apiPort, wsPort] = [await freePort(), await freePort()];
  const server = spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', join(root, compiled.service)], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      DATA_DIR: join(dir, 'data'),
      API_PORT: String(apiPort),
      SERVER_PORT: String(wsPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_AUTH_PER_MINUTE: '0',
      RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
      // One address opens up to 20,000 sockets: the per-address and per-process caps are off.
      MAX_PENDING_SOCKETS_PER_ADDRESS: '0',
      MAX_CONNECTIONS: '0',
      // Its users hold many sockets each.
      MAX_SOCKETS_PER_USER: '0',
      ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
      ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const opened: WebSocket[] = [];
  try {
    const api = `http://127.0.0.1:${apiPort}/graphql`;
    await until(() => fetch(`http://127.0.0.1:${apiPort}/ready`).then((r) => r.ok, () => false), 60_000);
    const { tokens, roomId, cursor } = await fixture(api);
    const variables: Record<string, string> = resuming ? { roomId, after: cursor } : { roomId };
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) await post(api, 'mutation($r: ID!, $b: String!) { sendMessage(roomId: $r, body: $b) { id } }', { r: roomId, b: `message ${i}` }, tokens[i % tokens.length]);
      // Every delivery written out before the snapshot.
      await new Promise((resolve) => setTimeout(resolve, 2000));
    };
    const open = (n: number, settleMs?: number) => openSubscribed(`ws://127.0.0.1:${wsPort}/graphql`, tokens, variables, n, opened, settleMs);
    const steps = {
      sockets: { warmUp: async () => undefined, measure: () => open(count), unit: 'subscribed socket' },
      churn: { warmUp: () => reconnect(open, opened, 500), measure: () => reconnect(open, opened, count), unit: 'reconnect' },
      sends: { warmUp: () => send(500), measure: () => send(count), unit: `message sent (each delivered to ${sockets} sockets)` },
    }[mode];
    await open(50);
    if (resuming) await open(sockets);
    await steps.warmUp();
    const before = await snapshot(server.pid!, dir);
    await steps.measure();
    const after = await snapshot(server.pid!, dir);
    const growth = heapGrowth(before, after, count);
    const { unit } = steps;
    console.log(`heap per ${unit}: ${Math.round(growth.bytesPerUnit)} bytes (${count})`);
    console.log(`\nby type (bytes per ${unit})`);
    for (const [key, bytes] of growth.byType.slice(0, 25)) console.log(`${bytes.toFixed(0).padStart(7)}  ${key}`);
    console.log(`\nby retainer (bytes per ${unit})`);
    for (const [key, bytes] of growth.byRetainer.slice(0, 40)) console.log(`${bytes.toFixed(0).padStart(7)}  ${key}`);
  } finally {
    for (const socket of opened) socket.terminate();
    // The data directory goes once the service has closed its database.
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Terminates the oldest subscribed socket and opens a new one, `times` times, one at a time. */
async function reconnect(open: (n: number, settleMs?: number) => Promise<void>, opened: WebSocket[], times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const oldest = opened.shift()!;
    await new Promise((resolve) => {
      oldest.once('close', resolve);
      oldest.terminate();
    });
    await open(1, 0);
  }
  // Let the last subscriptions finish their set-up, and the closed sockets their clean-up.
  await new Promise((resolve) => setTimeout(resolve, 2000));
}

async function post(api: string, query: string, variables: object, token?: string): Promise<Record<string, Record<string, unknown>>> {
  const response = await fetch(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.json()) as { data?: Record<string, Record<string, unknown>>; errors?: unknown };
  if (!json.data) throw new Error(`request failed: ${JSON.stringify(json.errors)}`);
  return json.data;
}

async function fixture(api: string): Promise<{ tokens: string[]; roomId: string; cursor: string }> {
  const gql = (query: string, variables: object, token?: string) => post(api, query, variables, token);
  const tokens: string[] = [];
  for (let i = 0; i < 10; i++) {
    const data = await gql('mutation($u: String!) { register(username: $u, password: "password123") { token } }', { u: `heap${i}_${process.pid}` });
    tokens.push(data.register!.token as string);
  }
  const roomId = (await gql('mutation { createRoom(name: "heap") { id } }', {}, tokens[0])).createRoom!.id as string;
  for (const token of tokens.slice(1)) await gql('mutation($r: ID!) { joinRoom(roomId: $r) { id } }', { r: roomId }, token);
  const sent = await gql('mutation($r: ID!) { sendMessage(roomId: $r, body: "first") { cursor } }', { r: roomId }, tokens[0]);
  return { tokens, roomId, cursor: sent.sendMessage!.cursor as string };
}

/** Opens `n` sockets, 100 at a time, each authenticated and subscribed (its `connection_ack` seen). */
async function openSubscribed(url: string, tokens: string[], variables: Record<string, string>, n: number, opened: WebSocket[], settleMs = 2000): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, (_, j) => new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      opened.push(socket);
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token: tokens[(i + j) % tokens.length] } })));
      socket.on('message', (data) => {
        if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: subscription, variables } }));
        resolve();
      });
    }));
    await Promise.all(batch);
  }
  // Let the last subscriptions finish their set-up (membership check, topic listen).
  if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
}

/** Asks the service for a heap snapshot (it GCs first) and waits until the file is complete. */
async function snapshot(pid: number, dir: string): Promise<string> {
  const known = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  let file: string | undefined;
  await until(() => Boolean((file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !known.has(f)))), 120_000);
  let size = -1;
  await until(() => {
    const now = statSync(join(dir, file!)).size;
    const settled = now === size && now > 0;
    size = now;
    return settled;
  }, 120_000, 500);
  return join(dir, file!);
}

async function until(check: () => boolean | Promise<boolean>, ms: number, every = 200): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
