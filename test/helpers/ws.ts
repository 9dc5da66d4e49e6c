import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TypedDocumentString } from '../gql/graphql';
import { withTimeout } from './wait';

/** A real graphql-ws client; `connectionParams` default to `{ token }`. */
export function wsClient(url: string, token?: string | null, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: connectionParams ?? (token ? { token } : {}),
  });
}

/**
 * A live subscription read one result at a time. `next` waits (bounded) for the next
 * result; `expectSilence` shows that nothing arrives within a short window.
 */
export interface Subscription<T> {
  next(ms?: number): Promise<FormattedExecutionResult<T, unknown>>;
  /** Resolves when the server completes the subscription (after reading what is left). */
  completed(ms?: number): Promise<FormattedExecutionResult<T, unknown>[]>;
  /** Waits `ms` and fails if any result arrived; the window is the assertion. */
  expectSilence(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function subscribe<T, V>(client: Client, document: TypedDocumentString<T, V> | string, variables?: V): Subscription<T> {
  type Result = IteratorResult<FormattedExecutionResult<T, unknown>>;
  const iterator = client.iterate<T>({ query: document.toString(), variables: variables as Record<string, unknown> })[
    Symbol.asyncIterator
  ]();
  // Read eagerly into a buffer: graphql-ws's iterate() loses a `complete` that arrives
  // while nobody is waiting for a result, so there is always one read in flight.
  // Every read is kept as a settled promise, so a rejection (e.g. the socket closed with
  // 4403) is replayed to the reader; the final entry (done or rejected) is never consumed.
  const buffered: Promise<Result>[] = [];
  const waiters: ((result: Promise<Result>) => void)[] = [];
  const isFinal = (p: Promise<Result>) => p.then((r) => r.done === true, () => true);
  const pump = async () => {
    for (;;) {
      const settled = iterator.next();
      settled.catch(() => undefined);
      const final = await isFinal(settled);
      const waiter = waiters.shift();
      if (waiter) waiter(settled);
      if (!waiter || final) buffered.push(settled);
      if (final) return;
    }
  };
  void pump();
  const take = async (): Promise<Result> => {
    const ready = buffered[0];
    if (!ready) return new Promise<Promise<Result>>((resolve) => waiters.push(resolve)).then((p) => p);
    if (!(await isFinal(ready))) buffered.shift();
    return ready;
  };
  return {
    async next(ms = 5000) {
      const result = await withTimeout(take(), ms, 'a subscription result');
      if (result.done) throw new Error('the subscription completed instead of delivering a result');
      return result.value;
    },
    async completed(ms = 5000) {
      const rest: FormattedExecutionResult<T, unknown>[] = [];
      for (;;) {
        const result = await withTimeout(take(), ms, 'the subscription to complete');
        if (result.done) return rest;
        rest.push(result.value);
      }
    },
    async expectSilence(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      const first = buffered[0];
      if (first) throw new Error(`expected no result within ${ms} ms, got ${JSON.stringify(await first.catch(String))}`);
    },
    async close() {
      await iterator.return?.();
    },
  };
}
