import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type DocumentNode } from 'graphql';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import type { ClientAddressOf } from '../../client-address';
import { bearerToken } from '../../auth';
import { createContext, type Context, type Deps, type TransportInfo } from '../../context';
import { isDatabaseUnavailable } from '../../entities/db-errors';
import { ErrorCode } from '../../errors';
import type { Logger } from '../../logger';
import { schema } from '../../schema';
import { useJsonPostsOnly, yogaCors } from '../http/cross-site';
import { useValidGetParameters } from '../http/get-parameters';
import { useNoIntrospection } from './introspection';
import { useOperationMetrics } from './operation-metrics';
import { useQueryLimits, useUnexpectedErrorLogging, wasLogged } from './plugins';
import { SharedSubscriptions, useSharedSubscriptionExecution } from './shared-execution';
import { useSseEndsWithToken } from '../http/sse-expiry';

/** What each transport hands to Yoga as its server context. */
export interface ServerContext {
  /** HTTP: the node request and the request id the API server chose. */
  req?: IncomingMessage;
  res?: ServerResponse;
  requestId?: string;
  /** Transport facts a server read itself: a graphql-ws operation, or the API's fast lane. */
  transport?: TransportInfo;
}

export type ChatYoga = YogaServerInstance<ServerContext, Context> & {
  /** The fan-out cache both transports share (see SharedSubscriptions). */
  readonly shared: SharedSubscriptions;
  /** Which client address a request counts against (TRUST_PROXY; client-address.ts). */
  readonly clientAddressOf: ClientAddressOf;
};

/** One operation's envelop: Yoga's plugins, caches and context, outside Yoga's HTTP handling. */
export type Enveloped = ReturnType<ChatYoga['getEnveloped']>;

/**
 * The envelop of an operation whose server read the transport facts itself (graphql-ws, the
 * fast lane). `uncountedParse`: its parse and validation are a probe another path repeats, so
 * metrics do not count their failures twice.
 */
export function envelopFor(yoga: ChatYoga, transport: TransportInfo, uncountedParse?: true): Enveloped {
  return yoga.getEnveloped((uncountedParse ? { transport, uncountedParse } : { transport }) as never);
}

/**
 * Parses and validates through the envelop (its caches and rules): the document, or the
 * errors to report. `parseFailed` hears of a document that does not parse (metrics).
 */
export function parseAndValidate(enveloped: Enveloped, query: string, parseFailed?: () => void): DocumentNode | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = enveloped.parse(query);
  } catch (err) {
    parseFailed?.();
    return [codedParseFailure(err)];
  }
  const errors = enveloped.validate(enveloped.schema, document);
  return errors.length > 0 ? errors : document;
}

/**
 * Codes a syntax error as Yoga does (GRAPHQL_PARSE_FAILED, HTTP 400), on the error object
 * itself: Yoga codes it in a parse hook that skips requests without an HTTP request in
 * their context (ours, parsed first by the fast lane), and the parse cache then hands the
 * same uncoded object to Yoga's own parse of the request: a 200 without a code.
 */
function codedParseFailure(err: unknown): GraphQLError {
  if (!(err instanceof GraphQLError)) throw err;
  const extensions = ((err as { extensions: Record<string, unknown> }).extensions ||= {});
  extensions.code ||= 'GRAPHQL_PARSE_FAILED';
  const http = ((extensions.http as Record<string, unknown> | undefined) ||= {});
  http.spec ||= true;
  http.status ||= 400;
  return err;
}

export function isDocument(parsed: DocumentNode | readonly GraphQLError[]): parsed is DocumentNode {
  return !Array.isArray(parsed);
}

function transportInfo(initial: ServerContext & { request: Request }, clientAddressOf: ClientAddressOf): TransportInfo {
  if (initial.transport) return initial.transport;
  return {
    token: bearerToken(initial.request.headers.get('authorization')),
    requestId: initial.requestId ?? null,
    clientAddress: initial.req ? clientAddressOf(initial.req) : 'unknown',
  };
}

function yogaLogger(log: Logger) {
  return {
    debug: (...args: unknown[]) => log.debug({ args }, 'yoga'),
    info: (...args: unknown[]) => log.info({ args }, 'yoga'),
    warn: (...args: unknown[]) => log.warn({ args }, 'yoga'),
    error: (...args: unknown[]) => logYogaError(log, args),
  };
}

/**
 * Yoga logs each error it masks: the ones our plugin already logged with their request
 * are skipped (one line per error), others go under `err`, whose serializer drops SQL values.
 */
function logYogaError(log: Logger, args: unknown[]): void {
  const [first] = args;
  if (wasLogged(first)) return;
  if (first instanceof Error) log.error({ err: (first as GraphQLError).originalError ?? first }, 'unexpected error');
  else log.error({ args }, 'yoga');
}

/**
 * The one GraphQL pipeline (schema, limits, masking, caches) of a process. The API
 * server serves it over HTTP and SSE; the WebSocket server runs graphql-ws operations
 * through its `getEnveloped`, so both transports behave the same.
 */
export function createChatYoga(deps: Deps): ChatYoga {
  const shared = new SharedSubscriptions(deps.config.bounds.maxResponseBytes);
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    context: (initial) => createContext(deps, transportInfo(initial, deps.clientAddressOf)),
    logging: yogaLogger(deps.log),
    // Never include original errors, whatever NODE_ENV says: no stack or SQL reaches a client.
    maskedErrors: { isDev: false, maskError: maskUnexpected },
    maxRequestBodySize: deps.config.limits.maxPayloadBytes,
    // The API server serves GraphiQL itself, compressed and cached (graphiql-page.ts).
    graphiql: false,
    cors: yogaCors(deps.config.corsOrigins),
    landingPage: false,
    batching: false,
    multipart: false,
    plugins: [
      // First: a plugin that refuses an operation (the cost limit) stops the hooks after it.
      useOperationMetrics(deps.metrics),
      ...useQueryLimits(deps.config),
      useUnexpectedErrorLogging(),
      useSharedSubscriptionExecution(shared),
      useJsonPostsOnly(),
      useSseEndsWithToken(deps.sessions),
      useValidGetParameters(),
      ...(deps.config.introspection ? [] : [useNoIntrospection()]),
    ],
  });
  return Object.assign(yoga, { shared, clientAddressOf: deps.clientAddressOf });
}

/**
 * Hides every unexpected error; an unreachable database becomes SERVICE_UNAVAILABLE so
 * that clients know a retry can succeed (the details stay in the log).
 */
export function maskUnexpected(error: unknown, message = 'Unexpected error.'): Error {
  if (!isDatabaseUnavailable(error)) return maskError(error, message, false);
  const located = error instanceof GraphQLError ? error : null;
  return new GraphQLError('The service is temporarily unavailable; try again shortly.', {
    nodes: located?.nodes,
    path: located?.path,
    extensions: { code: ErrorCode.ServiceUnavailable },
  });
}
