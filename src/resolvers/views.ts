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
  /** Present when read with the room (the chat list); else the fields load them. Never on the bus. */
  lastActivityAt?: DateLike;
  /** The viewer's, when the chat list was read for one viewer. */
  unreadCount?: number;
  lastMessage?: MessageView | null;
}

export interface MessageView {
  id: string;
  /** The position of its MESSAGE_ADDED event in the room's log (its cursor). */
  seq: number;
  room: RoomView;
  author: UserView;
  /** Empty once deleted. */
  body: string;
  createdAt: DateLike;
  clientMessageId: string | null;
  replyToId: string | null;
  editedAt: DateLike | null;
  deletedAt: DateLike | null;
  /**
   * Grouped by emoji, in the order each emoji was first used. Events carry them; a
   * history page leaves them out (undefined) and the field reads them when selected.
   */
  reactions?: ReactionView[];
  /**
   * Its ticks when known without a read (a message just sent: an event carries them as
   * they were when it happened); else the field reads the room's markers.
   */
  status?: MessageStatus;
}

export type MessageStatus = 'SENT' | 'DELIVERED' | 'READ';

/** Everyone who reacted to a message with one emoji, earliest first. */
export interface ReactionView {
  emoji: string;
  users: UserView[];
}

export type RoomEventKind = 'MESSAGE_ADDED' | 'MESSAGE_EDITED' | 'MESSAGE_DELETED' | 'REACTIONS_CHANGED';

/**
 * One entry of a room's log: the change at position `seq`, with the message as it is
 * after it. An event read back from the log (resume, a lost live event) carries the
 * message as it is when read, which is never older than the event.
 */
export interface RoomEventView {
  kind: RoomEventKind;
  seq: number;
  message: MessageView;
}

/**
 * How far one member has read and received a room: log positions of messages (0: none).
 * Published as it is when a marker moves.
 */
export interface ReadMarkerView {
  room: RoomView;
  user: UserView;
  lastReadSeq: number;
  lastDeliveredSeq: number;
  updatedAt: DateLike;
  /** The marked messages, when the statement that read the marker had them (never on the bus). */
  lastRead?: MessageView | null;
  lastDelivered?: MessageView | null;
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
  /** On a join: the room's last log position then; later events are the joiner's to receive. */
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
  return {
    id: message.id,
    seq: message.seq,
    room,
    author,
    body: message.body,
    createdAt: message.createdAt,
    clientMessageId: message.clientMessageId,
    replyToId: message.replyTo?.id ?? null,
    editedAt: message.editedAt,
    deletedAt: message.deletedAt,
  };
}

export function membershipViews(membership: { room: RoomView; user: UserView }): { room: RoomView; user: UserView } {
  return { room: roomView(membership.room), user: membership.user };
}
