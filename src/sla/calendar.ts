// Working-day calendar for Asia/Shanghai (DOMAIN §4), as pure functions.
//
// Dates are 'YYYY-MM-DD' strings meaning a Shanghai calendar day. All
// arithmetic runs on UTC fields with a fixed +08:00 offset, never on the
// process's local time zone: China has had no daylight saving since 1991, so
// Asia/Shanghai is exactly UTC+8 for every date this platform handles.

import { createRequire } from 'node:module';

export type CalendarDay = { date: string /* YYYY-MM-DD */; workday: boolean; name: string | null };

export interface Calendar {
  isWorkday(date: string): boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of 00:00 UTC on `date`; throws on anything but a real YYYY-MM-DD day. */
function utcMillis(date: string): number {
  const m = DATE_RE.exec(date);
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    // Date.UTC rolls 2026-02-30 over to March: reject what does not round-trip.
    if (formatUtc(ms) === date) return ms;
  }
  throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return formatUtc(ms + SHANGHAI_OFFSET_MS);
}

/** The instant 00:00 +08:00 at the start of `date`. */
export function shanghaiMidnight(date: string): Date {
  return new Date(utcMillis(date) - SHANGHAI_OFFSET_MS);
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`addDays needs a whole number of days, got ${n}`);
  return formatUtc(utcMillis(date) + n * DAY_MS);
}

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(utcMillis(date)).getUTCDay();
}

function isMondayToFriday(date: string): boolean {
  const d = weekday(date);
  return d >= 1 && d <= 5;
}

/** A calendar where the given days override the Monday–Friday default. Later entries win. */
export function makeCalendar(days: Iterable<CalendarDay>): Calendar {
  const overrides = new Map<string, boolean>();
  for (const day of days) {
    utcMillis(day.date); // validate
    overrides.set(day.date, day.workday);
  }
  return {
    isWorkday: (date) => overrides.get(date) ?? isMondayToFriday(date),
  };
}

// Guards against a calendar with no working day at all (e.g. a broken
// custom Calendar): ten years without one is certainly a data error.
const MAX_SEARCH_DAYS = 3660;

/** The first working day strictly after `date`. */
export function nextWorkday(cal: Calendar, date: string): string {
  let d = date;
  for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
    d = addDays(d, 1);
    if (cal.isWorkday(d)) return d;
  }
  throw new RangeError(`no working day within ${MAX_SEARCH_DAYS} days after ${date}`);
}

// chinese-days' values look like "National Day,国庆节,3" (English, Chinese, internal id).
type ChineseDaysData = { holidays: Record<string, string>; workdays: Record<string, string> };

function holidayName(raw: string): string {
  const [en, zh] = raw.split(',');
  return zh ? `${en} (${zh})` : en;
}

/**
 * Every statutory exception published by `chinese-days` (all the years it
 * covers), sorted by date: holidays (weekday or weekend) as non-working days
 * and weekend make-up days (调休) as working days. Seed for `calendar_days`.
 *
 * Reads the package's published JSON rather than calling its functions: its
 * date helpers use the process's local time zone (e.g. under TZ=America/New_York
 * getDayDetail('2026-09-20') reports 2026-09-19), and its CommonJS build has no
 * named exports under native ESM.
 */
export function statutoryDays(): CalendarDay[] {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const days: CalendarDay[] = [];
  for (const [date, raw] of Object.entries(data.holidays)) {
    days.push({ date, workday: false, name: holidayName(raw) });
  }
  for (const [date, raw] of Object.entries(data.workdays)) {
    // A "workday" on Monday–Friday would not differ from the default.
    if (isMondayToFriday(date)) continue;
    days.push({ date, workday: true, name: `Make-up working day for ${holidayName(raw)}` });
  }
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
