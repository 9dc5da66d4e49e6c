import { Kind, parse, print, validate, type OperationDefinitionNode } from 'graphql';
import { schema } from '../src/schema';
import { graphiqlOptions } from '../src/servers/http/graphiql';
import { listening, topics, uniqueName } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import { sseSubscribe } from './helpers/live';
import { useServers, type TestServers } from './helpers/servers';

const tour = parse(graphiqlOptions.defaultQuery ?? '');

/** One operation of the tour as its own document, as GraphiQL sends it when you pick it. */
function operation(name: string): string {
  const found = tour.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name,
  );
  if (!found) throw new Error(`the tour has no operation ${name}`);
  return print(found);
}

/** The parts of the tour's results this test reads. */
interface TourData {
  register: { token: string };
  login: { token: string };
  createRoom: { id: string };
  sendMessage: { body: string };
  messageAdded: { room: { name: string }; author: { username: string }; body: string };
  rooms: { kind: string; name: string; members: { username: string }[] }[];
  messages: { edges: { node: { author: { username: string }; body: string } }[] };
}

/** Runs one operation of the tour as GraphiQL would, with the Variables and Headers panes' contents. */
function run(servers: TestServers, name: string, variables: Record<string, unknown>, token?: string): Promise<TourData> {
  return gqlData<TourData, Record<string, unknown>>(servers.httpUrl, operation(name), variables, token);
}

/** What a person does, following the tour's comments, with a name of their own. */
async function takeTheTour(servers: TestServers, username: string) {
  const password = 'my own password';
  const { token } = (await run(servers, 'Register', { username, password })).register;
  const room = (await run(servers, 'CreateRoom', {}, token)).createRoom;
  // Step 4, in a second tab: Live streams while this tab sends.
  const live = await sseSubscribe<TourData, Record<string, unknown>>(servers.httpUrl, operation('Live'), {}, token);
  try {
    await listening(servers, topics.messages(room.id));
    const sent = (await run(servers, 'SendMessage', { roomId: room.id }, token)).sendMessage;
    const event = await live.next();
    expect(event.data?.messageAdded).toMatchObject({ room: { name: 'general' }, author: { username }, body: sent.body });
  } finally {
    live.close();
  }
  const { rooms } = await run(servers, 'MyRooms', {}, token);
  const { messages } = await run(servers, 'History', { roomId: room.id }, token);
  const { login } = await run(servers, 'Login', { username, password });
  return { rooms, messages, login };
}

describe("GraphiQL's tour (the first tab's document)", () => {
  test('every operation of the tour is valid against the schema the servers serve', () => {
    expect(validate(schema, tour).map((e) => e.message)).toEqual([]);
    const names = tour.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? d.name?.value : d.kind));
    expect(names).toEqual(['Register', 'Login', 'CreateRoom', 'Live', 'SendMessage', 'MyRooms', 'History']);
  });

  describe('run as a person would', () => {
    const servers = useServers();

    test('two people take the whole tour one after the other, each as themselves, and Live shows what SendMessage sent', async () => {
      for (const username of [uniqueName('first'), uniqueName('second')]) {
        const { rooms, messages, login } = await takeTheTour(servers(), username);
        expect(rooms).toEqual([expect.objectContaining({ kind: 'GROUP', name: 'general', members: [{ username }] })]);
        expect(messages.edges.map((e) => [e.node.author.username, e.node.body])).toEqual([[username, 'Hello from GraphiQL!']]);
        expect(login.token).toEqual(expect.any(String));
      }
    });

    test('Register with a name someone else took answers CONFLICT, and their account stays theirs', async () => {
      const username = uniqueName('taken');
      await gqlData(servers().httpUrl, operation('Register'), { username, password: 'the first password' });
      const again = await gql(servers().httpUrl, operation('Register'), { username, password: 'another password' });
      expect(errorCode(again)).toBe('CONFLICT');
      const login = await gql(servers().httpUrl, operation('Login'), { username, password: 'another password' });
      expect(errorCode(login)).toBe('UNAUTHENTICATED');
    });
  });
});
