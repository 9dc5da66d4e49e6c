import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { withTimeout } from './wait';

/**
 * Runs one query or mutation over graphql-ws and returns its single result. A request
 * refused before execution (validation, limits) arrives as a graphql-ws `error` message;
 * it is returned as `{ errors }` so tests read both kinds the same way.
 */
export function wsExecute<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
  ms = 5000,
): Promise<FormattedExecutionResult<T>> {
  let unsubscribe = () => {};
  const result = new Promise<FormattedExecutionResult<T>>((resolve, reject) => {
    let first: FormattedExecutionResult<T> | null = null;
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => (first ??= value as FormattedExecutionResult<T>),
        error: (error) => {
          if (Array.isArray(error)) resolve({ errors: error as GraphQLFormattedError[] });
          else reject(error instanceof Error ? error : new Error(`socket closed: ${describeClose(error)}`));
        },
        complete: () => (first ? resolve(first) : reject(new Error('completed without a result'))),
      },
    );
  });
  return withTimeout(result, ms, `a result of ${query.slice(0, 60)}`).finally(() => unsubscribe());
}

function describeClose(event: unknown): string {
  const close = event as { code?: number; reason?: string };
  return close && typeof close.code === 'number' ? `${close.code} ${close.reason ?? ''}` : String(event);
}

/** A raw `ws` socket speaking graphql-transport-ws, for frames the graphql-ws client would never send. */
export interface RawSocket {
  readonly socket: WebSocket;
  send(message: unknown): void;
  /** The next JSON message from the server (bounded). */
  message(ms?: number): Promise<{ type: string; id?: string; payload?: unknown }>;
  /** Resolves with the close code once the socket closes (bounded). */
  closed(ms?: number): Promise<{ code: number; reason: string }>;
}

export async function rawSocket(url: string, ms = 5000): Promise<RawSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const queued: string[] = [];
  const waiters: ((text: string) => void)[] = [];
  socket.on('message', (data) => {
    const text = data.toString();
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else queued.push(text);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  // A socket error (e.g. the server resetting after a close frame) ends in `close` as well.
  socket.on('error', () => undefined);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    }),
    ms,
    'the WebSocket to open',
  );
  return {
    socket,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    message: (wait = ms) => {
      const text = queued.shift();
      const next = text !== undefined ? Promise.resolve(text) : new Promise<string>((resolve) => waiters.push(resolve));
      return withTimeout(next, wait, 'a WebSocket message').then((t) => JSON.parse(t));
    },
    closed: (wait = ms) => withTimeout(closed, wait, 'the WebSocket to close'),
  };
}

/** Opens a raw socket and completes the graphql-ws handshake with `token`. */
export async function acknowledgedSocket(url: string, token: string): Promise<RawSocket> {
  const raw = await rawSocket(url);
  raw.send({ type: 'connection_init', payload: { token } });
  const ack = await raw.message();
  if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
  return raw;
}
