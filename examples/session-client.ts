/**
 * The client recipe for sessions (README, "Sessions"): a live connection that outlives its
 * 15-minute access tokens without losing a message.
 *
 * - `SessionKeeper.validToken()` refreshes the session when the access token is about to
 *   expire, one refresh at a time (a refresh token works once: two refreshes racing with
 *   the same one would look like a replay and end the session).
 * - graphql-ws calls `connectionParams` (an async function) on every (re)connection; the
 *   server closes a socket with 4403 when its token expires, which graphql-ws retries.
 * - graphql-ws resubscribes with the same payload object after a reconnect: keeping its
 *   `variables.after` at the last cursor received resumes right after it (no gap, no
 *   duplicate).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface SessionTokens {
  token: string;
  /** ISO date-time, as the API returns it. */
  expiresAt: string;
  refreshToken: string;
}

const RefreshSession = `
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) { token expiresAt refreshToken }
  }`;

export class SessionKeeper {
  private refreshing: Promise<SessionTokens> | null = null;
  /** How many times the session was refreshed (for tests and logs). */
  refreshes = 0;

  constructor(
    private readonly httpUrl: string,
    private tokens: SessionTokens,
    /** Refresh when the token has less than this left: a socket opened with it should live a while. */
    private readonly marginMs = 60_000,
  ) {}

  /** An access token with at least `marginMs` left (or as much as the server gives). */
  async validToken(): Promise<string> {
    if (Date.parse(this.tokens.expiresAt) - Date.now() > this.marginMs) return this.tokens.token;
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
    return (await this.refreshing).token;
  }

  private async refresh(): Promise<SessionTokens> {
    const response = await fetch(this.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: RefreshSession, variables: { refreshToken: this.tokens.refreshToken } }),
    });
    const result = (await response.json()) as { data?: { refreshSession: SessionTokens }; errors?: unknown[] };
    // UNAUTHENTICATED: the session ended (logout, a replay); sign in again.
    if (!result.data) throw new Error(`refreshSession failed: ${JSON.stringify(result.errors)}`);
    this.refreshes++;
    this.tokens = result.data.refreshSession;
    return this.tokens;
  }
}

/** A graphql-ws client that signs every (re)connection with a valid token. */
export function createSessionClient(wsUrl: string, session: SessionKeeper, on?: Parameters<typeof createClient>[0]['on']): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: async () => ({ token: await session.validToken() }),
    // 4403 (token expired, session ended) is retried by graphql-ws; keep retrying.
    retryAttempts: Infinity,
    on,
  });
}

export interface FollowedMessage {
  id: string;
  cursor: string;
  body: string;
}

/**
 * Follows a room's new messages from `after` (a cursor, or null for live ones only),
 * resuming after the last one received whenever the connection is re-established.
 * Returns the function that stops following.
 */
export function followRoom(
  client: Client,
  roomId: string,
  after: string | null,
  onMessage: (message: FollowedMessage) => void,
  onError: (error: unknown) => void = () => undefined,
): () => void {
  const variables: { roomId: string; after: string | null } = { roomId, after };
  return client.subscribe<{ messageAdded: FollowedMessage }>(
    { query: 'subscription ($roomId: ID, $after: String) { messageAdded(roomId: $roomId, after: $after) { id cursor body } }', variables },
    {
      next: (result) => {
        const message = result.data?.messageAdded;
        if (!message) return onError(result.errors);
        // graphql-ws sends this very payload again after a reconnect: it resumes after this message.
        variables.after = message.cursor;
        onMessage(message);
      },
      error: onError,
      complete: () => undefined,
    },
  );
}
