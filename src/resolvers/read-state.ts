import type { Context } from '../context';
import { positionKey, readRoomMarkers } from '../entities/stores/read-state';
import { readRoomsOfUser } from '../entities/stores/rooms';
import { ErrorCode, userError } from '../errors';
import { EventStream } from '../live/event-stream';
import { Topic } from '../live/pubsub';
import { RoomSignals } from '../live/room-signals';
import { refuseNonMember, requireMember, requireUser } from './guards';
import { endOnLeave, followMembership, startStream } from './live';
import { unreadKey } from './loaders';
import { submitMarkerMove } from './marker-batcher';
import type { DateLike, MessageStatus, MessageView, ReadMarkerView, RoomView } from './views';

/**
 * Read state: markers, unread counts, ticks. Markers only move forward; reading also
 * delivers; sending moves the sender's markers (in the send's own statement); a join
 * starts the newcomer's markers at the room's newest message (rooms.ts).
 */

/** Moves the user's read and delivered markers forward to the message; an older message changes nothing. */
export function markRead(ctx: Context, messageId: string | null): Promise<ReadMarkerView> {
  return mark(ctx, messageId, true);
}

/** Moves the user's delivered marker forward to the message. */
export function markDelivered(ctx: Context, messageId: string | null): Promise<ReadMarkerView> {
  return mark(ctx, messageId, false);
}

async function mark(ctx: Context, messageId: string | null, read: boolean): Promise<ReadMarkerView> {
  const user = requireUser(ctx);
  if (messageId === null) throw notFound();
  const move = await submitMarkerMove(ctx.sql, { userId: user.id, messageId, read });
  switch (move.outcome) {
    case 'notFound':
      throw notFound();
    case 'notMember':
      return refuseNonMember(ctx);
    case 'moved':
      // A signal, not a logged event: a lost one is repaired by the next move or a query.
      await ctx.bus.publish(Topic.readMarkers(move.marker.room.id), busMarker(move.marker));
      return move.marker;
    case 'unchanged':
      return move.marker;
  }
}

/** What travels: the positions only; each subscriber's process reads the messages it selects. */
function busMarker({ room, user, lastReadSeq, lastDeliveredSeq, updatedAt }: ReadMarkerView): ReadMarkerView {
  return { room, user, lastReadSeq, lastDeliveredSeq, updatedAt };
}

const notFound = () => userError(ErrorCode.NotFound, 'Message not found.');

/** Every member's markers; members only, like the rest of the room. */
export async function roomMarkers(ctx: Context, room: RoomView): Promise<ReadMarkerView[]> {
  await requireMember(ctx, room.id);
  return readRoomMarkers(ctx.sql, room);
}

/** The viewer's unread messages in the room (0 when not a member). */
export function unreadCount(ctx: Context, room: RoomView): number | Promise<number> {
  const user = requireUser(ctx);
  return room.unreadCount ?? ctx.loaders.unreadCount.load(unreadKey(user.id, room.id));
}

export function lastMessage(ctx: Context, room: RoomView): MessageView | null | Promise<MessageView | null> {
  return room.lastMessage !== undefined ? room.lastMessage : ctx.loaders.lastMessage.load(room.id);
}

export function lastActivityAt(ctx: Context, room: RoomView): DateLike | Promise<DateLike> {
  // Known without a read when the room came with it (a live event's room, the chat list).
  if (room.lastActivityAt != null) return room.lastActivityAt;
  return ctx.loaders.roomActivity.load(room.id).then((activity) => activity ?? room.createdAt);
}

/**
 * READ when every member has read it, DELIVERED when every member has received it: its
 * author's markers are at least the message, so "every member" is "every other member".
 * The same for every viewer, so it can be shared in fan-out. A room whose author is alone
 * has no other member, so every message in it is READ (nobody is left to read it).
 */
export function messageStatus(ctx: Context, message: MessageView): MessageStatus | Promise<MessageStatus> {
  // Known without a read (a message just sent): answered synchronously, so a live event
  // selecting `status` is still executed without a promise (shared-execution.ts).
  if (message.status) return message.status;
  return ctx.loaders.markerFloors.load(message.room.id).then((floors) => {
    if (message.seq <= floors.read) return 'READ';
    return message.seq <= floors.delivered ? 'DELIVERED' : 'SENT';
  });
}

/** The message a marker points at (null for position 0: nothing read or received yet). */
export function markedMessage(ctx: Context, roomId: string, seq: number): Promise<MessageView | null> | null {
  return seq === 0 ? null : ctx.loaders.messageAt.load(positionKey(roomId, seq));
}

/**
 * Marker moves in one room, or in every room of the user (followed as they join and
 * leave): other members' moves and the user's own, so the user's other devices update
 * their badges too. Moves are not coalesced: each publish is one member's new markers.
 */
export async function subscribeReadMarkers(ctx: Context, input: { roomId: string | null; hasRoomId: boolean }): Promise<AsyncIterable<ReadMarkerView>> {
  const user = requireUser(ctx);
  const stream = new EventStream<ReadMarkerView>();
  const signals = new RoomSignals(ctx.bus, stream, Topic.readMarkers, (payload) => stream.push(payload as ReadMarkerView));
  return startStream(ctx, stream, async () => {
    if (input.hasRoomId) {
      const { room } = await requireMember(ctx, input.roomId);
      await endOnLeave(ctx, stream, user.id, room.id);
      await signals.follow(room.id);
    } else {
      await followMembership(ctx, stream, user.id, (event) => (event.joined ? void signals.follow(event.roomId).catch(() => undefined) : signals.unfollow(event.roomId)));
      const rooms = await readRoomsOfUser(ctx.sql, user.id);
      await Promise.all(rooms.map((room) => signals.follow(room.id)));
    }
  });
}
