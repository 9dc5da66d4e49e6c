import { createRoomWith, signUp } from './helpers/factories';
import { sseSubscribe, useWsClients } from './helpers/live';
import { PresenceDoc, presenceAs, presenceSubscribed, untilPresence, useSockets } from './helpers/presence';
import { useServers } from './helpers/servers';
import { subscribe } from './helpers/ws';

/** A short grace keeps the tests fast; the default (5 s) is the same code with a longer wait. */
const graceMs = 300;
const servers = useServers({ PRESENCE_GRACE_MS: String(graceMs) });
const openClient = useWsClients(servers);
const openSocket = useSockets(servers);

/** Alice and Bob share a room; Carol shares none with either. */
async function threeUsers() {
  const [alice, bob, carol] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob'), await signUp(servers(), 'carol')];
  await createRoomWith(servers(), alice, bob);
  return { alice, bob, carol };
}

describe('User.online and User.lastSeenAt', () => {
  test('a user with an acknowledged socket open is online, with no lastSeenAt', async () => {
    const { alice, bob } = await threeUsers();
    expect(await presenceAs(servers(), alice, bob)).toEqual({ online: false, lastSeenAt: null });

    await openSocket(bob.token);

    expect(await untilPresence(servers(), alice, bob, true)).toEqual({ online: true, lastSeenAt: null });
  });

  test('after the last socket closes and the grace passes, the user is offline with lastSeenAt stored', async () => {
    const { alice, bob } = await threeUsers();
    const client = await openSocket(bob.token);
    await untilPresence(servers(), alice, bob, true);
    const beforeClose = Date.now();

    await client.dispose();
    const state = await untilPresence(servers(), alice, bob, false);

    expect(state.lastSeenAt).not.toBeNull();
    const seen = Date.parse(state.lastSeenAt!);
    // When the socket closed: after Bob was seen online, before Alice read him offline (the grace came after).
    expect(seen).toBeGreaterThanOrEqual(beforeClose - 1000);
    expect(seen).toBeLessThanOrEqual(Date.now());
  });

  test('a user stays online while one of two sockets is still open', async () => {
    const { alice, bob } = await threeUsers();
    const [phone, laptop] = [await openSocket(bob.token), await openSocket(bob.token)];
    await untilPresence(servers(), alice, bob, true);

    await phone.dispose();
    // Longer than the grace: a wrongly counted close would have taken Bob offline by now.
    await new Promise((resolve) => setTimeout(resolve, graceMs + 300));

    expect(await presenceAs(servers(), alice, bob)).toEqual({ online: true, lastSeenAt: null });
    await laptop.dispose();
    await untilPresence(servers(), alice, bob, false);
  });

  test('strangers read online: false and lastSeenAt: null, online or not', async () => {
    const { alice, bob, carol } = await threeUsers();
    const client = await openSocket(bob.token);
    await untilPresence(servers(), alice, bob, true);

    expect(await presenceAs(servers(), carol, bob)).toEqual({ online: false, lastSeenAt: null });
    await client.dispose();
    await untilPresence(servers(), alice, bob, false);
    expect(await presenceAs(servers(), carol, bob)).toEqual({ online: false, lastSeenAt: null });
  });

  test('users read their own presence', async () => {
    const { bob } = await threeUsers();
    await openSocket(bob.token);

    expect(await untilPresence(servers(), bob, bob, true)).toEqual({ online: true, lastSeenAt: null });
  });
});

describe('presence subscription', () => {
  test('delivers the transitions of co-members only, never of strangers nor of the subscriber', async () => {
    const { alice, bob, carol } = await threeUsers();
    const aliceSees = subscribe(openClient(alice.token), PresenceDoc);
    await presenceSubscribed(servers());

    // Carol first: had her transition been delivered, it would arrive before Bob's.
    await openSocket(carol.token);
    await untilPresence(servers(), carol, carol, true);
    const bobClient = await openSocket(bob.token);

    expect((await aliceSees.next()).data?.presence).toEqual({ id: bob.id, username: bob.username, online: true, lastSeenAt: null });
    await bobClient.dispose();
    const offline = (await aliceSees.next(graceMs + 5000)).data?.presence;
    expect(offline).toMatchObject({ id: bob.id, online: false });
    expect(offline?.lastSeenAt).toEqual((await presenceAs(servers(), alice, bob)).lastSeenAt);
  });

  test("the subscriber's own transitions are not delivered to them", async () => {
    const { alice, bob } = await threeUsers();
    // Over SSE, so that Alice has no socket: her first one is a transition of hers.
    const aliceSees = await sseSubscribe(servers().httpUrl, PresenceDoc, {}, alice.token);
    await presenceSubscribed(servers());

    const aliceSocket = await openSocket(alice.token);
    await untilPresence(servers(), alice, alice, true);
    await aliceSocket.dispose();
    await untilPresence(servers(), alice, alice, false);
    await openSocket(bob.token);

    // Bob's is the first transition Alice receives.
    try {
      expect((await aliceSees.next()).data?.presence).toMatchObject({ id: bob.id, online: true });
    } finally {
      aliceSees.close();
    }
  });

  test('a reconnect within the grace delivers no transition and keeps the user online', async () => {
    const { alice, bob } = await threeUsers();
    const aliceSees = subscribe(openClient(alice.token), PresenceDoc);
    await presenceSubscribed(servers());
    const first = await openSocket(bob.token);
    expect((await aliceSees.next()).data?.presence).toMatchObject({ id: bob.id, online: true });

    await first.dispose();
    const second = await openSocket(bob.token);

    // Past the grace of the first socket: no offline (nor a second online) was sent.
    await aliceSees.expectSilence(graceMs + 300);
    expect(await presenceAs(servers(), alice, bob)).toEqual({ online: true, lastSeenAt: null });
    await second.dispose();
    expect((await aliceSees.next(graceMs + 5000)).data?.presence).toMatchObject({ id: bob.id, online: false });
  });
});
