import { SocketCapCloseCode } from '../../src/servers/ws/ws';
import { createRoomWith, signUp } from '../helpers/factories';
import { gql } from '../helpers/http';
import { expectRateLimited } from '../helpers/limits';
import { SendMessageDoc } from '../helpers/operations';
import { startRedisProcess, type RedisProcess } from '../helpers/redis-process';
import { startServers, type TestServers } from '../helpers/servers';
import { acknowledgedSocket, rawSocket, type RawSocket } from '../helpers/ws-request';

/**
 * With Redis down, limits stay on, counted by each process alone (rate-limiter-flexible's
 * insurance limiter in memory; the socket cap's own per-process counts): nobody is
 * refused for the outage itself, and nobody gets unlimited budgets either.
 */

jest.setTimeout(30_000);

let redis: RedisProcess;
let servers: TestServers;
const open: RawSocket[] = [];

beforeAll(async () => {
  redis = await startRedisProcess();
  servers = await startServers({ REDIS_URL: redis.url, RATE_LIMIT_SENDS_PER_MINUTE: '2', MAX_SOCKETS_PER_USER: '1' });
});

afterAll(async () => {
  open.forEach((raw) => raw.socket.terminate());
  await servers?.destroy();
  await redis?.kill();
});

test('Redis down: sends are limited by this process alone; a first socket is let in, a second one over the cap is not', async () => {
  const [alice, bob] = [await signUp(servers, 'alice'), await signUp(servers, 'bob')];
  const room = await createRoomWith(servers, alice, bob);
  await redis.kill();

  const send = (body: string) => gql(servers.httpUrl, SendMessageDoc, { roomId: room.id, body }, alice.token);
  expect((await send('one')).errors).toBeUndefined();
  expect((await send('two')).errors).toBeUndefined();
  expectRateLimited(await send('three'));

  open.push(await acknowledgedSocket(servers.wsUrl, alice.token));
  const over = await rawSocket(servers.wsUrl);
  open.push(over);
  over.send({ type: 'connection_init', payload: { token: alice.token } });
  expect((await over.closed()).code).toBe(SocketCapCloseCode);
});
