import { MeDoc, MessageAddedDoc } from './helpers/operations';
import { createRoom, listening, send, signUp, topics } from './helpers/factories';
import { gqlData } from './helpers/http';
import { useServers } from './helpers/servers';
import { subscribe, wsClient } from './helpers/ws';

const servers = useServers();

test('a registered user reads `me` and receives their own message live', async () => {
  const alice = await signUp(servers(), 'alice');
  const { me } = await gqlData(servers().httpUrl, MeDoc, {}, alice.token);
  expect(me.username).toBe(alice.username);
  const room = await createRoom(servers(), alice);
  const client = wsClient(servers().wsUrl, alice.token);
  const sub = subscribe(client, MessageAddedDoc, { roomId: room.id });
  await listening(servers(), topics.messages(room.id));
  const sent = await send(servers(), alice, room.id, 'hello');
  const received = await sub.next();
  expect(received.data?.messageAdded).toEqual(sent);
  await sub.close();
  await client.dispose();
});
