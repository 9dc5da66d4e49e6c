import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient, useMutation } from 'urql';
import { SetTypingMutation, ConversationTypingSubscription } from './documents';

/** The API ends a `true` after about 6 s; refreshing every 2.5 s keeps it on while the user types. */
const refreshEveryMs = 2500;
/** In case the server's `false` is lost with a dropped socket. */
const localExpiryMs = 8000;

/**
 * Tells the room while the user types: `true` at most every 2.5 s while the draft is not empty,
 * `false` once on send, blur or an emptied draft. Failures are ignored on purpose: a lost typing
 * signal is harmless and a banner for it would only distract.
 */
export function useTypingSender(roomId: string): { draftChanged(text: string): void; stopped(): void } {
  const [, setTypingNow] = useMutation(SetTypingMutation);
  const lastTrueAt = useRef(0);
  // One at a time, in order: a `false` overtaking its `true` over HTTP would leave the others
  // seeing "typing…" until the server's timeout.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const setTyping = useCallback(
    (variables: { roomId: string; isTyping: boolean }) => {
      queue.current = queue.current.then(() => setTypingNow(variables));
      return queue.current;
    },
    [setTypingNow],
  );

  const stopped = useCallback(() => {
    if (lastTrueAt.current === 0) return;
    lastTrueAt.current = 0;
    void setTyping({ roomId, isTyping: false });
  }, [roomId, setTyping]);

  const draftChanged = useCallback(
    (text: string) => {
      if (text.trim() === '') return stopped();
      const now = Date.now();
      if (now - lastTrueAt.current < refreshEveryMs) return;
      lastTrueAt.current = now;
      void setTyping({ roomId, isTyping: true });
    },
    [roomId, setTyping, stopped],
  );

  useEffect(() => stopped, [stopped]);
  return { draftChanged, stopped };
}

/** Usernames of the other members typing now, in the order they started. */
export function useTypingUsers(roomId: string): string[] {
  const [typists, setTypists] = useState<ReadonlyMap<string, string>>(new Map());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const forget = useCallback((userId: string) => {
    clearTimeout(timers.current.get(userId));
    timers.current.delete(userId);
    setTypists((current) => {
      if (!current.has(userId)) return current;
      const next = new Map(current);
      next.delete(userId);
      return next;
    });
  }, []);

  const client = useClient();
  useEffect(() => {
    // Imperative, not useSubscription: each event starts or clears a timer, a side effect
    // that does not belong in useSubscription's reducer-like handler.
    const subscription = client.subscription(ConversationTypingSubscription, { roomId }).subscribe((result) => {
      const event = result.data?.typing;
      if (!event) return;
      if (!event.isTyping) return forget(event.user.id);
      const { id, username } = event.user;
      clearTimeout(timers.current.get(id));
      timers.current.set(id, setTimeout(() => forget(id), localExpiryMs));
      setTypists((current) => (current.get(id) === username ? current : new Map(current).set(id, username)));
    });
    return () => subscription.unsubscribe();
  }, [client, roomId, forget]);

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  return [...typists.values()];
}

/** "alice is typing…", "alice and bob are typing…", "alice, bob and carol are typing…". */
export function typingText(usernames: readonly string[]): string {
  if (usernames.length === 0) return '';
  if (usernames.length === 1) return `${usernames[0]} is typing…`;
  const names = `${usernames.slice(0, -1).join(', ')} and ${usernames[usernames.length - 1]}`;
  return `${names} are typing…`;
}
