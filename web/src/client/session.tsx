import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { Provider, type Client } from 'urql';
import { loadAppConfig } from './app-config';
import { ConnectionContext, ConnectionMonitor } from './connection';
import { reportError, setSessionEndedHandler } from './errors';
import { SessionKeeper } from './session-keeper';
import { clearSession, loadSession, onSessionStorageChange, saveSession, type StoredSession } from './session-store';
import { createAnonymousClient, createSessionClient } from './urql-client';
import { createWsClient } from './ws-client';

export type { StoredSession } from './session-store';

interface SessionContextValue {
  user: { id: string; username: string };
  signOut(): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** The signed-in user and how to sign out (only inside the signed-in part of the app). */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a signed-in session (SessionGate)');
  return value;
}

const anonymousClient = createAnonymousClient();

/**
 * Signed out: `signedOut(signIn)` (the auth screen, with an urql client for register/login).
 * Signed in: `children`, with the session's urql client, connection state and useSession().
 * The session lives in localStorage: a reload, or another tab, picks it up.
 */
export function SessionGate(props: { signedOut: (signIn: (session: StoredSession) => void) => ReactNode; children: ReactNode }) {
  const [session, setSession] = useState<StoredSession | null>(loadSession);
  const signIn = useCallback((next: StoredSession) => {
    saveSession(next);
    setSession(next);
  }, []);
  const signedOut = useCallback(() => {
    clearSession();
    setSession(null);
  }, []);

  // Another tab signed in, out, or as someone else.
  useEffect(
    () =>
      onSessionStorageChange((stored) => {
        setSession((current) => (stored?.user.id === current?.user.id && stored && current ? current : stored));
      }),
    [],
  );

  if (!session) return <Provider value={anonymousClient}>{props.signedOut(signIn)}</Provider>;
  return (
    <LiveSession key={session.user.id} session={session} onSignedOut={signedOut}>
      {props.children}
    </LiveSession>
  );
}

interface Live {
  client: Client;
  monitor: ConnectionMonitor;
  signOut(): void;
}

function LiveSession(props: { session: StoredSession; onSignedOut: () => void; children: ReactNode }) {
  const [live, setLive] = useState<Live | null>(null);
  const { session, onSignedOut } = props;

  useEffect(() => {
    let disposed = false;
    let teardown = () => undefined as void;
    const monitor = new ConnectionMonitor();
    const keeper = new SessionKeeper(session, { changed: () => undefined, ended: () => end() });
    const end = () => {
      if (disposed) return;
      reportError(new Error('Your session ended: sign in again'));
      onSignedOut();
    };
    setSessionEndedHandler(end);
    const stopFollowingTabs = onSessionStorageChange((stored) => {
      if (stored && stored.user.id === session.user.id) keeper.adopt(stored);
    });
    keeper.start();
    loadAppConfig().then(
      ({ wsUrl }) => {
        if (disposed) return;
        const ws = createWsClient(wsUrl, keeper, monitor, end);
        const client = createSessionClient(keeper, ws);
        teardown = () => void ws.dispose();
        const signOut = () => {
          // Ends the session on the server (its refresh token, its sockets everywhere); best effort.
          client.mutation('mutation Logout { logout }', {}).toPromise().catch(() => undefined).finally(() => undefined);
          disposed = true;
          onSignedOut();
        };
        setLive({ client, monitor, signOut });
      },
      (error: unknown) => reportError(error),
    );
    return () => {
      disposed = true;
      keeper.stop();
      stopFollowingTabs();
      setSessionEndedHandler(null);
      teardown();
    };
  }, [session.user.id]); // eslint-disable-line react-hooks/exhaustive-deps -- one live session per user

  if (!live) return <div className="splash">Connecting…</div>;
  return (
    <Provider value={live.client}>
      <ConnectionContext.Provider value={live.monitor}>
        <SessionContext.Provider value={{ user: session.user, signOut: live.signOut }}>{props.children}</SessionContext.Provider>
      </ConnectionContext.Provider>
    </Provider>
  );
}
