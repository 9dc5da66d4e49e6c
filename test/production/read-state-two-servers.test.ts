import { createRoomWith, listening, rawIdOf, signUp } from '../helpers/factories';
import { Topic } from '../../src/live/pubsub';
import { useWsClients } from '../helpers/live';
import { post } from '../helpers/message-changes';
import { chatList, markRead, ReadMarkersDoc, statuses, type MarkerJson } from '../helpers/read-state';
import { useSecondServers, useServers } from '../helpers/servers';
import { subscribe } from '../helpers/ws';

/*
 * Two processes on one PostgreSQL database and one Redis: read state is stored with the
 * change that makes it, so every process answers it right after; marker moves reach the
 * other process's subscribers through Redis.
 */

const servers = useServers();
const secondServers = useSecondServers(servers);
const openClient = useWsClients(secondServers);

test('a send on one process is at the top of the chat list, unread and SENT on the other; a read there is READ here', async () => {
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const quiet = await createRoomWith(servers(), alice, bob);
  const room = await createRoomWith(servers(), alice, bob);
  await post(servers(), alice, quiet.id, 'older');
  const message = await post(servers(), alice, room.id, 'on the first process');

  const [top] = await chatList(secondServers(), bob);
  expect([top!.id, top!.unreadCount, top!.lastMessage?.body]).toEqual([room.id, 1, 'on the first process']);
  expect(await statuses(secondServers(), bob, room.id)).toEqual([['on the first process', 'SENT']]);

  await markRead(secondServers(), bob, message.id);
  expect(await statuses(servers(), alice, room.id)).toEqual([['on the first process', 'READ']]);
  expect((await chatList(servers(), bob))[0]!.unreadCount).toBe(0);
});

test('a marker moved on one process reaches readMarkers subscribers on the other', async () => {
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const room = await createRoomWith(servers(), alice, bob);
  const message = await post(servers(), alice, room.id, 'read me');
  const sub = subscribe<{ readMarkers: MarkerJson }, unknown>(openClient(alice.token), ReadMarkersDoc, { roomId: room.id });
  await listening(secondServers(), Topic.readMarkers(rawIdOf(room.id)));

  await markRead(servers(), bob, message.id);
  const move = (await sub.next()).data!.readMarkers;
  expect([move.user.id, move.lastRead?.body, move.lastDelivered?.body]).toEqual([bob.id, 'read me', 'read me']);
});
