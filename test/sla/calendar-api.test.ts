import { describe, expect, it } from 'vitest';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import type { Db } from '../../src/db/client.js';
import { setCalendarDays } from '../../src/domain/calendar.js';
import { type Engine, engine } from '../support/cases.js';
import * as shared from '../support/gql.js';
import { type GqlResult, gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';
import { caseDueAt, clockOf, HOUR, refusal, sh } from './helpers.js';

/**
 * DOMAIN §4's calendar as data: `calendar(from, to)` reads the seeded
 * statutory days (migrations/0003_calendar_seed.sql) with Monday–Friday
 * elsewhere; `setCalendarDays` (ADMIN, D54) upserts days and moves the due
 * times of the running working-day clocks the change affects. Each test runs
 * in a rolled-back transaction at T0 (Mon 2026-11-23 10:00 +08:00).
 */

const world = useWorld();

/** A refusal as a GraphQL error: no data, and the code (vitest.config.ts loads one copy of `graphql`, so yoga keeps it). */
const expectCode = (res: GqlResult, extensions: Record<string, unknown>) => {
  expect(res.errors?.length).toBeGreaterThan(0);
  expect(res.data ?? null).toBeNull();
  expect(res.errors![0]!.extensions).toMatchObject(extensions);
};

const run = (fn: (e: Engine, db: Db) => Promise<void>) => () =>
  world().tx(async (db) => {
    world().clock.set(T0);
    await fn(engine(world(), db), db);
  });

const q = (db: Db, as: string, query: string, variables: Record<string, unknown> = {}) =>
  shared.q(world(), db, as, query, variables);

type Day = { date: string; workday: boolean; name: string | null };

const CALENDAR = `query ($from: Date!, $to: Date!) { calendar(from: $from, to: $to) { date workday name } }`;
const SET = `mutation ($days: [CalendarDayInput!]!) {
  setCalendarDays(days: $days) { days { date workday name } userErrors { code field message } }
}`;

async function calendar(db: Db, from: string, to: string, as = 'gd.agent'): Promise<Day[]> {
  const res = await q(db, as, CALENDAR, { from, to });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data.calendar;
}
async function setDays(db: Db, days: Partial<Day>[], as = 'admin') {
  const res = await q(db, as, SET, { days });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data.setCalendarDays as {
    days: Day[];
    userErrors: { code: string; field: string[] | null; message: string }[];
  };
}

const ND = 'National Day (国庆节)';
const ND_MAKEUP = 'Make-up working day for National Day (国庆节)';
const SF = 'Spring Festival (春节)';
const SF_MAKEUP = 'Make-up working day for Spring Festival (春节)';

describe('calendar(from, to): every day, as the clocks count it', () => {
  it(
    'National Day 2026: Oct 1–7 off with their name, Sun Sep 20 / Sat Oct 10 worked, Oct 8–9 ordinary',
    run(async (_, db) => {
      expect(await calendar(db, '2026-09-19', '2026-10-11')).toEqual([
        { date: '2026-09-19', workday: false, name: null }, // Saturday
        { date: '2026-09-20', workday: true, name: ND_MAKEUP }, // Sunday, worked
        { date: '2026-09-21', workday: true, name: null },
        { date: '2026-09-22', workday: true, name: null },
        { date: '2026-09-23', workday: true, name: null },
        { date: '2026-09-24', workday: true, name: null },
        { date: '2026-09-25', workday: false, name: 'Mid-autumn Festival (中秋)' },
        { date: '2026-09-26', workday: false, name: 'Mid-autumn Festival (中秋)' },
        { date: '2026-09-27', workday: false, name: 'Mid-autumn Festival (中秋)' },
        { date: '2026-09-28', workday: true, name: null },
        { date: '2026-09-29', workday: true, name: null },
        { date: '2026-09-30', workday: true, name: null },
        { date: '2026-10-01', workday: false, name: ND },
        { date: '2026-10-02', workday: false, name: ND },
        { date: '2026-10-03', workday: false, name: ND },
        { date: '2026-10-04', workday: false, name: ND },
        { date: '2026-10-05', workday: false, name: ND },
        { date: '2026-10-06', workday: false, name: ND },
        { date: '2026-10-07', workday: false, name: ND },
        { date: '2026-10-08', workday: true, name: null }, // Thursday: not part of the 2026 holiday
        { date: '2026-10-09', workday: true, name: null },
        { date: '2026-10-10', workday: true, name: ND_MAKEUP }, // Saturday, worked
        { date: '2026-10-11', workday: false, name: null }, // Sunday
      ]);
    }),
  );

  it(
    'Spring Festival 2026: Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked',
    run(async (_, db) => {
      expect(await calendar(db, '2026-02-13', '2026-03-01', 'gz.auditor')).toEqual([
        { date: '2026-02-13', workday: true, name: null },
        { date: '2026-02-14', workday: true, name: SF_MAKEUP },
        ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => ({
          date: `2026-02-${d}`,
          workday: false,
          name: SF,
        })),
        { date: '2026-02-24', workday: true, name: null },
        { date: '2026-02-25', workday: true, name: null },
        { date: '2026-02-26', workday: true, name: null },
        { date: '2026-02-27', workday: true, name: null },
        { date: '2026-02-28', workday: true, name: SF_MAKEUP },
        { date: '2026-03-01', workday: false, name: null },
      ]);
    }),
  );

  it(
    'the whole of 2026: 365 days, 248 working days, 39 named days',
    run(async (_, db) => {
      // 261 weekdays (2026 starts on a Thursday), minus 19 weekday holidays (New Year 2, Spring Festival 6,
      // Tomb-sweeping 1, Labour Day 3, Dragon Boat 1, Mid-autumn 1, National Day 5), plus 6 make-up weekend days.
      const days = await calendar(db, '2026-01-01', '2026-12-31');
      expect(days).toHaveLength(365);
      expect(days.filter((d) => d.workday)).toHaveLength(248);
      expect(days.filter((d) => d.name !== null)).toHaveLength(39);
      expect(days[0]).toEqual({
        date: '2026-01-01',
        workday: false,
        name: "New Year's Day (元旦)",
      });
    }),
  );

  it(
    '2027 is not seeded: Monday–Friday, so Fri 2027-01-01 reads as a working day without a name',
    run(async (_, db) => {
      expect(await calendar(db, '2026-12-30', '2027-01-05')).toEqual([
        { date: '2026-12-30', workday: true, name: null },
        { date: '2026-12-31', workday: true, name: null },
        { date: '2027-01-01', workday: true, name: null },
        { date: '2027-01-02', workday: false, name: null },
        { date: '2027-01-03', workday: false, name: null },
        { date: '2027-01-04', workday: true, name: null },
        { date: '2027-01-05', workday: true, name: null },
      ]);
      expect(await calendar(db, '2027-02-10', '2027-02-10')).toEqual([
        { date: '2027-02-10', workday: true, name: null },
      ]);
    }),
  );

  it(
    'at most 731 days; a longer range, `to` before `from` or a malformed date is a GraphQL error',
    run(async (_, db) => {
      const full = await calendar(db, '2026-01-01', '2028-01-01'); // 365 + 365 + 1
      expect(full).toHaveLength(731);
      expect(full.at(-1)).toEqual({ date: '2028-01-01', workday: false, name: null }); // a Saturday

      expectCode(await q(db, 'gd.agent', CALENDAR, { from: '2026-01-01', to: '2028-01-02' }), {
        code: 'VALIDATION',
        field: ['to'],
      });
      expectCode(await q(db, 'gd.agent', CALENDAR, { from: '2026-10-02', to: '2026-10-01' }), {
        code: 'VALIDATION',
        field: ['to'],
      });

      for (const bad of ['2026-02-30', '2026-1-01', 'tomorrow']) {
        const res = await q(db, 'gd.agent', CALENDAR, { from: bad, to: '2026-10-01' });
        expect(res.errors?.length, bad).toBeGreaterThan(0);
        expect(res.data ?? null).toBeNull();
      }
    }),
  );

  it(
    'needs credentials (D55)',
    run(async (_, db) => {
      expectCode(await gql(world().app(db), CALENDAR, { from: '2026-10-01', to: '2026-10-01' }), {
        code: 'UNAUTHENTICATED',
      });
    }),
  );
});

describe('setCalendarDays (ADMIN)', () => {
  it(
    'the bootstrap admin and a province ADMIN upsert days (seeded ones included); calendar() reads them at once',
    run(async (_, db) => {
      // 2027's New Year as the State Council might publish it, and a correction of a seeded day.
      const r = await setDays(db, [
        { date: '2027-01-01', workday: false, name: '  New Year (元旦)  ' },
        { date: '2026-10-08', workday: false, name: 'National Day (extended)' },
      ]);
      expect(r.userErrors).toEqual([]);
      expect(r.days).toEqual([
        { date: '2026-10-08', workday: false, name: 'National Day (extended)' },
        { date: '2027-01-01', workday: false, name: 'New Year (元旦)' },
      ]);
      expect(await calendar(db, '2026-10-08', '2026-10-08')).toEqual([
        { date: '2026-10-08', workday: false, name: 'National Day (extended)' },
      ]);

      const g = await setDays(db, [{ date: '2027-01-01', workday: true }], 'gd.admin'); // no name: cleared
      expect(g).toEqual({
        days: [{ date: '2027-01-01', workday: true, name: null }],
        userErrors: [],
      });
      expect(await calendar(db, '2026-12-31', '2027-01-02')).toEqual([
        { date: '2026-12-31', workday: true, name: null },
        { date: '2027-01-01', workday: true, name: null },
        { date: '2027-01-02', workday: false, name: null },
      ]);
    }),
  );

  it(
    'FORBIDDEN for anyone but an ADMIN (a userError; nothing changes); a partner gets a GraphQL error',
    run(async (_, db) => {
      for (const as of ['gz.handler', 'gd.agent', 'gd.duty']) {
        const r = await setDays(
          db,
          [{ date: '2026-12-02', workday: false, name: 'Not a holiday' }],
          as,
        );
        expect(r.days).toEqual([]);
        expect(r.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
      }
      expect(await calendar(db, '2026-12-02', '2026-12-02')).toEqual([
        { date: '2026-12-02', workday: true, name: null },
      ]);
      expectCode(await q(db, 'partner', SET, { days: [{ date: '2026-12-02', workday: false }] }), {
        code: 'FORBIDDEN',
      });
    }),
  );

  it(
    'VALIDATION: a date given twice, no day at all, a name over 100 characters; a malformed Date never reaches it',
    run(async (_, db) => {
      const dup = await setDays(db, [
        { date: '2026-12-02', workday: false },
        { date: '2026-12-02', workday: true },
      ]);
      expect(dup).toEqual({
        days: [],
        userErrors: [expect.objectContaining({ code: 'VALIDATION', field: ['days', '1', 'date'] })],
      });
      expect(await setDays(db, [])).toMatchObject({
        userErrors: [{ code: 'VALIDATION', field: ['days'] }],
      });
      expect(
        await setDays(db, [{ date: '2026-12-02', workday: false, name: 'x'.repeat(101) }]),
      ).toMatchObject({
        userErrors: [{ code: 'VALIDATION', field: ['days', '0', 'name'] }],
      });
      expect(await calendar(db, '2026-12-02', '2026-12-02')).toEqual([
        { date: '2026-12-02', workday: true, name: null },
      ]);

      // The Date scalar refuses an impossible day as a GraphQL error; the domain function, called
      // directly, answers VALIDATION with the path.
      const bad = await q(db, 'admin', SET, { days: [{ date: '2026-02-30', workday: false }] });
      expect(bad.errors?.length).toBeGreaterThan(0);
      expect(bad.data ?? null).toBeNull();
      const err = await refusal(() =>
        setCalendarDays(
          db,
          defineAbilityFor(world().admin),
          [{ date: '2026-02-30', workday: false }],
          0.8,
        ),
      );
      expect(err).toMatchObject({ code: 'VALIDATION', field: ['days', '0', 'date'] });
    }),
  );
});

describe('setCalendarDays moves the running working-day clocks it affects', () => {
  /** A case whose earliest running clock is RESOLVE: accepted at T0, customer contacted, report submitted. */
  async function resolveFirst(e: Engine) {
    const c = await e.reported('city'); // at T0; INITIAL_INVESTIGATION and ASSIGNMENT stopped
    await e.act('gd.agent', 'CONTACT_CUSTOMER', c, {
      method: 'PHONE',
      content: 'Working on it',
      substantive: true,
    }); // ANSWER (D23), INITIAL_RESULT
    return c;
  }

  it(
    'a weekday inside RESOLVE’s window declared a holiday moves it (and CLOSE, and due_at) one working day later',
    run(async (e, db) => {
      const c = await resolveFirst(e);
      // RESOLVE from Mon 11-23: 15th working day Mon 12-14 → 12-15 00:00; CLOSE 30th Mon 2027-01-04 → 01-05 00:00.
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2026-12-15 00:00') });
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-12-15 00:00'));
      const other = await e.register(); // hours and calendar-day clocks only
      const answerBefore = await clockOf(db, other.id, 'ANSWER');

      const r = await setDays(db, [{ date: '2026-12-02', workday: false, name: 'Typhoon day' }]);
      expect(r.userErrors).toEqual([]);
      // Without Wed 12-02 the 15th working day is Tue 12-15.
      // Warning: 80 % of 11-23 10:00 → 12-16 00:00 (542 h) = 433 h 36 min → 12-11 11:36.
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({
        dueAt: sh('2026-12-16 00:00'),
        warnAt: sh('2026-12-11 11:36'),
      });
      expect(await clockOf(db, c.id, 'CLOSE')).toMatchObject({ dueAt: sh('2027-01-06 00:00') });
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-12-16 00:00'));
      expect(await clockOf(db, other.id, 'ANSWER')).toEqual(answerBefore);
      // Stopped clocks are history: the acceptance and the investigation keep their times.
      expect(await clockOf(db, c.id, 'INITIAL_INVESTIGATION')).toMatchObject({
        state: 'MET',
        stoppedAt: T0,
      });
    }),
  );

  it(
    'a Saturday made a working day moves RESOLVE one working day earlier; a change after its due moves only CLOSE',
    run(async (e, db) => {
      const c = await resolveFirst(e);
      await setDays(db, [{ date: '2026-12-05', workday: true, name: 'Make-up working day' }]);
      // Sat 12-05 becomes the 10th working day: the 15th is Fri 12-11.
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2026-12-12 00:00') });
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-12-12 00:00'));
      // 2027-01-01 declared off: after RESOLVE's due, inside CLOSE's window (now 29 → 30th is 2027-01-05).
      await setDays(db, [{ date: '2027-01-01', workday: false, name: 'New Year (元旦)' }]);
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2026-12-12 00:00') });
      expect(await clockOf(db, c.id, 'CLOSE')).toMatchObject({ dueAt: sh('2027-01-05 00:00') });
    }),
  );

  it(
    'a resumed clock keeps the working days its pauses moved it by',
    run(async (e, db) => {
      const c = await e.accepted();
      world().clock.set(sh('2026-11-24 15:00'));
      await e.act('gd.agent', 'SUSPEND', c, { note: 'Waiting for the customer' });
      world().clock.set(sh('2026-11-26 09:00')); // Tue 11-24 and Wed 11-25 ended meanwhile
      await e.act('gd.agent', 'RESUME', c, {});
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({
        dueAt: sh('2026-12-17 00:00'),
        pausedWorkdays: 2,
      });
      await setDays(db, [{ date: '2026-12-02', workday: false, name: 'Typhoon day' }]);
      // 15 + 2 working days after Mon 11-23 without Wed 12-02: 11-24..27 (1–4), 11-30, 12-01 (5–6),
      // 12-03, 12-04 (7–8), 12-07..11 (9–13), 12-14..17 (14–17) → 24:00 of Thu 12-17.
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({
        dueAt: sh('2026-12-18 00:00'),
        pausedWorkdays: 2,
      });
    }),
  );

  it(
    'a transfer’s own deadline and ASSIGNMENT deadlines are fixed: a calendar change leaves them',
    run(async (e, db) => {
      const own = sh('2026-12-04 17:00');
      const c = await e.register('gd.legal', {
        source: 'GOVERNMENT_TRANSFER',
        externalDeadline: own,
      });
      await e.act('gd.legal', 'ACCEPT', c, {
        businessLine: 'mobile',
        category: 'PROCESS',
        severity: 'ORDINARY',
      });
      await e.act('gd.legal', 'DISPATCH', c, {
        toUnitId: world().units['GD-GZ']!.id,
        deadline: sh('2026-12-03 12:00'),
      });
      await setDays(db, [{ date: '2026-12-02', workday: false }]);
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: own });
      expect(await clockOf(db, c.id, 'ASSIGNMENT')).toMatchObject({
        dueAt: sh('2026-12-03 12:00'),
      });
      expect(await clockOf(db, c.id, 'CLOSE')).toMatchObject({ dueAt: sh('2027-01-06 00:00') }); // a budget: moved
    }),
  );
});

describe('calendar changes and transactions (the cached calendar follows calendar_revision)', () => {
  it('a change rolled back is not seen afterwards, and the next change is not mistaken for it', async () => {
    const w = world();
    // 1. Wed 12-02 declared a holiday, then rolled back.
    await w.tx(async (db) => {
      w.clock.set(T0);
      const c = await engine(w, db).accepted();
      await setDays(db, [{ date: '2026-12-02', workday: false, name: 'Typhoon day' }]);
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2026-12-16 00:00') });
      const later = await engine(w, db).accepted(); // a clock started inside the change sees it
      expect(await clockOf(db, later.id, 'RESOLVE')).toMatchObject({
        dueAt: sh('2026-12-16 00:00'),
      });
    });
    // 2. Straight after, another change (Sat 12-05 worked) before any clock is started: arithmetic must
    //    use the seed plus this change, not the rolled-back calendar of step 1.
    await w.tx(async (db) => {
      w.clock.set(T0);
      await setDays(db, [{ date: '2026-12-05', workday: true, name: 'Make-up working day' }]);
      const c = await engine(w, db).accepted();
      // 11-24..27 (1–4), 11-30..12-04 (5–9, Wed 12-02 a working day again), Sat 12-05 (10), 12-07..11 (11–15).
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2026-12-12 00:00') });
      expect(await calendar(db, '2026-12-02', '2026-12-02')).toEqual([
        { date: '2026-12-02', workday: true, name: null },
      ]);
    });
    // 3. A fresh transaction: the seeded calendar only.
    await w.tx(async (db) => {
      w.clock.set(T0);
      const c = await engine(w, db).accepted();
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2026-12-15 00:00') });
      world().clock.advance(HOUR);
      expect(await calendar(db, '2026-12-02', '2026-12-05')).toEqual([
        { date: '2026-12-02', workday: true, name: null },
        { date: '2026-12-03', workday: true, name: null },
        { date: '2026-12-04', workday: true, name: null },
        { date: '2026-12-05', workday: false, name: null },
      ]);
    });
  });
});
