import { createSessionClient, followRoom, SessionKeeper, type FollowedMessage } from '../examples/session-client';
import { createRoom, joinRoom, listening, topics, type TestUser } from './helpers/factories';
import { gqlData } from './helpers/http';
import { SendWithCursorDoc } from './helpers/resume';
import { useServers } from './helpers/servers';
import { signUpWithSession, type SessionUser } from './helpers/sessions';
import { until } from './helpers/wait';

/**
 * The README's client recipe (examples/session-client.ts) with the real graphql-ws client,
 * across several expiries of 2-second access tokens: the socket is closed with 4403 at each,
 * the client refreshes in `connectionParams`, resubscribes after its last cursor, and
 * receives every message once, in order.
 */

jest.setTimeout(30_000);

const servers = useServers({ JWT_TTL_SECONDS: '2', RATE_LIMIT_MESSAGES_PER_MINUTE: '0', MAX_FRAMES_PER_SOCKET_PER_SECOND: '0' });

const keeperOf = (user: SessionUser) => new SessionKeeper(servers().httpUrl, user, 500);
const asTestUser = (user: SessionUser): TestUser => user;

test('a followed room across token expiries: every message arrives once, in order', async () => {
  const [alice, bob] = [await signUpWithSession(servers(), 'alice'), await signUpWithSession(servers(), 'bob')];
  const room = await createRoom(servers(), asTestUser(alice));
  await joinRoom(servers(), asTestUser(bob), room.id);
  const [aliceSession, bobSession] = [keeperOf(alice), keeperOf(bob)];

  const closes: { code: number; reason: string }[] = [];
  const client = createSessionClient(servers().wsUrl, bobSession, {
    closed: (event) => void closes.push({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }),
  });
  const received: FollowedMessage[] = [];
  const errors: unknown[] = [];
  const stop = followRoom(client, room.id, null, (message) => received.push(message), (error) => errors.push(error));
  try {
    await listening(servers(), topics.messages(room.id));
    const sent: string[] = [];
    // Sends until bob's socket was closed at expiry twice and reconnected: messages go out
    // before, during and after each reconnect.
    while (closes.length < 2 && sent.length < 5000) {
      const token = await aliceSession.validToken();
      const { sendMessage } = await gqlData<{ sendMessage: FollowedMessage }, unknown>(
        servers().httpUrl, SendWithCursorDoc, { roomId: room.id, body: `m ${sent.length}` }, token,
      );
      sent.push(sendMessage.id);
    }
    await until(() => received.length >= sent.length, `bob to receive ${sent.length} messages`, 10_000);

    expect(received.map((m) => m.id)).toEqual(sent);
    expect(errors).toEqual([]);
    expect(closes.slice(0, 2)).toEqual([
      { code: 4403, reason: 'Token expired' },
      { code: 4403, reason: 'Token expired' },
    ]);
    expect(bobSession.refreshes).toBeGreaterThanOrEqual(2);
  } finally {
    stop();
    await client.dispose();
  }
});
