/**
 * Issue 14, item 8: does a burst of GraphiQL downloads delay other clients?
 *
 *   npx tsx bench/graphiql-load.ts [serviceDir] [waves (default 10)]
 *
 * Starts the service of `serviceDir` (default: this checkout) with tsx on PGlite in a
 * temporary DATA_DIR, in its own process; from this process, one client runs
 * `{ me { username } }` back to back, first alone, then during waves of 50 concurrent
 * GraphiQL GETs (as a browser sends them: accept text/html, accept-encoding gzip, deflate, br),
 * sent from a worker thread so that reading the pages does not delay this client's own loop.
 * Prints the second client's latency percentiles in both phases and the waves' durations.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { freePort } from './targets';

const waves = Number(process.argv[3] ?? 10);
const perWave = 50;
const aloneMs = 3000;

function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => done(bytes));
    });
    req.on('error', fail);
    req.end();
  });
}

async function post(url: string, query: string, token?: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  return `n=${sorted.length} p50 ${f(percentile(sorted, 50))} p99 ${f(percentile(sorted, 99))} max ${f(sorted[sorted.length - 1]!)}`;
}

let failedQueries = 0;

/** Runs the second client's query back to back until `stop()` says so; its latencies. */
async function queriesUntil(url: string, token: string, stop: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!stop()) {
    const startedAt = performance.now();
    // A failed query counts with the time it took to fail.
    await post(url, '{ me { username } }', token).catch(() => (failedQueries += 1));
    latencies.push(performance.now() - startedAt);
  }
  return latencies;
}

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? '.');
  const dataDir = mkdtempSync(join(tmpdir(), 'graphiql-load-'));
  const [apiPort, wsPort] = [await freePort(), await freePort()];
  const server = spawn(join(dir, 'node_modules/.bin/tsx'), [join(dir, 'src/servers/main.ts')], {
    cwd: dir,
    stdio: 'ignore',
    env: { ...process.env, DATA_DIR: dataDir, API_PORT: String(apiPort), SERVER_PORT: String(wsPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_AUTH_PER_MINUTE: '0' },
  });
  const url = `http://127.0.0.1:${apiPort}/graphql`;
  try {
    for (let i = 0; ; i++) {
      if (await get(`http://127.0.0.1:${apiPort}/health`, {}).then(() => true, () => false)) break;
      if (i > 600) throw new Error('the service did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const registered = (await post(url, 'mutation { register(username: "loadprobe", password: "correct horse battery") { token } }')) as {
      data: { register: { token: string } };
    };
    const token = registered.data.register.token;
    const browser = { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' };
    let startedAt = performance.now();
    const pageBytes = await get(url, browser);
    console.log(`first GraphiQL GET (renders and compresses): ${(performance.now() - startedAt).toFixed(0)} ms, ${pageBytes} bytes`);

    const aloneUntil = performance.now() + aloneMs;
    console.log(`queries alone:          ${summary(await queriesUntil(url, token, () => performance.now() > aloneUntil))}`);

    const during: number[] = [];
    for (let wave = 0; wave < waves; wave++) {
      let done = false;
      startedAt = performance.now();
      const downloads = downloadWave(url, browser).finally(() => (done = true));
      const [latencies, sizes] = await Promise.all([queriesUntil(url, token, () => done), downloads]);
      during.push(...latencies);
      const failed = sizes.filter((size) => size < 0).length;
      console.log(`wave ${wave + 1}: ${perWave} GETs of ${Math.max(...sizes)} bytes in ${(performance.now() - startedAt).toFixed(0)} ms, ${failed} failed`);
    }
    console.log(`queries during waves:   ${summary(during)}, ${failedQueries} failed`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The worker's code (plain JavaScript, so that no loader is needed): GETs `count` pages at once, posts their sizes. */
const waveWorker = `
const { request } = require('node:http');
const { parentPort, workerData: { url, headers, count } } = require('node:worker_threads');
// A failed download counts as -1 bytes (the server before compression reset some under this load).
const get = () => new Promise((done) => {
  const req = request(url, { headers }, (res) => { let bytes = 0; res.on('data', (c) => (bytes += c.length)); res.on('end', () => done(bytes)); res.on('error', () => done(-1)); });
  req.on('error', () => done(-1));
  req.end();
});
Promise.all(Array.from({ length: count }, get)).then((sizes) => parentPort.postMessage(sizes));
`;

/** One wave of concurrent GETs, from a worker thread; the sizes received. */
function downloadWave(url: string, headers: Record<string, string>): Promise<number[]> {
  return new Promise((done, fail) => {
    const worker = new Worker(waveWorker, { eval: true, workerData: { url, headers, count: perWave } });
    worker.once('message', (sizes: number[]) => void worker.terminate().then(() => done(sizes)));
    worker.once('error', fail);
  });
}

void main();
