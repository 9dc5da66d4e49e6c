import { GraphQLBoolean, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { schema } from '../src/schema';
import { sameForEverySubscriber } from '../src/schema/sharing';
import { isViewerIndependent, SharedSubscriptions } from '../src/servers/graphql/shared-execution';
import { createRoom, joinRoom, listening, send, signUp, topics } from './helpers/factories';
import { useWsClients } from './helpers/live';
import { MessageAddedDoc, TypingDoc } from './helpers/operations';
import { sendOk } from './helpers/sends';
import { ChatListMessageAddedDocument, ChatListReadMarkersDocument } from '../web/src/gql/graphql';
import { useServers } from './helpers/servers';
import { subscribe } from './helpers/ws';

const shareable = (query: string) => isViewerIndependent(schema, parse(query));

describe('which subscriptions are executed once per event and shared', () => {
  test('the contract operations of the tests are shareable', () => {
    expect(shareable(MessageAddedDoc.toString())).toBe(true);
    expect(shareable(TypingDoc.toString())).toBe(true);
  });

  test("the web app's chat list is shared: every member's list gets a new message from one execution", () => {
    // Its unread badge counts live messages in the browser (web/src/client/cache.ts): unreadCount, per viewer, is not selected.
    expect(isViewerIndependent(schema, ChatListMessageAddedDocument)).toBe(true);
    // Every member's marker moves reach every member's list: one execution each, not one per member.
    expect(isViewerIndependent(schema, ChatListReadMarkersDocument)).toBe(true);
  });

  test('fragments and __typename keep a selection shareable', () => {
    expect(shareable('subscription { messageAdded { __typename ...M } } fragment M on Message { id body author { username } }')).toBe(true);
  });

  test('room members and history, the same for every member who receives the event, are shared', () => {
    expect(shareable('subscription { messageAdded { room { members { id } } } }')).toBe(true);
    expect(shareable('subscription { messageAdded { room { messages(last: 1) { edges { cursor node { body } } pageInfo { hasPreviousPage } } } } }')).toBe(true);
    expect(shareable('subscription($r: ID!) { typing(roomId: $r) { user { username } room { members { username } } } }')).toBe(true);
  });

  test('a field not declared shared beside its definition is executed per subscriber', () => {
    const viewer = new GraphQLObjectType({
      name: 'Event',
      fields: {
        id: { type: GraphQLString, extensions: sameForEverySubscriber },
        seenByMe: { type: GraphQLBoolean },
      },
    });
    const perViewer = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean } } }),
      subscription: new GraphQLObjectType({ name: 'Subscription', fields: { event: { type: viewer, extensions: sameForEverySubscriber } } }),
    });
    expect(isViewerIndependent(perViewer, parse('subscription { event { id } }'))).toBe(true);
    expect(isViewerIndependent(perViewer, parse('subscription { event { id seenByMe } }'))).toBe(false);
  });

  test('queries and mutations are not subscriptions to share', () => {
    expect(shareable('{ me { id } }')).toBe(false);
  });

  test('reactedByMe depends on the viewer: a selection of it is executed per subscriber', () => {
    expect(shareable('subscription { roomEvents { cursor message { reactions { emoji count users { id } } } } }')).toBe(true);
    expect(shareable('subscription { roomEvents { message { reactions { emoji reactedByMe } } } }')).toBe(false);
  });
});

describe('the sharing key', () => {
  const keyOf = (query: string, variableValues: Record<string, unknown>) =>
    new SharedSubscriptions().keyOf({ schema, document: parse(query), variableValues });
  const shared = new SharedSubscriptions();
  const keyIn = (document: ReturnType<typeof parse>, variableValues: Record<string, unknown>) => shared.keyOf({ schema, document, variableValues });

  test("subscribers resuming from different cursors share each live event's execution", () => {
    const document = parse('subscription($r: ID, $a: String) { roomEvents(roomId: $r, after: $a) { cursor message { body } } }');
    expect(keyIn(document, { r: 'room-1', a: 'cursor-1' })).toBe(keyIn(document, { r: 'room-1', a: 'cursor-2' }));
    expect(keyIn(document, { r: 'room-1', a: 'cursor-1' })).toBe(keyIn(document, { r: 'room-1' }));
    // Other variables still tell subscriptions apart.
    expect(keyIn(document, { r: 'room-1', a: 'cursor-1' })).not.toBe(keyIn(document, { r: 'room-2', a: 'cursor-1' }));
  });

  test('a cursor variable also used elsewhere in the document stays in the key', () => {
    const query = 'subscription($a: String) { messageAdded(after: $a) { room { messages(after: $a) { edges { cursor } } } } }';
    expect(keyOf(query, { a: 'x' })).not.toBe(null);
    const document = parse(query);
    expect(keyIn(document, { a: 'x' })).not.toBe(keyIn(document, { a: 'y' }));
  });
});

describe('delivery', () => {
  const servers = useServers();
  const open = useWsClients(servers);

  test('a selection of room members is delivered to every subscriber with the members of the room', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    const query = 'subscription($r: ID) { messageAdded(roomId: $r) { body room { members { username } } } }';
    const subs = [alice, bob].map((u) => subscribe(open(u.token), query, { r: room.id }));
    await listening(servers(), topics.messages(room.id), 2);
    await send(servers(), alice, room.id, 'hello');
    for (const sub of subs) {
      const { data } = (await sub.next()) as { data: { messageAdded: { body: string; room: { members: { username: string }[] } } } };
      expect(data.messageAdded.body).toBe('hello');
      expect(data.messageAdded.room.members.map((m) => m.username).sort()).toEqual([alice.username, bob.username].sort());
    }
  });

  test('an event whose shared execution reads the database holds back the events after it, for every subscriber, in order', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);
    // Keeps the room's channel, and its recent events, in this process.
    const keeper = subscribe(open(alice.token), MessageAddedDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id), 1);
    const original = await sendOk(servers(), alice, { roomId: room.id, body: 'original' });
    const bodies = ['reply 1', 'plain 1', 'reply 2', 'plain 2', 'reply 3', 'plain 3'];
    for (const body of bodies) {
      await sendOk(servers(), bob, { roomId: room.id, body, ...(body.startsWith('reply') ? { replyToId: original.id } : {}) });
    }
    for (let i = 0; i < 7; i++) await keeper.next();
    // Resuming replays the six from memory in one go: each reply's replyTo is read (its
    // execution is pending) while the plain message after it is ready at once.
    const query = 'subscription($r: ID, $after: String) { messageAdded(roomId: $r, after: $after) { body cursor replyTo { body } } }';
    const resumed = [alice, bob, bob].map((u) => subscribe(open(u.token), query, { r: room.id, after: original.cursor }));
    type Added = { messageAdded: { body: string; cursor: string; replyTo: { body: string } | null } };
    for (const sub of resumed) {
      const received: Added['messageAdded'][] = [];
      for (let i = 0; i < bodies.length; i++) received.push(((await sub.next()).data as Added).messageAdded);
      expect(received.map((m) => m.body)).toEqual(bodies);
      for (const m of received) expect(m.replyTo).toEqual(m.body.startsWith('reply') ? { body: 'original' } : null);
    }
  });

  test('subscribers sharing a document and subscribers with other variables each get their own room', async () => {
    const alice = await signUp(servers(), 'alice');
    const [one, two] = [await createRoom(servers(), alice), await createRoom(servers(), alice)];
    const onOne = [subscribe(open(alice.token), MessageAddedDoc, { roomId: one.id }), subscribe(open(alice.token), MessageAddedDoc, { roomId: one.id })];
    const onTwo = subscribe(open(alice.token), MessageAddedDoc, { roomId: two.id });
    await listening(servers(), topics.messages(one.id), 2);
    await listening(servers(), topics.messages(two.id), 1);
    const first = await send(servers(), alice, one.id, 'to one');
    const second = await send(servers(), alice, two.id, 'to two');
    for (const sub of onOne) expect((await sub.next()).data?.messageAdded).toEqual(first);
    expect((await onTwo.next()).data?.messageAdded).toEqual(second);
  });
});
