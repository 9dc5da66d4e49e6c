// µs per group-commit batch of reactions, the part decided in memory (stores/message-changes.ts
// decideBatch: rows read → rules → the writes as JSON), as the react benchmark's batches are:
//   npx tsx bench/micro/change-batch.ts
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { decideBatch, writeOf, type BatchRead } from '../../src/entities/stores/message-changes';
import { applyChange, type MessageChange } from '../../src/resolvers/message-changes';

const emojis = ['👍', '😂', '🎉', '🔥', '😮'];
const at = (offsetMs: number) => new Date(Date.UTC(2026, 11, 1) + offsetMs);
const users = Array.from({ length: 50 }, (_, i) => ({ id: randomUUID(), username: `user${i}`, createdAt: at(i) }));
const rooms = Array.from({ length: 10 }, () => randomUUID());

/** One batch as node-postgres returns its rows (json parsed, timestamp columns as Date). */
function batch(messages: number, reactionsEach: number): { read: BatchRead; changes: MessageChange[] } {
  const messageRows = Array.from({ length: messages }, (_, j) => ({
    message_id: randomUUID(),
    seq: String(j + 1),
    body: `bench ${'x'.repeat(64)}`,
    message_created_at: at(1000 + j),
    client_message_id: null,
    reply_to_id: null,
    edited_at: null,
    deleted_at: null,
    author_id: users[j % 50]!.id,
    author_username: users[j % 50]!.username,
    author_created_at: users[j % 50]!.createdAt,
    room_id: rooms[j % 10],
    room_kind: 'GROUP',
    room_name: `room ${j % 10}`,
    room_created_at: at(0),
    // As readMessagesStatement's json_agg gives them: emoji, time, user id, username, user's creation (epoch ms).
    reaction_rows: Array.from({ length: reactionsEach }, (_, r) => [emojis[r % 5], at(2000 + r).getTime(), users[r]!.id, users[r]!.username, users[r]!.createdAt.getTime()]),
  }));
  const changes: MessageChange[] = messageRows.map((row, j) => ({ kind: 'addReaction', messageId: row.message_id, userId: users[reactionsEach + (j % 10)]!.id, emoji: emojis[j % 5]! }));
  const members = changes.map((c, j) => ({ room_id: rooms[j % 10], id: c.userId, username: users.find((u) => u.id === c.userId)!.username, created_at: at(0) }));
  return { read: { rooms: rooms.map((id) => ({ id, last_seq: '1000' })), messages: messageRows, members }, changes };
}

for (const reactionsEach of [0, 8, 19]) {
  const { read, changes } = batch(21, reactionsEach);
  const run = () => {
    const { writes } = decideBatch(read, changes, applyChange, new Date());
    if (!writes) throw new Error('the batch changed nothing');
    writeOf(writes);
  };
  for (let i = 0; i < 2_000; i++) run();
  const runs = 20_000;
  const started = performance.now();
  for (let i = 0; i < runs; i++) run();
  const perBatch = ((performance.now() - started) * 1000) / runs;
  console.log(`21 reactions added, ${reactionsEach} on each message before: ${perBatch.toFixed(1)} µs per batch (${(perBatch / 21).toFixed(2)} per change)`);
}
