import { and, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { complaints, OPEN_STATUS_LIST, orgUnits, slaClocks } from '../db/schema.js';
import { shanghaiDate, shanghaiMidnight } from '../sla/calendar.js';
import {
  emptyFindings,
  type FindingSummary,
  type PersonExtras,
  type RemedyRecordKind,
  type UnitExtras,
  unitExtras,
} from './assessment-findings.js';
import { OPEN_STATUSES } from './enums.js';
import { validation } from './errors.js';
import type { OrgUnit } from './org.js';
import { escapeLike } from './org.js';
import { type Dimension, TIME, TIME_FORMAT } from './stats-dimensions.js';
import {
  type CaseFigures,
  type Measures,
  meanMinutes,
  rollupMeasures,
  rollupPersonMeasures,
  scanMeasures,
  scanPersonMeasures,
} from './stats-measures.js';
import { rollupStatsQuery, type StatsCover } from './stats-rollup.js';

/**
 * Statistics, assessment and the duty briefing (DOMAIN §5, D59). Every
 * figure counts exactly the cases the viewer can list: `readable` (the CASL
 * rules as SQL), the unit filter "handled anywhere in the subtree" when a unit
 * is asked for (none otherwise, as in the list), and the registration window
 * [from, to).
 */

export { DIMENSIONS, type Dimension } from './stats-dimensions.js';

const local = sql`(${complaints.registeredAt} at time zone 'Asia/Shanghai')`;

/**
 * The unit a case counts under when grouping by UNIT (D59): the scope's direct
 * child whose subtree holds it, or the scope itself for cases it holds, or —
 * outside the scope (readable through the dispatch chain) — the unit holding
 * it. A pure expression over the row (no subquery per row): unit codes are
 * joined once per group afterwards.
 */
const childIdOf = (scope: OrgUnit) =>
  sql`(case when ${subtree(scope)}
    then coalesce(nullif(split_part(substr(${complaints.handlingPath}, ${scope.path.length + 1}), '/', 1), '')::uuid, ${scope.id}::uuid)
    else ${complaints.handlingUnitId} end)`;

function expression(d: Dimension, scope: OrgUnit): SQL {
  switch (d) {
    case 'UNIT':
      return childIdOf(scope);
    case 'BUSINESS_LINE':
      return sql`${complaints.businessLine}`;
    case 'CATEGORY':
      return sql`${complaints.category}`;
    case 'SEVERITY':
      return sql`${complaints.severity}::text`;
    case 'SOURCE':
      return sql`${complaints.source}::text`;
    case 'CHANNEL':
      return sql`${complaints.channel}::text`;
    case 'STATUS':
      return sql`${complaints.status}::text`;
    case 'KIND':
      return sql`${complaints.kind}::text`;
    default:
      // the format as a literal, not a parameter: the same expression as the statistics of migration 0007
      return sql`to_char(${local}, ${sql.raw(`'${TIME_FORMAT[d]!}'`)})`;
  }
}

export const subtree = (unit: OrgUnit) =>
  sql`${complaints.handlingPath} like ${`${escapeLike(unit.path)}%`}`;

/** D59: the list's unit filter when a unit was asked for; without one the list has none, and neither have the figures. */
const unitFilter = (scope: OrgUnit, subtreeOnly: boolean) =>
  subtreeOnly ? subtree(scope) : sql`true`;

export function windowWhere(from: Date, to: Date): SQL {
  if (!(from.getTime() < to.getTime())) throw validation(['input', 'to'], 'to must be after from');
  return and(gte(complaints.registeredAt, from), lt(complaints.registeredAt, to))!;
}

export type StatsRow = { keys: Record<string, string | null>; count: number };

/** UNIT keys are unit ids inside; their codes are joined once per group, still one statement. */
function withUnitCodes(grouped: SQL, u: number): SQL {
  return u < 0
    ? grouped
    : sql`select g.*, u.code as unit_code from (${grouped}) g left join org_units u on u.id = g.${sql.identifier(`k${u}`)}`;
}

/** What one statistics request counts: the viewer's readable cases (CASL as SQL), the scope unit (its subtree only unless `subtreeOnly` is false), the registration window [from, to) and the dimensions to group by. */
export type StatsRequest = {
  readable: SQL;
  scope: OrgUnit;
  from: Date;
  to: Date;
  groupBy: readonly Dimension[];
  subtreeOnly?: boolean;
};

/** D30, D59: the one statement of `complaintStats`, grouped by the dimensions asked for. */
export function statsQuery(r: StatsRequest): { query: SQL; dims: Dimension[]; unit: number } {
  const { readable, scope, from, to, groupBy, subtreeOnly = true } = r;
  const dims = [...new Set(groupBy)];
  if (dims.filter((d) => TIME.includes(d)).length > 1)
    throw validation(['input', 'groupBy'], 'Group by one time bucket at most');
  const where = and(readable, unitFilter(scope, subtreeOnly), windowWhere(from, to))!;
  const cols = dims.map((d, i) => sql`${expression(d, scope)} as ${sql.identifier(`k${i}`)}`);
  const select = cols.length
    ? sql.join([...cols, sql`count(*)::int as n`], sql`, `)
    : sql`count(*)::int as n`;
  const group = dims.length
    ? sql` group by ${sql.join(
        dims.map((_, i) => sql.raw(String(i + 1))),
        sql`, `,
      )} order by ${sql.join(
        dims.map((_, i) => sql.raw(String(i + 1))),
        sql`, `,
      )}`
    : sql``;
  const grouped = sql`select ${select} from ${complaints} where ${where}${group}`;
  const u = dims.indexOf('UNIT');
  return { query: withUnitCodes(grouped, u), dims, unit: u };
}

/** D30, D59: counts per group, in one statement. */
export async function complaintStats(
  db: Db,
  readable: SQL,
  scope: OrgUnit,
  from: Date,
  to: Date,
  groupBy: readonly Dimension[],
  subtreeOnly = true,
  cover: StatsCover | null = null,
): Promise<StatsRow[]> {
  const scan = statsQuery({ readable, scope, from, to, groupBy, subtreeOnly });
  const { dims, unit: u } = scan;
  // Issue 25: the rollup when it counts exactly the same cases (src/domain/stats-rollup.ts), else the scan.
  const grouped =
    cover &&
    rollupStatsQuery(
      and(readable, unitFilter(scope, subtreeOnly), windowWhere(from, to))!,
      scope,
      from,
      to,
      dims,
      subtreeOnly,
      cover,
    );
  const query = grouped ? withUnitCodes(grouped, u) : scan.query;
  const rows = rowsOf<Record<string, unknown>>(await db.execute(query)).map((r) =>
    u < 0 ? r : { ...r, [`k${u}`]: r.unit_code },
  );
  if (u >= 0)
    rows.sort(
      (a, b) =>
        dims
          .map((_, i) => String(a[`k${i}`] ?? '').localeCompare(String(b[`k${i}`] ?? '')))
          .find((x) => x !== 0) ?? 0,
    );
  return rows.map((r) => ({
    keys: Object.fromEntries(dims.map((d, i) => [d, (r[`k${i}`] as string | null) ?? null])),
    count: Number(r.n),
  }));
}

export type ClockPerformance = {
  clock: string;
  total: number;
  onTime: number;
  rate: number | null;
};
export type AssessmentRow = {
  unitCode: string | null;
  userId: string | null;
  received: number;
  resolved: number;
  resolutionRate: number | null;
  meanResponseMinutes: number | null;
  satisfactionRate: number | null;
  reopenRate: number | null;
  repeatRate: number | null;
  /** D31: returns and sent-back reports per dispatch (UNIT: dispatches the row's units received; PERSON: those the person took). */
  returnRate: number | null;
  clocks: ClockPerformance[];
  /** D31: findings naming the row's units as responsible; null in PERSON rows. */
  findings: FindingSummary | null;
  /** D75: the row's units' rectifications still open, and those of them past due (0 in PERSON rows). */
  rectificationsOpen: number;
  rectificationsOverdue: number;
};

const rate = (n: number, d: number) => (d > 0 ? n / d : null);

/**
 * D31 per unit (the scope's direct children, each with its subtree, plus the
 * scope's own cases) or per person: every person who owned a step — the first
 * responder (accountable under D10) for the case figures and clocks, the
 * handler who made a unit's report for that unit's ASSIGNMENT clocks and
 * rework (src/domain/assessment-findings.ts). Partner cases have no person
 * row. Rates are null when their denominator is 0.
 */
export async function assessment(
  db: Db,
  readable: SQL,
  scope: OrgUnit,
  from: Date,
  to: Date,
  by: 'UNIT' | 'PERSON',
  now: Date,
  subtreeOnly = true,
  remedyRecords: readonly RemedyRecordKind[] = [],
  cover: StatsCover | null = null,
): Promise<AssessmentRow[]> {
  const where = and(readable, unitFilter(scope, subtreeOnly), windowWhere(from, to))!;
  // Issue 25: from the rollups where they give exactly these figures (src/domain/stats-measures.ts), else scanned.
  // D31: a rectification's RECTIFY clock is counted as the unit's open and overdue rectifications, not as a case
  // clock; per PERSON, an ASSIGNMENT clock is the reporting handler's (personExtras), not the first responder's.
  const window = { where, scope, from, to, subtreeOnly, now };
  let measured: Measures;
  let units = new Map<string, UnitExtras>();
  let persons = new Map<string, PersonExtras>();
  if (by === 'UNIT') {
    measured =
      (cover &&
        (await rollupMeasures(db, { ...window, cover, by: 'UNIT', rectificationClocks: false }))) ||
      (await scanMeasures(
        db,
        where,
        sql`${childIdOf(scope)}::text`,
        sql`c.rectification_id is null`,
        now,
      ));
    units = await unitExtras(db, where, scope, now, remedyRecords);
  } else {
    const person =
      (cover && (await rollupPersonMeasures(db, { ...window, cover }))) ||
      (await scanPersonMeasures(db, where, now));
    measured = person.measures;
    persons = person.persons;
  }
  const cases: CaseFigures[] = measured.cases;
  const clocks = measured.clocks;
  const seen = new Set(cases.map((r) => String(r.k)));
  for (const k of [...units.keys(), ...persons.keys()]) {
    if (!seen.has(k))
      cases.push({
        k,
        received: 0,
        resolved: 0,
        accepted: 0,
        responseSeconds: 0,
        reopened: 0,
        repeats: 0,
        satisfied: 0,
        reached: 0,
      });
  }
  cases.sort((a, b) => String(a.k).localeCompare(String(b.k)));
  const unitIds = by === 'UNIT' ? cases.map((r) => String(r.k)).filter((k) => k !== 'null') : [];
  const codes = new Map(
    unitIds.length
      ? (
          await db
            .select({ id: orgUnits.id, code: orgUnits.code })
            .from(orgUnits)
            .where(inArray(orgUnits.id, unitIds))
        ).map((x) => [x.id, x.code])
      : [],
  );
  // each row's clocks, in the measures' order (a province's persons are thousands: no scan of every clock per row)
  const clocksOf = new Map<string, typeof clocks>();
  for (const x of clocks) {
    if (x.total <= 0) continue;
    const list = clocksOf.get(String(x.k));
    if (list) list.push(x);
    else clocksOf.set(String(x.k), [x]);
  }
  return cases.flatMap((r) => {
    const k = r.k === null ? null : String(r.k);
    if (by === 'PERSON' && k === null) return []; // D31: partner cases have no person row
    const { received, resolved } = r;
    const perf = (clocksOf.get(String(r.k)) ?? []).map((x) => ({
      clock: x.clock,
      total: x.total,
      onTime: x.onTime,
      rate: rate(x.onTime, x.total),
    }));
    const u = k !== null ? units.get(k) : undefined;
    const p = k !== null ? persons.get(k) : undefined;
    if (p?.assignmentClocks.total) {
      const { total, onTime } = p.assignmentClocks;
      perf.push({ clock: 'ASSIGNMENT', total, onTime, rate: rate(onTime, total) });
    }
    return [
      {
        unitCode: by === 'UNIT' && k ? (codes.get(k) ?? null) : null,
        userId: by === 'PERSON' ? k : null,
        received,
        resolved,
        resolutionRate: rate(resolved, received),
        meanResponseMinutes: meanMinutes(r),
        satisfactionRate: rate(r.satisfied, r.reached),
        reopenRate: rate(r.reopened, received),
        repeatRate: rate(r.repeats, received),
        returnRate:
          by === 'UNIT'
            ? rate(u?.bounced ?? 0, u?.dispatches ?? 0)
            : rate(p?.bounced ?? 0, p?.owned ?? 0),
        clocks: perf,
        findings: by === 'UNIT' ? (u?.findings ?? emptyFindings()) : null,
        rectificationsOpen: u?.rectificationsOpen ?? 0,
        rectificationsOverdue: u?.rectificationsOverdue ?? 0,
      },
    ];
  });
}

export type Briefing = {
  openByStatus: { status: string; count: number }[];
  overdue: number;
  majorOpen: number;
  escalated: number;
  receivedToday: number;
  topCategories: { category: string; count: number }[];
  /** D73: supervised cases whose progress report is overdue. */
  supervisedOverdue: number;
};

/**
 * D32: what a duty manager reads at the start of a shift, for the scope's subtree, in one statement.
 * Issue 25: it reads the open cases through `complaints_open_idx` (a partial index holding only them, a
 * few per cent of history, with every column the counts and the read rule need: index-only), the cases
 * received today through `complaints_registered_idx` (a one-day range) and the supervised ones through
 * `complaints_supervised_idx`; never a scan of every case. The open statuses are written as the index's
 * literals (OPEN_STATUS_LIST) so the planner can prove the index holds every row asked for.
 */
export async function dutyBriefing(
  db: Db,
  readable: SQL,
  scope: OrgUnit,
  now: Date,
  subtreeOnly = true,
): Promise<Briefing> {
  const where = and(readable, unitFilter(scope, subtreeOnly))!;
  const open = sql`${complaints.status} in (${OPEN_STATUS_LIST})`;
  const at = sql`${now.toISOString()}::timestamptz`;
  const today = shanghaiMidnight(shanghaiDate(now)).toISOString();
  // by status and category once (at most statuses × categories rows), then by status, the top five
  // categories (ranked as `order by count desc, category` always did) and the two other counts
  const rows = rowsOf<{
    part: string;
    key: string | null;
    n: number;
    overdue: number;
    major: number;
    escalated: number;
    rank: number;
  }>(
    await db.execute(sql`
      with o as (
        select ${complaints.status}::text as status, ${complaints.category} as category, count(*)::int as n,
          count(*) filter (where ${complaints.dueAt} < ${at})::int as overdue,
          count(*) filter (where ${complaints.severity} in ('MAJOR', 'URGENT'))::int as major,
          count(*) filter (where ${complaints.escalationLevel} > 0)::int as escalated
        from ${complaints} where ${where} and ${open} group by 1, 2
      )
      select 'status' as part, status as key, sum(n)::int as n, sum(overdue)::int as overdue,
        sum(major)::int as major, sum(escalated)::int as escalated, 0 as rank
      from o group by status
      union all
      select 'category', category, n, 0, 0, 0, rank::int from (
        select category, sum(n)::int as n, row_number() over (order by sum(n) desc, category) as rank
        from o where category is not null group by category
      ) c where rank <= 5
      union all
      select 'today', null, (select count(*)::int from ${complaints}
        where ${where} and ${complaints.registeredAt} >= ${today}::timestamptz), 0, 0, 0, 0
      union all
      select 'supervised', null, (select count(*)::int from ${complaints}
        where ${where} and ${complaints.supervisingUnitId} is not null and exists (
          select 1 from ${slaClocks} k where k.complaint_id = ${complaints.id} and k.kind = 'PROGRESS'
            and k.stopped_at is null and k.paused_at is null and k.due_at < ${at})), 0, 0, 0, 0`),
  );
  const byStatus = rows.filter((r) => r.part === 'status');
  const total = (k: 'overdue' | 'major' | 'escalated') =>
    byStatus.reduce((s, r) => s + Number(r[k]), 0);
  const one = (part: string) => Number(rows.find((r) => r.part === part)!.n);
  const counts = new Map(byStatus.map((r) => [r.key, Number(r.n)]));
  return {
    openByStatus: OPEN_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 })),
    overdue: total('overdue'),
    majorOpen: total('major'),
    escalated: total('escalated'),
    receivedToday: one('today'),
    supervisedOverdue: one('supervised'),
    topCategories: rows
      .filter((r) => r.part === 'category')
      .sort((a, b) => Number(a.rank) - Number(b.rank))
      .map((r) => ({ category: r.key!, count: Number(r.n) })),
  };
}
