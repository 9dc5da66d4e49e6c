import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Adds `Server-Timing: total;dur=<ms>` to a response: the time from `arrivedAt` (take it
 * first thing in node's `request` listener, i.e. once the request head is parsed) to the
 * moment the response head is written. Yoga writes the head only after the whole single
 * result is executed and serialized, so for a query or mutation this covers reading the
 * body, context, parse/validate, execution, database round trips and JSON; only the one
 * socket write of the finished body comes after it. For a stream (SSE) it is the time to
 * the first byte. A header cannot carry the time of its own write, and trailers are not
 * readable from fetch, so this is the honest end point.
 */
export function addServerTiming(res: ServerResponse, arrivedAt: number): void {
  const writeHead = res.writeHead;
  res.writeHead = function timedWriteHead(this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) this.setHeader('server-timing', `total;dur=${(performance.now() - arrivedAt).toFixed(3)}`);
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
}

