import { useMutation } from 'urql';
import { reportError } from '../client/errors';
import { graphql } from '../gql';
import { navigate } from '../routes';

const LeaveRoom = graphql(`
  mutation LeaveGroup($roomId: ID!) {
    leaveRoom(roomId: $roomId)
  }
`);

/** Leave a group (after a confirmation); the cache drops it from the list (client/cache.ts). */
export function LeaveGroupButton(props: { roomId: string; name: string; open: boolean }) {
  const [leaving, leaveRoom] = useMutation(LeaveRoom);
  async function leave() {
    if (!window.confirm(`Leave “${props.name}”?`)) return;
    const result = await leaveRoom({ roomId: props.roomId });
    if (result.error) return reportError(result.error);
    if (props.open) navigate('#/');
  }
  return (
    <button type="button" className="chat-leave" data-testid="group-leave" disabled={leaving.fetching} onClick={() => void leave()} aria-label={`Leave ${props.name}`}>
      Leave
    </button>
  );
}
