import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { Room } from './room.entity';
import { User } from './user.entity';

/**
 * A user's membership of a room; the primary key (room, user) makes joining idempotent.
 * The markers are log positions of messages (0: none) and only move forward; the read
 * marker carries its message's ordinal too, so unread counts need no scan.
 */
export class Membership {
  room!: Room;
  user!: User;
  joinedAt!: Date;
  lastReadSeq!: number;
  lastReadOrdinal!: number;
  lastDeliveredSeq!: number;
  markersUpdatedAt!: Date;
}

export const MembershipSchema = new EntitySchema<Membership>({
  class: Membership,
  tableName: 'room_members',
  properties: {
    room: { kind: 'm:1', entity: () => Room, primary: true, deleteRule: 'cascade' },
    // "Rooms of a user" through (user, room) (see indexes); the primary key serves "members of a room".
    user: { kind: 'm:1', entity: () => User, primary: true },
    joinedAt: { type: 'datetime', length: 3 },
    lastReadSeq: { type: new BigIntType('number'), default: 0 },
    lastReadOrdinal: { type: new BigIntType('number'), default: 0 },
    lastDeliveredSeq: { type: new BigIntType('number'), default: 0 },
    markersUpdatedAt: { type: 'datetime', length: 3 },
  },
  indexes: [
    // The room too: a probe for one (room, user) pair finds it exactly through either index,
    // whichever a plan made without statistics picks (Migration20261203000001MemberLookups).
    { name: 'room_members_user_id_room_id_index', properties: ['user', 'room'] },
    // Message.status reads each room's lowest markers: the first entry of each index.
    { name: 'room_members_read_floor_index', properties: ['room', 'lastReadSeq'] },
    { name: 'room_members_delivered_floor_index', properties: ['room', 'lastDeliveredSeq'] },
  ],
});
