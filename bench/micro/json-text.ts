// µs per serialization of a room event as publishRoomEvent hands it to Redis, with
// JSON.stringify and with jsonText (src/json-text.ts):
//   npx tsx bench/micro/bus-json.ts
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { jsonText } from '../../src/json-text';

const emojis = ['👍', '😂', '🎉', '🔥', '😮'];
const user = (username: string) => ({ id: randomUUID(), username, createdAt: new Date() });

/** A REACTIONS_CHANGED event as the store makes it: `reactions` reactions by 8 users spread over five emojis, dates as Date objects. */
function event(reactions: number) {
  const users = Array.from({ length: 8 }, (_, i) => user(`user${i}`));
  const perEmoji = reactions / emojis.length;
  const groups = reactions === 0 ? [] : emojis.map((emoji, e) => ({ emoji, users: Array.from({ length: perEmoji }, (_, u) => users[(e + u) % users.length]!) }));
  const room = { id: randomUUID(), kind: 'GROUP', name: 'room', createdAt: new Date() };
  const message = { id: randomUUID(), seq: 5, room, author: users[0]!, body: `bench ${'x'.repeat(64)}`, createdAt: new Date() };
  return { kind: 'REACTIONS_CHANGED', seq: 9, message: { ...message, clientMessageId: null, replyToId: null, editedAt: null, deletedAt: null, reactions: groups } };
}

function usPer(serialize: (value: unknown) => string, value: unknown): number {
  for (let i = 0; i < 5_000; i++) serialize(value);
  const runs = 50_000;
  const started = performance.now();
  for (let i = 0; i < runs; i++) serialize(value);
  return ((performance.now() - started) * 1000) / runs;
}

for (const reactions of [0, 20]) {
  const value = event(reactions);
  if (jsonText(value) !== JSON.stringify(value)) throw new Error('jsonText and JSON.stringify disagree');
  console.log(`${reactions} reactions: JSON.stringify ${usPer(JSON.stringify, value).toFixed(2)} µs, jsonText ${usPer(jsonText, value).toFixed(2)} µs`);
}
