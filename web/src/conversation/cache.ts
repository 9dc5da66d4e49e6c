import type { KeyingConfig, OptimisticMutationConfig, ResolverConfig, UpdatesConfig } from '@urql/exchange-graphcache';

/**
 * The conversation screen's part of the normalized cache (graphcache options): the shell's
 * cacheExchange merges these with its own (client/cache.ts): keys and optimistic by name,
 * updates and resolvers per type and field (both updaters of one field run).
 * Stub from the shell's first commit: the conversation engineer fills it.
 */
export const conversationCache: {
  keys?: KeyingConfig;
  updates?: UpdatesConfig;
  resolvers?: ResolverConfig;
  optimistic?: OptimisticMutationConfig;
} = {};
