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
  const iterator = client.iterate<T>({ query: document.toString(), variables: variables as Record<string, unknown> })[
    Symbol.asyncIterator
  ]();
  let pending: Promise<IteratorResult<FormattedExecutionResult<T, unknown>>> | null = null;
  const pull = () => (pending ??= iterator.next());
  const take = async () => {
    const result = await pull();
    pending = null;
    return result;
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
      const arrived = await Promise.race([pull().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
      if (arrived) throw new Error(`expected no result within ${ms} ms, got ${JSON.stringify(await pull())}`);
    },
    async close() {
      await iterator.return?.();
    },
  };
}
