import type { AuthUser } from '../auth';
import type { Context } from '../context';
import { ErrorCode, userError } from '../errors';
import type { RateLimitBucket } from '../rate-limit';
import { isForeignKeyViolation } from '../entities/sql-state';
import { userRowExists, type MemberRoom } from '../entities/stores/rooms';
import { readAccess } from './access-reader';
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
 * The viewer's membership of the room, read in one query (with the other checks of the moment).
 * NOT_FOUND when the room does not exist, FORBIDDEN when the viewer is not a member.
 */
export async function requireMember(ctx: Context, roomId: string | null): Promise<Membership> {
  const user = requireUser(ctx);
  const access = roomId === null ? null : await readAccess(ctx.sql, { roomId, userId: user.id });
  if (!access) throw userError(ErrorCode.NotFound, 'Room not found.');
  if (!access.member) return refuseNonMember(ctx);
  return { room: access.room, user: access.member };
}

/**
 * FORBIDDEN for a user who is not a member of the room; UNAUTHENTICATED when the account
 * itself is gone (a deleted account is a member of nothing: say why). Reads the account
 * on this failure path only.
 */
export async function refuseNonMember(ctx: Context): Promise<never> {
  await requireAccount(ctx);
  throw userError(ErrorCode.Forbidden, 'You are not a member of this room.');
}

/**
 * UNAUTHENTICATED when the signed-in user's row is gone (the account was deleted while
 * its token is still valid); from then on this process refuses the user's tokens
 * without reading the database. Costs one read: call it where a request fails anyway.
 */
export async function requireAccount(ctx: Context): Promise<void> {
  const user = requireUser(ctx);
  if (await userRowExists(ctx.sql, user.id)) return;
  ctx.tokens.forgetAccount(user.id);
  throw accountGone();
}

export const accountGone = () => userError(ErrorCode.Unauthenticated, 'Sign in first: send a valid token.');

/**
 * A write that references the signed-in user failed on a foreign key: if the user's row
 * is what is missing, UNAUTHENTICATED; otherwise the original failure is rethrown.
 */
export async function rethrowWrite(ctx: Context, err: unknown): Promise<never> {
  if (isForeignKeyViolation(err)) await requireAccount(ctx);
  throw err;
}

/**
 * RATE_LIMITED (with `extensions.retryAfter`, whole seconds) when the key is over the
 * bucket's per-minute budget: the client's address for `register`/`login`, the username
 * for `loginUsername`.
 */
export async function requireWithinRateLimit(ctx: Context, bucket: RateLimitBucket, key = ctx.clientAddress): Promise<void> {
  const retryAfter = await ctx.limiter.consume(bucket, key);
  if (retryAfter !== null) throw rateLimited(retryAfter);
}

/**
 * The same per signed-in user. Without a user nothing is counted: the resolver's own
 * requireUser answers UNAUTHENTICATED, in the order it always did.
 */
export function requireUserWithinRateLimit(ctx: Context, bucket: RateLimitBucket): Promise<void> | undefined {
  // Synchronous when there is nothing to count: sendMessage's hot path makes no promise for a bucket that is off.
  if (ctx.user && ctx.limiter.isOn(bucket)) return requireWithinRateLimit(ctx, bucket, ctx.user.id);
  return undefined;
}

export function rateLimited(retryAfter: number) {
  return userError(ErrorCode.RateLimited, `Too many requests; try again in ${retryAfter} s.`, { retryAfter });
}
