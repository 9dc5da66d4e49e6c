import { useEffect, useRef, type RefObject } from 'react';
import { useMutation } from 'urql';
import { MarkDeliveredMutation, MarkReadMutation } from './documents';
import type { Message } from './messageStore';

/** Marks wait this long so a burst of arrivals or a scroll costs one call. */
const coalesceMs = 400;

/**
 * Moves my markers as messages of others arrive and are seen: `markDelivered(newest received)`
 * whenever such messages are held, `markRead(newest visible)` when the page is visible and the
 * message is in the list's viewport. Both only ever go forward (the API ignores a step back,
 * but the call would be wasted), and each burst is coalesced into one call.
 */
export function useMarks(listRef: RefObject<HTMLElement | null>, messages: readonly Message[], myId: string): void {
  const [, markRead] = useMutation(MarkReadMutation);
  const [, markDelivered] = useMutation(MarkDeliveredMutation);
  const marked = useRef({ read: null as string | null, delivered: null as string | null });
  const visible = useRef(new Set<string>());
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flushRef = useRef(() => {});
  flushRef.current = () => {
    const list = messagesRef.current;
    const position = (id: string | null) => (id === null ? -1 : list.findIndex((m) => m.id === id));
    const newestOthers = findLastIndex(list, (m) => m.author.id !== myId);
    const newestSeen = document.visibilityState === 'visible' ? findLastIndex(list, (m) => m.author.id !== myId && visible.current.has(m.id)) : -1;
    if (newestSeen > position(marked.current.read)) {
      marked.current.read = list[newestSeen].id;
      if (newestSeen >= position(marked.current.delivered)) marked.current.delivered = list[newestSeen].id;
      void markRead({ messageId: list[newestSeen].id });
    }
    if (newestOthers > position(marked.current.delivered)) {
      marked.current.delivered = list[newestOthers].id;
      void markDelivered({ messageId: list[newestOthers].id });
    }
  };

  const scheduleRef = useRef(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => flushRef.current(), coalesceMs);
  });

  // Which messages of others are on screen; re-observed when the list changes.
  useEffect(() => {
    const root = listRef.current;
    if (!root) return;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.messageId;
          if (!id) continue;
          if (entry.isIntersecting) visible.current.add(id);
          else visible.current.delete(id);
        }
        scheduleRef.current();
      },
      { root, threshold: 0.5 },
    );
    root.querySelectorAll<HTMLElement>('[data-testid="message"][data-mine="false"]').forEach((el) => observer.observe(el));
    scheduleRef.current();
    return () => observer.disconnect();
  }, [listRef, messages]);

  useEffect(() => {
    const onVisibility = () => scheduleRef.current();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      clearTimeout(timer.current);
    };
  }, []);
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}
