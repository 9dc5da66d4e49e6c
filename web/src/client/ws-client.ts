import { createClient, type Client } from 'graphql-ws';
import type { ConnectionMonitor } from './connection';
import type { SessionKeeper } from './session-keeper';

/** How long a ping may wait for its pong before the socket counts as dead (a dropped network sends no close). */
const PONG_TIMEOUT_MS = 5_000;
const KEEP_ALIVE_MS = 10_000;

/**
 * The WebSocket, for subscriptions only (queries and mutations go over HTTP).
 * - connectionParams asks the keeper for a valid token on every (re)connection: a socket the
 *   server closed with 4403 "Token expired" comes back with a fresh one.
 * - retries forever with capped, jittered backoff, except when the session ended (4403
 *   "Session ended", or the keeper found the refresh token refused).
 * - not lazy: the socket is what makes the user "online" for others, from sign-in on.
 */
export function createWsClient(url: string, keeper: SessionKeeper, monitor: ConnectionMonitor, sessionEnded: () => void): Client {
  let ended = false;
  let pongTimeout: ReturnType<typeof setTimeout> | undefined;
  let socket: WebSocket | null = null;
  const endSession = () => {
    if (ended) return;
    ended = true;
    sessionEnded();
  };
  return createClient({
    url,
    lazy: false,
    // Failures reach shouldRetry and the subscriptions' own error handlers; not the console.
    onNonLazyError: () => undefined,
    keepAlive: KEEP_ALIVE_MS,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
    connectionParams: async () => {
      try {
        return { token: await keeper.validToken() };
      } catch (error) {
        if (error instanceof Error && error.name === 'SessionEndedError') {
          endSession();
          throw error;
        }
        // The refresh could not reach the API (offline, or only the HTTP tier is down). Throwing
        // here would close with graphql-ws's 4005, which it never retries: send the token we
        // have instead; an expired one is closed with 4403 "Token expired", which is retried.
        return { token: keeper.current.token };
      }
    },
    shouldRetry: (errOrClose) => {
      if (ended) return false;
      if (isCloseEvent(errOrClose) && errOrClose.code === 4403 && /session ended/i.test(errOrClose.reason)) {
        endSession();
        return false;
      }
      return true;
    },
    on: {
      opened: (opened) => (socket = opened as WebSocket),
      connected: () => monitor.connected(),
      closed: () => {
        clearTimeout(pongTimeout);
        socket = null;
        monitor.lost();
      },
      // graphql-ws sends pings but does not time them out: a socket whose network vanished
      // would look open for minutes. Close it ourselves (4408) so the retry loop reconnects.
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimeout);
        pongTimeout = setTimeout(() => {
          if (socket?.readyState === WebSocket.OPEN) socket.close(4408, 'Request Timeout');
        }, PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimeout);
      },
    },
  });
}

/** 0.5 s, 1 s, 2 s, … capped at 10 s, each with ±50% jitter so tabs do not reconnect in step. */
export function backoffMs(retries: number): number {
  const base = Math.min(10_000, 500 * 2 ** retries);
  return Math.round(base * (0.5 + Math.random()));
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}
