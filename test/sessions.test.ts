import { createHash } from 'node:crypto';
import { MeDoc, MessageAddedDoc } from './helpers/operations';
import { errorCode, gql } from './helpers/http';
import { initOutcome, openAcknowledged } from './helpers/raw-socket';
import { startServers, useServers, type TestServers } from './helpers/servers';
import { logIn, logout, refresh, sessionIdOf, signUpWithSession } from './helpers/sessions';
import { until, withTimeout } from './helpers/wait';
import { createRoom, listening, topics } from './helpers/factories';
import { sseSubscribe } from './helpers/live';

/**
 * Sessions (issue 11, items 1 and 2): access tokens carry a session, refresh tokens rotate
 * once each, a replayed one ends the session, logout ends it everywhere at once.
 */

const servers = useServers();

const me = (token: string) => gql(servers().httpUrl, MeDoc, {}, token);

describe('register and login start sessions', () => {
  test('register returns a 15-minute access token of a new session and a 30-day opaque refresh token', async () => {
    const before = Date.now();
    const alice = await signUpWithSession(servers(), 'alice');
    const after = Date.now();
    expect(alice.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessionIdOf(alice.token)).toMatch(/^[0-9a-f-]{36}$/);
    // 15 minutes from when it was issued, during the request (a JWT's exp is in whole seconds).
    const expiresAt = Date.parse(alice.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + 15 * 60_000);
    const refreshDays = (Date.parse(alice.refreshExpiresAt) - before) / 86_400_000;
    expect(refreshDays).toBeGreaterThan(29.9);
    expect(refreshDays).toBeLessThan(30.1);
    expect((await me(alice.token)).data?.me?.id).toBe(alice.id);
  });

  test('each login is a session of its own', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    const again = await logIn(servers(), alice);
    expect(sessionIdOf(again.token)).not.toBe(sessionIdOf(alice.token));
    expect(again.refreshToken).not.toBe(alice.refreshToken);
  });

  test('the refresh token is stored as its hash only', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    const rows = await servers().deps.sql.query({ text: 'select encode(refresh_token_hash, $2) as hash from sessions where id = $1' }, [
      sessionIdOf(alice.token),
      'hex',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hash).toBe(createHash('sha256').update(alice.refreshToken).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(alice.refreshToken);
  });
});

describe('refreshSession', () => {
  test('exchanges the refresh token for new tokens of the same session; the old one then fails', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    const result = await refresh(servers(), alice.refreshToken);
    expect(result.errors).toBeUndefined();
    const next = result.data!.refreshSession;
    expect(next.user).toEqual({ id: alice.id, username: alice.username });
    expect(sessionIdOf(next.token)).toBe(sessionIdOf(alice.token));
    expect(next.refreshToken).not.toBe(alice.refreshToken);
    expect((await me(next.token)).data?.me?.id).toBe(alice.id);
    // The newest one works once more.
    const third = await refresh(servers(), next.refreshToken);
    expect(third.errors).toBeUndefined();
  });

  test('a replayed refresh token ends the session: it, the newest one and the access tokens are refused', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    const next = (await refresh(servers(), alice.refreshToken)).data!.refreshSession;

    expect(errorCode(await refresh(servers(), alice.refreshToken))).toBe('UNAUTHENTICATED');

    expect(errorCode(await refresh(servers(), next.refreshToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await me(next.token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await me(alice.token))).toBe('UNAUTHENTICATED');
    expect(await initOutcome(servers().wsUrl, next.token)).toBe(4403);
  });

  test('two refreshes of one token at once: one wins, the other is a replay and ends the session', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    const results = await Promise.all([refresh(servers(), alice.refreshToken), refresh(servers(), alice.refreshToken)]);
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(results.map(errorCode).filter(Boolean)).toEqual(['UNAUTHENTICATED']);
    const winner = winners[0]!.data!.refreshSession;
    expect(errorCode(await refresh(servers(), winner.refreshToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await me(winner.token))).toBe('UNAUTHENTICATED');
  });

  test.each([
    ['an unknown token', 'x'.repeat(43)],
    ['a malformed token', 'not a refresh token'],
    ['an empty token', ''],
  ])('%s is refused with UNAUTHENTICATED and changes nothing', async (_name, token) => {
    const alice = await signUpWithSession(servers(), 'alice');
    expect(errorCode(await refresh(servers(), token))).toBe('UNAUTHENTICATED');
    expect((await me(alice.token)).data?.me?.id).toBe(alice.id);
    expect((await refresh(servers(), alice.refreshToken)).errors).toBeUndefined();
  });

  test('another session of the same user is not touched by a replay', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    const other = await logIn(servers(), alice);
    await refresh(servers(), alice.refreshToken);
    await refresh(servers(), alice.refreshToken);
    expect((await me(other.token)).data?.me?.id).toBe(alice.id);
    expect((await refresh(servers(), other.refreshToken)).errors).toBeUndefined();
  });
});

describe('logout', () => {
  test('ends the session: its refresh token, access token (HTTP and WebSocket) are refused; other sessions go on', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    const other = await logIn(servers(), alice);
    const result = await logout(servers(), alice.token);
    expect(result.errors).toBeUndefined();
    expect(result.data?.logout).toBe(true);

    expect(errorCode(await refresh(servers(), alice.refreshToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await me(alice.token))).toBe('UNAUTHENTICATED');
    expect(await initOutcome(servers().wsUrl, alice.token)).toBe(4403);

    expect((await me(other.token)).data?.me?.id).toBe(alice.id);
    expect(await initOutcome(servers().wsUrl, other.token)).toBe('ack');
  });

  test("closes the session's open sockets with 4403, and only those", async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    const other = await logIn(servers(), alice);
    const [first, second, untouched] = await Promise.all([
      openAcknowledged(servers().wsUrl, alice.token),
      openAcknowledged(servers().wsUrl, alice.token),
      openAcknowledged(servers().wsUrl, other.token),
    ]);
    try {
      await logout(servers(), alice.token);
      for (const socket of [first, second]) {
        expect(await withTimeout(socket.closed, 1000, 'the socket to close')).toEqual({ code: 4403, reason: 'Session ended' });
      }
      // Its socket is still served: a logout of another session (ending after ours) is a marker.
      const third = await logIn(servers(), alice);
      const thirdSocket = await openAcknowledged(servers().wsUrl, third.token);
      await logout(servers(), third.token);
      await withTimeout(thirdSocket.closed, 1000, 'the marker socket to close');
      expect(await Promise.race([untouched.closed, Promise.resolve('open')])).toBe('open');
    } finally {
      for (const socket of [first, second, untouched]) socket.terminate();
    }
  });

  test('logout twice, or without a token: the second is a no-op, the other UNAUTHENTICATED', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    expect((await logout(servers(), alice.token)).data?.logout).toBe(true);
    expect(errorCode(await logout(servers(), alice.token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(servers().httpUrl, 'mutation { logout }' as never, {}))).toBe('UNAUTHENTICATED');
  });
});

describe('ended sessions known without a database read per request', () => {
  test('an SSE subscription of the session ends at logout', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    const stream = await sseSubscribe(servers().httpUrl, MessageAddedDoc, { roomId: room.id }, alice.token);
    try {
      await listening(servers(), topics.messages(room.id));
      await logout(servers(), alice.token);
      await expect(stream.next()).rejects.toThrow(/the event stream (completed|ended)/);
    } finally {
      stream.close();
    }
  });

  test('when the bus resumes after an outage (announcements may be lost), recent ends are read from the database', async () => {
    const alice = await signUpWithSession(servers(), 'alice');
    // Ended in the database without an announcement: as if the bus lost it.
    await servers().deps.sql.query({ text: 'update sessions set ended_at = now() where id = $1' }, [sessionIdOf(alice.token)]);
    expect((await me(alice.token)).data?.me?.id).toBe(alice.id);
    servers().deps.bus.notifyResumed();
    await until(async () => errorCode(await me(alice.token)) === 'UNAUTHENTICATED', 'the ended session to be read');
  });
});

describe('ended sessions survive a restart', () => {
  let restarted: TestServers | null = null;
  afterAll(async () => {
    await restarted?.destroy();
  });

  test('a process started after a logout refuses that session access token (it reads recent ends at startup)', async () => {
    const first = await startServers();
    let firstStopped = false;
    try {
      const alice = await signUpWithSession(first, 'alice');
      const other = await logIn(first, alice);
      await logout(first, alice.token);
      await first.stop();
      firstStopped = true;
      restarted = await startServers(first.env, first.dataDir);
      expect(errorCode(await gql(restarted.httpUrl, MeDoc, {}, alice.token))).toBe('UNAUTHENTICATED');
      expect((await gql(restarted.httpUrl, MeDoc, {}, other.token)).data?.me?.id).toBe(alice.id);
    } finally {
      if (!firstStopped) await first.destroy();
    }
  });
});
