import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * Shown in GraphiQL's first tab: a tour of the API in the order a new user needs it.
 * Nothing in it is fixed: each person picks their own username (a fixed one would be
 * taken, CONFLICT, by the second person to try), and a second tab shows `Live` receiving
 * what `SendMessage` sends. test/graphiql-tour.test.ts validates it and runs it twice.
 */
const defaultQuery = `# A tour of the chat API. Run the operations in order (the ▶ button asks which).
#
# 1. Pick your own name: open the Variables pane below and paste, with YOUR values,
#      { "username": "pick-a-name", "password": "at least 8 characters" }
#    (usernames: 3-32 letters, digits, "_", "." or "-"; CONFLICT means it is taken).
# 2. Run Register (Login next time). Put its token in the Headers pane:
#      { "Authorization": "Bearer <token>" }
# 3. Run CreateRoom, then add the room's id to the Variables: "roomId": "<id>"
# 4. Open a second tab (+), paste this whole document and the same Headers there,
#    and run Live: it keeps streaming (over SSE) every message of your rooms.
# 5. Back in this tab, run SendMessage: the message appears in the Live tab.
#    Then MyRooms (the chat list: unread counts, last messages) and History
#    (with each message's ticks) read what is stored.

mutation Register($username: String!, $password: String!) {
  register(username: $username, password: $password) { token user { id username } }
}

mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) { token }
}

mutation CreateRoom($roomName: String! = "general") {
  createRoom(name: $roomName) { id name }
}

subscription Live {
  messageAdded { room { name } author { username } body createdAt }
}

mutation SendMessage($roomId: ID!, $body: String! = "Hello from GraphiQL!") {
  sendMessage(roomId: $roomId, body: $body) { id body createdAt }
}

query MyRooms {
  rooms { id kind name lastActivityAt unreadCount lastMessage { body } members { username } }
}

query History($roomId: ID!) {
  messages(roomId: $roomId, last: 20) {
    edges { cursor node { author { username } body createdAt status } }
    pageInfo { hasPreviousPage startCursor }
  }
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
