import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Context } from '../context';
import { Message } from '../entities/message.entity';
import { uuidv7 } from '../ids';
import { Topic } from '../pubsub';
import { requireMember, requireWithinRateLimit } from './guards';
import { validateBody } from './validation';
import { roomView, userView, type MessageView } from './views';

interface NewMessage {
  id: string;
  seq: number;
  body: string;
  createdAt: Date;
}

/**
 * Stores a message under its room's next sequence number. The UPDATE takes the room's
 * row lock, so concurrent senders in one room commit in sequence order: a reader paging
 * with `after` can never pass a number whose message commits later.
 */
async function storeMessage(em: SqlEntityManager, roomId: string, authorId: string, body: string): Promise<NewMessage> {
  return em.transactional(async (tx) => {
    const [row] = await tx.execute<{ last_seq: string }[]>(
      'update "rooms" set "last_seq" = "last_seq" + 1 where "id" = ? returning "last_seq"',
      [roomId],
    );
    const message = { id: uuidv7(), seq: Number(row!.last_seq), body, createdAt: new Date() };
    await tx.insert(Message, { ...message, room: roomId, author: authorId });
    return message;
  });
}

/** Members only; stored before it is published, and the stored message is returned. */
export async function sendMessage(ctx: Context, input: { roomId: string | null; body: string }): Promise<MessageView> {
  requireWithinRateLimit(ctx, 'messages');
  const body = validateBody(input.body);
  const membership = await requireMember(ctx, input.roomId);
  const stored = await storeMessage(ctx.em, membership.room.id, membership.user.id, body);
  const view: MessageView = { ...stored, room: roomView(membership.room), author: userView(membership.user) };
  await publishStored(ctx, view);
  return view;
}

/**
 * The database is the source of truth: once stored, a send succeeds even when live
 * delivery fails; the bus logs and counts the failure, so it is never silent.
 */
async function publishStored(ctx: Context, view: MessageView): Promise<void> {
  await ctx.bus.publish(Topic.messageAdded(view.room.id), view);
}
