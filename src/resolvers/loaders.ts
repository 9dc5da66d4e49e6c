import DataLoader from 'dataloader';
import type { SqlClient } from '../entities/sql-client';
import { readMessagesByIds } from '../entities/stores/messages';
import { readReactions } from '../entities/stores/reactions';
import type { MessageView, ReactionView } from './views';

/**
 * Reads that fields make per parent (a history page's replies and reactions): batched per
 * tick into one statement. Not cached: a subscription keeps its context for its whole
 * life, and a cache would serve an event the reactions of an earlier one.
 */
export interface Loaders {
  message: DataLoader<string, MessageView | null>;
  reactions: DataLoader<string, ReactionView[]>;
}

export function createLoaders(sql: SqlClient): Loaders {
  return {
    message: new DataLoader(
      async (ids) => {
        const byId = new Map((await readMessagesByIds(sql, ids)).map((m) => [m.id, m]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { cache: false, maxBatchSize: 100 },
    ),
    reactions: new DataLoader(
      async (ids) => {
        const byId = await readReactions(sql, ids);
        return ids.map((id) => byId.get(id) ?? []);
      },
      { cache: false, maxBatchSize: 100 },
    ),
  };
}
