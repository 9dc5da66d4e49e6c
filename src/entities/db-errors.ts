import { ConnectionException } from '@mikro-orm/core';

/** Node socket errors and PostgreSQL SQLSTATEs that mean "the database cannot be reached now". */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown (e.g. pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
  '08000', // connection_exception and its subclasses
  '08001',
  '08003',
  '08004',
  '08006',
]);

const unavailableMessages = [
  /Timeout acquiring a connection/i,
  /Connection terminated/i,
  /terminating connection/i,
  /Client has encountered a connection error/i,
  /Connection ended unexpectedly/i,
  /PGlite is closed/i,
  // pg's client-side query_timeout: the server stopped answering (a silent network partition).
  /Query read timeout/i,
  // pg's connectionTimeoutMillis: a new connection got no answer in time (the same partition).
  /^timeout expired$/,
  // knex: the BEGIN of a transaction failed on a pooled connection that had just died (the
  // real error goes to the transaction's own promise); MikroORM then reports its first query.
  /Transaction query already complete/i,
  // Node's socket errors by message, for wrappers that keep only the message: graphql-tools'
  // coerceError rebuilds a thrown value that is not `instanceof Error` (another realm) without `code`.
  /\b(?:connect|read|write|getaddrinfo) (?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN)\b/,
];

/**
 * True when an error (or anything it wraps) says the database is unreachable, as
 * opposed to a bug: clients then get SERVICE_UNAVAILABLE and can retry.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  if (error instanceof ConnectionException) return true;
  const { code, message, cause, originalError, thrownValue } = error as Record<string, unknown>;
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  if (typeof message === 'string' && unavailableMessages.some((pattern) => pattern.test(message))) return true;
  // graphql-js wraps a thrown value that is not `instanceof Error` (a socket error from
  // another realm, as under jest's VM modules) in a NonErrorThrown that keeps it as `thrownValue`.
  return [cause, originalError, thrownValue].some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
