import { useCallback, useEffect, useRef } from 'react';
import { useMutation } from 'urql';
import { useSession } from '../client/session';
import { MarkDeliveredMutation } from './documents';

const coalesceMs = 250;

/**
 * For rooms that are not open (the conversation screen marks its own room): returns
 * `delivered(roomId, message)`, to call when a message reaches this device, e.g. from the chat
 * list's `messageAdded` (in an effect on its result), or each room's `lastMessage` when the list
 * loads. Messages of mine are ignored; per room, a burst costs one `markDelivered` of the last
 * message given (the API never moves a marker back, so an older one is harmless).
 */
export function useDeliveredMarks(): (roomId: string, message: { id: string; author: { id: string } }) => void {
  const { user } = useSession();
  const [, markDelivered] = useMutation(MarkDeliveredMutation);
  const pending = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const timers = pending.current;
    return () => timers.forEach((timer) => clearTimeout(timer));
  }, []);

  return useCallback(
    (roomId, message) => {
      if (message.author.id === user.id) return;
      clearTimeout(pending.current.get(roomId));
      const timer = setTimeout(() => {
        pending.current.delete(roomId);
        void markDelivered({ messageId: message.id });
      }, coalesceMs);
      pending.current.set(roomId, timer);
    },
    [user.id, markDelivered],
  );
}
