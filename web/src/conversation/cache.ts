import type { KeyingConfig, OptimisticMutationConfig, ResolverConfig, UpdatesConfig } from '@urql/exchange-graphcache';

/**
 * The conversation's part of graphcache's configuration (merged by the shell's client/cache.ts).
 *
 * Nothing is needed, on purpose: messages, rooms and users are normalized by `id`, so an edit,
 * a delete, a reaction change, a status refresh or a presence change arriving in any result
 * (history, roomEvents, a mutation's answer) updates the one entity wherever it is shown, the
 * chat list's last message included; the id-less types (edges, reactions, markers, events) are
 * keyed null by the shell. The message list itself is the screen's local state (messageStore.ts
 * says why), so no connection updaters are needed either.
 */
export const conversationCache: {
  keys?: KeyingConfig;
  updates?: UpdatesConfig;
  resolvers?: ResolverConfig;
  optimistic?: OptimisticMutationConfig;
} = {};
