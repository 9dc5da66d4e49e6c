import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionResult } from 'graphql';
import { bearerToken } from '../../auth';
import type { Context, TransportInfo } from '../../context';
import type { Logger } from '../../logger';
import { boundedJson, markBoundedByTransport, tooLargeResult } from '../graphql/response-size';
import { corsHeaders } from './cross-site';
import { envelopFor, isDocument, parseAndValidate, type ChatYoga, type Enveloped, type ServerContext } from '../graphql/yoga';

/** A GraphQL request's JSON body, as the GraphQL-over-HTTP spec defines it. */
interface GraphQLParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

/** Hands a request (whose body is already read, when `body` is given) to Yoga. */
export type YogaFallback = (req: IncomingMessage, res: ServerResponse, ctx: ServerContext, body?: Buffer) => void;

/**
 * The common request, a query or mutation POSTed as JSON, answered without Yoga's
 * fetch-API adapter: the Request/Response objects, abort signals and streams it builds
 * per request were about half of a `sendMessage`'s CPU, with the garbage they leave.
 * Parsing, validation, the context and execution still run through Yoga's envelop (the
 * same plugins: limits, masking, logging). Anything else (GET, GraphiQL, SSE, other
 * media types, a parse or validation error, a subscription) goes to Yoga, whose answer
 * is then the reference: test/fast-lane.test.ts checks that both give the same response.
 */
export function createFastLane(yoga: ChatYoga, log: Logger, maxBodyBytes: number, allowedOrigins: readonly string[], fallback: YogaFallback) {
  return function fastLane(req: IncomingMessage, res: ServerResponse, requestId: string): void {
    const length = Number(req.headers['content-length']);
    const resultType = fastLaneType(req);
    if (!resultType || !Number.isInteger(length) || length > maxBodyBytes) return fallback(req, res, { requestId });
    // Whatever fails while answering ends this request (logged once, masked), never the process.
    const fail = (err: unknown) => {
      log.error({ err, requestId }, 'unexpected failure answering a request');
      if (!res.headersSent) send(req, res, resultType, 500, maskedFailure, allowedOrigins);
      else res.destroy();
    };
    readBody(req, length, (body) => {
      try {
        const prepared = body && prepare(yoga, req, requestId, body);
        if (!prepared) return fallback(req, res, { requestId }, body ?? undefined);
        // From here the operation may have changed data: it is never handed to Yoga to run again.
        execute(prepared)
          .then(({ result, maxResponseBytes }) => sendResult(req, res, resultType, result, maxResponseBytes, allowedOrigins))
          .catch(fail);
      } catch (err) {
        fail(err);
      }
    });
  };
}

const maskedFailure = JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });

/** The media types Yoga answers a single JSON result with. */
type ResultType = 'application/json' | 'application/graphql-response+json';

/**
 * POST /graphql with a JSON body, from a client whose Accept header Yoga would answer with
 * a single JSON result: the first acceptable of application/graphql-response+json,
 * application/json or any type, before any type we leave to Yoga. Null: Yoga's request.
 */
function fastLaneType(req: IncomingMessage): ResultType | null {
  if (req.method !== 'POST' || req.url !== '/graphql') return null;
  const type = req.headers['content-type'];
  if (!type || !/^application\/json\s*(;|$)/i.test(type)) return null;
  const accept = req.headers.accept;
  if (!accept) return 'application/json';
  for (const range of accept.split(',')) {
    const media = range.split(';')[0]!.trim().toLowerCase();
    if (media === 'application/graphql-response+json') return media;
    if (media === 'application/json' || media === '*/*') return 'application/json';
    if (media !== '') return null;
  }
  return null;
}

function readBody(req: IncomingMessage, length: number, done: (body: Buffer | null) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    chunks.push(chunk);
  });
  req.once('end', () => done(received === length ? Buffer.concat(chunks, received) : null));
  req.once('error', () => undefined);
}

interface PreparedRequest {
  enveloped: Enveloped;
  document: DocumentNode;
  params: GraphQLParams;
}

/** Parsed and validated, a query or mutation: else null, and Yoga answers (with the same checks). */
function prepare(yoga: ChatYoga, req: IncomingMessage, requestId: string, body: Buffer): PreparedRequest | null {
  const params = graphqlParams(body);
  if (!params) return null;
  const transport: TransportInfo = {
    token: bearerToken(req.headers.authorization),
    requestId,
    clientAddress: yoga.clientAddressOf(req),
  };
  // Uncounted: a request this finds invalid is handed to Yoga, which parses it again (and counts it).
  const enveloped = envelopFor(yoga, transport, true);
  const document = parseAndValidate(enveloped, params.query);
  if (!isDocument(document)) return null;
  const operation = getOperationAST(document, params.operationName ?? undefined);
  if (!operation || operation.operation === 'subscription') return null;
  return { enveloped, document, params };
}

async function execute({ enveloped, document, params }: PreparedRequest): Promise<{ result: ExecutionResult; maxResponseBytes: number }> {
  const contextValue = (await enveloped.contextFactory()) as Context;
  // sendResult bounds the JSON it builds anyway: the envelop need not serialize it a second time.
  markBoundedByTransport(contextValue);
  const result = (await enveloped.execute({
    schema: enveloped.schema,
    document,
    operationName: params.operationName,
    variableValues: params.variables,
    contextValue,
  })) as ExecutionResult;
  return { result, maxResponseBytes: contextValue.config.bounds.maxResponseBytes };
}

function graphqlParams(body: Buffer): GraphQLParams | null {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const params = value as Record<string, unknown>;
  const isObjectOrNull = (v: unknown) => v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));
  const isStringOrNull = (v: unknown) => v === undefined || v === null || typeof v === 'string';
  const known = Object.keys(params).every((key) => ['query', 'variables', 'operationName', 'extensions'].includes(key));
  if (!known || typeof params.query !== 'string' || !isObjectOrNull(params.variables) || !isStringOrNull(params.operationName)) return null;
  if (!isObjectOrNull(params.extensions)) return null;
  return params as unknown as GraphQLParams;
}

/**
 * Yoga's response for a JSON result: its status rules, its serialization, its CORS headers.
 * A result over MAX_RESPONSE_BYTES is answered with a BAD_USER_INPUT error instead; the
 * check compares the length of the JSON built anyway (see exceedsBytes).
 */
function sendResult(
  req: IncomingMessage,
  res: ServerResponse,
  type: ResultType,
  result: ExecutionResult,
  maxBytes: number,
  allowedOrigins: readonly string[],
): void {
  const json = boundedJson(withoutInternals(result), maxBytes);
  if (json === null) return sendResult(req, res, type, tooLargeResult(maxBytes), 0, allowedOrigins);
  const { status, headers } = responseInit(result, type === 'application/json');
  send(req, res, type, status, json, allowedOrigins, headers);
}

type HttpExtension = { status?: number; headers?: Record<string, string>; spec?: boolean };

/**
 * graphql-yoga's getResponseInitByRespectingErrors: errors may carry `extensions.http`
 * (e.g. 400 for variables that do not coerce; `spec` ones count only for
 * application/graphql-response+json); an unexpected error without data is a 500;
 * anything else is 200.
 */
function responseInit(result: ExecutionResult, isApplicationJson: boolean): { status: number; headers: Record<string, string> } {
  let status: number | undefined;
  let unexpected = false;
  const headers: Record<string, string> = {};
  const http = result.extensions?.http as HttpExtension | undefined;
  if (http?.headers) Object.assign(headers, http.headers);
  if (http?.status) status = http.status;
  for (const error of result.errors ?? []) {
    const errorHttp = error.extensions?.http as HttpExtension | undefined;
    if (!errorHttp) {
      if (!isOriginalGraphQLError(error) || error.extensions?.unexpected) unexpected = true;
      continue;
    }
    if (errorHttp.headers) Object.assign(headers, errorHttp.headers);
    if (isApplicationJson && errorHttp.spec) continue;
    if (errorHttp.status && (!status || errorHttp.status > status)) status = errorHttp.status;
  }
  return { status: status ?? (unexpected && !('data' in result) ? 500 : 200), headers };
}

function isOriginalGraphQLError(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isOriginalGraphQLError(error.originalError);
}

/** What Yoga leaves out of a result it serializes: `http` and `unexpected` are for the server. */
function withoutInternals(result: ExecutionResult): unknown {
  if (!result.errors?.length && !result.extensions?.http) return result;
  const errors = result.errors?.map((error) => {
    const json = error.toJSON();
    const { http: _http, unexpected: _unexpected, ...extensions } = json.extensions ?? {};
    return { ...json, extensions: Object.keys(extensions).length ? extensions : undefined };
  });
  let extensions = result.extensions;
  if (extensions?.http) {
    const { http: _http, ...rest } = extensions;
    extensions = Object.keys(rest).length ? rest : undefined;
  }
  return { ...result, errors, extensions };
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  type: ResultType,
  status: number,
  json: string,
  allowedOrigins: readonly string[],
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string | number> = {
    ...extraHeaders,
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(json),
    // The rule Yoga's answers follow too (cross-site.ts).
    ...corsHeaders(req.headers.origin, allowedOrigins),
  };
  res.writeHead(status, headers).end(json);
}
