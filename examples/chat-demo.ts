/**
 * A small graphql-ws client: two users chat in a room and in a private conversation,
 * see each other typing, and scroll back through history.
 *
 *   npm start            # in one terminal
 *   npm run demo         # in another, with the same API_PORT / SERVER_PORT / HOST if you set them
 *
 * API_URL / WS_URL name the servers outright (e.g. a deployed service).
 */
import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { serviceUrls } from './service-urls';

const { apiUrl, wsUrl } = serviceUrls(process.env);

interface Person {
  name: string;
  token: string;
  id: string;
  ws: Client;
}

/** Queries and mutations over the WebSocket, like a real-time client would send them. */
async function run<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  for await (const result of client.iterate<T>({ query, variables })) {
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  }
  throw new Error('no result');
}

async function signUp(name: string): Promise<Person> {
  const username = `${name}_${randomBytes(3).toString('hex')}`;
  // register over HTTP: the WebSocket needs a token before it accepts anything.
  const response = await fetch(apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($u: String!, $p: String!) { register(username: $u, password: $p) { token user { id } } }',
      variables: { u: username, p: 'correct horse battery' },
    }),
  });
  const { data, errors } = (await response.json()) as { data?: { register: { token: string; user: { id: string } } }; errors?: unknown };
  if (!data) throw new Error(`register failed: ${JSON.stringify(errors)}`);
  const ws = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { token: data.register.token } });
  return { name: username, token: data.register.token, id: data.register.user.id, ws };
}

/** Prints every event of a subscription until `stop` is called. */
function watch(person: Person, label: string, query: string, variables: Record<string, unknown>): () => void {
  return person.ws.subscribe(
    { query, variables },
    {
      next: (result) => console.log(`  [${person.name} sees ${label}]`, JSON.stringify(result.data ?? result.errors)),
      error: (err) => console.error(`  [${person.name} ${label} error]`, err),
      complete: () => undefined,
    },
  );
}

interface HistoryPage {
  messages: { edges: { node: { body: string } }[]; pageInfo: { hasPreviousPage: boolean; startCursor: string | null } };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  console.log(`service: ${apiUrl} and ${wsUrl}`);
  const alice = await signUp('alice');
  const bob = await signUp('bob');
  console.log(`signed up ${alice.name} and ${bob.name}`);

  const { createRoom: room } = await run<{ createRoom: { id: string } }>(alice.ws, 'mutation { createRoom(name: "general") { id } }');
  await run(bob.ws, 'mutation($r: ID!) { joinRoom(roomId: $r) { id } }', { r: room.id });

  const stops = [
    watch(bob, 'message', 'subscription { messageAdded { room { name kind } author { username } body } }', {}),
    watch(bob, 'typing', 'subscription($r: ID!) { typing(roomId: $r) { user { username } isTyping } }', { r: room.id }),
    watch(alice, 'message', 'subscription { messageAdded { room { name kind } author { username } body } }', {}),
    watch(alice, 'read marker', 'subscription { readMarkers { room { name } user { username } lastRead { body } } }', {}),
  ];
  await pause(300); // let the subscriptions start: graphql-ws does not acknowledge them

  await run(alice.ws, 'mutation($r: ID!) { setTyping(roomId: $r, isTyping: true) }', { r: room.id });
  await pause(200);
  let last = '';
  for (let i = 1; i <= 5; i++) {
    const sent = await run<{ sendMessage: { id: string } }>(alice.ws, 'mutation($r: ID!, $b: String!) { sendMessage(roomId: $r, body: $b) { id } }', { r: room.id, b: `hello #${i}` });
    last = sent.sendMessage.id;
  }
  const { rooms } = await run<{ rooms: unknown }>(bob.ws, 'query { rooms { name unreadCount lastMessage { body } } }');
  console.log('bob\'s chat list:', JSON.stringify(rooms));
  // Bob's app received the messages and shows them: the ticks of alice's messages turn READ.
  await run(bob.ws, 'mutation($m: ID!) { markRead(messageId: $m) { lastRead { body } } }', { m: last });
  await pause(200);
  await run(bob.ws, 'mutation($r: ID!) { sendMessage(roomId: $r, body: "hi alice!") { id } }', { r: room.id });

  const { openDirectRoom: dm } = await run<{ openDirectRoom: { id: string } }>(
    bob.ws,
    'mutation($u: ID!) { openDirectRoom(userId: $u) { id } }',
    { u: alice.id },
  );
  await pause(200);
  await run(bob.ws, 'mutation($r: ID!) { sendMessage(roomId: $r, body: "psst, private") { id } }', { r: dm.id });
  await pause(300);

  console.log('scrolling back through "general", 2 messages a page:');
  let before: string | null = null;
  for (;;) {
    const { messages }: HistoryPage = await run<HistoryPage>(alice.ws, 'query($r: ID!, $b: String) { messages(roomId: $r, last: 2, before: $b) { edges { node { body } } pageInfo { hasPreviousPage startCursor } } }', {
      r: room.id,
      b: before,
    });
    console.log('  page:', messages.edges.map((e) => e.node.body));
    if (!messages.pageInfo.hasPreviousPage) break;
    before = messages.pageInfo.startCursor;
  }

  stops.forEach((stop) => stop());
  await Promise.all([alice.ws.dispose(), bob.ws.dispose()]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
