import { and, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Db, rowsOf } from '../db/client.js';
import { complaints, pendingDueAt, slaClocks } from '../db/schema.js';
import { escapeLike, type OrgUnit } from './org.js';
import { type StatsCover, splitWindow } from './stats-rollup.js';

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

/**
 * The measures from the rollups, or null when they cannot answer exactly (no
 * whole Shanghai day in the window, no kind): the caller scans then.
 */
export async function rollupMeasures(db: Db, r: RollupMeasuresRequest): Promise<Measures | null> {
  const { where, scope, from, to, subtreeOnly, cover, now } = r;
  if (!cover.kinds.length) return null;
  const split = splitWindow(from, to, cover);
  if (!split) return null;
  const { d0, d1, units } = split;
  const path = complaints.handlingPath;

  // 1. the subtrees of the viewer's units over the whole days: the rollup rows (alias r)
  const inRollup = units.length
    ? sql`r.day >= ${d0}::date and r.day < ${d1}::date
        and r.kind in (${sql.join(
          cover.kinds.map((k) => sql`${k}`),
          sql`, `,
        )})
        and (${sql.join(
          units.map((u) => sql`r.handling_path like ${like(u.path)}`),
          sql` or `,
        )})${subtreeOnly ? sql` and r.handling_path like ${like(scope.path)}` : sql``}`
    : null;

  // 2. the other readable cases of the whole days, and 3. the window's partial days: conditions on complaints
  const caseParts = split.caseConds.map((cond) => and(where, cond)!);

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
      (cond) => sql`select ${path}, ${complaints.handlingUnitId}, count(*)::int,
        count(${complaints.resolvedAt})::int, count(${complaints.acceptedAt})::int,
        coalesce(sum(extract(epoch from (${complaints.acceptedAt} - ${complaints.registeredAt}))), 0),
        count(*) filter (where ${complaints.reopenCount} > 0)::int, count(*) filter (where ${complaints.isRepeat})::int,
        sum(cb.satisfied)::int, sum(cb.reached)::int
        from ${complaints} cross join lateral (select
          count(*) filter (where x.result in ('SATISFIED', 'BASICALLY_SATISFIED'))::int as satisfied,
          count(*) filter (where x.result <> 'UNREACHABLE')::int as reached
          from callbacks x where x.complaint_id = ${complaints.id}) cb
        where ${cond} group by 1, 2`,
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
      (
        cond,
      ) => sql`select ${path}, ${complaints.handlingUnitId}, c.kind, count(*)::int, sum(c.on_time)::int
        from ${complaints} cross join lateral (select c.kind, (c.state = 'MET')::int as on_time from sla_clocks c
          where c.complaint_id = ${complaints.id} and (c.state in ('MET', 'MISSED') or ${MARKED_LATE}) and ${rectOk}
          offset 0) c
        where ${cond} group by 1, 2, 3`,
    ),
    // the running clocks past due not marked breached yet, live, over the whole readable window (sla_clocks_due_idx)
    sql`select ${path}, ${complaints.handlingUnitId}, c.kind, 1, 0
      from sla_clocks c join ${complaints} on ${complaints.id} = c.complaint_id
      where c.stopped_at is null and c.paused_at is null and not c.breached and ${pendingDueAt(clock)} <= ${now.toISOString()}::timestamptz
        and c.state not in ('MET', 'MISSED') and ${rectOk} and ${where}`,
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

/** Folds the measure rollups' delta rows (migration 0022's `stats_measures_compact()`); -1 when another compaction runs. */
export async function compactMeasures(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select stats_measures_compact() as n`));
  return Number(row?.n ?? 0);
}
