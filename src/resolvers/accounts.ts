import type { AuthUser } from '../auth';
import type { Deps } from '../context';
import { isDatabaseUnavailable } from '../entities/db-errors';
import { userRowExists } from '../entities/stores/rooms';

/**
 * Whether a token's user still has an account, checked when a WebSocket signs in, so a
 * deleted account's token is refused at `connection_init` (close 4403), not half-way
 * through. One read per user and process: a user checked once is remembered
 * (TokenService), so reconnect storms and the many sockets of one user cost nothing; an
 * account deleted after that check is caught where its requests fail (guards.ts). A
 * database outage does not lock anyone out: the signature proves the token, and
 * operations will report the outage themselves.
 */
export async function accountExists(deps: Pick<Deps, 'sql' | 'tokens'>, user: AuthUser): Promise<boolean> {
  if (deps.tokens.isKnownAccount(user.id)) return true;
  let exists: boolean;
  try {
    exists = await userRowExists(deps.sql, user.id);
  } catch (err) {
    if (isDatabaseUnavailable(err)) return true;
    throw err;
  }
  if (exists) deps.tokens.rememberAccount(user.id);
  else deps.tokens.forgetAccount(user.id);
  return exists;
}
