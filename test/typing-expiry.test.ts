import { createRoom, joinRoom, listening, signUp, topics } from './helpers/factories';
import { gqlData } from './helpers/http';
import { useWsClients } from './helpers/live';
import { SetTypingDoc, TypingDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { subscribe } from './helpers/ws';

/** Default settings: the documented expiry of an unrefreshed "typing" is about 6 seconds. */
const servers = useServers();
const openClient = useWsClients(servers);

test('on default settings an isTyping=true without follow-up ends with isTyping=false about 6 s later', async () => {
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const room = await createRoom(servers(), alice);
  await joinRoom(servers(), bob, room.id);
  const aliceSees = subscribe(openClient(alice.token), TypingDoc, { roomId: room.id });
  await listening(servers(), topics.typing(room.id));

  await gqlData(servers().httpUrl, SetTypingDoc, { roomId: room.id, isTyping: true }, bob.token);
  expect((await aliceSees.next()).data?.typing).toMatchObject({ isTyping: true, user: { id: bob.id } });
  const trueAt = Date.now();

  const expired = await aliceSees.next(9000);
  const elapsed = Date.now() - trueAt;

  expect(expired.data?.typing).toMatchObject({ isTyping: false, user: { id: bob.id }, room: { id: room.id } });
  expect(elapsed).toBeGreaterThanOrEqual(5000);
  expect(elapsed).toBeLessThanOrEqual(8000);
});
