import { Client, fetchExchange, subscriptionExchange } from 'urql';
import type { Client as WsClient } from 'graphql-ws';
import { createCacheExchange } from './cache';
import type { SessionKeeper } from './session-keeper';

/**
 * One urql client per signed-in session (a new user never sees the previous one's cache):
 * queries and mutations over HTTP to the same origin's /graphql with the session's bearer
 * token, subscriptions over the graphql-ws socket, all through the normalized cache.
 */
export function createSessionClient(keeper: SessionKeeper, ws: WsClient): Client {
  return new Client({
    url: '/graphql',
    // POST always: urql 5 would send short queries as GET, which caches nothing here and reads worse in logs.
    preferGetMethod: false,
    fetch: async (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${await keeper.validToken()}`);
      return fetch(input, { ...init, headers });
    },
    exchanges: [
      createCacheExchange({ viewerId: () => keeper.current.user.id }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
}

/** Before sign-in: register and login only, no cache, no socket. */
export function createAnonymousClient(): Client {
  return new Client({ url: '/graphql', preferGetMethod: false, requestPolicy: 'network-only', exchanges: [fetchExchange] });
}
