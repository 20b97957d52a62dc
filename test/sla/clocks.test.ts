import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '../../src/db/client.js';
import { assignments } from '../../src/db/schema.js';
import { DomainError } from '../../src/domain/errors.js';
import { LineRegistry } from '../../src/domain/lines.js';
import { definePlugin } from '../../src/domain/plugin.js';
import { cityTrail, engine, MOBILE } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { HOUR, MINUTE, served, sh } from '../support/time.js';
import { T0, type World } from '../support/world.js';
import {
  caseDueAt,
  clockOf,
  clocksOf,
  eventsOf,
  expectClocks,
  refusal,
  runningKinds,
  useClockWorld,
} from './helpers.js';

/**
 * DOMAIN §4 through the lifecycle engine: which clocks each action starts and
 * stops (rows of `sla_clocks`, written in the transition's own transaction),
 * their hand-computed due times, D20's overrides, pause and resume, the
 * case's `due_at`, and `Complaint.clocks` as the API serves it.
 *
 * Hand computations use the seeded calendar (migrations/0003_calendar_seed.sql).
 * Nov–Dec 2026 holds no statutory day; 2027 is not seeded, so it falls back
 * to Monday–Friday (Fri 2027-01-01 counts as a working day until an
 * administrator publishes 2027). T0 is Mon 2026-11-23 10:00 +08:00.
 */

const { world, run, at } = useClockWorld();

const NOTE = { note: 'Waiting for the customer to send the bill' };
const CONTACT = { method: 'PHONE', content: 'We are looking into it.' } as const;

/** A business line of this test only: its own budgets (D20) and a hook that can refuse a transition. */
const slaTestLine = definePlugin({
  code: 'sla-test',
  name: 'SLA test line',
  details: z.strictObject({ refuse: z.boolean().optional() }),
  clocks: { RESOLVE: { workingDays: 5 }, REPLY: { hours: 4 } },
  hooks: {
    beforeTransition(ctx) {
      if (ctx.details?.refuse === true && ctx.action === 'ACCEPT')
        throw new DomainError('INVALID_TRANSITION', 'refused by the line');
    },
  },
});
const withTestLine = (w: World): World => ({
  ...w,
  lines: new LineRegistry([...w.lines.all(), slaTestLine]),
});

describe('§4 clock table: what each action starts and stops', () => {
  it(
    'register starts REGISTER (stopped at once: measured, not alerted), ACCEPT (24 h) and ANSWER (15 days)',
    run(async (e, db) => {
      const c = await e.register('gd.agent', { contactAt: new Date(T0.getTime() - 4 * MINUTE) });
      const rows = await clocksOf(db, c.id);
      expect(rows.map((r) => r.kind).sort()).toEqual(['ACCEPT', 'ANSWER', 'REGISTER']);

      // D6: contact 09:56 → registered 10:00, within 10 minutes (due 10:06): MET.
      await expectClocks(db, c.id, {
        REGISTER: {
          startedAt: sh('2026-11-23 09:56'),
          dueAt: sh('2026-11-23 10:06'),
          stoppedAt: T0,
          state: 'MET',
          budget: { minutes: 10 },
        },
        // ACCEPT: 24 wall-clock hours → Tue 10:00; warns at 80 % = 19 h 12 min → Tue 05:12.
        ACCEPT: {
          startedAt: T0,
          dueAt: sh('2026-11-24 10:00'),
          warnAt: sh('2026-11-24 05:12'),
          stoppedAt: null,
          pausedAt: null,
          state: 'RUNNING',
          budget: { hours: 24 },
          assignmentId: null,
          warned: false,
          breached: false,
        },
        // ANSWER: 15 calendar days (not working days) → Tue 2026-12-08 10:00; 80 % = 12 days → Sat 12-05 10:00.
        ANSWER: {
          startedAt: T0,
          dueAt: sh('2026-12-08 10:00'),
          warnAt: sh('2026-12-05 10:00'),
          state: 'RUNNING',
          budget: { days: 15 },
        },
      });
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-11-24 10:00'));

      // A contact made 25 minutes before registration misses D6's 10 minutes.
      const late = await e.register('gd.agent', {
        contactAt: new Date(T0.getTime() - 25 * MINUTE),
      });
      expect(await clockOf(db, late.id, 'REGISTER')).toMatchObject({
        dueAt: sh('2026-11-23 09:45'),
        stoppedAt: T0,
        state: 'MISSED',
      });
      expect(await caseDueAt(db, late.id)).toEqual(sh('2026-11-24 10:00')); // REGISTER never counts for due_at
    }),
  );

  it(
    'accept stops ACCEPT (MET on time) and starts INITIAL_INVESTIGATION, INITIAL_RESULT, RESOLVE and CLOSE',
    run(async (e, db) => {
      const c = await e.register();
      at('2026-11-23 11:00');
      await e.act('gd.agent', 'ACCEPT', c, MOBILE);
      expect(await clockOf(db, c.id, 'ACCEPT')).toMatchObject({
        stoppedAt: sh('2026-11-23 11:00'),
        state: 'MET',
      });
      expect(await runningKinds(db, c.id)).toEqual([
        'ANSWER',
        'CLOSE',
        'INITIAL_INVESTIGATION',
        'INITIAL_RESULT',
        'RESOLVE',
      ]);

      await expectClocks(db, c.id, {
        INITIAL_INVESTIGATION: {
          startedAt: sh('2026-11-23 11:00'),
          dueAt: sh('2026-11-25 11:00'),
          budget: { hours: 48 },
        },
        INITIAL_RESULT: {
          dueAt: sh('2026-11-26 11:00'),
          budget: { hours: 72 },
        },
        // RESOLVE, 15 working days after Mon 11-23 (the start day never counts):
        // 11-24..27 (1–4), 11-30..12-04 (5–9), 12-07..11 (10–14), Mon 12-14 (15) → 24:00 of 12-14.
        // Warning at 80 % of 11-23 11:00 → 12-15 00:00 (517 h): 413 h 36 min → 12-10 16:36.
        RESOLVE: {
          dueAt: sh('2026-12-15 00:00'),
          warnAt: sh('2026-12-10 16:36'),
          budget: { workingDays: 15 },
          pausedWorkdays: 0,
        },
        // CLOSE, 30 working days: 12-15..18 (16–19), 12-21..25 (20–24), 12-28..31 (25–28), then 2027:
        // Fri 01-01 (29: 2027 is not seeded, Monday–Friday applies) and Mon 01-04 (30) → 24:00 of 2027-01-04.
        CLOSE: {
          dueAt: sh('2027-01-05 00:00'),
          budget: { workingDays: 30 },
        },
      });
      // due_at: the earliest running due, INITIAL_INVESTIGATION's.
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-11-25 11:00'));
    }),
  );

  it(
    'an acceptance after the 24 hours stops ACCEPT as MISSED',
    run(async (e, db) => {
      const c = await e.register();
      world().clock.advance(25 * HOUR);
      await e.act('gd.agent', 'ACCEPT', c, MOBILE);
      expect(await clockOf(db, c.id, 'ACCEPT')).toMatchObject({
        stoppedAt: sh('2026-11-24 11:00'),
        state: 'MISSED',
        dueAt: sh('2026-11-24 10:00'),
      });
    }),
  );

  it(
    'D10 D23 D26: reject stops ACCEPT; ANSWER keeps running until a substantive contact (a progress note does not stop it); no archive before',
    run(async (e, db) => {
      const c = await e.register();
      world().clock.advance(2 * HOUR);
      await e.act('gd.agent', 'REJECT', c, {
        reason: 'INSUFFICIENT_INFORMATION',
        note: 'No account number given',
      });
      expect(await clockOf(db, c.id, 'ACCEPT')).toMatchObject({
        stoppedAt: sh('2026-11-23 12:00'),
        state: 'MET',
      });
      expect(await runningKinds(db, c.id)).toEqual(['ANSWER']);
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-12-08 10:00'));

      at('2026-11-24 08:00');
      await e.act('gd.agent', 'CONTACT_CUSTOMER', c, CONTACT); // a progress note: not an answer (D23)
      expect(await runningKinds(db, c.id)).toEqual(['ANSWER']);
      // D10: the customer is still owed an answer, so the case cannot be archived yet.
      expect(await refusal(() => e.act('gd.agent', 'ARCHIVE', c, {}))).toMatchObject({
        code: 'INVALID_TRANSITION',
      });
      at('2026-11-24 09:00');
      await e.act('gd.agent', 'CONTACT_CUSTOMER', c, { ...CONTACT, substantive: true });
      expect(await clockOf(db, c.id, 'ANSWER')).toMatchObject({
        stoppedAt: sh('2026-11-24 09:00'),
        state: 'MET',
      });
      expect(await runningKinds(db, c.id)).toEqual([]);
      expect(await caseDueAt(db, c.id)).toBeNull();
      await e.act('gd.agent', 'ARCHIVE', c, {});

      // An OUT_OF_SCOPE rejection is still answered (D10): no archive until then, and ANSWER is never recorded MET unanswered.
      const d = await e.register();
      await e.act('gd.agent', 'REJECT', d, {
        reason: 'OUT_OF_SCOPE',
        note: 'A question for the bank',
      });
      expect(await refusal(() => e.act('gd.agent', 'ARCHIVE', d, {}))).toMatchObject({
        code: 'INVALID_TRANSITION',
      });
      expect(await runningKinds(db, d.id)).toEqual(['ANSWER']);
      at('2026-12-09 10:00'); // past ANSWER's 15 days (due 12-09 09:00): answered late
      await e.act('gd.agent', 'CONTACT_CUSTOMER', d, { ...CONTACT, substantive: true });
      expect(await clockOf(db, d.id, 'ANSWER')).toMatchObject({
        stoppedAt: sh('2026-12-09 10:00'),
        state: 'MISSED',
      });
      await e.act('gd.agent', 'ARCHIVE', d, {});
      expect(await runningKinds(db, d.id)).toEqual([]);
    }),
  );

  it(
    'resolve on the spot from RECEIVED stops ACCEPT and ANSWER; the callback starts ARCHIVE (3 working days); archive stops it',
    run(async (e, db) => {
      const c = await e.register();
      at('2026-11-23 10:30');
      await e.act('gd.agent', 'RESOLVE_ON_SPOT', c, {
        answer: 'Restart the phone; the cell is fine.',
      });
      expect(await runningKinds(db, c.id)).toEqual([]);
      await expectClocks(db, c.id, {
        ACCEPT: {
          stoppedAt: sh('2026-11-23 10:30'),
          state: 'MET',
        },
        ANSWER: {
          stoppedAt: sh('2026-11-23 10:30'),
          state: 'MET',
        },
      });

      at('2026-11-24 10:00');
      await e.act('gd.agent', 'RECORD_CALLBACK', c, { result: 'SATISFIED' });
      // ARCHIVE from Tue 11-24: Wed 25 (1), Thu 26 (2), Fri 27 (3) → 24:00 of 11-27.
      expect(await clockOf(db, c.id, 'ARCHIVE')).toMatchObject({
        startedAt: sh('2026-11-24 10:00'),
        dueAt: sh('2026-11-28 00:00'),
        state: 'RUNNING',
        budget: { workingDays: 3 },
      });
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-11-28 00:00'));
      at('2026-11-26 10:00');
      await e.act('gd.agent', 'ARCHIVE', c, {});
      expect(await clockOf(db, c.id, 'ARCHIVE')).toMatchObject({
        stoppedAt: sh('2026-11-26 10:00'),
        state: 'MET',
      });
      expect(await runningKinds(db, c.id)).toEqual([]);
      expect(await caseDueAt(db, c.id)).toBeNull();
    }),
  );

  it(
    'resolve on the spot from ACCEPTED stops ANSWER, both INITIAL clocks and RESOLVE; CLOSE runs until the callback closes the case',
    run(async (e, db) => {
      const c = await e.accepted();
      world().clock.advance(HOUR);
      await e.act('gd.agent', 'RESOLVE_ON_SPOT', c, {
        answer: 'Restart the phone; the cell is fine.',
      });
      expect(await runningKinds(db, c.id)).toEqual(['CLOSE']);
      for (const kind of [
        'ANSWER',
        'INITIAL_INVESTIGATION',
        'INITIAL_RESULT',
        'RESOLVE',
      ] as const) {
        expect(await clockOf(db, c.id, kind)).toMatchObject({
          stoppedAt: sh('2026-11-23 11:00'),
          state: 'MET',
        });
      }
      world().clock.advance(HOUR);
      await e.act('gd.agent', 'RECORD_CALLBACK', c, { result: 'BASICALLY_SATISFIED' });
      expect(await clockOf(db, c.id, 'CLOSE')).toMatchObject({
        stoppedAt: sh('2026-11-23 12:00'),
        state: 'MET',
      });
      expect(await runningKinds(db, c.id)).toEqual(['ARCHIVE']);
    }),
  );

  it(
    'the whole city route: investigation, report, approval, reply, callback and archive each stop and start their clocks',
    run(async (e, db, w) => {
      const c = await e.accepted(); // at T0: INITIAL_RESULT due Thu 11-26 10:00, RESOLVE 12-15 00:00
      await e.act('gd.agent', 'DISPATCH', c, {
        toUnitId: w.units['GD-GZ']!.id,
        deadline: sh('2026-12-01 18:00'),
      });
      await e.act('gz.handler', 'ACKNOWLEDGE', c, {});

      at('2026-11-24 10:00');
      await e.act('gz.handler', 'RECORD_INVESTIGATION', c, {
        kind: 'INITIAL',
        findings: 'Cell GZ-0042 was down.',
      });
      expect(await clockOf(db, c.id, 'INITIAL_INVESTIGATION')).toMatchObject({
        stoppedAt: sh('2026-11-24 10:00'),
        state: 'MET',
      });
      at('2026-11-24 11:00');
      await e.act('gz.handler', 'RECORD_INVESTIGATION', c, {
        kind: 'DETAILED',
        findings: 'Maintenance without notice.',
      });
      expect(await clockOf(db, c.id, 'INITIAL_INVESTIGATION')).toMatchObject({
        stoppedAt: sh('2026-11-24 10:00'),
      }); // the first one stopped it
      await e.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
        nature: 'VALID',
        rootCause: 'Maintenance',
        remedy: { kind: 'APOLOGY' },
      });

      at('2026-11-25 10:00');
      await e.act('gz.handler', 'SUBMIT_REPORT', c, {});
      expect(await clockOf(db, c.id, 'ASSIGNMENT')).toMatchObject({
        stoppedAt: sh('2026-11-25 10:00'),
        state: 'MET',
      });
      await e.act('gz.leader', 'CONFIRM_REPORT', c, { approve: true });
      expect(await runningKinds(db, c.id)).toEqual([
        'ANSWER',
        'CLOSE',
        'INITIAL_RESULT',
        'RESOLVE',
      ]);

      at('2026-11-26 09:00');
      await e.act('gd.agent', 'REVIEW_REPORT', c, { approve: true });
      await expectClocks(db, c.id, {
        RESOLVE: {
          stoppedAt: sh('2026-11-26 09:00'),
          state: 'MET',
        },
        REPLY: {
          startedAt: sh('2026-11-26 09:00'),
          dueAt: sh('2026-11-27 09:00'),
          budget: { hours: 24 },
          state: 'RUNNING',
        },
      });

      at('2026-11-26 15:00');
      await e.act('gd.agent', 'REPLY_TO_CUSTOMER', c, {
        method: 'PHONE',
        content: 'Fixed; sorry.',
      });
      await expectClocks(db, c.id, {
        REPLY: {
          stoppedAt: sh('2026-11-26 15:00'),
          state: 'MET',
        },
        ANSWER: {
          stoppedAt: sh('2026-11-26 15:00'),
          state: 'MET',
        },
        // INITIAL_RESULT was due 72 h after the acceptance, Thu 10:00: the reply came late.
        INITIAL_RESULT: {
          stoppedAt: sh('2026-11-26 15:00'),
          state: 'MISSED',
        },
      });
      expect(await runningKinds(db, c.id)).toEqual(['CLOSE']);

      at('2026-11-27 10:00');
      await e.act('gd.agent', 'RECORD_CALLBACK', c, { result: 'SATISFIED' });
      await expectClocks(db, c.id, {
        CLOSE: {
          stoppedAt: sh('2026-11-27 10:00'),
          state: 'MET',
        },
        // ARCHIVE from Fri 11-27: Mon 30 (1), Tue 12-01 (2), Wed 12-02 (3) → 24:00 of 12-02.
        ARCHIVE: {
          dueAt: sh('2026-12-03 00:00'),
          state: 'RUNNING',
        },
      });

      at('2026-11-30 10:00');
      await e.act('gd.agent', 'ARCHIVE', c, {});
      expect(await runningKinds(db, c.id)).toEqual([]);
      expect(
        (await clocksOf(db, c.id)).filter((r) => r.state !== 'MET' && r.state !== 'MISSED'),
      ).toEqual([]);
      expect(await caseDueAt(db, c.id)).toBeNull();

      // D56: starting and stopping clocks are part of each mutation's event, not events of their own.
      expect((await eventsOf(db, c.id)).map((ev) => ev.action)).toEqual(cityTrail(2));
    }),
  );

  it(
    'ASSIGNMENT: one per dispatch and delegation, due at the deadline set; a return or the unit’s own report stops only its clock',
    run(async (e, db, w) => {
      const c = await e.accepted();
      const assignmentRows = () =>
        db
          .select()
          .from(assignments)
          .where(eq(assignments.complaintId, c.id))
          .orderBy(assignments.assignedAt);

      at('2026-11-23 11:00');
      await e.act('gd.agent', 'DISPATCH', c, {
        toUnitId: w.units['GD-GZ']!.id,
        deadline: sh('2026-11-30 18:00'),
      });
      const [first] = await assignmentRows();
      // Deadline as set; warning at 80 % of 11-23 11:00 → 11-30 18:00 (175 h): 140 h → 11-29 07:00.
      expect(await clockOf(db, c.id, 'ASSIGNMENT')).toMatchObject({
        assignmentId: first!.id,
        startedAt: sh('2026-11-23 11:00'),
        dueAt: sh('2026-11-30 18:00'),
        warnAt: sh('2026-11-29 07:00'),
        budget: null,
        state: 'RUNNING',
      });

      at('2026-11-23 12:00');
      await e.act('gz.handler', 'RETURN', c, { note: 'Not ours: the cell belongs to Shenzhen' });
      // D26: a returned assignment could not be met: CANCELLED.
      expect(await clockOf(db, c.id, 'ASSIGNMENT')).toMatchObject({
        assignmentId: first!.id,
        stoppedAt: sh('2026-11-23 12:00'),
        state: 'CANCELLED',
      });

      await e.act('gd.agent', 'DISPATCH', c, {
        toUnitId: w.units['GD-GZ']!.id,
        deadline: sh('2026-12-04 18:00'),
      });
      const before = await clocksOf(db, c.id);
      await e.act('gz.handler', 'ACKNOWLEDGE', c, {});
      expect(await clocksOf(db, c.id)).toEqual(before); // acknowledging touches no clock
      at('2026-11-23 13:00');
      await e.act('gz.handler', 'DELEGATE', c, {
        toUnitId: w.units['GD-GZ-TH']!.id,
        deadline: sh('2026-12-02 18:00'),
      });
      const [, city, county] = await assignmentRows();
      const byAssignment = async (id: string) =>
        (await clocksOf(db, c.id)).find((r) => r.assignmentId === id)!;
      expect(await byAssignment(city!.id)).toMatchObject({
        dueAt: sh('2026-12-04 18:00'),
        stoppedAt: null,
      });
      expect(await byAssignment(county!.id)).toMatchObject({
        dueAt: sh('2026-12-02 18:00'),
        stoppedAt: null,
      });
      expect((await runningKinds(db, c.id)).filter((k) => k === 'ASSIGNMENT')).toHaveLength(2);
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-11-25 10:00')); // INITIAL_INVESTIGATION is still the earliest

      await e.act('th.handler', 'ACKNOWLEDGE', c, {});
      at('2026-12-03 10:00'); // after the county's deadline
      await e.report(c, 'th.handler', { kind: 'APOLOGY' }); // its finding, and the report that stops its ASSIGNMENT
      expect(await byAssignment(county!.id)).toMatchObject({
        stoppedAt: sh('2026-12-03 10:00'),
        state: 'MISSED',
      });
      expect(await byAssignment(city!.id)).toMatchObject({ stoppedAt: null, state: 'RUNNING' }); // the city has not reported yet
    }),
  );

  // D11: "when the city approves, the case is the city's report" — the city's ASSIGNMENT
  // ("report submitted by that unit") should stop at that approval. It does not: REVIEW_REPORT
  // at county level in src/domain/complaints.ts stops no clock, so the city's ASSIGNMENT runs on
  // until the archive and the scanner later alerts it on a resolved case. Reported, not fixed here
  // (src/domain/complaints.ts is outside this change); remove `.fails` once it is.
  it(
    'ASSIGNMENT: a county report approved by its city is the city’s report, which stops the city’s ASSIGNMENT (D11)',
    run(async (e, db, w) => {
      const c = await e.reported('county');
      const [cityAssignment] = await db
        .select()
        .from(assignments)
        .where(
          and(eq(assignments.complaintId, c.id), eq(assignments.toUnitId, w.units['GD-GZ']!.id)),
        );
      expect(
        (await clocksOf(db, c.id)).find((r) => r.assignmentId === cityAssignment!.id),
      ).toMatchObject({ stoppedAt: null });
      world().clock.advance(HOUR);
      await e.act('gz.handler', 'REVIEW_REPORT', c, { approve: true });
      const city = (await clocksOf(db, c.id)).find((r) => r.assignmentId === cityAssignment!.id);
      expect(city).toMatchObject({ stoppedAt: sh('2026-11-23 11:00'), state: 'MET' });
    }),
  );

  it(
    'D25: an UNSATISFIED callback starts RECONTACT (48 h) and a new RESOLVE and CLOSE; the running CLOSE ends CANCELLED',
    run(async (e, db) => {
      const c = await e.replied();
      const oldClose = await clockOf(db, c.id, 'CLOSE');
      at('2026-11-23 11:00');
      await e.act('gd.agent', 'RECORD_CALLBACK', c, {
        result: 'UNSATISFIED',
        note: 'Still no signal',
      });
      expect(await clockOf(db, c.id, 'RECONTACT')).toMatchObject({
        startedAt: sh('2026-11-23 11:00'),
        dueAt: sh('2026-11-25 11:00'),
        budget: { hours: 48 },
        state: 'RUNNING',
      });
      expect(await runningKinds(db, c.id)).toEqual(['CLOSE', 'RECONTACT', 'RESOLVE']);
      const all = await clocksOf(db, c.id);
      // The earlier CLOSE ends at the reopening, CANCELLED; the earlier RESOLVE keeps its MET.
      expect(all.find((r) => r.id === oldClose.id)).toMatchObject({
        stoppedAt: sh('2026-11-23 11:00'),
        state: 'CANCELLED',
      });
      expect(all.filter((r) => r.kind === 'RESOLVE').map((r) => r.state)).toEqual([
        'MET',
        'RUNNING',
      ]);
      // From the reopening (Mon 11:00): 15 working days → end of Mon 12-14; 30 → end of Mon 01-04 (2027 falls back to Mon–Fri).
      expect(all.filter((r) => r.stoppedAt === null && r.kind === 'RESOLVE')[0]).toMatchObject({
        startedAt: sh('2026-11-23 11:00'),
        dueAt: sh('2026-12-15 00:00'),
      });
      expect(all.filter((r) => r.stoppedAt === null && r.kind === 'CLOSE')[0]).toMatchObject({
        startedAt: sh('2026-11-23 11:00'),
        dueAt: sh('2027-01-05 00:00'),
      });
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-11-25 11:00'));
      at('2026-11-24 09:00');
      await e.act('gz.handler', 'CONTACT_CUSTOMER', c, CONTACT);
      expect(await clockOf(db, c.id, 'RECONTACT')).toMatchObject({
        stoppedAt: sh('2026-11-24 09:00'),
        state: 'MET',
      });
      expect(await runningKinds(db, c.id)).toEqual(['CLOSE', 'RESOLVE']);
    }),
  );

  it(
    'D26: withdraw ends every running clock CANCELLED (none of them could be met)',
    run(async (e, db, w) => {
      const c = await e.accepted();
      await e.act('gd.agent', 'DISPATCH', c, {
        toUnitId: w.units['GD-GZ']!.id,
        deadline: e.deadline(),
      });
      world().clock.advance(HOUR);
      await e.act('gd.agent', 'WITHDRAW', c, { note: 'The customer withdrew' });
      expect(await runningKinds(db, c.id)).toEqual([]);
      expect(
        (await clocksOf(db, c.id))
          .filter((r) => r.kind !== 'REGISTER' && r.kind !== 'ACCEPT')
          .map((r) => [r.kind, r.state, r.stoppedAt]),
      ).toEqual(
        expect.arrayContaining([
          ['RESOLVE', 'CANCELLED', sh('2026-11-23 11:00')],
          ['ASSIGNMENT', 'CANCELLED', sh('2026-11-23 11:00')],
        ]),
      );
      expect(await caseDueAt(db, c.id)).toBeNull();
    }),
  );

  it(
    'clocks change inside the transition’s transaction: a transition refused at its last step leaves them as they were',
    run(async (_, db, w) => {
      const e = engine(withTestLine(w), db);
      const c = await e.register('gd.agent', {
        businessLine: 'sla-test',
        details: { refuse: true },
      });
      const before = await clocksOf(db, c.id);
      // ACCEPT starts its four clocks and stops ACCEPT, then the line's hook refuses the transition.
      const err = await refusal(() =>
        e.act('gd.agent', 'ACCEPT', c, {
          businessLine: 'sla-test',
          category: 'PROCESS',
          severity: 'ORDINARY',
        }),
      );
      expect(err.code).toBe('INVALID_TRANSITION');
      expect(await clocksOf(db, c.id)).toEqual(before);
      expect(await runningKinds(db, c.id)).toEqual(['ACCEPT', 'ANSWER']);
    }),
  );
});

describe('D20: budgets overridden by the business line and by a transfer’s own deadline', () => {
  it(
    'enterprise: ACCEPT is due 2 hours after registration (warning at 1 h 36 min); other lines keep 24 hours',
    run(async (e, db) => {
      const ent = await e.register('gd.agent', { businessLine: 'enterprise' });
      expect(await clockOf(db, ent.id, 'ACCEPT')).toMatchObject({
        dueAt: sh('2026-11-23 12:00'),
        warnAt: sh('2026-11-23 11:36'),
        budget: { hours: 2 },
      });
      expect(await caseDueAt(db, ent.id)).toEqual(sh('2026-11-23 12:00'));
      // Everything else of the enterprise line is the default.
      expect(await clockOf(db, ent.id, 'ANSWER')).toMatchObject({ dueAt: sh('2026-12-08 10:00') });
      const mob = await e.register('gd.agent', { businessLine: 'mobile' });
      expect(await clockOf(db, mob.id, 'ACCEPT')).toMatchObject({ dueAt: sh('2026-11-24 10:00') });
      // The ACCEPT clock starts at registration: a case classified as enterprise only at acceptance ran on 24 hours.
      const later = await e.register();
      world().clock.advance(3 * HOUR);
      await e.act('gd.agent', 'ACCEPT', later, { ...MOBILE, businessLine: 'enterprise' });
      expect(await clockOf(db, later.id, 'ACCEPT')).toMatchObject({
        dueAt: sh('2026-11-24 10:00'),
        state: 'MET',
      });
    }),
  );

  it(
    'a line’s own budgets apply to the clocks it overrides (RESOLVE 5 working days, REPLY 4 hours)',
    run(async (_, db, w) => {
      const e = engine(withTestLine(w), db);
      const c = await e.accepted({}, 'sla-test');
      // 5 working days after Mon 11-23: Tue–Fri (1–4), Mon 11-30 (5) → 24:00 of 11-30.
      await expectClocks(db, c.id, {
        RESOLVE: {
          dueAt: sh('2026-12-01 00:00'),
          budget: { workingDays: 5 },
        },
        CLOSE: { dueAt: sh('2027-01-05 00:00') },
      }); // not overridden
      const resolved = await e.resolved('city', {}, 'sla-test');
      expect(await clockOf(db, resolved.id, 'REPLY')).toMatchObject({
        dueAt: sh('2026-11-23 14:00'),
        budget: { hours: 4 },
      });
    }),
  );

  it(
    'D9: a transfer’s own deadline replaces RESOLVE; a dispatch deadline after it is refused (VALIDATION) and starts nothing',
    run(async (e, db, w) => {
      const own = sh('2026-11-30 17:00');
      const c = await e.register('gd.legal', {
        source: 'REGULATOR_TRANSFER',
        externalDeadline: own,
      });
      at('2026-11-23 11:00');
      await e.act('gd.legal', 'ACCEPT', c, MOBILE);
      // Warning at 80 % of 11-23 11:00 → 11-30 17:00 (174 h): 139 h 12 min → 11-29 06:12.
      await expectClocks(db, c.id, {
        RESOLVE: {
          startedAt: sh('2026-11-23 11:00'),
          dueAt: own,
          warnAt: sh('2026-11-29 06:12'),
          budget: null,
        },
        CLOSE: { dueAt: sh('2027-01-05 00:00') },
      }); // only RESOLVE is replaced

      const before = await clocksOf(db, c.id);
      const err = await refusal(() =>
        e.act('gd.legal', 'DISPATCH', c, {
          toUnitId: w.units['GD-GZ']!.id,
          deadline: new Date(own.getTime() + MINUTE),
        }),
      );
      expect(err).toMatchObject({ code: 'VALIDATION', field: ['input', 'deadline'] });
      expect(await clocksOf(db, c.id)).toEqual(before);
      // The deadline may be the RESOLVE due time itself (D57: not after it).
      await e.act('gd.legal', 'DISPATCH', c, { toUnitId: w.units['GD-GZ']!.id, deadline: own });
      expect(await clockOf(db, c.id, 'ASSIGNMENT')).toMatchObject({ dueAt: own, state: 'RUNNING' });
    }),
  );

  it(
    'D57: a dispatch or delegation deadline later than RESOLVE’s due time is VALIDATION; up to it is accepted as set',
    run(async (e, db, w) => {
      const c = await e.accepted(); // RESOLVE due 2026-12-15 00:00
      const resolveDue = sh('2026-12-15 00:00');
      const late = await refusal(() =>
        e.act('gd.agent', 'DISPATCH', c, {
          toUnitId: w.units['GD-GZ']!.id,
          deadline: new Date(resolveDue.getTime() + 1),
        }),
      );
      expect(late).toMatchObject({ code: 'VALIDATION', field: ['input', 'deadline'] });
      expect((await clocksOf(db, c.id)).filter((r) => r.kind === 'ASSIGNMENT')).toEqual([]);

      await e.act('gd.agent', 'DISPATCH', c, {
        toUnitId: w.units['GD-GZ']!.id,
        deadline: resolveDue,
      });
      expect(await clockOf(db, c.id, 'ASSIGNMENT')).toMatchObject({ dueAt: resolveDue });
      await e.act('gz.handler', 'ACKNOWLEDGE', c, {});
      const delegLate = await refusal(() =>
        e.act('gz.handler', 'DELEGATE', c, {
          toUnitId: w.units['GD-GZ-TH']!.id,
          deadline: sh('2026-12-15 00:01'),
        }),
      );
      expect(delegLate).toMatchObject({ code: 'VALIDATION', field: ['input', 'deadline'] });
      // A minute later, so that the county's clock is the latest started (clockOf): started in the same instant as
      // the city's, either could come last.
      w.clock.advance(60_000);
      await e.act('gz.handler', 'DELEGATE', c, {
        toUnitId: w.units['GD-GZ-TH']!.id,
        deadline: sh('2026-12-10 12:00'),
      });
      expect(await clockOf(db, c.id, 'ASSIGNMENT')).toMatchObject({
        dueAt: sh('2026-12-10 12:00'),
      });
    }),
  );
});

describe('§4 suspension pauses every running clock; resumption moves its due time', () => {
  it(
    'hours budgets move by the paused duration, working-day budgets by the working days that ended meanwhile',
    run(async (e, db) => {
      const c = await e.accepted(); // at Mon 11-23 10:00
      at('2026-11-24 15:00');
      await e.act('gd.agent', 'SUSPEND', c, NOTE);
      const paused = (await clocksOf(db, c.id)).filter((r) => !r.stoppedAt);
      expect(paused.map((r) => [r.kind, r.state, r.pausedAt])).toEqual(
        paused.map((r) => [r.kind, 'PAUSED', sh('2026-11-24 15:00')]),
      );
      expect(paused).toHaveLength(5);
      expect(await caseDueAt(db, c.id)).toBeNull(); // nothing is running

      at('2026-11-26 09:00'); // 42 hours later; Tue 11-24 and Wed 11-25 ended meanwhile (2 working days)
      await e.act('gd.agent', 'RESUME', c, {});
      await expectClocks(db, c.id, {
        INITIAL_INVESTIGATION: {
          dueAt: sh('2026-11-27 04:00'), // 11-25 10:00 + 42 h
          warnAt: sh('2026-11-26 18:24'), // 11-25 00:24 + 42 h
          pausedAt: null,
          state: 'RUNNING',
          pausedWorkdays: 0,
        },
        INITIAL_RESULT: {
          dueAt: sh('2026-11-28 04:00'),
        },
        ANSWER: { dueAt: sh('2026-12-10 04:00') }, // calendar days move like hours
        // RESOLVE: 24:00 of Mon 12-14 → two working days later, 24:00 of Wed 12-16.
        RESOLVE: {
          dueAt: sh('2026-12-17 00:00'),
          pausedWorkdays: 2,
          state: 'RUNNING',
        },
        // CLOSE: 24:00 of Mon 2027-01-04 → 24:00 of Wed 2027-01-06.
        CLOSE: {
          dueAt: sh('2027-01-07 00:00'),
          pausedWorkdays: 2,
        },
      });
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-11-27 04:00'));
    }),
  );

  it(
    'a pause within one day moves working-day clocks by nothing and hours clocks by the pause',
    run(async (e, db) => {
      const c = await e.accepted();
      at('2026-11-24 09:00');
      await e.act('gd.agent', 'SUSPEND', c, NOTE);
      at('2026-11-24 17:30');
      await e.act('gd.agent', 'RESUME', c, {});
      await expectClocks(db, c.id, {
        RESOLVE: {
          dueAt: sh('2026-12-15 00:00'),
          pausedWorkdays: 0,
        },
        INITIAL_INVESTIGATION: {
          dueAt: sh('2026-11-25 18:30'),
        },
      });
    }),
  );

  it(
    'a suspension over Spring Festival 2026 moves RESOLVE and CLOSE by the 3 working days that ended, holidays skipped',
    run(async (e, db) => {
      // Seed: Sat 02-14 is a make-up working day, 02-15..23 are Spring Festival, Sat 02-28 is worked,
      // 04-04..06 are Tomb-sweeping Day (Sat–Mon).
      at('2026-02-12 15:00'); // Thursday
      const c = await e.accepted();
      // RESOLVE: Fri 02-13 (1), Sat 02-14 (2), [02-15..23 off], 02-24..27 (3–6), Sat 02-28 (7),
      // 03-02..06 (8–12), 03-09..11 (13–15) → 24:00 of Wed 03-11.
      await expectClocks(db, c.id, {
        RESOLVE: { dueAt: sh('2026-03-12 00:00') },
        // CLOSE: 03-12, 13 (16–17), 03-16..20 (18–22), 03-23..27 (23–27), 03-30, 31, 04-01 (28–30) → 24:00 of 04-01.
        CLOSE: { dueAt: sh('2026-04-02 00:00') },
      });

      at('2026-02-13 09:00');
      await e.act('gd.agent', 'SUSPEND', c, NOTE);
      at('2026-02-25 09:00');
      await e.act('gd.agent', 'RESUME', c, {});
      // Working days that ended in (02-13 09:00, 02-25 09:00]: Fri 02-13, Sat 02-14 (make-up), Tue 02-24 → 3.
      // RESOLVE: 03-11 + 3 → 03-12, 03-13, 03-16 → 24:00 of Mon 03-16.
      await expectClocks(db, c.id, {
        RESOLVE: {
          dueAt: sh('2026-03-17 00:00'),
          pausedWorkdays: 3,
        },
        // CLOSE: 04-01 + 3 → Thu 04-02, Fri 04-03, [04-04..06 off], Tue 04-07 → 24:00 of 04-07.
        CLOSE: {
          dueAt: sh('2026-04-08 00:00'),
          pausedWorkdays: 3,
        },
        // Hours and calendar days move by the 12 days paused.
        INITIAL_INVESTIGATION: {
          dueAt: sh('2026-02-26 15:00'),
        },
        ANSWER: { dueAt: sh('2026-03-11 15:00') },
      });
      expect(await caseDueAt(db, c.id)).toEqual(sh('2026-02-26 15:00'));
    }),
  );

  it(
    'a clock stopped while paused is judged at its pause: MET when the pause began before its due, MISSED after',
    run(async (e, db, w) => {
      const c = await e.accepted(); // INITIAL_INVESTIGATION due 11-25 10:00, INITIAL_RESULT 11-26 10:00, ANSWER 12-08 10:00
      await e.act('gd.agent', 'DISPATCH', c, {
        toUnitId: w.units['GD-GZ']!.id,
        deadline: sh('2026-12-10 18:00'),
      });
      await e.act('gz.handler', 'ACKNOWLEDGE', c, {});
      at('2026-11-25 12:00'); // INITIAL_INVESTIGATION already late, INITIAL_RESULT not yet
      await e.act('gz.handler', 'SUSPEND', c, NOTE);
      at('2026-12-09 10:00'); // long after every paused (unmoved) due time
      await e.act('gz.handler', 'RECORD_INVESTIGATION', c, {
        kind: 'INITIAL',
        findings: 'Cell down.',
      });
      await e.act('gz.handler', 'CONTACT_CUSTOMER', c, { ...CONTACT, substantive: true });
      await expectClocks(db, c.id, {
        INITIAL_INVESTIGATION: {
          state: 'MISSED',
          stoppedAt: sh('2026-12-09 10:00'),
        },
        INITIAL_RESULT: {
          state: 'MET',
          stoppedAt: sh('2026-12-09 10:00'),
        },
        ANSWER: { state: 'MET' },
      });
      expect(await runningKinds(db, c.id)).toEqual(['ASSIGNMENT', 'CLOSE', 'RESOLVE']); // still paused
    }),
  );
});

describe('§4 counting across the seeded statutory calendar, through the engine', () => {
  it(
    'National Day 2026: clocks started on the holiday (Sat 10-03) count from Thu 10-08 and the make-up Sat 10-10',
    run(async (e, db) => {
      // Seed: 10-01..07 off, Sun 09-20 and Sat 10-10 worked, Thu 10-08 and Fri 10-09 ordinary working days.
      at('2026-10-03 10:00');
      const r = await e.register();
      expect(await clockOf(db, r.id, 'ACCEPT')).toMatchObject({ dueAt: sh('2026-10-04 10:00') }); // wall-clock, holiday or not
      const c = await e.accepted();
      await expectClocks(db, c.id, {
        ANSWER: { dueAt: sh('2026-10-18 10:00') },
        INITIAL_INVESTIGATION: {
          dueAt: sh('2026-10-05 10:00'),
        },
        // RESOLVE: [10-04..07 off], 10-08 (1), 10-09 (2), Sat 10-10 (3), [Sun 10-11], 10-12..16 (4–8),
        // 10-19..23 (9–13), 10-26 (14), 10-27 (15) → 24:00 of Tue 10-27.
        RESOLVE: { dueAt: sh('2026-10-28 00:00') },
        // CLOSE: 10-28..30 (16–18), 11-02..06 (19–23), 11-09..13 (24–28), 11-16 (29), 11-17 (30) → 24:00 of 11-17.
        CLOSE: { dueAt: sh('2026-11-18 00:00') },
      });
    }),
  );

  it(
    'National Day 2026: a case closed on Fri 10-09 owes its archive by 24:00 of Tue 10-13 (Sat 10-10 is worked)',
    run(async (e, db) => {
      at('2026-10-09 10:00');
      const c = await e.closed();
      // ARCHIVE: Sat 10-10 (1, make-up), Mon 10-12 (2), Tue 10-13 (3).
      await expectClocks(db, c.id, {
        ARCHIVE: {
          startedAt: sh('2026-10-09 10:00'),
          dueAt: sh('2026-10-14 00:00'),
        },
        // Its RESOLVE (stopped) had counted 10-10 (1), 10-12..16 (2–6), 10-19..23 (7–11), 10-26..29 (12–15).
        RESOLVE: {
          dueAt: sh('2026-10-30 00:00'),
          state: 'MET',
        },
      });
    }),
  );

  it(
    'year ends: over 2025→2026 Jan 1–3 are off and Sun 01-04 is worked; over 2026→2027 the unpublished 2027 is Monday–Friday',
    run(async (e, db) => {
      at('2025-12-31 10:00'); // Wednesday
      const a = await e.accepted();
      // [01-01..03 off], Sun 01-04 (1), 01-05..09 (2–6), 01-12..16 (7–11), 01-19..22 (12–15) → 24:00 of Thu 2026-01-22.
      expect(await clockOf(db, a.id, 'RESOLVE')).toMatchObject({ dueAt: sh('2026-01-23 00:00') });

      at('2026-12-31 10:00'); // Thursday
      const b = await e.accepted();
      // Fri 2027-01-01 (1: not seeded), 01-04..08 (2–6), 01-11..15 (7–11), 01-18..21 (12–15) → 24:00 of Thu 2027-01-21.
      await expectClocks(db, b.id, {
        RESOLVE: { dueAt: sh('2027-01-22 00:00') },
        // CLOSE: 01-22 (16), 01-25..29 (17–21), 02-01..05 (22–26), 02-08..11 (27–30) → 24:00 of 2027-02-11.
        CLOSE: { dueAt: sh('2027-02-12 00:00') },
      });
    }),
  );
});

describe('Complaint.clocks and the case’s due time over GraphQL', () => {
  const CLOCKS = `query ($number: String!) { complaint(number: $number) { clocks { kind state startedAt dueAt stoppedAt } } }`;
  const states = async (db: Db, number: string) => {
    const res = await gql(
      world().app(db),
      CLOCKS,
      { number },
      { token: await world().token('gd.agent') },
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const clocks = res.data.complaint.clocks as {
      kind: string;
      state: string;
      startedAt: string;
      dueAt: string | null;
      stoppedAt: string | null;
    }[];
    return Object.fromEntries(clocks.filter((k) => k.kind !== 'REGISTER').map((k) => [k.kind, k]));
  };

  it(
    'shows WARNING from 80 % and BREACHED from 100 % of the budget even before any scan, then MISSED when stopped late',
    run(async (e, db) => {
      const c = await e.register();
      let s = await states(db, c.number);
      expect(s.ACCEPT).toEqual({
        kind: 'ACCEPT',
        state: 'RUNNING',
        startedAt: served('2026-11-23 10:00'),
        dueAt: served('2026-11-24 10:00'),
        stoppedAt: null,
      });
      expect(s.ANSWER).toMatchObject({ state: 'RUNNING', dueAt: served('2026-12-08 10:00') });

      world().clock.set(new Date(sh('2026-11-24 05:12').getTime() - 1));
      expect((await states(db, c.number)).ACCEPT!.state).toBe('RUNNING');
      at('2026-11-24 05:12');
      expect((await states(db, c.number)).ACCEPT!.state).toBe('WARNING');
      at('2026-11-24 10:00');
      s = await states(db, c.number);
      expect(s.ACCEPT!.state).toBe('BREACHED');
      expect(s.ANSWER!.state).toBe('RUNNING');
      expect(await clockOf(db, c.id, 'ACCEPT')).toMatchObject({
        warned: false,
        breached: false,
        state: 'RUNNING',
      }); // no scanner ran

      at('2026-11-24 11:00');
      await e.act('gd.agent', 'ACCEPT', c, MOBILE);
      s = await states(db, c.number);
      expect(s.ACCEPT).toMatchObject({ state: 'MISSED', stoppedAt: served('2026-11-24 11:00') });
      expect(s.RESOLVE).toMatchObject({
        state: 'RUNNING',
        startedAt: served('2026-11-24 11:00'),
        dueAt: served('2026-12-16 00:00'),
      });

      await e.act('gd.agent', 'SUSPEND', c, NOTE);
      s = await states(db, c.number);
      expect(
        Object.values(s)
          .filter((k) => !k.stoppedAt)
          .map((k) => k.state),
      ).toEqual(['PAUSED', 'PAUSED', 'PAUSED', 'PAUSED', 'PAUSED']);
      await e.act('gd.agent', 'RESUME', c, {});
      await e.act('gd.agent', 'CONTACT_CUSTOMER', c, CONTACT);
      s = await states(db, c.number);
      expect(s.ANSWER).toMatchObject({ state: 'RUNNING' }); // D23: a progress note does not answer
      await e.act('gd.agent', 'CONTACT_CUSTOMER', c, { ...CONTACT, substantive: true });
      s = await states(db, c.number);
      expect(s.ANSWER).toMatchObject({ state: 'MET', stoppedAt: served('2026-11-24 11:00') });
    }),
  );

  it(
    'ComplaintFilter.overdue and order by DUE_AT follow complaints.due_at (earliest running, unpaused due)',
    run(async (e, db) => {
      const mob = await e.register('gd.agent', { businessLine: 'mobile' }); // due 11-24 10:00
      world().clock.advance(HOUR);
      const ent = await e.register('gd.agent', { businessLine: 'enterprise' }); // due 11-23 13:00
      const Q = `query ($overdue: Boolean) {
      complaints(filter: { overdue: $overdue }, orderBy: { field: DUE_AT, direction: ASC }) { totalCount nodes { number } }
    }`;
      const list = async (overdue: boolean | null) => {
        const res = await gql(
          world().app(db),
          Q,
          { overdue },
          { token: await world().token('gd.agent') },
        );
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        return res.data.complaints as { totalCount: number; nodes: { number: string }[] };
      };
      expect((await list(null)).nodes.map((n) => n.number)).toEqual([ent.number, mob.number]);
      expect((await list(true)).totalCount).toBe(0);

      at('2026-11-23 13:00'); // the enterprise ACCEPT due time itself is not yet overdue
      expect((await list(true)).totalCount).toBe(0);
      world().clock.advance(1);
      expect((await list(true)).nodes.map((n) => n.number)).toEqual([ent.number]);
      expect((await list(false)).nodes.map((n) => n.number)).toEqual([mob.number]);

      // Suspended: no running clock, so no due time and not overdue (its budget is not running).
      await e.act('gd.agent', 'SUSPEND', ent, NOTE);
      expect(await caseDueAt(db, ent.id)).toBeNull();
      expect((await list(true)).totalCount).toBe(0);
      expect((await list(null)).nodes.map((n) => n.number)).toEqual([mob.number, ent.number]); // no due time sorts last
      // Resumed an hour later: ACCEPT's due moves by the hour paused (to 14:00), already past again at 14:00:00.001.
      world().clock.advance(HOUR);
      await e.act('gd.agent', 'RESUME', ent, {});
      expect(await caseDueAt(db, ent.id)).toEqual(sh('2026-11-23 14:00'));
      expect((await list(true)).nodes.map((n) => n.number)).toEqual([ent.number]);
    }),
  );
});
