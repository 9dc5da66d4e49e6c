import type { Message } from './messageStore';

/** A message as the documents return it (the ConversationMessage fragment, unmasked). */
export function asMessage(message: Message): Message {
  return message;
}

export function isDeleted(message: Message): boolean {
  return message.deletedAt != null;
}

export const deletedText = 'This message was deleted';

export const reactionEmojis = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;
