import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { requestIdFrom } from '../context';
import { closeServer, listen, sendHealth, sendReadiness, type StartableServer } from './http';
import { addServerTiming } from './server-timing';
import type { Services } from './services';
import { createChatYoga, type ChatYoga, type ServerContext } from './yoga';

/** Yoga's node listener: it adds `{ req, res }` and sends the response; typed here with our extra context. */
type NodeListener = (req: IncomingMessage, res: ServerResponse, ctx: ServerContext) => Promise<void>;

/**
 * The HTTP tier: `POST/GET /graphql` (queries, mutations, SSE subscriptions, GraphiQL
 * in a browser), `GET /health` (liveness) and `GET /ready` (dependencies answer).
 * Every GraphQL response carries its `x-request-id` and a `Server-Timing: total;dur=<ms>`.
 */
export function createApiServer(services: Services, yoga: ChatYoga = createChatYoga(services.deps)): StartableServer {
  const handle = yoga.requestListener as unknown as NodeListener;
  const server = createServer((req, res) => {
    const arrivedAt = performance.now();
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return sendHealth(res);
    if (path === '/ready') return void sendReadiness(res, services.readiness);
    const requestId = requestIdFrom(req.headers['x-request-id'] as string | undefined);
    res.setHeader('x-request-id', requestId);
    addServerTiming(res, arrivedAt);
    void handle(req, res, { requestId });
  });
  return {
    start: (port, host) => listen(server, port, host),
    stop: () => closeServer(server),
  };
}
