import { LoginDoc, RegisterDoc } from './operations';
import { errorCode, gql, type GraphQLResponse } from './http';
import type { TestServers } from './servers';

export const password = 'correct horse battery';

/** `extensions.retryAfter` of the first error. */
export function retryAfterOf(result: GraphQLResponse<unknown>): unknown {
  return result.errors?.[0]?.extensions?.retryAfter;
}

/** A RATE_LIMITED refusal: no data, and a whole number of seconds (1 to 60) to wait. */
export function expectRateLimited(result: GraphQLResponse<unknown>): void {
  expect(errorCode(result)).toBe('RATE_LIMITED');
  expect(result.data ?? null).toBeNull();
  const retryAfter = retryAfterOf(result);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

/** `register` as sent from `address` through a proxy (X-Forwarded-For). */
export function registerFrom(servers: Pick<TestServers, 'httpUrl'>, username: string, address?: string) {
  return gql(servers.httpUrl, RegisterDoc, { username, password }, null, forwardedFor(address));
}

/** `login` as sent from `address` through a proxy (X-Forwarded-For). */
export function loginFrom(servers: Pick<TestServers, 'httpUrl'>, username: string, pass = password, address?: string) {
  return gql(servers.httpUrl, LoginDoc, { username, password: pass }, null, forwardedFor(address));
}

const forwardedFor = (address?: string): Record<string, string> => (address ? { 'x-forwarded-for': address } : {});
