import { loadSession, saveSession, type StoredSession } from './session-store';

/**
 * Keeps the access token valid (README "Sessions", examples/session-client.ts):
 * - `validToken()` refreshes when less than a minute is left, one refresh at a time: a
 *   refresh token works once, and two refreshes racing with it would end the session.
 * - a timer refreshes in the background at ~80% of the token's lifetime, so a socket opened
 *   with it, or a request, rarely waits for a refresh.
 * - across tabs: the refresh runs under a Web Lock and first re-reads localStorage, so the
 *   tab that comes second adopts the tokens the first one got instead of replaying its
 *   (already used) refresh token.
 */
export class SessionKeeper {
  private refreshing: Promise<StoredSession> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private session: StoredSession,
    private readonly events: {
      /** New tokens (saved already). */
      changed: (session: StoredSession) => void;
      /** The server refused the refresh token: the session is over (logout elsewhere, a replay, expiry). */
      ended: () => void;
    },
    private readonly marginMs = 60_000,
  ) {}

  get current(): StoredSession {
    return this.session;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Tokens another tab obtained (storage event): use them, and do not refresh the old ones. */
  adopt(session: StoredSession): void {
    if (session.refreshToken === this.session.refreshToken) return;
    this.session = session;
    this.schedule();
  }

  /** An access token with at least a minute left, refreshing first when needed. */
  async validToken(): Promise<string> {
    if (this.msLeft() > this.marginMs) return this.session.token;
    try {
      return (await this.refresh()).token;
    } catch (error) {
      // A network failure: the old token may still be good for a while; the server says if not.
      if (this.msLeft() > 0 && !(error instanceof SessionEndedError)) return this.session.token;
      throw error;
    }
  }

  /** One refresh at a time in this tab (and across tabs when Web Locks exist). */
  refresh(): Promise<StoredSession> {
    this.refreshing ??= this.refreshOnce().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private msLeft(): number {
    return Date.parse(this.session.expiresAt) - Date.now();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const issuedAt = Date.now();
    const lifetime = Math.max(0, Date.parse(this.session.expiresAt) - issuedAt);
    // 80% of what is left: a 15-minute token refreshes after 12 minutes.
    const delay = Math.max(1_000, Math.min(lifetime * 0.8, lifetime - this.marginMs / 2));
    this.timer = setTimeout(() => {
      this.refresh().catch((error: unknown) => {
        // Offline: try again shortly; the session ended: `ended` has been called.
        if (!(error instanceof SessionEndedError) && !this.stopped) this.timer = setTimeout(() => this.schedule(), 5_000);
      });
    }, delay);
  }

  private async refreshOnce(): Promise<StoredSession> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const next = locks ? await locks.request('chat-session-refresh', () => this.refreshUnlocked()) : await this.refreshUnlocked();
    this.session = next;
    saveSession(next);
    this.events.changed(next);
    this.schedule();
    return next;
  }

  private async refreshUnlocked(): Promise<StoredSession> {
    // Another tab may have refreshed while we waited for the lock: take its tokens.
    const stored = loadSession();
    if (stored && stored.user.id === this.session.user.id && stored.refreshToken !== this.session.refreshToken) {
      if (Date.parse(stored.expiresAt) - Date.now() > this.marginMs) return stored;
      this.session = stored;
    }
    const payload = await postRefresh(this.session.refreshToken);
    if (!payload) {
      this.stop();
      this.events.ended();
      throw new SessionEndedError();
    }
    return { ...payload, user: this.session.user };
  }
}

export class SessionEndedError extends Error {
  constructor() {
    super('Your session ended: sign in again');
    this.name = 'SessionEndedError';
  }
}

type Tokens = Omit<StoredSession, 'user'>;

/** A plain fetch (not urql): the urql client's own fetch waits on this keeper. Null when refused. */
async function postRefresh(refreshToken: string): Promise<Tokens | null> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({
      query: 'mutation RefreshSession($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { token expiresAt refreshToken refreshExpiresAt } }',
      variables: { refreshToken },
    }),
  });
  const result = (await response.json()) as { data?: { refreshSession: Tokens } | null; errors?: { extensions?: { code?: string } }[] };
  if (result.data?.refreshSession) return result.data.refreshSession;
  if (result.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) return null;
  throw new Error('The session could not be refreshed: try again');
}
