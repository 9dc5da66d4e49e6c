import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { Message } from './message.entity';
import { Room } from './room.entity';

/** The kinds of change a room_events row records; MESSAGE_ADDED is the message row itself. */
export enum RoomEventKind {
  MessageEdited = 'MESSAGE_EDITED',
  MessageDeleted = 'MESSAGE_DELETED',
  ReactionsChanged = 'REACTIONS_CHANGED',
}

/**
 * One change to a message after it was added, at the next position of its room's log
 * (taken from Room.lastSeq in the transaction that makes the change). Together with the
 * messages themselves (MESSAGE_ADDED at Message.seq) these rows are the room's log.
 */
export class RoomEvent {
  room!: Room;
  seq!: number;
  kind!: RoomEventKind;
  message!: Message;
  createdAt!: Date;
}

export const RoomEventSchema = new EntitySchema<RoomEvent>({
  class: RoomEvent,
  tableName: 'room_events',
  properties: {
    room: { kind: 'm:1', entity: () => Room, primary: true, deleteRule: 'cascade' },
    seq: { type: new BigIntType('number'), primary: true },
    kind: { enum: true, items: () => RoomEventKind, nativeEnumName: undefined },
    message: { kind: 'm:1', entity: () => Message, deleteRule: 'cascade', index: 'room_events_message_id_index' },
    createdAt: { type: 'datetime', length: 3 },
  },
});
