import type { SqlRunner } from '../context';
import { PGliteDriver } from 'mikro-orm-pglite';

/**
 * Hot read statements planned once per database session instead of once per request.
 * `em.execute` inlines every value into the SQL text, so PostgreSQL parses and plans
 * each call afresh; for a statement with CTEs and sub-plans, planning costs more than
 * running it (history page on 100k messages: ~0.5 ms planning, ~0.2 ms execution; on
 * PGlite's WASM build ~0.8 ms of planning).
 */
export interface PreparedStatement {
  /** An SQL identifier, one per statement text. */
  readonly name: string;
  /** The statement with `?` placeholders. */
  readonly sql: string;
  /** The PostgreSQL type of each placeholder, in order (PGlite's PREPARE declares them). */
  readonly types: readonly string[];
}

type Row = Record<string, unknown>;

/** SQLSTATEs of a missing and of an already existing prepared statement. */
const undefinedStatement = '26000';
const duplicateStatement = '42P05';

/**
 * PostgreSQL (node-postgres): bound parameters on a named statement; the driver prepares
 * it on each pooled connection the first time that connection runs it. PGlite's driver
 * ignores names, so there the statement is PREPAREd in SQL (one session per process)
 * and EXECUTEd with the values quoted by MikroORM's platform.
 */
export async function queryPrepared(em: SqlRunner, statement: PreparedStatement, params: unknown[]): Promise<Row[]> {
  if (params.length !== statement.types.length) throw new Error(`${statement.name}: ${params.length} values for ${statement.types.length} placeholders`);
  if (em.getDriver() instanceof PGliteDriver) return executeInSession(em, statement, params);
  const result = (await em.getKnex().raw(statement.sql, params as never).options({ name: statement.name })) as { rows: Row[] };
  return result.rows;
}

async function executeInSession(em: SqlRunner, statement: PreparedStatement, params: unknown[]): Promise<Row[]> {
  const knex = em.getKnex();
  const execute = async () => {
    const sql = em.getPlatform().formatQuery(`execute ${statement.name}(${params.map(() => '?').join(', ')})`, params);
    return ((await knex.raw(sql)) as { rows: Row[] }).rows;
  };
  try {
    return await execute();
  } catch (err) {
    // First use in this session (or the session was renewed): prepare, then run it.
    if (sqlState(err) !== undefinedStatement) throw err;
  }
  await knex.raw(prepareSql(statement)).catch((err: unknown) => {
    if (sqlState(err) !== duplicateStatement) throw err; // a concurrent first use prepared it
  });
  return execute();
}

function prepareSql(statement: PreparedStatement): string {
  let n = 0;
  const body = statement.sql.replace(/\?/g, () => `$${++n}`);
  return `prepare ${statement.name} (${statement.types.join(', ')}) as ${body}`;
}

function sqlState(err: unknown): unknown {
  return err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
}
