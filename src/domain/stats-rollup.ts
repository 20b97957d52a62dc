import { and, gte, lt, type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import { complaintCounts, complaintStatusCounts, complaints } from '../db/schema.js';
import { addDays, shanghaiDate, shanghaiMidnight } from '../sla/calendar.js';
import type { ContactKind } from './enums.js';
import { escapeLike, type OrgUnit } from './org.js';
import { type Dimension, TIME_FORMAT } from './stats-dimensions.js';

/**
 * Issue 25, D59: `complaintStats` from the rollup (`complaint_counts`,
 * migration 0020) where it counts exactly what the scan counts.
 *
 * The viewer's readable set is `reader_units && U` OR `first_responder_id =
 * me` (src/auth/read-cover.ts says when it is exactly that). Every case
 * handled in the subtree of a unit of U holds that unit in `reader_units`
 * (the handling unit's ancestors are always readers, D54), so within the
 * window's whole Shanghai days [d0, d1) the figures split into two disjoint
 * parts:
 *
 * 1. the cases handled in the subtrees of U's outermost units (disjoint
 *    subtrees, each case in one): summed from the rollup, by day, kind and
 *    path, with the unit filter on the path — from `complaint_status_counts`
 *    when the grouping needs no more than unit, period, status and kind,
 *    else from `complaint_counts`;
 * 2. the other readable cases — read through the dispatch chain by a unit
 *    outside the handling unit's ancestry, or as their first responder —
 *    counted from `complaints` with the full readable condition, found
 *    through two indexes (`complaints_outside_readers_idx`,
 *    `complaints_first_responder_path_idx`);
 *
 * and the parts of the window outside whole days (when from or to is not a
 * Shanghai midnight) are counted from `complaints` with the full condition.
 * All three are one statement (one snapshot; the rollup's rows are written in
 * the transaction of the change, so they agree with the rows of that
 * snapshot), grouped by the same expressions as the scan.
 */

export type StatsCover = {
  /** The units whose staff grants read cases (`reader_units && units`), with their paths. */
  units: Pick<OrgUnit, 'id' | 'path'>[];
  /** The viewer whose first-responded cases are readable, if any. */
  me: string | null;
  /** The kinds counted (the `kinds` argument, already in `readable`). */
  kinds: readonly ContactKind[];
};

/** The dimensions `complaint_status_counts` holds (besides the path and the kind every request filters by). */
const NARROW: readonly Dimension[] = [
  'UNIT',
  'DAY',
  'WEEK',
  'MONTH',
  'QUARTER',
  'YEAR',
  'STATUS',
  'KIND',
];

const col = (name: string) => sql.raw(`u.${name}`);
const like = (path: string) => `${escapeLike(path)}%`;

/** The same keys as `expression` in stats.ts, over the rows of the union (a rollup row or a case). */
function keyOf(d: Dimension, scope: OrgUnit): SQL {
  switch (d) {
    case 'UNIT':
      return sql`(case when ${col('handling_path')} like ${like(scope.path)}
        then coalesce(nullif(split_part(substr(${col('handling_path')}, ${scope.path.length + 1}), '/', 1), '')::uuid, ${scope.id}::uuid)
        else ${col('handling_unit_id')} end)`;
    case 'BUSINESS_LINE':
      return col('business_line');
    case 'CATEGORY':
      return col('category');
    case 'SEVERITY':
      return sql`${col('severity')}::text`;
    case 'SOURCE':
      return sql`${col('source')}::text`;
    case 'CHANNEL':
      return sql`${col('channel')}::text`;
    case 'STATUS':
      return sql`${col('status')}::text`;
    case 'KIND':
      return sql`${col('kind')}::text`;
    default:
      return sql`to_char(${col('day')}::timestamp, ${sql.raw(`'${TIME_FORMAT[d]!}'`)})`;
  }
}

/** The outermost of the units (a unit inside another's subtree adds nothing: its cases are the other's too). */
export function outermost<U extends Pick<OrgUnit, 'path'>>(units: readonly U[]): U[] {
  const byPath = new Map(units.map((u) => [u.path, u]));
  const paths = [...byPath.keys()];
  return paths
    .filter((p) => !paths.some((q) => q !== p && p.startsWith(q)))
    .sort()
    .map((p) => byPath.get(p)!);
}

/** The first Shanghai day whose midnight is at or after `t`. */
function dayAtOrAfter(t: Date): string {
  const d = shanghaiDate(t);
  return shanghaiMidnight(d).getTime() < t.getTime() ? addDays(d, 1) : d;
}

const caseColumns = sql`${complaints.handlingPath} as handling_path, ${complaints.handlingUnitId} as handling_unit_id,
  (${complaints.registeredAt} at time zone 'Asia/Shanghai')::date as day, ${complaints.kind} as kind,
  ${complaints.status} as status, ${complaints.businessLine} as business_line, ${complaints.category} as category,
  ${complaints.severity} as severity, ${complaints.source} as source, ${complaints.channel} as channel, 1 as n`;

/**
 * The statement of `complaintStats` over the rollup, or null when it cannot
 * answer exactly (no whole day in the window, no kind asked for): the caller
 * scans then. `where` is the scan's full condition (readable, kinds, unit
 * filter, window); `dims` already validated.
 */
export function rollupStatsQuery(
  where: SQL,
  scope: OrgUnit,
  from: Date,
  to: Date,
  dims: readonly Dimension[],
  subtreeOnly: boolean,
  cover: StatsCover,
): SQL | null {
  if (!cover.kinds.length) return null;
  const d0 = dayAtOrAfter(from);
  const d1 = shanghaiDate(to); // its midnight is at or before `to`
  if (!(d0 < d1)) return null;
  const m0 = shanghaiMidnight(d0);
  const m1 = shanghaiMidnight(d1);
  const units = outermost(cover.units);
  const parts: SQL[] = [];

  // 1. the subtrees of the viewer's units, from the rollup: the narrow one when it holds every dimension asked for
  if (units.length) {
    const narrow = dims.every((d) => NARROW.includes(d));
    const r = narrow ? complaintStatusCounts : complaintCounts;
    const inUnits = sql.join(
      units.map((u) => sql`${r.handlingPath} like ${like(u.path)}`),
      sql` or `,
    );
    const rest = narrow
      ? sql`null::text as business_line, null::text as category, null::severity as severity, null::source as source, null::channel as channel`
      : sql`${complaintCounts.businessLine} as business_line, ${complaintCounts.category} as category,
      ${complaintCounts.severity} as severity, ${complaintCounts.source} as source, ${complaintCounts.channel} as channel`;
    parts.push(sql`select ${r.handlingPath} as handling_path, ${r.handlingUnitId} as handling_unit_id, ${r.day} as day,
      ${r.kind} as kind, ${r.status} as status, ${rest}, ${r.n} as n
      from ${r} where ${r.day} >= ${d0}::date and ${r.day} < ${d1}::date
        and ${r.kind} in (${sql.join(
          cover.kinds.map((k) => sql`${k}`),
          sql`, `,
        )})
        and (${inUnits})${subtreeOnly ? sql` and ${r.handlingPath} like ${like(scope.path)}` : sql``}`);
  }

  // 2. the other readable cases of the whole days: outside every subtree of U, found through their own indexes
  const path = complaints.handlingPath;
  const outsideSubtrees = units.length
    ? sql.join(
        units.map(
          // byte order (text_pattern_ops): the paths starting with p lie in [p, p with its final '/' raised to '0')
          (u) =>
            sql`(${path} ~<~ ${u.path} or ${path} ~>=~ ${`${u.path.slice(0, -1)}0`}) and not (${path} like ${like(u.path)})`,
        ),
        sql` and `,
      )
    : sql`true`;
  const outsideReaders = sql`complaint_outside_readers(${complaints.readerUnits}, ${path})`;
  const through: SQL[] = [];
  if (units.length)
    through.push(
      sql`(cardinality(${outsideReaders}) > 0 and ${outsideReaders} && array[${sql.join(
        cover.units.map((u) => sql`${u.id}`),
        sql`, `,
      )}]::uuid[])`,
    );
  if (cover.me) through.push(sql`(${complaints.firstResponderId} = ${cover.me})`);
  if (through.length)
    parts.push(sql`select ${caseColumns} from ${complaints}
      where ${where} and ${gte(complaints.registeredAt, m0)} and ${lt(complaints.registeredAt, m1)}
        and ${outsideSubtrees} and (${sql.join(through, sql` or `)})`);

  // 3. the window's parts outside whole days, scanned with the full condition
  const edges: SQL[] = [];
  if (from.getTime() < m0.getTime()) edges.push(lt(complaints.registeredAt, m0));
  if (m1.getTime() < to.getTime()) edges.push(gte(complaints.registeredAt, m1));
  for (const edge of edges)
    parts.push(sql`select ${caseColumns} from ${complaints} where ${and(where, edge)}`);

  if (!parts.length) return null;
  const union = sql.join(
    parts.map((p) => sql`(${p})`),
    sql` union all `,
  );
  const cols = dims.map((d, i) => sql`${keyOf(d, scope)} as ${sql.identifier(`k${i}`)}`);
  const positions = sql.join(
    dims.map((_, i) => sql.raw(String(i + 1))),
    sql`, `,
  );
  return dims.length
    ? sql`select ${sql.join([...cols, sql`sum(u.n)::int as n`], sql`, `)} from (${union}) u
        group by ${positions} having sum(u.n) <> 0 order by ${positions}`
    : sql`select coalesce(sum(u.n), 0)::int as n from (${union}) u`;
}

/** Folds the rollup's delta rows (migration 0020's `stats_rollup_compact()`); -1 when another compaction runs. */
export async function compactStatsRollup(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select stats_rollup_compact() as n`));
  return Number(row?.n ?? 0);
}
