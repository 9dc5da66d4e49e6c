import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bounds } from '../../config';
import type { Logger } from '../../logger';
import type { Metrics } from '../../metrics';
import type { ReadinessReport } from './readiness';

/** A server that a process starts and stops; `start` resolves with the bound port. */
export interface StartableServer {
  start(port: number, host?: string): Promise<number>;
  /** Stops accepting, ends open connections, and resolves when all are closed. */
  stop(): Promise<void>;
}

/**
 * How often node looks for connections past their header or request deadline. Its default
 * (30 s) would let a client trickling headers hold a connection up to 30 s past the deadline.
 */
const connectionsCheckingIntervalMs = 1000;

/**
 * Bounds what slow or numerous clients can hold (README, "Limits"); 0 turns each one off.
 * - headers and whole request (node answers 408 and closes): they bound *receiving* a request,
 *   so a long response (an SSE stream) or an upgraded WebSocket is never cut by them;
 * - idle keep-alive connections (`keepAliveTimeout`);
 * - open connections, upgraded WebSockets included (past it node drops new ones at once).
 * Call it before `listen`: node starts its deadline check, at `connectionsCheckingInterval`,
 * when the server starts listening.
 */
export function applyServerBounds(server: Server, bounds: Bounds): void {
  server.headersTimeout = bounds.httpHeadersTimeoutMs;
  server.requestTimeout = bounds.httpRequestTimeoutMs;
  server.keepAliveTimeout = bounds.httpIdleTimeoutMs;
  if (bounds.maxConnections > 0) server.maxConnections = bounds.maxConnections;
  // Read by node when listening starts (lib/_http_server.js, setupConnectionsTracking); the
  // createServer option of the same name only sets this property.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = connectionsCheckingIntervalMs;
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

/** `GET /metrics`: this process's metrics in Prometheus text format (metrics.ts). Never rejects: a failed scrape is a logged 500. */
export async function sendMetrics(res: ServerResponse, metrics: Metrics, log: Logger): Promise<void> {
  try {
    const { contentType, text } = await metrics.scrape();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(text);
  } catch (err) {
    log.error({ err }, 'metrics scrape failed');
    if (!res.headersSent) res.writeHead(500).end();
  }
}

/** Liveness probe: the process answers. */
export function sendHealth(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end('{"status":"ok"}');
}
