import { toGlobalId, uuidv7 } from '../src/ids';
import { createRoomWith, listening, signUp, topics } from './helpers/factories';
import { errorCode, gqlData } from './helpers/http';
import { useWsClients } from './helpers/live';
import {
  AddReactionDoc,
  attempt,
  distinctEmojis,
  history,
  post,
  react,
  remove,
  RemoveReactionDoc,
  RoomEventsDoc,
  unreact,
  type RoomEventJson,
} from './helpers/message-changes';
import { useServers } from './helpers/servers';
import { subscribe } from './helpers/ws';

const servers = useServers();
const openClient = useWsClients(servers);


async function aMessage() {
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const room = await createRoomWith(servers(), alice, bob);
  const message = await post(servers(), alice, room.id, 'react to me');
  return { alice, bob, room, message };
}

const summary = (reactions: { emoji: string; count: number; reactedByMe: boolean; users: { id: string }[] }[]) =>
  reactions.map((r) => [r.emoji, r.count, r.reactedByMe, r.users.map((u) => u.id)]);

describe('addReaction and removeReaction', () => {
  test('reactions are grouped by emoji in order of first use, users earliest first; reactedByMe is per viewer', async () => {
    const { alice, bob, room, message } = await aMessage();

    await react(servers(), bob, message.id, '👍');
    await react(servers(), alice, message.id, '🎉');
    const afterAlice = await react(servers(), alice, message.id, '👍');

    expect(summary(afterAlice.reactions)).toEqual([
      ['👍', 2, true, [bob.id, alice.id]],
      ['🎉', 1, true, [alice.id]],
    ]);
    const [bobsView] = await history(servers(), bob, room.id);
    expect(summary(bobsView!.reactions)).toEqual([
      ['👍', 2, true, [bob.id, alice.id]],
      ['🎉', 1, false, [alice.id]],
    ]);
  });

  test("the answer's reacting users are the users as stored (id, username, createdAt), as history reads them", async () => {
    const { alice, bob, room, message } = await aMessage();
    await react(servers(), bob, message.id, '👍');
    const doc = `mutation Add($messageId: ID!, $emoji: String!) {
      addReaction(messageId: $messageId, emoji: $emoji) { reactions { emoji users { id username createdAt } } }
    }`;
    const answer = await gqlData<{ addReaction: { reactions: unknown[] } }, unknown>(servers().httpUrl, doc, { messageId: message.id, emoji: '🎉' }, alice.token);
    const profile = `query Who($id: ID!) { node(id: $id) { ... on User { id username createdAt } } }`;
    const [bobAsStored, aliceAsStored] = await Promise.all(
      [bob, alice].map(async (u) => (await gqlData<{ node: unknown }, unknown>(servers().httpUrl, profile, { id: u.id }, alice.token)).node),
    );
    expect(answer.addReaction.reactions).toEqual([
      { emoji: '👍', users: [bobAsStored] },
      { emoji: '🎉', users: [aliceAsStored] },
    ]);
    const read = `query History($roomId: ID!) { messages(roomId: $roomId, last: 1) { edges { node { reactions { emoji users { id username createdAt } } } } } }`;
    const { messages } = await gqlData<{ messages: { edges: { node: { reactions: unknown[] } }[] } }, unknown>(servers().httpUrl, read, { roomId: room.id }, alice.token);
    expect(messages.edges[0]!.node.reactions).toEqual(answer.addReaction.reactions);
  });

  test('removing takes the viewer out of the group, and an empty group away', async () => {
    const { alice, bob, message } = await aMessage();
    await react(servers(), bob, message.id, '👍');
    await react(servers(), alice, message.id, '👍');
    await react(servers(), alice, message.id, '🎉');

    expect(summary((await unreact(servers(), alice, message.id, '👍')).reactions)).toEqual([
      ['👍', 1, false, [bob.id]],
      ['🎉', 1, true, [alice.id]],
    ]);
    expect(summary((await unreact(servers(), alice, message.id, '🎉')).reactions)).toEqual([['👍', 1, false, [bob.id]]]);
  });

  test('adding a reaction already there or removing one not there is not an error and emits nothing', async () => {
    const { alice, bob, room, message } = await aMessage();
    const first = await react(servers(), bob, message.id, '👍');
    const sub = subscribe<{ roomEvents: RoomEventJson }, unknown>(openClient(alice.token), RoomEventsDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));

    expect(await react(servers(), bob, message.id, '👍')).toEqual(first);
    expect(await unreact(servers(), bob, message.id, '🎉')).toEqual(first);
    expect(await unreact(servers(), alice, message.id, '👍')).toMatchObject({ reactions: [{ emoji: '👍', count: 1 }] });
    await sub.expectSilence(300);
  });

  test('each change reaches roomEvents subscribers as REACTIONS_CHANGED, in order, reactedByMe per subscriber', async () => {
    const { alice, bob, room, message } = await aMessage();
    const subs = [alice, bob].map((user) =>
      subscribe<{ roomEvents: RoomEventJson }, unknown>(openClient(user.token), RoomEventsDoc, { roomId: room.id }),
    );
    await listening(servers(), topics.messages(room.id), 2);

    const results = [
      await react(servers(), alice, message.id, '❤️'),
      await react(servers(), bob, message.id, '😂'),
      await unreact(servers(), alice, message.id, '❤️'),
    ];

    const [forAlice, forBob] = await Promise.all(
      subs.map(async (sub) => [(await sub.next()).data!.roomEvents, (await sub.next()).data!.roomEvents, (await sub.next()).data!.roomEvents]),
    );
    expect(forAlice!.map((e) => e.kind)).toEqual(['REACTIONS_CHANGED', 'REACTIONS_CHANGED', 'REACTIONS_CHANGED']);
    expect(forAlice!.map((e) => summary(e.message.reactions))).toEqual([
      [['❤️', 1, true, [alice.id]]],
      [['❤️', 1, true, [alice.id]], ['😂', 1, false, [bob.id]]],
      [['😂', 1, false, [bob.id]]],
    ]);
    expect(forBob!.map((e) => summary(e.message.reactions))).toEqual([
      [['❤️', 1, false, [alice.id]]],
      [['❤️', 1, false, [alice.id]], ['😂', 1, true, [bob.id]]],
      [['😂', 1, true, [bob.id]]],
    ]);
    // Alice's own results (over HTTP) are what her subscription showed.
    expect(forAlice!.map((e) => e.message)).toEqual([results[0], forAlice![1]!.message, results[2]]);
    expect(forBob![1]!.message).toEqual(results[1]);
  });

  test('a deleted message takes no reactions (BAD_USER_INPUT) and its tombstone has none', async () => {
    const { alice, bob, message } = await aMessage();
    await react(servers(), bob, message.id, '👍');
    expect((await remove(servers(), alice, message.id)).reactions).toEqual([]);

    expect(errorCode(await attempt(servers(), bob, AddReactionDoc, { messageId: message.id, emoji: '👍' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await attempt(servers(), bob, RemoveReactionDoc, { messageId: message.id, emoji: '👍' }))).toBe('BAD_USER_INPUT');
  });

  test('a non-member: FORBIDDEN; an unknown or malformed message: NOT_FOUND', async () => {
    const { message } = await aMessage();
    const stranger = await signUp(servers(), 'stranger');

    expect(errorCode(await attempt(servers(), stranger, AddReactionDoc, { messageId: message.id, emoji: '👍' }))).toBe('FORBIDDEN');
    expect(errorCode(await attempt(servers(), stranger, RemoveReactionDoc, { messageId: message.id, emoji: '👍' }))).toBe('FORBIDDEN');
    const unknown = toGlobalId('Message', uuidv7());
    expect(errorCode(await attempt(servers(), stranger, AddReactionDoc, { messageId: unknown, emoji: '👍' }))).toBe('NOT_FOUND');
    expect(errorCode(await attempt(servers(), stranger, AddReactionDoc, { messageId: 'nope', emoji: '👍' }))).toBe('NOT_FOUND');
  });
});

describe('what an emoji is', () => {
  test.each([
    ['a plain emoji', '😀', '😀'],
    ['a skin tone', '👍🏽', '👍🏽'],
    ['a ZWJ sequence', '🧑‍💻', '🧑‍💻'],
    ['a family', '👨‍👩‍👧‍👦', '👨‍👩‍👧‍👦'],
    ['a keycap', '1️⃣', '1️⃣'],
    ['a flag', '🇫🇷', '🇫🇷'],
    ['a subdivision flag', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
    ['a heart without its variation selector, stored with it', '❤', '❤️'],
  ])('%s is accepted', async (_what, emoji, stored) => {
    const { bob, message } = await aMessage();
    expect((await react(servers(), bob, message.id, emoji)).reactions.map((r) => r.emoji)).toEqual([stored]);
  });

  test('❤ and ❤️ are one reaction', async () => {
    const { alice, bob, message } = await aMessage();
    await react(servers(), alice, message.id, '❤️');
    expect(summary((await react(servers(), bob, message.id, '❤')).reactions)).toEqual([['❤️', 2, true, [alice.id, bob.id]]]);
  });

  test.each([
    ['empty', ''],
    ['text', 'ok'],
    ['two emojis', '👍👍'],
    ['an emoji with a space', ' 👍'],
    ['a digit', '1'],
    ['a lone regional indicator', '🇦'],
    ['a long string', '👍'.repeat(100)],
  ])('%s: BAD_USER_INPUT', async (_what, emoji) => {
    const { bob, message } = await aMessage();
    expect(errorCode(await attempt(servers(), bob, AddReactionDoc, { messageId: message.id, emoji }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await attempt(servers(), bob, RemoveReactionDoc, { messageId: message.id, emoji }))).toBe('BAD_USER_INPUT');
  });
});

describe('at most 20 different emojis per message', () => {
  test('the 21st different emoji is BAD_USER_INPUT; one of the 20 can still be added by others', async () => {
    const { alice, bob, room, message } = await aMessage();
    for (const emoji of distinctEmojis.slice(0, 20)) await react(servers(), alice, message.id, emoji);

    expect(errorCode(await attempt(servers(), bob, AddReactionDoc, { messageId: message.id, emoji: distinctEmojis[20] }))).toBe('BAD_USER_INPUT');
    const [kept] = await history(servers(), bob, room.id);
    expect(kept!.reactions).toHaveLength(20);
    expect((await react(servers(), bob, message.id, distinctEmojis[0]!)).reactions[0]).toMatchObject({ count: 2 });
    // Removing one makes room for another.
    await unreact(servers(), alice, message.id, distinctEmojis[5]!);
    expect((await react(servers(), bob, message.id, distinctEmojis[20]!)).reactions).toHaveLength(20);
  });

  test('30 different emojis added at once: exactly 20 are kept, the other 10 are refused', async () => {
    const { alice, bob, room, message } = await aMessage();
    const results = await Promise.all(
      distinctEmojis.slice(0, 30).map((emoji, i) => attempt(servers(), i % 2 ? alice : bob, AddReactionDoc, { messageId: message.id, emoji })),
    );

    expect(results.filter((r) => !r.errors)).toHaveLength(20);
    expect(results.filter((r) => r.errors).map(errorCode)).toEqual(Array(10).fill('BAD_USER_INPUT'));
    const [kept] = await history(servers(), alice, room.id);
    expect(kept!.reactions).toHaveLength(20);
  });
});
