import { randomBytes } from 'node:crypto';
import { fromGlobalId } from '../../src/ids';
import { Topic } from '../../src/live/pubsub';
import { CreateRoomDoc, JoinRoomDoc, OpenDirectRoomDoc, RegisterDoc, SendMessageDoc } from './operations';
import { gqlData } from './http';
import type { TestServers } from './servers';
import { until } from './wait';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  token: string;
}

/** A unique valid username: `prefix_` plus random hex, at most 32 characters. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix.slice(0, 20)}_${randomBytes(5).toString('hex')}`;
}

/** Registers a new user through the API. */
export async function signUp(servers: Pick<TestServers, 'httpUrl'>, prefix = 'user'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const password = 'correct horse battery';
  const { register } = await gqlData(servers.httpUrl, RegisterDoc, { username, password });
  return { id: register.user.id, username, password, token: register.token };
}

export async function createRoom(servers: Pick<TestServers, 'httpUrl'>, owner: TestUser, name = uniqueName('room')) {
  return (await gqlData(servers.httpUrl, CreateRoomDoc, { name }, owner.token)).createRoom;
}

export async function joinRoom(servers: Pick<TestServers, 'httpUrl'>, user: TestUser, roomId: string) {
  return (await gqlData(servers.httpUrl, JoinRoomDoc, { roomId }, user.token)).joinRoom;
}

/** A GROUP room of `owner` that every one of `members` joined. */
export async function createRoomWith(servers: Pick<TestServers, 'httpUrl'>, owner: TestUser, ...members: TestUser[]) {
  const room = await createRoom(servers, owner);
  for (const member of members) await joinRoom(servers, member, room.id);
  return room;
}

export async function openDirect(servers: Pick<TestServers, 'httpUrl'>, user: TestUser, other: TestUser) {
  return (await gqlData(servers.httpUrl, OpenDirectRoomDoc, { userId: other.id }, user.token)).openDirectRoom;
}

export async function send(servers: Pick<TestServers, 'httpUrl'>, user: TestUser, roomId: string, body: string) {
  return (await gqlData(servers.httpUrl, SendMessageDoc, { roomId, body }, user.token)).sendMessage;
}

/** The database id inside a global id (for bus topics in readiness waits). */
export function rawIdOf(globalId: string): string {
  const decoded = fromGlobalId(globalId);
  if (!decoded) throw new Error(`not a global id: ${globalId}`);
  return decoded.rawId;
}

/**
 * The subscriptions live on a topic in the server: a room's messages go through one bus
 * listener per process (its channel), which counts its followers; other topics have one
 * bus listener per subscription.
 */
export function liveCount(servers: TestServers, topic: string): number {
  const room = /^room\.(.+)\.events$/.exec(topic)?.[1];
  return room ? servers.deps.rooms.followerCount(room) : servers.deps.bus.listenerCount(topic);
}

/**
 * graphql-ws has no "subscribed" acknowledgement: wait until the server has `count`
 * subscriptions live on the topic before acting, so no event is sent into the void.
 */
export function listening(servers: TestServers, topic: string, count = 1): Promise<void> {
  return until(() => liveCount(servers, topic) >= count, `${count} listener(s) on ${topic}`);
}

export const topics = {
  messages: (roomGlobalId: string) => Topic.roomEvents(rawIdOf(roomGlobalId)),
  typing: (roomGlobalId: string) => Topic.typing(rawIdOf(roomGlobalId)),
  membership: (userGlobalId: string) => Topic.membership(rawIdOf(userGlobalId)),
};
