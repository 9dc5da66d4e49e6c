import { createRoom, joinRoom, listening, signUp, topics, type TestUser } from './helpers/factories';
import { errorCode, gql, gqlData } from './helpers/http';
import { refusalCode, useWsClients } from './helpers/live';
import { MessagesDoc, SetTypingDoc, TypingDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { subscribe } from './helpers/ws';

/** A short expiry keeps the timing tests fast; the default (6 s) is covered in typing-expiry.test.ts. */
const typingTimeoutMs = 300;
const servers = useServers({ TYPING_TIMEOUT_MS: String(typingTimeoutMs) });
const openClient = useWsClients(servers);

function setTyping(user: TestUser, roomId: string, isTyping: boolean) {
  return gql(servers().httpUrl, SetTypingDoc, { roomId, isTyping }, user.token);
}

/** Alice and Bob in one GROUP room, Alice watching its typing indicators. */
async function aliceWatchesBob() {
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const room = await createRoom(servers(), alice);
  await joinRoom(servers(), bob, room.id);
  const aliceSees = subscribe(openClient(alice.token), TypingDoc, { roomId: room.id });
  await listening(servers(), topics.typing(room.id));
  return { alice, bob, room, aliceSees };
}

describe('typing(roomId) between members', () => {
  test("setTyping(true) by bob reaches alice's subscription with user=bob and isTyping=true", async () => {
    const { bob, room, aliceSees } = await aliceWatchesBob();

    const result = await setTyping(bob, room.id, true);

    expect(result.errors).toBeUndefined();
    expect(result.data?.setTyping).toBe(true);
    expect((await aliceSees.next()).data?.typing).toEqual({
      isTyping: true,
      user: { id: bob.id, username: bob.username },
      room: { id: room.id },
    });
  });

  test('the sender does not receive their own typing events, nor their expiry', async () => {
    const { bob, room, aliceSees } = await aliceWatchesBob();
    const bobSees = subscribe(openClient(bob.token), TypingDoc, { roomId: room.id });
    await listening(servers(), topics.typing(room.id), 2);

    await setTyping(bob, room.id, true);

    // Alice receiving it proves the event went out while Bob was listening.
    expect((await aliceSees.next()).data?.typing).toMatchObject({ isTyping: true, user: { id: bob.id } });
    // The window outlasts the expiry, so neither Bob's true nor its timed-out false may reach him.
    await bobSees.expectSilence(typingTimeoutMs + 300);
  });

  test('setTyping(false) delivers isTyping=false and cancels the expiry', async () => {
    const { bob, room, aliceSees } = await aliceWatchesBob();

    await setTyping(bob, room.id, true);
    expect((await aliceSees.next()).data?.typing.isTyping).toBe(true);
    await setTyping(bob, room.id, false);

    expect((await aliceSees.next()).data?.typing).toMatchObject({ isTyping: false, user: { id: bob.id } });
    // Bob already stopped: a second, timed-out false after the expiry would be noise.
    await aliceSees.expectSilence(typingTimeoutMs + 300);
  });

  test('an isTyping=true without follow-up is ended by the server with isTyping=false after the timeout', async () => {
    const { bob, room, aliceSees } = await aliceWatchesBob();

    await setTyping(bob, room.id, true);
    expect((await aliceSees.next()).data?.typing.isTyping).toBe(true);
    const trueAt = Date.now();

    const expired = await aliceSees.next(typingTimeoutMs + 2000);
    const elapsed = Date.now() - trueAt;

    expect(expired.data?.typing).toEqual({ isTyping: false, user: { id: bob.id, username: bob.username }, room: { id: room.id } });
    // The timer starts just before the true is emitted, so a few ms of delivery may be shaved off.
    expect(elapsed).toBeGreaterThanOrEqual(typingTimeoutMs - 50);
    expect(elapsed).toBeLessThan(typingTimeoutMs + 1500);
  });

  test('a repeated isTyping=true re-arms the expiry instead of ending earlier', async () => {
    const { bob, room, aliceSees } = await aliceWatchesBob();

    await setTyping(bob, room.id, true);
    await aliceSees.next();
    // Half the timeout passes with no expiry; refreshing then means an un-cleared first timer would fire early.
    await aliceSees.expectSilence(typingTimeoutMs / 2);
    const refreshedAt = Date.now();
    await setTyping(bob, room.id, true);
    expect((await aliceSees.next()).data?.typing.isTyping).toBe(true);

    // Exactly one false follows, a full timeout after the refresh.
    expect((await aliceSees.next(typingTimeoutMs + 2000)).data?.typing.isTyping).toBe(false);
    expect(Date.now() - refreshedAt).toBeGreaterThanOrEqual(typingTimeoutMs - 50);
    await aliceSees.expectSilence(typingTimeoutMs + 200);
  });
});

describe('typing access and storage', () => {
  test('setTyping by a non-member fails with FORBIDDEN', async () => {
    const [owner, outsider] = [await signUp(servers(), 'owner'), await signUp(servers(), 'outsider')];
    const room = await createRoom(servers(), owner);

    const result = await setTyping(outsider, room.id, true);

    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data ?? null).toBeNull();
  });

  test('setTyping without a token fails with UNAUTHENTICATED', async () => {
    const room = await createRoom(servers(), await signUp(servers(), 'owner'));

    const result = await gql(servers().httpUrl, SetTypingDoc, { roomId: room.id, isTyping: true });

    expect(errorCode(result)).toBe('UNAUTHENTICATED');
  });

  test('a typing subscription by a non-member ends with a FORBIDDEN error and no data', async () => {
    const [owner, outsider] = [await signUp(servers(), 'owner'), await signUp(servers(), 'outsider')];
    const room = await createRoom(servers(), owner);

    const sub = subscribe(openClient(outsider.token), TypingDoc, { roomId: room.id });

    expect(await refusalCode(sub)).toBe('FORBIDDEN');
    expect(servers().deps.bus.listenerCount(topics.typing(room.id))).toBe(0);
  });

  test('setTyping returns true and stores nothing: no history, no replay to a later subscriber', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), alice);
    await joinRoom(servers(), bob, room.id);

    expect((await setTyping(bob, room.id, true)).data?.setTyping).toBe(true);

    const { messages } = await gqlData(servers().httpUrl, MessagesDoc, { roomId: room.id }, alice.token);
    expect(messages.edges).toEqual([]);
    const lateSub = subscribe(openClient(alice.token), TypingDoc, { roomId: room.id });
    await listening(servers(), topics.typing(room.id));
    // Bob is still "typing", but only live events exist: a subscriber that comes later is told nothing.
    await lateSub.expectSilence(typingTimeoutMs + 200);
  });
});
