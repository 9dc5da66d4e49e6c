import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import type { Context as WsContext, SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { bearerToken } from '../auth';
import type { Context, Deps } from '../context';
import { closeServer, listen, sendHealth, sendReadiness, type StartableServer } from './http';
import type { Services } from './services';
import { createChatYoga, maskUnexpected, type ChatYoga } from './yoga';
import { maskResult } from './plugins';

/** What we keep per socket, set once `connection_init` carried a valid token. */
type SocketState = {
  token?: string;
  connectionId?: string;
};

/** RFC 6455 close code: the server is going away (shutdown). */
const goingAway = 1001;

type Ctx = WsContext<Record<string, unknown> | undefined, SocketState & { request: IncomingMessage }>;

/**
 * The token from the `connection_init` payload: `{ token }`, or `{ Authorization: "Bearer …" }`
 * with the key in any case.
 */
export function tokenFromConnectionParams(params: Record<string, unknown> | undefined): string | null {
  if (!params) return null;
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue;
    const name = key.toLowerCase();
    if (name === 'token') return value;
    if (name === 'authorization') return bearerToken(value);
  }
  return null;
}

/**
 * The WebSocket tier: graphql-ws (subprotocol graphql-transport-ws) on `/graphql`,
 * `GET /health` and `GET /ready`. A missing or invalid token closes the socket with 4403
 * before any operation runs; frames over 1 MiB close it with 1009.
 */
export function createWsServer(services: Services, yoga: ChatYoga = createChatYoga(services.deps)): StartableServer {
  const { deps } = services;
  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return sendHealth(res);
    if (path === '/ready') return void sendReadiness(res, services.readiness);
    res.writeHead(426, { 'content-type': 'text/plain' }).end('Use a WebSocket (graphql-transport-ws) on /graphql\n');
  });
  const wss = new WebSocketServer({ server: http, path: '/graphql', maxPayload: deps.config.limits.maxPayloadBytes });
  useServer<Record<string, unknown> | undefined, SocketState>(
    {
      onConnect: (ctx) => authenticate(deps, ctx as Ctx),
      onSubscribe: (ctx, _id, payload) => prepareOperation(yoga, ctx as Ctx, payload),
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => subscribe(yoga, args),
    },
    wss,
  );
  return {
    start: (port, host) => listen(http, port, host),
    async stop() {
      for (const socket of wss.clients) socket.close(goingAway, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(http);
    },
  };
}

function authenticate(deps: Deps, ctx: Ctx): boolean {
  const token = tokenFromConnectionParams(ctx.connectionParams);
  if (!deps.tokens.verify(token)) return false;
  ctx.extra.token = token!;
  ctx.extra.connectionId = randomUUID();
  return true;
}

type Enveloped = ReturnType<ChatYoga['getEnveloped']>;

/**
 * Shareable subscriptions skip envelop's per-delivery result wrappers (one async layer
 * per plugin, per subscriber, per event): the same masking and logging run once per
 * shared result instead. Everything else goes through envelop as usual.
 */
function subscribe(yoga: ChatYoga, args: ExecutionArgs) {
  const key = yoga.shared.keyOf(args);
  if (key === null) return (args.rootValue as Enveloped).subscribe(args);
  return yoga.shared.subscribe({ ...args, rootValue: undefined }, key, (result, { contextValue }) =>
    maskResult(result, contextValue as Context, (error) => maskUnexpected(error)),
  );
}

/** Parses, validates and builds the context through Yoga's envelop: same plugins as HTTP. */
async function prepareOperation(yoga: ChatYoga, ctx: Ctx, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
  const request = ctx.extra.request;
  const enveloped = yoga.getEnveloped({
    req: request,
    ws: {
      token: ctx.extra.token ?? null,
      connectionId: ctx.extra.connectionId,
      clientAddress: request.socket.remoteAddress ?? 'unknown',
    },
  } as never);
  let document;
  try {
    document = enveloped.parse(payload.query);
  } catch (err) {
    return [err as GraphQLError];
  }
  const errors = enveloped.validate(enveloped.schema, document);
  if (errors.length > 0) return errors;
  return {
    schema: enveloped.schema,
    document,
    operationName: payload.operationName,
    variableValues: payload.variables,
    contextValue: await enveloped.contextFactory(),
    rootValue: enveloped,
  };
}
