/** node-postgres gives Date objects, PGlite too; a string is parsed all the same. */
export const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/** A nullable timestamp column. */
export const asDateOrNull = (value: unknown) => (value === null || value === undefined ? null : asDate(value));
