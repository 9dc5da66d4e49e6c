import { EntitySchema } from '@mikro-orm/core';
import { Room } from './room.entity';
import { User } from './user.entity';

/** A user's membership of a room; the primary key (room, user) makes joining idempotent. */
export class Membership {
  room!: Room;
  user!: User;
  joinedAt!: Date;
}

export const MembershipSchema = new EntitySchema<Membership>({
  class: Membership,
  tableName: 'room_members',
  properties: {
    room: { kind: 'm:1', entity: () => Room, primary: true, deleteRule: 'cascade' },
    // Indexed on its own for "rooms of a user"; the primary key serves "members of a room".
    user: { kind: 'm:1', entity: () => User, primary: true, index: 'room_members_user_id_index' },
    joinedAt: { type: 'datetime', length: 3 },
  },
});
