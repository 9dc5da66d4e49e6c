import { createRoom, joinRoom, listening, openDirect, send, signUp, topics } from './helpers/factories';
import { gqlData } from './helpers/http';
import { useWsClients } from './helpers/live';
import { LeaveRoomDoc, MessageAddedDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { until } from './helpers/wait';
import { subscribe } from './helpers/ws';

const servers = useServers();
const openClient = useWsClients(servers);

function leave(token: string, roomId: string) {
  return gqlData(servers().httpUrl, LeaveRoomDoc, { roomId }, token);
}

/** Resolves once nobody on this server listens to the room's messages any more. */
function nobodyListensTo(roomId: string) {
  const topic = topics.messages(roomId);
  return until(() => servers().deps.bus.listenerCount(topic) === 0, `no listener on ${topic}`);
}

describe('messageAdded without roomId', () => {
  test("delivers messages of all the user's rooms: own, joined and DIRECT, and no others", async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const own = await createRoom(servers(), alice);
    const joined = await createRoom(servers(), bob);
    await joinRoom(servers(), alice, joined.id);
    const direct = await openDirect(servers(), bob, alice);
    const foreign = await createRoom(servers(), bob);
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, {});
    for (const room of [own, joined, direct]) await listening(servers(), topics.messages(room.id));

    // The foreign message is published before the next send returns: delivered, it would come first.
    await send(servers(), bob, foreign.id, 'not for alice');
    const sent = [
      await send(servers(), alice, own.id, 'in own room'),
      await send(servers(), bob, joined.id, 'in joined room'),
      await send(servers(), bob, direct.id, 'in direct room'),
    ];

    for (const message of sent) expect((await sub.next()).data?.messageAdded).toEqual(message);
  });

  test('includes a room joined after subscribing', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), bob);
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, {});
    await listening(servers(), topics.membership(alice.id));

    await joinRoom(servers(), alice, room.id);
    await listening(servers(), topics.messages(room.id));
    const sent = await send(servers(), bob, room.id, 'welcome, alice');

    expect((await sub.next()).data?.messageAdded).toEqual(sent);
  });

  test('includes a room created after subscribing', async () => {
    const alice = await signUp(servers(), 'alice');
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, {});
    await listening(servers(), topics.membership(alice.id));

    const room = await createRoom(servers(), alice);
    await listening(servers(), topics.messages(room.id));
    const sent = await send(servers(), alice, room.id, 'first words');

    expect((await sub.next()).data?.messageAdded).toEqual(sent);
  });

  test('includes a DIRECT room the other user opened after subscribing', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, {});
    await listening(servers(), topics.membership(alice.id));

    const direct = await openDirect(servers(), bob, alice);
    await listening(servers(), topics.messages(direct.id));
    const sent = await send(servers(), bob, direct.id, 'psst');

    const received = (await sub.next()).data?.messageAdded;
    expect(received).toEqual(sent);
    expect(received?.room).toMatchObject({ id: direct.id, kind: 'DIRECT', name: null });
  });

  test('stops delivering a room left after subscribing, and keeps delivering the others', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const left = await createRoom(servers(), bob);
    const kept = await createRoom(servers(), bob);
    await joinRoom(servers(), alice, left.id);
    await joinRoom(servers(), alice, kept.id);
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, {});
    await listening(servers(), topics.messages(left.id));
    await listening(servers(), topics.messages(kept.id));

    await leave(alice.token, left.id);
    await nobodyListensTo(left.id);
    await send(servers(), bob, left.id, 'after alice left');
    // Delivery is in-process and immediate; 300 ms is ample for a wrongly routed message to show up.
    await sub.expectSilence(300);

    const sent = await send(servers(), bob, kept.id, 'still here');
    expect((await sub.next()).data?.messageAdded).toEqual(sent);
  });

  test('a room left and joined again is delivered once per message', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), bob);
    await joinRoom(servers(), alice, room.id);
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, {});
    await listening(servers(), topics.messages(room.id));

    await leave(alice.token, room.id);
    await nobodyListensTo(room.id);
    await joinRoom(servers(), alice, room.id);
    await listening(servers(), topics.messages(room.id));
    const sent = await send(servers(), bob, room.id, 'welcome back');

    expect((await sub.next()).data?.messageAdded).toEqual(sent);
    // A duplicate listener left over from the first membership would deliver it a second time right away.
    await sub.expectSilence(200);
  });
});

describe('messageAdded(roomId) and leaving', () => {
  test('the subscription completes when the user leaves the room', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoom(servers(), bob);
    await joinRoom(servers(), alice, room.id);
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));

    // Pull before leaving: graphql-ws's iterate() never ends if `complete` lands before anyone awaits it.
    const completion = sub.completed();
    await leave(alice.token, room.id);

    expect(await completion).toEqual([]);
    await nobodyListensTo(room.id);
  });

  test("another member leaving does not end the user's subscription", async () => {
    const [alice, bob, carol] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob'), await signUp(servers(), 'carol')];
    const room = await createRoom(servers(), bob);
    await joinRoom(servers(), alice, room.id);
    await joinRoom(servers(), carol, room.id);
    const sub = subscribe(openClient(alice.token), MessageAddedDoc, { roomId: room.id });
    await listening(servers(), topics.messages(room.id));

    await leave(carol.token, room.id);
    const sent = await send(servers(), bob, room.id, 'carol left');

    expect((await sub.next()).data?.messageAdded).toEqual(sent);
  });
});
