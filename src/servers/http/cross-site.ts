import type { Plugin } from 'graphql-yoga';
import { createGraphQLError, type CORSOptions } from 'graphql-yoga';

/**
 * Cross-site requests (README, `CORS_ORIGINS`). Clients authenticate with a bearer token,
 * never a cookie, so a browser has no ambient credential to abuse; what is left to refuse:
 * - reading our answers from a page of an origin that is not allowed (CORS);
 * - `null` origins (sandboxed iframes, `file:` pages): never allowed, even with `*`;
 * - credentials: `access-control-allow-credentials` is never sent;
 * - "simple" POSTs a page can send without a preflight (forms, text/plain): refused
 *   by `useJsonPostsOnly`, so every POST is a JSON one that CORS governs.
 */

/**
 * The `access-control-allow-origin` for a request from `origin`, or null when that origin
 * may not read the answer. With `*` configured the request's own origin is reflected
 * (not a literal `*`, which browsers would honour for `null` too).
 */
export function allowedOrigin(origin: string | null | undefined, allowed: readonly string[]): string | null {
  if (!origin || origin === 'null') return null;
  return allowed.includes('*') || allowed.includes(origin) ? origin : null;
}

/** The CORS headers the fast lane adds to an answer: the same as Yoga's with `yogaCors`. */
export function corsHeaders(origin: string | null | undefined, allowed: readonly string[]): Record<string, string> {
  const allowOrigin = allowedOrigin(origin, allowed);
  return allowOrigin ? { 'access-control-allow-origin': allowOrigin, vary: 'Origin' } : {};
}

/**
 * Yoga's `cors` option following `allowedOrigin`: no CORS header at all for an origin that
 * is not allowed (a preflight then gets a bare 204 the browser refuses); otherwise Yoga
 * reflects the origin (its rule for `*`, with `Vary: Origin`), without credentials.
 */
export function yogaCors(allowed: readonly string[]): (request: Request) => CORSOptions {
  const allowedOnes: CORSOptions = { origin: ['*'], credentials: false };
  return (request) => (allowedOrigin(request.headers.get('origin'), allowed) ? allowedOnes : false);
}

/** The media types Yoga reads a POSTed GraphQL request from as JSON. */
const jsonMediaType = /^application\/(graphql\+)?json\s*(;|$)/i;

/**
 * Refuses POSTs that are not JSON (415 Unsupported Media Type, `BAD_REQUEST`): a form or
 * text/plain POST is one a page of any site can send without a CORS preflight, and Yoga
 * would otherwise run a mutation from it. Why not Yoga's CSRF prevention plugin: it also
 * demands a custom header on every GET (Apollo's and urql's GET queries, EventSource SSE),
 * which queries cannot change anything through (Yoga refuses mutations over GET).
 */
export function useJsonPostsOnly(): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST' || jsonMediaType.test(request.headers.get('content-type') ?? '')) return;
      throw createGraphQLError('POST requests must have content-type application/json.', {
        extensions: { code: 'BAD_REQUEST', http: { status: 415 } },
      });
    },
  };
}
