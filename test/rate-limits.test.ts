import { RateLimiterRes } from 'rate-limiter-flexible';
import { SocketCapCloseCode } from '../src/servers/ws/ws';
import { AddReactionDoc } from './helpers/message-changes';
import { createRoomWith, signUp, uniqueName } from './helpers/factories';
import { errorCode, gql } from './helpers/http';
import { expectRateLimited, loginFrom, registerFrom } from './helpers/limits';
import { SendMessageDoc, SetTypingDoc } from './helpers/operations';
import { useServers } from './helpers/servers';
import { until } from './helpers/wait';
import { acknowledgedSocket, rawSocket, wsExecute, type RawSocket } from './helpers/ws-request';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { LoginDoc } from './helpers/operations';

/**
 * Rate limits per user (sends, changes, typing), per address (register, login) and per
 * username (failed logins, from any address), and the per-user socket cap. On the
 * postgres+redis project the counts live in Redis (test/production has two servers
 * sharing them). Every describe has its own servers and so its own budgets.
 */

// The library's refusal type is what the limiter turns into retryAfter.
test('rate-limiter-flexible is the limiter', () => expect(RateLimiterRes).toBeDefined());

describe('per user: RATE_LIMIT_SENDS_PER_MINUTE=3, RATE_LIMIT_CHANGES_PER_MINUTE=2, RATE_LIMIT_TYPING_PER_MINUTE=2', () => {
  const servers = useServers({ RATE_LIMIT_SENDS_PER_MINUTE: '3', RATE_LIMIT_CHANGES_PER_MINUTE: '2', RATE_LIMIT_TYPING_PER_MINUTE: '2' });

  test('the 4th send of one user is RATE_LIMITED with retryAfter and stores nothing; another user on the same address still sends', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoomWith(servers(), alice, bob);
    for (let i = 1; i <= 3; i++) {
      expect((await gql(servers().httpUrl, SendMessageDoc, { roomId: room.id, body: `m${i}` }, alice.token)).errors).toBeUndefined();
    }
    expectRateLimited(await gql(servers().httpUrl, SendMessageDoc, { roomId: room.id, body: 'over' }, alice.token));
    const rows = await servers().deps.orm.em.fork().getConnection().execute(`select id from messages where body = 'over'`);
    expect(rows).toHaveLength(0);
    expect((await gql(servers().httpUrl, SendMessageDoc, { roomId: room.id, body: 'bob' }, bob.token)).errors).toBeUndefined();
  });

  test('reactions count as changes (the 3rd is refused); typing has its own budget', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const room = await createRoomWith(servers(), alice, bob);
    const sent = await gql(servers().httpUrl, SendMessageDoc, { roomId: room.id, body: 'react to me' }, bob.token);
    const messageId = sent.data!.sendMessage.id;
    for (const emoji of ['👍', '🎉']) {
      expect((await gql(servers().httpUrl, AddReactionDoc, { messageId, emoji }, alice.token)).errors).toBeUndefined();
    }
    expectRateLimited(await gql(servers().httpUrl, AddReactionDoc, { messageId, emoji: '❤️' }, alice.token));
    for (let i = 0; i < 2; i++) {
      expect((await gql(servers().httpUrl, SetTypingDoc, { roomId: room.id, isTyping: true }, alice.token)).errors).toBeUndefined();
    }
    expectRateLimited(await gql(servers().httpUrl, SetTypingDoc, { roomId: room.id, isTyping: true }, alice.token));
  });

  test('without a token the answer is still UNAUTHENTICATED, not RATE_LIMITED', async () => {
    const result = await gql(servers().httpUrl, SendMessageDoc, { roomId: 'x', body: 'hi' });
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
  });
});

describe('per username, behind a trusted proxy: TRUST_PROXY=1, RATE_LIMIT_LOGIN_PER_USERNAME_PER_MINUTE=3', () => {
  const servers = useServers({ TRUST_PROXY: '1', RATE_LIMIT_LOGIN_PER_USERNAME_PER_MINUTE: '3' });

  test('3 wrong passwords from 3 addresses, then even the right one from a 4th address is RATE_LIMITED; other accounts are not', async () => {
    const victim = await signUp(servers(), 'victim');
    const other = await signUp(servers(), 'other');
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      expect(errorCode(await loginFrom(servers(), victim.username, 'wrong password', address))).toBe('UNAUTHENTICATED');
    }
    // Any case of the username is the same account.
    expectRateLimited(await loginFrom(servers(), victim.username.toUpperCase(), victim.password, '198.51.100.4'));
    expect((await loginFrom(servers(), other.username, other.password, '198.51.100.4')).errors).toBeUndefined();
  });

  test('logins that succeed do not count against the username', async () => {
    const user = await signUp(servers(), 'regular');
    for (let i = 0; i < 6; i++) {
      expect((await loginFrom(servers(), user.username, user.password, `192.0.2.${i + 1}`)).errors).toBeUndefined();
    }
  });
});

describe('per address: RATE_LIMIT_REGISTER_PER_MINUTE=2', () => {
  describe('behind a trusted proxy (TRUST_PROXY=loopback): X-Forwarded-For names the client', () => {
    const servers = useServers({ TRUST_PROXY: 'loopback', RATE_LIMIT_REGISTER_PER_MINUTE: '2' });

    test('a 3rd sign-up from one address is refused; another address still signs up', async () => {
      for (let i = 0; i < 2; i++) expect((await registerFrom(servers(), uniqueName('a'), '203.0.113.7')).errors).toBeUndefined();
      const refused = uniqueName('a');
      expectRateLimited(await registerFrom(servers(), refused, '203.0.113.7'));
      // Proxies append: the address the trusted proxy saw is the last one; what the client wrote before it does not count.
      expectRateLimited(await registerFrom(servers(), uniqueName('a'), '10.9.9.9, 203.0.113.7'));
      expect((await registerFrom(servers(), uniqueName('b'), '203.0.113.8')).errors).toBeUndefined();
      // The refused sign-up made no account.
      expect(errorCode(await loginFrom(servers(), refused, undefined, '203.0.113.9'))).toBe('UNAUTHENTICATED');
    });
  });

  describe('with the default TRUST_PROXY: X-Forwarded-For is ignored', () => {
    const servers = useServers({ RATE_LIMIT_REGISTER_PER_MINUTE: '2' });

    test('invented addresses do not buy a client more sign-ups', async () => {
      for (const address of ['203.0.113.1', '203.0.113.2']) {
        expect((await registerFrom(servers(), uniqueName('c'), address)).errors).toBeUndefined();
      }
      expectRateLimited(await registerFrom(servers(), uniqueName('c'), '203.0.113.3'));
    });
  });
});

describe('TRUST_PROXY on the WebSocket upgrade: TRUST_PROXY=1, RATE_LIMIT_LOGIN_PER_MINUTE=1', () => {
  const servers = useServers({ TRUST_PROXY: '1', RATE_LIMIT_LOGIN_PER_MINUTE: '1' });

  test('a socket counts as the address its upgrade was forwarded for, the same budget as HTTP from that address', async () => {
    const user = await signUp(servers(), 'ws');
    // A graphql-ws client whose upgrade request carries X-Forwarded-For, as a proxy would add it.
    const forwarded = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { 'x-forwarded-for': '198.51.100.50' } });
      }
    };
    const client = createClient({ url: servers().wsUrl, webSocketImpl: forwarded, retryAttempts: 0, lazy: true, connectionParams: { token: user.token } });
    try {
      const login = () => wsExecute(client, LoginDoc.toString(), { username: user.username, password: user.password });
      expect((await login()).errors).toBeUndefined();
      const refused = await login();
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expectRateLimited(await loginFrom(servers(), user.username, user.password, '198.51.100.50'));
      expect((await loginFrom(servers(), user.username, user.password, '198.51.100.51')).errors).toBeUndefined();
    } finally {
      await client.dispose();
    }
  });
});

describe('MAX_SOCKETS_PER_USER=2', () => {
  const servers = useServers({ MAX_SOCKETS_PER_USER: '2' });
  const open: RawSocket[] = [];
  afterEach(() => open.splice(0).forEach((raw) => raw.socket.terminate()));

  async function initOutcome(token: string): Promise<{ acked: boolean; code?: number; reason?: string }> {
    const raw = await rawSocket(servers().wsUrl);
    open.push(raw);
    raw.send({ type: 'connection_init', payload: { token } });
    const first = await Promise.race([raw.message().then((m) => m.type), raw.closed()]);
    if (first === 'connection_ack') return { acked: true };
    const { code, reason } = typeof first === 'string' ? await raw.closed() : first;
    return { acked: false, code, reason };
  }

  test('a 3rd socket of one user is closed with 4008 before its ack; another user connects; closing one frees a place', async () => {
    const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
    const first = await acknowledgedSocket(servers().wsUrl, alice.token);
    open.push(first, await acknowledgedSocket(servers().wsUrl, alice.token));
    const over = await initOutcome(alice.token);
    expect(over).toMatchObject({ acked: false, code: SocketCapCloseCode });
    expect(over.reason).toMatch(/too many connections/i);
    expect(SocketCapCloseCode).toBe(4008);
    open.push(await acknowledgedSocket(servers().wsUrl, bob.token));

    first.socket.close(1000);
    await first.closed();
    // The server sees the close a moment after the client does.
    await until(async () => (await initOutcome(alice.token)).acked, 'a place to free up');
  });
});
