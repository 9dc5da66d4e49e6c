import { releaseEntityManager, type Context } from '../context';
import { Membership } from '../entities/membership.entity';
import { Topic } from '../pubsub';
import { EventStream } from './event-stream';
import { RoomFeeds } from './room-feeds';
import { requireMember, requireUser } from './guards';
import { TypingExpiry } from './typing';
import type { MembershipEvent, MessageView, TypingView } from './views';

/** Starts listening and ties the listener's end to the stream's end. */
async function follow<T>(ctx: Context, stream: EventStream<T>, topic: string, onEvent: (payload: unknown) => void): Promise<void> {
  const stop = await ctx.bus.listen(topic, onEvent);
  stream.onEnd(stop);
}

/** Ends the stream when the user leaves the room: leavers stop receiving it. */
async function endOnLeave<T>(ctx: Context, stream: EventStream<T>, userId: string, roomId: string): Promise<void> {
  await follow(ctx, stream, Topic.membership(userId), (payload) => {
    const event = payload as MembershipEvent;
    if (!event.joined && event.roomId === roomId) stream.end();
  });
}

/** Messages of one room; FORBIDDEN (and no events) for a non-member. */
export async function subscribeRoomMessages(ctx: Context, roomId: string | null): Promise<AsyncIterable<MessageView>> {
  const user = requireUser(ctx);
  const { room } = await requireMember(ctx, roomId);
  const stream = new EventStream<MessageView>();
  const feeds = new RoomFeeds(ctx, stream);
  try {
    await endOnLeave(ctx, stream, user.id, room.id);
    feeds.follow(room.id, room.lastSeq);
    await feeds.ready();
  } catch (err) {
    stream.end();
    throw err;
  } finally {
    releaseEntityManager(ctx);
  }
  return stream;
}

/**
 * Messages of every room of the user, following membership as it changes: the
 * membership topic is followed first, then the current rooms are read, so a join
 * that commits in between is seen either way (RoomFeeds ignores a second follow).
 */
export async function subscribeAllMessages(ctx: Context): Promise<AsyncIterable<MessageView>> {
  const user = requireUser(ctx);
  const stream = new EventStream<MessageView>();
  const feeds = new RoomFeeds(ctx, stream);
  try {
    await follow(ctx, stream, Topic.membership(user.id), (payload) => {
      const event = payload as MembershipEvent;
      if (event.joined) feeds.follow(event.roomId, event.sinceSeq ?? 0);
      else feeds.unfollow(event.roomId);
    });
    const memberships = await ctx.em.find(Membership, { user: user.id }, { populate: ['room'] });
    memberships.forEach((m) => feeds.follow(m.room.id, m.room.lastSeq));
    await feeds.ready();
  } catch (err) {
    stream.end();
    throw err;
  } finally {
    releaseEntityManager(ctx);
  }
  return stream;
}

/** Typing indicators of the room's other members, with server-side expiry. */
export async function subscribeTyping(ctx: Context, roomId: string | null): Promise<AsyncIterable<TypingView>> {
  const user = requireUser(ctx);
  const { room } = await requireMember(ctx, roomId);
  const stream = new EventStream<TypingView>();
  const expiry = new TypingExpiry(ctx.config.typingTimeoutMs, (event) => stream.push(event));
  stream.onEnd(() => expiry.clear());
  try {
    await endOnLeave(ctx, stream, user.id, room.id);
    await follow(ctx, stream, Topic.typing(room.id), (payload) => {
      const event = payload as TypingView;
      if (event.user.id !== user.id) expiry.observe(event);
    });
  } catch (err) {
    stream.end();
    throw err;
  } finally {
    releaseEntityManager(ctx);
  }
  return stream;
}
