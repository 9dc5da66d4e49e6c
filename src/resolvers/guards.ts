import type { AuthUser } from '../auth';
import type { Context } from '../context';
import { Membership } from '../entities/membership.entity';
import { Room } from '../entities/room.entity';
import { ErrorCode, userError } from '../errors';
import type { RateLimitBucket } from '../rate-limit';

/** The signed-in user, or UNAUTHENTICATED. */
export function requireUser(ctx: Context): AuthUser {
  if (!ctx.user) throw userError(ErrorCode.Unauthenticated, 'Sign in first: send a valid token.');
  return ctx.user;
}

/**
 * The viewer's membership of the room, with the room and the user loaded in one query.
 * NOT_FOUND when the room does not exist, FORBIDDEN when the viewer is not a member.
 */
export async function requireMember(ctx: Context, roomId: string | null): Promise<Membership> {
  const user = requireUser(ctx);
  if (roomId === null) throw userError(ErrorCode.NotFound, 'Room not found.');
  const membership = await ctx.em.findOne(
    Membership,
    { room: roomId, user: user.id },
    { populate: ['room', 'user'] },
  );
  if (membership) return membership;
  const room = await ctx.em.findOne(Room, roomId);
  if (!room) throw userError(ErrorCode.NotFound, 'Room not found.');
  throw userError(ErrorCode.Forbidden, 'You are not a member of this room.');
}

/** RATE_LIMITED when the client's address is over the bucket's per-minute budget. */
export function requireWithinRateLimit(ctx: Context, bucket: RateLimitBucket): void {
  if (!ctx.limiter.tryConsume(bucket, ctx.clientAddress)) {
    throw userError(ErrorCode.RateLimited, 'Too many requests; try again in a minute.');
  }
}
