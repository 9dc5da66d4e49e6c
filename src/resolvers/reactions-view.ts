import type { ReactionView } from './views';

/** Whether the viewer is among those who reacted (false for no viewer). */
export function reactedBy(reaction: ReactionView, userId: string | null): boolean {
  return userId !== null && reaction.users.some((user) => user.id === userId);
}
