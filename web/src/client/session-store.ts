/** The signed-in session as the browser keeps it (localStorage): it survives reloads and is shared by tabs. */
export interface StoredSession {
  token: string;
  /** ISO date-times, as the API returns them. */
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  user: { id: string; username: string };
}

const KEY = 'chat.session';

export function loadSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as StoredSession;
    // A refresh token past its date cannot bring the session back: start signed out.
    if (!session.refreshToken || Date.parse(session.refreshExpiresAt) <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

/** Calls `listener` when another tab saves or clears the session. */
export function onSessionStorageChange(listener: (session: StoredSession | null) => void): () => void {
  const handler = (event: StorageEvent) => {
    if (event.key === KEY) listener(loadSession());
  };
  window.addEventListener('storage', handler);
  return () => window.removeEventListener('storage', handler);
}
