import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useClient } from 'urql';
import { reportError } from '../client/errors';
import { useConnectionEpoch } from '../client/connection';
import { ConversationEventsSubscription, ConversationHistoryQuery } from './documents';
import { conversationReducer, emptyConversation, type ConversationAction, type ConversationState, type HistoryPage } from './messageStore';
import { asMessage } from './message';

export const pageSize = 30;
const recheckEmptyRoomMs = 1500;

export interface Conversation {
  readonly state: ConversationState;
  readonly dispatch: (action: ConversationAction) => void;
  readonly loadingOlder: boolean;
  loadOlder(): void;
}

/**
 * History and live changes of one room: the newest page first, then `roomEvents` from the
 * newest cursor held. When the socket comes back (`useConnectionEpoch`) the subscription is
 * started again from the last cursor received, so nothing is missed; the reducer dedupes by id,
 * so a replayed event doubles nothing.
 */
export function useConversation(roomId: string): Conversation {
  const client = useClient();
  const [state, dispatch] = useReducer(conversationReducer, emptyConversation);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;
  const epoch = useConnectionEpoch();

  useEffect(() => {
    let cancelled = false;
    void fetchPage(client, roomId, null).then((page) => {
      if (!cancelled && page) dispatch({ type: 'newestPage', page });
    });
    return () => {
      cancelled = true;
    };
  }, [client, roomId]);

  useEffect(() => {
    if (!state.loaded) return;
    // Read the cursor from the ref: a new cursor must not restart the subscription, only a reconnect.
    const after = stateRef.current.resumeCursor ?? undefined;
    const subscription = client
      .subscription(ConversationEventsSubscription, { roomId, after })
      .subscribe((result) => {
        if (result.error) {
          reportError(result.error);
          return;
        }
        const event = result.data?.roomEvents;
        if (event) dispatch({ type: 'event', kind: event.kind, cursor: event.cursor, message: asMessage(event.message) });
      });
    // With no cursor (an empty room) the stream starts at "now": a message sent between the
    // history read and the subscription's start would be in neither. Read the page once more.
    const recheck =
      after === undefined
        ? setTimeout(() => void fetchPage(client, roomId, null).then((page) => page && dispatch({ type: 'newestPage', page })), recheckEmptyRoomMs)
        : undefined;
    return () => {
      clearTimeout(recheck);
      subscription.unsubscribe();
    };
  }, [client, roomId, state.loaded, epoch]);

  const loadOlder = useCallback(() => {
    const { hasOlder, oldestCursor } = stateRef.current;
    if (!hasOlder || loadingOlder) return;
    setLoadingOlder(true);
    void fetchPage(client, roomId, oldestCursor).then((page) => {
      setLoadingOlder(false);
      if (page) dispatch({ type: 'olderPage', page });
    });
  }, [client, roomId, loadingOlder]);

  return { state, dispatch, loadingOlder, loadOlder };
}

/** One page of history ending before `before` (the newest page when null), or null after reporting the error. */
async function fetchPage(client: ReturnType<typeof useClient>, roomId: string, before: string | null): Promise<HistoryPage | null> {
  const result = await client
    .query(ConversationHistoryQuery, { roomId, last: pageSize, before }, { requestPolicy: 'network-only' })
    .toPromise();
  if (result.error || !result.data) {
    reportError(result.error ?? new Error('The history could not be read.'));
    return null;
  }
  const { edges, pageInfo } = result.data.messages;
  return {
    messages: edges.map((edge) => asMessage(edge.node)),
    hasPreviousPage: pageInfo.hasPreviousPage,
    startCursor: pageInfo.startCursor ?? null,
    endCursor: pageInfo.endCursor ?? null,
  };
}
