import fc from 'fast-check';
import { createRoom, listening, signUp, topics, type TestUser } from './helpers/factories';
import { readAll } from './helpers/history';
import { errorCode, gql } from './helpers/http';
import { useWsClients, wsRequest } from './helpers/live';
import { CreateRoomDoc, MessageAddedDoc, SendMessageDoc } from './helpers/operations';
import { totalRooms } from './helpers/room-db';
import { useServers } from './helpers/servers';
import { subscribe, wsClient, type Subscription } from './helpers/ws';
import type { Client } from 'graphql-ws';
import type { MessageAddedSubscription } from './gql/graphql';

/**
 * Text is normalised once, at the edge: what sendMessage returns, what subscribers get
 * live and what history holds are the same string, or the text is refused with
 * BAD_USER_INPUT and nothing is stored.
 */

const servers = useServers();
const open = useWsClients(servers);

let owner: TestUser;
let room: { id: string };
/** One subscription to the room for the whole file: refused sends deliver nothing, so results stay in step. */
let live: Subscription<MessageAddedSubscription>;
let liveClient: Client;
beforeAll(async () => {
  owner = await signUp(servers(), 'writer');
  room = await createRoom(servers(), owner);
  liveClient = wsClient(servers().wsUrl, owner.token);
  live = subscribe(liveClient, MessageAddedDoc, { roomId: room.id });
  await listening(servers(), topics.messages(room.id));
});
afterAll(async () => {
  await liveClient?.dispose();
});

const trySend = (body: string) => gql(servers().httpUrl, SendMessageDoc, { roomId: room.id, body }, owner.token);
const tryCreateRoom = (name: string) => gql(servers().httpUrl, CreateRoomDoc, { name }, owner.token);
const historyBodies = async () => (await readAll(servers(), owner, room.id)).map((edge) => edge.node.body);

const refusedBodies: [string, string][] = [
  ['a lone high surrogate', 'broken \uD83D text'],
  ['a lone low surrogate', '\uDE00'],
  ['a NUL character', 'nul \u0000 inside'],
  ['a terminal escape sequence', '\u001b[2J\u001b[31mred'],
  ['a C1 control (CSI)', 'x\u009b31m'],
  ['DEL', 'a\u007fb'],
  ['zero-width characters only', '\u200B\u200C\u200D\uFEFF'],
  ['bidirectional overrides only', '\u202E\u202D\u202C\u2066\u2069'],
  ['a right-to-left mark and spaces only', ' \u200F \u200E '],
  ['variation selectors and a word joiner only', '\uFE0F\uFE0E\u2060'],
  ['4001 characters once normalised', 'x'.repeat(4001)],
];

describe('message bodies that are refused', () => {
  test.each(refusedBodies)('a body with %s fails with BAD_USER_INPUT and stores nothing', async (_name, body) => {
    const before = await historyBodies();
    const result = await trySend(body);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data).toBeNull();
    expect(await historyBodies()).toEqual(before);
  });

  test('over graphql-ws, an ESC sequence body fails with BAD_USER_INPUT too', async () => {
    const result = await wsRequest(open(owner.token), SendMessageDoc, { roomId: room.id, body: '\u001b]0;owned\u0007' });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('room names that are refused', () => {
  test.each([
    ['a NUL character', 'nul\u0000room'],
    ['a line break', 'two\nlines'],
    ['a tab', 'tab\there'],
    ['a line separator', 'a\u2028b'],
    ['zero-width characters only', '\u200B\u200D'],
    ['a lone surrogate', 'room \uD800'],
  ])('a room name with %s fails with BAD_USER_INPUT and creates no room', async (_name, name) => {
    const before = await totalRooms(servers());
    const result = await tryCreateRoom(name);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(await totalRooms(servers())).toBe(before);
  });
});

describe('legitimate text passes, the same live, returned and in history', () => {
  test.each([
    ['an emoji ZWJ sequence (family)', '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}'],
    ['Arabic text with a right-to-left mark', '\u200Fمرحبا بالعالم'],
    ['an emoji with a variation selector', '\u2764\uFE0F'],
    ['combining marks already composed (NFC)', 'Zoë, ñandú, Ελληνικά'],
    ['lines and tabs', 'line one\n\tindented'],
    ['an isolated LTR name inside RTL text', 'שלום \u2068Alice\u2069!'],
  ])('%s is stored and delivered unchanged', async (_name, body) => {
    const result = await trySend(body);
    expect(result.errors).toBeUndefined();
    expect(result.data!.sendMessage.body).toBe(body);
    expect((await live.next()).data?.messageAdded.body).toBe(body);
    expect((await historyBodies()).at(-1)).toBe(body);
  });

  test('decomposed text is stored composed (NFC), and CRLF as LF: live, returned and history agree', async () => {
    const result = await trySend('Cafe\u0301\r\nnext line');
    const expected = 'Caf\u00e9\nnext line';
    expect(result.data!.sendMessage.body).toBe(expected);
    expect((await live.next()).data?.messageAdded.body).toBe(expected);
    expect((await historyBodies()).at(-1)).toBe(expected);
  });

  test('a room name is normalised (NFC) and trimmed like a body', async () => {
    const result = await tryCreateRoom('  Cafe\u0301 \u{1F469}\u200D\u{1F4BB}  ');
    expect(result.data!.createRoom.name).toBe('Caf\u00e9 \u{1F469}\u200D\u{1F4BB}');
  });
});

describe('whatever string is sent', () => {
  // Any UTF-16 string, lone surrogates and controls included, mixed with the characters
  // the rules are about, so that refused and accepted bodies both occur often.
  const tricky = fc.constantFrom('\u200D', '\u202E', '\u200F', '\uFE0F', '\u0301', '\r', '\n', '\t', ' ', '\u{1F469}', 'a', 'é');
  const anyBody = fc
    .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 3 }), tricky), { minLength: 0, maxLength: 12 })
    .map((parts) => parts.join(''));

  test('it is refused with BAD_USER_INPUT, or the returned, live and stored bodies are equal', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        const result = await trySend(body);
        if (result.errors) {
          expect(errorCode(result)).toBe('BAD_USER_INPUT');
          return;
        }
        accepted++;
        const returned = result.data!.sendMessage.body;
        expect((await live.next()).data?.messageAdded.body).toBe(returned);
        expect((await historyBodies()).at(-1)).toBe(returned);
      }),
      { numRuns: 60 },
    );
    // The property says little if everything was refused.
    expect(accepted).toBeGreaterThan(5);
  });
});
