/** Stub from the shell's first commit: the conversation engineer (branch web-conv) writes the screen. */
export function ConversationScreen(props: { roomId: string; onBack: () => void }) {
  return (
    <section className="conversation" data-testid="conversation" data-room-id={props.roomId}>
      <header className="conversation-header">
        <button type="button" className="back" data-testid="back" onClick={props.onBack} aria-label="Back">
          ‹
        </button>
        <h2 data-testid="conversation-title">Conversation</h2>
      </header>
      <div className="conversation-body" data-testid="message-list" />
    </section>
  );
}
