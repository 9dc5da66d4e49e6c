import type { Plugin } from '@envelop/core';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { Kind, validate, type DocumentNode, type ExecutionArgs, type GraphQLError, type TypeNode } from 'graphql';
import { ErrorCode, userError } from '../../errors';

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
  const cost = cachedCost(args);
  if (cost === null || cost <= maxCost) return null;
  return userError(
    ErrorCode.BadUserInput,
    `The operation's estimated cost is ${Math.ceil(cost)}; at most ${maxCost} is allowed. Ask for fewer or smaller pages (first/last), or nest fewer lists.`,
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

/** Costs computed per document, keyed by operation name and the values of its Int variables. */
interface DocumentCosts {
  /** Variables of type Int: the only ones a cost can depend on (page sizes are `first`/`last: Int`). */
  sizeVariables: string[];
  costs: Map<string, number>;
}

const costsByDocument = new WeakMap<DocumentNode, DocumentCosts>();
/** Distinct (operation, page sizes) remembered per document: a client varying `first` cannot grow memory past it. */
const maxCachedPerDocument = 64;

/**
 * operationCost, computed once per document and page sizes: the walk takes tens of
 * microseconds, too much for every `sendMessage` on the hot path. Documents come from the
 * parser's cache, so the same query text is the same DocumentNode. Unknown costs (null)
 * are never cached: they depend on the other variables too.
 */
function cachedCost(args: ExecutionArgs): number | null {
  let entry = costsByDocument.get(args.document);
  if (!entry) {
    entry = { sizeVariables: intVariables(args.document), costs: new Map() };
    costsByDocument.set(args.document, entry);
  }
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  const sizes = entry.sizeVariables.length === 0 ? '' : JSON.stringify(entry.sizeVariables.map((name) => variables[name] ?? null));
  const key = `${args.operationName ?? ''}|${sizes}`;
  const known = entry.costs.get(key);
  if (known !== undefined) return known;
  const cost = operationCost(args);
  if (cost !== null && entry.costs.size < maxCachedPerDocument) entry.costs.set(key, cost);
  return cost;
}

function intVariables(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind !== Kind.OPERATION_DEFINITION
      ? []
      : (definition.variableDefinitions ?? []).filter((v) => namedTypeOf(v.type) === 'Int').map((v) => v.variable.name.value),
  );
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}
