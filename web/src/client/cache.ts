import { cacheExchange, type Cache, type CacheExchangeOpts, type ResolverConfig, type UpdatesConfig } from '@urql/exchange-graphcache';
import { graphql } from '../gql';
import { conversationCache } from '../conversation/cache';

/**
 * The shell's part of the normalized cache. Entities with an `id` (User, Room, Message)
 * are normalized by it: an edit, a presence change or a room's new unread count written
 * by any result updates every screen that shows that entity.
 * Types without an id are embedded in their parent (key null).
 */
const shellKeys: NonNullable<CacheExchangeOpts['keys']> = {
  AuthPayload: () => null,
  PageInfo: () => null,
  MessageConnection: () => null,
  MessageEdge: () => null,
  Reaction: () => null,
  ReadMarker: () => null,
  RoomEvent: () => null,
  TypingEvent: () => null,
};

interface Entity {
  __typename?: string;
  id?: string;
}

/** Who is signed in (the session's user): whose messages are not unread. */
export interface ShellCacheOptions {
  viewerId: () => string;
}

type AddedMessage = Entity & { room?: Entity; author?: Entity; deletedAt?: string | null; createdAt?: unknown };

const shellUpdates = ({ viewerId }: ShellCacheOptions): UpdatesConfig => ({
  Subscription: {
    // A new message in any of my rooms: it becomes the room's last message, and another
    // member's adds one to the room's unread count. The count is kept here rather than
    // selected: `unreadCount` depends on the viewer, so selecting it made the server execute
    // every new message once per member (a database read each) instead of once for all.
    // The server's count replaces it whenever my marker moves (markRead's answer, and a
    // read of the room when a move of mine comes from elsewhere: ChatList.tsx). The room's
    // lastActivityAt comes with the selection, and the chat list sorts by it.
    messageAdded(result, _args, cache) {
      const message = result.messageAdded as AddedMessage | undefined;
      if (!message?.room?.id) return;
      const roomKey = cache.keyOfEntity({ __typename: 'Room', id: message.room.id });
      if (!roomKey) return;
      const messageKey = cache.keyOfEntity({ __typename: 'Message', id: message.id! });
      if (!message.deletedAt && isNewerThanLast(cache, roomKey, message) && cache.resolve(roomKey, 'lastMessage') !== messageKey) {
        cache.link(roomKey, 'lastMessage', messageKey);
        if (message.author?.id !== viewerId()) countUnread(cache, message.room.id, roomKey);
      }
      ensureListed(cache, roomKey);
    },
  },
  Mutation: {
    createRoom: (result, _args, cache) => listNewRoom(cache, result.createRoom as Entity),
    joinRoom: (result, _args, cache) => listNewRoom(cache, result.joinRoom as Entity),
    openDirectRoom: (result, _args, cache) => listNewRoom(cache, result.openDirectRoom as Entity),
    leaveRoom(result, args, cache) {
      if (!result.leaveRoom) return;
      const key = cache.keyOfEntity({ __typename: 'Room', id: String(args.roomId) });
      const rooms = cache.resolve('Query', 'rooms') as string[] | null;
      if (rooms && key) cache.link('Query', 'rooms', rooms.filter((k) => k !== key));
    },
  },
});

/** One more unread message in the room, when the cache holds its count (the chat list read it). */
function countUnread(cache: Cache, roomId: string, roomKey: string): void {
  const count = cache.resolve(roomKey, 'unreadCount');
  if (typeof count === 'number') cache.writeFragment(unreadCountFragment, { __typename: 'Room', id: roomId, unreadCount: count + 1 });
}

const unreadCountFragment = graphql(`
  fragment ChatListUnreadBump on Room {
    id
    unreadCount
  }
`);

/** A resumed subscription replays older messages first: never move lastMessage backwards. */
function isNewerThanLast(cache: Cache, roomKey: string, message: Entity & { createdAt?: unknown }): boolean {
  const lastKey = cache.resolve(roomKey, 'lastMessage') as string | null | undefined;
  if (!lastKey) return true;
  const lastAt = cache.resolve(lastKey, 'createdAt');
  if (typeof lastAt !== 'string' || typeof message.createdAt !== 'string') return true;
  return Date.parse(message.createdAt) >= Date.parse(lastAt);
}

/** A room the list does not know yet (a new private chat with me): read the list again. */
function ensureListed(cache: Cache, roomKey: string): void {
  const rooms = cache.resolve('Query', 'rooms') as string[] | null;
  if (rooms && !rooms.includes(roomKey)) cache.invalidate('Query', 'rooms');
}

function listNewRoom(cache: Cache, room: Entity | undefined): void {
  const key = room && cache.keyOfEntity(room as { __typename: string; id: string });
  if (key) ensureListed(cache, key);
}

/** Per type and field: both updaters run (shell first), so neither side loses its cache writes. */
function mergeUpdates(a: UpdatesConfig, b: UpdatesConfig = {}): UpdatesConfig {
  const merged: UpdatesConfig = { ...a };
  for (const [type, fields] of Object.entries(b)) {
    const mine = { ...(a[type] ?? {}) };
    for (const [field, theirs] of Object.entries(fields ?? {})) {
      const own = mine[field];
      mine[field] = own && theirs ? (...args: Parameters<typeof own>) => (own(...args), theirs(...args)) : (theirs ?? own);
    }
    merged[type] = mine;
  }
  return merged;
}

function mergeResolvers(a: ResolverConfig, b: ResolverConfig = {}): ResolverConfig {
  const merged: ResolverConfig = { ...a };
  for (const [type, fields] of Object.entries(b)) merged[type] = { ...(a[type] ?? {}), ...(fields ?? {}) };
  return merged;
}

export function createCacheExchange(options: ShellCacheOptions) {
  return cacheExchange({
    keys: { ...shellKeys, ...conversationCache.keys },
    updates: mergeUpdates(shellUpdates(options), conversationCache.updates),
    resolvers: mergeResolvers({}, conversationCache.resolvers),
    optimistic: { ...conversationCache.optimistic },
  });
}
