import { describe, expect, it } from 'vitest';
import {
  addDays,
  makeCalendar,
  nextWorkday,
  shanghaiDate,
  shanghaiMidnight,
  statutoryDays,
  weekday,
} from '../../src/sla/calendar.js';

// Expected values below are hand-checked against the State Council notices
// (and chinese-days' data): 2026 New Year Jan 1–3 off, Sun Jan 4 worked;
// Spring Festival Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked;
// Mid-Autumn Fri Sep 25–27 off; National Day Oct 1–7 off (Oct 8 is a normal
// Thursday), Sun Sep 20 and Sat Oct 10 worked.

describe('Shanghai date helpers', () => {
  it('shanghaiDate: a Shanghai day starts at 16:00 UTC the day before', () => {
    expect(shanghaiDate(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
    expect(shanghaiDate(new Date('2026-09-30T16:00:00.000Z'))).toBe('2026-10-01');
    expect(shanghaiDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });

  it('shanghaiMidnight: 00:00 +08:00 of the date', () => {
    expect(shanghaiMidnight('2026-10-01').toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(shanghaiMidnight('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('addDays crosses months, leap days and years both ways', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-09-30', 8)).toBe('2026-10-08');
    expect(addDays('2026-10-08', 0)).toBe('2026-10-08');
  });

  it('weekday: 0 = Sunday', () => {
    expect(weekday('2026-10-01')).toBe(4); // Thursday
    expect(weekday('2026-09-20')).toBe(0);
    expect(weekday('2026-10-10')).toBe(6);
    expect(weekday('2027-01-01')).toBe(5);
  });

  it('rejects malformed or impossible dates', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => weekday('2026-9-1')).toThrow(RangeError);
    expect(() => shanghaiMidnight('')).toThrow(RangeError);
    expect(() => makeCalendar([{ date: '2026-13-01', workday: true, name: null }])).toThrow(
      RangeError,
    );
  });
});

describe('§4 calendar: Monday–Friday default with overrides', () => {
  it('a date not given falls back to Monday–Friday working, Saturday/Sunday off', () => {
    const cal = makeCalendar([]);
    expect(cal.isWorkday('2026-06-08')).toBe(true); // Mon
    expect(cal.isWorkday('2026-06-12')).toBe(true); // Fri
    expect(cal.isWorkday('2026-06-13')).toBe(false); // Sat
    expect(cal.isWorkday('2026-06-14')).toBe(false); // Sun
  });

  it('a user-supplied calendar may declare a Wednesday a holiday and a Saturday a working day', () => {
    const cal = makeCalendar([
      { date: '2026-06-10', workday: false, name: 'Company holiday' },
      { date: '2026-06-13', workday: true, name: 'Make-up working day' },
    ]);
    expect(cal.isWorkday('2026-06-10')).toBe(false);
    expect(cal.isWorkday('2026-06-13')).toBe(true);
    expect(nextWorkday(cal, '2026-06-09')).toBe('2026-06-11');
    expect(nextWorkday(cal, '2026-06-12')).toBe('2026-06-13');
    expect(nextWorkday(cal, '2026-06-13')).toBe('2026-06-15');
  });

  it('a later entry for the same date wins (an administrator correcting the seed)', () => {
    const cal = makeCalendar([
      { date: '2027-01-01', workday: true, name: null },
      { date: '2027-01-01', workday: false, name: "New Year's Day" },
    ]);
    expect(cal.isWorkday('2027-01-01')).toBe(false);
  });

  it('nextWorkday is strictly after the date, even when the date is a working day', () => {
    expect(nextWorkday(makeCalendar([]), '2026-06-08')).toBe('2026-06-09');
    expect(nextWorkday(makeCalendar([]), '2026-06-05')).toBe('2026-06-08'); // Fri → Mon
  });

  it('nextWorkday gives up on a calendar with no working day instead of looping forever', () => {
    expect(() => nextWorkday({ isWorkday: () => false }, '2026-01-01')).toThrow(RangeError);
  });
});

describe('§4 statutory calendar seed (chinese-days)', () => {
  const days = statutoryDays();
  const byDate = new Map(days.map((d) => [d.date, d]));
  const cn = makeCalendar(days);

  it('is sorted by date, one entry per date, covering 2004 through 2026', () => {
    const dates = days.map((d) => d.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates[0].startsWith('2004-')).toBe(true);
    expect(dates[dates.length - 1].startsWith('2026-')).toBe(true);
  });

  it('lists only named holidays and weekend make-up working days', () => {
    for (const d of days) {
      expect(d.name).toBeTruthy();
      if (d.workday) expect([0, 6]).toContain(weekday(d.date));
    }
  });

  it('National Day 2026: Oct 1–7 off; Sun Sep 20 and Sat Oct 10 are make-up working days; Oct 8 is ordinary', () => {
    for (let day = 1; day <= 7; day++) {
      const entry = byDate.get(`2026-10-0${day}`);
      expect(entry?.workday).toBe(false);
      expect(entry?.name).toContain('National Day');
    }
    expect(byDate.get('2026-09-20')).toMatchObject({ workday: true });
    expect(byDate.get('2026-09-20')?.name).toMatch(/^Make-up working day for National Day/);
    expect(byDate.get('2026-10-10')).toMatchObject({ workday: true });
    expect(byDate.has('2026-10-08')).toBe(false);
    expect(cn.isWorkday('2026-10-08')).toBe(true);
  });

  it('Spring Festival 2026: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 are working days', () => {
    for (let day = 15; day <= 23; day++) {
      expect(byDate.get(`2026-02-${day}`)).toMatchObject({ workday: false });
      expect(byDate.get(`2026-02-${day}`)?.name).toContain('Spring Festival');
    }
    expect(cn.isWorkday('2026-02-14')).toBe(true);
    expect(cn.isWorkday('2026-02-28')).toBe(true);
    expect(cn.isWorkday('2026-02-24')).toBe(true);
  });

  it('2025→2026 year end: Jan 1–3 off, Sunday Jan 4 is worked', () => {
    expect(cn.isWorkday('2025-12-31')).toBe(true);
    expect(cn.isWorkday('2026-01-01')).toBe(false);
    expect(cn.isWorkday('2026-01-02')).toBe(false);
    expect(cn.isWorkday('2026-01-03')).toBe(false);
    expect(cn.isWorkday('2026-01-04')).toBe(true);
    expect(nextWorkday(cn, '2025-12-31')).toBe('2026-01-04');
  });

  it('2026→2027 year end: 2027 is not published yet, so Jan 1 2027 (Friday) falls back to a working day', () => {
    expect(days.some((d) => d.date >= '2027-01-01')).toBe(false);
    expect(nextWorkday(cn, '2026-12-31')).toBe('2027-01-01');
  });

  it('nextWorkday skips the holiday and lands on make-up days', () => {
    expect(nextWorkday(cn, '2026-09-30')).toBe('2026-10-08');
    expect(nextWorkday(cn, '2026-10-09')).toBe('2026-10-10');
    expect(nextWorkday(cn, '2026-10-10')).toBe('2026-10-12');
    expect(nextWorkday(cn, '2026-09-18')).toBe('2026-09-20'); // Fri → make-up Sunday
    expect(nextWorkday(cn, '2026-09-24')).toBe('2026-09-28'); // Mid-Autumn Fri 25 off
    expect(nextWorkday(cn, '2026-02-13')).toBe('2026-02-14');
    expect(nextWorkday(cn, '2026-02-14')).toBe('2026-02-24');
  });
});
