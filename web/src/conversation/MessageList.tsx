import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { MessageItem, PendingItem, type MessageHandlers } from './MessageItem';
import type { Message, PendingSend } from './messageStore';

/** Within this many pixels of the bottom, new messages keep the list pinned to the bottom. */
const pinSlackPx = 80;

export interface MessageListProps {
  listRef: RefObject<HTMLDivElement | null>;
  messages: readonly Message[];
  pending: readonly PendingSend[];
  myId: string;
  isGroup: boolean;
  loaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder(): void;
  handlers: MessageHandlers;
}

/**
 * The scroller. Older pages load when the sentinel at the top scrolls into view; a prepended
 * page keeps what the reader sees in place (the scroll offset grows by the height added).
 * New messages at the bottom keep the list pinned there when it was at the bottom already.
 */
export function MessageList(props: MessageListProps) {
  const { listRef, messages, pending, myId, isGroup, loaded, hasOlder, loadingOlder, loadOlder, handlers } = props;
  const sentinelRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const previous = useRef({ firstId: null as string | null, scrollHeight: 0 });

  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const firstId = messages[0]?.id ?? null;
    const prepended = previous.current.firstId !== null && firstId !== previous.current.firstId;
    if (prepended) list.scrollTop += list.scrollHeight - previous.current.scrollHeight;
    else if (pinned.current) list.scrollTop = list.scrollHeight;
    previous.current = { firstId, scrollHeight: list.scrollHeight };
  }, [listRef, messages, pending]);

  // My own send always scrolls to it, wherever the reader was.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && pending.length > 0) {
      list.scrollTop = list.scrollHeight;
      pinned.current = true;
    }
  }, [listRef, pending.length]);

  useEffect(() => {
    const list = listRef.current;
    const sentinel = sentinelRef.current;
    if (!list || !sentinel || !loaded || !hasOlder) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadOlder(), {
      root: list,
      rootMargin: '200px 0px 0px 0px',
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [listRef, loaded, hasOlder, loadOlder]);

  const onScroll = () => {
    const list = listRef.current;
    if (list) pinned.current = list.scrollHeight - list.scrollTop - list.clientHeight < pinSlackPx;
  };

  return (
    <div className="conv-list" data-testid="message-list" ref={listRef} onScroll={onScroll}>
      <div ref={sentinelRef} className="conv-sentinel" />
      {(loadingOlder || !loaded) && (
        <div className="conv-loading" data-testid="history-loading">
          Loading…
        </div>
      )}
      {loaded && !hasOlder && messages.length === 0 && pending.length === 0 && <div className="conv-empty">No messages yet: say hello.</div>}
      <ol className="conv-messages">
        {messages.map((message) => {
          const mine = message.author.id === myId;
          return <MessageItem key={message.id} message={message} mine={mine} showAuthor={isGroup && !mine} handlers={handlers} />;
        })}
        {pending.map((send) => (
          <PendingItem key={send.clientMessageId} send={send} handlers={handlers} />
        ))}
      </ol>
    </div>
  );
}
