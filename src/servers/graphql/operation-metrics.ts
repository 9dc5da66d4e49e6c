import { performance } from 'node:perf_hooks';
import { handleStreamOrSingleExecutionResult, isAsyncIterable } from '@envelop/core';
import { getOperationAST, GraphQLError, Kind, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isDatabaseUnavailable } from '../../entities/db-errors';
import { ErrorCode } from '../../errors';
import type { Metrics, OperationSeries, Transport } from '../../metrics';

/** Set in an envelop's initial context when its parse and validation are a probe that another path repeats (ws.ts prepareDirect). */
export interface Uncounted {
  uncountedParse?: true;
}

/**
 * Codes a result's errors are counted under: ours (errors.ts) and Yoga's for requests it
 * refuses. Anything else is a bug that masking hides, counted as INTERNAL_SERVER_ERROR:
 * labels stay a short, fixed list whatever is thrown.
 */
const knownCodes = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
]);

/** Outcome label of one error: its code, SERVICE_UNAVAILABLE for an unreachable database, else INTERNAL_SERVER_ERROR. */
export function outcomeOf(error: unknown): string {
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  if (typeof code === 'string' && knownCodes.has(code)) return code;
  if (isDatabaseUnavailable(error)) return ErrorCode.ServiceUnavailable;
  // graphql-js's own errors (a variable that does not coerce) carry no code and wrap nothing.
  if (error instanceof GraphQLError && !error.originalError) return 'GRAPHQL_ERROR';
  return ErrorCode.Internal;
}

/** What an operation is counted as: its type and first root field (client operation names are unbounded, fields are not). */
interface OperationKind {
  type: string;
  operation: string;
  /** The `ok` series of each transport, found on first use and kept with the document. */
  ok: Partial<Record<Transport, OperationSeries>>;
}

/** A request refused before it ran (a document that does not parse or validate). */
export function countRefused(metrics: Metrics, transport: Transport, outcome: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED'): void {
  metrics.seriesOf(transport, 'unknown', '-', outcome).count++;
  metrics.countError(outcome);
}

/**
 * Counts every operation that runs through the envelop (Yoga over HTTP and SSE, the HTTP
 * fast lane, graphql-ws execute and subscribe) by outcome, and times sendMessage;
 * validation failures are counted too. DirectSubscriptions count theirs with
 * `countOperation` (they never run through the envelop's subscribe).
 *
 * Parse failures are counted where they are answered: here for Yoga's (onResultProcess),
 * by ws.ts for graphql-ws's. Not in onParse: Yoga's parse cache throws a failure it has
 * seen before from its own hook, so later plugins never hear of it.
 */
export function useOperationMetrics(metrics: Metrics): Plugin<Uncounted & Record<string, unknown>> {
  const kindOf = operationKinds();
  return {
    onValidate: () => ({ context, valid }) => {
      if (!valid && !context.uncountedParse) countRefused(metrics, transportOf(context), 'GRAPHQL_VALIDATION_FAILED');
    },
    onResultProcess: ({ result }) => {
      const errors = !Array.isArray(result) && !isAsyncIterable(result) ? result.errors : undefined;
      if (errors?.length && isParseFailure(errors[0])) countRefused(metrics, 'http', 'GRAPHQL_PARSE_FAILED');
    },
    onExecute: ({ args }) => {
      const kind = kindOf(args);
      const startedAt = performance.now();
      return {
        onExecuteDone: (payload) =>
          handleStreamOrSingleExecutionResult(payload, ({ result }) => {
            countOperation(metrics, kind, transportOf(args.contextValue), result.errors);
            if (kind.operation === 'sendMessage') metrics.observeSendLatency((performance.now() - startedAt) / 1000);
          }),
      };
    },
    onSubscribe: ({ args }) => ({
      onSubscribeResult: ({ result }) => {
        const errors = isAsyncIterable(result) ? undefined : result.errors;
        countOperation(metrics, kindOf(args), transportOf(args.contextValue), errors);
      },
      onSubscribeError: ({ error }) => countOperation(metrics, kindOf(args), transportOf(args.contextValue), [error]),
    }),
  };
}

/**
 * A parse failure is coded GRAPHQL_PARSE_FAILED by Yoga, or by parseAndValidate when the
 * fast lane parsed it first (yoga.ts); the message test keeps counting any other syntax
 * error (the token limit's).
 */
function isParseFailure(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.extensions?.code === 'GRAPHQL_PARSE_FAILED' || (!error.path && error.message.startsWith('Syntax Error'));
}

/** Counts one operation: `ok`, or its first error's outcome (and every error by code). */
export function countOperation(metrics: Metrics, kind: OperationKind, transport: Transport, errors: readonly unknown[] | undefined): void {
  if (!errors?.length) {
    (kind.ok[transport] ??= metrics.seriesOf(transport, kind.type, kind.operation, 'ok')).count++;
    return;
  }
  const outcomes = errors.map(outcomeOf);
  metrics.seriesOf(transport, kind.type, kind.operation, outcomes[0]!).count++;
  for (const outcome of outcomes) metrics.countError(outcome);
}

/** graphql-ws operations carry their connection id; HTTP ones (Yoga, fast lane, SSE) do not. */
function transportOf(context: unknown): Transport {
  const transport = (context as { transport?: { connectionId?: string } } | null)?.transport;
  return transport?.connectionId ? 'ws' : 'http';
}

/** An operation's kind, worked out once per document (Yoga caches parsed documents, so they repeat). */
export function operationKinds(): (args: Pick<ExecutionArgs, 'document' | 'operationName'>) => OperationKind {
  const known = new WeakMap<DocumentNode, OperationKind>();
  return ({ document, operationName }) => {
    const single = hasOneOperation(document);
    const cached = single ? known.get(document) : undefined;
    if (cached) return cached;
    const kind = kindOfOperation(document, operationName);
    if (single) known.set(document, kind);
    return kind;
  };
}

function hasOneOperation(document: DocumentNode): boolean {
  let operations = 0;
  for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION) operations++;
  return operations === 1;
}

function kindOfOperation(document: DocumentNode, operationName?: string | null): OperationKind {
  const operation = getOperationAST(document, operationName);
  const type = operation?.operation ?? 'unknown';
  const first = operation?.selectionSet.selections[0];
  const field = first?.kind === Kind.FIELD ? first.name.value : '-';
  return { type, operation: field, ok: {} };
}
