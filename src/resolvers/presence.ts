import DataLoader from 'dataloader';
import type { Context } from '../context';
import { readVisibleLastSeen } from '../entities/stores/presence';
import { EventStream } from '../live/event-stream';
import type { PresenceUserView } from '../live/presence-feed';
import { requireUser } from './guards';
import { startStream } from './live';
import type { DateLike, UserView } from './views';

/** What the viewer may know of a user's presence. */
export interface UserPresence {
  online: boolean;
  /** Null while online, never seen, or when the viewer may not know. */
  lastSeenAt: DateLike | null;
}

/** Presence is not an oracle: users who share no room with the viewer read as this. */
const unknown: UserPresence = { online: false, lastSeenAt: null };

/** One loader per context (made on first use), so the users of one request are read together. */
const loaders = new WeakMap<Context, DataLoader<string, UserPresence>>();

/**
 * `User.online` and `User.lastSeenAt` as the viewer may see them: their own, and those of
 * users sharing a room with them; everyone else reads offline and never seen. A user
 * delivered by `presence` carries the transition (sent to co-members only).
 */
export function presenceOf(ctx: Context, user: UserView): UserPresence | Promise<UserPresence> {
  const carried = (user as Partial<PresenceUserView>).presence;
  if (carried) return carried;
  if (!ctx.user) return unknown;
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = createPresenceLoader(ctx, ctx.user.id);
    loaders.set(ctx, loader);
  }
  return loader.load(user.id);
}

/**
 * Per batch: one statement (which of these users the viewer may see, and when each was
 * last seen) and one pipelined Redis read (which are online). Not cached: a subscription
 * keeps its context, and presence changes.
 */
function createPresenceLoader(ctx: Context, viewerId: string): DataLoader<string, UserPresence> {
  return new DataLoader(
    async (ids) => {
      const visible = await readVisibleLastSeen(ctx.sql, viewerId, ids);
      const online = await ctx.presence.tracker.onlineAmong([...visible.keys()]);
      return ids.map((id): UserPresence => {
        if (!visible.has(id)) return unknown;
        return online.has(id) ? { online: true, lastSeenAt: null } : { online: false, lastSeenAt: visible.get(id) ?? null };
      });
    },
    { cache: false, maxBatchSize: 100 },
  );
}

/**
 * Users sharing a room with the subscriber coming online or going offline. Not the
 * subscriber's own transitions: their other devices need no telling.
 */
export async function subscribePresence(ctx: Context): Promise<AsyncIterable<PresenceUserView>> {
  const user = requireUser(ctx);
  const stream = new EventStream<PresenceUserView>();
  return startStream(ctx, stream, async () => {
    const stop = await ctx.presence.feed.add(user.id, (view) => stream.push(view));
    stream.onEnd(stop);
  });
}
