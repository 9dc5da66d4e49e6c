import { createHash, randomBytes } from 'node:crypto';
import type { Context } from '../context';
import { endSession, endSessionReplaying, insertSession, rotateRefreshToken } from '../entities/stores/sessions';
import { ErrorCode, userError } from '../errors';
import { uuidv7 } from '../ids';
import { requireUser } from './guards';

/** What a new session, or a refreshed one, hands to its client (AuthPayload without the user). */
export interface SessionTokens {
  token: string;
  expiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
}

/** 32 random bytes: the refresh token is opaque and only its hash is stored. */
const newRefreshToken = () => randomBytes(32).toString('base64url');
const hashOf = (refreshToken: string) => createHash('sha256').update(refreshToken, 'utf8').digest('hex');
const refreshExpiry = (ctx: Context) => new Date(Date.now() + ctx.config.refreshTtlSeconds * 1000);

/** Starts a session of a user who just proved who they are (register, login). */
export async function startSession(ctx: Context, userId: string): Promise<SessionTokens> {
  const sessionId = uuidv7();
  const refreshToken = newRefreshToken();
  const refreshExpiresAt = refreshExpiry(ctx);
  await insertSession(ctx.sql, { id: sessionId, userId, tokenHash: hashOf(refreshToken), createdAt: new Date(), refreshExpiresAt });
  return { ...ctx.tokens.issue(userId, sessionId), refreshToken, refreshExpiresAt };
}

const refused = () => userError(ErrorCode.Unauthenticated, 'This refresh token is not valid; sign in again.');

/**
 * Exchanges the session's current refresh token for a new one (and a new access token).
 * A token already used is a replay (a stolen copy, or a client racing itself): the whole
 * session ends, so that neither the thief nor the owner keeps a working token.
 */
export async function refreshSession(ctx: Context, refreshToken: string): Promise<{ userId: string; tokens: SessionTokens }> {
  // Anything but our own format cannot match a hash: no database read for it.
  if (!/^[A-Za-z0-9_-]{43}$/.test(refreshToken)) throw refused();
  const oldHash = hashOf(refreshToken);
  const next = newRefreshToken();
  const refreshExpiresAt = refreshExpiry(ctx);
  const owner = await rotateRefreshToken(ctx.sql, oldHash, hashOf(next), refreshExpiresAt);
  if (!owner) {
    const ended = await endSessionReplaying(ctx.sql, oldHash);
    if (ended) {
      ctx.log.warn({ sessionId: ended.sessionId, userId: ended.userId }, 'a used refresh token was presented again: session ended');
      await ctx.sessions.announce(ended);
    }
    throw refused();
  }
  const tokens = { ...ctx.tokens.issue(owner.userId, owner.sessionId), refreshToken: next, refreshExpiresAt };
  return { userId: owner.userId, tokens };
}

/** Ends the caller's session: its refresh token stops working, its access tokens and sockets everywhere too. */
export async function logout(ctx: Context): Promise<boolean> {
  const user = requireUser(ctx);
  const ended = await endSession(ctx.sql, { sessionId: user.sessionId, userId: user.id });
  if (ended) await ctx.sessions.announce(ended);
  return true;
}
