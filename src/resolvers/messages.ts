import type { Context } from '../context';
import { isInvalidData } from '../entities/sql-state';
import { ErrorCode, userError } from '../errors';
import { uuidv7 } from '../ids';
import { requireMember, requireUser, requireUserWithinRateLimit } from './guards';
import { storeMessage } from './message-batcher';
import { readMessagesByIds, type MessageDraft, type StoreOutcome } from '../entities/stores/messages';
import { publishRoomEvent } from './publish';
import { validateBody, validateClientMessageId } from './validation';
import type { MessageView } from './views';

export interface SendMessageInput {
  /** Null when the id given is not a room id. */
  roomId: string | null;
  body: string;
  clientMessageId?: string | null;
  /** Null when none was given, or when the id given is not a message id (see hasReplyToId). */
  replyToId?: string | null;
  hasReplyToId?: boolean;
}

/**
 * Members only; stored before it is published, and the stored message is returned. With
 * a clientMessageId already used by this author, nothing is stored or published: the
 * message first stored under it is returned as it is now (see firstStoredUnder).
 */
export async function sendMessage(ctx: Context, input: SendMessageInput): Promise<MessageView> {
  // No await when the bucket is off (benchmarks): the hot path keeps its one tick fewer.
  const limited = requireUserWithinRateLimit(ctx, 'send');
  if (limited) await limited;
  const body = validateBody(input.body);
  const clientMessageId = input.clientMessageId == null ? null : validateClientMessageId(input.clientMessageId);
  const user = requireUser(ctx);
  if (input.roomId === null) throw userError(ErrorCode.NotFound, 'Room not found.');
  const replyToId = input.replyToId ?? null;
  if (input.hasReplyToId && replyToId === null) throw replyRefused();
  const draft: MessageDraft = {
    id: uuidv7(),
    roomId: input.roomId,
    authorId: user.id,
    body,
    createdAt: new Date(),
    clientMessageId,
    replyToId,
  };
  const outcome = await storeAsMember(ctx, draft);
  if (outcome.outcome === 'duplicate') return firstStoredUnder(ctx, draft, outcome.messageId);
  if (outcome.outcome === 'replyRefused') throw replyRefused();
  const { seq, room, author, alone } = outcome;
  const view: MessageView = {
    id: draft.id,
    seq,
    room,
    author,
    body,
    createdAt: draft.createdAt,
    clientMessageId,
    replyToId,
    editedAt: null,
    deletedAt: null,
    reactions: [],
    // Known without a read: fan-out then reads no markers for a new message.
    status: alone ? 'READ' : 'SENT',
  };
  await publishRoomEvent(ctx, { kind: 'MESSAGE_ADDED', seq, message: view });
  return view;
}

const replyRefused = () => userError(ErrorCode.BadUserInput, 'replyToId must name a message of this room that is not deleted.');

/**
 * A retry: the message stored under the draft's key, as it is now (edited, or a tombstone).
 * It must be the same message: same room and reply always; same body while it is neither
 * edited nor deleted (after that its first body is gone, so the room and reply decide).
 * Otherwise the key was reused for another message: CONFLICT.
 */
async function firstStoredUnder(ctx: Context, draft: MessageDraft, messageId: string): Promise<MessageView> {
  const [first] = await readMessagesByIds(ctx.sql, [messageId]);
  if (!first || !isRetryOf(draft, first)) throw keyReused();
  return first;
}

function isRetryOf(draft: MessageDraft, first: MessageView): boolean {
  const bodyKnown = first.editedAt === null && first.deletedAt === null;
  return first.room.id === draft.roomId && first.replyToId === (draft.replyToId ?? null) && (!bodyKnown || first.body === draft.body);
}

const keyReused = () => userError(ErrorCode.Conflict, 'This clientMessageId was already used for another message.');

/**
 * The membership check is part of the store (one round trip for both, shared with the
 * other messages of the batch). When the store refuses the draft, requireMember tells
 * why (NOT_FOUND or FORBIDDEN); if the author joined in between, the store runs again.
 */
async function storeAsMember(ctx: Context, draft: MessageDraft): Promise<Exclude<StoreOutcome, { outcome: 'notMember' }>> {
  const outcome = await store(ctx, draft);
  if (outcome.outcome !== 'notMember') return outcome;
  await requireMember(ctx, draft.roomId);
  const afterJoin = await store(ctx, draft);
  if (afterJoin.outcome === 'notMember') throw userError(ErrorCode.Forbidden, 'You are not a member of this room.');
  return afterJoin;
}

/** Stores the draft with the others sent at the same moment; a value the database refuses is the sender's. */
async function store(ctx: Context, draft: MessageDraft): Promise<StoreOutcome> {
  try {
    return await storeMessage(ctx.sql, draft);
  } catch (err) {
    if (isInvalidData(err)) throw userError(ErrorCode.BadUserInput, 'Message body contains characters that cannot be stored.');
    throw err;
  }
}
