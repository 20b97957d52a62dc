import { and, gte, lt, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Db, rowsOf } from '../db/client.js';
import { complaints, pendingDueAt, slaClocks } from '../db/schema.js';
import { addDays, shanghaiDate, shanghaiMidnight } from '../sla/calendar.js';
import { type PersonExtras, personExtras } from './assessment-findings.js';
import { escapeLike, type OrgUnit } from './org.js';
import { nextMonth, type StatsCover, splitWindow } from './stats-rollup.js';

/**
 * Issue 25, D31, D59, D77: the case measures `assessment` (by unit) and the
 * analysis report's figures add up — received, resolved, accepted with their
 * response time, reopened, repeats, callbacks satisfied and reached, and the
 * judged clocks per kind with those on time — either scanned from the cases
 * (`scanMeasures`, any grouping) or read from the rollups of migration 0022
 * (`rollupMeasures`, by the scope's child unit or in total) where that gives
 * exactly the same figures.
 *
 * The rollup path splits the window as `rollupStatsQuery` does
 * (src/domain/stats-rollup.ts): the subtrees of the viewer's outermost units
 * over the window's whole Shanghai days from `complaint_measure_counts` and
 * `complaint_clock_counts`; the other readable cases of those days (read
 * through the dispatch chain, or as first responder) and the window's partial
 * days from the cases themselves. A clock still running is judged against
 * `now` (D26: late when not paused and breached or past due). Clocks that
 * ended MET or MISSED, and running clocks marked breached (late whatever
 * `now` is, until they stop or pause), come from the rollup; the running
 * clocks past due that the scanner has not marked yet are counted live over
 * the whole readable window, through the partial index `sla_clocks_due_idx` on `pendingDueAt`
 * (a scanner pass's worth of clocks, not the open workload). Everything is one snapshot per
 * statement and the rollups are written in the transactions of the changes.
 */

export type CaseFigures = {
  /** The row's key: the UNIT key of D59 (the scope's child, the scope, or the holding unit outside it), a person's id, or null. */
  k: string | null;
  received: number;
  resolved: number;
  /** Cases accepted, and the sum of their response times (accepted_at - registered_at) in seconds. */
  accepted: number;
  responseSeconds: number;
  reopened: number;
  repeats: number;
  /** Callbacks SATISFIED or BASICALLY_SATISFIED, and callbacks that reached the customer (not UNREACHABLE). */
  satisfied: number;
  reached: number;
};
export type ClockFigures = { k: string | null; clock: string; total: number; onTime: number };
export type Measures = { cases: CaseFigures[]; clocks: ClockFigures[] };

/** D31: the mean response time in minutes, from the exact sum of seconds (both paths compute it so). */
export const meanMinutes = (c: Pick<CaseFigures, 'accepted' | 'responseSeconds'>) =>
  c.accepted > 0 ? c.responseSeconds / 60 / c.accepted : null;

/** `sla_clocks` as the statements below name it. */
const clock = alias(slaClocks, 'c');

/** D26: a running clock judged late whatever `now` is (migration 0022 counts it as `late`). */
const MARKED_LATE = sql`(c.state not in ('MET', 'MISSED') and c.stopped_at is null and c.paused_at is null and c.breached)`;

const LATE_RUNNING = (now: Date) =>
  sql`(c.stopped_at is null and c.paused_at is null and (c.breached or c.due_at <= ${now.toISOString()}::timestamptz))`;

/**
 * D26: a running clock past due that the scanner has not marked breached yet (judged late against `now`): counted
 * live by both rollup paths, through the partial index `sla_clocks_due_idx` on `pendingDueAt`.
 */
const UNMARKED_LATE = (now: Date) =>
  sql`c.stopped_at is null and c.paused_at is null and not c.breached and ${pendingDueAt(clock)} <= ${now.toISOString()}::timestamptz
    and c.state not in ('MET', 'MISSED')`;

function caseRows(rows: Record<string, unknown>[]): CaseFigures[] {
  return rows.map((r) => ({
    k: r.k === null || r.k === undefined ? null : String(r.k),
    received: Number(r.received),
    resolved: Number(r.resolved),
    accepted: Number(r.accepted),
    responseSeconds: Number(r.seconds ?? 0),
    reopened: Number(r.reopened),
    repeats: Number(r.repeats),
    satisfied: Number(r.satisfied ?? 0),
    reached: Number(r.reached ?? 0),
  }));
}

function clockRows(rows: Record<string, unknown>[]): ClockFigures[] {
  return rows.map((r) => ({
    k: r.k === null || r.k === undefined ? null : String(r.k),
    clock: String(r.kind),
    total: Number(r.total),
    onTime: Number(r.on_time),
  }));
}

/**
 * D31: the measures of the cases `where` selects, per `key` (an expression
 * over `complaints`), by scanning them: the statements `assessment` and the
 * report ran before the rollup, and the fallback whenever it cannot answer.
 * `clocks` narrows the clocks counted (over `c`, sla_clocks).
 */
export async function scanMeasures(
  db: Db,
  where: SQL,
  key: SQL,
  clocks: SQL,
  now: Date,
): Promise<Measures> {
  const cases = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select ${key} as k, count(*)::int as received,
        count(*) filter (where ${complaints.resolvedAt} is not null)::int as resolved,
        count(${complaints.acceptedAt})::int as accepted,
        coalesce(sum(extract(epoch from (${complaints.acceptedAt} - ${complaints.registeredAt}))), 0)::text as seconds,
        count(*) filter (where ${complaints.reopenCount} > 0)::int as reopened,
        count(*) filter (where ${complaints.isRepeat})::int as repeats
      from ${complaints} where ${where} group by 1 order by 1`),
  );
  const callbacks = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select ${key} as k,
        count(*) filter (where cb.result in ('SATISFIED', 'BASICALLY_SATISFIED'))::int as satisfied,
        count(*) filter (where cb.result <> 'UNREACHABLE')::int as reached
      from ${complaints} join callbacks cb on cb.complaint_id = ${complaints.id} where ${where} group by 1`),
  );
  const judged = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select ${key} as k, c.kind::text as kind,
        -- D26, D31: judged clocks only: ended MET or MISSED, or running (not paused) past due.
        -- CANCELLED and PAUSED clocks are neither on time nor late; a paused clock past its old due is not late.
        count(*) filter (where c.state in ('MET', 'MISSED') or ${LATE_RUNNING(now)})::int as total,
        count(*) filter (where c.state = 'MET')::int as on_time
      from ${complaints} join sla_clocks c on c.complaint_id = ${complaints.id}
      where ${where} and ${clocks}
      group by 1, 2 order by 2`),
  );
  const cb = new Map(callbacks.map((r) => [String(r.k), r]));
  return {
    cases: caseRows(
      cases.map((r) => ({
        ...r,
        satisfied: cb.get(String(r.k))?.satisfied,
        reached: cb.get(String(r.k))?.reached,
      })),
    ),
    clocks: clockRows(judged),
  };
}

export type RollupMeasuresRequest = {
  /** The scan's full condition: readable (kinds included), the unit filter, the window. */
  where: SQL;
  scope: OrgUnit;
  from: Date;
  to: Date;
  subtreeOnly: boolean;
  cover: StatsCover;
  /** UNIT: one row per D59 UNIT key (the scope's child units, the scope, units outside it); ALL: one row, key null. */
  by: 'UNIT' | 'ALL';
  /** Whether a rectification's RECTIFY clocks count (the report's figures) or not (`assessment`, D31). */
  rectificationClocks: boolean;
  now: Date;
};

const like = (path: string) => `${escapeLike(path)}%`;

/** Rollup rows (alias r) or cases, by their kind and path columns. */
type KindAndPath = { kind: SQL; path: SQL };
const ROLLUP_ROWS: KindAndPath = { kind: sql`r.kind`, path: sql`r.handling_path` };
const CASES: KindAndPath = { kind: sql`${complaints.kind}`, path: sql`${complaints.handlingPath}` };

/**
 * Rows (or cases) of the kinds counted, in the subtrees of `units` (and the scope's): what a rollup's rows hold for
 * the viewer's outermost units, asked of the rollup (ROLLUP_ROWS) or of the cases themselves (CASES).
 */
function covered(
  on: KindAndPath,
  kinds: StatsCover['kinds'],
  units: { path: string }[],
  scope: OrgUnit,
  subtreeOnly: boolean,
): SQL {
  return sql`${on.kind} in (${sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  )}) and (${sql.join(
    units.map((u) => sql`${on.path} like ${like(u.path)}`),
    sql` or `,
  )})${subtreeOnly ? sql` and ${on.path} like ${like(scope.path)}` : sql``}`;
}

/**
 * The subtrees the person rollups (migration 0031) are read from: the viewer's outermost units (the scope, where
 * the scope lies within one). Each row of a subtree holds every case handled in it, so a province's year is its
 * persons' month rows, however many units lie under it.
 */
function subtreeRoots(units: { path: string }[], scope: OrgUnit, subtreeOnly: boolean): string[] {
  return [
    ...new Set(
      units.flatMap((u) =>
        !subtreeOnly || u.path.startsWith(scope.path)
          ? [u.path]
          : scope.path.startsWith(u.path)
            ? [scope.path]
            : [],
      ),
    ),
  ];
}

/**
 * The measures from the rollups, or null when they cannot answer exactly (no
 * whole Shanghai day in the window, no kind): the caller scans then.
 */
export async function rollupMeasures(db: Db, r: RollupMeasuresRequest): Promise<Measures | null> {
  const { where, scope, from, to, subtreeOnly, cover, now } = r;
  if (!cover.kinds.length) return null;
  const split = splitWindow(from, to, cover);
  if (!split) return null;
  const { units } = split;
  const path = complaints.handlingPath;

  // 2. the other readable cases of the whole days, and 3. the window's partial days (or a cut day's rollup rows
  // less its cases outside the window: `edgeCases`): conditions on complaints, each counted with its sign
  const region = units.length ? covered(CASES, cover.kinds, units, scope, subtreeOnly) : null;
  const { d0, d1, parts: caseParts } = edgeCases(split, { where, from, to, now }, region);

  // 1. the subtrees of the viewer's units over the whole days: the rollup rows (alias r)
  const inRollup = units.length
    ? sql`r.day >= ${d0}::date and r.day < ${d1}::date and ${covered(ROLLUP_ROWS, cover.kinds, units, scope, subtreeOnly)}`
    : null;

  const key =
    r.by === 'UNIT'
      ? sql`(case when u.handling_path like ${like(scope.path)}
        then coalesce(nullif(split_part(substr(u.handling_path, ${scope.path.length + 1}), '/', 1), '')::uuid, ${scope.id}::uuid)
        else u.handling_unit_id end)::text`
      : sql`null::text`;
  const union = (parts: SQL[]) =>
    parts.length
      ? sql.join(
          parts.map((p) => sql`(${p})`),
          sql` union all `,
        )
      : null;

  const caseUnion = union([
    ...(inRollup
      ? [
          sql`select r.handling_path, r.handling_unit_id, r.n, r.resolved, r.accepted, r.response_seconds, r.reopened, r.repeats,
            r.cb_satisfied, r.cb_reached from complaint_measure_counts r where ${inRollup}`,
        ]
      : []),
    ...caseParts.map(
      // summed per unit here, as the rollup's rows are: the key is then computed on a few rows, not on every case
      (part) => {
        const k = sql.raw(String(part.sign));
        return sql`select ${path}, ${complaints.handlingUnitId}, ${k} * count(*)::int,
        ${k} * count(${complaints.resolvedAt})::int,
        ${k} * count(${complaints.acceptedAt})::int,
        ${k} * coalesce(sum(extract(epoch from (${complaints.acceptedAt} - ${complaints.registeredAt}))), 0),
        ${k} * count(*) filter (where ${complaints.reopenCount} > 0)::int,
        ${k} * count(*) filter (where ${complaints.isRepeat})::int,
        ${k} * sum(cb.satisfied)::int, ${k} * sum(cb.reached)::int
        from ${complaints} cross join lateral (select
          count(*) filter (where x.result in ('SATISFIED', 'BASICALLY_SATISFIED'))::int as satisfied,
          count(*) filter (where x.result <> 'UNREACHABLE')::int as reached
          from callbacks x where x.complaint_id = ${complaints.id}) cb
        where ${part.cond} group by 1, 2`;
      },
    ),
  ]);
  const casesQuery = caseUnion
    ? sql`
          select ${key} as k, sum(u.n)::int as received, sum(u.resolved)::int as resolved, sum(u.accepted)::int as accepted,
            sum(u.response_seconds)::text as seconds, sum(u.reopened)::int as reopened, sum(u.repeats)::int as repeats,
            sum(u.cb_satisfied)::int as satisfied, sum(u.cb_reached)::int as reached
          from (${caseUnion}) u (handling_path, handling_unit_id, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached)
          group by 1 having sum(u.n) <> 0 order by 1`
    : null;

  const rectOk = r.rectificationClocks ? sql`true` : sql`c.rectification_id is null`;
  const clockUnion = union([
    ...(inRollup
      ? [
          sql`select r.handling_path, r.handling_unit_id, r.clock, r.met + r.missed + r.late, r.met from complaint_clock_counts r
            where ${inRollup}${r.rectificationClocks ? sql`` : sql` and not r.rectification`}`,
        ]
      : []),
    ...caseParts.map(
      // lateral (kept apart by offset 0): the few cases first, then each one's clocks through sla_clocks_complaint_idx,
      // never a scan of sla_clocks
      (part) => {
        const k = sql.raw(String(part.sign));
        return sql`select ${path}, ${complaints.handlingUnitId}, c.kind,
        ${k} * count(*)::int, ${k} * sum(c.on_time)::int
        from ${complaints} cross join lateral (select c.kind, (c.state = 'MET')::int as on_time from sla_clocks c
          where c.complaint_id = ${complaints.id} and (c.state in ('MET', 'MISSED') or ${MARKED_LATE}) and ${rectOk}
          offset 0) c
        where ${part.cond} group by 1, 2, 3`;
      },
    ),
    // the running clocks past due not marked breached yet, live, over the whole readable window (sla_clocks_due_idx)
    sql`select ${path}, ${complaints.handlingUnitId}, c.kind, 1, 0
      from sla_clocks c join ${complaints} on ${complaints.id} = c.complaint_id
      where ${UNMARKED_LATE(now)} and ${rectOk} and ${where}`,
  ])!;
  const clocksQuery = sql`
      select ${key} as k, u.clock::text as kind, sum(u.total)::int as total, sum(u.on_time)::int as on_time
      from (${clockUnion}) u (handling_path, handling_unit_id, clock, total, on_time)
      group by 1, 2 order by 2`;
  // The two statements are independent reads (each its own snapshot, as they were one after the other): on a pool
  // they run side by side on two connections, and a province-wide year waits for the longer, not for both.
  const [cases, clocks] = await Promise.all([
    casesQuery ? db.execute(casesQuery).then(rowsOf<Record<string, unknown>>) : [],
    db.execute(clocksQuery).then(rowsOf<Record<string, unknown>>),
  ]);
  return { cases: caseRows(cases), clocks: clockRows(clocks) };
}

/** D31 per PERSON: the clocks counted for a first responder (the ASSIGNMENT clocks are their reporters', below). */
export const FIRST_RESPONDER_CLOCKS = sql`c.rectification_id is null and c.kind <> 'ASSIGNMENT'`;

export type PersonMeasures = { measures: Measures; persons: Map<string, PersonExtras> };

/**
 * D31 per PERSON, by scanning the cases `where` selects: the first responder's
 * measures and clocks, and what each person owned besides (personExtras).
 */
export async function scanPersonMeasures(db: Db, where: SQL, now: Date): Promise<PersonMeasures> {
  const [measures, persons] = await Promise.all([
    scanMeasures(db, where, sql`${complaints.firstResponderId}::text`, FIRST_RESPONDER_CLOCKS, now),
    personExtras(db, where),
  ]);
  return { measures, persons };
}

/** Cases to count (sign 1), or to take away from a rollup day that holds them (-1). */
type SignedCases = { cond: SQL; sign: 1 | -1 };

/**
 * What `scanPersonMeasures` reads, for the few cases outside the rollups' part (the union of `conds`, disjoint;
 * a part of sign -1 is counted negative: cases a rollup day holds that its window does not), as rows to sum (the
 * seconds as exact text): the cases first, then each one's callbacks, clocks (ended, or
 * marked late) and events through their case indexes (a lateral kept apart by `offset 0`), never a scan of
 * sla_clocks or of the event log. What a case's events give persons is
 * the migration's own `complaint_person_reports`, as its triggers count it; its ASSIGNMENT clocks are read with
 * its other clocks, for their reporters (the merge in `rollupPersonMeasures` takes them apart).
 */
async function fewCasePersonRows(db: Db, conds: SignedCases[]) {
  const x = sql`x as materialized (${sql.join(
    conds.map(
      ({ cond, sign }) => sql`select ${sql.raw(String(sign))}::int as s, ${complaints.id} as id,
        ${complaints.firstResponderId} as fr, ${complaints.registeredAt} as reg,
        ${complaints.acceptedAt} as acc, ${complaints.resolvedAt} as res, ${complaints.reopenCount} as reopen,
        ${complaints.isRepeat} as rep
        from ${complaints} where ${cond}`,
    ),
    sql` union all `,
  )})`;
  // Two statements side by side: the cases with their callbacks and clocks (an ASSIGNMENT clock for its
  // reporter, as the rollup keeps it), and the cases' events.
  const [measured, work] = await Promise.all([
    db
      .execute(sql`with ${x},
        cases as (select x.fr::text as k, sum(x.s)::int as received,
          coalesce(sum(x.s) filter (where x.res is not null), 0)::int as resolved,
          coalesce(sum(x.s) filter (where x.acc is not null), 0)::int as accepted,
          coalesce(sum(x.s * extract(epoch from (x.acc - x.reg))), 0)::text as seconds,
          coalesce(sum(x.s) filter (where x.reopen > 0), 0)::int as reopened,
          coalesce(sum(x.s) filter (where x.rep), 0)::int as repeats,
          sum(x.s * cb.satisfied)::int as satisfied, sum(x.s * cb.reached)::int as reached
          from x cross join lateral (select
            count(*) filter (where b.result in ('SATISFIED', 'BASICALLY_SATISFIED')) as satisfied,
            count(*) filter (where b.result <> 'UNREACHABLE') as reached
            from callbacks b where b.complaint_id = x.id) cb
          group by 1),
        clocks as (select c.person::text as k, c.kind::text as kind, sum(x.s)::int as total, sum(x.s * c.on_time)::int as on_time
          from x cross join lateral (select c.kind, (c.state = 'MET')::int as on_time,
              case when c.kind = 'ASSIGNMENT' then assignment_reporter(c.complaint_id, c.stopped_at) else x.fr end as person
            from sla_clocks c where c.complaint_id = x.id
              and ((c.kind = 'ASSIGNMENT' and c.state in ('MET', 'MISSED'))
                or (${FIRST_RESPONDER_CLOCKS} and (c.state in ('MET', 'MISSED') or ${MARKED_LATE})))
            offset 0) c
          where c.person is not null group by 1, 2)
        select 'case' as part, k, null as kind, received, resolved, accepted, seconds, reopened, repeats, satisfied, reached,
          null::int as total, null::int as on_time from cases
        union all
        select 'clock', k, kind, null, null, null, null, null, null, null, null, total, on_time from clocks`)
      .then(rowsOf<Record<string, unknown>>),
    db
      .execute(sql`with ${x}
        select w.person::text as k, sum(x.s * w.owned)::int as owned, sum(x.s * (w.returned + w.rework))::int as bounced
        from x cross join lateral complaint_person_reports(x.id) w where w.person is not null group by 1`)
      .then(rowsOf<Record<string, unknown>>),
  ]);
  const persons = new Map<string, PersonExtras>(
    work.map((w) => [
      String(w.k),
      {
        owned: Number(w.owned),
        bounced: Number(w.bounced),
        assignmentClocks: { total: 0, onTime: 0 },
      },
    ]),
  );
  return {
    rows: measured.filter((r) => r.part === 'case'),
    clocks: clockRows(measured.filter((r) => r.part === 'clock')),
    persons,
  };
}

/** One range of the person rollups' rows a window reads: month rows or day rows of [from, to), added or taken away. */
export type PeriodPart = { monthly: boolean; from: string; to: string; sign: 1 | -1 };

const dayNumber = (d: string) =>
  Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
/** How many days of [a, b) can have rows: none after `today` (no case is registered later). */
const daysWithRows = (a: string, b: string, today: string) =>
  Math.max(0, Math.min(dayNumber(b), dayNumber(today) + 1) - dayNumber(a));

/**
 * The person rollups' rows of the whole days [d0, d1): each whole month from its month rows; a month's part from
 * its day rows, or from its month rows less the day rows around the part when those are fewer (the month of `today`,
 * whose later days have none yet: a year up to now reads its last month from one month's rows and today's). A
 * month's row is the sum of its days' (each change is written under both), so either way is exact.
 */
export function personPeriodParts(d0: string, d1: string, today: string): PeriodPart[] {
  const parts: PeriodPart[] = [];
  const addMonths = (from: string, to: string) => {
    const last = parts.findLast((p) => p.monthly);
    if (last && last.to === from) last.to = to;
    else parts.push({ monthly: true, from, to, sign: 1 });
  };
  for (let a = d0; a < d1; ) {
    const ms = `${a.slice(0, 7)}-01`;
    const me = nextMonth(a);
    const b = me < d1 ? me : d1;
    if (a === ms && b === me) addMonths(ms, me);
    else if (
      1 + daysWithRows(ms, a, today) + daysWithRows(b, me, today) <
      daysWithRows(a, b, today)
    ) {
      addMonths(ms, me);
      if (ms < a) parts.push({ monthly: false, from: ms, to: a, sign: -1 });
      if (b < me) parts.push({ monthly: false, from: b, to: me, sign: -1 });
    } else parts.push({ monthly: false, from: a, to: b, sign: 1 });
    a = b;
  }
  return parts;
}

const partRows = (p: PeriodPart) =>
  sql`(${p.monthly ? sql`r.monthly` : sql`not r.monthly`} and r.period >= ${p.from}::date and r.period < ${p.to}::date)`;

/**
 * Which partial days of a window [from, to) (`to` set; [d0, …) its whole days from midnight m0 to midnight m1)
 * are cheaper as their whole day's rollup rows less the day's cases outside the window: fewer hours outside
 * than inside, counting none after `now` (no case is registered later). A year up to now then reads no case
 * of its last day, and one cut at 10:00 reads the ten hours before 10:00 of its first day, not the fourteen after.
 */
function partialEdges(
  from: Date | null,
  to: Date | null,
  d0: string,
  m0: Date,
  m1: Date | null,
  now: Date,
): { before: boolean; after: boolean } {
  const t = (d: Date) => d.getTime();
  const dayStart = shanghaiMidnight(addDays(d0, -1));
  const before =
    from !== null &&
    t(from) > t(dayStart) &&
    t(from) < t(m0) &&
    t(from) - t(dayStart) < t(m0) - t(from);
  if (to === null || m1 === null) return { before, after: false };
  const dayEnd = t(m1) + 86_400_000;
  const outsideAfter = Math.max(0, Math.min(dayEnd, t(now)) - t(to));
  const after = t(m1) < t(to) && outsideAfter < t(to) - t(m1);
  return { before, after };
}

/**
 * The cases a rollup path reads besides its rows, for `splitWindow`'s split: the other readable cases of the
 * whole days, and each partial day either as its readable cases or (`partialEdges`; `region`, the cases the
 * rollup's rows hold, set) as its whole day added to the rollup's days [d0, d1), less the day's cases of the
 * region outside the window, plus the day's readable cases outside the region in the window.
 */
function edgeCases(
  split: NonNullable<ReturnType<typeof splitWindow>>,
  window: { where: SQL; from: Date | null; to: Date | null; now: Date },
  region: SQL | null,
): { d0: string; d1: string | null; parts: SignedCases[] } {
  const { where, from, to, now } = window;
  const registered = complaints.registeredAt;
  const m0 = shanghaiMidnight(split.d0);
  const m1 = split.d1 === null ? null : shanghaiMidnight(split.d1);
  const edges = region
    ? partialEdges(from, to, split.d0, m0, m1, now)
    : { before: false, after: false };
  const d0 = edges.before ? addDays(split.d0, -1) : split.d0;
  const d1 = edges.after ? addDays(split.d1!, 1) : split.d1;
  const parts: SignedCases[] = [];
  if (split.wholeDays) parts.push({ cond: and(where, split.wholeDays)!, sign: 1 });
  if (edges.before) {
    parts.push({ cond: and(where, lt(registered, m0), split.outside)!, sign: 1 });
    parts.push({
      cond: and(gte(registered, shanghaiMidnight(d0)), lt(registered, from!), region!)!,
      sign: -1,
    });
  } else if (from === null || from.getTime() < m0.getTime())
    parts.push({ cond: and(where, lt(registered, m0))!, sign: 1 });
  if (edges.after) {
    parts.push({ cond: and(where, gte(registered, m1!), split.outside)!, sign: 1 });
    parts.push({
      cond: and(gte(registered, to!), lt(registered, shanghaiMidnight(d1!)), region!)!,
      sign: -1,
    });
  } else if (m1 !== null && m1.getTime() < to!.getTime())
    parts.push({ cond: and(where, gte(registered, m1))!, sign: 1 });
  return { d0, d1, parts };
}

/**
 * Issue 25, D31: `assessment` by PERSON from the rollups of migrations 0029
 * and 0031, or null when they cannot answer exactly (no whole Shanghai day in
 * the window, no kind): the caller scans then.
 *
 * The window splits as `rollupMeasures` splits it: the subtrees of the
 * viewer's outermost units over the window's whole Shanghai days from
 * `complaint_person_counts` and `complaint_person_clock_counts`, one row per
 * person, kind and period for each subtree (`subtreeRoots`) — its whole
 * months from their month rows, its edge months from their day rows or their
 * month rows less the days outside the window (`personPeriodParts`: a person
 * is a key of many values, so a year reads twelve months and a few edge days,
 * never 365 days of every agent); the other readable cases
 * of those days and the window's partial days from the cases themselves
 * (`fewCasePersonRows`, their clocks ended or marked late), or, where that is
 * fewer cases, a cut day's rollup rows less its cases outside the window
 * (`partialEdges`); the running clocks
 * past due that the scanner has not marked yet live over the whole window, as
 * `rollupMeasures` counts them.
 */
export async function rollupPersonMeasures(
  db: Db,
  r: Omit<RollupMeasuresRequest, 'by' | 'rectificationClocks'>,
): Promise<PersonMeasures | null> {
  const { where, scope, from, to, subtreeOnly, cover, now } = r;
  if (!cover.kinds.length) return null;
  const split = splitWindow(from, to, cover);
  if (!split?.d1 || !to) return null;
  const roots = subtreeRoots(split.units, scope, subtreeOnly);
  // the cases the rows hold: of the kinds counted, in the subtrees (the roots lie within the scope already)
  const subtrees = roots.map((path) => ({ path }));
  const region = roots.length ? covered(CASES, cover.kinds, subtrees, scope, false) : null;
  const { d0, d1, parts: caseParts } = edgeCases(split, { where, from, to, now }, region);
  const parts = personPeriodParts(d0, d1!, shanghaiDate(now));
  const periods = sql`(${sql.join(parts.map(partRows), sql` or `)})`;
  const taken = parts.filter((p) => p.sign < 0);
  // each row's sign: a day row of a range taken away from its month's counts negative
  const sign = taken.length
    ? sql`(case when ${sql.join(taken.map(partRows), sql` or `)} then -1 else 1 end)`
    : sql`1`;
  // a subtree's rows are keyed by its own path: one equality each, not a prefix
  const inRollup = roots.length
    ? sql`${periods} and r.kind in (${sql.join(
        cover.kinds.map((k) => sql`${k}`),
        sql`, `,
      )}) and r.subtree_path in (${sql.join(
        roots.map((p) => sql`${p}`),
        sql`, `,
      )})`
    : null;
  const [rolledCases, rolledClocks, liveLate, scanned] = await Promise.all([
    inRollup
      ? db
          .execute(sql`select x.person::text as k, sum(x.s * x.n)::int as received, sum(x.s * x.resolved)::int as resolved,
              sum(x.s * x.accepted)::int as accepted, sum(x.s * x.response_seconds)::text as seconds,
              sum(x.s * x.reopened)::int as reopened, sum(x.s * x.repeats)::int as repeats,
              sum(x.s * x.cb_satisfied)::int as satisfied, sum(x.s * x.cb_reached)::int as reached,
              sum(x.s * x.owned)::int as owned, sum(x.s * (x.returned + x.rework))::int as bounced
            from (select r.*, ${sign} as s from complaint_person_counts r where ${inRollup}) x group by x.person`)
          .then(rowsOf<Record<string, unknown>>)
      : [],
    inRollup
      ? db
          .execute(sql`select x.person::text as k, x.clock::text as kind, sum(x.s * (x.met + x.missed + x.late))::int as total,
              sum(x.s * x.met)::int as on_time
            from (select r.*, ${sign} as s from complaint_person_clock_counts r where ${inRollup}) x group by x.person, x.clock`)
          .then(rowsOf<Record<string, unknown>>)
      : [],
    // the first responders' running clocks past due not marked breached yet, live, over the whole readable window
    db
      .execute(sql`select ${complaints.firstResponderId}::text as k, c.kind::text as kind, count(*)::int as total, 0 as on_time
        from sla_clocks c join ${complaints} on ${complaints.id} = c.complaint_id
        where ${UNMARKED_LATE(now)} and ${FIRST_RESPONDER_CLOCKS} and ${where}
        group by 1, 2`)
      .then(rowsOf<Record<string, unknown>>),
    caseParts.length ? fewCasePersonRows(db, caseParts) : null,
  ]);

  // the sums of the parts, per person (and clock); the seconds summed exactly, as one statement would
  const cases = new Map<string, Record<string, unknown>>();
  for (const c of [...rolledCases, ...(scanned?.rows ?? [])]) {
    if (c.k === null || c.k === undefined) continue; // D31: partner cases have no person row
    const x = cases.get(String(c.k));
    if (!x) cases.set(String(c.k), { ...c, seconds: String(c.seconds ?? 0) });
    else {
      for (const f of FIGURES) x[f] = Number(x[f] ?? 0) + Number(c[f] ?? 0);
      x.seconds = addDecimal(String(x.seconds), String(c.seconds ?? 0));
    }
  }
  const persons = new Map(scanned?.persons ?? []);
  const person = (k: string) => {
    let p = persons.get(k);
    if (!p)
      persons.set(k, (p = { owned: 0, bounced: 0, assignmentClocks: { total: 0, onTime: 0 } }));
    return p;
  };
  for (const row of rolledCases) {
    const p = person(String(row.k));
    p.owned += Number(row.owned);
    p.bounced += Number(row.bounced);
  }
  const clocks = new Map<string, ClockFigures>();
  for (const c of [
    ...clockRows(rolledClocks),
    ...clockRows(liveLate),
    ...(scanned?.clocks ?? []),
  ]) {
    if (c.k === null) continue;
    if (c.clock === 'ASSIGNMENT') {
      // the reporters' (the scan's personExtras counts them apart)
      const a = person(c.k).assignmentClocks;
      a.total += c.total;
      a.onTime += c.onTime;
      continue;
    }
    const key = `${c.k} ${c.clock}`;
    const x = clocks.get(key);
    if (!x) clocks.set(key, { ...c });
    else {
      x.total += c.total;
      x.onTime += c.onTime;
    }
  }
  for (const [k, p] of persons)
    if (!p.owned && !p.bounced && !p.assignmentClocks.total) persons.delete(k);
  const byKey = (a: { k: string | null }, b: { k: string | null }) =>
    String(a.k).localeCompare(String(b.k));
  return {
    measures: {
      cases: caseRows([...cases.values()])
        .filter((c) => c.received !== 0)
        .sort(byKey),
      // by kind, as the scan's `order by` (the kinds' names, [A-Z_], sort alike in every collation)
      clocks: [...clocks.values()]
        .filter((c) => c.total !== 0)
        .sort((a, b) => (a.clock < b.clock ? -1 : a.clock > b.clock ? 1 : 0)),
    },
    persons,
  };
}

/** The integer figures of a case row as read (caseRows' input). */
const FIGURES = ['received', 'resolved', 'accepted', 'reopened', 'repeats', 'satisfied', 'reached'];

/** The exact sum of two numeric texts (PostgreSQL's `numeric`, at most 6 decimals: seconds to the microsecond). */
export function addDecimal(a: string, b: string): string {
  const micros = (x: string) => {
    const [int, frac = ''] = x.replace(/^-/, '').split('.');
    if (frac.length > 6 || !/^\d+$/.test(int!) || !/^\d*$/.test(frac))
      throw new RangeError(`not a numeric of at most 6 decimals: ${x}`);
    const v = BigInt(int!) * 1_000_000n + BigInt(frac.padEnd(6, '0'));
    return x.startsWith('-') ? -v : v;
  };
  const sum = micros(a) + micros(b);
  const abs = sum < 0n ? -sum : sum;
  return `${sum < 0n ? '-' : ''}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`;
}

/**
 * Folds the measure rollups' delta rows (migration 0022's `stats_measures_compact()`) and the person rollups'
 * (0029's `stats_person_compact()`): how many it folded, -1 when other compactions run both.
 */
export async function compactMeasures(db: Db): Promise<number> {
  const [row] = rowsOf<{ a: number; b: number }>(
    await db.execute(sql`select stats_measures_compact() as a, stats_person_compact() as b`),
  );
  const [a, b] = [Number(row?.a ?? 0), Number(row?.b ?? 0)];
  return a < 0 && b < 0 ? -1 : Math.max(a, 0) + Math.max(b, 0);
}
