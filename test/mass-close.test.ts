import { createRoomWith, listening, liveCount, send, signUp, topics } from './helpers/factories';
import { MessageAddedDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { until } from './helpers/wait';
import { subscribe, wsClient } from './helpers/ws';

/**
 * Sockets closed in the same turn are torn down a few per turn (TeardownQueue, 50 per
 * turn): every one of them still is, and what they held is freed, the room's channel
 * and the user's places under the socket cap.
 */
const sockets = 120;
const servers = useServers({ MAX_SOCKETS_PER_USER: String(sockets) });

test(`${sockets} sockets of one user closed at once: all torn down; the user opens ${sockets} again (the cap) and each gets the next message`, async () => {
  const alice = await signUp(servers(), 'alice');
  const bob = await signUp(servers(), 'bob');
  const roomId = (await createRoomWith(servers(), alice, bob)).id;
  const topic = topics.messages(roomId);
  const openAll = async () => {
    const clients = Array.from({ length: sockets }, () => wsClient(servers().wsUrl, bob.token));
    const subscriptions = clients.map((client) => subscribe(client, MessageAddedDoc, { roomId }));
    await listening(servers(), topic, sockets);
    return { clients, subscriptions };
  };

  const first = await openAll();
  await Promise.all(first.clients.map((client) => client.dispose()));
  await until(() => liveCount(servers(), topic) === 0, 'every follower of the room to be gone');

  // Refused (4008) if a closed socket still counted under the cap.
  const second = await openAll();
  const sent = await send(servers(), alice, roomId, 'after the mass close');
  for (const subscription of second.subscriptions) expect((await subscription.next()).data?.messageAdded.id).toBe(sent.id);
  await Promise.all(second.clients.map((client) => client.dispose()));
});
