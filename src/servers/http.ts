import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadinessReport } from './readiness';

/** A server that a process starts and stops; `start` resolves with the bound port. */
export interface StartableServer {
  start(port: number, host?: string): Promise<number>;
  /** Stops accepting, ends open connections, and resolves when all are closed. */
  stop(): Promise<void>;
}

export function listen(server: Server, port: number, host = '0.0.0.0'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops accepting; idle keep-alive connections end now, busy ones get `graceMs`
 * to finish (long-lived SSE streams then end too).
 */
export function closeServer(server: Server, graceMs = 2000): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Readiness probe: 200 when every dependency answers, 503 with the reasons otherwise. */
export async function sendReadiness(res: ServerResponse, check: () => Promise<ReadinessReport>): Promise<void> {
  const report = await check();
  res.writeHead(report.ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ status: report.ready ? 'ready' : 'unavailable', ...report }));
}

/** Liveness probe: the process answers. */
export function sendHealth(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end('{"status":"ok"}');
}
