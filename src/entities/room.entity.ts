import { BigIntType, EntitySchema } from '@mikro-orm/core';

export enum RoomKind {
  Group = 'GROUP',
  Direct = 'DIRECT',
}

/**
 * A GROUP room (named; users join and leave) or a DIRECT conversation of two users.
 * `lastSeq` is the last position of the room's event log (its messages and every later
 * change to them, see RoomEvent): it is incremented under the row lock, so position
 * order is commit order and cursors never skip a late commit.
 */
export class Room {
  id!: string;
  kind!: RoomKind;
  name!: string | null;
  /** `smallerUserId:largerUserId` for DIRECT rooms; unique, so a pair has exactly one. */
  directKey!: string | null;
  lastSeq!: number;
  /** How many messages the room has had (the last message's ordinal, tombstones included). */
  messageCount!: number;
  /** When its newest message was sent (tombstones included), or when it was created. */
  lastActivityAt!: Date;
  createdAt!: Date;
}

export const RoomSchema = new EntitySchema<Room>({
  class: Room,
  tableName: 'rooms',
  properties: {
    id: { type: 'uuid', primary: true },
    kind: { enum: true, items: () => RoomKind, nativeEnumName: undefined },
    name: { type: 'string', length: 100, nullable: true },
    directKey: { type: 'string', length: 73, nullable: true, unique: 'rooms_direct_key_unique' },
    lastSeq: { type: new BigIntType('number'), default: 0 },
    messageCount: { type: new BigIntType('number'), default: 0 },
    lastActivityAt: { type: 'datetime', length: 3 },
    createdAt: { type: 'datetime', length: 3 },
  },
});
