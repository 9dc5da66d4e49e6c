import { isAsyncIterable, type Plugin } from '@envelop/core';
import type { Context } from '../../context';
import type { SessionEnds } from '../../live/sessions';
import type { ServerContext } from '../graphql/yoga';

/**
 * An SSE subscription (HTTP) ends when the token it was opened with expires, or when its
 * session ends: the stream completes and the client subscribes again with a fresh token
 * (and `after`, so nothing is lost). WebSocket operations are left alone: their socket
 * closes with 4403 then (token-deadlines.ts), which graphql-ws clients retry, whereas a
 * completed subscription would not be resubscribed. One timer per SSE subscription: each
 * holds an HTTP connection anyway, and they are far fewer than sockets.
 */
export function useSseEndsWithToken(sessions: SessionEnds): Plugin<Context & ServerContext> {
  return {
    onSubscribe({ args }) {
      const ctx = args.contextValue;
      if (!ctx.req || ctx.transport || !ctx.user) return;
      const { expiresAtMs, sessionId } = ctx.user;
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(endingWith(result, expiresAtMs, sessionId, sessions));
        },
      };
    },
  };
}

function endingWith<T>(source: AsyncIterable<T>, expiresAtMs: number, sessionId: string, sessions: SessionEnds): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finish!: () => void;
  const finished = new Promise<IteratorResult<T>>((resolve) => (finish = () => resolve({ value: undefined, done: true })));
  const timer = setTimeout(() => finish(), Math.max(0, expiresAtMs - Date.now()));
  const stopWatching = sessions.onEnded((ended) => ended === sessionId && finish());
  let done = false;
  const end = async (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      clearTimeout(timer);
      stopWatching();
      await iterator.return?.();
    }
    return { value: undefined, done: true };
  };
  void finished.then(() => end());
  return {
    async next() {
      if (done) return { value: undefined, done: true };
      const result = await Promise.race([iterator.next(), finished]);
      return result.done ? end() : result;
    },
    return: end,
    async throw(error: unknown) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
