import { useEffect, useRef } from 'react';
import { useDeliveredMarks } from '../conversation/useDeliveredMarks';

type Arrived = { id: string; author: { id: string } };
type ListedRoom = { id: string; unreadCount: number; lastMessage?: Arrived | null };

/**
 * Ticks go to "delivered" when a message reaches this device, not when its chat is opened:
 * each room's newest message when the list loads or changes (what arrived while we were
 * offline), and each live one. Each message is marked once per page (a ref remembers it);
 * useDeliveredMarks skips my own and coalesces bursts per room.
 */
export function useDeliveredOnArrival(rooms: readonly ListedRoom[], live: (Arrived & { room: { id: string } }) | undefined): void {
  const delivered = useDeliveredMarks();
  const marked = useRef(new Map<string, string>());

  useEffect(() => {
    const mark = (roomId: string, message: Arrived) => {
      if (marked.current.get(roomId) === message.id) return;
      marked.current.set(roomId, message.id);
      delivered(roomId, message);
    };
    for (const room of rooms) if (room.lastMessage && room.unreadCount > 0) mark(room.id, room.lastMessage);
    if (live) mark(live.room.id, live);
  }, [rooms, live, delivered]);
}
