import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { calendarDays, calendarRevision, complaints, slaClocks } from '../db/schema.js';
import type { ClockKind, ClockState } from '../domain/enums.js';
import type { BusinessLinePlugin } from '../domain/plugin.js';
import { dueAt as budgetDue, isWorkingDayBudget, resumeDue, warnAt as budgetWarn, workdaysEndedBetween, type Budget } from './budget.js';
import { makeCalendar, shanghaiMidnight, type Calendar, type CalendarDay } from './calendar.js';

/**
 * The SLA clocks of DOMAIN §4 as rows of `sla_clocks`. The lifecycle engine
 * calls these inside the transition's transaction (its "clock hook"), so a
 * clock starts or stops together with the change that causes it; the scanner
 * (src/sla/scanner.ts) turns due warnings and breaches into events.
 */

export const DEFAULT_BUDGETS: Record<Exclude<ClockKind, 'ASSIGNMENT'>, Budget> = {
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
};

/** D20: the line's override, else the default. */
export const budgetFor = (kind: Exclude<ClockKind, 'ASSIGNMENT'>, line?: BusinessLinePlugin | null): Budget =>
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

export type ClockCtx = { tx: Db; calendar: Calendar; complaintId: string; at: Date; warnRatio: number };

export type ClockStart = { kind: ClockKind; startedAt?: Date } & (
  | { budget: Budget; dueAt?: undefined }
  | { budget?: undefined; dueAt: Date }
) & { assignmentId?: string };

export async function startClocks(ctx: ClockCtx, starts: ClockStart[]) {
  if (!starts.length) return;
  await ctx.tx.insert(slaClocks).values(
    starts.map((s) => {
      const startedAt = s.startedAt ?? ctx.at;
      const due = s.dueAt ?? budgetDue(startedAt, s.budget!, ctx.calendar);
      return {
        complaintId: ctx.complaintId,
        kind: s.kind,
        assignmentId: s.assignmentId ?? null,
        budget: s.budget ?? null,
        startedAt,
        dueAt: due,
        warnAt: budgetWarn(startedAt, due, ctx.warnRatio),
        state: 'RUNNING' as const,
      };
    }),
  );
}

const running = (complaintId: string) => and(eq(slaClocks.complaintId, complaintId), isNull(slaClocks.stoppedAt));

/** Stops the running clocks of these kinds (optionally of one assignment): MET when on time, MISSED when late. */
export async function stopClocks(ctx: ClockCtx, kinds: readonly ClockKind[] | 'ALL', opts: { assignmentId?: string } = {}) {
  if (kinds !== 'ALL' && !kinds.length) return;
  const conds = [running(ctx.complaintId)];
  if (kinds !== 'ALL') conds.push(inArray(slaClocks.kind, [...kinds]));
  if (opts.assignmentId) conds.push(eq(slaClocks.assignmentId, opts.assignmentId));
  // A paused clock stops at its pause: the time since did not count (its due was never moved for it).
  await ctx.tx
    .update(slaClocks)
    .set({
      stoppedAt: ctx.at,
      pausedAt: null,
      state: sql`case when ${slaClocks.dueAt} is null or coalesce(${slaClocks.pausedAt}, ${ctx.at.toISOString()}::timestamptz) <= ${slaClocks.dueAt} then 'MET' else 'MISSED' end::clock_state`,
    })
    .where(and(...conds));
}

/** Suspension: every running clock pauses (its budget stops running). */
export async function pauseClocks(ctx: ClockCtx) {
  await ctx.tx
    .update(slaClocks)
    .set({ pausedAt: ctx.at, state: 'PAUSED' })
    .where(and(running(ctx.complaintId), isNull(slaClocks.pausedAt)));
}

/** Resumption: each paused clock's due time moves later (DOMAIN §4) and it runs again. */
export async function resumeClocks(ctx: ClockCtx) {
  const paused = await ctx.tx
    .select()
    .from(slaClocks)
    .where(and(running(ctx.complaintId), sql`${slaClocks.pausedAt} is not null`));
  for (const c of paused) {
    const budget: Budget = (c.budget as Budget | null) ?? { hours: 0 }; // a fixed deadline moves like wall-clock time
    const due = c.dueAt ? resumeDue(c.dueAt, budget, c.pausedAt!, ctx.at, ctx.calendar) : null;
    const shift = ctx.at.getTime() - c.pausedAt!.getTime();
    const warn = c.warnAt ? new Date(c.warnAt.getTime() + shift) : null;
    const state: ClockState = c.breached ? 'BREACHED' : c.warned ? 'WARNING' : 'RUNNING';
    const moved = c.budget && isWorkingDayBudget(budget) ? workdaysEndedBetween(ctx.calendar, c.pausedAt!, ctx.at) : 0;
    await ctx.tx
      .update(slaClocks)
      .set({ pausedAt: null, dueAt: due, warnAt: warn, state, pausedWorkdays: c.pausedWorkdays + moved })
      .where(eq(slaClocks.id, c.id));
  }
}

/** The running RESOLVE clock's due time: the latest a dispatch deadline may be (D57). */
export async function resolveDueAt(tx: Db, complaintId: string): Promise<Date | null> {
  const [row] = await tx
    .select({ dueAt: slaClocks.dueAt })
    .from(slaClocks)
    .where(and(running(complaintId), eq(slaClocks.kind, 'RESOLVE')));
  return row?.dueAt ?? null;
}

/** Keeps `complaints.due_at` (ordering by DUE_AT, the `overdue` filter) the earliest running, unpaused due time. */
export async function refreshDueAt(tx: Db, complaintId: string) {
  await tx
    .update(complaints)
    .set({
      dueAt: sql`(select min(${slaClocks.dueAt}) from ${slaClocks} where ${slaClocks.complaintId} = ${complaintId}
        and ${slaClocks.stoppedAt} is null and ${slaClocks.pausedAt} is null and ${slaClocks.kind} <> 'REGISTER')`,
    })
    .where(eq(complaints.id, complaintId));
}

/**
 * After an administrator changed the calendar from `fromDate` on: running
 * working-day clocks due after that day get their due and warning times
 * recomputed (start + budget + the working days pauses moved them by).
 * Returns the complaints touched, whose `due_at` is refreshed.
 */
export async function recomputeWorkingDayClocks(tx: Db, calendar: Calendar, fromDate: string, warnRatio: number) {
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
      .set({ dueAt: due, warnAt: budgetWarn(c.startedAt, due, warnRatio) })
      .where(eq(slaClocks.id, c.id));
    touched.add(c.complaintId);
  }
  for (const id of touched) await refreshDueAt(tx, id);
  return [...touched];
}
