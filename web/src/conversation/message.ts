import type { Message } from './messageStore';

export function isDeleted(message: Message): boolean {
  return message.deletedAt != null;
}

export const deletedText = 'This message was deleted';

export const reactionEmojis = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;
