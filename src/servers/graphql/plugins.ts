import { handleStreamOrSingleExecutionResult, type Plugin } from '@envelop/core';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Config } from '../../config';
import type { Context } from '../../context';
import { isUserError } from '../../errors';
import { queryLimitPlugins } from './limits';
import { useQueryCostLimit } from './query-cost';
import { useResponseSizeLimit } from './response-size';

/**
 * Bounds on what one operation may ask for, on both transports (graphql-ws runs through the
 * same envelop): document size (tokens, depth, aliases, directives), estimated cost, and
 * the size of its result.
 */
export function useQueryLimits(config: Pick<Config, 'limits' | 'bounds'>): Plugin[] {
  return [
    ...queryLimitPlugins(config.limits),
    useQueryCostLimit(config.bounds.maxQueryCost),
    useResponseSizeLimit(config.bounds.maxResponseBytes),
  ];
}

/**
 * Logs every unexpected error once, with the request's logger (requestId, connectionId),
 * before Yoga's masking replaces it with "Unexpected error." for the client.
 */
export function useUnexpectedErrorLogging(): Plugin<Context> {
  const logErrors = (ctx: Context) => ({ result }: { result: ExecutionResult }) => {
    for (const error of result.errors ?? []) {
      if (!isUserError(error)) logUnexpected(ctx, error);
    }
  };
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, logErrors(args.contextValue)),
    }),
    onSubscribe: ({ args }) => ({
      onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, logErrors(args.contextValue)),
      onSubscribeError: ({ error }) => {
        if (!isUserError(error)) args.contextValue.log.error({ err: error }, 'unexpected subscription error');
      },
    }),
  };
}

/**
 * What the plugins above do, applied to one result outside envelop (the shared fan-out
 * path): unexpected errors are logged with the context's logger, then masked.
 */
export function maskResult(result: ExecutionResult, ctx: Context, mask: (error: GraphQLError) => Error): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    if (isUserError(error)) return error;
    logUnexpected(ctx, error);
    return mask(error) as GraphQLError;
  });
  return { ...result, errors };
}

/**
 * The errors logged above, with their request's context: Yoga's masking logs every error
 * it masks too (without that context), so its logger skips these (see yoga.ts).
 */
const loggedErrors = new WeakSet<object>();

export function wasLogged(error: unknown): boolean {
  return typeof error === 'object' && error !== null && loggedErrors.has(error);
}

function logUnexpected(ctx: Context, error: GraphQLError): void {
  const err = error.originalError ?? error;
  loggedErrors.add(error).add(err);
  ctx.log.error({ err, path: error.path?.join('.') }, 'unexpected error');
}
