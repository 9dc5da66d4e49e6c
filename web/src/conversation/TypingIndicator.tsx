import { typingText, useTypingUsers } from './useTyping';

/** Always rendered (a fixed-height line), so the list does not jump when someone starts typing. */
export function TypingIndicator({ roomId }: { roomId: string }) {
  const text = typingText(useTypingUsers(roomId));
  return (
    <div className="conv-typing" aria-live="polite">
      {text && <span data-testid="typing-indicator">{text}</span>}
    </div>
  );
}
