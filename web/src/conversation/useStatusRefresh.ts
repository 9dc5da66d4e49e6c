import { useEffect, useRef } from 'react';
import { useClient } from 'urql';
import { useConnectionEpoch } from '../client/connection';
import { ConversationMarkersSubscription, ConversationStatusesQuery } from './documents';
import type { ConversationAction, Message } from './messageStore';

const coalesceMs = 300;

/**
 * Keeps the ticks of my messages live. When another member's marker moves
 * (`readMarkers(roomId)`), the statuses of my messages not yet READ are read again from the
 * API, from the oldest such message on, one query per burst.
 *
 * WHY refetch rather than recompute: `Message.status` is the minimum over every other member's
 * markers, and cursors are opaque, so recomputing it here would need every member's markers and
 * positions the client cannot compare. One small query (ids and statuses only) gives the
 * API's own answer.
 */
export function useStatusRefresh(
  roomId: string,
  messages: readonly Message[],
  myId: string,
  dispatch: (action: ConversationAction) => void,
): void {
  const client = useClient();
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  // A marker can move before my own message's live event arrives (its status then is stale):
  // stay dirty until a refresh has had one of my unread messages to look at.
  const dirty = useRef(false);
  const schedule = useRef<() => void>(() => {});

  useEffect(() => {
    if (dirty.current) schedule.current();
  }, [messages]);

  // Marker moves published while the socket was down are not replayed: read the ticks again.
  const epoch = useConnectionEpoch();
  useEffect(() => {
    if (epoch === 0) return;
    dirty.current = true;
    schedule.current();
  }, [epoch]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      const list = messagesRef.current;
      const oldest = list.findIndex((m) => m.author.id === myId && m.status !== 'READ');
      if (oldest < 0) return;
      dirty.current = false;
      // `after` is exclusive: start after the message before it (or read the newest 100).
      const stretch = oldest > 0 ? { after: list[oldest - 1].cursor, first: 100 } : { last: 100 };
      const result = await client.query(ConversationStatusesQuery, { roomId, ...stretch }, { requestPolicy: 'network-only' }).toPromise();
      const edges = result.data?.messages.edges ?? [];
      dispatch({ type: 'statuses', statuses: edges.map((e) => ({ id: e.node.id, status: e.node.status })) });
    };
    schedule.current = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), coalesceMs);
    };
    const subscription = client.subscription(ConversationMarkersSubscription, { roomId }).subscribe((result) => {
      const marker = result.data?.readMarkers;
      if (!marker || marker.user.id === myId) return;
      dirty.current = true;
      schedule.current();
    });
    return () => {
      clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [client, roomId, myId, dispatch]);
}
