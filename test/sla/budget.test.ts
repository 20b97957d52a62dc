import { describe, expect, it } from 'vitest';
import { dueAt, isWorkingDayBudget, resumeDue, warnAt } from '../../src/sla/budget.js';
import { makeCalendar, statutoryDays } from '../../src/sla/calendar.js';

// Every expected instant is hand-computed; written in Shanghai wall time.
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
const cn = makeCalendar(statutoryDays());
// 2026 facts used below: Jan 1–3 off, Sun Jan 4 worked; Feb 15–23 off, Sat Feb 14
// and Sat Feb 28 worked; Jun 19–21 off; Oct 1–7 off, Sat Oct 10 worked.

describe('§4 wall-clock budgets (minutes, hours, days)', () => {
  it('§4: 24 hours started 2026-09-30 10:00 are due 2026-10-01 10:00, holiday or not', () => {
    expect(dueAt(sh('2026-09-30 10:00'), { hours: 24 }, cn)).toEqual(sh('2026-10-01 10:00'));
  });

  it('§4: 10 minutes run through midnight of a Spring Festival holiday', () => {
    expect(dueAt(sh('2026-02-16 23:55'), { minutes: 10 }, cn)).toEqual(sh('2026-02-17 00:05'));
  });

  it('§4: 48 hours started on New Year’s Eve 2025 are due 2026-01-02 18:00', () => {
    expect(dueAt(sh('2025-12-31 18:00'), { hours: 48 }, cn)).toEqual(sh('2026-01-02 18:00'));
  });

  it('§4 ANSWER: 15 calendar days across National Day are 15 × 24 h', () => {
    expect(dueAt(sh('2026-09-30 10:00'), { days: 15 }, cn)).toEqual(sh('2026-10-15 10:00'));
  });

  it('§4 D20: fractional hours (a 2-hour business-line override, 1.5 h) are exact', () => {
    expect(dueAt(sh('2026-06-01 09:00'), { hours: 2 }, cn)).toEqual(sh('2026-06-01 11:00'));
    expect(dueAt(sh('2026-06-01 09:00'), { hours: 1.5 }, cn)).toEqual(sh('2026-06-01 10:30'));
  });

  it('rejects negative or non-finite budgets', () => {
    expect(() => dueAt(sh('2026-06-01 09:00'), { hours: -1 }, cn)).toThrow(RangeError);
    expect(() => dueAt(sh('2026-06-01 09:00'), { minutes: Number.NaN }, cn)).toThrow(RangeError);
  });
});

describe('§4 working-day budgets: from the next working day, ending 24:00 of the Nth', () => {
  it('§4: 1 working day started the day before National Day ends 24:00 on Oct 8', () => {
    expect(dueAt(sh('2026-09-30 10:00'), { workingDays: 1 }, cn)).toEqual(sh('2026-10-09 00:00'));
  });

  it('§4: the start day never counts, even a working day started at 00:30', () => {
    // Mon 2026-06-01 → day 1 is Tue 06-02.
    expect(dueAt(sh('2026-06-01 00:30'), { workingDays: 1 }, cn)).toEqual(sh('2026-06-03 00:00'));
    expect(dueAt(sh('2026-06-01 00:00'), { workingDays: 1 }, cn)).toEqual(sh('2026-06-03 00:00'));
  });

  it('§4: the last instant of a day still belongs to that day', () => {
    // 2026-06-01 23:59:59.999 is Monday; 00:00 next is Tuesday.
    expect(dueAt(sh('2026-06-01 23:59:59.999'), { workingDays: 1 }, cn)).toEqual(
      sh('2026-06-03 00:00'),
    );
    expect(dueAt(sh('2026-06-02 00:00'), { workingDays: 1 }, cn)).toEqual(sh('2026-06-04 00:00'));
  });

  it('§4: started on a holiday (Sat Oct 3), 3 working days are Oct 8, Oct 9 and make-up Sat Oct 10', () => {
    expect(dueAt(sh('2026-10-03 15:00'), { workingDays: 3 }, cn)).toEqual(sh('2026-10-11 00:00'));
  });

  it('§4: started Friday evening, working days begin on Monday', () => {
    expect(dueAt(sh('2026-06-05 21:30'), { workingDays: 1 }, cn)).toEqual(sh('2026-06-09 00:00'));
    expect(dueAt(sh('2026-06-05 21:30'), { workingDays: 3 }, cn)).toEqual(sh('2026-06-11 00:00'));
  });

  it('§4 RESOLVE: 15 working days from Mon 2026-09-28 skip Oct 1–7 and count Sat Oct 10', () => {
    // 29, 30 | Oct 8, 9, 10(Sat), 12–16, 19–23 → the 15th is Fri Oct 23.
    expect(dueAt(sh('2026-09-28 09:00'), { workingDays: 15 }, cn)).toEqual(sh('2026-10-24 00:00'));
  });

  it('§4 RESOLVE: 15 working days across Spring Festival 2026 count both make-up Saturdays', () => {
    // From Wed Feb 11: 12, 13, 14(Sat) | 24–27, 28(Sat) | Mar 2–6, 9, 10 → Mar 10.
    expect(dueAt(sh('2026-02-11 14:00'), { workingDays: 15 }, cn)).toEqual(sh('2026-03-11 00:00'));
  });

  it('§4 RESOLVE: 15 working days skip the Dragon Boat Festival (Fri Jun 19)', () => {
    // From Mon Jun 1: Jun 2–5, 8–12, 15–18, 22, 23 → Tue Jun 23.
    expect(dueAt(sh('2026-06-01 09:00'), { workingDays: 15 }, cn)).toEqual(sh('2026-06-24 00:00'));
  });

  it('§4 ARCHIVE: 3 working days over the 2025→2026 year end are Dec 31, Sun Jan 4, Mon Jan 5', () => {
    expect(dueAt(sh('2025-12-30 16:00'), { workingDays: 3 }, cn)).toEqual(sh('2026-01-06 00:00'));
  });

  it('§4: over the 2026→2027 year end, 2027 falls back to Mon–Fri until an administrator adds it', () => {
    // Seed only: Fri 2027-01-01 counts, then Mon Jan 4.
    expect(dueAt(sh('2026-12-31 10:00'), { workingDays: 2 }, cn)).toEqual(sh('2027-01-05 00:00'));
    const with2027 = makeCalendar([
      ...statutoryDays(),
      { date: '2027-01-01', workday: false, name: "New Year's Day" },
    ]);
    expect(dueAt(sh('2026-12-31 10:00'), { workingDays: 2 }, with2027)).toEqual(
      sh('2027-01-06 00:00'),
    );
  });

  it('§4: a user-supplied calendar (Wed off, Sat worked) drives the count', () => {
    const cal = makeCalendar([
      { date: '2026-06-10', workday: false, name: 'Company holiday' },
      { date: '2026-06-13', workday: true, name: 'Make-up working day' },
    ]);
    // From Tue Jun 9: Jun 10 off, Thu 11, Fri 12, Sat 13.
    expect(dueAt(sh('2026-06-09 11:00'), { workingDays: 3 }, cal)).toEqual(sh('2026-06-14 00:00'));
  });

  it('rejects zero, negative or fractional working days', () => {
    expect(() => dueAt(sh('2026-06-01 09:00'), { workingDays: 0 }, cn)).toThrow(RangeError);
    expect(() => dueAt(sh('2026-06-01 09:00'), { workingDays: -2 }, cn)).toThrow(RangeError);
    expect(() => dueAt(sh('2026-06-01 09:00'), { workingDays: 1.5 }, cn)).toThrow(RangeError);
  });

  it('isWorkingDayBudget tells the two kinds apart', () => {
    expect(isWorkingDayBudget({ workingDays: 15 })).toBe(true);
    expect(isWorkingDayBudget({ hours: 24 })).toBe(false);
    expect(isWorkingDayBudget({ minutes: 10 })).toBe(false);
    expect(isWorkingDayBudget({ days: 15 })).toBe(false);
  });
});

describe('§4 warning at 80 % of the budget', () => {
  it('§4: 24 hours from 2026-09-30 10:00 warn at 19 h 12 min, i.e. 2026-10-01 05:12', () => {
    expect(warnAt(sh('2026-09-30 10:00'), sh('2026-10-01 10:00'))).toEqual(sh('2026-10-01 05:12'));
  });

  it('§4: the ratio is configurable', () => {
    expect(warnAt(sh('2026-09-30 10:00'), sh('2026-10-01 10:00'), 0.5)).toEqual(
      sh('2026-09-30 22:00'),
    );
    expect(warnAt(sh('2026-09-30 10:00'), sh('2026-10-01 10:00'), 1)).toEqual(
      sh('2026-10-01 10:00'),
    );
  });

  it('§4: a working-day budget warns at 80 % of its wall-clock span (may fall on a holiday)', () => {
    // Sep 30 10:00 → Oct 9 00:00 is 206 h; 80 % = 164 h 48 min → Oct 7 06:48.
    expect(warnAt(sh('2026-09-30 10:00'), sh('2026-10-09 00:00'))).toEqual(sh('2026-10-07 06:48'));
  });

  it('rounds down to the millisecond', () => {
    const start = sh('2026-06-01 09:00');
    const due = new Date(start.getTime() + 7);
    expect(warnAt(start, due).getTime() - start.getTime()).toBe(5); // 5.6 → 5
  });

  it('rejects a ratio outside [0, 1]', () => {
    expect(() => warnAt(sh('2026-06-01 09:00'), sh('2026-06-02 09:00'), 1.2)).toThrow(RangeError);
    expect(() => warnAt(sh('2026-06-01 09:00'), sh('2026-06-02 09:00'), Number.NaN)).toThrow(
      RangeError,
    );
  });
});

describe('§4 pause and resume: a paused budget does not run', () => {
  it('§4 hours: the due moves later by the paused duration', () => {
    const due = sh('2026-10-01 10:00'); // 24 h from Sep 30 10:00
    expect(
      resumeDue(due, { hours: 24 }, sh('2026-09-30 12:00'), sh('2026-09-30 15:30'), cn),
    ).toEqual(sh('2026-10-01 13:30'));
  });

  it('§4 minutes: the due moves later by the paused duration to the second', () => {
    const due = sh('2026-06-01 09:10'); // 10 min from 09:00
    expect(
      resumeDue(due, { minutes: 10 }, sh('2026-06-01 09:02'), sh('2026-06-01 09:05:30'), cn),
    ).toEqual(sh('2026-06-01 09:13:30'));
  });

  it('§4 days: a pause over National Day moves a calendar-day due by the wall-clock pause', () => {
    const due = sh('2026-10-15 10:00'); // 15 days from Sep 30 10:00
    expect(
      resumeDue(due, { days: 15 }, sh('2026-10-02 08:00'), sh('2026-10-04 20:00'), cn),
    ).toEqual(
      sh('2026-10-17 22:00'), // + 2 days 12 h
    );
  });

  it('§4 hours: a zero-length pause changes nothing', () => {
    const due = sh('2026-10-01 10:00');
    expect(
      resumeDue(due, { hours: 24 }, sh('2026-09-30 12:00'), sh('2026-09-30 12:00'), cn),
    ).toEqual(due);
  });

  it('§4 working days: moves by the working days that ended while paused', () => {
    // 15 working days from Mon Jun 1 09:00 are due Jun 24 00:00 (end of Tue Jun 23).
    // Paused Tue Jun 2 15:00 → Thu Jun 4 09:00: Jun 2 and Jun 3 ended → k = 2 → Wed 24, Thu 25.
    const due = sh('2026-06-24 00:00');
    expect(
      resumeDue(due, { workingDays: 15 }, sh('2026-06-02 15:00'), sh('2026-06-04 09:00'), cn),
    ).toEqual(sh('2026-06-26 00:00'));
  });

  it('§4 working days: a pause within one day ends no working day, due unchanged', () => {
    const due = sh('2026-06-24 00:00');
    expect(
      resumeDue(due, { workingDays: 15 }, sh('2026-06-02 10:00'), sh('2026-06-02 17:00'), cn),
    ).toEqual(due);
  });

  it('§4 working days: a day ending exactly at the pause does not count; one ending exactly at the resume does', () => {
    // Pause at 00:00 Jun 3 (end of Jun 2: not counted), resume at 00:00 Jun 4 (end of Jun 3: counted).
    const due = sh('2026-06-24 00:00');
    expect(
      resumeDue(due, { workingDays: 15 }, sh('2026-06-03 00:00'), sh('2026-06-04 00:00'), cn),
    ).toEqual(sh('2026-06-25 00:00'));
  });

  it('§4 working days: a pause covering National Day counts only working days, not holidays', () => {
    // 15 working days from Mon Sep 28 09:00 are due Oct 24 00:00 (end of Fri Oct 23).
    // Paused Wed Sep 30 16:00 → Fri Oct 9 10:00: Sep 30 and Oct 8 ended (Oct 1–7 are holidays,
    // Oct 9 has not ended) → k = 2 → Mon Oct 26, Tue Oct 27.
    const due = sh('2026-10-24 00:00');
    expect(
      resumeDue(due, { workingDays: 15 }, sh('2026-09-30 16:00'), sh('2026-10-09 10:00'), cn),
    ).toEqual(sh('2026-10-28 00:00'));
  });

  it('§4 working days: a make-up Saturday that ends while paused counts', () => {
    // Paused Fri Oct 9 18:00 → Mon Oct 12 08:00: Oct 9 and Sat Oct 10 ended, Sun Oct 11 is off → k = 2.
    const due = sh('2026-10-13 00:00'); // end of Mon Oct 12
    expect(
      resumeDue(due, { workingDays: 3 }, sh('2026-10-09 18:00'), sh('2026-10-12 08:00'), cn),
    ).toEqual(sh('2026-10-15 00:00'));
  });

  it('§4 working days: the moved due itself skips the holiday', () => {
    // Due at end of Wed Sep 30; Tue Sep 29 ended while paused → k = 1 → next working day is Oct 8.
    const due = sh('2026-10-01 00:00');
    expect(
      resumeDue(due, { workingDays: 1 }, sh('2026-09-29 11:00'), sh('2026-09-30 09:00'), cn),
    ).toEqual(sh('2026-10-09 00:00'));
  });

  it('§4 working days: a pause over the 2025→2026 year end counts Dec 31 and make-up Sun Jan 4', () => {
    // Paused Wed Dec 31 17:00 → Mon Jan 5 08:00: Dec 31 ✓, Jan 1–3 ✗, Jan 4 ✓ → k = 2.
    const due = sh('2026-01-07 00:00'); // end of Tue Jan 6
    expect(
      resumeDue(due, { workingDays: 3 }, sh('2025-12-31 17:00'), sh('2026-01-05 08:00'), cn),
    ).toEqual(sh('2026-01-09 00:00'));
  });

  it('§4 working days: a user-supplied calendar decides which ended days count', () => {
    const cal = makeCalendar([
      { date: '2026-06-10', workday: false, name: 'Company holiday' },
      { date: '2026-06-13', workday: true, name: 'Make-up working day' },
    ]);
    // Paused Tue Jun 9 12:00 → Sun Jun 14 12:00: Jun 9 ✓, 10 ✗, 11 ✓, 12 ✓, Sat 13 ✓ → k = 4.
    // Old due end of Mon Jun 15 → Jun 16, 17, 18, 19 (this calendar has no Dragon Boat day).
    const due = sh('2026-06-16 00:00');
    expect(
      resumeDue(due, { workingDays: 5 }, sh('2026-06-09 12:00'), sh('2026-06-14 12:00'), cal),
    ).toEqual(sh('2026-06-20 00:00'));
  });

  it('§4 D20 working days: a due that is not at a day boundary keeps its time of day', () => {
    // A regulator's deadline Wed Jun 3 18:00; k = 1 (Jun 2 ended) → Thu Jun 4 18:00.
    const due = sh('2026-06-03 18:00');
    expect(
      resumeDue(due, { workingDays: 15 }, sh('2026-06-02 15:00'), sh('2026-06-03 09:00'), cn),
    ).toEqual(sh('2026-06-04 18:00'));
  });

  it('rejects a resume before the pause', () => {
    expect(() =>
      resumeDue(
        sh('2026-06-24 00:00'),
        { workingDays: 15 },
        sh('2026-06-03 00:00'),
        sh('2026-06-02 00:00'),
        cn,
      ),
    ).toThrow(RangeError);
  });
});
