import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useClient } from 'urql';
import { reportError } from '../client/errors';
import { useConnectionEpoch } from '../client/connection';
import { ConversationEventsSubscription, ConversationHistoryQuery } from './documents';
import { conversationReducer, emptyConversation, type ConversationAction, type ConversationState, type HistoryPage } from './messageStore';
import { follow } from './follow';

export const pageSize = 30;
const recheckEmptyRoomMs = 1500;
const restartDelayMs = 1000;
const retryDelayMs = 3000;

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
 * so a replayed event doubles nothing. A stream the API ends is started again the same way.
 */
export function useConversation(roomId: string): Conversation {
  const client = useClient();
  const [state, dispatch] = useReducer(conversationReducer, emptyConversation);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;
  const epoch = useConnectionEpoch();

  // The first page: read again after a while when the network failed (a refusal is final).
  const [firstPageAttempt, setFirstPageAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    void fetchPage(client, roomId, null).then((page) => {
      if (cancelled) return;
      if (page === 'retry') retry = setTimeout(() => setFirstPageAttempt((n) => n + 1), retryDelayMs);
      else if (page) dispatch({ type: 'newestPage', page });
    });
    return () => {
      cancelled = true;
      clearTimeout(retry);
    };
  }, [client, roomId, firstPageAttempt]);

  // Bumped when the API ends the stream (it could no longer follow it): start again from the last cursor.
  const [restarts, setRestarts] = useState(0);

  useEffect(() => {
    if (!state.loaded) return;
    // Read the cursor from the ref: a new cursor must not restart the subscription, only a reconnect.
    const after = stateRef.current.resumeCursor ?? undefined;
    let refused = false;
    let restart: ReturnType<typeof setTimeout> | undefined;
    const stop = follow(
      client.subscription(ConversationEventsSubscription, { roomId, after }),
      (result) => {
        if (result.error) {
          refused = true;
          reportError(result.error);
          return;
        }
        const event = result.data?.roomEvents;
        if (event) dispatch({ type: 'event', kind: event.kind, cursor: event.cursor, message: event.message });
      },
      () => {
        // A refusal (e.g. FORBIDDEN after leaving) ends it too: that one is not retried.
        if (!refused) restart = setTimeout(() => setRestarts((n) => n + 1), restartDelayMs);
      },
    );
    // With no cursor (an empty room) the stream starts at "now": a message sent between the
    // history read and the subscription's start would be in neither. Read the page once more.
    const recheck =
      after === undefined
        ? setTimeout(() => void fetchPage(client, roomId, null).then((page) => page && page !== 'retry' && dispatch({ type: 'newestPage', page })), recheckEmptyRoomMs)
        : undefined;
    return () => {
      clearTimeout(recheck);
      clearTimeout(restart);
      stop();
    };
  }, [client, roomId, state.loaded, epoch, restarts]);

  const loadOlder = useCallback(() => {
    const { hasOlder, oldestCursor } = stateRef.current;
    if (!hasOlder || loadingOlder) return;
    setLoadingOlder(true);
    void fetchPage(client, roomId, oldestCursor).then((page) => {
      if (page && page !== 'retry') dispatch({ type: 'olderPage', page });
      // After a failure, wait before the sentinel (still in view) may ask again.
      if (page && page !== 'retry') setLoadingOlder(false);
      else setTimeout(() => setLoadingOlder(false), retryDelayMs);
    });
  }, [client, roomId, loadingOlder]);

  return { state, dispatch, loadingOlder, loadOlder };
}

/**
 * One page of history ending before `before` (the newest page when null). On an error: reported,
 * then 'retry' when the network failed (worth another try), null when the API refused.
 */
async function fetchPage(client: ReturnType<typeof useClient>, roomId: string, before: string | null): Promise<HistoryPage | 'retry' | null> {
  const result = await client
    .query(ConversationHistoryQuery, { roomId, last: pageSize, before }, { requestPolicy: 'network-only' })
    .toPromise();
  if (result.error || !result.data) {
    reportError(result.error ?? new Error('The history could not be read.'));
    return result.error?.networkError ? 'retry' : null;
  }
  const { edges, pageInfo } = result.data.messages;
  return {
    messages: edges.map((edge) => edge.node),
    hasPreviousPage: pageInfo.hasPreviousPage,
    startCursor: pageInfo.startCursor ?? null,
    endCursor: pageInfo.endCursor ?? null,
  };
}
