/**
 * The conversation's part of graphcache's configuration (merged by the shell's cacheExchange).
 *
 * Messages, rooms and users are normalized by `id` (graphcache's default), so an edit, a delete,
 * a reaction change, a status refresh or a presence change arriving in any result updates the
 * one entity by id wherever it is shown. The types below have no id of their own: they are
 * embedded in their parent rather than normalized (a null key tells graphcache that on
 * purpose, instead of warning).
 */
export const conversationCache = {
  keys: {
    MessageConnection: () => null,
    MessageEdge: () => null,
    PageInfo: () => null,
    Reaction: () => null,
    ReadMarker: () => null,
    RoomEvent: () => null,
    TypingEvent: () => null,
  },
  updates: {},
  resolvers: {},
  optimistic: {},
};
