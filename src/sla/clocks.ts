import { and, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { calendarDays, calendarRevision, complaints, slaClocks } from '../db/schema.js';
import type { ClockKind, ClockState } from '../domain/enums.js';
import type { BusinessLinePlugin } from '../domain/plugin.js';
import {
  type Budget,
  dueAt as budgetDue,
  warnAt as budgetWarn,
  isWorkingDayBudget,
  resumeDue,
  workdaysEndedBetween,
} from './budget.js';
import { type Calendar, type CalendarDay, makeCalendar, shanghaiMidnight } from './calendar.js';

/**
 * The SLA clocks of DOMAIN §4 as rows of `sla_clocks`. The lifecycle engine
 * calls these inside the transition's transaction (its "clock hook"), so a
 * clock starts or stops together with the change that causes it; the scanner
 * (src/sla/scanner.ts) turns due warnings and breaches into events.
 */

/** Clocks whose due time is a deadline someone set, not a budget: a dispatch's (ASSIGNMENT), a transfer's own (FEEDBACK, D74). */
export type BudgetedClock = Exclude<ClockKind, 'ASSIGNMENT' | 'FEEDBACK'>;

export const DEFAULT_BUDGETS: Record<BudgetedClock, Budget> = {
  REGISTER: { minutes: 10 },
  ACCEPT: { hours: 24 },
  ANSWER: { days: 15 },
  INITIAL_INVESTIGATION: { hours: 48 },
  INITIAL_RESULT: { hours: 72 },
  RESOLVE: { workingDays: 15 },
  CLOSE: { workingDays: 30 },
  REPLY: { hours: 24 },
  RECONTACT: { hours: 48 },
  ARCHIVE: { workingDays: 3 },
  RECTIFY: { workingDays: 30 },
  NOTICE: { hours: 2 },
  /** D72: a fault report's repair; a line overrides it (big customers: 4 hours). */
  REPAIR: { hours: 24 },
  /** D73: the holder reports a supervised case's progress every 2 working days. */
  PROGRESS: { workingDays: 2 },
};

/** D20: the line's override, else the default. */
export const budgetFor = (kind: BudgetedClock, line?: BusinessLinePlugin | null): Budget =>
  line?.clocks?.[kind] ?? DEFAULT_BUDGETS[kind];

// ---------------------------------------------------------------- calendar

let cached: { calendar: Calendar; revision: number } | null = null;

/**
 * The working-day calendar: `calendar_days` (seeded with the published
 * statutory years by migration 0003, then kept by administrators), Monday to
 * Friday elsewhere. Cached per process and keyed by `calendar_revision`, one
 * tiny read per use: every instance sees a change at once, and a transaction
 * sees its own uncommitted change (and, rolled back, no longer).
 */
export async function loadCalendar(db: Db): Promise<Calendar> {
  const [rev] = await db.select({ revision: calendarRevision.revision }).from(calendarRevision);
  const revision = rev?.revision ?? 0;
  if (cached && cached.revision === revision) return cached.calendar;
  const stored: CalendarDay[] = await db.select().from(calendarDays);
  const calendar = makeCalendar(stored);
  cached = { calendar, revision };
  return calendar;
}

/**
 * The calendar as a clock change needs it: read (`loadCalendar`) the first
 * time a working-day budget asks for it, then kept for the transaction
 * (issue 25: a registration or a dispatch starts no working-day clock by
 * default, and no longer reads the calendar's revision at all).
 */
export function lazyCalendar(db: Db): () => Promise<Calendar> {
  let loading: Promise<Calendar> | null = null;
  return () => (loading ??= loadCalendar(db));
}

/**
 * Marks the calendar changed (in the caller's transaction). The new revision
 * is never one a rolled-back change already used (`+ 1` would be: a change
 * rolled back after `loadCalendar` cached its calendar under revision n + 1,
 * and the next change, also n + 1, would be served that stale calendar), so
 * it is at least the current time in microseconds, and still increasing.
 */
export async function bumpCalendarRevision(db: Db) {
  await db
    .update(calendarRevision)
    .set({
      revision: sql`greatest(${calendarRevision.revision} + 1, (extract(epoch from clock_timestamp()) * 1000000)::bigint)`,
    })
    .where(eq(calendarRevision.id, 1));
}

// ---------------------------------------------------------------- the hook

/**
 * What a clock change needs: the transaction, the calendar, the case and the
 * instant. `suspended`: the case waits for the customer, so clocks started now
 * start PAUSED (D24).
 */
export type ClockCtx = {
  tx: Db;
  /** Asked only by working-day budgets (`lazyCalendar`). */
  calendar: () => Promise<Calendar>;
  complaintId: string;
  at: Date;
  warnRatio: number;
  suspended?: boolean;
};

export type ClockStart = { kind: ClockKind; startedAt?: Date; rectificationId?: string } & (
  | { budget: Budget; dueAt?: undefined; fixed?: undefined }
  | { budget?: undefined; dueAt: Date; fixed?: boolean }
) & {
    assignmentId?: string;
    /** Started and at once stopped at the change's instant (a REGISTER clock, D6), MET or MISSED as `stopClocks` judges it. */
    stopped?: boolean;
  };

/**
 * Starts clocks. A budget's due time follows §4; `dueAt` is a deadline someone
 * set (a dispatch's), `fixed` a deadline nobody here may move (a transfer's
 * own, D9/D20): it neither pauses nor moves (D24). On a suspended case the
 * others start PAUSED, their budget not yet running (D24).
 */
export async function startClocks(ctx: ClockCtx, starts: ClockStart[]) {
  if (!starts.length) return;
  await ctx.tx.insert(slaClocks).values(await clockRows(ctx, starts));
}

export type NewClockRow = typeof slaClocks.$inferInsert;

/** The rows `startClocks` inserts, for a caller that inserts them in a statement of its own (a registration). */
export async function clockRows(ctx: ClockCtx, starts: ClockStart[]): Promise<NewClockRow[]> {
  const calendar = starts.some((s) => s.dueAt === undefined && isWorkingDayBudget(s.budget!))
    ? await ctx.calendar()
    : null;
  return starts.map((s) => {
    const startedAt = s.startedAt ?? ctx.at;
    const due = s.dueAt ?? budgetDue(startedAt, s.budget!, calendar!);
    const fixed = !!s.fixed;
    const paused = !!ctx.suspended && !fixed && !s.stopped;
    const stop = s.stopped
      ? {
          stoppedAt: ctx.at,
          state: ctx.at.getTime() > due.getTime() ? ('MISSED' as const) : ('MET' as const),
        }
      : {};
    return {
      complaintId: ctx.complaintId,
      kind: s.kind,
      assignmentId: s.assignmentId ?? null,
      rectificationId: s.rectificationId ?? null,
      budget: s.budget ?? null,
      startedAt,
      dueAt: due,
      warnAt: minDate(budgetWarn(startedAt, due, ctx.warnRatio), due),
      fixed,
      pausedAt: paused ? ctx.at : null,
      state: paused ? ('PAUSED' as const) : ('RUNNING' as const),
      ...stop,
    };
  });
}

/** `dueAtOf` over rows not yet inserted: the earliest due time of the case's own running, unpaused clocks. */
export function dueAtAmong(rows: readonly NewClockRow[]): Date | null {
  let due: Date | null = null;
  for (const r of rows)
    if (!r.stoppedAt && !r.pausedAt && r.kind !== 'REGISTER' && !r.rectificationId)
      if (!due || r.dueAt!.getTime() < due.getTime()) due = r.dueAt!;
  return due;
}

const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

/** The case's own running clocks; a rectification's RECTIFY clock (D75) is not on the case's path and is left alone. */
const running = (complaintId: string) =>
  and(
    eq(slaClocks.complaintId, complaintId),
    isNull(slaClocks.stoppedAt),
    isNull(slaClocks.rectificationId),
  );

/**
 * Stops the running clocks of these kinds (optionally of one assignment).
 * A stop that ends the clock's step: MET when on time, MISSED when late.
 * `cancel`: the case left the path the clock's stop belonged to (withdrawn,
 * rejected, archived, returned, reopened): CANCELLED, or MISSED when it had
 * already breached (D26). A paused clock is judged at its pause: the time
 * since did not count, so a clock paused past its old due time is not late.
 */
export async function stopClocks(
  ctx: ClockCtx,
  kinds: readonly ClockKind[] | 'ALL',
  opts: { assignmentId?: string; cancel?: boolean } = {},
) {
  if (kinds !== 'ALL' && !kinds.length) return;
  const conds = [running(ctx.complaintId)];
  if (kinds !== 'ALL') conds.push(inArray(slaClocks.kind, [...kinds]));
  if (opts.assignmentId) conds.push(eq(slaClocks.assignmentId, opts.assignmentId));
  const judgedAt = sql`coalesce(${slaClocks.pausedAt}, ${ctx.at.toISOString()}::timestamptz)`;
  const late = sql`(${slaClocks.breached} or (${slaClocks.dueAt} is not null and ${judgedAt} > ${slaClocks.dueAt}))`;
  const state = opts.cancel
    ? sql`case when ${late} then 'MISSED' else 'CANCELLED' end::clock_state`
    : sql`case when ${late} then 'MISSED' else 'MET' end::clock_state`;
  await ctx.tx
    .update(slaClocks)
    .set({ stoppedAt: ctx.at, pausedAt: null, state })
    .where(and(...conds));
}

/** Suspension: every running clock pauses (its budget stops running), but a fixed deadline (D24). */
export async function pauseClocks(ctx: ClockCtx) {
  await ctx.tx
    .update(slaClocks)
    .set({ pausedAt: ctx.at, state: 'PAUSED' })
    .where(and(running(ctx.complaintId), isNull(slaClocks.pausedAt), eq(slaClocks.fixed, false)));
}

/**
 * Resumption (D24): each paused clock's due time and warning time move later
 * by the same rule: hours budgets and set deadlines by the paused duration,
 * working-day budgets by the working days that ended while paused. Then no
 * ASSIGNMENT may end after RESOLVE (`capAssignments`).
 */
export async function resumeClocks(ctx: ClockCtx) {
  const paused = await ctx.tx
    .select()
    .from(slaClocks)
    .where(and(running(ctx.complaintId), sql`${slaClocks.pausedAt} is not null`));
  for (const c of paused) {
    const budget: Budget = (c.budget as Budget | null) ?? { hours: 0 }; // a set deadline moves like wall-clock time
    const calendar = isWorkingDayBudget(budget) ? await ctx.calendar() : null;
    const move = (t: Date | null) =>
      t ? resumeDue(t, budget, c.pausedAt!, ctx.at, calendar!) : null;
    const due = move(c.dueAt);
    const warn = move(c.warnAt);
    const state: ClockState = c.breached ? 'BREACHED' : c.warned ? 'WARNING' : 'RUNNING';
    const moved = calendar ? workdaysEndedBetween(calendar, c.pausedAt!, ctx.at) : 0;
    await ctx.tx
      .update(slaClocks)
      .set({
        pausedAt: null,
        dueAt: due,
        warnAt: warn && due ? minDate(warn, due) : warn,
        state,
        pausedWorkdays: c.pausedWorkdays + moved,
      })
      .where(eq(slaClocks.id, c.id));
  }
  if (paused.length) await capAssignments(ctx.tx, ctx.complaintId);
}

/**
 * D24: an ASSIGNMENT's due time is never later than the running RESOLVE's,
 * whenever either moves (dispatch, pause, resume, calendar change, reopen):
 * it is cut back to RESOLVE's, and its warning with it. One statement.
 */
export async function capAssignments(tx: Db, complaintId: string) {
  await tx.execute(sql`
    update ${slaClocks} a set due_at = r.due_at, warn_at = least(a.warn_at, r.due_at)
    from (select due_at from ${slaClocks}
          where complaint_id = ${complaintId} and kind in ('RESOLVE', 'REPAIR') and stopped_at is null and due_at is not null
          order by started_at desc limit 1) r
    where a.complaint_id = ${complaintId} and a.kind = 'ASSIGNMENT' and a.stopped_at is null and a.due_at > r.due_at`);
}

/** The running RESOLVE (a fault report's REPAIR, D72) clock's due time: the latest a dispatch deadline may be (D24, D57). */
export async function resolveDueAt(tx: Db, complaintId: string): Promise<Date | null> {
  const [row] = await tx
    .select({ dueAt: slaClocks.dueAt })
    .from(slaClocks)
    .where(and(running(complaintId), inArray(slaClocks.kind, ['RESOLVE', 'REPAIR'])))
    .orderBy(desc(slaClocks.startedAt))
    .limit(1);
  return row?.dueAt ?? null;
}

/** Keeps `complaints.due_at` (ordering by DUE_AT, the `overdue` filter) the earliest running, unpaused due time. */
export async function refreshDueAt(tx: Db, complaintId: string) {
  await tx
    .update(complaints)
    .set({ dueAt: dueAtOf(complaintId) })
    .where(eq(complaints.id, complaintId));
}

/** `complaints.due_at` as `refreshDueAt` sets it, for a statement that sets it with other columns. */
export const dueAtOf = (complaintId: string) =>
  sql`(select min(${slaClocks.dueAt}) from ${slaClocks} where ${slaClocks.complaintId} = ${complaintId}
        and ${slaClocks.stoppedAt} is null and ${slaClocks.pausedAt} is null and ${slaClocks.kind} <> 'REGISTER'
        and ${slaClocks.rectificationId} is null)`; // D75: a rectification's clock is not the case's

/**
 * After an administrator changed the calendar from `fromDate` on: running
 * working-day clocks due after that day get their due and warning times
 * recomputed (start + budget + the working days pauses moved them by).
 * Returns the complaints touched, whose `due_at` is refreshed.
 */
export async function recomputeWorkingDayClocks(
  tx: Db,
  calendar: Calendar,
  fromDate: string,
  warnRatio: number,
) {
  const clocks = await tx
    .select()
    .from(slaClocks)
    .where(
      and(
        isNull(slaClocks.stoppedAt),
        sql`(${slaClocks.budget} ->> 'workingDays') is not null`,
        gte(slaClocks.dueAt, shanghaiMidnight(fromDate)),
      ),
    );
  const touched = new Set<string>();
  for (const c of clocks) {
    const n = (c.budget as { workingDays: number }).workingDays + c.pausedWorkdays;
    const due = budgetDue(c.startedAt, { workingDays: n }, calendar);
    if (due.getTime() === c.dueAt?.getTime()) continue;
    await tx
      .update(slaClocks)
      .set({ dueAt: due, warnAt: minDate(budgetWarn(c.startedAt, due, warnRatio), due) })
      .where(eq(slaClocks.id, c.id));
    // D75: a rectification serves its RECTIFY clock's due time.
    if (c.rectificationId)
      await tx.execute(
        sql`update rectifications set due_at = ${due.toISOString()}::timestamptz where id = ${c.rectificationId}`,
      );
    touched.add(c.complaintId);
  }
  for (const id of touched) {
    await capAssignments(tx, id); // D24: RESOLVE may have moved earlier
    await refreshDueAt(tx, id);
  }
  return [...touched];
}

/**
 * D75: stops a rectification's running RECTIFY clock (MET when done on time,
 * MISSED when late); it is apart from the case's clocks, so only this stops it.
 */
export async function stopRectifyClock(tx: Db, rectificationId: string, at: Date) {
  const late = sql`(${slaClocks.breached} or (${slaClocks.dueAt} is not null and ${at.toISOString()}::timestamptz > ${slaClocks.dueAt}))`;
  await tx
    .update(slaClocks)
    .set({
      stoppedAt: at,
      pausedAt: null,
      state: sql`case when ${late} then 'MISSED' else 'MET' end::clock_state`,
    })
    .where(and(eq(slaClocks.rectificationId, rectificationId), isNull(slaClocks.stoppedAt)));
}
