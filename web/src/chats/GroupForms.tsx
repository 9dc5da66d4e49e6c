import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { reportError } from '../client/errors';
import { graphql } from '../gql';
import { navigate, roomHref } from '../routes';

const CreateRoom = graphql(`
  mutation CreateGroup($name: String!) {
    createRoom(name: $name) {
      ...ChatListRoom
    }
  }
`);

export const JoinRoom = graphql(`
  mutation JoinGroup($roomId: ID!) {
    joinRoom(roomId: $roomId) {
      ...ChatListRoom
    }
  }
`);

/** A room id from what a person pastes: the id itself, or an invite link ending in `#/join/<id>`. */
export function roomIdFromInvite(text: string): string {
  const trimmed = text.trim();
  const match = /#\/(?:join|room)\/([^/?#\s]+)/.exec(trimmed);
  return match ? decodeURIComponent(match[1]) : trimmed;
}

/** Create a group, or join one by id or invite link; both open the group. */
export function GroupForms() {
  const [name, setName] = useState('');
  const [invite, setInvite] = useState('');
  const [creating, createRoom] = useMutation(CreateRoom);
  const [joining, joinRoom] = useMutation(JoinRoom);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return;
    const result = await createRoom({ name: name.trim() });
    if (result.error) return reportError(result.error);
    setName('');
    if (result.data) navigate(roomHref(result.data.createRoom.id));
  }

  async function join(event: FormEvent) {
    event.preventDefault();
    const roomId = roomIdFromInvite(invite);
    if (!roomId) return;
    const result = await joinRoom({ roomId });
    if (result.error) return reportError(result.error);
    setInvite('');
    if (result.data) navigate(roomHref(result.data.joinRoom.id));
  }

  return (
    <div className="group-forms">
      <form className="inline-form" onSubmit={create}>
        <input data-testid="group-name-input" placeholder="New group name" aria-label="New group name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" data-testid="group-create" disabled={creating.fetching || !name.trim()}>
          Create
        </button>
      </form>
      <form className="inline-form" onSubmit={join}>
        <input data-testid="group-join-input" placeholder="Group id or invite link" aria-label="Group id or invite link" value={invite} onChange={(e) => setInvite(e.target.value)} />
        <button type="submit" data-testid="group-join" disabled={joining.fetching || !invite.trim()}>
          Join
        </button>
      </form>
    </div>
  );
}
