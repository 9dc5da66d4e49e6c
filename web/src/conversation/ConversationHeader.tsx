import { useEffect, useState } from 'react';
import { useSubscription } from 'urql';
import type { ConversationRoomQuery as RoomData } from '../gql/graphql';
import { ConversationPresenceSubscription } from './documents';
import { relativeTime } from './relativeTime';

type Room = NonNullable<RoomData['room']>;
type Member = Room['members'][number];

export function ConversationHeader({ room, myId, onBack }: { room: Room | null; myId: string; onBack: () => void }) {
  const peer = room?.kind === 'DIRECT' ? (room.members.find((m) => m.id !== myId) ?? null) : null;
  const title = room ? (room.kind === 'GROUP' ? room.name : peer?.username) : '';
  return (
    <header className="conv-header">
      <button type="button" className="conv-back" data-testid="back" onClick={onBack} aria-label="Back to chats">
        ‹
      </button>
      <div className="conv-header-text">
        <h2 className="conv-title" data-testid="conversation-title">
          {title ?? '…'}
        </h2>
        {peer && <PeerPresence peer={peer} />}
        {room?.kind === 'GROUP' && <InviteLink roomId={room.id} />}
      </div>
    </header>
  );
}

/**
 * "online" or "last seen 5 minutes ago". The `presence` subscription's users land in graphcache
 * as User entities, so the room query holding this member re-renders with the new fields: no
 * local copy to keep in step. A tick every 30 s keeps the relative time current.
 */
function PeerPresence({ peer }: { peer: Member }) {
  useSubscription({ query: ConversationPresenceSubscription });
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const text = peer.online ? 'online' : peer.lastSeenAt ? `last seen ${relativeTime(peer.lastSeenAt, now)}` : 'offline';
  return (
    <div className={peer.online ? 'conv-presence conv-online' : 'conv-presence'} data-testid="conversation-presence">
      {text}
    </div>
  );
}

function InviteLink({ roomId }: { roomId: string }) {
  const href = `${location.origin}${location.pathname}#/join/${encodeURIComponent(roomId)}`;
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(href).then(() => setCopied(true));
  };
  return (
    <div className="conv-invite">
      <a data-testid="invite-link" href={href}>
        {href}
      </a>
      <button type="button" className="conv-copy" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
