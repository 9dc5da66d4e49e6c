/**
 * A minimal Apollo Client 4 in Node: queries and mutations over HTTP (HttpLink),
 * subscriptions over the WebSocket server (GraphQLWsLink + graphql-ws), typed documents
 * from GraphQL Code Generator (./chat-documents.ts). It plays ./resume-scenario.ts: live
 * messages, then a dropped socket, then a resume with `after` that misses and doubles nothing.
 *
 *   npm start                 # in one terminal
 *   npm run example:apollo    # in another (API_URL / WS_URL, or API_PORT / SERVER_PORT / HOST)
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CreateRoomDoc, JoinRoomDoc, LatestMessagesDoc, RegisterDoc, RoomEventsDoc, SendMessageDoc } from './chat-documents';
import { runResumeScenario, type ChatClient } from './resume-scenario';
import { serviceUrls, type ServiceUrls } from './service-urls';

export function connectApollo({ apiUrl, wsUrl }: ServiceUrls): ChatClient {
  let token: string | null = null;

  // connectionParams runs on every connection: it sends the current token. No retries: a drop
  // fails the subscriptions and the app resumes them after its last cursor (resume-scenario.ts).
  const ws = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: () => ({ token }), retryAttempts: 0 });
  const withToken = new SetContextLink(({ headers }) => ({ headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers }));
  const link = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(ws),
    withToken.concat(new HttpLink({ uri: apiUrl })),
  );
  const apollo = new ApolloClient({ link, cache: new InMemoryCache() });

  return {
    ws,
    async register(username, password) {
      const { data } = await apollo.mutate({ mutation: RegisterDoc, variables: { username, password } });
      token = data!.register.token;
      return data!.register.user;
    },
    async createRoom(name) {
      const { data } = await apollo.mutate({ mutation: CreateRoomDoc, variables: { name } });
      return data!.createRoom;
    },
    async joinRoom(roomId) {
      await apollo.mutate({ mutation: JoinRoomDoc, variables: { roomId } });
    },
    async sendMessage(roomId, body) {
      const { data } = await apollo.mutate({ mutation: SendMessageDoc, variables: { roomId, body } });
      return data!.sendMessage;
    },
    async latestMessages(roomId, last) {
      // network-only: opening a room must see what was sent since the cache last did.
      const { data } = await apollo.query({ query: LatestMessagesDoc, variables: { roomId, last }, fetchPolicy: 'network-only' });
      return data!.messages.edges.map((edge) => edge.node);
    },
    followRoom(roomId, after, onEvent, onError) {
      const subscription = apollo.subscribe({ query: RoomEventsDoc, variables: { roomId, after } }).subscribe({
        next: ({ data, error }) => (data ? onEvent(data.roomEvents) : onError(error)),
        error: onError,
      });
      return () => subscription.unsubscribe();
    },
    async close() {
      apollo.stop();
      await ws.dispose();
    },
  };
}

if (require.main === module) {
  runResumeScenario(() => connectApollo(serviceUrls(process.env))).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
