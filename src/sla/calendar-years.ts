import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { calendarYears } from '../db/schema.js';
import { shanghaiDate } from './calendar.js';

/**
 * D27: the statutory calendar must reach ahead. Working-day due times need
 * the holidays and make-up working days of every year they can fall in; a
 * year nobody loaded counts Monday–Friday. These are the checks behind the
 * warnings in /readyz, /metrics, `dutyBriefing.warnings` and the start-up log.
 */

/** From this Shanghai month-day on, next year's calendar is expected (D27: 1 November). */
export const NEXT_YEAR_WARNING_FROM = '11-01';

export type CalendarYearStatus = {
  /** The Shanghai calendar year of `now`. */
  year: number;
  loaded: boolean;
  nextYear: number;
  nextLoaded: boolean;
  /** Whether next year's calendar is expected by now (from 1 November). */
  nextExpected: boolean;
};

/** Which of this year and next are loaded, as of `now` (Asia/Shanghai). */
export async function calendarYearStatus(db: Db, now: Date): Promise<CalendarYearStatus> {
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  const rows = await db
    .select({ year: calendarYears.year })
    .from(calendarYears)
    .where(inArray(calendarYears.year, [year, year + 1]));
  const loaded = new Set(rows.map((r) => r.year));
  return {
    year,
    loaded: loaded.has(year),
    nextYear: year + 1,
    nextLoaded: loaded.has(year + 1),
    nextExpected: today.slice(5) >= NEXT_YEAR_WARNING_FROM,
  };
}

/** The warnings a status calls for, in words an operator acts on; empty when all is well. */
export function calendarWarningsOf(s: CalendarYearStatus): string[] {
  const out: string[] = [];
  if (!s.loaded) {
    out.push(
      `The statutory calendar of ${s.year} is not loaded: working days in ${s.year} are counted Monday–Friday, without holidays or make-up working days. An administrator loads it with importCalendarYear (D27).`,
    );
  }
  if (s.nextExpected && !s.nextLoaded) {
    out.push(
      `The statutory calendar of ${s.nextYear} is not loaded: due times in ${s.nextYear} are counted Monday–Friday until it is. Load it with importCalendarYear once the State Council publishes it (D27).`,
    );
  }
  return out;
}

/** The calendar warnings as of `now` (D27). */
export async function calendarWarnings(db: Db, now: Date): Promise<string[]> {
  return calendarWarningsOf(await calendarYearStatus(db, now));
}

/** Says each calendar warning through `log` (the start-up line of D27) and returns them. */
export async function reportCalendarWarnings(
  db: Db,
  now: Date,
  log: (warning: string) => void,
): Promise<string[]> {
  const warnings = await calendarWarnings(db, now);
  for (const w of warnings) log(w);
  return warnings;
}
