import { randomBytes } from 'node:crypto';
import { rawIdOf } from './protocol';

/** Users and rooms made through the service's API before a scenario (not measured). */
export interface Fixture {
  users: { id: string; rawId: string; username: string; token: string }[];
  /** Global room ids; every user is a member of every room. */
  rooms: string[];
}

export async function gql<T>(apiUrl: string, query: string, variables: object, token?: string): Promise<T> {
  const response = await fetch(apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!json.data || json.errors) throw new Error(`setup request failed: ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  return json.data;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const register = 'mutation BenchRegister($username: String!, $password: String!) { register(username: $username, password: $password) { token user { id username } } }';
const createRoom = 'mutation BenchRoom($name: String!) { createRoom(name: $name) { id } }';
const joinRoom = 'mutation BenchJoin($roomId: ID!) { joinRoom(roomId: $roomId) { id } }';

/**
 * Registers `userCount` users (argon2: ~50 ms each on the server's core, so a few hundred
 * are shared by all connections), creates `roomCount` rooms and makes everyone a member of each.
 */
export async function createFixture(apiUrl: string, userCount: number, roomCount: number): Promise<Fixture> {
  const tag = randomBytes(3).toString('hex');
  const users = await pool(Array.from({ length: userCount }, (_, i) => `bench_${tag}_${i}`), 4, async (username) => {
    const data = await gql<{ register: { token: string; user: { id: string; username: string } } }>(apiUrl, register, {
      username,
      password: 'bench password 123',
    });
    const { id } = data.register.user;
    return { id, rawId: rawIdOf(id), username, token: data.register.token };
  });
  const owner = users[0]!;
  const rooms = await pool(Array.from({ length: roomCount }, (_, r) => `bench ${tag} room ${r}`), 4, async (name) => {
    return (await gql<{ createRoom: { id: string } }>(apiUrl, createRoom, { name }, owner.token)).createRoom.id;
  });
  const joins = users.slice(1).flatMap((user) => rooms.map((roomId) => ({ user, roomId })));
  await pool(joins, 16, ({ user, roomId }) => gql(apiUrl, joinRoom, { roomId }, user.token));
  return { users, rooms };
}
