import { createServer, type IncomingMessage } from 'node:http';
import type { ExecutionArgs, ExecutionResult, GraphQLError } from 'graphql';
import type { Context as WsContext, SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken } from '../auth';
import type { Config } from '../config';
import { flatUuid, type Context, type Deps } from '../context';
import { closeServer, listen, sendHealth, sendReadiness, type StartableServer } from './http';
import type { Services } from './services';
import { createChatYoga, maskUnexpected, type ChatYoga } from './yoga';
import { maskResult } from './plugins';
import { SocketDelivery, type DeliveryPolicy } from './socket-delivery';

/** What we keep per socket, set once `connection_init` carried a valid token. */
type SocketState = {
  token?: string;
  connectionId?: string;
  clientAddress?: string;
};

/** RFC 6455 close code: the server is going away (shutdown). */
const goingAway = 1001;
/** RFC 6455 close code: try again later (graphql-ws clients reconnect on it). */
const tryAgainLater = 1013;

type Ctx = WsContext<Record<string, unknown> | undefined, SocketState & { socket: WebSocket; request: IncomingMessage | null }>;

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
  const policy = deliveryPolicy(deps.config);
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
      onSubscribe: (ctx, id, payload) => prepareOperation(yoga, ctx as Ctx, id, payload),
      execute: (args) => operationOf(args).enveloped.execute({ ...args, rootValue: undefined }),
      subscribe: (args) => subscribe(yoga, policy, args),
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
  ctx.extra.connectionId = flatUuid();
  ctx.extra.clientAddress = ctx.extra.request?.socket.remoteAddress ?? 'unknown';
  // The upgrade request (headers, streams: about 1.5 KB) would live as long as the socket.
  (ctx.extra as { request: IncomingMessage | null }).request = null;
  return true;
}

type Enveloped = ReturnType<ChatYoga['getEnveloped']>;

/** What an operation needs from its socket; carried as the rootValue graphql-ws hands back. */
interface WsOperation {
  enveloped: Enveloped;
  socket: WebSocket;
  id: string;
}

const operationOf = (args: ExecutionArgs) => args.rootValue as WsOperation;

/**
 * Shareable subscriptions skip envelop's per-delivery wrappers and graphql-ws's
 * per-event send: each event is executed, masked (and logged) and serialized once,
 * then written to every subscriber's socket (SocketDelivery). Everything else goes
 * through envelop as usual.
 */
function subscribe(yoga: ChatYoga, policy: DeliveryPolicy<Context>, args: ExecutionArgs) {
  const { enveloped, socket, id } = operationOf(args);
  const operation = { ...args, rootValue: undefined };
  // graphql-ws keeps `args` as long as the subscription lives; envelop's per-operation
  // closures are not needed past this point.
  (args as { rootValue: unknown }).rootValue = undefined;
  const key = yoga.shared.keyOf(operation);
  if (key === null) return enveloped.subscribe(operation);
  return yoga.shared.subscribeSerialized(operation, key, maskSharedResult, (source, serialize) =>
    new SocketDelivery({ socket, id, source, serialize, policy, context: operation.contextValue as Context }),
  );
}

const maskSharedResult = (result: ExecutionResult, { contextValue }: ExecutionArgs) =>
  maskResult(result, contextValue as Context, (error) => maskUnexpected(error));

/**
 * A client that cannot keep up would grow the server's memory without bound: its
 * subscription stops and it is disconnected, to reconnect (graphql-ws clients retry on
 * 1013) and read what it missed from history.
 */
function deliveryPolicy(config: Config): DeliveryPolicy<Context> {
  return {
    maxBufferedBytes: config.limits.maxSocketBufferedBytes,
    onSlowConsumer(socket, ctx) {
      if (socket.readyState !== socket.OPEN) return;
      ctx.log.warn({ bufferedBytes: socket.bufferedAmount }, 'closing a slow consumer');
      socket.close(tryAgainLater, 'Too many undelivered messages; reconnect and read history');
    },
    onError: (err) => maskUnexpected(err),
  };
}

/** Parses, validates and builds the context through Yoga's envelop: same plugins as HTTP. */
async function prepareOperation(yoga: ChatYoga, ctx: Ctx, id: string, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
  const enveloped = yoga.getEnveloped({
    ws: {
      token: ctx.extra.token ?? null,
      connectionId: ctx.extra.connectionId,
      clientAddress: ctx.extra.clientAddress ?? 'unknown',
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
    rootValue: { enveloped, socket: ctx.extra.socket, id } satisfies WsOperation,
  };
}
