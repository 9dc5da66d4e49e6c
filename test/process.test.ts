import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoginDoc, RegisterDoc } from './helpers/operations';
import { killStarted, parseJson, startProcess, type ServerProcess } from './helpers/child';
import { gqlData } from './helpers/http';
import { makeDataDir, removeDataDir } from './helpers/servers';
import { compiledEntry } from './helpers/service-build';
import { wsClient } from './helpers/ws';
import { withTimeout } from './helpers/wait';

/**
 * `npm start` as operators run it: a child process with no configuration but ports, data
 * directory and log level. The tests below run in order against that one process: start,
 * use, SIGTERM, then read everything it logged.
 */

// Startup compiles TypeScript and migrates PGlite: generous under a loaded CI machine.
const startupMs = 25_000;

let dataDir: string;
let server: ServerProcess;
let apiPort: number;
let wsPort: number;
/** Secrets used during the run that must never appear in the logs. */
const secrets = { password: `pw-${Date.now()}-correct-horse`, token: '', loginToken: '' };

beforeAll(async () => {
  dataDir = await makeDataDir();
  // What `npm start` runs: the compiled entry (built in globalSetup).
  // HOST keeps the listener on loopback; nothing else is configured (no JWT_SECRET).
  server = startProcess(compiledEntry('src/servers/main.ts'), {
    API_PORT: '0',
    SERVER_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
  });
  const api = await server.logLine((e) => typeof e.port === 'number' && String(e.url).startsWith('http://'), 'the API port', startupMs);
  const ws = await server.logLine((e) => typeof e.port === 'number' && String(e.url).startsWith('ws://'), 'the WebSocket port', startupMs);
  apiPort = api.port as number;
  wsPort = ws.port as number;
}, startupMs * 2);

afterAll(async () => {
  killStarted();
  await removeDataDir(dataDir);
});

const httpUrl = () => `http://127.0.0.1:${apiPort}/graphql`;
const wsUrl = () => `ws://127.0.0.1:${wsPort}/graphql`;

test('without JWT_SECRET it warns and generates one into DATA_DIR', async () => {
  const warning = await server.logLine((e) => e.level === 40 && /JWT_SECRET/.test(String(e.msg)), 'the JWT_SECRET warning', 5000);
  expect(warning.msg).toMatch(/JWT_SECRET/);
  const file = join(dataDir, 'jwt-secret');
  expect(existsSync(file)).toBe(true);
  expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
});

test('it listens on two different ports', () => {
  expect(apiPort).toBeGreaterThan(0);
  expect(wsPort).toBeGreaterThan(0);
  expect(apiPort).not.toBe(wsPort);
});

test('GET /health answers 200 on both ports', async () => {
  for (const port of [apiPort, wsPort]) {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    expect(response.status).toBe(200);
  }
});

test('a user registers and logs in through it', async () => {
  const username = `proc_${Date.now().toString(36)}`;
  const { register } = await gqlData(httpUrl(), RegisterDoc, { username, password: secrets.password });
  const { login } = await gqlData(httpUrl(), LoginDoc, { username, password: secrets.password });
  expect(login.user.id).toBe(register.user.id);
  secrets.token = register.token;
  secrets.loginToken = login.token;
});

test('SIGTERM closes an open graphql-ws connection with 1001 and exits 0 within 10 s', async () => {
  const client = wsClient(wsUrl(), secrets.token);
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
  // A live subscription keeps the (lazy) connection open; its end by the shutdown is expected.
  const unsubscribe = client.subscribe({ query: 'subscription { messageAdded { id } }' }, { next: () => {}, error: () => {}, complete: () => {} });
  await withTimeout(connected, 5000, 'the graphql-ws connection');

  const signalledAt = Date.now();
  server.child.kill('SIGTERM');
  expect(await withTimeout(closed, 10_000, 'the socket to close')).toBe(1001);
  expect(await server.exited(10_000)).toBe(0);
  expect(Date.now() - signalledAt).toBeLessThan(10_000);
  unsubscribe();
  await client.dispose();
}, 25_000);

test('it logged the shutdown and stopped cleanly', () => {
  const messages = server.lines().map((line) => parseJson(line)?.msg);
  expect(messages).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
});

test('every stdout line is a JSON log entry', () => {
  const lines = server.lines();
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    const entry = parseJson(line);
    expect(entry).not.toBeNull();
    expect(entry).toEqual(expect.objectContaining({ level: expect.any(Number), time: expect.any(String), msg: expect.any(String) }));
  }
});

test('no log line contains the password, a token or the generated secret', () => {
  const jwtSecret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
  const output = server.stdout() + server.stderr();
  expect(secrets.token).not.toBe('');
  for (const secret of [secrets.password, secrets.token, secrets.loginToken, jwtSecret]) {
    expect(output).not.toContain(secret);
  }
});
