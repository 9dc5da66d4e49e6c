/** The SQLSTATE of a PostgreSQL error, looked up through the wrappers (MikroORM copies `code`). */
export function sqlStateOf(error: unknown, depth = 0): string | null {
  if (!error || typeof error !== 'object' || depth > 5) return null;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  return sqlStateOf(cause, depth + 1);
}

/**
 * A deadlock (40P01) or serialization failure (40001): PostgreSQL rolled the statement
 * back, and running it again may succeed.
 */
export function isTransientConflict(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === '40P01' || state === '40001';
}

/**
 * Class 22, data exception: a value the database cannot store (e.g. a NUL character in
 * text). The caller's input, not an outage or a bug.
 */
export function isInvalidData(error: unknown): boolean {
  return sqlStateOf(error)?.startsWith('22') ?? false;
}

/** 23503: a row refers to one that does not exist (e.g. a membership of a deleted user). */
export function isForeignKeyViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23503';
}
