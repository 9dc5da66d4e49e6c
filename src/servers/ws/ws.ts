import { createServer } from 'node:http';
import type { ExecutionArgs, ExecutionResult, GraphQLError } from 'graphql';
import { makeServer, type Context as ProtocolContext, type SubscribePayload } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import { bearerToken } from '../../auth';
import type { Config } from '../../config';
import { flatUuid, type Context, type Deps, type TransportInfo } from '../../context';
import { accountExists } from '../../resolvers/accounts';
import { DirectSubscriptions, type DirectOperation } from './direct-subscriptions';
import { applyServerBounds, closeServer, listen, sendHealth, sendMetrics, sendReadiness, type StartableServer } from '../http/http';
import type { DeliveryCounts, Metrics } from '../../metrics';
import { countOperation, countRefused, operationKinds } from '../graphql/operation-metrics';
import { watchSocketsOf, type AcknowledgedSockets } from './ws-metrics';
import { maskResult } from '../graphql/plugins';
import { costRefusal } from '../graphql/query-cost';
import type { Services } from '../../app';
import { closeSlowConsumer, fullFrameBudget, isAtOperationCap, operationCapError } from './socket-bounds';
import type { DeliveryPolicy } from './socket-delivery';
import { TokenDeadlines } from './token-deadlines';
import { serveGraphqlWs, type SocketExtra, type WsAdapter } from './ws-adapter';
import { createChatYoga, envelopFor, isDocument, maskUnexpected, parseAndValidate, type ChatYoga, type Enveloped } from '../graphql/yoga';

/** What we keep per socket; the token and ids are set once `connection_init` carried a valid token. */
interface WsExtra extends SocketExtra {
  token?: string;
  connectionId?: string;
  clientAddress?: string;
  /** Set once the socket is acknowledged: it counts for this user's presence until it closes. */
  userId?: string;
  /** graphql-ws's state of this socket (its registry of operations), for DirectSubscriptions. */
  protocol?: Ctx;
  /** The token's `exp` (seconds; 0 until authenticated): its entry in TokenDeadlines. */
  tokenExpiresAt: number;
}

type Ctx = ProtocolContext<Record<string, unknown> | undefined, WsExtra>;

/** RFC 6455 close code: the server is going away (shutdown). */
const goingAway = 1001;
/**
 * The user already has MAX_SOCKETS_PER_USER sockets open (docs/api-rules.md, close codes).
 * Like RFC 6455's 1008 (policy violation); not 4429, which graphql-ws uses for a second init.
 */
export const SocketCapCloseCode = 4008;
/** How often sockets are pinged, and how long a new one may take to send `connection_init`. */
export interface WsTiming {
  keepAliveMs: number;
  connectionInitWaitMs: number;
}

/** graphql-ws's defaults (graphql-ws/use/ws and makeServer). */
const defaultTiming: WsTiming = { keepAliveMs: 12_000, connectionInitWaitMs: 3_000 };

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
 * before any operation runs; frames over 1 MiB close it with 1009. Shareable
 * subscriptions are served by DirectSubscriptions, everything else by graphql-ws.
 */
export function createWsServer(services: Services, yoga: ChatYoga = createChatYoga(services.deps), timing = defaultTiming): StartableServer {
  const { deps } = services;
  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return sendHealth(res);
    if (path === '/ready') return void sendReadiness(res, services.readiness);
    if (path === '/metrics') return void sendMetrics(res, deps.metrics, deps.log);
    res.writeHead(426, { 'content-type': 'text/plain' }).end('Use a WebSocket (graphql-transport-ws) on /graphql\n');
  });
  applyServerBounds(http, deps.config.bounds);
  const wss = new WebSocketServer({ server: http, path: '/graphql', maxPayload: deps.config.limits.maxPayloadBytes });
  const { bounds, limits } = deps.config;
  const { metrics } = deps;
  const counts = metrics.delivery;
  const kindOf = operationKinds();
  /** Acknowledged sockets' graphql-ws state, walked when metrics are scraped (subscriptions open). */
  const acknowledged: AcknowledgedSockets = new Set<Ctx>();
  // A socket closes (4403) when its token expires, or when its session ends on any process.
  const deadlines = new TokenDeadlines();
  const stopSessionWatch = deps.sessions.onEnded((sessionId) => deadlines.closeSession(sessionId));
  const protocol = makeServer<Record<string, unknown> | undefined, WsExtra>({
    // The adapter's SocketWatch keeps the init deadline (one timer for all sockets).
    connectionInitWaitTimeout: 0,
    onConnect: (ctx) => authenticate(deps, ctx, adapter, { acknowledged, deadlines }),
    // graphql-ws calls it for acknowledged sockets only: those authenticate counted.
    onDisconnect: (ctx) => {
      const { extra } = ctx;
      acknowledged.delete(ctx);
      deadlines.remove(extra.socket, extra.tokenExpiresAt);
      if (extra.userId) disconnected(deps, extra.userId);
    },
    // Subscription events only (query and mutation results are `next` frames too): a cached lookup per frame.
    onNext: (_ctx, _id, _payload, args) => void (kindOf(args).type === 'subscription' && counts.frames++),
    onSubscribe: (ctx, _id, payload) =>
      isAtOperationCap(ctx, bounds.maxOperationsPerSocket, 'entered')
        ? [operationCapError(bounds.maxOperationsPerSocket)]
        : prepareOperation(yoga, ctx.extra, payload, metrics),
    execute: (args) => envelopedOf(args).execute({ ...args, rootValue: undefined }),
    subscribe: (args) => envelopedOf(args).subscribe({ ...args, rootValue: undefined }),
  });
  const direct = new DirectSubscriptions<WsExtra>({
    shared: yoga.shared,
    policy: deliveryPolicy(deps.config, counts),
    mask: maskSharedResult,
    maskError: (err) => maskUnexpected(err),
    log: deps.log,
    protocolOf: (extra) => extra.protocol,
    socketOf: (extra) => extra.socket,
    // Past the cap, graphql-ws takes the frame and refuses it (onSubscribe above).
    prepare: (extra, payload) =>
      isAtOperationCap(extra.protocol!, bounds.maxOperationsPerSocket, 'not entered') ? null : prepareDirect(yoga, extra, payload, bounds.maxQueryCost),
    counted: (args, errors) => countOperation(metrics, kindOf(args), 'ws', errors),
  });
  const adapter: WsAdapter = serveGraphqlWs(wss, protocol, {
    log: deps.log,
    keepAliveMs: timing.keepAliveMs,
    connectionInitWaitMs: timing.connectionInitWaitMs,
    maxPendingPerAddress: bounds.maxPendingSocketsPerAddress,
    maxFramesPerSecond: bounds.maxFramesPerSocketPerSecond,
    maxBufferedBytes: limits.maxSocketBufferedBytes,
    clientAddressOf: deps.clientAddressOf,
    counts,
    // Every field from the start: fields added after creation would live in a separate property array.
    extraFor: (socket, request) => ({
      socket,
      request,
      ...fullFrameBudget(bounds.maxFramesPerSocketPerSecond),
      token: undefined,
      connectionId: undefined,
      clientAddress: undefined,
      userId: undefined,
      protocol: undefined,
      tokenExpiresAt: 0,
    }),
    intercept: (text, extra) => direct.tryHandle(text, extra),
  });
  const unwatch = watchSocketsOf(metrics, wss, acknowledged);
  return {
    start: (port, host) => listen(http, port, host),
    async stop() {
      unwatch();
      stopSessionWatch();
      deadlines.stop();
      adapter.close();
      for (const socket of wss.clients) socket.close(goingAway, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(http);
      // Presence and the socket cap hear of the last closes before the services stop.
      await adapter.tornDown();
    },
  };
}

/** A valid token of an existing account accepts the socket: only then is its init deadline lifted (no frame's text can lift it). */
/** What the server keeps of acknowledged sockets: for metrics, and for closing them at token expiry or logout. */
interface SocketRegistries {
  acknowledged: AcknowledgedSockets;
  deadlines: TokenDeadlines;
}

async function authenticate(deps: Deps, ctx: Ctx, adapter: WsAdapter, { acknowledged, deadlines }: SocketRegistries): Promise<boolean> {
  const token = tokenFromConnectionParams(ctx.connectionParams);
  const user = deps.tokens.verify(token);
  if (!user || !(await accountExists(deps, user))) return false;
  const { extra } = ctx;
  if (!(await deps.socketCap.acquire(user.id))) {
    // graphql-ws's own close (4403) that follows is ignored: the socket is already closing.
    extra.socket.close(SocketCapCloseCode, `Too many connections: at most ${deps.config.maxSocketsPerUser} per user`);
    return false;
  }
  // Closed while its account was read: graphql-ws ran its close already, so it would never be uncounted.
  // Its session may have ended while the account was read.
  if (extra.socket.readyState !== extra.socket.OPEN || deps.tokens.isSessionEnded(user.sessionId)) {
    deps.socketCap.release(user.id);
    return false;
  }
  adapter.initialised(extra.socket);
  extra.token = token!;
  extra.connectionId = flatUuid();
  extra.clientAddress = extra.request ? deps.clientAddressOf(extra.request) : 'unknown';
  extra.protocol = ctx;
  extra.userId = user.id;
  extra.tokenExpiresAt = user.expiresAtMs / 1000;
  deadlines.add(extra.socket, extra.tokenExpiresAt, user.sessionId);
  deps.presence.tracker.connected(user.id);
  acknowledged.add(ctx);
  // The upgrade request (headers, streams: about 1.5 KB) would live as long as the socket.
  extra.request = null;
  return true;
}

/** An acknowledged socket closed: it no longer counts for presence or the socket cap. */
function disconnected(deps: Deps, userId: string): void {
  deps.presence.tracker.disconnected(userId);
  deps.socketCap.release(userId);
}

/** graphql-ws hands our rootValue back to execute/subscribe: the operation's envelop. */
const envelopedOf = (args: ExecutionArgs) => args.rootValue as Enveloped;

const maskSharedResult = (result: ExecutionResult, { contextValue }: ExecutionArgs) =>
  maskResult(result, contextValue as Context, (error) => maskUnexpected(error));

/**
 * A client that cannot keep up would grow the server's memory without bound: its
 * subscription stops and it is disconnected, to reconnect (graphql-ws clients retry on
 * 1013) and read what it missed from history.
 */
function deliveryPolicy(config: Config, counts: DeliveryCounts): DeliveryPolicy<Context> {
  const { maxSocketBufferedBytes } = config.limits;
  return {
    maxBufferedBytes: maxSocketBufferedBytes,
    onSlowConsumer: (socket, ctx) => closeSlowConsumer(socket, ctx.log, counts),
    counts,
  };
}

function transportOf(extra: WsExtra): TransportInfo {
  return { token: extra.token ?? null, connectionId: extra.connectionId, clientAddress: extra.clientAddress ?? 'unknown' };
}

/** Parses, validates and builds the context through Yoga's envelop: same plugins as HTTP. */
async function prepareOperation(yoga: ChatYoga, extra: WsExtra, payload: SubscribePayload, metrics: Metrics): Promise<ExecutionArgs | readonly GraphQLError[]> {
  const enveloped = envelopFor(yoga, transportOf(extra));
  const document = parseAndValidate(enveloped, payload.query, () => countRefused(metrics, 'ws', 'GRAPHQL_PARSE_FAILED'));
  if (!isDocument(document)) return document;
  return {
    schema: enveloped.schema,
    document,
    operationName: payload.operationName,
    variableValues: payload.variables,
    contextValue: await enveloped.contextFactory(),
    rootValue: enveloped,
  };
}

/** The same checks for DirectSubscriptions; null (graphql-ws takes it) unless a valid, shareable subscription. */
function prepareDirect(yoga: ChatYoga, extra: WsExtra, payload: SubscribePayload, maxCost: number): DirectOperation | null {
  // Uncounted: what this finds invalid goes to graphql-ws, whose parse counts it.
  const enveloped = envelopFor(yoga, transportOf(extra), true);
  const document = parseAndValidate(enveloped, payload.query);
  if (!isDocument(document)) return null;
  const args = { schema: enveloped.schema, document, operationName: payload.operationName, variableValues: payload.variables };
  const key = yoga.shared.keyOf(args);
  if (key === null) return null;
  // Too costly: graphql-ws takes it, and the envelop's cost check refuses it with BAD_USER_INPUT.
  if (maxCost > 0 && costRefusal({ ...args, contextValue: {} }, maxCost)) return null;
  return { args, key, context: () => enveloped.contextFactory() as Promise<Context> };
}
