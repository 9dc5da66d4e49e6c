import type { SqlEntityManager } from '@mikro-orm/knex';
import { messageBatchStats, sendBatchesInFlight } from '../../src/resolvers/message-batcher';
import { createRoom, rawIdOf, type TestUser } from './factories';
import { gql, type GraphQLResponse } from './http';
import type { TestServers } from './servers';
import { until } from './wait';

/*
 * sendMessage with its idempotency key and reply, as plain documents (no codegen), and
 * the database facts the API cannot show on its own: how many rows hold a key, where a
 * room's log stands, a message deleted or edited behind the API's back.
 */

const messageFields = `id body cursor createdAt clientMessageId editedAt deletedAt reactions { emoji count }
  room { id } author { id }
  replyTo { id body deletedAt author { id } }`;

export interface SentMessage {
  id: string;
  body: string;
  cursor: string;
  createdAt: string;
  clientMessageId: string | null;
  editedAt: string | null;
  deletedAt: string | null;
  room: { id: string };
  author: { id: string };
  replyTo: { id: string; body: string; deletedAt: string | null; author: { id: string } } | null;
  reactions: { emoji: string; count: number }[];
}

export const SendDoc = `mutation Send($roomId: ID!, $body: String!, $clientMessageId: String, $replyToId: ID) {
  sendMessage(roomId: $roomId, body: $body, clientMessageId: $clientMessageId, replyToId: $replyToId) { ${messageFields} }
}`;

export const RoomEventsDoc = `subscription Events($roomId: ID, $after: String) {
  roomEvents(roomId: $roomId, after: $after) { kind cursor message { ${messageFields} } }
}`;

export const MessageAddedFullDoc = `subscription Added($roomId: ID, $after: String) {
  messageAdded(roomId: $roomId, after: $after) { ${messageFields} }
}`;

export const HistoryDoc = `query History($roomId: ID!, $last: Int) {
  messages(roomId: $roomId, last: $last) { edges { cursor node { ${messageFields} } } }
}`;

export const NodeMessageDoc = `query Node($id: ID!) { node(id: $id) { ... on Message { ${messageFields} } } }`;

export interface SendArgs {
  roomId: string;
  body: string;
  clientMessageId?: string | null;
  replyToId?: string | null;
}

export type SendResult = GraphQLResponse<{ sendMessage: SentMessage }>;

export function trySend(servers: Pick<TestServers, 'httpUrl'>, user: TestUser, args: SendArgs): Promise<SendResult> {
  return gql<{ sendMessage: SentMessage }, SendArgs>(servers.httpUrl, SendDoc, args, user.token);
}

/** The message of a send that must succeed. */
export async function sendOk(servers: Pick<TestServers, 'httpUrl'>, user: TestUser, args: SendArgs): Promise<SentMessage> {
  const result = await trySend(servers, user, args);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors ?? result)}`);
  return result.data.sendMessage;
}

async function scalar(servers: TestServers, text: string, params: unknown[]): Promise<number> {
  const [row] = await servers.deps.sql.query({ text }, params);
  return Number(row!.n);
}

/** Message rows of one author under one key: 0 or 1 while the constraint holds. */
export function rowsWithKey(servers: TestServers, authorId: string, key: string): Promise<number> {
  return scalar(servers, 'select count(*)::int as n from messages where author_id = $1 and client_message_id = $2', [rawIdOf(authorId), key]);
}

/** The room's last log position (rooms.last_seq). */
export function lastSeq(servers: TestServers, roomId: string): Promise<number> {
  return scalar(servers, 'select last_seq::int as n from rooms where id = $1', [rawIdOf(roomId)]);
}

/** Message rows of the room. */
export function messageRows(servers: TestServers, roomId: string): Promise<number> {
  return scalar(servers, 'select count(*)::int as n from messages where room_id = $1', [rawIdOf(roomId)]);
}

/** Turns a message into a tombstone as deleteMessage does (without its event: enough for reads). */
export async function tombstone(servers: TestServers, messageId: string): Promise<void> {
  await servers.deps.sql.query({ text: "update messages set body = '', deleted_at = now() where id = $1" }, [rawIdOf(messageId)]);
}

/** Changes a message's body as editMessage does (without its event: enough for reads). */
export async function rewrite(servers: TestServers, messageId: string, body: string): Promise<void> {
  await servers.deps.sql.query({ text: 'update messages set body = $2, edited_at = now() where id = $1' }, [rawIdOf(messageId), body]);
}

/**
 * Runs `sends` so that they all go out in one batch: a transaction locks the room's row,
 * one send into it goes into flight and blocks on the lock, every other batch slot is
 * filled by a send blocked the same way on a side room of the sender's (so the held room
 * gets one position before `sends`, whatever the number of slots), `sends` queue behind
 * them, then the locks are let go. `sends` may queue its requests one at a time.
 */
export async function inOneBatch<T>(
  servers: TestServers,
  heldRoomId: string,
  sender: TestUser,
  sends: () => Promise<T>[] | Promise<Promise<T>[]>,
): Promise<T[]> {
  const sideRoomId = (await createRoom(servers, sender)).id;
  const em = servers.deps.orm.em.fork() as SqlEntityManager;
  await em.begin();
  await em.execute('select id from rooms where id in (?, ?) order by id for update', [rawIdOf(heldRoomId), rawIdOf(sideRoomId)]);
  const stats = () => messageBatchStats(servers.deps.sql);
  const before = stats();
  const held: Promise<SendResult>[] = [];
  for (let slot = 1; slot <= sendBatchesInFlight; slot++) {
    const roomId = slot === 1 ? heldRoomId : sideRoomId;
    held.push(trySend(servers, sender, { roomId, body: slot === 1 ? 'first, in flight' : `slot ${slot}, in flight` }));
    await until(() => stats().inFlight === slot && stats().batches === before.batches + slot, `batch ${slot} in flight`);
  }
  const pending = await sends();
  await until(() => stats().queued === pending.length, `${pending.length} sends queued`);
  await em.commit();
  const results = await Promise.all(pending);
  for (const result of await Promise.all(held)) {
    if (result.errors) throw new Error(`a held send failed: ${JSON.stringify(result.errors)}`);
  }
  if (stats().largest < pending.length) throw new Error(`the ${pending.length} sends did not share one batch`);
  return results;
}
