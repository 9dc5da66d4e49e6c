import type { Context } from '../context';
import { ErrorCode, userError } from '../errors';
import { Topic } from '../live/pubsub';
import { requireMember, requireUserWithinRateLimit } from './guards';
import { membershipViews, type TypingView } from './views';

/** Publishes a typing indicator to the room's other members; nothing is stored. */
export async function setTyping(ctx: Context, input: { roomId: string | null; isTyping: boolean }): Promise<boolean> {
  await requireUserWithinRateLimit(ctx, 'typing');
  const membership = await requireMember(ctx, input.roomId);
  const event: TypingView = { ...membershipViews(membership), isTyping: input.isTyping };
  // Publishing is all setTyping does: when it fails, saying `true` would be a lie.
  if (!(await ctx.bus.publish(Topic.typing(membership.room.id), event))) {
    throw userError(ErrorCode.ServiceUnavailable, 'Live updates are unavailable right now; try again shortly.');
  }
  return true;
}

/**
 * Ends a user's "typing" that was never followed up: each subscriber keeps its own
 * timers, so expiry needs no coordination between processes and survives a sender
 * whose refreshes land on different servers.
 */
export class TypingExpiry {
  private timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly timeoutMs: number,
    private readonly emit: (event: TypingView) => void,
  ) {}

  /** Passes the event on and (re)arms or clears the user's timer. */
  observe(event: TypingView): void {
    const userId = event.user.id;
    clearTimeout(this.timers.get(userId));
    this.timers.delete(userId);
    if (event.isTyping) {
      const timer = setTimeout(() => {
        this.timers.delete(userId);
        this.emit({ ...event, isTyping: false });
      }, this.timeoutMs);
      timer.unref();
      this.timers.set(userId, timer);
    }
    this.emit(event);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
