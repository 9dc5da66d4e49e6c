import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';

/**
 * Why a socket is closed with 4403 (graphql-ws `CloseCode.Forbidden`). Unlike 4401, graphql-ws
 * clients retry 4403, calling `connectionParams` again: the place to refresh the token.
 */
export const tokenExpiredReason = 'Token expired';
export const sessionEndedReason = 'Session ended';

/** How often deadlines are checked: a socket closes at most this long after its token expired. */
const tickMs = 250;

/**
 * When each authenticated socket's token expires, and which session it belongs to, for
 * every socket of a server on one timer. Tokens expire on whole seconds (JWT `exp`), so
 * sockets are kept in one bucket per second of expiry: at most one bucket per second of
 * token lifetime, and per socket only an entry in its bucket (the session id is the
 * string the verified token already holds). Ended sessions are closed in one pass over
 * every bucket per turn of the event loop (about a millisecond for 20,000 sockets),
 * however many ended in that turn: a logout storm costs passes, not passes per logout.
 * A socket whose close graphql-ws never reported leaves its bucket at expiry anyway.
 */
export class TokenDeadlines {
  /** Expiry (JWT `exp`, seconds) → the sockets whose token expires then, with their session id. */
  private readonly buckets = new Map<number, Map<WebSocket, string>>();
  private readonly timer: NodeJS.Timeout;
  /** Sessions ended since the last pass; the pass is scheduled when the first one arrives. */
  private readonly endedSessions = new Set<string>();

  constructor() {
    this.timer = setInterval(() => this.closeExpired(Date.now()), tickMs);
    this.timer.unref();
  }

  /** `expiresAt`: the token's `exp` in seconds (keep it: `remove` needs it). */
  add(socket: WebSocket, expiresAt: number, sessionId: string): void {
    let bucket = this.buckets.get(expiresAt);
    if (!bucket) this.buckets.set(expiresAt, (bucket = new Map()));
    bucket.set(socket, sessionId);
  }

  remove(socket: WebSocket, expiresAt: number): void {
    const bucket = this.buckets.get(expiresAt);
    if (!bucket?.delete(socket)) return;
    if (bucket.size === 0) this.buckets.delete(expiresAt);
  }

  /** The session ended: its sockets close in this turn's pass. */
  closeSession(sessionId: string): void {
    if (this.endedSessions.size === 0) setImmediate(() => this.closeEndedSessions());
    this.endedSessions.add(sessionId);
  }

  private closeEndedSessions(): void {
    const ended = this.endedSessions;
    for (const [expiresAt, bucket] of this.buckets) {
      for (const [socket, owner] of bucket) {
        if (!ended.has(owner)) continue;
        this.remove(socket, expiresAt);
        socket.close(CloseCode.Forbidden, sessionEndedReason);
      }
    }
    ended.clear();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The sockets of every bucket whose second has come (jsonwebtoken's rule: expired once now >= exp). */
  private closeExpired(now: number): void {
    for (const [expiresAt, bucket] of this.buckets) {
      if (expiresAt * 1000 > now) continue;
      this.buckets.delete(expiresAt);
      for (const socket of bucket.keys()) socket.close(CloseCode.Forbidden, tokenExpiredReason);
    }
  }
}
