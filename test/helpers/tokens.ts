import jwt from 'jsonwebtoken';
import { testJwtSecret } from './servers';

/** Bad tokens for a real user: each names a user that exists, so only the token is at fault. */

/** The `sub` claim of a token the server issued (read without verifying). */
export function subjectOf(token: string): string {
  const claims = jwt.decode(token);
  if (!claims || typeof claims === 'string' || !claims.sub) throw new Error('token without a sub claim');
  return claims.sub;
}

/** Signed with a secret the server does not know. */
export function forgedToken(validToken: string): string {
  return jwt.sign({}, 'another-secret-that-is-long-enough-to-look-real', {
    algorithm: 'HS256',
    subject: subjectOf(validToken),
    expiresIn: 600,
  });
}

/** Signed with the servers' own secret but expired ten seconds ago. */
export function expiredToken(validToken: string): string {
  return jwt.sign({}, testJwtSecret, { algorithm: 'HS256', subject: subjectOf(validToken), expiresIn: -10 });
}

/** `alg: none` with an empty signature: a classic forgery a verifier must refuse. */
export function unsignedToken(validToken: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: subjectOf(validToken), iat: now, exp: now + 600 })}.`;
}

export const malformedToken = 'not-a-jwt';

/** Each kind of bad token, by a name that reads well in test titles. */
export const badTokens: ReadonlyArray<readonly [string, (validToken: string) => string]> = [
  ['a malformed token', () => malformedToken],
  ['a forged token', forgedToken],
  ['an expired token', expiredToken],
  ['an unsigned (alg none) token', unsignedToken],
];
