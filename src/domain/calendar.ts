import { and, asc, gte, lte, sql } from 'drizzle-orm';
import type { AppAbility } from '../auth/abilities.js';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { calendarDays, calendarYears } from '../db/schema.js';
import { addDays, type CalendarDay, makeCalendar, weekday } from '../sla/calendar.js';
import { bumpCalendarRevision, loadCalendar, recomputeWorkingDayClocks } from '../sla/clocks.js';
import { DomainError, validation } from './errors.js';
import { text } from './input.js';

/**
 * The statutory calendar as data (DOMAIN §4): read by anyone signed in,
 * changed by an ADMIN (e.g. next year's schedule when the State Council
 * publishes it). A change moves the due times of running working-day clocks.
 */

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_CALENDAR_SPAN = 731;

function checkDate(value: string, field: string[]) {
  if (!DATE_RE.test(value)) throw validation(field, `${field.at(-1)} must be a date YYYY-MM-DD`);
  try {
    weekday(value);
  } catch {
    throw validation(field, `${field.at(-1)} is not a calendar date`);
  }
  return value;
}

/** Every day of [from, to] as the platform counts it: stored days, Monday–Friday elsewhere. */
export async function calendarRange(db: Db, from: string, to: string): Promise<CalendarDay[]> {
  checkDate(from, ['from']);
  checkDate(to, ['to']);
  if (to < from) throw validation(['to'], 'to must not be before from');
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    days.push(d);
    if (days.length > MAX_CALENDAR_SPAN)
      throw validation(['to'], `at most ${MAX_CALENDAR_SPAN} days at a time`);
  }
  const stored = await db
    .select()
    .from(calendarDays)
    .where(and(gte(calendarDays.date, from), lte(calendarDays.date, to)))
    .orderBy(asc(calendarDays.date));
  const byDate = new Map(stored.map((d) => [d.date, d]));
  const cal = makeCalendar(stored);
  return days.map((date) => byDate.get(date) ?? { date, workday: cal.isWorkday(date), name: null });
}

export type CalendarDayInput = { date: string; workday: boolean; name?: string | null };

/** Upserts days (ADMIN), then recomputes the running clocks the change affects; one transaction. */
export async function setCalendarDays(
  db: Db,
  ability: AppAbility,
  input: CalendarDayInput[],
  warnRatio: number,
): Promise<CalendarDay[]> {
  if (!ability.can('manage', 'Calendar'))
    throw new DomainError('FORBIDDEN', 'Only an administrator of a province changes the calendar');
  if (input.length === 0) throw validation(['days'], 'days must not be empty');
  if (input.length > MAX_CALENDAR_SPAN)
    throw validation(['days'], `at most ${MAX_CALENDAR_SPAN} days at a time`);
  const seen = new Set<string>();
  const days = input.map((d, i) => {
    const date = checkDate(d.date, ['days', String(i), 'date']);
    if (seen.has(date)) throw validation(['days', String(i), 'date'], `${date} is given twice`);
    seen.add(date);
    return {
      date,
      workday: d.workday,
      name: text(d.name, ['days', String(i), 'name'], { max: 100 }),
    };
  });
  return db.transaction(async (tx) => {
    await tx
      .insert(calendarDays)
      .values(days)
      .onConflictDoUpdate({
        target: calendarDays.date,
        set: { workday: sql`excluded.workday`, name: sql`excluded.name` },
      });
    await bumpCalendarRevision(tx);
    const earliest = days.map((d) => d.date).sort()[0]!;
    await recomputeWorkingDayClocks(tx, await loadCalendar(tx), earliest, warnRatio);
    return days.sort((a, b) => (a.date < b.date ? -1 : 1));
  });
}

/** Years an administrator may load: the platform's past and its foreseeable future. */
export const CALENDAR_YEARS = { min: 1990, max: 2100 } as const;

export type CalendarYearInput = { year: number; days: CalendarDayInput[] };

/**
 * D27: loads a year's statutory calendar (ADMIN), as the State Council
 * publishes it: every holiday and every make-up working day; other days
 * follow Monday–Friday. It replaces whatever the year held, marks the year
 * loaded (the warnings stop), and recomputes every running working-day clock
 * that the year can move, all in one transaction.
 */
export async function importCalendarYear(
  db: Db,
  ability: AppAbility,
  viewer: Viewer,
  input: CalendarYearInput,
  warnRatio: number,
  now: Date,
): Promise<CalendarDay[]> {
  if (!ability.can('manage', 'Calendar'))
    throw new DomainError('FORBIDDEN', 'Only an administrator of a province changes the calendar');
  const { year } = input;
  if (!Number.isInteger(year) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max) {
    throw validation(
      ['input', 'year'],
      `year must be between ${CALENDAR_YEARS.min} and ${CALENDAR_YEARS.max}`,
    );
  }
  if (input.days.length > 366) throw validation(['input', 'days'], 'a year has at most 366 days');
  const seen = new Set<string>();
  const days = input.days.map((d, i) => {
    const field = ['input', 'days', String(i), 'date'];
    const date = checkDate(d.date, field);
    if (!date.startsWith(`${year}-`)) throw validation(field, `${date} is not in ${year}`);
    if (seen.has(date)) throw validation(field, `${date} is given twice`);
    seen.add(date);
    return {
      date,
      workday: d.workday,
      name: text(d.name, ['input', 'days', String(i), 'name'], { max: 100 }),
    };
  });
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  return db.transaction(async (tx) => {
    await tx
      .delete(calendarDays)
      .where(and(gte(calendarDays.date, first), lte(calendarDays.date, last)));
    if (days.length) await tx.insert(calendarDays).values(days);
    await tx
      .insert(calendarYears)
      .values({ year, loadedAt: now, loadedBy: viewer.kind === 'user' ? viewer.id : null })
      .onConflictDoUpdate({
        target: calendarYears.year,
        set: { loadedAt: now, loadedBy: viewer.kind === 'user' ? viewer.id : null },
      });
    await bumpCalendarRevision(tx);
    await recomputeWorkingDayClocks(tx, await loadCalendar(tx), first, warnRatio);
    return days.sort((a, b) => (a.date < b.date ? -1 : 1));
  });
}
