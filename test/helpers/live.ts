import type { FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql';
import type { TestServers } from './servers';
import { withTimeout } from './wait';
import { wsExecute } from './ws-request';
import { wsClient, type Subscription } from './ws';

/**
 * graphql-ws clients for one test file: `open(token)` connects lazily, and every client
 * opened by a test is disposed after it, even when the test fails half-way.
 */
export function useWsClients(servers: () => TestServers): (token?: string | null) => Client {
  const opened: Client[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((client) => client.dispose()));
  });
  return (token) => {
    const client = wsClient(servers().wsUrl, token);
    opened.push(client);
    return client;
  };
}

/** Runs a typed query or mutation over graphql-ws: its one result (see wsExecute). */
export function wsRequest<T, V>(
  client: Client,
  document: TypedDocumentString<T, V> | string,
  variables?: V,
): Promise<FormattedExecutionResult<T, unknown>> {
  return wsExecute<T>(client, document.toString(), variables as Record<string, unknown> | undefined);
}

/** The data of a successful graphql-ws operation; throws with the errors otherwise. */
export async function wsData<T, V>(client: Client, document: TypedDocumentString<T, V> | string, variables?: V): Promise<T> {
  const result = await wsRequest(client, document, variables);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors ?? result)}`);
  return result.data;
}

/** The `extensions.code` of a result's first error. */
export function codeOf(result: FormattedExecutionResult<unknown, unknown>): unknown {
  return result.errors?.[0]?.extensions?.code;
}

/**
 * How a subscription refused at subscribe time must end (DESIGN.md): one result that
 * carries the error and no data, then completion. Returns the error's code.
 */
export async function refusalCode<T>(subscription: Subscription<T>): Promise<unknown> {
  const results = await subscription.completed();
  expect(results).toHaveLength(1);
  expect(results[0]!.data ?? null).toBeNull();
  return codeOf(results[0]!);
}

/** The close code the server ended the socket with, read from the rejected subscription. */
export async function closeCodeOf<T>(subscription: Subscription<T>): Promise<unknown> {
  const outcome = await subscription.next().then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected the socket to close, got ${JSON.stringify(outcome.result)}`);
  return (outcome.error as { code?: unknown }).code;
}

/** One subscription over Server-Sent Events (Yoga's default HTTP transport for subscriptions). */
export interface SseSubscription<T> {
  readonly status: number;
  /** The next `data:` event, parsed (bounded wait). */
  next(ms?: number): Promise<FormattedExecutionResult<T, unknown>>;
  /** Aborts the request: the server sees the client go away. */
  close(): void;
}

/** Opens a subscription with `fetch` as GraphiQL would: POST, `accept: text/event-stream`. */
export async function sseSubscribe<T, V>(
  url: string,
  document: TypedDocumentString<T, V> | string,
  variables: V,
  token?: string | null,
): Promise<SseSubscription<T>> {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    signal: abort.signal,
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  if (!response.body) throw new Error(`no response body (status ${response.status})`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';

  /** Reads until one complete event with `data:` lines is buffered; comments (keep-alives) are skipped. */
  async function nextData(): Promise<string> {
    for (;;) {
      const boundary = buffered.indexOf('\n\n');
      if (boundary >= 0) {
        const block = buffered.slice(0, boundary);
        buffered = buffered.slice(boundary + 2);
        if (/^event: ?complete$/m.test(block)) throw new Error('the event stream completed');
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart());
        if (data.length > 0) return data.join('\n');
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffered += decoder.decode(value, { stream: true });
    }
  }

  return {
    status: response.status,
    async next(ms = 5000) {
      return JSON.parse(await withTimeout(nextData(), ms, 'a server-sent event'));
    },
    close() {
      abort.abort();
    },
  };
}
