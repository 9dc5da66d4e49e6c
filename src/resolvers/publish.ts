import type { Context } from '../context';
import { Topic } from '../live/pubsub';
import type { RoomEventView } from './views';

/**
 * Publishes a committed change of a room's log. The database is the source of truth:
 * once stored, the change succeeds even when live delivery fails (the bus logs and counts
 * the failure, and subscribers read the gap from the log when the next event arrives or
 * the bus resumes).
 */
export async function publishRoomEvent(ctx: Context, event: RoomEventView): Promise<void> {
  await ctx.bus.publish(Topic.roomEvents(event.message.room.id), event);
}
