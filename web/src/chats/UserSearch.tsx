import { useState, type FormEvent } from 'react';
import { useClient, useMutation } from 'urql';
import { reportError } from '../client/errors';
import { useSession } from '../client/session';
import { graphql } from '../gql';
import { navigate, roomHref } from '../routes';

const FindUser = graphql(`
  query FindUser($username: String!) {
    userByUsername(username: $username) {
      id
      username
      online
      lastSeenAt
    }
  }
`);

const OpenDirectRoom = graphql(`
  mutation OpenDirectRoom($userId: ID!) {
    openDirectRoom(userId: $userId) {
      ...ChatListRoom
    }
  }
`);

type Found = { state: 'idle' } | { state: 'none'; username: string } | { state: 'found'; user: { id: string; username: string } };

/** Find a user by exact username; clicking the result opens (or creates) our private chat. */
export function UserSearch() {
  const client = useClient();
  const { user: me } = useSession();
  const [username, setUsername] = useState('');
  const [found, setFound] = useState<Found>({ state: 'idle' });
  const [searching, setSearching] = useState(false);
  const [opening, openDirectRoom] = useMutation(OpenDirectRoom);

  async function search(event?: FormEvent) {
    event?.preventDefault();
    const wanted = username.trim();
    if (!wanted) return;
    setSearching(true);
    const result = await client.query(FindUser, { username: wanted }, { requestPolicy: 'network-only' }).toPromise();
    setSearching(false);
    if (result.error) return reportError(result.error);
    const user = result.data?.userByUsername;
    setFound(user ? { state: 'found', user } : { state: 'none', username: wanted });
  }

  async function open(userId: string) {
    const result = await openDirectRoom({ userId });
    if (result.error) return reportError(result.error);
    if (!result.data) return;
    setFound({ state: 'idle' });
    setUsername('');
    navigate(roomHref(result.data.openDirectRoom.id));
  }

  return (
    <div className="user-search">
      <form className="inline-form" onSubmit={search} role="search">
        <input
          data-testid="user-search-input"
          placeholder="Find a user by username"
          aria-label="Find a user by username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => {
            setUsername(e.target.value);
            setFound({ state: 'idle' });
          }}
        />
        <button type="submit" data-testid="user-search-submit" disabled={searching || !username.trim()}>
          Find
        </button>
      </form>
      {found.state === 'none' && (
        <p className="search-empty" data-testid="user-search-empty">
          No user named “{found.username}”
        </p>
      )}
      {found.state === 'found' && (
        <button
          type="button"
          className="search-result"
          data-testid="user-search-result"
          data-username={found.user.username}
          disabled={opening.fetching}
          onClick={() => void open(found.user.id)}
        >
          <span className="avatar" aria-hidden="true">
            {found.user.username[0]?.toUpperCase()}
          </span>
          <span>
            {found.user.username}
            {found.user.id === me.id ? ' (you)' : ''}
          </span>
          <span className="search-result-action">Message</span>
        </button>
      )}
    </div>
  );
}
