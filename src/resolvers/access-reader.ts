import type { SqlClient } from '../entities/sql-client';
import { isDatabaseUnavailable } from '../entities/db-errors';
import { readRoomAccess, type AccessAsk, type RoomAccess } from '../entities/stores/rooms';
import { batchObserver } from './batch-metrics';
import { GroupCommit } from './group-commit';

/**
 * Membership checks asked at the same moment go to the database as one read (like
 * message-batcher.ts for sends). A reconnect storm, or a client opening its subscriptions,
 * asks thousands of them within a second: one statement per batch instead of one per
 * check, each of which woke PostgreSQL, which then took the CPU the server was delivering
 * on. A lone check waits for the end of its event-loop turn only; under load, for the read
 * in flight.
 */
const readers = new WeakMap<SqlClient, GroupCommit<AccessAsk, RoomAccess | null>>();

/** The room and the user's membership of it (null: no such room), read with the checks of this moment. */
export function readAccess(sql: SqlClient, ask: AccessAsk): Promise<RoomAccess | null> {
  let reader = readers.get(sql);
  if (!reader) {
    reader = new GroupCommit({
      run: (asks) => readRoomAccess(sql, asks),
      // A read changes nothing: nothing to retry as a conflict.
      isTransient: () => false,
      isSystemic: isDatabaseUnavailable,
      onBatch: batchObserver(sql, 'access'),
      // One read at a time: the checks asked while it is on its way go together in the next.
      // Measured on the storm benchmark (7,500 subscribes): 2,500 reads with one in flight,
      // 3,466 with two, 7,500 unbatched.
      maxInFlight: 1,
    });
    readers.set(sql, reader);
  }
  return reader.submit(ask);
}
