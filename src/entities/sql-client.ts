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
export type SqlClient = SqlSession;

/** What createSqlClient makes: a SqlClient that also runs transactions (see `transaction`). */
interface TransactionalSqlClient extends SqlClient {
  /**
   * Runs `work` in one transaction on one pooled session: committed when it resolves,
   * rolled back when it throws (its error is rethrown). For changes whose checks must see
   * what was committed while they waited for a lock: under READ COMMITTED each statement
   * takes a new snapshot, so a statement after `select … for update` sees every change
   * committed before the lock was granted, which one statement with both could not.
   */
  transaction<T>(work: (tx: TransactionSession) => Promise<T>): Promise<T>;
}

/**
 * A transaction's session. The `begin` travels with its first statement or script, and a
 * script can carry the `commit`: round trips made while the transaction holds locks are
 * what other writers of the same rows wait for.
 */
export interface TransactionSession extends SqlSession {
  /**
   * Several statements in one round trip, in order (the simple query protocol: no
   * placeholders); the rows of each. A string goes as it is (values in it as
   * `sqlLiteral`s, planned on every run); an `Execution` runs a statement prepared once
   * per session (see `Execution`). With `commit`, the transaction commits in the same
   * round trip.
   */
  script(statements: readonly (string | Execution)[], options?: { commit?: boolean }): Promise<Row[][]>;
}

/**
 * A named statement with declared types, run inside a script as `EXECUTE name(literals)`:
 * PREPAREd in SQL the first time a session meets it (its own round trip, before the
 * script, so a failed script never leaves the session unsure of what it prepared), then
 * planned once per session like `Statement`s run by `query`. Its values are text, each
 * sent as an SQL literal and converted to its placeholder's declared type by PostgreSQL.
 */
export interface Execution {
  readonly statement: Statement & { readonly name: string; readonly types: readonly string[] };
  readonly params: readonly (string | null)[];
}

/**
 * A string as an SQL literal for a script: quotes doubled (standard_conforming_strings is
 * on in every supported PostgreSQL and in PGlite, so backslashes are plain characters).
 * NUL cannot be in a literal: callers pass text that was validated without it, or JSON,
 * which escapes it.
 */
export function sqlLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('NUL in an SQL literal');
  return `'${value.replace(/'/g, "''")}'`;
}

/** Runs statements: on the pool (one session each), or inside one transaction. */
export interface SqlSession {
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
  /** PGlite only: several statements, one result each. */
  exec?(text: string): Promise<{ rows: Row[] }[]>;
}

/**
 * Runs `work` in one transaction of a client made by createSqlClient (a function beside
 * the interface rather than a method of it, so that stand-ins which only read need not
 * implement it).
 */
export function transaction<T>(sql: SqlClient, work: (tx: TransactionSession) => Promise<T>): Promise<T> {
  const client = sql as Partial<TransactionalSqlClient>;
  if (!client.transaction) throw new Error('this SQL client runs no transactions');
  return client.transaction(work);
}

export function createSqlClient(orm: Orm): SqlClient {
  const em = orm.em as SqlEntityManager;
  const pool = em.getKnex().client as unknown as KnexPool;
  const embedded = em.getDriver() instanceof PGliteDriver;
  const run = embedded ? pgliteRunner(em) : postgresRunner;
  // PGlite prepares a named statement on its first failure to EXECUTE it (26000), which in
  // a transaction would abort the transaction: there, statements run unprepared.
  const runInTransaction = embedded ? unpreparedRunner : postgresRunner;
  const client: TransactionalSqlClient = {
    async query(statement, params) {
      checkPlaceholders(statement, params);
      const session = await pool.acquireConnection();
      try {
        return await run(session, statement, params);
      } finally {
        // knex's pool checks the session on its next checkout and drops it if it broke.
        await pool.releaseConnection(session);
      }
    },
    async transaction(work) {
      const session = await pool.acquireConnection();
      let begun = false;
      let committed = false;
      const tx: TransactionSession = {
        async query(statement, params) {
          checkPlaceholders(statement, params);
          if (!begun) await session.query('begin');
          begun = true;
          return runInTransaction(session, statement, params);
        },
        async script(steps, options = {}) {
          await prepareOnce(session, steps);
          const statements = steps.map(scriptText);
          const all = [...(begun ? [] : ['begin']), ...statements, ...(options.commit ? ['commit'] : [])];
          const skipped = begun ? 0 : 1;
          begun = true;
          const results = await runScript(session, all.join(';\n'));
          committed ||= options.commit === true;
          return results.slice(skipped, skipped + statements.length);
        },
      };
      try {
        const result = await work(tx);
        if (begun && !committed) await session.query('commit');
        return result;
      } catch (err) {
        // A rollback that fails too (the connection died) leaves the session broken: the pool drops it.
        if (begun) await session.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        await pool.releaseConnection(session);
      }
    },
  };
  return client;
}

/** Which named statements each session has PREPAREd in SQL (a renewed connection is a new session). */
const preparedBySession = new WeakMap<DriverSession, Set<string>>();

/** SQLSTATE of PREPARE under a name the session already has. */
const duplicatePreparedStatement = '42P05';

/**
 * PREPAREs the script's executions this session has not prepared yet (once per session
 * and statement, so the round trips do not count). Before the script's `begin` when the
 * transaction has not begun, which is how callers use it.
 */
async function prepareOnce(session: DriverSession, steps: readonly (string | Execution)[]): Promise<void> {
  const prepared = preparedBySession.get(session) ?? new Set<string>();
  preparedBySession.set(session, prepared);
  const missing = new Map<string, Execution['statement']>();
  for (const step of steps) {
    if (typeof step !== 'string' && !prepared.has(step.statement.name)) missing.set(step.statement.name, step.statement);
  }
  // Generic plans, like the pooled sessions of orm.ts (PGlite's session is not set up by the pool).
  if (missing.size > 0 && prepared.size === 0) await session.query(genericPlansSql);
  for (const statement of missing.values()) {
    try {
      await session.query(prepareSql(statement));
    } catch (err) {
      if (sqlStateOf(err) !== duplicatePreparedStatement) throw err;
    }
    prepared.add(statement.name);
  }
}

/** A script step as SQL: a string as it is, an execution as EXECUTE with its values as literals. */
function scriptText(step: string | Execution): string {
  if (typeof step === 'string') return step;
  const { statement, params } = step;
  checkPlaceholders(statement, params);
  return `execute ${statement.name}(${params.map((p) => (p === null ? 'null' : sqlLiteral(p))).join(', ')})`;
}

/** The rows of each statement of a script (node-postgres answers one statement with a single result). */
async function runScript(session: DriverSession, text: string): Promise<Row[][]> {
  const results = session.exec ? await session.exec(text) : ((await session.query(text)) as unknown as { rows: Row[] } | { rows: Row[] }[]);
  return (Array.isArray(results) ? results : [results]).map((result) => result.rows);
}

/** PREPARE of a named statement with declared types (in SQL: PGlite, and scripts on both). */
function prepareSql(statement: { name: string; types: readonly string[]; text: string }): string {
  return `prepare ${statement.name} (${statement.types.join(', ')}) as ${statement.text}`;
}

function checkPlaceholders(statement: Statement, params: readonly unknown[]): void {
  if (statement.types && params.length !== statement.types.length) {
    throw new Error(`${statement.name}: ${params.length} values for ${statement.types.length} placeholders`);
  }
}

type Runner = (session: DriverSession, statement: Statement, params: readonly unknown[]) => Promise<Row[]>;

/** node-postgres prepares a named statement on each pooled connection the first time it runs there. */
const postgresRunner: Runner = async (session, { text, name }, params) =>
  (await session.query(name ? { text, values: params, name } : { text, values: params })).rows;

/** PGlite's own parameter binding, planned on every call. */
const unpreparedRunner: Runner = async (session, { text }, params) => (await session.query(text, params)).rows;

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
    await session.query(genericPlansSql);
    await session.query(prepareSql({ name: statement.name, types: statement.types, text: statement.text }));
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
