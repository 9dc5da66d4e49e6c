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
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
  visit,
} from 'graphql';
import pLimit from 'p-limit';
import { isPushSource, type PushSource } from '../../live/event-stream';
import type { Context } from '../../context';
import { isSharedField, isStartPositionArg } from '../../schema/sharing';
import { mapAsyncIterable } from './map-async-iterable';
import { boundedJson, tooLargeResult } from './response-size';
import { PendingPayload, SharedPayload, type SerializedPayload } from '../ws/socket-delivery';

/** What a subscriber receives for an event that could not be serialized (the failure is logged once). */
const maskedFailure = JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });

/**
 * Per-subscriber executions (selections with a field not declared shared) of every
 * subscription of a process that may run at once. Each may read the database: without
 * a bound, one event to thousands of such subscriptions queues thousands of reads ahead
 * of every other user's request (issue 14: one sendMessage stalled everyone for 13 s).
 * About the size of a database pool, so other requests still find a connection.
 */
const maxConcurrentPerSubscriberExecutions = 8;

/** Turns a result's errors into what clients may see (logging the unexpected ones). */
export type ResultMasker = (result: ExecutionResult, args: ExecutionArgs) => ExecutionResult;

/** Starts delivering pushed events, each with its serialization shared by every subscriber of the key. */
export type SerializedFeedOpener = (source: PushSource<unknown>, serialize: (event: unknown) => SerializedPayload) => void;

/**
 * Executes shareable subscription events once per (event, document, variables) and hands
 * the same result to every subscriber: per-subscriber execution is what makes a GraphQL
 * fan-out CPU-bound. Bus events are one object for every local listener, so the event
 * object identifies "the same event".
 */
/** How a shareable document is keyed: its id, and the variables left out of the key. */
interface DocumentSharing {
  key: string;
  /** Variables that only say where a subscription starts (see startPositionOnly). */
  startVariables: readonly string[];
}

export class SharedSubscriptions {
  private readonly shareability = new WeakMap<DocumentNode, DocumentSharing | null>();
  private nextDocumentId = 0;
  private readonly results = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();
  private readonly serializedResults = new WeakMap<object, Map<string, SerializedPayload>>();
  /**
   * The event serialized last, and its payloads by key: an event reaches every subscriber
   * of the process in one go, so all but the first find it here, without a WeakMap lookup.
   */
  private lastEvent: object | null = null;
  private lastSerialized: Map<string, SerializedPayload> | null = null;
  /** The last (event, key) looked up and its payload: consecutive subscribers usually share both. */
  private lastKey = '';
  private lastPayload: SerializedPayload | null = null;

  /** @param maxResponseBytes MAX_RESPONSE_BYTES (0: no limit): a larger event's result is replaced by an error. */
  constructor(private readonly maxResponseBytes = 0) {}

  /** The sharing key of an operation, or null when it must be executed per subscriber. */
  keyOf(args: ExecutionArgs): string | null {
    let sharing = this.shareability.get(args.document);
    if (sharing === undefined) {
      const operationName = args.operationName ?? undefined;
      const ok = isViewerIndependent(args.schema, args.document, operationName);
      sharing = ok
        ? { key: `${this.nextDocumentId++}|${args.operationName ?? ''}`, startVariables: startPositionVariables(args.schema, args.document, operationName) }
        : null;
      this.shareability.set(args.document, sharing);
    }
    return sharing && `${sharing.key}|${JSON.stringify(withoutVariables(args.variableValues ?? {}, sharing.startVariables))}`;
  }

  /**
   * graphql-js's subscribe, with each event executed once per key. `mask` runs once per
   * shared result (and on a refusal at subscribe time), not once per subscriber.
   */
  async subscribe(args: ExecutionArgs, key: string, mask: ResultMasker = (r) => r) {
    const source = await sourceStream(args);
    if (!(Symbol.asyncIterator in source)) return mask(source as ExecutionResult, args);
    return mapAsyncIterable(source, (payload) => this.execute(args, key, payload, mask));
  }

  /**
   * The same for a transport that writes frames itself (the WebSocket server): each
   * event is executed, masked and serialized once per key, and `open` receives the
   * events as they are pushed. Resolves with the result to send instead when the
   * subscription was refused (e.g. FORBIDDEN), else with null once `open` ran.
   */
  async subscribeSerialized(args: ExecutionArgs, key: string, mask: ResultMasker, open: SerializedFeedOpener): Promise<ExecutionResult | null> {
    const source = await sourceStream(args);
    if (!(Symbol.asyncIterator in source)) return mask(source as ExecutionResult, args);
    if (!isPushSource(source)) {
      await (source as unknown as AsyncIterator<unknown>).return?.();
      throw new Error('a shareable subscription field must return a PushSource (EventStream)');
    }
    open(source, (payload) => this.serialize(args, key, payload, mask));
    return null;
  }

  /** Runs once per subscriber per event: a lookup, no closure, until the (event, key) is new. */
  private serialize(args: ExecutionArgs, key: string, payload: unknown, mask: ResultMasker): SerializedPayload {
    if (typeof payload !== 'object' || payload === null) return settledOrPending(this.serializeOnce(args, payload, mask));
    if (payload === this.lastEvent && key === this.lastKey) return this.lastPayload!;
    const byKey = payload === this.lastEvent ? this.lastSerialized! : this.serializedOf(payload);
    const value = byKey.get(key) ?? this.serializeNew(byKey, args, key, payload, mask);
    this.lastKey = key;
    this.lastPayload = value;
    return value;
  }

  private serializeNew(byKey: Map<string, SerializedPayload>, args: ExecutionArgs, key: string, payload: object, mask: ResultMasker): SerializedPayload {
    const value = settledOrPending(this.serializeOnce(args, payload, mask));
    byKey.set(key, value);
    if (value instanceof SharedPayload) return value;
    // Replaced by its value once known, so later subscribers (a resume replaying it) skip the wait.
    value.wait({
      payloadSettled: () => {
        if (value.value === null) return;
        byKey.set(key, value.value);
        if (this.lastPayload === value) this.lastPayload = value.value;
      },
    });
    return value;
  }

  private serializedOf(event: object): Map<string, SerializedPayload> {
    let byKey = this.serializedResults.get(event);
    if (!byKey) this.serializedResults.set(event, (byKey = new Map()));
    this.lastEvent = event;
    this.lastSerialized = byKey;
    return byKey;
  }

  private serializeOnce(args: ExecutionArgs, payload: unknown, mask: ResultMasker): SharedPayload | Promise<SharedPayload> {
    const result = execute({ ...args, rootValue: payload });
    const toPayload = (r: ExecutionResult) => new SharedPayload(this.toJson(mask(r, args), args));
    return isPromise(result) ? result.then(toPayload) : toPayload(result);
  }

  /**
   * The event's JSON, bounded by MAX_RESPONSE_BYTES; never throws, since it runs inside the
   * bus's delivery to every subscriber. Runs once per (event, key), so a failure is logged once.
   */
  private toJson(result: ExecutionResult, args: ExecutionArgs): string {
    try {
      return boundedJson(result, this.maxResponseBytes) ?? JSON.stringify(tooLargeResult(this.maxResponseBytes));
    } catch (err) {
      (args.contextValue as Context).log.error({ err }, 'unexpected failure serializing a subscription event');
      return maskedFailure;
    }
  }

  private execute(args: ExecutionArgs, key: string, payload: unknown, mask: ResultMasker) {
    return perEvent(this.results, payload, key, async () => mask(await execute({ ...args, rootValue: payload }), args));
  }
}

/**
 * `run()` once per (event, key): bus events are one object for every local listener.
 * A promise is replaced by its value once known, so later subscribers skip the hop.
 */
function perEvent<T>(cache: WeakMap<object, Map<string, T | Promise<T>>>, event: unknown, key: string, run: () => T | Promise<T>): T | Promise<T> {
  if (typeof event !== 'object' || event === null) return run();
  let byKey = cache.get(event);
  if (!byKey) cache.set(event, (byKey = new Map()));
  let value = byKey.get(key);
  if (value === undefined) {
    value = run();
    byKey.set(key, value);
    if (isPromise(value)) value.then((known) => byKey.set(key, known), () => undefined);
  }
  return value;
}

function settledOrPending(execution: SharedPayload | Promise<SharedPayload>): SerializedPayload {
  return execution instanceof SharedPayload ? execution : new PendingPayload(execution);
}

function sourceStream(args: ExecutionArgs) {
  return createSourceEventStream(args.schema, args.document, args.rootValue, args.contextValue, args.variableValues, args.operationName);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | null)?.then === 'function';
}

/**
 * The same sharing inside envelop (Yoga's SSE subscriptions); envelop's own plugins then
 * mask each subscriber's results. The WebSocket server calls SharedSubscriptions directly.
 */
export function useSharedSubscriptionExecution(shared: SharedSubscriptions): Plugin {
  const perSubscriber = pLimit(maxConcurrentPerSubscriberExecutions);
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const key = shared.keyOf(args);
        if (key !== null) return shared.subscribe(args, key);
        const source = await sourceStream(args);
        if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
        return mapAsyncIterable(source, (payload) => perSubscriber(() => execute({ ...args, rootValue: payload })));
      });
    },
  };
}

/** True when the operation selects only fields declared shared in the schema (fragments followed). */
export function isViewerIndependent(schema: GraphQLSchema, document: DocumentNode, operationName?: string): boolean {
  const operation = getOperationAST(document, operationName);
  const root = schema.getSubscriptionType();
  if (!operation || operation.operation !== 'subscription' || !root) return false;
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  // Each fragment is checked once per type, not at every spread: `...F1 ...F1` chains would be exponential.
  const checkedFragments = new Map<string, boolean>();
  const checkFragment = (name: string, type: GraphQLObjectType): boolean => {
    const key = `${name}|${type.name}`;
    let ok = checkedFragments.get(key);
    if (ok === undefined) {
      // A cycle (refused by validation anyway) finds `false` here instead of recursing forever.
      checkedFragments.set(key, false);
      const fragment = fragments.get(name);
      ok = fragment !== undefined && check(fragment.selectionSet, type);
      checkedFragments.set(key, ok);
    }
    return ok;
  };
  const check = (set: SelectionSetNode, type: GraphQLObjectType): boolean =>
    set.selections.every((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) return check(selection.selectionSet, type);
      if (selection.kind === Kind.FRAGMENT_SPREAD) return checkFragment(selection.name.value, type);
      const name = selection.name.value;
      if (name === '__typename') return true;
      const field = type.getFields()[name];
      if (!field || !isSharedField(field)) return false;
      const fieldType = getNamedType(field.type);
      if (!selection.selectionSet) return true;
      if (isAbstractType(fieldType)) return false;
      return check(selection.selectionSet, fieldType as GraphQLObjectType);
    });
  return check(operation.selectionSet, root);
}

/**
 * The variables passed only to a start-position argument of the subscription's root field
 * (`after`), and used nowhere else in the document: events are executed alike whatever
 * their value, since only `subscribe` reads them.
 */
export function startPositionVariables(schema: GraphQLSchema, document: DocumentNode, operationName?: string): string[] {
  const operation = getOperationAST(document, operationName);
  const root = schema.getSubscriptionType();
  if (!operation || operation.operation !== 'subscription' || !root) return [];
  const candidates: string[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const field = root.getFields()[selection.name.value];
    for (const argument of selection.arguments ?? []) {
      const definition = field?.args.find((arg) => arg.name === argument.name.value);
      if (definition && isStartPositionArg(definition) && argument.value.kind === Kind.VARIABLE) candidates.push(argument.value.name.value);
    }
  }
  if (candidates.length === 0) return [];
  const uses = new Map<string, number>();
  visit(document, { Variable: (node) => void uses.set(node.name.value, (uses.get(node.name.value) ?? 0) + 1) });
  // A variable's definition counts as one use: only a definition and one argument qualify.
  return candidates.filter((name) => uses.get(name) === 2);
}

function withoutVariables(variables: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  if (names.length === 0) return variables;
  const kept = { ...variables };
  for (const name of names) delete kept[name];
  return kept;
}
