import { and, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import {
  complaintCounts,
  complaintDimMonthCounts,
  complaintMonthCounts,
  complaintStatusCounts,
  complaintStatusMonthCounts,
  complaints,
} from '../db/schema.js';
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
 *    when the grouping and filters name no more than unit, period, status and
 *    kind, else from `complaint_counts`; the whole Shanghai months among those
 *    days from their month-grained twins `complaint_status_month_counts` and
 *    `complaint_month_counts` (migration 0024: a month row is the sum of its
 *    days' rows, kept by the same trigger), or from `complaint_dim_month_counts`
 *    when they name a single line, category, severity, source or channel, or
 *    category and severity together (migration 0027) —
 *    unless a DAY or WEEK is grouped by — so that a year reads twelve months
 *    and at most two months' edge days;
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
 *
 * `rollupQuery` is that statement in general: windows open on either side
 * (the list's registeredFrom / registeredTo), and conditions on the rollup's
 * other columns (status, line, category, severity, source, channel) for the
 * list's `totalCount` (`rollupCountQuery`, src/domain/complaint-list.ts).
 */

export type StatsCover = {
  /** The units whose staff grants read cases (`reader_units && units`), with their paths. */
  units: Pick<OrgUnit, 'id' | 'path'>[];
  /** The viewer whose first-responded cases are readable, if any. */
  me: string | null;
  /** The kinds counted (the `kinds` argument, already in `readable`). */
  kinds: readonly ContactKind[];
};

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

/**
 * The first day from which PostgreSQL's `Asia/Shanghai` (the rollup's `day`) is +08:00 every day, as
 * src/sla/calendar.ts counts: China kept summer time until September 1991 (and local mean time before
 * 1901). Whole days before it are never read from the rollup: a window reaching further back counts
 * the cases before it from `complaints` (an empty range of complaints_registered_idx in practice).
 */
const FIXED_OFFSET_FROM = '1992-01-01';

const caseColumns = sql`${complaints.handlingPath} as handling_path, ${complaints.handlingUnitId} as handling_unit_id,
  (${complaints.registeredAt} at time zone 'Asia/Shanghai')::date as day, ${complaints.kind} as kind,
  ${complaints.status} as status, ${complaints.businessLine} as business_line, ${complaints.category} as category,
  ${complaints.severity} as severity, ${complaints.source} as source, ${complaints.channel} as channel, 1 as n`;

/**
 * How a window [from, to) (null: open on that side) splits over a rollup keyed by Shanghai day, path and kind
 * (D59): the whole days [d0, d1) of the viewer's outermost `units`' subtrees are read from the rollup, and
 * `caseConds` are the conditions (each to be ANDed with the scan's full condition) of the cases counted from
 * `complaints` instead: 2. the other readable cases of the whole days (outside every subtree of the units,
 * read through the dispatch chain or as first responder), found through their own indexes, and 3. the
 * window's parts outside whole days. Null when no whole day lies in the window (the caller scans then).
 */
export function splitWindow(
  from: Date | null,
  to: Date | null,
  cover: Pick<StatsCover, 'units' | 'me'>,
): {
  d0: string;
  d1: string | null;
  units: Pick<OrgUnit, 'id' | 'path'>[];
  caseConds: SQL[];
  /** For a caller that reads the partial days its own way: the first of `caseConds` (null: none), and the
   * readable cases outside every subtree of `units` as the first finds them (through the dispatch chain or as
   * first responder, on their own indexes; with no such way, the condition "outside every subtree"). */
  wholeDays: SQL | null;
  outside: SQL;
} | null {
  // [d0, d1): the whole days read from the rollup, never before FIXED_OFFSET_FROM
  const first = from && dayAtOrAfter(from);
  const d0 = first && first > FIXED_OFFSET_FROM ? first : FIXED_OFFSET_FROM;
  const d1 = to ? shanghaiDate(to) : null; // its midnight is at or before `to`
  if (d1 !== null && !(d0 < d1)) return null;
  const m0 = shanghaiMidnight(d0);
  const m1 = d1 === null ? null : shanghaiMidnight(d1);
  const units = outermost(cover.units);
  const caseConds: SQL[] = [];

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
  // the readable cases outside the subtrees are those read through the dispatch chain or as first responder:
  // each way has its index (complaints_outside_readers_idx, the first responder's), where the path has none
  const elsewhere = through.length
    ? sql`${outsideSubtrees} and (${sql.join(through, sql` or `)})`
    : outsideSubtrees;
  const wholeDays = through.length
    ? sql`${gte(complaints.registeredAt, m0)}${m1 === null ? sql`` : sql` and ${lt(complaints.registeredAt, m1)}`}
        and ${elsewhere}`
    : null;
  if (wholeDays) caseConds.push(wholeDays);
  if (from === null || from.getTime() < m0.getTime())
    caseConds.push(lt(complaints.registeredAt, m0));
  if (m1 !== null && m1.getTime() < to!.getTime()) caseConds.push(gte(complaints.registeredAt, m1));
  return { d0, d1, units, caseConds, wholeDays, outside: elsewhere };
}

/**
 * Conditions on the rollup's own columns besides kind and unit (the list's filters that the rollup holds,
 * issue 25 `totalCount`): each a non-empty list of values matched as `in (…)`, as `filterWhere` does.
 */
export type RollupFilter = {
  status?: readonly string[] | null;
  businessLine?: readonly string[] | null;
  category?: readonly string[] | null;
  severity?: readonly string[] | null;
  source?: readonly string[] | null;
  channel?: readonly string[] | null;
};

/** What one rollup statement counts. */
export type RollupRequest = {
  /** The scan's full condition (readable, kinds, unit filter, window, filters): parts 2 and 3 use it. */
  where: SQL;
  /** The registration window [from, to); null: open on that side. */
  from: Date | null;
  to: Date | null;
  /** The dimensions grouped by (already validated); none: one row with the count `n`. */
  dims: readonly Dimension[];
  /** The unit UNIT keys are relative to (needed only when `dims` holds UNIT). */
  scope?: OrgUnit;
  /** The unit filter's path (handled anywhere in that subtree), or null for none. */
  unitPath: string | null;
  cover: StatsCover;
  filter?: RollupFilter;
};

/** The wide dimensions, each with its filter and its column's SQL type (`complaint_dim_month_counts` keeps one at a time, and the PAIRS). */
const WIDE: Record<string, { filter: keyof RollupFilter; column: string; type: string }> = {
  BUSINESS_LINE: { filter: 'businessLine', column: 'business_line', type: 'text' },
  CATEGORY: { filter: 'category', column: 'category', type: 'text' },
  SEVERITY: { filter: 'severity', column: 'severity', type: 'severity' },
  SOURCE: { filter: 'source', column: 'source', type: 'source' },
  CHANNEL: { filter: 'channel', column: 'channel', type: 'channel' },
};

/**
 * The pairs of wide dimensions `complaint_dim_month_counts` also keeps (migration 0027), each under the pair's name
 * with the value `jsonb_build_array(first, second)::text`.
 */
const PAIRS: readonly (readonly [string, string])[] = [['CATEGORY', 'SEVERITY']];

/**
 * Which rollup a part reads: the narrow (status) tables, the wide ones, or the per-dimension month table for one
 * wide dimension or one kept pair (`dims`: the wide dimensions it holds, in the pair's order).
 */
type Shape = { kind: 'narrow' } | { kind: 'wide' } | { kind: 'dim'; dims: readonly string[] };

function shapeOf(dims: readonly Dimension[], given: readonly (keyof RollupFilter)[]): Shape {
  const wide = new Set([
    ...dims.filter((d) => d in WIDE),
    ...Object.keys(WIDE).filter((d) => given.includes(WIDE[d]!.filter)),
  ]);
  if (wide.size === 0) return { kind: 'narrow' };
  if (wide.size === 1) return { kind: 'dim', dims: [...wide] };
  const pair = PAIRS.find((p) => wide.size === 2 && p.every((d) => wide.has(d)));
  return pair ? { kind: 'dim', dims: pair } : { kind: 'wide' };
}

/** The `dim` a per-dimension row is kept under, and each held dimension's value read back from `value`. */
const dimName = (dims: readonly string[]) => dims.join(',');
const dimValue = (dims: readonly string[], d: string) =>
  dims.length === 1 ? '"value"' : `("value"::jsonb ->> ${dims.indexOf(d)})`;

type RollupTable = 'day' | 'month';

/**
 * The whole Shanghai months [m0, m1) within the whole days [d0, d1) (m1 null: open), or null when there is none.
 * Month rows are keyed by the month's first day.
 */
export function wholeMonths(
  d0: string,
  d1: string | null,
): { m0: string; m1: string | null } | null {
  const m0 = d0.endsWith('-01') ? d0 : nextMonth(d0);
  const m1 = d1 === null ? null : `${d1.slice(0, 7)}-01`;
  return m1 === null || m0 < m1 ? { m0, m1 } : null;
}

export function nextMonth(d: string): string {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * One rollup table's rows of [lo, hi) (hi null: open) in the subtrees of `units`, as rows of the union: the day
 * tables' `day`, the month tables' `month` (a month's first day: the keys of MONTH, QUARTER and YEAR are the same).
 * A single wide dimension's (or a kept pair's) whole months come from `complaint_dim_month_counts` (its value in its own column, the
 * other wide columns null: nothing groups or filters by them then); its day edges from `complaint_counts`.
 */
function rollupPart(
  shape: Shape,
  grain: RollupTable,
  lo: string,
  hi: string | null,
  units: Pick<OrgUnit, 'path'>[],
  unitPath: string | null,
  kinds: readonly ContactKind[],
  filter: RollupFilter,
): SQL {
  const kind = grain === 'day' && shape.kind === 'dim' ? 'wide' : shape.kind;
  const wide = grain === 'day' ? complaintCounts : complaintMonthCounts;
  const r =
    kind === 'narrow'
      ? grain === 'day'
        ? complaintStatusCounts
        : complaintStatusMonthCounts
      : kind === 'dim'
        ? complaintDimMonthCounts
        : wide;
  const time = 'day' in r ? r.day : r.month;
  const inUnits = sql.join(
    units.map((u) => sql`${r.handlingPath} like ${like(u.path)}`),
    sql` or `,
  );
  const held = kind === 'dim' && shape.kind === 'dim' ? shape.dims : [];
  const nulls = (keep: readonly string[]) =>
    sql.raw(
      Object.entries(WIDE)
        .map(([d, w]) =>
          keep.includes(d)
            ? `${dimValue(keep, d)}::${w.type} as ${w.column}`
            : `null::${w.type} as ${w.column}`,
        )
        .join(', '),
    );
  const rest =
    kind === 'narrow'
      ? nulls([])
      : kind === 'dim'
        ? nulls(held)
        : sql`${wide.businessLine} as business_line, ${wide.category} as category,
      ${wide.severity} as severity, ${wide.source} as source, ${wide.channel} as channel`;
  const conds: SQL[] = [
    ...(kind === 'dim' ? [sql`${complaintDimMonthCounts.dim} = ${dimName(held)}`] : []),
    sql`${time} >= ${lo}::date`,
    ...(hi === null ? [] : [sql`${time} < ${hi}::date`]),
    inArray(r.kind, [...kinds]),
    sql`(${inUnits})`,
  ];
  if (unitPath !== null) conds.push(sql`${r.handlingPath} like ${like(unitPath)}`);
  if (filter.status) conds.push(inArray(r.status, [...filter.status] as never[]));
  if (kind === 'dim') {
    for (const d of held) {
      const values = filter[WIDE[d]!.filter]; // never empty here: rollupQuery scans for an empty list
      if (values)
        conds.push(
          sql`${sql.raw(dimValue(held, d))} in (${sql.join(
            values.map((v) => sql`${v}`),
            sql`, `,
          )})`,
        );
    }
  } else {
    if (filter.businessLine) conds.push(inArray(wide.businessLine, [...filter.businessLine]));
    if (filter.category) conds.push(inArray(wide.category, [...filter.category]));
    if (filter.severity) conds.push(inArray(wide.severity, [...filter.severity] as never[]));
    if (filter.source) conds.push(inArray(wide.source, [...filter.source] as never[]));
    if (filter.channel) conds.push(inArray(wide.channel, [...filter.channel] as never[]));
  }
  return sql`select ${r.handlingPath} as handling_path, ${r.handlingUnitId} as handling_unit_id, ${time} as day,
      ${r.kind} as kind, ${r.status} as status, ${rest}, ${r.n} as n
      from ${r} where ${sql.join(conds, sql` and `)}`;
}

/**
 * The statement counting `where` over the rollup — grouped by `dims`, or the plain count (`n`) without
 * them — or null when it cannot answer exactly (no whole day in the window, no kind asked for, an empty
 * filter list): the caller scans then.
 */
export function rollupQuery(q: RollupRequest): SQL | null {
  const { where, from, to, dims, scope, unitPath, cover } = q;
  const filter = q.filter ?? {};
  if (!cover.kinds.length) return null;
  const given = (Object.keys(filter) as (keyof RollupFilter)[]).filter((k) => filter[k] != null);
  if (given.some((k) => !filter[k]!.length)) return null;
  const split = splitWindow(from, to, cover);
  if (!split) return null;
  const { d0, d1, units } = split;
  const parts: SQL[] = [];

  // 1. the subtrees of the viewer's units, from the rollup: the narrow one when it holds every dimension and filter asked for;
  // the whole months from the month tables (unless a day or week is grouped by), the other whole days from the day tables
  if (units.length) {
    const shape = shapeOf(dims, given);
    const months = dims.some((d) => d === 'DAY' || d === 'WEEK') ? null : wholeMonths(d0, d1);
    const ranges: [RollupTable, string, string | null][] = months
      ? [
          ...(d0 < months.m0 ? [['day', d0, months.m0] as [RollupTable, string, string]] : []),
          ['month', months.m0, months.m1],
          ...(months.m1 !== null && months.m1 < d1!
            ? [['day', months.m1, d1] as [RollupTable, string, string]]
            : []),
        ]
      : [['day', d0, d1]];
    for (const [grain, lo, hi] of ranges)
      parts.push(rollupPart(shape, grain, lo, hi, units, unitPath, cover.kinds, filter));
  }

  // 2. the other readable cases of the whole days and 3. the window's parts outside whole days, from complaints
  for (const cond of split.caseConds)
    parts.push(sql`select ${caseColumns} from ${complaints} where ${and(where, cond)}`);

  if (!parts.length) return null;
  const union = sql.join(
    parts.map((p) => sql`(${p})`),
    sql` union all `,
  );
  const cols = dims.map((d, i) => sql`${keyOf(d, scope!)} as ${sql.identifier(`k${i}`)}`);
  const positions = sql.join(
    dims.map((_, i) => sql.raw(String(i + 1))),
    sql`, `,
  );
  return dims.length
    ? sql`select ${sql.join([...cols, sql`sum(u.n)::int as n`], sql`, `)} from (${union}) u
        group by ${positions} having sum(u.n) <> 0 order by ${positions}`
    : sql`select coalesce(sum(u.n), 0)::int as n from (${union}) u`;
}

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
  return rollupQuery({
    where,
    from,
    to,
    dims,
    scope,
    unitPath: subtreeOnly ? scope.path : null,
    cover,
  });
}

/** Folds the rollup's delta rows (migration 0020's `stats_rollup_compact()`); -1 when another compaction runs. */
export async function compactStatsRollup(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select stats_rollup_compact() as n`));
  return Number(row?.n ?? 0);
}
