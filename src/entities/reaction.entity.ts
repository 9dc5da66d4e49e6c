import { EntitySchema } from '@mikro-orm/core';
import { Message } from './message.entity';
import { User } from './user.entity';

/** One user's reaction with one emoji on one message; the primary key makes adding it idempotent. */
export class MessageReaction {
  message!: Message;
  emoji!: string;
  user!: User;
  createdAt!: Date;
}

export const MessageReactionSchema = new EntitySchema<MessageReaction>({
  class: MessageReaction,
  tableName: 'message_reactions',
  properties: {
    message: { kind: 'm:1', entity: () => Message, primary: true, deleteRule: 'cascade' },
    emoji: { type: 'string', length: 64, primary: true },
    user: { kind: 'm:1', entity: () => User, primary: true, index: 'message_reactions_user_id_index' },
    createdAt: { type: 'datetime', length: 3 },
  },
});
