import { useEffect, useRef } from 'react';
import { useMutation } from 'urql';
import { reportError } from '../client/errors';
import { navigate, roomHref } from '../routes';
import { JoinRoom } from './GroupForms';

/** `#/join/<roomId>` (an invite link): join the group once, then open it. */
export function JoinByLink(props: { roomId: string }) {
  const [, joinRoom] = useMutation(JoinRoom);
  const started = useRef<string | null>(null);
  useEffect(() => {
    // Once per link, even when React runs effects twice (StrictMode).
    if (started.current === props.roomId) return;
    started.current = props.roomId;
    joinRoom({ roomId: props.roomId }).then((result) => {
      if (result.error) {
        reportError(result.error);
        navigate('#/');
      } else if (result.data) navigate(roomHref(result.data.joinRoom.id));
    });
  }, [props.roomId, joinRoom]);
  return <div className="empty-conversation">Joining the group…</div>;
}
