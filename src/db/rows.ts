import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { type Db, rowsOf } from './client.js';

/**
 * Whole rows of a table, read and mapped without drizzle's generic result
 * mapper. That mapper checks each cell's column kind and walks its path
 * (it serves joins and nested selections); a list page with its relations
 * maps ~6,000 cells per request, and it was the largest single cost of the
 * portal list in `bench/portal.mts`. Here each table gets its column list
 * once and each cell one call of its column's own decoder
 * (`mapFromDriverValue`, the same that drizzle uses), so the rows are the
 * `$inferSelect` rows drizzle would give.
 *
 * The statement goes through `db.execute` (both drivers hand back raw
 * timestamps there, as drizzle's own mapping expects).
 */
export type RowReader<Row> = {
  /** The columns, quoted, in table order: `"id", "number", …`. */
  readonly columns: SQL;
  map(raw: Record<string, unknown>): Row;
  /** `select <columns> from <table> where <where> <tail>` (tail: order by, limit …), mapped. */
  select(db: Db, where: SQL | undefined, tail?: SQL): Promise<Row[]>;
};

const whole = new WeakMap<PgTable, RowReader<unknown>>();

/** The reader of a table's rows, without the columns in `omit` (whole rows: one reader per table, kept). */
export function rowReader<T extends PgTable, Omit extends keyof T['$inferSelect'] = never>(
  table: T,
  omit: readonly Omit[] = [],
): RowReader<globalThis.Omit<T['$inferSelect'], Omit>> {
  type Row = globalThis.Omit<T['$inferSelect'], Omit>;
  if (omit.length === 0) {
    const kept = whole.get(table);
    if (kept) return kept as RowReader<Row>;
  }
  const entries = Object.entries(getTableColumns(table)).filter(
    ([key]) => !(omit as readonly string[]).includes(key),
  );
  const keys = entries.map(([key]) => key);
  const names = entries.map(([, c]) => c.name);
  const columns = entries.map(([, c]) => c);
  const list = sql.join(
    names.map((n) => sql.identifier(n)),
    sql`, `,
  );
  const map = (raw: Record<string, unknown>): Row => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const v = raw[names[i]!];
      row[keys[i]!] = v === null || v === undefined ? null : columns[i]!.mapFromDriverValue(v);
    }
    return row as Row;
  };
  const reader: RowReader<Row> = {
    columns: list,
    map,
    async select(db, where, tail) {
      const q = sql`select ${list} from ${table}${where ? sql` where ${where}` : sql``}${tail ? sql` ${tail}` : sql``}`;
      return rowsOf<Record<string, unknown>>(await db.execute(q)).map(map);
    },
  };
  if (omit.length === 0) whole.set(table, reader as RowReader<unknown>);
  return reader;
}
