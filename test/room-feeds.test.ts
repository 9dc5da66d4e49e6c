import { PubSub } from 'graphql-subscriptions';
import { createContext, type Context, type Deps } from '../src/context';
import { createLogger } from '../src/logger';
import { createEventBus, Topic } from '../src/live/pubsub';
import { subscribeMessages } from '../src/resolvers/live';
import { RoomChannels } from '../src/live/room-channels';
import { sendMessage } from '../src/resolvers/messages';
import { joinRoom, leaveRoom } from '../src/resolvers/rooms';
import type { MessageView } from '../src/resolvers/views';
import { createRoom, rawIdOf, signUp, type TestUser } from './helpers/factories';
import { useServers } from './helpers/servers';
import { until, withTimeout } from './helpers/wait';

/**
 * Redis answers SUBSCRIBE after a network round trip; this in-process engine does the
 * same after `delayMs`, which opens the window a room joined mid-subscription must close.
 */
class SlowSubscribePubSub extends PubSub {
  constructor(private readonly delayMs: number) {
    super();
  }

  override async subscribe(trigger: string, onMessage: (payload: unknown) => void): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return super.subscribe(trigger, onMessage);
  }
}

const servers = useServers();

/** Resolver contexts on the real database, sharing one bus with a slow engine. */
function contextsOn(deps: Deps) {
  return (user: TestUser): Context => createContext(deps, { token: user.token, clientAddress: '127.0.0.1' });
}

async function nextMessage(stream: AsyncIterator<MessageView>): Promise<MessageView> {
  const result = await withTimeout(stream.next(), 5000, 'a message on the stream');
  if (result.done) throw new Error('the stream ended');
  return result.value;
}

/**
 * Alice subscribes to all her rooms on a bus whose engine takes 300 ms to subscribe, then
 * joins bob's room: the room's topic is not live for her yet when this returns.
 */
async function aliceJoinsWhileSubscribed() {
  const bus = createEventBus(createLogger({ level: 'silent' }), { engine: new SlowSubscribePubSub(300) });
  const { sql, log } = servers().deps;
  const ctxFor = contextsOn({ ...servers().deps, bus, rooms: new RoomChannels({ bus, sql, log }) });
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const roomId = rawIdOf((await createRoom(servers(), bob)).id);
  const stream = (await subscribeMessages(ctxFor(alice), { roomId: null, hasRoomId: false, after: null }))[Symbol.asyncIterator]();
  await joinRoom(ctxFor(alice), { roomId });
  return { bus, ctxFor, alice, bob, roomId, stream };
}

test('messageAdded without roomId delivers a message sent while the joined room was still subscribing', async () => {
  const { bus, ctxFor, alice, bob, roomId, stream } = await aliceJoinsWhileSubscribed();
  // Sent at once: the room's topic is not live for alice yet (300 ms to subscribe).
  const early = await sendMessage(ctxFor(bob), { roomId, body: 'sent before the topic was live' });
  expect(bus.listenerCount(Topic.roomEvents(roomId))).toBe(1);

  expect(await nextMessage(stream)).toMatchObject({ id: early.id, body: early.body });
  await until(() => bus.listenerCount(Topic.roomEvents(roomId)) === 1, 'the room listener');
  const later = await sendMessage(ctxFor(bob), { roomId, body: 'sent after' });
  expect(await nextMessage(stream)).toMatchObject({ id: later.id });

  // Each message once: after leaving, the stream has nothing more to give.
  await leaveRoom(ctxFor(alice), { roomId });
  await stream.return?.();
  expect(await stream.next()).toEqual({ value: undefined, done: true });
  await bus.close();
});

test('live messages that arrive while the catch-up reads history are delivered after it, in order, once', async () => {
  const { bus, ctxFor, bob, roomId, stream } = await aliceJoinsWhileSubscribed();
  // Sends keep coming during the subscribe window and right after it.
  const sent: MessageView[] = [];
  for (let i = 0; i < 6; i++) {
    sent.push(await sendMessage(ctxFor(bob), { roomId, body: `m${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 80));
  }
  const received: string[] = [];
  for (let i = 0; i < sent.length; i++) received.push((await nextMessage(stream)).id);
  expect(received).toEqual(sent.map((m) => m.id));
  await stream.return?.();
  await bus.close();
});
