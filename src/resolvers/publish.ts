import type { Context } from '../context';
import { Topic } from '../live/pubsub';
import type { RoomEventView } from './views';

/**
 * Publishes a committed change of a room's log. The database is the source of truth:
 * once stored, the change succeeds even when live delivery fails (the bus logs and counts
 * the failure, and subscribers read the gap from the log when the next event arrives or
 * the bus resumes). This process's own subscribers of the room get it at once, without
 * waiting for the bus to bring it back (RoomChannels.offerCommitted); the publish is sent
 * first, so other processes do not wait for that delivery.
 */
export async function publishRoomEvent(ctx: Context, event: RoomEventView): Promise<void> {
  const published = ctx.bus.publish(Topic.roomEvents(event.message.room.id), event);
  ctx.rooms.offerCommitted(event);
  await published;
}
