import type { Connection } from '@mikro-orm/core';
import type { SqlRunner } from '../context';
import { isDatabaseUnavailable } from '../entities/db-errors';
import { isTransientConflict } from '../entities/sql-state';
import { GroupCommit, type GroupCommitStats } from './group-commit';
import { insertMessages, type MessageDraft, type StoredMessage } from './queries';

type MessageBatcher = GroupCommit<MessageDraft, StoredMessage | null>;

/**
 * One batcher per database (its connection object is shared by every fork of the
 * process's ORM). Kept here rather than in the context's dependencies because it is a
 * property of the connection: tests that run several servers in one process each get
 * their own, and it goes away with its ORM.
 */
const batchers = new WeakMap<Connection, MessageBatcher>();

/**
 * Stores one message, together with the messages sent at the same moment (group commit:
 * one statement for the whole batch, see insertMessages). Resolves with the stored form,
 * or null when the author is not a member of the room (nothing stored). Rejects with this
 * message's own failure; a database outage rejects as it is, for SERVICE_UNAVAILABLE.
 */
export function storeMessage(em: SqlRunner, draft: MessageDraft): Promise<StoredMessage | null> {
  return batcherOf(em).submit(draft);
}

/** How the sends of this database were batched so far. */
export function messageBatchStats(em: SqlRunner): GroupCommitStats {
  return batcherOf(em).stats();
}

function batcherOf(em: SqlRunner): MessageBatcher {
  const connection = em.getConnection('write');
  let batcher = batchers.get(connection);
  if (!batcher) {
    batcher = new GroupCommit({
      run: (drafts) => insertMessages(connection, drafts),
      isTransient: isTransientConflict,
      isSystemic: isDatabaseUnavailable,
    });
    batchers.set(connection, batcher);
  }
  return batcher;
}
