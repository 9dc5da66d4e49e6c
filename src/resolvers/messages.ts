import type { Context } from '../context';
import { isInvalidData } from '../entities/sql-state';
import { ErrorCode, userError } from '../errors';
import { uuidv7 } from '../ids';
import { requireMember, requireUser, requireWithinRateLimit } from './guards';
import { storeMessage } from './message-batcher';
import type { MessageDraft, StoredMessage } from '../entities/stores/messages';
import { publishRoomEvent } from './publish';
import { validateBody } from './validation';
import type { MessageView } from './views';

/** Members only; stored before it is published, and the stored message is returned. */
export async function sendMessage(ctx: Context, input: { roomId: string | null; body: string }): Promise<MessageView> {
  requireWithinRateLimit(ctx, 'messages');
  const body = validateBody(input.body);
  const user = requireUser(ctx);
  if (input.roomId === null) throw userError(ErrorCode.NotFound, 'Room not found.');
  const draft: MessageDraft = { id: uuidv7(), roomId: input.roomId, authorId: user.id, body, createdAt: new Date() };
  const { seq, room, author } = await storeAsMember(ctx, draft);
  const view: MessageView = {
    id: draft.id,
    seq,
    room,
    author,
    body,
    createdAt: draft.createdAt,
    clientMessageId: null,
    replyToId: null,
    editedAt: null,
    deletedAt: null,
    reactions: [],
  };
  await publishRoomEvent(ctx, { kind: 'MESSAGE_ADDED', seq, message: view });
  return view;
}

/**
 * The membership check is part of the store (one round trip for both, shared with the
 * other messages of the batch). When the store refuses the draft, requireMember tells
 * why (NOT_FOUND or FORBIDDEN); if the author joined in between, the store runs again.
 */
async function storeAsMember(ctx: Context, draft: MessageDraft): Promise<StoredMessage> {
  const stored = await store(ctx, draft);
  if (stored) return stored;
  await requireMember(ctx, draft.roomId);
  const storedAfterJoin = await store(ctx, draft);
  if (!storedAfterJoin) throw userError(ErrorCode.Forbidden, 'You are not a member of this room.');
  return storedAfterJoin;
}

/** Stores the draft with the others sent at the same moment; a value the database refuses is the sender's. */
async function store(ctx: Context, draft: MessageDraft): Promise<StoredMessage | null> {
  try {
    return await storeMessage(ctx.sql, draft);
  } catch (err) {
    if (isInvalidData(err)) throw userError(ErrorCode.BadUserInput, 'Message body contains characters that cannot be stored.');
    throw err;
  }
}
