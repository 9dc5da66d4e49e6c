import type { SqlClient } from '../entities/sql-client';
import { isDatabaseUnavailable } from '../entities/db-errors';
import { isTransientConflict } from '../entities/sql-state';
import { GroupCommit, type GroupCommitStats } from './group-commit';
import { insertMessages, type MessageDraft, type StoredMessage } from '../entities/stores/messages';

type MessageBatcher = GroupCommit<MessageDraft, StoredMessage | null>;

/**
 * One batcher per database client (one per process's services). Kept here rather than in
 * the context's dependencies because it is a property of the database: tests that run
 * several servers in one process each get their own, and it goes away with its client.
 */
const batchers = new WeakMap<SqlClient, MessageBatcher>();

/**
 * Stores one message, together with the messages sent at the same moment (group commit:
 * one statement for the whole batch, see insertMessages). Resolves with the stored form,
 * or null when the author is not a member of the room (nothing stored). Rejects with this
 * message's own failure; a database outage rejects as it is, for SERVICE_UNAVAILABLE.
 */
export function storeMessage(sql: SqlClient, draft: MessageDraft): Promise<StoredMessage | null> {
  return batcherOf(sql).submit(draft);
}

/** How the sends of this database were batched so far. */
export function messageBatchStats(sql: SqlClient): GroupCommitStats {
  return batcherOf(sql).stats();
}

function batcherOf(sql: SqlClient): MessageBatcher {
  let batcher = batchers.get(sql);
  if (!batcher) {
    batcher = new GroupCommit({
      run: (drafts) => insertMessages(sql, drafts),
      isTransient: isTransientConflict,
      isSystemic: isDatabaseUnavailable,
    });
    batchers.set(sql, batcher);
  }
  return batcher;
}
