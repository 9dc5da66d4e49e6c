import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { requestIdFrom } from '../../context';
import type { Logger } from '../../logger';
import { applyServerBounds, closeServer, listen, sendHealth, sendMetrics, sendReadiness, type StartableServer } from './http';
import { createFastLane } from './fast-lane';
import { createGraphiQLPage, isGraphiQLRequest } from './graphiql-page';
import { addServerTiming } from './server-timing';
import type { Services } from '../../app';
import { createWebApp } from './web-app';
import { createChatYoga, type ChatYoga, type ServerContext } from '../graphql/yoga';

/** Yoga's node listener: it adds `{ req, res }` and sends the response; typed here with our extra context. */
type NodeListener = (req: IncomingMessage, res: ServerResponse, ctx: ServerContext) => Promise<void> | void;

/**
 * The HTTP tier: `POST/GET /graphql` (queries, mutations, SSE subscriptions, GraphiQL
 * in a browser), `GET /health` (liveness), `GET /ready` (dependencies answer),
 * `GET /metrics` (Prometheus), and the web app (web-app.ts) on every other GET or HEAD:
 * `/`, its assets and `/app-config.json`.
 * Every GraphQL response carries its `x-request-id` and a `Server-Timing: total;dur=<ms>`.
 */
export function createApiServer(services: Services, yoga: ChatYoga = createChatYoga(services.deps)): StartableServer {
  const { config, log } = services.deps;
  const handle = yoga.requestListener as unknown as NodeListener;
  const fastLane = createFastLane(yoga, log, config.limits.maxPayloadBytes, config.corsOrigins, (req, res, ctx, body) =>
    settle(body ? replay(yoga, req, res, ctx, body) : handle(req, res, ctx), res, log),
  );
  const graphiql = config.graphiql ? createGraphiQLPage(log) : null;
  const webApp = createWebApp(config);
  const server = createServer((req, res) => {
    const arrivedAt = performance.now();
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return sendHealth(res);
    if (path === '/ready') return settle(sendReadiness(res, services.readiness), res, log);
    if (path === '/metrics') return void sendMetrics(res, services.deps.metrics, log);
    if (graphiql && isGraphiQLRequest(req)) return graphiql(req, res);
    if (webApp.handles(req, path)) return webApp.serve(req, res, path, () => answerGraphQL(req, res, arrivedAt));
    answerGraphQL(req, res, arrivedAt);
  });
  function answerGraphQL(req: IncomingMessage, res: ServerResponse, arrivedAt: number): void {
    const requestId = requestIdFrom(req.headers['x-request-id'] as string | undefined);
    res.setHeader('x-request-id', requestId);
    addServerTiming(res, arrivedAt);
    fastLane(req, res, requestId);
  }
  applyServerBounds(server, config.bounds);
  return {
    start: (port, host) => listen(server, port, host),
    stop: () => closeServer(server),
  };
}

/**
 * A failure while answering ends this request (logged, 500 or a dropped connection), never
 * the process. Yoga's node listener returns a promise only when it answers asynchronously.
 */
function settle(answering: Promise<void> | void, res: ServerResponse, log: Logger): void {
  answering?.catch((err: unknown) => {
    log.error({ err }, 'unexpected failure answering a request');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Unexpected error."}]}');
    else res.destroy();
  });
}

/**
 * Yoga's answer to a request whose body the fast lane already read (and found to be
 * something Yoga must answer: invalid JSON, a parse or validation error...).
 */
async function replay(yoga: ChatYoga, req: IncomingMessage, res: ServerResponse, ctx: ServerContext, body: Buffer): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/graphql'}`;
  const response = await yoga.fetch(url, { method: req.method, headers, body: body.toString('utf8') }, { ...ctx, req });
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => (responseHeaders[name] = value));
  res.writeHead(response.status, responseHeaders);
  // Streamed as it comes: a subscription answers with a stream that lasts.
  if (response.body) await streamInto(response.body as unknown as AsyncIterable<Uint8Array>, res);
  res.end();
}

async function streamInto(body: AsyncIterable<Uint8Array>, res: ServerResponse): Promise<void> {
  const chunks = body[Symbol.asyncIterator]();
  res.once('close', () => void chunks.return?.());
  try {
    for (let next = await chunks.next(); !next.done && !res.destroyed; next = await chunks.next()) res.write(next.value);
  } catch {
    // The client went away mid-stream: nothing left to answer.
  }
}
