import { createRoom, joinRoom, signUp } from '../helpers/factories';
import { AddReactionDoc, attempt, DeleteMessageDoc, distinctEmojis, EditMessageDoc, history, post } from '../helpers/message-changes';
import { errorCode } from '../helpers/http';
import { seqOf } from '../helpers/history';
import { useSecondServers, useServers } from '../helpers/servers';

/*
 * Two servers (two pools, two change batchers) on one PostgreSQL database, as two
 * processes of a deployment are: each change is decided under its room's row lock, after
 * the lock, so a check (the 20-emoji cap, "deleted") sees what the other process committed.
 */

const servers = useServers();
const secondServers = useSecondServers(servers);

test('30 different emojis added at once through two servers: exactly 20 kept, 10 refused', async () => {
  const [alice, bob] = [await signUp(servers(), 'alice'), await signUp(servers(), 'bob')];
  const room = await createRoom(servers(), alice);
  await joinRoom(servers(), bob, room.id);
  const message = await post(servers(), alice, room.id, 'react');

  const results = await Promise.all(
    distinctEmojis.map((emoji, i) => attempt(i % 2 ? secondServers() : servers(), i % 3 ? alice : bob, AddReactionDoc, { messageId: message.id, emoji })),
  );

  expect(results.filter((r) => !r.errors)).toHaveLength(20);
  expect(results.filter((r) => r.errors).map(errorCode)).toEqual(Array(10).fill('BAD_USER_INPUT'));
  expect((await history(servers(), alice, room.id))[0]!.reactions).toHaveLength(20);
});

test('edits racing a delete on two servers: none lands on the tombstone, and the room positions stay contiguous', async () => {
  const alice = await signUp(servers(), 'alice');
  const room = await createRoom(servers(), alice);
  const message = await post(servers(), alice, room.id, 'v0');

  const results = await Promise.all([
    ...Array.from({ length: 10 }, (_, i) => attempt(i % 2 ? secondServers() : servers(), alice, EditMessageDoc, { messageId: message.id, body: `v${i + 1}` })),
    attempt(secondServers(), alice, DeleteMessageDoc, { messageId: message.id }),
  ]);

  expect(results.filter((r) => r.errors).map(errorCode).every((code) => code === 'BAD_USER_INPUT')).toBe(true);
  const [tombstone] = await history(servers(), alice, room.id);
  expect(tombstone).toMatchObject({ body: '', reactions: [] });
  // One position per accepted change, after the message's own (1): the next send takes the one after them.
  const accepted = results.filter((r) => !r.errors).length;
  const next = await post(secondServers(), alice, room.id, 'next');
  expect(seqOf(next.cursor)).toBe(1 + accepted + 1);
});
