import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { complaintsWhere } from '../../src/auth/sql.js';
import type { Db } from '../../src/db/client.js';
import { calendarDays, calendarYears, slaClocks } from '../../src/db/schema.js';
import { importCalendarYear, setCalendarDays } from '../../src/domain/calendar.js';
import { LineRegistry } from '../../src/domain/lines.js';
import { definePlugin } from '../../src/domain/plugin.js';
import { assessment } from '../../src/domain/stats.js';
import { calendarWarnings, reportCalendarWarnings } from '../../src/sla/calendar-years.js';
import { scanAll } from '../../src/sla/scanner.js';
import { type Engine, engine, MOBILE } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { iterations, prng } from '../support/random.js';
import { T0, type World } from '../support/world.js';
import {
  caseDueAt,
  clockOf,
  clocksOf,
  DAY,
  eventsOf,
  expectClocks,
  HOUR,
  refusal,
  runningKinds,
  served,
  sh,
  useClockWorld,
} from './helpers.js';

/**
 * DOMAIN §4 as revised (D8, D10, D23–D27, D31): the edges of the clocks a
 * regulator judges the centre by. Each `describe` is one point of issue #17,
 * written to fail on the code before it. T0 is Mon 2026-11-23 10:00 +08:00;
 * the seeded calendar covers 2004–2026, and 2027 counts Monday–Friday until
 * an administrator loads it.
 */

const { world, run, at } = useClockWorld();
const _runWith =
  (line: ReturnType<typeof definePlugin>, fn: (e: Engine, db: Db, w: World) => Promise<void>) =>
  () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const w = { ...world(), lines: new LineRegistry([...world().lines.all(), line]) };
      await fn(engine(w, db), db, w);
    });

const NOTE = { note: 'Waiting for the customer' };
const TRANSFER = { source: 'REGULATOR_TRANSFER', externalRef: 'GDCA-2026-1188' } as const;

/** A line whose RESOLVE is 3 working days, to reach a due time within a test. */
const _shortLine = definePlugin({
  code: 'short-resolve',
  name: 'Short RESOLVE',
  details: z.strictObject({}),
  clocks: { RESOLVE: { workingDays: 3 } },
});

it('runs in the time zone its vitest project sets (UTC, and again in Asia/Shanghai)', () => {
  const offset = new Date('2026-06-01T00:00:00Z').getTimezoneOffset();
  expect(process.env.TZ).toMatch(/^(UTC|Asia\/Shanghai)$/);
  expect(offset).toBe(process.env.TZ === 'Asia/Shanghai' ? -480 : 0);
});

describe('D24: a transfer’s fixed deadline never moves and never waits', () => {
  it(
    'D24 D20: suspended 5 days, a regulator transfer’s RESOLVE stays due at its deadline (and is alerted while suspended)',
    run(async (e, db) => {
      const c = await e.accepted({ ...TRANSFER, externalDeadline: sh('2026-11-30 18:00') });
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({
        dueAt: sh('2026-11-30 18:00'),
        fixed: true,
        budget: null,
      });
      at('2026-11-24 10:00');
      await e.act('gd.legal', 'SUSPEND', c, NOTE);
      // Everything else waits for the customer; the regulator's deadline does not.
      await expectClocks(db, c.id, {
        RESOLVE: {
          pausedAt: null,
          state: 'RUNNING',
        },
        CLOSE: {
          pausedAt: sh('2026-11-24 10:00'),
          state: 'PAUSED',
        },
      });
      at('2026-11-29 10:00');
      await e.act('gd.legal', 'RESUME', c, {});
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2026-11-30 18:00') });

      // Suspended again past the deadline: the scanner breaches it all the same.
      await e.act('gd.legal', 'SUSPEND', c, NOTE);
      at('2026-12-01 09:00');
      await scanAll(db, world().clock.now());
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({
        breached: true,
        state: 'BREACHED',
        dueAt: sh('2026-11-30 18:00'),
      });
      // D74: the feedback to the regulator, due at the same fixed deadline, breaches with it.
      expect(
        (await eventsOf(db, c.id))
          .filter((x) => x.action === 'SLA_BREACH')
          .map((x) => (x.payload as { clock: string }).clock)
          .sort(),
      ).toEqual(['FEEDBACK', 'RESOLVE']);
    }),
  );

  it(
    'D24: an ASSIGNMENT under a fixed RESOLVE is cut back to it after a pause moved it',
    run(async (e, db, w) => {
      const c = await e.accepted({ ...TRANSFER, externalDeadline: sh('2026-11-30 18:00') });
      await e.act('gd.legal', 'DISPATCH', c, {
        toUnitId: w.units['GD-GZ']!.id,
        deadline: sh('2026-11-30 12:00'),
      });
      at('2026-11-24 10:00');
      await e.act('gz.handler', 'SUSPEND', c, NOTE); // DISPATCHED: the receiving unit holds it (D53)
      at('2026-11-26 10:00');
      await e.act('gz.handler', 'RESUME', c, {});
      // Moved by the 48 h paused (12-02 12:00), then cut back to RESOLVE's fixed 11-30 18:00.
      expect(await clockOf(db, c.id, 'ASSIGNMENT')).toMatchObject({
        dueAt: sh('2026-11-30 18:00'),
      });
      const a = await clockOf(db, c.id, 'ASSIGNMENT');
      expect(a.warnAt!.getTime()).toBeLessThanOrEqual(a.dueAt!.getTime());
    }),
  );
});

describe('D25: reopening restarts the work’s clocks', () => {
  it(
    'D25: a second callback UNSATISFIED starts RECONTACT, RESOLVE and CLOSE; ARCHIVE ends CANCELLED; a delegation is capped by the new RESOLVE',
    run(async (e, db, w) => {
      const c = await e.closed('city', {}, 'fixed-line'); // fixed-line: a second callback is always owed (D14)
      expect(await runningKinds(db, c.id)).toEqual(['ARCHIVE']);
      at('2026-11-24 10:00');
      const reopened = await e.act('gd.agent', 'RECORD_CALLBACK', c, {
        result: 'UNSATISFIED',
        note: 'Still noisy',
      });
      expect(reopened).toMatchObject({ status: 'INVESTIGATING', reopenCount: 1 });
      expect(await runningKinds(db, c.id)).toEqual(['CLOSE', 'RECONTACT', 'RESOLVE']);
      const all = await clocksOf(db, c.id);
      expect(all.filter((x) => x.kind === 'ARCHIVE').map((x) => x.state)).toEqual(['CANCELLED']);
      // From Tue 11-24 10:00: 15 working days → end of Tue 12-15.
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({
        startedAt: sh('2026-11-24 10:00'),
        dueAt: sh('2026-12-16 00:00'),
        budget: { workingDays: 15 },
      });
      // The earlier clocks keep the state they ended in.
      expect(all.filter((x) => x.kind === 'RESOLVE').map((x) => x.state)).toEqual([
        'MET',
        'RUNNING',
      ]);
      expect(all.filter((x) => x.kind === 'CLOSE').map((x) => x.state)).toEqual(['MET', 'RUNNING']);

      // A delegation on the reopened case may not outrun RESOLVE: a 400-day deadline is refused.
      const far = await refusal(() =>
        e.act('gz.handler', 'DELEGATE', c, {
          toUnitId: w.units['GD-GZ-TH']!.id,
          deadline: new Date(T0.getTime() + 400 * DAY),
        }),
      );
      expect(far).toMatchObject({ code: 'VALIDATION', field: ['input', 'deadline'] });
      await e.act('gz.handler', 'DELEGATE', c, {
        toUnitId: w.units['GD-GZ-TH']!.id,
        deadline: sh('2026-12-10 18:00'),
      });
    }),
  );

  it(
    'D25 D26: a CLOSE that had breached ends MISSED at the reopening; a transfer reopens with its fixed deadline',
    run(async (e, db) => {
      const c = await e.replied();
      at('2027-01-10 10:00'); // past CLOSE's 30 working days (01-05 00:00)
      await scanAll(db, world().clock.now());
      expect(await clockOf(db, c.id, 'CLOSE')).toMatchObject({ breached: true });
      await e.act('gd.agent', 'RECORD_CALLBACK', c, {
        result: 'UNSATISFIED',
        note: 'Nothing changed',
      });
      const closes = (await clocksOf(db, c.id)).filter((x) => x.kind === 'CLOSE');
      expect(closes.map((x) => [x.state, x.stoppedAt])).toEqual([
        ['MISSED', sh('2027-01-10 10:00')],
        ['RUNNING', null],
      ]);

      at('2026-11-23 10:00');
      const t = await e.replied('city', { ...TRANSFER, externalDeadline: sh('2026-12-20 18:00') });
      at('2026-11-25 10:00');
      await e.act('gd.legal', 'RECORD_CALLBACK', t, {
        result: 'UNSATISFIED',
        note: 'Still unresolved',
      });
      const resolves = (await clocksOf(db, t.id)).filter((x) => x.kind === 'RESOLVE');
      expect(resolves.map((x) => [x.state, x.dueAt, x.fixed])).toEqual([
        ['MET', sh('2026-12-20 18:00'), true],
        ['RUNNING', sh('2026-12-20 18:00'), true],
      ]);
    }),
  );

  it(
    'D25: Complaint.clocks lists every clock the case ever had, oldest first',
    run(async (e, db) => {
      const c = await e.replied();
      at('2026-11-24 10:00');
      await e.act('gd.agent', 'RECORD_CALLBACK', c, {
        result: 'UNSATISFIED',
        note: 'Still no signal',
      });
      const res = await gql(
        world().app(db),
        `query ($n: String!) { complaint(number: $n) { clocks { kind state startedAt } } }`,
        { n: c.number },
        { token: await world().token('gd.agent') },
      );
      expect(res.errors).toBeUndefined();
      const clocks = res.data.complaint.clocks as {
        kind: string;
        state: string;
        startedAt: string;
      }[];
      expect(clocks).toHaveLength((await clocksOf(db, c.id)).length);
      const starts = clocks.map((k) => Date.parse(k.startedAt));
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
      expect(clocks.filter((k) => k.kind === 'CLOSE').map((k) => k.state)).toEqual([
        'CANCELLED',
        'RUNNING',
      ]);
      expect(clocks.filter((k) => k.kind === 'RESOLVE').map((k) => k.state)).toEqual([
        'MET',
        'RUNNING',
      ]);
    }),
  );
});

describe('D24: clocks started on a suspended case start PAUSED', () => {
  it(
    'D24: accepting a suspended case starts four PAUSED clocks, leaves it suspended, and nothing breaches until it resumes',
    run(async (e, db) => {
      const c = await e.register();
      await e.act('gd.agent', 'SUSPEND', c, NOTE);
      at('2026-11-23 12:00');
      const accepted = await e.act('gd.agent', 'ACCEPT', c, MOBILE);
      expect(accepted).toMatchObject({ status: 'ACCEPTED', suspended: true });
      const started = (await clocksOf(db, c.id)).filter((x) =>
        ['INITIAL_INVESTIGATION', 'INITIAL_RESULT', 'RESOLVE', 'CLOSE'].includes(x.kind),
      );
      expect(started.map((x) => [x.kind, x.state, x.pausedAt]).sort()).toEqual(
        ['CLOSE', 'INITIAL_INVESTIGATION', 'INITIAL_RESULT', 'RESOLVE'].map((k) => [
          k,
          'PAUSED',
          sh('2026-11-23 12:00'),
        ]),
      );
      expect(await caseDueAt(db, c.id)).toBeNull(); // nothing runs
      at('2026-11-27 12:00'); // past the 48 h and 72 h of the initial clocks
      expect(await scanAll(db, world().clock.now())).toMatchObject({ warnings: 0, breaches: 0 });
      await e.act('gd.agent', 'RESUME', c, {});
      // 96 h paused: INITIAL_INVESTIGATION (48 h from 11-23 12:00) is now due 48 h after the resume.
      await expectClocks(db, c.id, {
        INITIAL_INVESTIGATION: {
          dueAt: sh('2026-11-29 12:00'),
          state: 'RUNNING',
          pausedAt: null,
        },
        // RESOLVE: 15 working days from Mon 11-23 → 12-15 00:00, moved by the 4 working days that ended
        // while paused (Mon–Thu) → the end of Fri 12-18.
        RESOLVE: {
          dueAt: sh('2026-12-19 00:00'),
          pausedWorkdays: 4,
        },
      });
    }),
  );
});

/** ACCEPTED (RESOLVE due 12-15 00:00) and dispatched to GD-GZ with a deadline of 12-14 18:00. */
async function dispatchedToGz(e: Engine, w: World) {
  const c = await e.accepted();
  await e.act('gd.agent', 'DISPATCH', c, {
    toUnitId: w.units['GD-GZ']!.id,
    deadline: sh('2026-12-14 18:00'),
  });
  return c;
}

describe('D24: ASSIGNMENT never ends after RESOLVE, whenever either moves', () => {
  it(
    'D24: a pause moves ASSIGNMENT by wall-clock time and RESOLVE by working days; ASSIGNMENT is cut back to RESOLVE',
    run(async (e, db, w) => {
      const c = await dispatchedToGz(e, w);
      at('2026-12-11 18:00'); // Friday evening
      await e.act('gz.handler', 'SUSPEND', c, NOTE);
      at('2026-12-14 09:00'); // Monday morning: 63 h, and one working day (Fri) ended
      await e.act('gz.handler', 'RESUME', c, {});
      await expectClocks(db, c.id, {
        RESOLVE: { dueAt: sh('2026-12-16 00:00') },
        // 12-14 18:00 + 63 h = 12-17 09:00, after RESOLVE: cut back.
        ASSIGNMENT: {
          dueAt: sh('2026-12-16 00:00'),
        },
      });
    }),
  );

  it(
    'D24: a calendar change that brings RESOLVE forward brings ASSIGNMENT with it',
    run(async (e, db, w) => {
      const c = await dispatchedToGz(e, w);
      const admin = world().staff['gd.admin']!;
      await setCalendarDays(
        db,
        defineAbilityFor(admin),
        [{ date: '2026-12-05', workday: true, name: 'Make-up day' }],
        0.8,
      );
      await expectClocks(db, c.id, {
        RESOLVE: { dueAt: sh('2026-12-12 00:00') },
        ASSIGNMENT: {
          dueAt: sh('2026-12-12 00:00'),
        },
      });
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-11-25 10:00'));
    }),
  );

  // 2 rounds in `npm test`, 6 in `npm run test:full`; CLOCK_PROPERTY_SEED reproduces a failing run.
  const seed = Number(process.env.CLOCK_PROPERTY_SEED ?? 20261206);
  it(`D24 property: random suspend/resume/calendar sequences never leave ASSIGNMENT after RESOLVE, never move a fixed deadline, keep warning ≤ due (CLOCK_PROPERTY_SEED=${seed})`, () =>
    world().tx(async (db) => {
      const rnd = prng(seed).next;
      const admin = defineAbilityFor(world().staff['gd.admin']!);
      for (let round = 0; round < iterations(2, 6); round++) {
        world().clock.set(new Date(T0.getTime() + round * 7 * DAY));
        const e = engine(world(), db);
        const fixed =
          rnd() < 0.5
            ? new Date(world().clock.now().getTime() + (5 + Math.floor(rnd() * 20)) * DAY)
            : null;
        const c = await e.accepted(fixed ? { ...TRANSFER, externalDeadline: fixed } : {});
        const resolveDue = (await clockOf(db, c.id, 'RESOLVE')).dueAt!;
        await e.act(c.legalOwned ? 'gd.legal' : 'gd.agent', 'DISPATCH', c, {
          toUnitId: world().units['GD-GZ']!.id,
          deadline: new Date(resolveDue.getTime() - Math.floor(rnd() * 3 * DAY) - HOUR),
        });
        let suspended = false;
        for (let step = 0; step < 8; step++) {
          world().clock.advance(Math.floor(rnd() * 3 * DAY) + HOUR);
          const r = rnd();
          if (r < 0.4) {
            await e.act('gz.handler', suspended ? 'RESUME' : 'SUSPEND', c, NOTE);
            suspended = !suspended;
          } else if (r < 0.7) {
            const day = new Date(world().clock.now().getTime() + Math.floor(rnd() * 20) * DAY)
              .toISOString()
              .slice(0, 10);
            await setCalendarDays(
              db,
              admin,
              [{ date: day, workday: rnd() < 0.5, name: 'property' }],
              0.8,
            );
          }
          const running = await db
            .select()
            .from(slaClocks)
            .where(and(eq(slaClocks.complaintId, c.id), isNull(slaClocks.stoppedAt)));
          const resolve = running.find((k) => k.kind === 'RESOLVE')!;
          const assignment = running.find((k) => k.kind === 'ASSIGNMENT')!;
          const ctx = `seed ${seed}, round ${round}, step ${step}`;
          expect(assignment.dueAt!.getTime(), ctx).toBeLessThanOrEqual(resolve.dueAt!.getTime());
          if (fixed) expect(resolve.dueAt, ctx).toEqual(fixed);
          for (const k of running)
            if (k.warnAt && k.dueAt)
              expect(k.warnAt.getTime(), `${ctx} ${k.kind}`).toBeLessThanOrEqual(k.dueAt.getTime());
        }
      }
    }));
});

describe('D24: a working-day clock’s warning moves by the same rule as its due time', () => {
  it(
    'D24: suspended over Spring Festival 2026, RESOLVE’s warning moves by the 3 working days that ended, staying before its due',
    run(async (e, db) => {
      at('2026-02-12 15:00'); // Thursday; RESOLVE due 03-12 00:00, warns at 80 % → Fri 03-06 12:36
      const c = await e.accepted();
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({
        dueAt: sh('2026-03-12 00:00'),
        warnAt: sh('2026-03-06 12:36'),
      });
      at('2026-02-13 09:00');
      await e.act('gd.agent', 'SUSPEND', c, NOTE);
      at('2026-02-25 09:00'); // 12 days paused; working days ended: Fri 02-13, Sat 02-14 (make-up), Tue 02-24
      await e.act('gd.agent', 'RESUME', c, {});
      // Both move 3 working days: the due to 03-17 00:00, the warning to Wed 03-11 12:36 (by wall-clock time it would be 03-18, after the due).
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({
        dueAt: sh('2026-03-17 00:00'),
        warnAt: sh('2026-03-11 12:36'),
      });
    }),
  );
});

describe('D26 D31: clocks that could not be met are not met', () => {
  it(
    'D26: withdrawn, rejected-then-archived and archived cases record CANCELLED for the steps nobody took; a BREACHED clock stays MISSED',
    run(async (e, db, w) => {
      const withdrawn = await e.accepted();
      await e.act('gd.agent', 'DISPATCH', withdrawn, {
        toUnitId: w.units['GD-GZ']!.id,
        deadline: e.deadline(),
      });
      at('2026-11-26 10:00'); // INITIAL_INVESTIGATION (48 h) has breached
      await scanAll(db, world().clock.now());
      await e.act('gd.agent', 'WITHDRAW', withdrawn, { note: 'The customer withdrew' });
      const states = Object.fromEntries(
        (await clocksOf(db, withdrawn.id)).map((k) => [k.kind, k.state]),
      );
      expect(states).toMatchObject({
        INITIAL_INVESTIGATION: 'MISSED',
        INITIAL_RESULT: 'MISSED',
        RESOLVE: 'CANCELLED',
        CLOSE: 'CANCELLED',
        ASSIGNMENT: 'CANCELLED',
        ANSWER: 'CANCELLED',
      });

      at('2026-11-23 10:00');
      const closed = await e.closed();
      await e.act('gd.agent', 'ARCHIVE', closed, {});
      expect(
        (await clocksOf(db, closed.id)).filter((k) => k.state === 'MET' && k.kind === 'ARCHIVE'),
      ).toHaveLength(1);
      expect(await runningKinds(db, closed.id)).toEqual([]);
    }),
  );

  it(
    'D26 D31: assessment counts CANCELLED and PAUSED clocks in no rate; a clock paused past its old due is not late',
    run(async (e, db) => {
      const viewer = world().staff['gd.agent']!;
      const readable = complaintsWhere(defineAbilityFor(viewer), 'read');
      const rows = async () =>
        (
          await assessment(
            db,
            readable,
            world().units.GD!,
            sh('2026-11-01 00:00'),
            sh('2027-02-01 00:00'),
            'UNIT',
            world().clock.now(),
          )
        )
          .flatMap((r) => r.clocks)
          .reduce<Record<string, { total: number; onTime: number }>>((acc, k) => {
            const a = (acc[k.clock] ??= { total: 0, onTime: 0 });
            a.total += k.total;
            a.onTime += k.onTime;
            return acc;
          }, {});

      const withdrawn = await e.accepted();
      await e.act('gd.agent', 'WITHDRAW', withdrawn, { note: 'Withdrawn at once' });
      const paused = await e.accepted();
      await e.act('gd.agent', 'SUSPEND', paused, NOTE);
      at('2026-12-20 10:00'); // long past RESOLVE's old due (12-15 00:00) and INITIAL_* of the paused case
      const r = await rows();
      // Nothing was judged: no RESOLVE, CLOSE, INITIAL_* in any rate (before D26 they were 2 MET and 1 late).
      for (const kind of ['RESOLVE', 'CLOSE', 'INITIAL_INVESTIGATION', 'INITIAL_RESULT', 'ANSWER'])
        expect(r[kind]?.total ?? 0, kind).toBe(0);
      expect(r.ACCEPT).toEqual({ total: 2, onTime: 2 });
    }),
  );
});

describe('D10 D23: what stops ANSWER', () => {
  it(
    'D23: over the API, contactCustomer(substantive: true) stops ANSWER; a progress note (the default) does not',
    run(async (e, db) => {
      const c = await e.accepted();
      const app = world().app(db);
      const token = await world().token('gd.agent');
      const M = `mutation ($i: ContactCustomerInput!) { contactCustomer(input: $i) { complaint { clocks { kind state } } userErrors { code } } }`;
      const id = (
        await gql(
          app,
          `query ($n: String!) { complaint(number: $n) { id } }`,
          { n: c.number },
          { token },
        )
      ).data.complaint.id;
      const answer = async (substantive?: boolean) => {
        const res = await gql(
          app,
          M,
          {
            i: {
              id,
              method: 'PHONE',
              content: 'About your case',
              ...(substantive === undefined ? {} : { substantive }),
            },
          },
          { token },
        );
        expect(res.errors).toBeUndefined();
        return (
          res.data.contactCustomer.complaint.clocks as { kind: string; state: string }[]
        ).find((k) => k.kind === 'ANSWER')!.state;
      };
      expect(await answer()).toBe('RUNNING');
      expect(await answer(false)).toBe('RUNNING');
      expect(await answer(true)).toBe('MET');
      expect((await e.reload(c)).answeredAt).toEqual(T0);
    }),
  );
});

describe('D8: the acceptance window is measured to when the event occurred', () => {
  it(
    'D8: a mobile event 25 months old is refused on occurredAt (reject it as EXPIRED); 23 months is accepted',
    run(async (e) => {
      const old = await e.register('gd.agent', {
        occurredAt: new Date(T0.getTime() - 25 * 30.5 * DAY),
      });
      const err = await e.refused('gd.agent', 'ACCEPT', old, MOBILE);
      expect(err).toMatchObject({ code: 'VALIDATION', field: ['input', 'occurredAt'] });
      expect(err.message).toMatch(/24-month acceptance window/);
      await e.act('gd.agent', 'REJECT', old, { reason: 'EXPIRED', note: 'Past the time bar' });

      const recent = await e.register('gd.agent', {
        occurredAt: new Date(T0.getTime() - 23 * 30.5 * DAY),
      });
      expect(await e.act('gd.agent', 'ACCEPT', recent, MOBILE)).toMatchObject({
        status: 'ACCEPTED',
      });
    }),
  );

  it(
    'D8: occurredAt given at acceptance counts; a billing dispute without it counts from the first day of its billing period',
    run(async (e) => {
      const late = await e.register();
      const err = await e.refused('gd.agent', 'ACCEPT', late, {
        ...MOBILE,
        occurredAt: sh('2024-06-01 00:00'),
      });
      expect(err).toMatchObject({ code: 'VALIDATION', field: ['input', 'occurredAt'] });
      expect((await e.reload(late)).occurredAt).toBeNull(); // refused: nothing stored

      const billing = {
        businessLine: 'billing-dispute',
        category: 'BILLING_DISPUTE',
        severity: 'ORDINARY',
      } as const;
      // 5 months back from 2026-11-23 is 2026-06-23: the May bill (from 05-01) is too old, the July bill is not.
      const may = await e.register('gd.agent', {
        businessLine: 'billing-dispute',
        details: { billingPeriod: '2026-05' },
      });
      expect(await e.refused('gd.agent', 'ACCEPT', may, billing)).toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'occurredAt'],
      });
      const july = await e.register('gd.agent', {
        businessLine: 'billing-dispute',
        details: { billingPeriod: '2026-07' },
      });
      expect(await e.act('gd.agent', 'ACCEPT', july, billing)).toMatchObject({
        status: 'ACCEPTED',
      });
      // occurredAt, when given, wins over the billing period.
      const given = await e.register('gd.agent', {
        businessLine: 'billing-dispute',
        details: { billingPeriod: '2026-05' },
      });
      expect(
        await e.act('gd.agent', 'ACCEPT', given, {
          ...billing,
          occurredAt: sh('2026-08-15 00:00'),
        }),
      ).toMatchObject({ occurredAt: sh('2026-08-15 00:00') });
      // Without either, the contact: registered now, inside any window.
      expect(await e.act('gd.agent', 'ACCEPT', await e.register(), MOBILE)).toMatchObject({
        status: 'ACCEPTED',
        occurredAt: null,
      });
    }),
  );

  it(
    'D8: occurredAt in the future is a VALIDATION error at registration and acceptance, and the API serves it',
    run(async (e, db) => {
      await expect(
        e.register('gd.agent', { occurredAt: new Date(T0.getTime() + HOUR) }),
      ).rejects.toMatchObject({ code: 'VALIDATION', field: ['input', 'occurredAt'] });
      const c = await e.register('gd.agent', { occurredAt: sh('2026-11-20 08:30') });
      expect(
        await e.refused('gd.agent', 'ACCEPT', c, {
          ...MOBILE,
          occurredAt: new Date(T0.getTime() + DAY),
        }),
      ).toMatchObject({ code: 'VALIDATION', field: ['input', 'occurredAt'] });
      const res = await gql(
        world().app(db),
        `query ($n: String!) { complaint(number: $n) { occurredAt } }`,
        { n: c.number },
        { token: await world().token('gd.agent') },
      );
      expect(res.data.complaint.occurredAt).toBe(served('2026-11-20 08:30'));
    }),
  );
});

describe('D27: the calendar must reach ahead', () => {
  const BRIEFING = `{ dutyBriefing { warnings } }`;
  const warningsOf = async (db: Db, username: string) => {
    const res = await gql(world().app(db), BRIEFING, {}, { token: await world().token(username) });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data.dutyBriefing.warnings as string[];
  };
  /** /readyz pings the database itself, so it reads outside the test's transaction (the warnings only read). */
  const readyz = async () => {
    const res = await world().app(world().database.db).yoga.fetch('http://test/readyz');
    return { status: res.status, text: await res.text() };
  };
  const metric = async (db: Db) => {
    const text = await (await world().app(db).yoga.fetch('http://test/metrics')).text();
    return Number(/^sla_calendar_warnings (\d+)/m.exec(text)?.[1]);
  };

  it('D27: /readyz says from 1 November that next year is missing, and stays 200', async () => {
    at('2026-10-31 23:59');
    expect(await readyz()).toEqual({ status: 200, text: 'ready\n' });
    at('2026-11-01 00:00');
    const [warning] = await calendarWarnings(world().database.db, world().clock.now());
    expect(warning).toMatch(/statutory calendar of 2027 is not loaded/);
    expect(await readyz()).toEqual({ status: 200, text: `ready\nwarning: ${warning}\n` });
  });

  it('D27: from 1 November until next year is loaded: /metrics, ADMIN’s and DUTY_MANAGER’s briefing, the start-up log', () =>
    world().tx(async (db) => {
      at('2026-10-31 23:59');
      expect(await calendarWarnings(db, world().clock.now())).toEqual([]);
      expect(await metric(db)).toBe(0);
      expect(await warningsOf(db, 'gd.duty')).toEqual([]);

      at('2026-11-01 00:00');
      const [warning] = await calendarWarnings(db, world().clock.now());
      expect(warning).toMatch(/statutory calendar of 2027 is not loaded/);
      expect(await metric(db)).toBe(1);
      expect(await warningsOf(db, 'gd.duty')).toEqual([warning]);
      expect(await warningsOf(db, 'gz.duty')).toEqual([warning]);
      expect(await warningsOf(db, 'gd.admin')).toEqual([warning]);
      expect(await warningsOf(db, 'admin')).toEqual([warning]); // the bootstrap administrator, of no unit
      expect(await warningsOf(db, 'gd.agent')).toEqual([]);
      const logged: string[] = [];
      await reportCalendarWarnings(db, world().clock.now(), (w) => logged.push(w));
      expect(logged).toEqual([warning]);

      // Loading 2027 ends every warning.
      await importCalendarYear(
        db,
        defineAbilityFor(world().staff['gd.admin']!),
        world().staff['gd.admin']!,
        { year: 2027, days: [{ date: '2027-01-01', workday: false, name: '元旦' }] },
        0.8,
        world().clock.now(),
      );
      expect(await calendarWarnings(db, world().clock.now())).toEqual([]);
      expect(await metric(db)).toBe(0);
      expect(await warningsOf(db, 'gd.duty')).toEqual([]);
    }));

  it('D27: a year with no data counts Monday–Friday and says so', () =>
    world().tx(async (db) => {
      at('2028-03-01 10:00');
      const warnings = await calendarWarnings(db, world().clock.now());
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /statutory calendar of 2028 is not loaded: working days in 2028 are counted Monday–Friday/,
      );
      at('2028-11-02 10:00');
      expect(await calendarWarnings(db, world().clock.now())).toHaveLength(2);
    }));

  it(
    'D27: importCalendarYear moves a running 15-working-day clock across a new holiday, in one transaction, ADMIN only',
    run(async (e, db) => {
      at('2026-12-21 10:00'); // Monday
      const c = await e.accepted();
      // 2027 not loaded: Fri 01-01 counts; the 15th working day is Mon 01-11.
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2027-01-12 00:00') });
      const M = `mutation ($i: CalendarYearInput!) { importCalendarYear(input: $i) { days { date workday name } userErrors { code field message } } }`;
      const input = {
        year: 2027,
        days: [
          { date: '2027-01-01', workday: false, name: '元旦' },
          { date: '2027-02-06', workday: true, name: '春节调休' },
        ],
      };
      const app = world().app(db);

      const agent = await gql(app, M, { i: input }, { token: await world().token('gd.agent') });
      expect(agent.data.importCalendarYear.userErrors).toMatchObject([{ code: 'FORBIDDEN' }]);
      const wrongYear = await gql(
        app,
        M,
        { i: { ...input, days: [...input.days, { date: '2028-01-01', workday: false }] } },
        { token: await world().token('gd.admin') },
      );
      expect(wrongYear.data.importCalendarYear.userErrors).toMatchObject([
        { code: 'VALIDATION', field: ['input', 'days', '2', 'date'] },
      ]);
      expect(await db.select().from(calendarYears).where(eq(calendarYears.year, 2027))).toEqual([]);
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2027-01-12 00:00') });

      const ok = await gql(app, M, { i: input }, { token: await world().token('gd.admin') });
      expect(ok.data.importCalendarYear).toEqual({
        days: input.days.map((d) => ({ ...d })),
        userErrors: [],
      });
      expect(await clockOf(db, c.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2027-01-13 00:00') });
      const year = await db.select().from(calendarYears).where(eq(calendarYears.year, 2027));
      expect(year).toMatchObject([{ year: 2027, loadedBy: world().staff['gd.admin']!.id }]);

      // A second import replaces the year: the make-up day goes, 01-01 stays off.
      await gql(
        app,
        M,
        { i: { year: 2027, days: [input.days[0]] } },
        { token: await world().token('gd.admin') },
      );
      const stored = await db
        .select()
        .from(calendarDays)
        .where(eq(calendarDays.date, '2027-02-06'));
      expect(stored).toEqual([]);
    }),
  );
});
