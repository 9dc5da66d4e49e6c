import type { SqlClient } from '../entities/sql-client';
import { isDatabaseUnavailable } from '../entities/db-errors';
import { isTransientConflict } from '../entities/sql-state';
import { changeMessages, type ChangeOutcome, type ChangeRules, type ChangeTarget } from '../entities/stores/message-changes';
import { GroupCommit, type GroupCommitStats } from './group-commit';

/**
 * Group commit for changes to existing messages (edits, deletes, reactions), like
 * message-batcher.ts for sends: the changes submitted at the same moment go to the
 * database as one transaction (see stores/message-changes.ts), so a busy process makes
 * one transaction per batch rather than one per request.
 */
export interface ChangeBatcher<C extends ChangeTarget, R> {
  submit(change: C): Promise<ChangeOutcome<R>>;
  stats(): GroupCommitStats;
}

/** One batcher per database client and set of rules, made on first use and gone with its client. */
export function changeBatcher<C extends ChangeTarget, R>(rules: ChangeRules<C, R>): (sql: SqlClient) => ChangeBatcher<C, R> {
  const batchers = new WeakMap<SqlClient, ChangeBatcher<C, R>>();
  return (sql) => {
    let batcher = batchers.get(sql);
    if (!batcher) {
      const group = new GroupCommit<C, ChangeOutcome<R>>({
        run: (changes) => changeMessages(sql, changes, rules),
        isTransient: isTransientConflict,
        isSystemic: isDatabaseUnavailable,
        // A batch holds its rooms' locks for one round trip (its write and commit); with a
        // second batch in flight, that one already waits at the lock inside PostgreSQL, and
        // its read runs the moment the first commits, not one event-loop round trip later.
        maxInFlight: 2,
      });
      const handBack = slicedHandBack();
      batcher = {
        submit: async (change) => handBack(await group.submit(change)),
        stats: () => group.stats(),
      };
      batchers.set(sql, batcher);
    }
    return batcher;
  };
}

/** Callers a batch's outcomes go back to per turn of the event loop (see slicedHandBack). */
const handBackSlice = 8;

/**
 * Hands outcomes back to their callers a slice per turn of the event loop, in the order
 * they came. A batch's callers all continue at once (publish, build and write their
 * responses): tens of them in one go kept the event loop from reading the next batch's
 * read (already waiting with its rooms locked), and every batch of the same rooms waited
 * for that. Between slices the loop polls its sockets, so the next batch's write goes out
 * first.
 */
function slicedHandBack(): <T>(outcome: T) => Promise<T> {
  const waiting: (() => void)[] = [];
  let scheduled = false;
  const release = () => {
    for (const resume of waiting.splice(0, handBackSlice)) resume();
    // An immediate queued during the check phase runs in the next turn, after its poll phase.
    if (waiting.length > 0) setImmediate(release);
    else scheduled = false;
  };
  return (outcome) =>
    new Promise((resolve) => {
      waiting.push(() => resolve(outcome));
      if (!scheduled) {
        scheduled = true;
        setImmediate(release);
      }
    });
}
