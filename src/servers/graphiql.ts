import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/** Shown in GraphiQL's first tab: a tour of the API in the order a new user needs it. */
const defaultQuery = `# 1. Run "Register" (or "Login"), copy the token into Headers:
#    { "Authorization": "Bearer <token>" }
# 2. Then run the others. Subscriptions stream over SSE.

mutation Register {
  register(username: "alice", password: "correct horse") { token user { id username } }
}

mutation Login {
  login(username: "alice", password: "correct horse") { token }
}

mutation CreateRoom {
  createRoom(name: "general") { id name }
}

query MyRooms {
  rooms { id kind name members { username } }
}

subscription Live {
  messageAdded { room { name } author { username } body createdAt }
}
`;

export const graphiqlOptions: GraphiQLOptions = { title: 'Chat API', defaultQuery };

/**
 * GraphiQL with every asset inline (no CDN), so it works without internet access.
 * The page is ~9 MB of JavaScript: render it once per distinct options.
 */
export function createGraphiQLRenderer(): (options?: GraphiQLOptions) => string {
  const cache = new Map<string, string>();
  return (options) => {
    const key = JSON.stringify(options ?? {});
    let page = cache.get(key);
    if (!page) {
      page = renderGraphiQL(options);
      cache.set(key, page);
    }
    return page;
  };
}
