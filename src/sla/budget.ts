// SLA budget arithmetic (DOMAIN §4), as pure functions over instants and a Calendar.

import { addDays, type Calendar, nextWorkday, shanghaiDate, shanghaiMidnight } from './calendar.js';

/** `days` are calendar days of 24 wall-clock hours; `workingDays` follow the Calendar. */
export type Budget =
  | { minutes: number }
  | { hours: number }
  | { days: number }
  | { workingDays: number };

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export function isWorkingDayBudget(b: Budget): b is { workingDays: number } {
  return 'workingDays' in b;
}

/** Length of a wall-clock budget in milliseconds. */
function wallClockMillis(b: Exclude<Budget, { workingDays: number }>): number {
  const [amount, unitMs] =
    'minutes' in b ? [b.minutes, MINUTE_MS] : 'hours' in b ? [b.hours, HOUR_MS] : [b.days, DAY_MS];
  if (!Number.isFinite(amount) || amount < 0) {
    throw new RangeError(`budget must be a non-negative number, got ${JSON.stringify(b)}`);
  }
  return Math.round(amount * unitMs);
}

function workingDayCount(b: { workingDays: number }): number {
  if (!Number.isInteger(b.workingDays) || b.workingDays < 1) {
    throw new RangeError(`workingDays must be a positive integer, got ${b.workingDays}`);
  }
  return b.workingDays;
}

/** The n-th working day strictly after `date` (n >= 0; n = 0 is `date` itself). */
function nthWorkdayAfter(cal: Calendar, date: string, n: number): string {
  let d = date;
  for (let i = 0; i < n; i++) d = nextWorkday(cal, d);
  return d;
}

/** End (24:00, i.e. the next day's 00:00 +08:00) of a Shanghai day. */
function endOfDay(date: string): Date {
  return shanghaiMidnight(addDays(date, 1));
}

/**
 * When a budget started at `start` is due.
 * Wall-clock budgets: start + duration, holidays or not.
 * N working days: the start day never counts (even a working day, even at
 * 00:01); due at the end of the N-th working day after it.
 */
export function dueAt(start: Date, budget: Budget, cal: Calendar): Date {
  if (isWorkingDayBudget(budget)) {
    return endOfDay(nthWorkdayAfter(cal, shanghaiDate(start), workingDayCount(budget)));
  }
  return new Date(start.getTime() + wallClockMillis(budget));
}

/** The warning instant: start + ratio × (due − start), rounded down to the millisecond. */
export function warnAt(start: Date, due: Date, ratio = 0.8): Date {
  if (!(ratio >= 0 && ratio <= 1))
    throw new RangeError(`warning ratio must be within [0, 1], got ${ratio}`);
  return new Date(start.getTime() + Math.floor(ratio * (due.getTime() - start.getTime())));
}

/** Working days whose end instant falls in (pausedAt, resumedAt]. */
export function workdaysEndedBetween(cal: Calendar, pausedAt: Date, resumedAt: Date): number {
  // Day D ends at 00:00 of D+1, which is always after any instant within D and
  // never after an instant within D+1; so D runs from the pause's day to the day
  // before the resume's day. YYYY-MM-DD strings compare in date order.
  const last = addDays(shanghaiDate(resumedAt), -1);
  let count = 0;
  for (let d = shanghaiDate(pausedAt); d <= last; d = addDays(d, 1)) {
    if (cal.isWorkday(d)) count++;
  }
  return count;
}

/**
 * The due time after a pause from `pausedAt` to `resumedAt` (DOMAIN §4).
 * Wall-clock budgets move later by the paused duration. Working-day budgets
 * move later by k = the working days that ended while paused: the new due is
 * the end of the k-th working day after the day the old due ends.
 */
export function resumeDue(
  due: Date,
  budget: Budget,
  pausedAt: Date,
  resumedAt: Date,
  cal: Calendar,
): Date {
  const pausedMs = resumedAt.getTime() - pausedAt.getTime();
  if (!(pausedMs >= 0)) throw new RangeError('resumedAt must not be before pausedAt');
  if (!isWorkingDayBudget(budget)) return new Date(due.getTime() + pausedMs);

  const k = workdaysEndedBetween(cal, pausedAt, resumedAt);
  if (k === 0) return due;
  // A working-day due is 24:00 of its last day. Keeping the time within the day
  // (`due - 00:00 of that day`, in (0, 24h]) also moves a due that is not on a
  // day boundary (e.g. a regulator's own deadline, D20) by whole working days.
  const dueDay = shanghaiDate(new Date(due.getTime() - 1));
  const timeInDay = due.getTime() - shanghaiMidnight(dueDay).getTime();
  return new Date(shanghaiMidnight(nthWorkdayAfter(cal, dueDay, k)).getTime() + timeInDay);
}
