import type { Client } from 'graphql-ws';
import { createRoom, joinRoom, listening, signUp, topics } from '../helpers/factories';
import { seqOf } from '../helpers/history';
import { lastSeq, MessageAddedFullDoc, RoomEventsDoc, rowsWithKey, sendOk, trySend, type SentMessage } from '../helpers/sends';
import { useSecondServers, useServers, type TestServers } from '../helpers/servers';
import { subscribe, wsClient } from '../helpers/ws';

/*
 * Two servers (two connection pools, two batchers, one Redis bus) on one PostgreSQL
 * database, as two processes of a deployment. Ten concurrent retries of one
 * clientMessageId, half through each: inside each process they share a batch (the unique
 * constraint fails it, and its drafts rerun one by one); across processes one statement
 * commits the key while the other waits for the room lock, fails, and runs again. Either
 * way: one row, one answer for every caller, one event for every subscriber.
 */

jest.setTimeout(60_000);

const servers = useServers();
const secondServers = useSecondServers(servers);
const clients: Client[] = [];

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
});

function openClient(via: TestServers, token: string): Client {
  const client = wsClient(via.wsUrl, token);
  clients.push(client);
  return client;
}

test('ten concurrent retries of one key over two servers, five keys in a row: one row and one event per key', async () => {
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const room = await createRoom(servers(), alice);
  await joinRoom(servers(), bob, room.id);
  // One subscriber per server, one per subscription kind.
  const events = subscribe(openClient(servers(), bob.token), RoomEventsDoc, { roomId: room.id });
  const added = subscribe(openClient(secondServers(), bob.token), MessageAddedFullDoc, { roomId: room.id });
  await listening(servers(), topics.messages(room.id));
  await listening(secondServers(), topics.messages(room.id));

  const stored: SentMessage[] = [];
  for (let round = 0; round < 5; round++) {
    const key = `retry-${round}-${Date.now()}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        trySend(i % 2 === 0 ? servers() : secondServers(), alice, { roomId: room.id, body: `round ${round}`, clientMessageId: key }),
      ),
    );
    expect(results.filter((r) => r.errors !== undefined)).toEqual([]);
    const answers = new Set(results.map((r) => `${r.data!.sendMessage.id} ${r.data!.sendMessage.cursor}`));
    expect(answers.size).toBe(1);
    expect(await rowsWithKey(servers(), alice.id, key)).toBe(1);
    stored.push(results[0]!.data!.sendMessage);
  }
  // Each round took exactly one position.
  expect(stored.map((m) => seqOf(m.cursor))).toEqual([1, 2, 3, 4, 5]);
  expect(await lastSeq(servers(), room.id)).toBe(5);

  const marker = await sendOk(secondServers(), bob, { roomId: room.id, body: 'after the retries' });
  const expected = [...stored.map((m) => m.id), marker.id];
  const eventIds: string[] = [];
  const addedIds: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const event = (await events.next()).data as { roomEvents: { kind: string; message: SentMessage } };
    expect(event.roomEvents.kind).toBe('MESSAGE_ADDED');
    eventIds.push(event.roomEvents.message.id);
    addedIds.push(((await added.next()).data as { messageAdded: SentMessage }).messageAdded.id);
  }
  expect(eventIds).toEqual(expected);
  expect(addedIds).toEqual(expected);
  await Promise.all([events.expectSilence(300), added.expectSilence(300)]);
});
