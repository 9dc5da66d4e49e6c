import { releaseEntityManager, type Context } from '../context';
import { Membership } from '../entities/membership.entity';
import { ErrorCode, userError } from '../errors';
import { Topic } from '../live/pubsub';
import { EventStream } from '../live/event-stream';
import { RoomFeeds, type EventSelector } from '../live/room-feeds';
import { followSignal } from '../live/signals';
import { requireMember, requireUser } from './guards';
import { decodeCursor } from './pagination';
import { TypingExpiry } from './typing';
import type { MembershipEvent, MessageView, RoomEventView, TypingView } from './views';

/** `messageAdded` takes the messages of the log; `roomEvents` every event. */
const messagesOnly: EventSelector<MessageView> = (event) => (event.kind === 'MESSAGE_ADDED' ? event.message : undefined);
const everyEvent: EventSelector<RoomEventView> = (event) => event;

/** Follows a signal topic (membership, typing: no log) until the stream ends. */
function follow<T>(ctx: Context, stream: EventStream<T>, topic: string, onSignal: (payload: unknown) => void): Promise<void> {
  return followSignal(ctx.bus, stream, topic, onSignal);
}

/**
 * Runs a subscription's setup and returns its stream; a failed setup ends the stream (so
 * every listener it started stops) and throws. Either way the request's entity manager
 * is released: a subscription's context lives as long as the subscription.
 */
export async function startStream<T>(ctx: Context, stream: EventStream<T>, setup: () => Promise<unknown>): Promise<EventStream<T>> {
  try {
    await setup();
  } catch (err) {
    stream.end();
    throw err;
  } finally {
    releaseEntityManager(ctx);
  }
  return stream;
}

/** Calls `onChange` for each join and leave of the user until the stream ends. */
export function followMembership<T>(ctx: Context, stream: EventStream<T>, userId: string, onChange: (event: MembershipEvent) => void): Promise<void> {
  return follow(ctx, stream, Topic.membership(userId), (payload) => onChange(payload as MembershipEvent));
}

/** Ends the stream when the user leaves the room: leavers stop receiving it. */
export function endOnLeave<T>(ctx: Context, stream: EventStream<T>, userId: string, roomId: string): Promise<void> {
  return followMembership(ctx, stream, userId, (event) => {
    if (!event.joined && event.roomId === roomId) stream.end();
  });
}

/** What a room subscription was asked for: a room or all of them, and where to start. */
export interface RoomSubscription {
  roomId: string | null;
  /** Whether the client passed a roomId at all (null above may be a malformed one). */
  hasRoomId: boolean;
  after: string | null;
}

/** New messages of one room (or of all rooms of the user), resuming after a cursor when given. */
export function subscribeMessages(ctx: Context, input: RoomSubscription): Promise<AsyncIterable<MessageView>> {
  return subscribeRoomLog(ctx, input, messagesOnly);
}

/** Every change to the messages of one room (or of all rooms of the user), resuming after a cursor when given. */
export function subscribeRoomEvents(ctx: Context, input: RoomSubscription): Promise<AsyncIterable<RoomEventView>> {
  return subscribeRoomLog(ctx, input, everyEvent);
}

async function subscribeRoomLog<T>(ctx: Context, input: RoomSubscription, select: EventSelector<T>): Promise<AsyncIterable<T>> {
  requireUser(ctx);
  if (!input.hasRoomId) {
    if (input.after !== null) throw userError(ErrorCode.BadUserInput, '`after` needs a `roomId`: a cursor is a position in one room.');
    return subscribeAllRooms(ctx, select);
  }
  // A malformed cursor, or one of another room, is refused before anything else is read.
  const afterSeq = input.after === null ? null : decodeCursor(input.after, input.roomId);
  return subscribeOneRoom(ctx, input.roomId, afterSeq, select);
}

/** One room's log from `afterSeq` (or from now); FORBIDDEN (and no events) for a non-member. */
async function subscribeOneRoom<T>(ctx: Context, roomId: string | null, afterSeq: number | null, select: EventSelector<T>): Promise<AsyncIterable<T>> {
  const user = requireUser(ctx);
  const { room } = await requireMember(ctx, roomId);
  if (afterSeq !== null && afterSeq > room.lastSeq) {
    throw userError(ErrorCode.BadUserInput, 'This cursor is beyond the last event of the room.');
  }
  const stream = new EventStream<T>();
  const feeds = new RoomFeeds(ctx, stream, select);
  return startStream(ctx, stream, async () => {
    await endOnLeave(ctx, stream, user.id, room.id);
    feeds.follow(room.id, afterSeq ?? room.lastSeq, room.lastSeq);
    await feeds.ready();
  });
}

/**
 * The logs of every room of the user, following membership as it changes: the
 * membership topic is followed first, then the current rooms are read, so a join that
 * commits in between is seen either way (RoomFeeds ignores a second follow).
 */
async function subscribeAllRooms<T>(ctx: Context, select: EventSelector<T>): Promise<AsyncIterable<T>> {
  const user = requireUser(ctx);
  const stream = new EventStream<T>();
  const feeds = new RoomFeeds(ctx, stream, select);
  return startStream(ctx, stream, async () => {
    await followMembership(ctx, stream, user.id, (event) => {
      if (event.joined) feeds.follow(event.roomId, event.sinceSeq ?? 0);
      else feeds.unfollow(event.roomId);
    });
    const memberships = await ctx.em.find(Membership, { user: user.id }, { populate: ['room'] });
    memberships.forEach((m) => feeds.follow(m.room.id, m.room.lastSeq));
    await feeds.ready();
  });
}

/** Typing indicators of the room's other members, with server-side expiry. */
export async function subscribeTyping(ctx: Context, roomId: string | null): Promise<AsyncIterable<TypingView>> {
  const user = requireUser(ctx);
  const { room } = await requireMember(ctx, roomId);
  const stream = new EventStream<TypingView>();
  const expiry = new TypingExpiry(ctx.config.typingTimeoutMs, (event) => stream.push(event));
  stream.onEnd(() => expiry.clear());
  return startStream(ctx, stream, async () => {
    await endOnLeave(ctx, stream, user.id, room.id);
    await follow(ctx, stream, Topic.typing(room.id), (payload) => {
      const event = payload as TypingView;
      if (event.user.id !== user.id) expiry.observe(event);
    });
  });
}
