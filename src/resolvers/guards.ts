import type { AuthUser } from '../auth';
import type { Context } from '../context';
import { ErrorCode, userError } from '../errors';
import type { RateLimitBucket } from '../rate-limit';
import { findRoomAccess, type MemberRoom } from './queries';
import type { UserView } from './views';

/** The signed-in user, or UNAUTHENTICATED. */
export function requireUser(ctx: Context): AuthUser {
  if (!ctx.user) throw userError(ErrorCode.Unauthenticated, 'Sign in first: send a valid token.');
  return ctx.user;
}

/** A member's view of a room: the room (with its last message number) and the member. */
export interface Membership {
  room: MemberRoom;
  user: UserView;
}

/**
 * The viewer's membership of the room, read in one query.
 * NOT_FOUND when the room does not exist, FORBIDDEN when the viewer is not a member.
 */
export async function requireMember(ctx: Context, roomId: string | null): Promise<Membership> {
  const user = requireUser(ctx);
  const access = roomId === null ? null : await findRoomAccess(ctx.sql, roomId, user.id);
  if (!access) throw userError(ErrorCode.NotFound, 'Room not found.');
  if (!access.member) throw userError(ErrorCode.Forbidden, 'You are not a member of this room.');
  return { room: access.room, user: access.member };
}

/** RATE_LIMITED when the client's address is over the bucket's per-minute budget. */
export function requireWithinRateLimit(ctx: Context, bucket: RateLimitBucket): void {
  if (!ctx.limiter.tryConsume(bucket, ctx.clientAddress)) {
    throw userError(ErrorCode.RateLimited, 'Too many requests; try again in a minute.');
  }
}
