import { errorCode, gql } from '../helpers/http';
import { MeDoc } from '../helpers/operations';
import { initOutcome, openAcknowledged } from '../helpers/raw-socket';
import { useSecondServers, useServers } from '../helpers/servers';
import { logIn, logout, refresh, signUpWithSession } from '../helpers/sessions';
import { withTimeout } from '../helpers/wait';

/*
 * Two processes on one PostgreSQL database and one Redis: a session ended on one process
 * (logout, a replayed refresh token) closes its sockets on the other and its access tokens
 * are refused there, learned through the bus (`sessions.ended`), without a database read.
 */

const servers = useServers();
const secondServers = useSecondServers(servers);

const meOn = (url: string, token: string) => gql(url, MeDoc, {}, token);

test("logout on one process closes the session's sockets on the other with 4403; its token is refused there", async () => {
  const alice = await signUpWithSession(servers(), 'alice');
  const other = await logIn(servers(), alice);
  const [onSecond, onFirst, otherSession] = await Promise.all([
    openAcknowledged(secondServers().wsUrl, alice.token),
    openAcknowledged(servers().wsUrl, alice.token),
    openAcknowledged(secondServers().wsUrl, other.token),
  ]);
  try {
    expect((await logout(servers(), alice.token)).data?.logout).toBe(true);
    const closed = await withTimeout(onSecond.closed, 5000, 'the socket on the other process to close');
    expect(closed).toEqual({ code: 4403, reason: 'Session ended' });
    expect((await withTimeout(onFirst.closed, 5000, 'the socket on this process to close')).code).toBe(4403);

    expect(errorCode(await meOn(secondServers().httpUrl, alice.token))).toBe('UNAUTHENTICATED');
    expect(await initOutcome(secondServers().wsUrl, alice.token)).toBe(4403);
    expect((await meOn(secondServers().httpUrl, other.token)).data?.me?.id).toBe(alice.id);
    expect(await Promise.race([otherSession.closed, Promise.resolve('open')])).toBe('open');
  } finally {
    for (const socket of [onSecond, onFirst, otherSession]) socket.terminate();
  }
});

test('a refresh token replayed on one process ends the session on the other', async () => {
  const alice = await signUpWithSession(servers(), 'alice');
  const next = (await refresh(secondServers(), alice.refreshToken)).data!.refreshSession;
  const socket = await openAcknowledged(secondServers().wsUrl, next.token);
  try {
    expect(errorCode(await refresh(servers(), alice.refreshToken))).toBe('UNAUTHENTICATED');
    expect((await withTimeout(socket.closed, 5000, 'the socket to close')).code).toBe(4403);
    expect(errorCode(await meOn(secondServers().httpUrl, next.token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await refresh(secondServers(), next.refreshToken))).toBe('UNAUTHENTICATED');
  } finally {
    socket.terminate();
  }
});

test('the two processes race to rotate one refresh token: one wins, the session ends', async () => {
  const alice = await signUpWithSession(servers(), 'alice');
  const results = await Promise.all([refresh(servers(), alice.refreshToken), refresh(secondServers(), alice.refreshToken)]);
  expect(results.filter((r) => !r.errors)).toHaveLength(1);
  const winner = results.find((r) => !r.errors)!.data!.refreshSession;
  expect(errorCode(await refresh(servers(), winner.refreshToken))).toBe('UNAUTHENTICATED');
});
