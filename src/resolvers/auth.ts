import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Context } from '../context';
import { User } from '../entities/user.entity';
import { ErrorCode, userError } from '../errors';
import { uuidv7 } from '../ids';
import { requireWithinRateLimit } from './guards';
import { hashPassword, passwordMatches } from './passwords';
import { refreshSession as rotateSession, startSession, type SessionTokens } from './sessions';
import { findUserByUsername } from './users';
import { validatePassword, validateUsername } from './validation';
import { userView, type UserView } from './views';

export interface AuthPayload extends SessionTokens {
  user: UserView;
}

interface Credentials {
  username: string;
  password: string;
}

/** A new session for a user who just proved who they are. */
async function issue(ctx: Context, user: UserView): Promise<AuthPayload> {
  return { ...(await startSession(ctx, user.id)), user };
}

/** Creates an account; the database's case-insensitive unique index settles concurrent sign-ups. */
export async function register(ctx: Context, input: Credentials): Promise<AuthPayload> {
  await requireWithinRateLimit(ctx, 'register');
  const username = validateUsername(input.username);
  const password = validatePassword(input.password);
  const user = ctx.em.create(User, {
    id: uuidv7(),
    username,
    passwordHash: await hashPassword(password),
    createdAt: new Date(),
  });
  try {
    await ctx.em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      throw userError(ErrorCode.Conflict, 'That username is taken.');
    }
    throw err;
  }
  ctx.log.info({ userId: user.id }, 'user registered');
  return await issue(ctx, userView(user));
}

/**
 * One error for an unknown user and a wrong password, so usernames cannot be probed.
 * Limited per address and per username: every attempt counts against the username
 * before the password is checked (so parallel guesses cannot slip past), and a success
 * gives its count back, so only failures slow an account's logins.
 */
export async function login(ctx: Context, input: Credentials): Promise<AuthPayload> {
  await requireWithinRateLimit(ctx, 'login');
  // Usernames are at most 32 characters: a longer key names no account and would only grow the store.
  const username = input.username.toLowerCase().slice(0, 64);
  await requireWithinRateLimit(ctx, 'loginUsername', username);
  const user = await findUserByUsername(ctx, input.username, { withPasswordHash: true });
  const matches = await passwordMatches(user?.passwordHash ?? null, input.password);
  if (!user || !matches) throw userError(ErrorCode.Unauthenticated, 'Wrong username or password.');
  await ctx.limiter.refund('loginUsername', username);
  return issue(ctx, userView(user));
}

/** A new access token and refresh token for the session of `refreshToken` (see resolvers/sessions.ts). */
export async function refreshSession(ctx: Context, refreshToken: string): Promise<AuthPayload> {
  // Per address, with logins: a refresh token is a credential too.
  await requireWithinRateLimit(ctx, 'login');
  const { userId, tokens } = await rotateSession(ctx, refreshToken);
  // Deleting an account deletes its sessions (foreign key): the user is there.
  const user = await ctx.em.findOneOrFail(User, userId);
  return { ...tokens, user: userView(user) };
}
