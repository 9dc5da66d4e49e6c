/**
 * A minimal urql client (@urql/core) in Node: queries and mutations over HTTP
 * (fetchExchange), subscriptions over the WebSocket server (subscriptionExchange +
 * graphql-ws), typed documents from GraphQL Code Generator (./chat-documents.ts). It plays
 * ./resume-scenario.ts: live messages, then a dropped socket, then a resume with `after`
 * that misses and doubles nothing.
 *
 *   npm start               # in one terminal
 *   npm run example:urql    # in another (API_URL / WS_URL, or API_PORT / SERVER_PORT / HOST)
 */
import { cacheExchange, Client, fetchExchange, subscriptionExchange, type OperationResult } from '@urql/core';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CreateRoomDoc, JoinRoomDoc, LatestMessagesDoc, RegisterDoc, RoomEventsDoc, SendMessageDoc } from './chat-documents';
import { runResumeScenario, type ChatClient } from './resume-scenario';
import { serviceUrls, type ServiceUrls } from './service-urls';

/** urql reports errors in the result, not by rejecting: a chat client wants them thrown. */
function dataOf<T>({ data, error }: OperationResult<T>): T {
  if (error || !data) throw error ?? new Error('no data');
  return data;
}

export function connectUrql({ apiUrl, wsUrl }: ServiceUrls): ChatClient {
  let token: string | null = null;

  // connectionParams runs on every connection: it sends the current token. No retries: a drop
  // fails the subscriptions and the app resumes them after its last cursor (resume-scenario.ts).
  const ws = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: () => ({ token }), retryAttempts: 0 });
  const urql = new Client({
    url: apiUrl,
    fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });

  return {
    ws,
    async register(username, password) {
      const { register } = dataOf(await urql.mutation(RegisterDoc, { username, password }).toPromise());
      token = register.token;
      return register.user;
    },
    async createRoom(name) {
      return dataOf(await urql.mutation(CreateRoomDoc, { name }).toPromise()).createRoom;
    },
    async joinRoom(roomId) {
      dataOf(await urql.mutation(JoinRoomDoc, { roomId }).toPromise());
    },
    async sendMessage(roomId, body) {
      return dataOf(await urql.mutation(SendMessageDoc, { roomId, body }).toPromise()).sendMessage;
    },
    async latestMessages(roomId, last) {
      // network-only: opening a room must see what was sent since the cache last did.
      const result = await urql.query(LatestMessagesDoc, { roomId, last }, { requestPolicy: 'network-only' }).toPromise();
      return dataOf(result).messages.edges.map((edge) => edge.node);
    },
    followRoom(roomId, after, onEvent, onError) {
      const subscription = urql.subscription(RoomEventsDoc, { roomId, after }).subscribe(({ data, error }) => {
        if (data) onEvent(data.roomEvents);
        else onError(error);
      });
      return () => subscription.unsubscribe();
    },
    async close() {
      await ws.dispose();
    },
  };
}

if (require.main === module) {
  runResumeScenario(() => connectUrql(serviceUrls(process.env))).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
