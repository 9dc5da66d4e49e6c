import { CombinedError } from '@urql/core';
import { createStore, useStore } from './store';

/** The global banner's message (null: hidden). */
const banner = createStore<{ message: string; at: number } | null>(null);
let sessionEndedHandler: (() => void) | null = null;

interface CodedError {
  message: string;
  extensions?: { code?: unknown; retryAfter?: unknown };
}

/** Shows `error` in the global banner; a session that ended also signs out. */
export function reportError(error: unknown): void {
  if (isSessionEnded(error)) sessionEndedHandler?.();
  banner.set({ message: describeError(error), at: Date.now() });
}

/**
 * A human sentence for an error (urql's CombinedError, a GraphQL error, an Error, a string).
 * `signingIn`: UNAUTHENTICATED is a wrong password there, not an ended session: the server's words.
 */
export function describeError(error: unknown, options: { signingIn?: boolean } = {}): string {
  const coded = firstGraphQLError(error);
  if (coded) {
    const code = coded.extensions?.code;
    if (code === 'RATE_LIMITED') {
      const seconds = Number(coded.extensions?.retryAfter);
      return Number.isFinite(seconds) ? `Too many requests: try again in ${seconds} s` : 'Too many requests: try again shortly';
    }
    if (code === 'UNAUTHENTICATED') return options.signingIn ? coded.message : 'Your session ended: sign in again';
    if (code === 'INTERNAL_SERVER_ERROR') return 'Something went wrong on the server: try again';
    if (code === 'SERVICE_UNAVAILABLE') return 'The service is unavailable: try again in a moment';
    return coded.message;
  }
  if (error instanceof CombinedError && error.networkError) return 'Cannot reach the server: check your connection';
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'Something went wrong';
}

export function isSessionEnded(error: unknown): boolean {
  if (error instanceof Error && error.name === 'SessionEndedError') return true;
  return firstGraphQLError(error)?.extensions?.code === 'UNAUTHENTICATED';
}

function firstGraphQLError(error: unknown): CodedError | undefined {
  if (error instanceof CombinedError) return error.graphQLErrors[0];
  if (Array.isArray(error)) return error[0] as CodedError | undefined;
  if (error && typeof error === 'object' && 'extensions' in error) return error as CodedError;
  return undefined;
}

export function dismissError(): void {
  banner.set(null);
}

export function useBannerError(): { message: string; at: number } | null {
  return useStore(banner);
}

/** The session provider registers how to sign out when an error says the session ended. */
export function setSessionEndedHandler(handler: (() => void) | null): void {
  sessionEndedHandler = handler;
}
