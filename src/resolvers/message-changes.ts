import type { Context } from '../context';
import { isInvalidData } from '../entities/sql-state';
import type { ChangeOutcome, MessageState, Verdict } from '../entities/stores/message-changes';
import { ErrorCode, userError } from '../errors';
import { changeBatcher } from './change-batcher';
import { validateEmoji } from './emoji';
import { refuseNonMember, requireUser, requireUserWithinRateLimit } from './guards';
import { publishRoomEvent } from './publish';
import { validateBody } from './validation';
import type { MessageView } from './views';

/**
 * Edit, delete and reactions: the rules. Each change is decided while its batch holds the
 * lock of the message's room (stores/message-changes.ts), against the message as every
 * earlier change left it, so the rules hold under concurrency and between processes
 * (e.g. two processes adding the 21st emoji: one of them is refused).
 *
 * Order of checks: the input's shape (body, emoji) first, then NOT_FOUND (no such
 * message), FORBIDDEN (not a member of its room, or not its author for edit and
 * delete), then BAD_USER_INPUT (deleted, too many emojis). A change that would change
 * nothing (a second delete, an edit to the same body, a reaction already there or
 * already gone) is not an error: it returns the message and logs no event.
 */

/** At most this many different emojis on one message; more users may add the ones there. */
export const maxEmojisPerMessage = 20;

export type MessageChange =
  | { kind: 'edit'; messageId: string; userId: string; body: string }
  | { kind: 'delete'; messageId: string; userId: string }
  | { kind: 'addReaction' | 'removeReaction'; messageId: string; userId: string; emoji: string };

type Refusal = 'notFound' | 'notMember' | 'notAuthor' | 'deleted' | 'tooManyEmojis';

/** Author only; the body follows sendMessage's rules; refused on a deleted message. */
export async function editMessage(ctx: Context, input: { messageId: string | null; body: string }): Promise<MessageView> {
  await requireUserWithinRateLimit(ctx, 'change');
  const body = validateBody(input.body);
  return change(ctx, input.messageId, (messageId, userId) => ({ kind: 'edit', messageId, userId, body }));
}

/** Author only; leaves a tombstone (empty body, no reactions); deleting twice returns the tombstone. */
export async function deleteMessage(ctx: Context, input: { messageId: string | null }): Promise<MessageView> {
  await requireUserWithinRateLimit(ctx, 'change');
  return change(ctx, input.messageId, (messageId, userId) => ({ kind: 'delete', messageId, userId }));
}

/** Members only; one emoji (emoji.ts); at most `maxEmojisPerMessage` different ones per message. */
export async function addReaction(ctx: Context, input: { messageId: string | null; emoji: string }): Promise<MessageView> {
  await requireUserWithinRateLimit(ctx, 'change');
  const emoji = validateEmoji(input.emoji);
  return change(ctx, input.messageId, (messageId, userId) => ({ kind: 'addReaction', messageId, userId, emoji }));
}

/** Members only; removing a reaction you do not have is not an error. */
export async function removeReaction(ctx: Context, input: { messageId: string | null; emoji: string }): Promise<MessageView> {
  await requireUserWithinRateLimit(ctx, 'change');
  const emoji = validateEmoji(input.emoji);
  return change(ctx, input.messageId, (messageId, userId) => ({ kind: 'removeReaction', messageId, userId, emoji }));
}

/** Submits the change with the others of this moment, publishes its event after commit, returns the message. */
async function change(ctx: Context, messageId: string | null, make: (messageId: string, userId: string) => MessageChange): Promise<MessageView> {
  const user = requireUser(ctx);
  if (messageId === null) throw notFound();
  const outcome = await submit(ctx, make(messageId, user.id));
  if ('refused' in outcome) return refuse(ctx, outcome.refused);
  if (outcome.event) await publishRoomEvent(ctx, outcome.event);
  return outcome.message;
}

const batcherOf = changeBatcher(applyChange);

async function submit(ctx: Context, messageChange: MessageChange): Promise<ChangeOutcome<Refusal>> {
  try {
    return await batcherOf(ctx.sql).submit(messageChange);
  } catch (err) {
    if (isInvalidData(err)) throw userError(ErrorCode.BadUserInput, 'Message body contains characters that cannot be stored.');
    throw err;
  }
}

async function refuse(ctx: Context, refusal: Refusal): Promise<never> {
  switch (refusal) {
    case 'notFound':
      throw notFound();
    case 'notMember':
      return refuseNonMember(ctx);
    case 'notAuthor':
      throw userError(ErrorCode.Forbidden, 'Only its author can change this message.');
    case 'deleted':
      throw userError(ErrorCode.BadUserInput, 'This message was deleted.');
    case 'tooManyEmojis':
      throw userError(ErrorCode.BadUserInput, `A message can have at most ${maxEmojisPerMessage} different reactions.`);
  }
}

const notFound = () => userError(ErrorCode.NotFound, 'Message not found.');

/** The rules of one change, applied to the message in place (see the store's `ChangeRules`). */
export function applyChange(state: MessageState | null, messageChange: MessageChange, now: Date): Verdict<Refusal> {
  if (!state) return { refused: 'notFound' };
  // Also for the author: someone who left a room no longer reads it, so cannot change it.
  const member = state.members.get(messageChange.userId);
  if (!member) return { refused: 'notMember' };
  const { message } = state;
  switch (messageChange.kind) {
    case 'edit': {
      if (message.author.id !== member.id) return { refused: 'notAuthor' };
      if (message.deletedAt) return { refused: 'deleted' };
      if (message.body === messageChange.body) return { applied: null };
      message.body = messageChange.body;
      message.editedAt = now;
      return { applied: 'MESSAGE_EDITED' };
    }
    case 'delete': {
      if (message.author.id !== member.id) return { refused: 'notAuthor' };
      if (message.deletedAt) return { applied: null };
      message.body = '';
      message.deletedAt = now;
      state.reactions = [];
      return { applied: 'MESSAGE_DELETED' };
    }
    case 'addReaction': {
      if (message.deletedAt) return { refused: 'deleted' };
      const { emoji } = messageChange;
      if (state.reactions.some((r) => r.emoji === emoji && r.user.id === member.id)) return { applied: null };
      const emojis = new Set(state.reactions.map((r) => r.emoji));
      if (!emojis.has(emoji) && emojis.size >= maxEmojisPerMessage) return { refused: 'tooManyEmojis' };
      state.reactions.push({ emoji, user: member, createdAt: now });
      return { applied: 'REACTIONS_CHANGED' };
    }
    case 'removeReaction': {
      if (message.deletedAt) return { refused: 'deleted' };
      const { emoji } = messageChange;
      const remaining = state.reactions.filter((r) => !(r.emoji === emoji && r.user.id === member.id));
      if (remaining.length === state.reactions.length) return { applied: null };
      state.reactions = remaining;
      return { applied: 'REACTIONS_CHANGED' };
    }
  }
}
