import { GraphQLError } from 'graphql';

/**
 * The `extensions.code` values clients can rely on (DESIGN.md, "Errors").
 * Anything thrown that is not one of these is a bug and gets masked.
 */
export const ErrorCode = {
  /** No, invalid or expired token; wrong username or password (one message for both). */
  Unauthenticated: 'UNAUTHENTICATED',
  /** Signed in, but not allowed: not a member of the room, the room is DIRECT, or not the message's author. */
  Forbidden: 'FORBIDDEN',
  /** The room, user, message or id does not exist. */
  NotFound: 'NOT_FOUND',
  /** Invalid arguments: shape of username/password/body/name/emoji, bad cursor, bad page size, a refused reply. */
  BadUserInput: 'BAD_USER_INPUT',
  /** The username is already taken (case-insensitively), or a clientMessageId names another message. */
  Conflict: 'CONFLICT',
  /** Too many requests from one user, address or (login) username in the current window; `extensions.retryAfter` says when to retry, in seconds. */
  RateLimited: 'RATE_LIMITED',
  /** A dependency (the database) is unreachable; retrying later can succeed. */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  /** A masked, unexpected failure; the details are in the server log only. */
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An expected failure, shown to the client as is; `extra` adds extensions beside the code (e.g. retryAfter). */
export function userError(code: ErrorCode, message: string, extra?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: extra ? { code, ...extra } : { code } });
}

/** True when the error (or the error it wraps) is one we threw on purpose. */
export function isUserError(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  if (error.originalError) return isUserError(error.originalError);
  return true;
}
