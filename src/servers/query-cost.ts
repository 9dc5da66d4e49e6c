import type { Plugin } from '@envelop/core';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { validate, type ExecutionArgs, type GraphQLError } from 'graphql';
import { ErrorCode, userError } from '../errors';

/**
 * MAX_QUERY_COST: an operation whose estimated cost (src/schema/cost.ts: lists count by
 * their page size, nested lists multiply) is above `maxCost` is refused with BAD_USER_INPUT
 * before anything runs, on every transport and for subscriptions too (their cost is that of
 * the selection executed per event). 0 turns it off.
 *
 * Checked when the operation is about to execute rather than as a validation rule: the cost
 * depends on the variables (`first: $n`), and Yoga caches validation per document.
 */
export function useQueryCostLimit(maxCost: number): Plugin {
  if (maxCost === 0) return {};
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = costRefusal(args, maxCost);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = costRefusal(args, maxCost);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}

/** The error to answer with when the operation costs more than `maxCost`, else null. */
export function costRefusal(args: ExecutionArgs, maxCost: number): GraphQLError | null {
  const cost = operationCost(args);
  if (cost === null || cost <= maxCost) return null;
  return userError(
    ErrorCode.BadUserInput,
    `The operation's estimated cost is ${cost}; at most ${maxCost} is allowed. Ask for fewer or smaller pages (first/last), or nest fewer lists.`,
  );
}

/**
 * The estimated cost of the operation that will run, by @pothos/plugin-complexity's walk
 * (linear in the document: each fragment's cost is computed once). Null when it cannot be
 * known (variables that do not coerce): execution then refuses the operation itself.
 */
export function operationCost(args: ExecutionArgs): number | null {
  let cost: number | null = null;
  const rule = createComplexityRule({
    variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
    operationName: args.operationName ?? undefined,
    context: args.contextValue as object,
    // Only the figure is wanted here; the refusal is ours (code and message).
    validate: () => undefined,
    onResult: (result) => (cost = Math.max(cost ?? 0, result.complexity)),
  });
  validate(args.schema, args.document, [rule]);
  return cost;
}
