import { MembershipSchema } from './membership.entity';
import { MessageSchema } from './message.entity';
import { MessageReactionSchema } from './reaction.entity';
import { RoomEventSchema } from './room-event.entity';
import { RoomSchema } from './room.entity';
import { SessionSchema } from './session.entity';
import { UserSchema } from './user.entity';

/** Every entity of the service, for the ORM's discovery. */
export const entities = [UserSchema, RoomSchema, MembershipSchema, MessageSchema, RoomEventSchema, MessageReactionSchema, SessionSchema];
