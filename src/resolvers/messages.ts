import type { Context } from '../context';
import { uuidv7 } from '../ids';
import { Topic } from '../pubsub';
import { requireMember, requireWithinRateLimit } from './guards';
import { validateBody } from './validation';
import { insertMessage } from './queries';
import { roomView, type MessageView } from './views';

/** Members only; stored before it is published, and the stored message is returned. */
export async function sendMessage(ctx: Context, input: { roomId: string | null; body: string }): Promise<MessageView> {
  requireWithinRateLimit(ctx, 'messages');
  const body = validateBody(input.body);
  const { room, user } = await requireMember(ctx, input.roomId);
  const message = { id: uuidv7(), roomId: room.id, authorId: user.id, body, createdAt: new Date() };
  const seq = await insertMessage(ctx.em, message);
  const view: MessageView = { id: message.id, seq, room: roomView(room), author: user, body, createdAt: message.createdAt };
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
