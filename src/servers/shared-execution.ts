import type { Plugin } from '@envelop/core';
import {
  createSourceEventStream,
  execute,
  getNamedType,
  getOperationAST,
  isAbstractType,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type SelectionSetNode,
  type GraphQLObjectType,
} from 'graphql';
import { mapAsyncIterable } from './map-async-iterable';

/**
 * Fields whose value depends only on the event, never on who receives it (no access
 * check, no database read): a subscription selecting only these is executed once per
 * event and its result shared by every subscriber with the same document and variables.
 */
const viewerIndependentFields: Record<string, ReadonlySet<string>> = {
  Subscription: new Set(['messageAdded', 'typing']),
  Message: new Set(['id', 'body', 'createdAt', 'author', 'room']),
  TypingEvent: new Set(['isTyping', 'user', 'room']),
  User: new Set(['id', 'username', 'createdAt']),
  Room: new Set(['id', 'kind', 'name', 'createdAt']),
};

type Shareable = { key: string } | null;

/**
 * Executes a shareable subscription event once per (event, document, variables) and
 * hands the same result to every subscriber: per-subscriber execution is what makes a
 * GraphQL fan-out CPU-bound. Anything else runs graphql-js's own `subscribe`.
 */
export function useSharedSubscriptionExecution(): Plugin {
  const shareability = new WeakMap<DocumentNode, Shareable>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  /** Per event payload (bus events are one object for every local listener): results by key. */
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult> | ExecutionResult>>();

  function shareableKey(args: ExecutionArgs): string | null {
    let share = shareability.get(args.document);
    if (share === undefined) {
      const ok = isViewerIndependent(args.schema, args.document, args.operationName ?? undefined);
      if (!documentIds.has(args.document)) documentIds.set(args.document, nextDocumentId++);
      share = ok ? { key: `${documentIds.get(args.document)}|${args.operationName ?? ''}` } : null;
      shareability.set(args.document, share);
    }
    return share && `${share.key}|${JSON.stringify(args.variableValues ?? {})}`;
  }

  function executeShared(args: ExecutionArgs, key: string, payload: unknown): Promise<ExecutionResult> | ExecutionResult {
    if (typeof payload !== 'object' || payload === null) return execute({ ...args, rootValue: payload });
    let byKey = results.get(payload);
    if (!byKey) results.set(payload, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) {
      result = execute({ ...args, rootValue: payload });
      byKey.set(key, result);
    }
    return result;
  }

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const key = shareableKey(args);
        const source = await createSourceEventStream(
          args.schema, args.document, args.rootValue, args.contextValue, args.variableValues, args.operationName,
        );
        if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
        if (key === null) return mapAsyncIterable(source, (payload) => execute({ ...args, rootValue: payload }));
        return mapAsyncIterable(source, (payload) => executeShared(args, key, payload));
      });
    },
  };
}

/** True when the operation selects only viewer-independent fields (fragments followed). */
export function isViewerIndependent(schema: GraphQLSchema, document: DocumentNode, operationName?: string): boolean {
  const operation = getOperationAST(document, operationName);
  const root = schema.getSubscriptionType();
  if (!operation || operation.operation !== 'subscription' || !root) return false;
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const check = (set: SelectionSetNode, type: GraphQLObjectType, seen: Set<string>): boolean =>
    set.selections.every((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) return check(selection.selectionSet, type, seen);
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) return false;
        return check(fragment.selectionSet, type, new Set(seen).add(fragment.name.value));
      }
      const name = selection.name.value;
      if (name === '__typename') return true;
      if (!viewerIndependentFields[type.name]?.has(name)) return false;
      const fieldType = getNamedType(type.getFields()[name]!.type);
      if (!selection.selectionSet) return true;
      if (isAbstractType(fieldType)) return false;
      return check(selection.selectionSet, fieldType as GraphQLObjectType, seen);
    });
  return check(operation.selectionSet, root, new Set());
}
