import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { describeError } from '../client/errors';
import type { StoredSession } from '../client/session';
import { graphql } from '../gql';
import type { SessionFieldsFragment } from '../gql/graphql';

graphql(`
  fragment SessionFields on AuthPayload {
    token
    expiresAt
    refreshToken
    refreshExpiresAt
    user {
      id
      username
    }
  }
`);

const Register = graphql(`
  mutation Register($username: String!, $password: String!) {
    register(username: $username, password: $password) {
      ...SessionFields
    }
  }
`);

const Login = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      ...SessionFields
    }
  }
`);

function toSession(payload: SessionFieldsFragment): StoredSession {
  const { token, expiresAt, refreshToken, refreshExpiresAt, user } = payload;
  return { token, expiresAt, refreshToken, refreshExpiresAt, user: { id: user.id, username: user.username } };
}

/** Sign up or sign in: one form, two buttons (Enter signs in). */
export function AuthScreen(props: { onSignedIn: (session: StoredSession) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [registering, register] = useMutation(Register);
  const [loggingIn, login] = useMutation(Login);
  const busy = registering.fetching || loggingIn.fetching;

  async function submit(action: 'register' | 'login') {
    if (busy) return;
    setError(null);
    const variables = { username: username.trim(), password };
    if (action === 'register') {
      const result = await register(variables);
      if (result.data) props.onSignedIn(toSession(result.data.register));
      else setError(describeError(result.error, { signingIn: true }));
    } else {
      const result = await login(variables);
      if (result.data) props.onSignedIn(toSession(result.data.login));
      else setError(describeError(result.error, { signingIn: true }));
    }
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit('login');
  };

  return (
    <div className="auth">
      <form className="auth-card" onSubmit={onSubmit}>
        {/* An inline SVG, not an emoji: it renders the same without an emoji font. */}
        <svg className="auth-logo" viewBox="0 0 24 24" width="48" height="48" aria-hidden="true">
          <path fill="currentColor" d="M12 3C6.5 3 2 6.9 2 11.7c0 2.5 1.2 4.7 3.2 6.3L4.5 21l3.6-1.8c1.2.4 2.5.6 3.9.6 5.5 0 10-3.9 10-8.7S17.5 3 12 3z" />
        </svg>
        <h1>Chat</h1>
        <p className="auth-hint">Sign in, or pick a username and a password to sign up.</p>
        <label>
          Username
          <input
            data-testid="auth-username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          Password
          <input
            data-testid="auth-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="auth-error" role="alert" data-testid="auth-error">
            {error}
          </p>
        )}
        <div className="auth-buttons">
          <button type="submit" className="primary" data-testid="auth-login" disabled={busy}>
            Sign in
          </button>
          <button type="button" data-testid="auth-register" disabled={busy} onClick={() => void submit('register')}>
            Sign up
          </button>
        </div>
      </form>
    </div>
  );
}
