import type { Message } from '../entities/message.entity';
import type { Room, RoomKind } from '../entities/room.entity';
import type { User } from '../entities/user.entity';

/**
 * The plain shapes resolvers hand to the schema. Events on the bus use them too, so
 * dates may arrive as ISO strings (Redis carries JSON) and no entity leaves its request.
 */
export type DateLike = Date | string;

export interface UserView {
  id: string;
  username: string;
  createdAt: DateLike;
}

export interface RoomView {
  id: string;
  kind: RoomKind;
  name: string | null;
  createdAt: DateLike;
}

export interface MessageView {
  id: string;
  seq: number;
  room: RoomView;
  author: UserView;
  body: string;
  createdAt: DateLike;
}

export interface TypingView {
  room: RoomView;
  user: UserView;
  isTyping: boolean;
}

/** A user joined (or left) a room: lets live subscriptions follow membership. */
export interface MembershipEvent {
  roomId: string;
  joined: boolean;
  /** On a join: the room's last message number then; later ones are the joiner's to receive. */
  sinceSeq?: number;
}

export function userView(user: User): UserView {
  return { id: user.id, username: user.username, createdAt: user.createdAt };
}

/** The public fields of a room (entity or query row), without bookkeeping such as lastSeq. */
export function roomView(room: Room | RoomView): RoomView {
  return { id: room.id, kind: room.kind, name: room.name, createdAt: room.createdAt };
}

export function messageView(message: Message, room: RoomView, author: UserView): MessageView {
  return { id: message.id, seq: message.seq, room, author, body: message.body, createdAt: message.createdAt };
}

export function membershipViews(membership: { room: RoomView; user: UserView }): { room: RoomView; user: UserView } {
  return { room: roomView(membership.room), user: membership.user };
}
