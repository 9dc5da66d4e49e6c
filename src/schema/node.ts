import { toGlobalId, type NodeType } from '../ids';
import type { MessageView, RoomView, UserView } from '../resolvers/views';
import { builder } from './builder';
import { sameForEverySubscriber } from './sharing';

type NodeView = UserView | RoomView | MessageView;

/** Which GraphQL type a view is; the shapes differ by a field only each of them has. */
export function nodeTypeOf(value: unknown): NodeType | null {
  if (typeof value !== 'object' || value === null) return null;
  if ('body' in value) return 'Message';
  if ('kind' in value) return 'Room';
  if ('username' in value) return 'User';
  return null;
}

export const NodeRef = builder.interfaceRef<NodeView>('Node').implement({
  description: 'Anything with a global id; `node(id)` reads any of them back.',
  fields: (t) => ({
    id: t.id({
      description: 'Opaque and unique across all types.',
      extensions: sameForEverySubscriber,
      resolve: (value) => toGlobalId(nodeTypeOf(value)!, value.id),
    }),
  }),
});
