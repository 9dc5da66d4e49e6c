import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { deletedText } from './message';
import type { Message } from './messageStore';

export interface ComposerProps {
  replyTo: Message | null;
  editing: Message | null;
  onCancel(): void;
  onSend(body: string): void;
  onSaveEdit(body: string): Promise<boolean>;
  onDraftChange(text: string): void;
  onStopTyping(): void;
}

/** Enter sends (or saves an edit), Shift+Enter starts a new line, Escape cancels a reply or an edit. */
export function Composer({ replyTo, editing, onCancel, onSend, onSaveEdit, onDraftChange, onStopTyping }: ComposerProps) {
  const [draft, setDraft] = useState('');
  const inputRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (editing) setDraft(editing.body);
    if (editing || replyTo) inputRef.current?.focus();
  }, [editing, replyTo]);

  const submit = async () => {
    const body = draft.trim();
    if (body === '') return;
    onStopTyping();
    if (editing) {
      if (await onSaveEdit(body)) setDraft('');
      return;
    }
    onSend(body);
    setDraft('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && (editing || replyTo)) {
      cancel();
    }
  };

  const cancel = () => {
    if (editing) setDraft('');
    onCancel();
  };

  return (
    <div className="conv-composer">
      {replyTo && !editing && (
        <div className="conv-composer-context" data-testid="composer-reply-preview">
          <div className="conv-quote">
            <span className="conv-quote-author">Replying to {replyTo.author.username}</span>
            <span className="conv-quote-body">{replyTo.deletedAt ? deletedText : replyTo.body}</span>
          </div>
          <button type="button" data-testid="composer-cancel" onClick={cancel} aria-label="Cancel reply">
            ✕
          </button>
        </div>
      )}
      {editing && (
        <div className="conv-composer-context" data-testid="composer-editing">
          <div className="conv-quote">
            <span className="conv-quote-author">Editing message</span>
            <span className="conv-quote-body">{editing.body}</span>
          </div>
          <button type="button" data-testid="composer-cancel" onClick={cancel} aria-label="Cancel edit">
            ✕
          </button>
        </div>
      )}
      <div className="conv-composer-row">
        <textarea
          ref={inputRef}
          data-testid="composer-input"
          className="conv-input"
          rows={1}
          placeholder="Message"
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            if (!editing) onDraftChange(e.target.value);
          }}
          onKeyDown={onKeyDown}
          onBlur={onStopTyping}
        />
        <button type="button" className="conv-send" data-testid="composer-send" onClick={() => void submit()} disabled={draft.trim() === ''}>
          {editing ? 'Save' : 'Send'}
        </button>
      </div>
    </div>
  );
}
