// The plans a benchmark records: EXPLAIN (ANALYZE, BUFFERS) of the statements the code builds, collected for
// bench/results/<name>-plans.txt. Used by bench/stats.mts, count.mts, assessment.mts and search.mts.
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';

/**
 * The benches' own connection for EXPLAIN and setup, as the app's connections run statements: without JIT
 * compilation (src/db/client.ts, `DATABASE_JIT`). `connection` adds settings of its own.
 */
export const benchSql = (url: string, max = 2, connection: Record<string, string> = {}) =>
  postgres(url, { max, onnotice: () => {}, connection: { ...connection, jit: 'off' } });

/** The execution time an EXPLAIN ANALYZE plan reports, in ms (as printed). */
export const executionTime = (plan: string) => plan.match(/Execution Time: ([\d.]+) ms/)?.[1];

export function planRecorder(pg: postgres.Sql) {
  const dialect = new PgDialect();
  const plans: string[] = [];
  /** Runs `q` under EXPLAIN (ANALYZE, BUFFERS), keeps its text, parameters and plan under `title`, returns the plan. */
  async function explain(title: string, q: SQL): Promise<string> {
    const { sql: text, params } = dialect.sqlToQuery(q);
    const rows = await pg.unsafe(
      `explain (analyze, buffers, costs off) ${text}`,
      params as never[],
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    plans.push(`=== ${title}\n${text}\n-- params: ${JSON.stringify(params)}\n${plan}\n`);
    return plan;
  }
  return { explain, plans };
}
