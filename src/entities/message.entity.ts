import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { Room } from './room.entity';
import { User } from './user.entity';

/** A stored chat message; `seq` orders it within its room (see Room.lastSeq). */
export class Message {
  id!: string;
  room!: Room;
  author!: User;
  seq!: number;
  body!: string;
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
    body: { type: 'text' },
    createdAt: { type: 'datetime', length: 3 },
  },
  // History pages read (room_id, seq) ranges: this unique index is that access path.
  uniques: [{ name: 'messages_room_id_seq_unique', properties: ['room', 'seq'] }],
});
