import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

/**
 * `column = any($1::uuid[])`: a batch of ids as one parameter. Unlike
 * `in ($1, …, $n)` the statement text is the same for 1 or 100 ids, so the
 * database prepares it once, and the driver binds one value instead of one
 * per id (loaders send this on every request). The ids are UUIDs (from rows,
 * or global ids already checked); anything else fails the cast, as `in`
 * would.
 */
export const anyId = (column: AnyColumn, ids: readonly string[]): SQL =>
  sql`${column} = any(${`{${ids.join(',')}}`}::uuid[])`;
