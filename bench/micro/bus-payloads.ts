// µs per parseBusPayload of a room event, as every process following the room parses it:
//   npx tsx bench/micro/bus-payloads.ts
// (Zod 4 against Zod 3: change the import in src/live/bus-payloads.ts and run it again.)
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseBusPayload } from '../../src/live/bus-payloads';

const emojis = ['👍', '😂', '🎉', '🔥', '😮'];
const roomId = randomUUID();
const now = () => new Date().toISOString();
const user = (username: string) => ({ id: randomUUID(), username, createdAt: now() });

/** A MESSAGE_ADDED event as publishRoomEvent sends it, with `reactions` users spread over five emojis. */
function event(reactions: number) {
  const reactionGroups = reactions === 0 ? [] : emojis.map((emoji) => ({ emoji, users: Array.from({ length: reactions / emojis.length }, (_, u) => user(`u${u}`)) }));
  const room = { id: roomId, kind: 'GROUP', name: 'room', createdAt: now() };
  const message = { id: randomUUID(), seq: 5, room, author: user('alice'), body: `bench ${'x'.repeat(64)}`, createdAt: now() };
  return { kind: 'MESSAGE_ADDED', seq: 5, message: { ...message, clientMessageId: null, replyToId: null, editedAt: null, deletedAt: null, reactions: reactionGroups, status: 'SENT' } };
}

const topic = `room.${roomId}.events`;
for (const reactions of [0, 20]) {
  const payload: unknown = JSON.parse(JSON.stringify(event(reactions)));
  if (parseBusPayload(topic, payload) === null) throw new Error('the event did not parse');
  for (let i = 0; i < 5_000; i++) parseBusPayload(topic, payload);
  const runs = 50_000;
  const started = performance.now();
  for (let i = 0; i < runs; i++) parseBusPayload(topic, payload);
  console.log(`${reactions} reactions: ${(((performance.now() - started) * 1000) / runs).toFixed(2)} µs per event`);
}
