// Run by timezone.test.ts in a child process under a given TZ; prints JSON.
// Not a test file itself (no .test.ts suffix).

import { type Budget, dueAt, resumeDue, warnAt } from '../../src/sla/budget.js';
import {
  makeCalendar,
  nextWorkday,
  shanghaiDate,
  statutoryDays,
  weekday,
} from '../../src/sla/calendar.js';

const cal = makeCalendar(statutoryDays());
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
const iso = (d: Date) => d.toISOString();

// Hand-checked scenarios (the same as in budget.test.ts).
const named = {
  hours24: iso(dueAt(sh('2026-09-30 10:00'), { hours: 24 }, cal)),
  workingDays1: iso(dueAt(sh('2026-09-30 10:00'), { workingDays: 1 }, cal)),
  workingDays15: iso(dueAt(sh('2026-09-28 09:00'), { workingDays: 15 }, cal)),
  yearEnd3: iso(dueAt(sh('2025-12-30 16:00'), { workingDays: 3 }, cal)),
  warn: iso(warnAt(sh('2026-09-30 10:00'), sh('2026-10-01 10:00'))),
  resumeOverNationalDay: iso(
    resumeDue(
      sh('2026-10-24 00:00'),
      { workingDays: 15 },
      sh('2026-09-30 16:00'),
      sh('2026-10-09 10:00'),
      cal,
    ),
  ),
  nextAfterSep30: nextWorkday(cal, '2026-09-30'),
  weekdayOct1: weekday('2026-10-01'),
};

// A sweep: every 5 hours through the year ends and the 2026 holidays.
const budgets: Budget[] = [
  { hours: 24 },
  { days: 15 },
  { workingDays: 1 },
  { workingDays: 3 },
  { workingDays: 15 },
];
const sweep: string[] = [];
for (const [from, to] of [
  ['2025-12-20 00:00', '2026-01-12 00:00'],
  ['2026-02-08 00:00', '2026-03-02 00:00'],
  ['2026-09-15 00:00', '2026-10-20 00:00'],
  ['2026-12-24 00:00', '2027-01-06 00:00'],
]) {
  for (let t = sh(from).getTime(); t < sh(to).getTime(); t += 5 * 3600_000) {
    const start = new Date(t);
    const row = [shanghaiDate(start)];
    for (const b of budgets) {
      const due = dueAt(start, b, cal);
      const resumed = resumeDue(due, b, new Date(t + 3600_000), new Date(t + 61 * 3600_000), cal);
      row.push(iso(due), iso(warnAt(start, due)), iso(resumed));
    }
    sweep.push(row.join(' '));
  }
}

console.log(
  JSON.stringify({
    tz: process.env.TZ,
    offsetJan1970: new Date(0).getTimezoneOffset(), // proves the TZ really applied
    statutoryCount: statutoryDays().length,
    named,
    sweep,
  }),
);
