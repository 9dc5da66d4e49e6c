import { ChatList } from './ChatList';
import { GroupForms } from './GroupForms';
import { UserSearch } from './UserSearch';

/** The left pane below the header: find a user, create or join a group, the chat list. */
export function ChatsPane(props: { activeRoomId: string | null }) {
  return (
    <div className="chats-pane">
      <div className="chats-tools">
        <UserSearch />
        <GroupForms />
      </div>
      <ChatList activeRoomId={props.activeRoomId} />
    </div>
  );
}
