import { RoomKind } from '../entities/room.entity';
import type { MessageView, RoomView, UserView } from '../resolvers/views';
import { fromGlobalId, type NodeType } from '../ids';
import { builder } from './builder';

/** Declared here and implemented in their own files, so types can refer to each other. */
export const UserRef = builder.objectRef<UserView>('User');
export const RoomRef = builder.objectRef<RoomView>('Room');
export const MessageRef = builder.objectRef<MessageView>('Message');

export const RoomKindRef = builder.enumType('RoomKind', {
  values: {
    GROUP: { value: RoomKind.Group, description: 'A named room that users join and leave.' },
    DIRECT: { value: RoomKind.Direct, description: 'A private conversation between exactly two users.' },
  } as const,
});

/** The raw id inside a global id of the given type; null when it is not one (the resolver says NOT_FOUND). */
export function rawId(globalId: string | null | undefined, type: NodeType): string | null {
  if (globalId == null) return null;
  const decoded = fromGlobalId(globalId);
  return decoded && decoded.type === type ? decoded.rawId : null;
}
