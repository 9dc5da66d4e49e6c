/**
 * A batch's rows from a JSON array parameter, as a FROM item named `alias` with the given
 * column definitions (those of `json_to_recordset`) and one more, `ordinality` (1, 2, …).
 *
 * PostgreSQL estimates every set-returning function at 100 rows, and a batch holds a
 * few. With that estimate the generic plan of a send joined the batch to whole tables:
 * it read all of `users` into a hash for every send below about 200,000 users (5,000 rows
 * in the benchmarks: PostgreSQL's CPU per send fell from 1.3 to 0.65 ms with this, pgbench
 * on a copy of their tables). The condition on `ordinality` is always true; without
 * statistics the planner counts 0.5% of the rows for a range, so it expects one row and
 * looks each one up by index, which is right for 1 and for 256.
 */
export function batchRows(param: string, alias: string, columns: string): string {
  return `(select * from rows from (json_to_recordset(${param}) as (${columns})) with ordinality as r
            where r.ordinality between 1 and ${maxBatchRows}) as ${alias}`;
}

/** No batch comes near it (group commits send at most 256 items): the bound only shapes the estimate. */
const maxBatchRows = 2 ** 31 - 1;
