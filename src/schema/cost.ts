import { getNamedType, isLeafType, type GraphQLOutputType } from 'graphql';
import { limits } from '../config';
import type { PageArgs } from '../resolvers/pagination';

/**
 * What one operation is estimated to cost (MAX_QUERY_COST, see the README's "Limits"):
 * each object returned counts 1 and a scalar 0.01, and a list counts its items and multiplies
 * what is selected inside it by its size. So nested lists multiply: history inside history
 * at 100 × 100 costs 10,200, where a screen of 25 rooms with their members and last 50
 * messages costs about 3,150. Declared beside each field in src/schema/; checked before
 * executing by src/servers/graphql/query-cost.ts.
 */

/** Sizes assumed for lists that have no page argument (a user's rooms, a room's members, a message's reactions: at most 20 emojis). */
export const assumedListSize = { rooms: 25, members: 25, reactions: 20, reactionUsers: 25 } as const;

/** A list of `size` objects: the objects themselves, and `size` times what is selected in each. */
export function listCost(size: number) {
  return { field: size, multiplier: size };
}

/** A history page: as many messages as `first`/`last` asks for (50 when absent, at most 100). */
export function pageCost(args: PageArgs) {
  const asked = Math.max(args.first ?? 0, args.last ?? 0);
  const size = args.first == null && args.last == null ? limits.defaultPageSize : Math.min(Math.max(asked, 0), limits.maxPageSize);
  return listCost(size);
}

/**
 * Every field without a declaration of its own: 1 for an object (a read, a node), 0.01 for a
 * scalar. Scalars are nearly free, but not quite: a document repeating fields through
 * fragments (`...F1 ...F1` chains) costs what it spells out, and is refused past the limit.
 */
export function defaultFieldCost(_args: unknown, _ctx: unknown, field: { type: GraphQLOutputType }): number {
  return isLeafType(getNamedType(field.type)) ? 0.01 : 1;
}

/** Parts of a structure already counted by the field that returned it (a connection's edges, its pageInfo). */
export const countedByParent = { field: 0, multiplier: 1 } as const;
