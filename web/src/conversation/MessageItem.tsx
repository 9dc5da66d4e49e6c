import { memo, useState } from 'react';
import { deletedText, isDeleted, reactionEmojis } from './message';
import type { Message, PendingSend } from './messageStore';
import { clockTime } from './relativeTime';

export interface MessageHandlers {
  reply(message: Message): void;
  edit(message: Message): void;
  remove(message: Message): void;
  toggleReaction(message: Message, emoji: string): void;
  retry(send: PendingSend): void;
}

const ticks: Record<Message['status'], string> = { SENT: '✓', DELIVERED: '✓✓', READ: '✓✓' };
const tickLabels: Record<Message['status'], string> = { SENT: 'Sent', DELIVERED: 'Delivered', READ: 'Read' };

/** One stored message: bubble, quote, reactions, ticks and its actions. */
export const MessageItem = memo(function MessageItem({
  message,
  mine,
  showAuthor,
  handlers,
}: {
  message: Message;
  mine: boolean;
  showAuthor: boolean;
  handlers: MessageHandlers;
}) {
  const deleted = isDeleted(message);
  const [picking, setPicking] = useState(false);
  // On a touch screen there is no hover: a tap on the bubble shows its actions.
  const [selected, setSelected] = useState(false);
  const classes = ['conv-message', mine ? 'conv-mine' : 'conv-theirs', deleted && 'conv-deleted', (selected || picking) && 'conv-selected'];
  return (
    <li
      className={classes.filter(Boolean).join(' ')}
      data-testid="message"
      data-message-id={message.id}
      data-mine={String(mine)}
      data-status={mine ? message.status : undefined}
      data-deleted={deleted ? 'true' : undefined}
    >
      <div className="conv-bubble" onClick={() => setSelected(!selected)}>
        <div className={showAuthor ? 'conv-author' : 'conv-author conv-quiet'} data-testid="message-author">
          {message.author.username}
        </div>
        {message.replyTo && !deleted && <ReplyQuote parent={message.replyTo} />}
        <div className="conv-body" data-testid="message-body">
          {deleted ? deletedText : message.body}
        </div>
        <div className="conv-meta">
          {message.editedAt && !deleted && (
            <span className="conv-edited" data-testid="message-edited">
              edited
            </span>
          )}
          <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
          {mine && !deleted && (
            <span className={`conv-ticks conv-${message.status.toLowerCase()}`} data-testid="message-status" title={tickLabels[message.status]}>
              {ticks[message.status]}
            </span>
          )}
        </div>
      </div>
      {!deleted && (
        <div className="conv-footer">
          {message.reactions.map((r) => (
            <button
              type="button"
              key={r.emoji}
              className={r.reactedByMe ? 'conv-reaction conv-reaction-mine' : 'conv-reaction'}
              data-testid="reaction"
              data-emoji={r.emoji}
              data-mine={r.reactedByMe ? 'true' : undefined}
              onClick={() => handlers.toggleReaction(message, r.emoji)}
            >
              {r.emoji} {r.count}
            </button>
          ))}
          <div className="conv-actions">
            <button type="button" data-testid="action-reply" onClick={() => handlers.reply(message)}>
              Reply
            </button>
            <button type="button" data-testid="action-react" onClick={() => setPicking(!picking)}>
              React
            </button>
            {mine && (
              <button type="button" data-testid="action-edit" onClick={() => handlers.edit(message)}>
                Edit
              </button>
            )}
            {mine && (
              <button type="button" data-testid="action-delete" onClick={() => handlers.remove(message)}>
                Delete
              </button>
            )}
          </div>
        </div>
      )}
      {picking && (
        <div className="conv-picker" role="menu">
          {reactionEmojis.map((emoji) => (
            <button
              type="button"
              key={emoji}
              data-testid="emoji-option"
              data-emoji={emoji}
              onClick={() => {
                setPicking(false);
                handlers.toggleReaction(message, emoji);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </li>
  );
});

function ReplyQuote({ parent }: { parent: NonNullable<Message['replyTo']> }) {
  return (
    <blockquote className="conv-quote" data-testid="message-reply-quote">
      <span className="conv-quote-author">{parent.author.username}</span>
      <span className="conv-quote-body">{parent.deletedAt ? deletedText : parent.body}</span>
    </blockquote>
  );
}

/** A send on its way (or failed: tap to retry), shown at once at the end of the list. */
export function PendingItem({ send, handlers }: { send: PendingSend; handlers: MessageHandlers }) {
  if (send.stored) return <MessageItem message={send.stored} mine showAuthor={false} handlers={handlers} />;
  const failed = send.state === 'failed';
  return (
    <li className="conv-message conv-mine conv-pending" data-testid="message" data-mine="true" data-pending="true">
      <div className="conv-bubble">
        {send.replyTo && <ReplyQuote parent={send.replyTo} />}
        <div className="conv-body" data-testid="message-body">
          {send.body}
        </div>
        <div className="conv-meta">
          {failed ? (
            <button type="button" className="conv-retry" data-testid="message-retry" onClick={() => handlers.retry(send)} title={send.error ?? undefined}>
              not sent, tap to retry
            </button>
          ) : (
            <span className="conv-sending" data-testid="message-status">
              sending…
            </span>
          )}
        </div>
      </div>
    </li>
  );
}
