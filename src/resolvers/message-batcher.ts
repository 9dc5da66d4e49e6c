import type { SqlClient } from '../entities/sql-client';
import { isDatabaseUnavailable } from '../entities/db-errors';
import { isTransientConflict, sqlStateOf } from '../entities/sql-state';
import { batchObserver } from './batch-metrics';
import { GroupCommit, type GroupCommitStats } from './group-commit';
import { insertMessages, type MessageDraft, type StoreOutcome } from '../entities/stores/messages';

type MessageBatcher = GroupCommit<MessageDraft, StoreOutcome>;

/**
 * One batcher per database client (one per process's services). Kept here rather than in
 * the context's dependencies because it is a property of the database: tests that run
 * several servers in one process each get their own, and it goes away with its client.
 */
const batchers = new WeakMap<SqlClient, MessageBatcher>();

/**
 * Send statements in flight at once. The second waits at its rooms' locks inside
 * PostgreSQL and runs the moment the first commits, instead of after the first's answer
 * has crossed the event loop and the next batch has been sent. Send, concurrency 64, five
 * pairs (2026-12-03): 2 in flight beat 1 in four of them, ~1.09x median; 3 was slower.
 */
export const sendBatchesInFlight = 2;

/** Runs of one draft whose key another statement committed under it (each run sees more). */
const keyRaceAttempts = 3;

/**
 * Stores one message, together with the messages sent at the same moment (group commit:
 * one statement for the whole batch, see insertMessages), and resolves with what became
 * of it (stored, a duplicate of the message under its key, not a member, reply refused).
 * Rejects with this message's own failure; a database outage rejects as it is, for
 * SERVICE_UNAVAILABLE.
 *
 * A draft that lost a race for its key (another statement, in this process or another,
 * committed the same author and key after this one started) is submitted again: the
 * winner has committed by then, so the next run finds its row and reports the duplicate.
 */
export async function storeMessage(sql: SqlClient, draft: MessageDraft): Promise<StoreOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await batcherOf(sql).submit(draft);
    } catch (err) {
      if (attempt >= keyRaceAttempts || !lostKeyRace(err, draft)) throw err;
    }
  }
}

/** A unique violation on a keyed draft: the only unique constraint a new message can break is its key's. */
function lostKeyRace(err: unknown, draft: MessageDraft): boolean {
  return draft.clientMessageId != null && sqlStateOf(err) === '23505';
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
      onBatch: batchObserver(sql, 'sends'),
      maxInFlight: sendBatchesInFlight,
    });
    batchers.set(sql, batcher);
  }
  return batcher;
}
