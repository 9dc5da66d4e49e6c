import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import type { Config } from './config';
import type { Logger } from './logger';

/** The signed-in user as the token proves it; no database read is needed. */
export interface AuthUser {
  readonly id: string;
  /** The session the token belongs to (its `sid` claim): logout ends it. */
  readonly sessionId: string;
  /** When the token expires (its `exp`), in ms since the epoch: a socket opened with it closes then. */
  readonly expiresAtMs: number;
}

/** Issues and checks HS256 tokens whose `sub` is the user id and `sid` the session id. */
export interface TokenService {
  issue(userId: string, sessionId: string): { token: string; expiresAt: Date };
  /** The user of a valid token; null when missing, malformed, forged, expired, of an ended session, or its account is gone. */
  verify(token: string | null | undefined): AuthUser | null;
  /** The user's row was read in this process already (see accountExists): no database read needed. */
  isKnownAccount(userId: string): boolean;
  /** The user's row was just read. */
  rememberAccount(userId: string): void;
  /** The user's row is gone (deleted): every token of that user is refused from now on, in this process. */
  forgetAccount(userId: string): void;
  /**
   * The session ended (logout, a replayed refresh token) at `endedAt`: its tokens are refused
   * from now on, in this process. Remembered until its last token expired by itself.
   */
  endSession(sessionId: string, endedAt: Date): void;
  isSessionEnded(sessionId: string): boolean;
}

/** Verified tokens remembered at most; past it the memory starts over (a burst of new users, or an attack). */
const maxRememberedTokens = 10_000;
/** User ids remembered as existing, or as gone, at most; past it that memory starts over too. */
const maxRememberedAccounts = 100_000;

/** A Set that starts over when full: a cache, never a leak. */
function addBounded(set: Set<string>, value: string, max: number): void {
  if (set.size >= max) set.clear();
  set.add(value);
}

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  // A KeyObject skips jsonwebtoken's attempt to parse a string secret as a PEM key on every verify.
  const key: KeyObject = createSecretKey(Buffer.from(secret, 'utf8'));
  // Every request and every WebSocket operation presents its token again: a token whose
  // signature was checked once is only checked for expiry after that (the HMAC and JSON
  // work was ~7% of a sendMessage's CPU). Only valid tokens are remembered.
  const verified = new Map<string, { user: AuthUser; expiresAtMs: number }>();
  // User ids are uuidv7, never reused: a gone account never comes back. Usually empty,
  // so the check below costs nothing on the hot path.
  const known = new Set<string>();
  const gone = new Set<string>();
  // Ended sessions, each with when its last access token expires; oldest first, usually empty.
  const ended = new Map<string, number>();
  const present = (user: AuthUser | null) => {
    if (!user) return null;
    if (gone.size > 0 && gone.has(user.id)) return null;
    return ended.size > 0 && ended.has(user.sessionId) ? null : user;
  };
  const forgetExpiredEnds = (now: number) => {
    for (const [sessionId, until] of ended) {
      if (until > now) return;
      ended.delete(sessionId);
    }
  };
  const verifySignature = (token: string): AuthUser | null => {
    try {
      const claims = jwt.verify(token, key, { algorithms: ['HS256'] });
      if (typeof claims === 'string' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
      // Tokens from before sessions (no `sid`) could never be revoked: refused.
      if (typeof claims.sid !== 'string') return null;
      if (verified.size >= maxRememberedTokens) verified.clear();
      const user: AuthUser = { id: claims.sub, sessionId: claims.sid, expiresAtMs: claims.exp * 1000 };
      verified.set(token, { user, expiresAtMs: user.expiresAtMs });
      return user;
    } catch {
      return null;
    }
  };
  return {
    issue(userId, sessionId) {
      const expiresAt = new Date(Math.floor(Date.now() / 1000 + ttlSeconds) * 1000);
      const token = jwt.sign({ sid: sessionId }, key, { algorithm: 'HS256', subject: userId, expiresIn: ttlSeconds });
      return { token, expiresAt };
    },
    verify(token) {
      if (!token) return null;
      const cached = verified.get(token);
      if (!cached) return present(verifySignature(token));
      // jsonwebtoken's rule: expired once now >= exp.
      if (Date.now() < cached.expiresAtMs) return present(cached.user);
      verified.delete(token);
      return null;
    },
    isKnownAccount: (userId) => known.has(userId),
    rememberAccount: (userId) => addBounded(known, userId, maxRememberedAccounts),
    forgetAccount(userId) {
      known.delete(userId);
      addBounded(gone, userId, maxRememberedAccounts);
    },
    endSession(sessionId, endedAt) {
      const now = Date.now();
      forgetExpiredEnds(now);
      // A token issued just before the end lives ttl more; a second of slack for clock rounding.
      const until = endedAt.getTime() + (ttlSeconds + 1) * 1000;
      if (until <= now || ended.has(sessionId)) return;
      ended.set(sessionId, until);
    },
    isSessionEnded: (sessionId) => ended.has(sessionId),
  };
}

/** `Bearer <jwt>` → `<jwt>`; null for anything else. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/**
 * The JWT secret: JWT_SECRET when set; outside production, one generated on first
 * start and kept in DATA_DIR so tokens survive restarts (loadConfig refuses production without it).
 */
export async function loadJwtSecret(config: Config, log: Logger): Promise<string> {
  if (config.jwtSecret) return config.jwtSecret;
  const file = join(config.dataDir, 'jwt-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    log.warn({ file }, 'JWT_SECRET is not set: generated one for development; set JWT_SECRET in production');
    return (await readFile(file, 'utf8')).trim();
  }
}
