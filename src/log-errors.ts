import pino from 'pino';

/**
 * Error fields that carry the values of a statement: message bodies, room names,
 * password hashes. PostgreSQL's `detail` repeats the failing row ("Failing row contains
 * (…)", "Key (…)=(…)"), `where` can quote values, `query`/`sql` are the statement as
 * MikroORM and knex format it, with the values inlined.
 */
const valueFields = ['detail', 'where', 'query', 'sql', 'params', 'parameters', 'bindings', 'values', 'internalQuery'];

/** Statements as knex puts them in front of a message: `insert into … values ('…') - <PostgreSQL's message>`. */
const leadingStatement = /^(?:select|insert|update|delete|with|execute|prepare|begin|commit|set|alter|create|drop)\b[\s\S]* - /i;
/** MikroORM appends PostgreSQL's DETAIL to the message. */
const detailLine = /\n - detail: [^\n]*/g;

/**
 * pino's `err` serializer, minus the values: keeps the type, PostgreSQL's own message,
 * SQLSTATE (`code`), constraint, table and column, and the stack; drops the statement
 * text and its parameters wherever they appear (fields, message, the stack's first line).
 */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object') return out;
  const statement = statementOf(err);
  for (const field of valueFields) delete out[field];
  const message = typeof out.message === 'string' ? out.message : '';
  const cleanMessage = withoutStatement(message, statement);
  out.message = cleanMessage;
  if (typeof out.stack === 'string') {
    const stack = message ? out.stack.split(message).join(cleanMessage) : out.stack;
    out.stack = withoutStatement(stack, statement, false);
  }
  return out;
}

function statementOf(err: unknown): string | null {
  if (!err || typeof err !== 'object') return null;
  const { query, sql } = err as { query?: unknown; sql?: unknown };
  if (typeof query === 'string' && query.length > 0) return query;
  return typeof sql === 'string' && sql.length > 0 ? sql : null;
}

function withoutStatement(text: string, statement: string | null, isMessage = true): string {
  let clean = statement ? text.split(statement).join('[statement]') : text;
  clean = clean.replace(detailLine, '');
  // No `query` field to go by (another wrapper): drop whatever looks like a statement up front.
  return isMessage ? clean.replace(leadingStatement, '[statement] - ') : clean;
}
