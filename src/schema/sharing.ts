import type { GraphQLField } from 'graphql';

/**
 * Field `extensions` saying that the field's value is the same for every subscriber who
 * may receive the event it is read from: it depends only on the event (and the
 * operation's arguments), never on who receives it. Only subscribers allowed to see the
 * room receive its events, so a field whose access check is "a member of the event's
 * room" (`Room.members`, `Room.messages`) qualifies; a field that answers differently per
 * viewer (e.g. a future `reactedByMe`) must not carry it. A subscription selecting only
 * such fields is executed once per event and its result shared (servers/shared-execution.ts).
 */
export const sameForEverySubscriber = Object.freeze({ shared: true });

/** True when the field was declared with `extensions: sameForEverySubscriber`. */
export function isSharedField(field: GraphQLField<unknown, unknown>): boolean {
  return field.extensions?.shared === true;
}
