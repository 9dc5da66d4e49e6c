import { useCallback, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { describeError } from '../client/errors';
import { useSession } from '../client/session';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { ConversationRoomQuery } from './documents';
import type { MessageHandlers } from './MessageItem';
import { MessageList } from './MessageList';
import { orderedMessages, type Message } from './messageStore';
import { TypingIndicator } from './TypingIndicator';
import { useConversation } from './useConversation';
import { useMarks } from './useMarks';
import { useMessageActions } from './useMessageActions';
import { useStatusRefresh } from './useStatusRefresh';
import { useTypingSender } from './useTyping';
import './conversation.css';

/** One room: header, history with live changes, typing line and composer. */
export function ConversationScreen({ roomId, onBack }: { roomId: string; onBack: () => void }) {
  // A new room is a new conversation: remounting resets every piece of state at once.
  return <Conversation key={roomId} roomId={roomId} onBack={onBack} />;
}

function Conversation({ roomId, onBack }: { roomId: string; onBack: () => void }) {
  const { user } = useSession();
  const [roomResult] = useQuery({ query: ConversationRoomQuery, variables: { id: roomId }, requestPolicy: 'cache-and-network' });
  const room = roomResult.data?.room ?? null;
  const { state, dispatch, loadingOlder, loadOlder } = useConversation(roomId);
  const messages = useMemo(() => orderedMessages(state), [state]);
  const listRef = useRef<HTMLDivElement>(null);
  const actions = useMessageActions(roomId, dispatch);
  const typing = useTypingSender(roomId);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [editing, setEditing] = useState<Message | null>(null);
  useMarks(listRef, messages, user.id);
  useStatusRefresh(roomId, messages, user.id, dispatch);

  const handlers: MessageHandlers = useMemo(
    () => ({
      reply: (message) => {
        setEditing(null);
        setReplyTo(message);
      },
      edit: (message) => {
        setReplyTo(null);
        setEditing(message);
      },
      remove: actions.remove,
      toggleReaction: actions.toggleReaction,
      retry: actions.retry,
    }),
    [actions],
  );

  const cancel = useCallback(() => {
    setReplyTo(null);
    setEditing(null);
  }, []);

  const send = (body: string) => {
    actions.send(body, replyTo);
    setReplyTo(null);
  };

  const saveEdit = async (body: string) => {
    if (!editing) return false;
    const saved = body === editing.body || (await actions.edit(editing, body));
    if (saved) setEditing(null);
    return saved;
  };

  if (roomResult.error && !room) {
    return (
      <section className="conversation" data-testid="conversation" data-room-id={roomId}>
        <ConversationHeader room={null} myId={user.id} onBack={onBack} />
        <p className="conv-error">This conversation cannot be opened: {describeError(roomResult.error)}</p>
      </section>
    );
  }

  return (
    <section className="conversation" data-testid="conversation" data-room-id={roomId}>
      <ConversationHeader room={room} myId={user.id} onBack={onBack} />
      <MessageList
        listRef={listRef}
        messages={messages}
        pending={state.pending}
        myId={user.id}
        isGroup={room?.kind === 'GROUP'}
        loaded={state.loaded}
        hasOlder={state.hasOlder}
        loadingOlder={loadingOlder}
        loadOlder={loadOlder}
        handlers={handlers}
      />
      <TypingIndicator roomId={roomId} />
      <Composer
        replyTo={replyTo}
        editing={editing}
        onCancel={cancel}
        onSend={send}
        onSaveEdit={saveEdit}
        onDraftChange={typing.draftChanged}
        onStopTyping={typing.stopped}
      />
    </section>
  );
}
