import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { Room } from './room.entity';
import { User } from './user.entity';

/**
 * A stored chat message; `seq` is the position of its MESSAGE_ADDED event in its room's
 * log (see Room.lastSeq and RoomEvent). A deleted message stays as a tombstone: empty
 * body, `deletedAt` set, no reactions.
 */
export class Message {
  id!: string;
  room!: Room;
  author!: User;
  seq!: number;
  /** Its number among its room's messages (1, 2, …): unread counts subtract ordinals. */
  ordinal!: number;
  body!: string;
  /** The sender's idempotency key: unique per author. */
  clientMessageId!: string | null;
  replyTo!: Message | null;
  editedAt!: Date | null;
  deletedAt!: Date | null;
  createdAt!: Date;
}

export const MessageSchema = new EntitySchema<Message>({
  class: Message,
  tableName: 'messages',
  properties: {
    id: { type: 'uuid', primary: true },
    room: { kind: 'm:1', entity: () => Room, deleteRule: 'cascade' },
    author: { kind: 'm:1', entity: () => User, index: 'messages_author_id_index' },
    seq: { type: new BigIntType('number') },
    ordinal: { type: new BigIntType('number') },
    body: { type: 'text' },
    clientMessageId: { type: 'string', length: 64, nullable: true },
    replyTo: { kind: 'm:1', entity: () => Message, nullable: true, deleteRule: 'set null', index: 'messages_reply_to_id_index' },
    editedAt: { type: 'datetime', length: 3, nullable: true },
    deletedAt: { type: 'datetime', length: 3, nullable: true },
    createdAt: { type: 'datetime', length: 3 },
  },
  indexes: [
    {
      // Unread counts subtract the tombstones after a marker: few, so a partial index finds them.
      name: 'messages_tombstones_index',
      expression: 'create index "messages_tombstones_index" on "messages" ("room_id", "seq") where "deleted_at" is not null',
    },
  ],
  uniques: [
    // History pages and the event log read (room_id, seq) ranges: this unique index is that access path.
    { name: 'messages_room_id_seq_unique', properties: ['room', 'seq'] },
    // Idempotent send: a retry finds the message first stored under its key, on any process.
    { name: 'messages_author_id_client_message_id_unique', properties: ['author', 'clientMessageId'] },
  ],
});
