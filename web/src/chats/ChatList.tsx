import { useEffect, useMemo } from 'react';
import { useClient, useQuery, useSubscription } from 'urql';
import { useConnectionEpoch } from '../client/connection';
import { reportError } from '../client/errors';
import { useSession } from '../client/session';
import { graphql } from '../gql';
import type { ChatListRoomFragment } from '../gql/graphql';
import { initial } from '../Header';
import { LeaveGroupButton } from './LeaveGroup';
import { roomHref } from '../routes';
import { shortTime } from './time';
import { useDeliveredOnArrival } from './useDeliveredOnArrival';

graphql(`
  fragment ChatListRoom on Room {
    id
    kind
    name
    lastActivityAt
    unreadCount
    members {
      id
      username
      online
      lastSeenAt
    }
    lastMessage {
      id
      body
      createdAt
      deletedAt
      author {
        id
        username
      }
    }
  }
`);

const Rooms = graphql(`
  query ChatListRooms {
    rooms {
      ...ChatListRoom
    }
  }
`);

// Every room of mine. The room's lastActivityAt comes with each message: the cache updates
// the room by id and the list re-sorts, with no second request (client/cache.ts links the
// room's lastMessage and adds one to its unread count). Nothing here depends on who I am,
// so the server executes each new message once for every member's list.
const MessageAdded = graphql(`
  subscription ChatListMessageAdded {
    messageAdded {
      id
      body
      createdAt
      deletedAt
      cursor
      author {
        id
        username
      }
      room {
        id
        lastActivityAt
      }
    }
  }
`);

// Marker moves in every room of mine: mine (here, in another tab, on another device) change
// my unread count. Most moves are other members' (each marks every message it reads), so
// the count is not selected here: it depends on the viewer, and the server would read it
// from the database once per member of the room for every move. Mine read it once instead.
const ReadMarkers = graphql(`
  subscription ChatListReadMarkers {
    readMarkers {
      user {
        id
      }
      room {
        id
      }
    }
  }
`);

const RoomUnread = graphql(`
  query ChatListRoomUnread($id: ID!) {
    room(id: $id) {
      id
      unreadCount
    }
  }
`);

// Online dots: the User entity updates by id everywhere it shows.
const Presence = graphql(`
  subscription ChatListPresence {
    presence {
      id
      online
      lastSeenAt
    }
  }
`);

/** My rooms, most recent activity first, kept live by three subscriptions through the cache. */
export function ChatList(props: { activeRoomId: string | null }) {
  const { user } = useSession();
  const epoch = useConnectionEpoch();
  const [rooms, reexecute] = useQuery({ query: Rooms });
  const [added] = useSubscription({ query: MessageAdded });
  useOwnMarkersRefreshUnread(user.id);
  useSubscription({ query: Presence });

  // Back from a disconnection: what happened meanwhile was not pushed to us; read the list again.
  useEffect(() => {
    if (epoch > 0) reexecute({ requestPolicy: 'network-only' });
  }, [epoch, reexecute]);

  useEffect(() => {
    if (rooms.error) reportError(rooms.error);
  }, [rooms.error]);

  const sorted = useMemo(
    () => [...(rooms.data?.rooms ?? [])].sort((a, b) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt)),
    [rooms.data],
  );

  useUnreadInTitle(sorted);
  useDeliveredOnArrival(sorted, added.data?.messageAdded);

  if (!rooms.data && rooms.fetching) return <div className="chat-list-empty">Loading chats…</div>;
  return (
    <ul className="chat-list" data-testid="chat-list">
      {sorted.length === 0 && <li className="chat-list-empty">No chats yet: find someone by username or create a group.</li>}
      {sorted.map((room) => (
        <ChatItem key={room.id} room={room} meId={user.id} active={room.id === props.activeRoomId} />
      ))}
    </ul>
  );
}

function ChatItem({ room, meId, active }: { room: ChatListRoomFragment; meId: string; active: boolean }) {
  const peer = room.kind === 'DIRECT' ? room.members.find((m) => m.id !== meId) : undefined;
  const title = room.kind === 'DIRECT' ? (peer?.username ?? 'Just you') : (room.name ?? 'Group');
  const last = room.lastMessage;
  const preview = last ? previewOf(last, room.kind, meId) : room.kind === 'GROUP' ? 'No messages yet' : 'Say hi 👋';
  return (
    <li className="chat-row">
      <a
        className={`chat-item${active ? ' active' : ''}`}
        href={roomHref(room.id)}
        data-testid="chat-item"
        data-room-id={room.id}
        data-kind={room.kind}
      >
        <span className={`avatar${room.kind === 'GROUP' ? ' avatar-group' : ''}`} aria-hidden="true">
          {initial(title)}
          {peer?.online && <span className="online-dot" data-testid="chat-online" title="online" />}
        </span>
        <span className="chat-item-main">
          <span className="chat-item-row">
            <span className="chat-title" data-testid="chat-title">
              {title}
            </span>
            <span className="chat-time">{shortTime(room.lastActivityAt)}</span>
          </span>
          <span className="chat-item-row">
            <span className="chat-last-message" data-testid="chat-last-message">
              {preview}
            </span>
            {room.unreadCount > 0 && (
              <span className="chat-unread" data-testid="chat-unread" aria-label={`${room.unreadCount} unread`}>
                {room.unreadCount}
              </span>
            )}
          </span>
        </span>
      </a>
      {room.kind === 'GROUP' && <LeaveGroupButton roomId={room.id} name={title} open={active} />}
    </li>
  );
}

/** "You: …" for mine; in a group, who wrote it; in a private chat, just the text (it can only be the peer). */
function previewOf(last: NonNullable<ChatListRoomFragment['lastMessage']>, kind: ChatListRoomFragment['kind'], meId: string): string {
  const body = last.deletedAt ? 'This message was deleted' : last.body;
  if (last.author.id === meId) return `You: ${body}`;
  return kind === 'GROUP' ? `${last.author.username}: ${body}` : body;
}

/**
 * When my read marker moves in a room, its unread count is read again (graphcache updates
 * the room by id). Every event is seen here, outside React's rendering, so none is merged away.
 */
function useOwnMarkersRefreshUnread(meId: string): void {
  const client = useClient();
  useEffect(() => {
    const { unsubscribe } = client.subscription(ReadMarkers, {}).subscribe((result) => {
      const marker = result.data?.readMarkers;
      if (marker?.user.id !== meId) return;
      void client.query(RoomUnread, { id: marker.room.id }, { requestPolicy: 'network-only' }).toPromise();
    });
    return unsubscribe;
  }, [client, meId]);
}

/** "(3) Chat": the unread total in the tab's title, as chat apps do. */
function useUnreadInTitle(rooms: readonly ChatListRoomFragment[]): void {
  const unread = rooms.reduce((sum, room) => sum + room.unreadCount, 0);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Chat` : 'Chat';
    return () => {
      document.title = 'Chat';
    };
  }, [unread]);
}
