import type { KeyingConfig, OptimisticMutationConfig, ResolverConfig, UpdatesConfig } from '@urql/exchange-graphcache';

/**
 * The conversation's part of graphcache's configuration (merged by the shell's client/cache.ts).
 *
 * Little is needed: messages, rooms and users are normalized by `id`, so an edit, a delete, a
 * reaction change, a status refresh or a presence change arriving in any result (history,
 * roomEvents, a mutation's answer) updates the one entity wherever it is shown; the id-less
 * types (edges, reactions, markers, events) are keyed null by the shell. The message list itself
 * is local state of the screen (see messageStore.ts for why).
 *
 * One thing normalization cannot know: when the room's last message is deleted, the chat list
 * would show its tombstone. The API computes `Room.lastMessage` (the newest not deleted), so
 * the field is invalidated and read again.
 */
interface DeletedEvent {
  kind?: string;
  room?: { id?: string };
  message?: { id?: string };
}

const updates: UpdatesConfig = {
  Subscription: {
    roomEvents(result, _args, cache) {
      const event = result.roomEvents as DeletedEvent | undefined;
      if (event?.kind !== 'MESSAGE_DELETED' || !event.room?.id || !event.message?.id) return;
      const roomKey = cache.keyOfEntity({ __typename: 'Room', id: event.room.id });
      const messageKey = cache.keyOfEntity({ __typename: 'Message', id: event.message.id });
      if (roomKey && cache.resolve(roomKey, 'lastMessage') === messageKey) cache.invalidate(roomKey, 'lastMessage');
    },
  },
};

export const conversationCache: {
  keys?: KeyingConfig;
  updates?: UpdatesConfig;
  resolvers?: ResolverConfig;
  optimistic?: OptimisticMutationConfig;
} = { updates };
