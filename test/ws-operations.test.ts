import { toGlobalId, uuidv7 } from '../src/ids';
import { createRoom, send, signUp } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import { codeOf, useWsClients, wsData, wsRequest } from './helpers/live';
import { CreateRoomDoc, MeDoc, MessagesDoc, RoomsDoc, SendMessageDoc } from './helpers/operations';
import { useServers } from './helpers/servers';

const servers = useServers();
const openClient = useWsClients(servers);

describe('queries and mutations over graphql-ws', () => {
  test('`me` over WebSocket returns the same user as over HTTP', async () => {
    const alice = await signUp(servers(), 'alice');

    const overWs = await wsData(openClient(alice.token), MeDoc, {});
    const overHttp = await gqlData(servers().httpUrl, MeDoc, {}, alice.token);

    expect(overWs.me).toEqual(overHttp.me);
    expect(overWs.me).toMatchObject({ id: alice.id, username: alice.username });
  });

  test('createRoom, sendMessage and messages over one socket; HTTP sees the same state', async () => {
    const alice = await signUp(servers(), 'alice');
    const client = openClient(alice.token);

    const { createRoom: room } = await wsData(client, CreateRoomDoc, { name: 'made over ws' });
    const { sendMessage: sent } = await wsData(client, SendMessageDoc, { roomId: room.id, body: 'stored over ws' });
    const { messages } = await wsData(client, MessagesDoc, { roomId: room.id });

    expect(room).toMatchObject({ kind: 'GROUP', name: 'made over ws', members: [{ id: alice.id }] });
    expect(sent).toMatchObject({ body: 'stored over ws', author: { id: alice.id }, room: { id: room.id } });
    expect(messages.edges.map((edge) => edge.node)).toEqual([
      { id: sent.id, body: sent.body, createdAt: sent.createdAt, author: sent.author },
    ]);
    const { rooms } = await gqlData(servers().httpUrl, RoomsDoc, {}, alice.token);
    expect(rooms.map((r) => r.id)).toEqual([room.id]);
  });

  test('several operations run concurrently on one socket, each with its own result', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    const client = openClient(alice.token);

    const results = await Promise.all(
      ['one', 'two', 'three'].map((body) => wsData(client, SendMessageDoc, { roomId: room.id, body })),
    );

    expect(results.map((r) => r.sendMessage.body)).toEqual(['one', 'two', 'three']);
    expect(new Set(results.map((r) => r.sendMessage.id)).size).toBe(3);
  });
});

describe('errors over graphql-ws carry the same extensions.code as over HTTP', () => {
  /** Runs one operation on both transports and returns both error codes. */
  async function codesOnBoth(token: string, document: { toString(): string }, variables: Record<string, unknown>) {
    const overHttp = await gql(servers().httpUrl, document.toString(), variables, token);
    const overWs = await wsRequest(openClient(token), document.toString(), variables);
    expect(overWs.data ?? null).toBeNull();
    return { http: errorCode(overHttp), ws: codeOf(overWs) };
  }

  test('sendMessage to a room you are not in: FORBIDDEN on both', async () => {
    const [owner, outsider] = [await signUp(servers(), 'owner'), await signUp(servers(), 'outsider')];
    const room = await createRoom(servers(), owner);

    const codes = await codesOnBoth(outsider.token, SendMessageDoc, { roomId: room.id, body: 'let me in' });

    expect(codes).toEqual({ http: 'FORBIDDEN', ws: 'FORBIDDEN' });
  });

  test('messages of an unknown room: NOT_FOUND on both', async () => {
    const alice = await signUp(servers(), 'alice');

    const codes = await codesOnBoth(alice.token, MessagesDoc, { roomId: toGlobalId('Room', uuidv7()) });

    expect(codes).toEqual({ http: 'NOT_FOUND', ws: 'NOT_FOUND' });
  });

  test('sendMessage with a blank body: BAD_USER_INPUT on both', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);

    const codes = await codesOnBoth(alice.token, SendMessageDoc, { roomId: room.id, body: '   ' });

    expect(codes).toEqual({ http: 'BAD_USER_INPUT', ws: 'BAD_USER_INPUT' });
  });

  test('createRoom with an empty name: BAD_USER_INPUT on both', async () => {
    const alice = await signUp(servers(), 'alice');

    const codes = await codesOnBoth(alice.token, CreateRoomDoc, { name: '' });

    expect(codes).toEqual({ http: 'BAD_USER_INPUT', ws: 'BAD_USER_INPUT' });
  });

  test('a failed operation leaves the socket usable for the next one', async () => {
    const [owner, outsider] = [await signUp(servers(), 'owner'), await signUp(servers(), 'outsider')];
    const room = await createRoom(servers(), owner);
    await send(servers(), owner, room.id, 'members only');
    const client = openClient(outsider.token);

    const refused = await wsRequest(client, MessagesDoc, { roomId: room.id });
    const { me } = await wsData(client, MeDoc, {});

    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(me.id).toBe(outsider.id);
  });
});
