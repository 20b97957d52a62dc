import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { type Dimension, statsQuery } from '../../src/domain/stats.js';
import { useWorld } from '../support/world.js';

/**
 * D30 at scale: a time bucket groups by an expression. PostgreSQL plans that
 * grouping well (a parallel HashAggregate instead of sorting every row of a
 * year) only with statistics on that very expression, which migration 0007
 * creates. This checks that complaintStats still groups by exactly those
 * expressions: the planner's group key equals the statistics object's.
 */
const world = useWorld();

const BUCKETS: [Dimension, string][] = [
  ['DAY', 'complaints_day_stats'],
  ['WEEK', 'complaints_week_stats'],
  ['MONTH', 'complaints_month_stats'],
  ['QUARTER', 'complaints_quarter_stats'],
  ['YEAR', 'complaints_year_stats'],
];

type PlanNode = { 'Group Key'?: string[]; Plans?: PlanNode[] };
const groupKeys = (n: PlanNode): string[] => [
  ...(n['Group Key'] ?? []),
  ...(n.Plans ?? []).flatMap(groupKeys),
];
/** The planner's text without table qualifiers and outer parentheses. */
const bare = (e: string) => e.replaceAll('complaints.', '').replace(/^\((.*)\)$/, '$1');

describe('D30: statistics by time bucket group by the expressions the database keeps statistics on (migration 0007)', () => {
  it.each(BUCKETS)('%s groups by the expression of %s', async (bucket, name) => {
    const db = world().database.db;
    const [stat] = rowsOf<{ exprs: string[] | string }>(
      await db.execute(
        sql`select pg_get_statisticsobjdef_expressions(oid) as exprs from pg_statistic_ext where stxname = ${name}`,
      ),
    );
    expect(stat, `statistics object ${name}`).toBeDefined();
    const exprs =
      typeof stat!.exprs === 'string'
        ? stat!.exprs.replace(/^\{"?|"?\}$/g, '').replaceAll('\\"', '"')
        : stat!.exprs[0]!;

    const { query } = statsQuery({
      readable: sql`true`,
      scope: world().units.GD!,
      from: new Date('2026-01-01T00:00:00+08:00'),
      to: new Date('2027-01-01T00:00:00+08:00'),
      groupBy: [bucket],
    });
    const [row] = rowsOf<{ 'QUERY PLAN': unknown }>(
      await db.execute(sql`explain (verbose, format json) ${query}`),
    );
    const plan = (
      typeof row!['QUERY PLAN'] === 'string' ? JSON.parse(row!['QUERY PLAN']) : row!['QUERY PLAN']
    ) as { Plan: PlanNode }[];
    expect(groupKeys(plan[0]!.Plan).map(bare)).toContain(bare(exprs));
    // and the format is written into the statement, not sent as a parameter: a generic plan of the prepared
    // statement (after a few runs) would otherwise group by to_char(…, $n) and miss the statistics
    const format = /'([^']+)'::text\)$/.exec(exprs)![1]!;
    const text = new PgDialect().sqlToQuery(query);
    expect(text.sql).toContain(`'${format}'`);
    expect(text.params).not.toContain(format);
  });
});
