import { randomUUID } from 'node:crypto';
import { decideBatch, type BatchRead } from '../src/entities/stores/message-changes';
import { applyChange, type MessageChange } from '../src/resolvers/message-changes';

/**
 * A batch of changes decided in memory (stores/message-changes.ts decideBatch): what it
 * writes is the difference between the reactions read and the reactions after the whole
 * batch, however the rules got there.
 */
const roomId = randomUUID();
const [alice, bob] = [randomUUID(), randomUUID()];
const readAt = Date.UTC(2026, 11, 1);

/** One message of alice's with the given stored reactions ([emoji, user id]), as readMessagesStatement returns it. */
function readOf(messageId: string, reactions: [string, string][]): BatchRead {
  return {
    rooms: [{ id: roomId, last_seq: '10' }],
    messages: [
      {
        message_id: messageId,
        seq: '3',
        body: 'hello',
        message_created_at: new Date(readAt),
        client_message_id: null,
        reply_to_id: null,
        edited_at: null,
        deleted_at: null,
        author_id: alice,
        author_username: 'alice',
        author_created_at: new Date(readAt),
        room_id: roomId,
        room_kind: 'GROUP',
        room_name: 'room',
        room_created_at: new Date(readAt),
        reaction_rows: reactions.map(([emoji, userId], i) => [emoji, readAt + i, userId, userId === alice ? 'alice' : 'bob', readAt]),
      },
    ],
    members: [alice, bob].map((id) => ({ room_id: roomId, id, username: id === alice ? 'alice' : 'bob', created_at: new Date(readAt) })),
  };
}

function decide(reactions: [string, string][], changes: (messageId: string) => MessageChange[]) {
  const messageId = randomUUID();
  const { outcomes, writes } = decideBatch(readOf(messageId, reactions), changes(messageId), applyChange, new Date(readAt + 1000));
  const kinds = outcomes.map((o) => ('event' in o ? (o.event?.kind ?? 'unchanged') : o.refused));
  const pairs = (rows: unknown[] | undefined) => (rows ?? []).map((r) => `${(r as { emoji: string }).emoji} ${(r as { user_id: string }).user_id === alice ? 'alice' : 'bob'}`);
  return { kinds, added: pairs(writes?.added), removed: pairs(writes?.removed), seqs: outcomes.map((o) => ('event' in o ? (o.event?.seq ?? null) : null)) };
}

describe('a batch of message changes', () => {
  test('reactions added to the ones read are written as added, each change one event at the next position', () => {
    const result = decide([['👍', bob]], (id) => [
      { kind: 'addReaction', messageId: id, userId: alice, emoji: '👍' },
      { kind: 'addReaction', messageId: id, userId: alice, emoji: '🎉' },
    ]);
    expect(result).toEqual({ kinds: ['REACTIONS_CHANGED', 'REACTIONS_CHANGED'], added: ['👍 alice', '🎉 alice'], removed: [], seqs: [11, 12] });
  });

  test('a reaction added and removed in the same batch writes nothing for it, though both changes are events', () => {
    const result = decide([['👍', bob]], (id) => [
      { kind: 'addReaction', messageId: id, userId: alice, emoji: '🎉' },
      { kind: 'removeReaction', messageId: id, userId: alice, emoji: '🎉' },
    ]);
    expect(result).toEqual({ kinds: ['REACTIONS_CHANGED', 'REACTIONS_CHANGED'], added: [], removed: [], seqs: [11, 12] });
  });

  test('removing one read and adding another writes one removal and one addition', () => {
    const result = decide([['👍', bob], ['👍', alice]], (id) => [
      { kind: 'removeReaction', messageId: id, userId: alice, emoji: '👍' },
      { kind: 'addReaction', messageId: id, userId: bob, emoji: '🔥' },
    ]);
    expect(result).toEqual({ kinds: ['REACTIONS_CHANGED', 'REACTIONS_CHANGED'], added: ['🔥 bob'], removed: ['👍 alice'], seqs: [11, 12] });
  });

  test('a delete removes every reaction read, and one added before it in the batch is never written', () => {
    const result = decide([['👍', bob], ['🎉', alice]], (id) => [
      { kind: 'addReaction', messageId: id, userId: bob, emoji: '🔥' },
      { kind: 'delete', messageId: id, userId: alice },
    ]);
    expect(result).toEqual({ kinds: ['REACTIONS_CHANGED', 'MESSAGE_DELETED'], added: [], removed: ['👍 bob', '🎉 alice'], seqs: [11, 12] });
  });

  test('a change that changes nothing is no event and no write', () => {
    const result = decide([['👍', bob]], (id) => [{ kind: 'addReaction', messageId: id, userId: bob, emoji: '👍' }]);
    expect(result).toEqual({ kinds: ['unchanged'], added: [], removed: [], seqs: [null] });
  });
});
