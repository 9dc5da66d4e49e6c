import { useConnectionState } from './client/connection';
import { useSession } from './client/session';

/** Who is signed in, whether the live connection is up, and sign-out. */
export function Header() {
  const { user, signOut } = useSession();
  const state = useConnectionState();
  return (
    <header className="shell-header">
      <div className="avatar" aria-hidden="true">
        {initial(user.username)}
      </div>
      <div className="shell-header-text">
        <strong data-testid="me">{user.username}</strong>
        <span className={`connection connection-${state}`} data-testid="connection-status" data-state={state === 'connected' ? 'connected' : 'reconnecting'}>
          {state === 'connected' ? 'online' : state === 'connecting' ? 'connecting…' : 'reconnecting…'}
        </span>
      </div>
      <button type="button" className="link-button" data-testid="sign-out" onClick={signOut}>
        Sign out
      </button>
    </header>
  );
}

export function initial(name: string | null | undefined): string {
  return (name?.trim()[0] ?? '#').toUpperCase();
}
