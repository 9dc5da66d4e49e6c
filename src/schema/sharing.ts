import type { GraphQLArgument, GraphQLField } from 'graphql';

/**
 * Field `extensions` saying that the field's value is the same for every subscriber who
 * may receive the event it is read from: it depends only on the event (and the
 * operation's arguments), never on who receives it. Only subscribers allowed to see the
 * room receive its events, so a field whose access check is "a member of the event's
 * room" (`Room.members`, `Room.messages`) qualifies; a field that answers differently per
 * viewer (e.g. a future `reactedByMe`) must not carry it. A subscription selecting only
 * such fields is executed once per event and its result shared (servers/graphql/shared-execution.ts).
 */
export const sameForEverySubscriber = Object.freeze({ shared: true });

/** True when the field was declared with `extensions: sameForEverySubscriber`. */
export function isSharedField(field: GraphQLField<unknown, unknown>): boolean {
  return field.extensions?.shared === true;
}

/**
 * Argument `extensions` saying that the argument only chooses where a subscription
 * starts (`after`): once it has caught up, a subscription's live events do not depend on
 * it. Subscribers that differ only in such an argument share each event's execution; else
 * every client resuming from its own cursor would be executed alone for its whole life.
 */
export const startPositionOnly = Object.freeze({ startPositionOnly: true });

/** True when the argument was declared with `extensions: startPositionOnly`. */
export function isStartPositionArg(arg: GraphQLArgument): boolean {
  return arg.extensions?.startPositionOnly === true;
}
