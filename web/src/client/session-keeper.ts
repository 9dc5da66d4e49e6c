import { loadSession, saveSession, type StoredSession } from './session-store';

/**
 * Keeps the access token valid (README "Sessions", examples/session-client.ts):
 * - `validToken()` refreshes when less than a minute is left (a fifth of the lifetime of a
 *   shorter token), one refresh at a time: a refresh token works once, and two refreshes
 *   racing with it would end the session.
 * - a timer refreshes in the background at ~80% of the token's lifetime, so a socket opened
 *   with it, or a request, rarely waits for a refresh.
 * - across tabs: the refresh runs under a Web Lock, re-reads localStorage first and saves
 *   the new tokens before releasing it, so the tab that comes second adopts the tokens the
 *   first one got instead of replaying its (already used) refresh token.
 */
export class SessionKeeper {
  private refreshing: Promise<StoredSession> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly adoptionWaiters = new Set<() => void>();

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
    for (const resolve of this.adoptionWaiters) resolve();
    this.adoptionWaiters.clear();
  }

  /** An access token with at least a minute left (a fifth of a short token's life), refreshing first when needed. */
  async validToken(): Promise<string> {
    if (this.msLeft() > this.margin()) return this.session.token;
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

  private msLeft(session = this.session): number {
    return Date.parse(session.expiresAt) - Date.now();
  }

  /** Refresh when less than this is left: a minute, or a fifth of the lifetime of a shorter-lived token. */
  private margin(session = this.session): number {
    return Math.min(this.marginMs, tokenLifetimeMs(session) * 0.2);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    // At 80% of the token's lifetime (a 15-minute token: after 12 minutes, 3 left).
    const delay = Math.max(0, this.msLeft() - tokenLifetimeMs(this.session) * 0.2);
    this.timer = setTimeout(() => {
      this.refresh().catch((error: unknown) => {
        // Offline: try again shortly; the session ended: `ended` has been called.
        if (!(error instanceof SessionEndedError) && !this.stopped) this.timer = setTimeout(() => this.schedule(), 5_000);
      });
    }, delay);
  }

  private async refreshOnce(): Promise<StoredSession> {
    const next = await this.refreshAcrossTabs();
    this.session = next;
    this.events.changed(next);
    this.schedule();
    return next;
  }

  /**
   * One tab refreshes; the others wait for it and take its tokens. A tab that finds the lock
   * taken does not read localStorage as soon as it gets the lock: Chromium hands localStorage
   * writes to other tabs asynchronously, so it could still read the used refresh token and
   * replay it (which ends the session). It waits for the storage event (adopt()) instead.
   */
  private async refreshAcrossTabs(): Promise<StoredSession> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return this.refreshUnlocked();
    for (let attempt = 0; attempt < 5; attempt++) {
      const mine = await this.refreshIfLockFree(locks);
      if (mine) return mine;
      // Another tab is refreshing: wait until it is done, then for its tokens to reach us.
      const adopted = this.nextAdoption(2_000);
      await locks.request(REFRESH_LOCK, async () => undefined);
      if (this.refreshDue(this.session)) await adopted;
      if (!this.refreshDue(this.session)) return this.session;
    }
    throw new Error('The session could not be refreshed: try again');
  }

  /**
   * Refreshes under the lock when no other tab holds it (null when one does). The lock is kept
   * a little after saving, while the write reaches the other tabs, so a tab that takes it
   * next reads the new refresh token; our caller gets the tokens without that wait.
   */
  private refreshIfLockFree(locks: LockManager): Promise<StoredSession | null> {
    return new Promise((resolve, reject) => {
      locks
        .request(REFRESH_LOCK, { ifAvailable: true }, async (lock) => {
          if (!lock) return resolve(null);
          try {
            const next = await this.refreshUnlocked();
            saveSession(next);
            resolve(next);
          } catch (error) {
            return reject(error);
          }
          await new Promise((done) => setTimeout(done, HANDOFF_MS));
        })
        .catch(reject);
    });
  }

  /** Resolves when adopt() takes new tokens, or after `timeoutMs`. */
  private nextAdoption(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.adoptionWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.adoptionWaiters.add(done);
    });
  }

  /** Past 80% of the token's lifetime (with a second of slack for timers firing early). */
  private refreshDue(session: StoredSession): boolean {
    return this.msLeft(session) <= tokenLifetimeMs(session) * 0.2 + 1_000;
  }

  private async refreshUnlocked(): Promise<StoredSession> {
    // Another tab may have refreshed before we took the lock (its tokens saved, maybe not
    // adopted yet): take them rather than refresh twice.
    const stored = loadSession();
    if (stored && stored.user.id === this.session.user.id && stored.refreshToken !== this.session.refreshToken) this.session = stored;
    if (!this.refreshDue(this.session)) return this.session;
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

const REFRESH_LOCK = 'chat-session-refresh';
/** How long a refreshing tab keeps the lock after saving: localStorage reaches other tabs within milliseconds. */
const HANDOFF_MS = 500;

/** The access token's lifetime from its own claims (exp - iat); 15 minutes if unreadable. */
function tokenLifetimeMs(session: StoredSession): number {
  try {
    const payload = session.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { iat?: number; exp?: number };
    if (typeof claims.iat === 'number' && typeof claims.exp === 'number' && claims.exp > claims.iat) return (claims.exp - claims.iat) * 1000;
  } catch {
    // not a JWT we can read: assume the default lifetime
  }
  return 15 * 60_000;
}

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
