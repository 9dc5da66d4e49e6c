import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

/** How a raw connection ended: the status line the server sent (if any) and when it closed. */
export interface Ending {
  statusLine: string | null;
  closedAfterMs: number;
}

/**
 * A raw TCP connection to 127.0.0.1:`port`, as a slow or hostile client holds one:
 * `write` sends bytes as they are; `ended` resolves when the server closes the connection.
 */
export interface RawConnection {
  write(text: string): void;
  /** Sends `line` every `everyMs` until the connection closes (a client that never finishes). */
  drip(line: string, everyMs: number): void;
  /** The next response's status line on this keep-alive connection (bounded wait). */
  statusOf(request: string, ms?: number): Promise<string>;
  readonly ended: Promise<Ending>;
  destroy(): void;
}

export function rawConnection(port: number): Promise<RawConnection> {
  const socket: Socket = connect(port, '127.0.0.1');
  const openedAt = Date.now();
  let received = '';
  let onData: (() => void) | null = null;
  let drip: NodeJS.Timeout | undefined;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    received += chunk;
    onData?.();
  });
  socket.on('error', () => undefined);
  const ended = new Promise<Ending>((resolve) =>
    socket.once('close', () => {
      clearInterval(drip);
      resolve({ statusLine: received ? received.split('\r\n')[0]! : null, closedAfterMs: Date.now() - openedAt });
    }),
  );
  const connection: RawConnection = {
    write: (text) => void socket.write(text),
    drip(line, everyMs) {
      drip = setInterval(() => socket.writable && socket.write(line), everyMs);
    },
    statusOf(request, ms = 5000) {
      received = '';
      socket.write(request);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no response within ${ms} ms`)), ms);
        onData = () => {
          // A whole response to GET /health: head and its small body.
          if (!/\r\n\r\n[\s\S]*\}/.test(received)) return;
          clearTimeout(timer);
          onData = null;
          resolve(received.split('\r\n')[0]!);
        };
        void ended.then(() => reject(new Error('the connection closed')));
      });
    },
    ended,
    destroy: () => socket.destroy(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(connection));
    socket.once('error', reject);
  });
}

/** A keep-alive `GET /health` request. */
export const healthRequest = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/** What one download in `downloadFromWorker` received. */
export interface Download {
  status: number;
  encoding: string | null;
  bytes: number;
}

/** Runs in a worker (plain JavaScript: no loader needed there). */
const downloaderSource = `
const { request } = require('node:http');
const { parentPort, workerData: { url, headers, count } } = require('node:worker_threads');
const get = () => new Promise((done, fail) => {
  const req = request(url, { headers }, (res) => {
    let bytes = 0;
    res.on('data', (chunk) => (bytes += chunk.length));
    res.on('end', () => done({ status: res.statusCode, encoding: res.headers['content-encoding'] ?? null, bytes }));
  });
  req.on('error', fail);
  req.end();
});
Promise.all(Array.from({ length: count }, get)).then((all) => parentPort.postMessage(all), (err) => { throw err; });
`;

/**
 * `count` concurrent GETs of `url` from a worker thread: reading their bodies then does
 * not hold up the test's own event loop, so a client timed in the test measures the server.
 */
export function downloadFromWorker(url: string, headers: Record<string, string>, count: number): Promise<Download[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(downloaderSource, { eval: true, workerData: { url, headers, count } });
    worker.once('message', (downloads: Download[]) => void worker.terminate().then(() => resolve(downloads)));
    worker.once('error', reject);
  });
}
