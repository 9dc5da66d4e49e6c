import type { Context } from '../context';
import { Message } from '../entities/message.entity';
import { User } from '../entities/user.entity';
import { ErrorCode, userError } from '../errors';
import type { DecodedId } from '../ids';
import { accountGone, requireMember, requireUser } from './guards';
import { messageView, roomView, userView, type MessageView, type RoomView, type UserView } from './views';

/** Case-insensitive lookup through the lower(username) unique index. */
export async function findUserByUsername(
  ctx: Context,
  username: string,
  options: { withPasswordHash?: boolean } = {},
): Promise<User | null> {
  if (username.length > 32) return null;
  const fields = options.withPasswordHash ? ['id', 'username', 'createdAt', 'passwordHash'] : ['id', 'username', 'createdAt'];
  const qb = ctx.em
    .createQueryBuilder(User, 'u')
    .select(fields as never)
    .where('lower(u.username) = ?', [username.toLowerCase()]);
  return qb.getSingleResult();
}

export async function me(ctx: Context): Promise<UserView> {
  const { id } = requireUser(ctx);
  const user = await ctx.em.findOne(User, id);
  // A valid token for a user that no longer exists is as good as no token, from now on.
  if (!user) {
    ctx.tokens.forgetAccount(id);
    throw accountGone();
  }
  return userView(user);
}

export async function userByUsername(ctx: Context, username: string): Promise<UserView | null> {
  requireUser(ctx);
  const user = await findUserByUsername(ctx, username);
  return user ? userView(user) : null;
}

/** Resolves any global id; rooms and their messages only for members. */
export async function node(ctx: Context, id: DecodedId | null): Promise<UserView | RoomView | MessageView> {
  requireUser(ctx);
  const notFound = () => userError(ErrorCode.NotFound, 'Nothing has that id.');
  if (!id) throw notFound();
  if (id.type === 'User') {
    const user = await ctx.em.findOne(User, id.rawId);
    if (!user) throw notFound();
    return userView(user);
  }
  // requireMember's one query answers NOT_FOUND for a missing room and FORBIDDEN for a non-member.
  if (id.type === 'Room') return roomView((await requireMember(ctx, id.rawId)).room);
  const message = await ctx.em.findOne(Message, id.rawId, { populate: ['author'] });
  if (!message) throw notFound();
  const membership = await requireMember(ctx, message.room.id);
  return messageView(message, roomView(membership.room), userView(message.author));
}
