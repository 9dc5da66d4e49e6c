import type { SqlClient } from '../entities/sql-client';
import type { BatchKind, Metrics } from '../metrics';

/**
 * The metrics of the process whose database client this is. Batchers are made per database
 * client, on first use (message-batcher.ts): they find their process's metrics here, as
 * tests that run several servers in one process each have their own client and registry.
 */
const metricsOf = new WeakMap<SqlClient, Metrics>();

export function reportBatchesTo(sql: SqlClient, metrics: Metrics): void {
  metricsOf.set(sql, metrics);
}

/** GroupCommit's `onBatch` for a batcher of this client; undefined when no metrics are kept. */
export function batchObserver(sql: SqlClient, kind: BatchKind): ((size: number) => void) | undefined {
  const metrics = metricsOf.get(sql);
  return metrics && ((size) => metrics.observeBatch(kind, size));
}
