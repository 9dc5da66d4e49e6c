import type { SqlEntityManager } from '@mikro-orm/knex';
import { PGliteDriver } from 'mikro-orm-pglite';
import { genericPlansSql, type Orm } from './orm';
import { sqlStateOf } from './sql-state';

export type Row = Record<string, unknown>;

/** One SQL statement of the hot paths, with `$1`, `$2`… placeholders. */
export interface Statement {
  readonly text: string;
  /**
   * Prepared once per database session under this name instead of planned on every call
   * (a statement with CTEs costs more to plan than to run). Unique per text.
   */
  readonly name?: string;
  /**
   * The PostgreSQL type of each placeholder. PGlite prepares a named statement in SQL
   * (PREPARE … AS), which needs them; without them PGlite plans it on every call.
   */
  readonly types?: readonly string[];
}

/**
 * Plain SQL for the hot paths (membership checks, group commit, history pages), on a
 * session of the ORM's own pool: the same connections, the same limits and timeouts,
 * and on PGlite the same single session, so it waits for the ORM's transactions.
 *
 * Only the driver runs the statement: MikroORM's and knex's query layers (value quoting
 * into the SQL text, query builders, logging hooks) cost about 20 KB of garbage and a
 * tenth of a millisecond per statement, which was most of a subscription's setup.
 */
export interface SqlClient {
  /** The rows of one statement; the driver's own error when it fails (SQLSTATE in `code`). */
  query(statement: Statement, params: readonly unknown[]): Promise<Row[]>;
}

/** What knex's client offers for borrowing one of its pooled sessions. */
interface KnexPool {
  acquireConnection(): Promise<DriverSession>;
  releaseConnection(session: DriverSession): Promise<void>;
}

/** node-postgres' Client, or the PGlite instance (the PGlite dialect's "connection"). */
interface DriverSession {
  query(config: { text: string; values: readonly unknown[]; name?: string }): Promise<{ rows: Row[] }>;
  query(text: string, values?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

export function createSqlClient(orm: Orm): SqlClient {
  const em = orm.em as SqlEntityManager;
  const pool = em.getKnex().client as unknown as KnexPool;
  const run = em.getDriver() instanceof PGliteDriver ? pgliteRunner(em) : postgresRunner;
  return {
    async query(statement, params) {
      if (statement.types && params.length !== statement.types.length) {
        throw new Error(`${statement.name}: ${params.length} values for ${statement.types.length} placeholders`);
      }
      const session = await pool.acquireConnection();
      try {
        return await run(session, statement, params);
      } finally {
        // knex's pool checks the session on its next checkout and drops it if it broke.
        await pool.releaseConnection(session);
      }
    },
  };
}

type Runner = (session: DriverSession, statement: Statement, params: readonly unknown[]) => Promise<Row[]>;

/** node-postgres prepares a named statement on each pooled connection the first time it runs there. */
const postgresRunner: Runner = async (session, { text, name }, params) =>
  (await session.query(name ? { text, values: params, name } : { text, values: params })).rows;

/** SQLSTATE of a prepared statement that does not exist in this session. */
const undefinedStatement = '26000';

/**
 * PGlite: a named statement with declared types is PREPAREd in SQL (one session per
 * process) and EXECUTEd with its values quoted by MikroORM's platform; anything else goes
 * through PGlite's own parameter binding. Like on PostgreSQL (orm.ts), the session reuses generic plans.
 */
function pgliteRunner(em: SqlEntityManager): Runner {
  // The session is ours alone until released (PGlite's pool holds one), so no other
  // caller can prepare the same statement in between.
  const platform = em.getPlatform();
  return async (session, statement, params) => {
    if (!statement.name || !statement.types) return (await session.query(statement.text, params)).rows;
    const placeholders = params.map(() => '?').join(', ');
    const execute = platform.formatQuery(`execute ${statement.name}(${placeholders})`, params.map(asArrayLiteral));
    try {
      return (await session.query(execute)).rows;
    } catch (err) {
      // First use in this session (or the session was renewed): prepare, then run it.
      if (sqlStateOf(err) !== undefinedStatement) throw err;
    }
    const prepare = `prepare ${statement.name} (${statement.types.join(', ')}) as ${statement.text}`;
    await session.query(genericPlansSql);
    await session.query(prepare);
    return (await session.query(execute)).rows;
  };
}

/**
 * An array parameter (e.g. `uuid[]`) as PostgreSQL's array literal text: formatQuery
 * would expand the array into a list of values, one per placeholder.
 */
function asArrayLiteral(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const element = (v: unknown) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`);
  return `{${value.map(element).join(',')}}`;
}
