import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import type { CallbackResult, Severity } from '../../src/domain/enums.js';
import { OPEN_STATUSES } from '../../src/domain/enums.js';
import type { AssessmentRow, Briefing as DutyBriefing } from '../../src/domain/stats.js';
import { engine } from '../support/cases.js';
import { data, unitGid, userGid } from '../support/gql.js';
import { ASSESSMENT, at, BRIEFING, LIST_TOTAL } from '../support/stats.js';
import { HOUR, MINUTE } from '../support/time.js';
import { useWorld, type World } from '../support/world.js';

/**
 * D31 (assessment per unit and per person) and D32 (the duty briefing), on
 * hand-built sets whose every expected figure is worked out by hand in the
 * comments, never by calling the code under test.
 */

const world = useWorld();

/** A row of ASSESSMENT: the figures src/domain/stats.ts computes that the query asks for, its unit and user resolved. */
type Assessment = Pick<
  AssessmentRow,
  | 'received'
  | 'resolved'
  | 'resolutionRate'
  | 'meanResponseMinutes'
  | 'satisfactionRate'
  | 'reopenRate'
  | 'repeatRate'
  | 'clocks'
> & { unit: { code: string } | null; user: { id: string; username: string } | null };

/** Steps of the lifecycle at the world clock's current instant (D7, D11, D14). */
function steps(w: World, db: Db) {
  const e = engine(w, db);
  const s = {
    e,
    register: (as: string, phone: string, over: Record<string, unknown> = {}) =>
      e.register(as, { customer: { name: '王五', phone }, ...over } as never),
    accept: (
      c: { id: string },
      category = 'NETWORK_TECHNICAL',
      severity: Severity = 'ORDINARY',
      line = 'mobile',
    ) => e.act('gd.agent', 'ACCEPT', c, { businessLine: line, category, severity }),
    dispatch: (c: { id: string }, to: string, deadline = e.deadline()) =>
      e.act('gd.agent', 'DISPATCH', c, { toUnitId: w.units[to]!.id, deadline }),
    ack: (c: { id: string }, handler: string) => e.act(handler, 'ACKNOWLEDGE', c, {}),
    delegate: async (c: { id: string }) =>
      s.ack(
        await e.act('gz.handler', 'DELEGATE', c, {
          toUnitId: w.units['GD-GZ-TH']!.id,
          deadline: e.deadline(4),
        }),
        'th.handler',
      ),
    report: (c: { id: string }, handler: string) => e.report(c, handler, { kind: 'APOLOGY' }),
    /** From ACCEPTED through a city: dispatched, reported, confirmed, approved by the province: RESOLVED at GD-GZ. */
    cityResolved: async (c: { id: string }) => {
      const r = await s.report(
        await s.ack(await s.dispatch(c, 'GD-GZ'), 'gz.handler'),
        'gz.handler',
      );
      return e.act(
        'gd.agent',
        'REVIEW_REPORT',
        await e.act('gz.leader', 'CONFIRM_REPORT', r, { approve: true }),
        { approve: true },
      );
    },
    reply: (c: { id: string }) =>
      e.act('gd.agent', 'REPLY_TO_CUSTOMER', c, {
        method: 'PHONE',
        content: 'Fixed, with our apologies.',
      }),
    /** D14: a city's or a centre's case is called back by the province acceptance centre. */
    callback: (c: { id: string }, result: CallbackResult) =>
      e.act('gd.agent', 'RECORD_CALLBACK', c, {
        result,
        note: result === 'UNREACHABLE' ? 'Three attempts, no answer' : null,
      }),
  };
  return s;
}

const codeOf = (w: World, id: string) => Object.values(w.units).find((u) => u.id === id)!.code;

// ---------------------------------------------------------------- D31

const FROM = '2026-11-01T00:00:00+08:00';
const TO = '2026-12-01T00:00:00+08:00';
/** Customers' phones: P1 complains twice about mobile (a repeat), P3 about broadband then mobile (no repeat), P5 twice (a repeat). */
const P = {
  1: '13800000001',
  3: '13800000003',
  4: '13800000004',
  5: '13800000005',
  6: '13800000006',
  7: '13800000007',
};

/**
 * The assessed set, November 2026 (Shanghai):
 *   old  P1 mobile, 2026-10-02 (31 days before g1, outside the window): makes nothing a repeat
 *   g1   by gd.agent, P1, accepted after 30 min, GD-GZ, closed SATISFIED
 *   g2   by gd.agent, P1, accepted after 90 min, GD-GZ, closed BASICALLY_SATISFIED — a repeat of g1
 *   p2   by gd.agent2, P3, broadband at registration, rejected after 5 min (stays at GD)
 *   g3   by gd.agent, P3, accepted after 60 min, GD-GZ, UNSATISFIED: reopened (not a repeat: p2 was broadband)
 *   g4   by gd.agent, P4, accepted after 60 min, GD-GZ, closed UNREACHABLE
 *   s1   by gd.agent2, P5, accepted 25 h after registration (ACCEPT MISSED), INVESTIGATING at GD-SZ
 *   s2   by gd.agent2, P5, accepted after 10 min, delegated to GD-SZ-NS — a repeat of s1
 *   b1   walk-in by gz.handler, P6, accepted after 20 min, at the centre GD-BC, closed UNREACHABLE
 *   p1   walk-in by th.handler, P7, still RECEIVED at GD (its ACCEPT clock is past due)
 *   late by gd.agent, at TO exactly: outside the window
 * The clock then stands at 2026-12-05 09:00.
 */
async function assessedSet(w: World, db: Db) {
  const s = steps(w, db);
  const when = (iso: string) => w.clock.set(at(iso));
  const after = (minutes: number) => w.clock.advance(minutes * MINUTE);
  const closedAtCity = async (phone: string, minutes: number, result: CallbackResult) => {
    const c = await s.register('gd.agent', phone);
    after(minutes);
    return s.callback(await s.reply(await s.cityResolved(await s.accept(c))), result);
  };

  when('2026-10-02T09:00:00+08:00');
  const old = await s.accept(await s.register('gd.agent', P[1]));
  when('2026-11-02T09:00:00+08:00');
  const g1 = await closedAtCity(P[1], 30, 'SATISFIED');
  when('2026-11-03T09:00:00+08:00');
  const g2 = await closedAtCity(P[1], 90, 'BASICALLY_SATISFIED');
  when('2026-11-03T12:00:00+08:00');
  let p2 = await s.register('gd.agent2', P[3], { businessLine: 'broadband' });
  after(5);
  p2 = await s.e.act('gd.agent2', 'REJECT', p2, {
    reason: 'INSUFFICIENT_INFORMATION',
    note: 'No account number given',
  });
  when('2026-11-04T09:00:00+08:00');
  const g3 = await closedAtCity(P[3], 60, 'UNSATISFIED');
  when('2026-11-05T09:00:00+08:00');
  const g4 = await closedAtCity(P[4], 60, 'UNREACHABLE');
  when('2026-11-06T09:00:00+08:00');
  let s1 = await s.register('gd.agent2', P[5]);
  after(25 * 60);
  s1 = await s.ack(await s.dispatch(await s.accept(s1), 'GD-SZ'), 'sz.handler');
  when('2026-11-09T09:00:00+08:00');
  let s2 = await s.register('gd.agent2', P[5]);
  after(10);
  s2 = await s.ack(await s.dispatch(await s.accept(s2), 'GD-SZ'), 'sz.handler');
  s2 = await s.ack(
    await s.e.act('sz.handler', 'DELEGATE', s2, {
      toUnitId: w.units['GD-SZ-NS']!.id,
      deadline: s.e.deadline(4),
    }),
    'ns.handler',
  );
  when('2026-11-10T09:00:00+08:00');
  let b1 = await s.register('gz.handler', P[6], { channel: 'VISIT' });
  after(20);
  b1 = await s.report(
    await s.ack(await s.dispatch(await s.accept(b1), 'GD-BC'), 'bc.handler'),
    'bc.handler',
  );
  b1 = await s.callback(
    await s.reply(await s.e.act('gd.agent', 'REVIEW_REPORT', b1, { approve: true })),
    'UNREACHABLE',
  );
  when('2026-11-11T09:00:00+08:00');
  const p1 = await s.register('th.handler', P[7], { channel: 'BUSINESS_HALL' });
  when(TO);
  const late = await s.accept(await s.register('gd.agent', '13800000099'));
  when('2026-12-05T09:00:00+08:00');

  const cases = { old, g1, g2, p2, g3, g4, s1, s2, b1, p1, late };
  expect(
    Object.fromEntries(
      Object.entries(cases).map(([n, c]) => [
        n,
        `${c.status}@${codeOf(w, c.handlingUnitId)} repeat=${c.isRepeat}`,
      ]),
    ),
  ).toEqual({
    old: 'ACCEPTED@GD repeat=false',
    g1: 'CLOSED@GD-GZ repeat=false',
    g2: 'CLOSED@GD-GZ repeat=true',
    p2: 'REJECTED@GD repeat=false',
    g3: 'INVESTIGATING@GD-GZ repeat=false',
    g4: 'CLOSED@GD-GZ repeat=false',
    s1: 'INVESTIGATING@GD-SZ repeat=false',
    s2: 'INVESTIGATING@GD-SZ-NS repeat=true',
    b1: 'CLOSED@GD-BC repeat=false',
    p1: 'RECEIVED@GD repeat=false',
    late: 'ACCEPTED@GD repeat=false',
  });
  expect(g3.reopenCount).toBe(1);
  return cases;
}

const assess = async (
  w: World,
  db: Db,
  as: string,
  input: Record<string, unknown>,
): Promise<Assessment[]> => (await data(w, db, as, ASSESSMENT, { i: input })).assessment;

const clock = (a: Assessment, kind: string) => a.clocks.find((c) => c.clock === kind);

/** One row's figures, rates compared to 6 places. */
function expectFigures(
  a: Assessment | undefined,
  expected: Omit<Assessment, 'unit' | 'user' | 'clocks'> & {
    accept: [number, number];
    register: number;
  },
) {
  expect(a, 'row present').toBeDefined();
  expect({ received: a!.received, resolved: a!.resolved }).toEqual({
    received: expected.received,
    resolved: expected.resolved,
  });
  for (const k of [
    'resolutionRate',
    'meanResponseMinutes',
    'satisfactionRate',
    'reopenRate',
    'repeatRate',
  ] as const) {
    if (expected[k] === null) expect(a![k], k).toBeNull();
    else expect(a![k], k).toBeCloseTo(expected[k]!, 6);
  }
  const [total, onTime] = expected.accept;
  expect(clock(a!, 'ACCEPT'), 'ACCEPT').toEqual({
    clock: 'ACCEPT',
    total,
    onTime,
    rate: total ? onTime / total : null,
  });
  expect(clock(a!, 'REGISTER'), 'REGISTER').toEqual({
    clock: 'REGISTER',
    total: expected.register,
    onTime: expected.register,
    rate: 1,
  });
}

/**
 * By hand, per unit of GD (children with their subtrees, and GD itself):
 *   GD-GZ  g1 g2 g3 g4: received 4; resolved 3 (g3 reopened is no longer resolved) → 0.75;
 *          response (30 + 90 + 60 + 60) / 4 = 60; callbacks SATISFIED, BASICALLY, UNSATISFIED
 *          reached, UNREACHABLE not → 2 / 3; reopened 1 / 4; repeats (g2) 1 / 4; ACCEPT 4 of 4 on time
 *   GD-SZ  s1 s2 (NS rolls up): received 2, resolved 0 → 0; response (1500 + 10) / 2 = 755;
 *          no callback → null; reopen 0; repeats (s2) 1 / 2; ACCEPT 1 of 2 (s1 missed)
 *   GD-BC  b1: 1, 1 → 1; response 20; only UNREACHABLE → reached 0 → null; 0; 0; ACCEPT 1 of 1
 *   GD     p1 p2: 2, 0 → 0; none accepted → null; null; 0; 0; ACCEPT: p2 stopped in time,
 *          p1 still running past its due time → 1 of 2
 */
/** The figures of cases of which none is resolved, answered in time to measure, rated or reopened. */
const UNTOUCHED = {
  resolved: 0,
  resolutionRate: 0,
  meanResponseMinutes: null,
  satisfactionRate: null,
  reopenRate: 0,
  repeatRate: 0,
} as const;

const BY_UNIT = {
  'GD-GZ': {
    received: 4,
    resolved: 3,
    resolutionRate: 0.75,
    meanResponseMinutes: 60,
    satisfactionRate: 2 / 3,
    reopenRate: 0.25,
    repeatRate: 0.25,
    accept: [4, 4],
    register: 4,
  },
  'GD-SZ': {
    received: 2,
    ...UNTOUCHED,
    meanResponseMinutes: 755,
    repeatRate: 0.5,
    accept: [2, 1],
    register: 2,
  },
  'GD-BC': {
    received: 1,
    resolved: 1,
    resolutionRate: 1,
    meanResponseMinutes: 20,
    satisfactionRate: null,
    reopenRate: 0,
    repeatRate: 0,
    accept: [1, 1],
    register: 1,
  },
  GD: {
    received: 2,
    ...UNTOUCHED,
    accept: [2, 1],
    register: 2,
  },
} as const;

/**
 * By first responder (D10):
 *   gd.agent    g1 g2 g3 g4 — the GD-GZ figures
 *   gd.agent2   s1 s2 p2: 3, 0 → 0; response (1500 + 10) / 2 = 755 (p2 never accepted); null;
 *               0; repeats (s2) 1 / 3; ACCEPT 2 of 3 (s1 missed, s2 and p2 in time)
 *   gz.handler  b1 — the GD-BC figures
 *   th.handler  p1: 1, 0 → 0; null; null; 0; 0; ACCEPT 0 of 1 (running past due)
 */
const BY_PERSON = {
  'gd.agent': BY_UNIT['GD-GZ'],
  'gd.agent2': {
    received: 3,
    ...UNTOUCHED,
    meanResponseMinutes: 755,
    repeatRate: 1 / 3,
    accept: [3, 2],
    register: 3,
  },
  'gz.handler': BY_UNIT['GD-BC'],
  'th.handler': {
    received: 1,
    ...UNTOUCHED,
    accept: [1, 0],
    register: 1,
  },
} as const;

describe('D31: assessment indicators', { timeout: 120_000 }, () => {
  it('D31: per UNIT under GD — received, resolved, rates, mean response, satisfaction, reopen, repeat, ACCEPT on time', () =>
    world().tx(async (db) => {
      const w = world();
      await assessedSet(w, db);
      for (const [as, input] of [
        ['gd.agent', { from: FROM, to: TO, by: 'UNIT' }],
        ['gd.auditor', { from: FROM, to: TO, by: 'UNIT', unitId: unitGid(w, 'GD') }],
      ] as const) {
        const rows = await assess(w, db, as, input);
        expect(rows.map((r) => r.unit?.code).sort(), as).toEqual(['GD', 'GD-BC', 'GD-GZ', 'GD-SZ']);
        expect(rows.every((r) => r.user === null)).toBe(true);
        for (const [code, expected] of Object.entries(BY_UNIT))
          expectFigures(
            rows.find((r) => r.unit?.code === code),
            { ...expected, accept: [...expected.accept] },
          );
      }
    }));

  it('D31 D59: the received counts of the UNIT rows add up to the list total of the window', () =>
    world().tx(async (db) => {
      const w = world();
      await assessedSet(w, db);
      for (const as of ['gd.agent', 'gd.duty', 'gz.duty', 'th.handler', 'sz.handler']) {
        const rows = await assess(w, db, as, { from: FROM, to: TO, by: 'UNIT' });
        const listed = (
          await data(w, db, as, LIST_TOTAL, { f: { registeredFrom: FROM, registeredTo: TO } })
        ).complaints.totalCount;
        expect(
          rows.reduce((n, r) => n + r.received, 0),
          as,
        ).toBe(listed);
      }
      // th.handler's scope is its county, but it lists p1 (its walk-in, still at the province) under the unit holding it.
      expect(
        (await assess(w, db, 'th.handler', { from: FROM, to: TO, by: 'UNIT' })).map((r) => [
          r.unit?.code,
          r.received,
        ]),
      ).toEqual([['GD', 1]]);
      // gd.agent lists 9 in November: the window excludes `old` and `late`.
      expect(
        (await assess(w, db, 'gd.agent', { from: FROM, to: TO, by: 'UNIT' })).reduce(
          (n, r) => n + r.received,
          0,
        ),
      ).toBe(9);
    }));

  it('D31: the scope given as unitId GD-GZ is one row for GD-GZ with the same figures; by a city duty manager too', () =>
    world().tx(async (db) => {
      const w = world();
      await assessedSet(w, db);
      for (const [as, input] of [
        ['gd.agent', { from: FROM, to: TO, by: 'UNIT', unitId: unitGid(w, 'GD-GZ') }],
        ['gz.duty', { from: FROM, to: TO, by: 'UNIT' }],
      ] as const) {
        const rows = await assess(w, db, as, input);
        expect(
          rows.map((r) => r.unit?.code),
          as,
        ).toEqual(['GD-GZ']);
        expectFigures(rows[0], { ...BY_UNIT['GD-GZ'], accept: [4, 4] });
      }
      // GD-SZ's figures roll its county up; GD-SZ-NS alone holds only s2.
      const ns = await assess(w, db, 'gd.agent', {
        from: FROM,
        to: TO,
        by: 'UNIT',
        unitId: unitGid(w, 'GD-SZ-NS'),
      });
      expect(ns.map((r) => r.unit?.code)).toEqual(['GD-SZ-NS']);
      expectFigures(ns[0], {
        received: 1,
        resolved: 0,
        resolutionRate: 0,
        meanResponseMinutes: 10,
        satisfactionRate: null,
        reopenRate: 0,
        repeatRate: 1,
        accept: [1, 1],
        register: 1,
      });
    }));

  it('D31: per PERSON, a row for every person who owned a step: first responders (D10) with the case figures', () =>
    world().tx(async (db) => {
      const w = world();
      await assessedSet(w, db);
      const rows = await assess(w, db, 'gd.agent', { from: FROM, to: TO, by: 'PERSON' });
      // The first responders, and the handlers who took a dispatch (bc, sz, ns) — they received no contact of their own.
      expect(rows.map((r) => r.user?.username).sort()).toEqual([
        'bc.handler',
        'gd.agent',
        'gd.agent2',
        'gz.handler',
        'ns.handler',
        'sz.handler',
        'th.handler',
      ]);
      for (const u of ['bc.handler', 'ns.handler', 'sz.handler']) {
        expect(
          rows.find((r) => r.user?.username === u),
          u,
        ).toMatchObject({ received: 0, resolved: 0, resolutionRate: null });
      }
      // bc.handler's report answered GD-BC's assignment in time (b1): its ASSIGNMENT clock is theirs, not the first responder's.
      expect(clock(rows.find((r) => r.user?.username === 'bc.handler')!, 'ASSIGNMENT')).toEqual({
        clock: 'ASSIGNMENT',
        total: 1,
        onTime: 1,
        rate: 1,
      });
      // gz.handler made GD-GZ's reports of g1–g4, each in time: 4 of 4; gd.agent, their first responder, owns none of them.
      expect(clock(rows.find((r) => r.user?.username === 'gz.handler')!, 'ASSIGNMENT')).toEqual({
        clock: 'ASSIGNMENT',
        total: 4,
        onTime: 4,
        rate: 1,
      });
      expect(
        clock(rows.find((r) => r.user?.username === 'gd.agent')!, 'ASSIGNMENT'),
      ).toBeUndefined();
      expect(rows.every((r) => r.unit === null)).toBe(true);
      for (const [username, expected] of Object.entries(BY_PERSON)) {
        const row = rows.find((r) => r.user?.username === username);
        expect(row?.user?.id, username).toBe(userGid(w, username));
        expectFigures(row, { ...expected, accept: [...expected.accept] });
      }
    }));

  it('D31: rates are null when their denominator is 0, and a window with no case has no row', () =>
    world().tx(async (db) => {
      const w = world();
      await assessedSet(w, db);
      // Only p1 (RECEIVED, never accepted, never called back) in this window.
      const rows = await assess(w, db, 'gd.agent', {
        from: '2026-11-11T00:00:00+08:00',
        to: '2026-11-12T00:00:00+08:00',
        by: 'UNIT',
      });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        unit: { code: 'GD' },
        received: 1,
        ...UNTOUCHED,
      });
      expect(
        await assess(w, db, 'gd.agent', {
          from: '2026-11-20T00:00:00+08:00',
          to: '2026-11-21T00:00:00+08:00',
          by: 'UNIT',
        }),
      ).toEqual([]);
      expect(await assess(w, db, 'zj.agent', { from: FROM, to: TO, by: 'PERSON' })).toEqual([]);
    }));

  it('D31: ACCEPT is MET when accepted within 24 h and MISSED when accepted after it', () =>
    world().tx(async (db) => {
      const w = world();
      const s = steps(w, db);
      w.clock.set(at('2026-11-16T09:00:00+08:00'));
      const onTime = await s.register('gd.agent', P[4]);
      w.clock.advance(24 * HOUR); // exactly at the due time: still on time
      await s.accept(onTime);
      w.clock.set(at('2026-11-17T09:00:00+08:00'));
      const missed = await s.register('gd.agent', P[6]);
      w.clock.advance(24 * HOUR + MINUTE);
      await s.accept(missed);
      w.clock.set(at('2026-11-18T12:00:00+08:00'));
      const [row] = await assess(w, db, 'gd.agent', { from: FROM, to: TO, by: 'UNIT' });
      expect(row!.unit?.code).toBe('GD');
      expect(clock(row!, 'ACCEPT')).toEqual({ clock: 'ACCEPT', total: 2, onTime: 1, rate: 0.5 });
      expect(row!.meanResponseMinutes).toBeCloseTo((24 * 60 + 24 * 60 + 1) / 2, 6);
    }));
});

// ---------------------------------------------------------------- D32

const NOW = '2026-11-23T15:00:00+08:00';

/**
 * The briefed set. "Today" is Monday 2026-11-23 in Shanghai; c2 is registered
 * a minute before midnight, c3–c8 before 08:00 (still the 22nd in UTC).
 *   c1  DISPATCHED @GD-GZ          NETWORK_TECHNICAL ORDINARY  09:00, assignment due 16:00 today
 *   c2  INVESTIGATING @GD-GZ       NETWORK_TECHNICAL URGENT    22nd 23:59, escalation approved
 *   c3  INVESTIGATING @GD-GZ-TH    SERVICE_QUALITY   MAJOR     00:30
 *   c4  PENDING_APPROVAL @GD-GZ    SERVICE_QUALITY   ORDINARY  01:00
 *   c5  PENDING_REVIEW @GD-GZ-TH   TARIFF_POLICY     ORDINARY  02:00
 *   c6  RESOLVED @GD-GZ            PROCESS           ORDINARY  03:00
 *   c7  REPLIED @GD-GZ             BILLING_DISPUTE   ORDINARY  04:00
 *   c8  CLOSED @GD-GZ              NETWORK_TECHNICAL MAJOR     05:00 (not open)
 *   c9  ACCEPTED @GD, returned by GD-GZ (on its chain)  TARIFF_POLICY ORDINARY 09:10
 *   c10 RECEIVED @GD, unclassified                               10:00
 *   c11 ACCEPTED @GD               SERVICE_QUALITY   MAJOR     10:10
 *   c12 INVESTIGATING @GD-BC       NETWORK_TECHNICAL ORDINARY  10:20
 *   c13 INVESTIGATING @GD-SZ       NETWORK_TECHNICAL ORDINARY  10:30
 *   c14 RECEIVED @GD, the partner's CALL_COMPLETION              10:40
 *   c15 REJECTED @GD (not open)                                  10:50
 *   c16 ACCEPTED @ZJ               MAJOR (another province)      10:55
 *   c17 DISPATCHED @GD-SZ          BILLING_DISPUTE   URGENT    11:00
 *   c18 ACCEPTED @GD               PROCESS           ORDINARY  11:10
 */
async function briefedSet(w: World, db: Db) {
  const s = steps(w, db);
  const e = s.e;
  const when = (iso: string) => w.clock.set(at(iso));
  const phone = '13900000001';
  const reg = () => s.register('gd.agent', phone);
  const cityInvestigating = async (category: string, severity: Severity = 'ORDINARY') =>
    s.ack(await s.dispatch(await s.accept(await reg(), category, severity), 'GD-GZ'), 'gz.handler');

  when('2026-11-22T23:59:00+08:00');
  let c2 = await cityInvestigating('NETWORK_TECHNICAL', 'URGENT');
  c2 = await e.act('gz.handler', 'ESCALATE', c2, { note: 'Outage across the district' });
  c2 = await e.act('gd.legal', 'DECIDE_ESCALATION', c2, { approve: true });
  when('2026-11-23T00:30:00+08:00');
  const c3 = await s.delegate(await cityInvestigating('SERVICE_QUALITY', 'MAJOR'));
  when('2026-11-23T01:00:00+08:00');
  const c4 = await s.report(await cityInvestigating('SERVICE_QUALITY'), 'gz.handler');
  when('2026-11-23T02:00:00+08:00');
  const c5 = await s.report(
    await s.delegate(await cityInvestigating('TARIFF_POLICY')),
    'th.handler',
  );
  when('2026-11-23T03:00:00+08:00');
  const c6 = await s.cityResolved(await s.accept(await reg(), 'PROCESS'));
  when('2026-11-23T04:00:00+08:00');
  const c7 = await s.reply(await s.cityResolved(await s.accept(await reg(), 'BILLING_DISPUTE')));
  when('2026-11-23T05:00:00+08:00');
  const c8 = await s.callback(
    await s.reply(await s.cityResolved(await s.accept(await reg(), 'NETWORK_TECHNICAL', 'MAJOR'))),
    'SATISFIED',
  );
  when('2026-11-23T09:00:00+08:00');
  const c1 = await s.dispatch(
    await s.accept(await reg()),
    'GD-GZ',
    at('2026-11-23T16:00:00+08:00'),
  );
  when('2026-11-23T09:10:00+08:00');
  const c9 = await e.act(
    'gz.handler',
    'RETURN',
    await s.dispatch(await s.accept(await reg(), 'TARIFF_POLICY'), 'GD-GZ'),
    { note: 'Not ours' },
  );
  when('2026-11-23T10:00:00+08:00');
  const c10 = await reg();
  when('2026-11-23T10:10:00+08:00');
  const c11 = await s.accept(await reg(), 'SERVICE_QUALITY', 'MAJOR');
  when('2026-11-23T10:20:00+08:00');
  const c12 = await s.ack(await s.dispatch(await s.accept(await reg()), 'GD-BC'), 'bc.handler');
  when('2026-11-23T10:30:00+08:00');
  const c13 = await s.ack(await s.dispatch(await s.accept(await reg()), 'GD-SZ'), 'sz.handler');
  when('2026-11-23T10:40:00+08:00');
  const c14 = await e.register('partner', {
    channel: 'API',
    businessLine: 'interconnection',
    category: 'CALL_COMPLETION',
    title: 'Calls fail',
  });
  when('2026-11-23T10:50:00+08:00');
  const c15 = await e.act('gd.agent', 'REJECT', await reg(), {
    reason: 'NO_DIRECT_INTEREST',
    note: 'Asked for a neighbour',
  });
  when('2026-11-23T10:55:00+08:00');
  const c16 = await e.act('zj.agent', 'ACCEPT', await e.register('zj.agent'), {
    businessLine: 'mobile',
    category: 'SERVICE_QUALITY',
    severity: 'MAJOR',
  });
  when('2026-11-23T11:00:00+08:00');
  const c17 = await s.dispatch(await s.accept(await reg(), 'BILLING_DISPUTE', 'URGENT'), 'GD-SZ');
  when('2026-11-23T11:10:00+08:00');
  const c18 = await s.accept(await reg(), 'PROCESS');
  when(NOW);

  const cases = { c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18 };
  expect(
    Object.fromEntries(
      Object.entries(cases).map(([n, c]) => [
        n,
        `${c.status}@${codeOf(w, c.handlingUnitId)} ${c.category} ${c.severity}`,
      ]),
    ),
  ).toEqual({
    c1: 'DISPATCHED@GD-GZ NETWORK_TECHNICAL ORDINARY',
    c2: 'INVESTIGATING@GD-GZ NETWORK_TECHNICAL URGENT',
    c3: 'INVESTIGATING@GD-GZ-TH SERVICE_QUALITY MAJOR',
    c4: 'PENDING_APPROVAL@GD-GZ SERVICE_QUALITY ORDINARY',
    c5: 'PENDING_REVIEW@GD-GZ-TH TARIFF_POLICY ORDINARY',
    c6: 'RESOLVED@GD-GZ PROCESS ORDINARY',
    c7: 'REPLIED@GD-GZ BILLING_DISPUTE ORDINARY',
    c8: 'CLOSED@GD-GZ NETWORK_TECHNICAL MAJOR',
    c9: 'ACCEPTED@GD TARIFF_POLICY ORDINARY',
    c10: 'RECEIVED@GD null null',
    c11: 'ACCEPTED@GD SERVICE_QUALITY MAJOR',
    c12: 'INVESTIGATING@GD-BC NETWORK_TECHNICAL ORDINARY',
    c13: 'INVESTIGATING@GD-SZ NETWORK_TECHNICAL ORDINARY',
    c14: 'RECEIVED@GD CALL_COMPLETION null',
    c15: 'REJECTED@GD null null',
    c16: 'ACCEPTED@ZJ SERVICE_QUALITY MAJOR',
    c17: 'DISPATCHED@GD-SZ BILLING_DISPUTE URGENT',
    c18: 'ACCEPTED@GD PROCESS ORDINARY',
  });
  expect(c2.escalationLevel).toBe(1);
  expect(c2.escalationPending).toBe(false);
  return cases;
}

/** BRIEFING's answer: D32's figures as src/domain/stats.ts computes them, for its unit. */
type Briefing = Omit<DutyBriefing, 'supervisedOverdue'> & { unit: { code: string } };

const brief = async (w: World, db: Db, as: string, unit?: string): Promise<Briefing> =>
  (await data(w, db, as, BRIEFING, { unitId: unit ? unitGid(w, unit) : null })).dutyBriefing;

const byStatus = (counts: number[]) =>
  OPEN_STATUSES.map((status, i) => ({ status, count: counts[i]! }));

/** Top categories: counts never increase, and the rows are these (ties in any order). */
function expectTop(top: Briefing['topCategories'], expected: Record<string, number>) {
  expect(top.map((t) => t.count)).toEqual([...top.map((t) => t.count)].sort((a, b) => b - a));
  expect(Object.fromEntries(top.map((t) => [t.category, t.count]))).toEqual(expected);
  expect(top).toHaveLength(Object.keys(expected).length);
}

/** A briefing as expected: its unit, the open counts in OPEN_STATUSES order, the counts, the top categories. */
type Expected = Omit<Briefing, 'unit' | 'openByStatus' | 'topCategories' | 'overdue'> & {
  unit: string;
  open: number[];
  overdue?: number;
  top: Record<string, number>;
};

function expectBriefing(b: Briefing, { unit, open, top, ...counts }: Expected, label = unit) {
  expect(b.unit.code, label).toBe(unit);
  expect(b.openByStatus, label).toEqual(byStatus(open));
  expect(b, label).toMatchObject(counts);
  expectTop(b.topCategories, top);
}

describe('D32: the duty briefing', { timeout: 120_000 }, () => {
  it('D32: gd.duty (scope GD) — open by state with zeros, MAJOR/URGENT open, escalated, received today, top 5 categories', () =>
    world().tx(async (db) => {
      const w = world();
      await briefedSet(w, db);
      const b = await brief(w, db, 'gd.duty');
      expectBriefing(b, {
        unit: 'GD',
        // RECEIVED c10 c14; ACCEPTED c9 c11 c18; DISPATCHED c1 c17; INVESTIGATING c2 c3 c12 c13; one each after.
        open: [2, 3, 2, 4, 1, 1, 1, 1],
        majorOpen: 4, // c2 c3 c11 c17 (c8 is closed, c16 is ZJ's)
        escalated: 1, // c2
        receivedToday: 16, // every GD case but c2, closed and rejected ones included
        overdue: 0,
        // Open and classified: NETWORK_TECHNICAL c1 c2 c12 c13 = 4; SERVICE_QUALITY c3 c4 c11 = 3; TARIFF_POLICY c5 c9,
        // BILLING_DISPUTE c7 c17, PROCESS c6 c18 = 2 each; CALL_COMPLETION c14 = 1 is the sixth and left out.
        top: {
          NETWORK_TECHNICAL: 4,
          SERVICE_QUALITY: 3,
          TARIFF_POLICY: 2,
          BILLING_DISPUTE: 2,
          PROCESS: 2,
        },
      });
      expect(b.topCategories.slice(0, 2)).toEqual([
        { category: 'NETWORK_TECHNICAL', count: 4 },
        { category: 'SERVICE_QUALITY', count: 3 },
      ]);
    }));

  it('D32: gz.duty (scope GD-GZ) sees its subtree and what passed through it, never the rest of GD', () =>
    world().tx(async (db) => {
      const w = world();
      await briefedSet(w, db);
      expectBriefing(await brief(w, db, 'gz.duty'), {
        unit: 'GD-GZ',
        // ACCEPTED c9 (returned to the province, GD-GZ on its chain: gz.duty lists it, D54 D59); DISPATCHED c1;
        // INVESTIGATING c2 c3; PENDING_APPROVAL c4; PENDING_REVIEW c5; RESOLVED c6; REPLIED c7.
        open: [0, 1, 1, 2, 1, 1, 1, 1],
        majorOpen: 2, // c2 c3
        escalated: 1,
        receivedToday: 8, // c1 c3–c9
        overdue: 0,
        top: {
          NETWORK_TECHNICAL: 2,
          SERVICE_QUALITY: 2,
          TARIFF_POLICY: 2,
          PROCESS: 1,
          BILLING_DISPUTE: 1,
        },
      });

      // With the unit asked for, the list's unit filter: only cases handled in GD-GZ's subtree (c9 is out).
      for (const as of ['gz.duty', 'gd.duty']) {
        const sub = await brief(w, db, as, 'GD-GZ');
        expectBriefing(
          sub,
          {
            unit: 'GD-GZ',
            open: [0, 0, 1, 2, 1, 1, 1, 1],
            majorOpen: 2,
            escalated: 1,
            receivedToday: 7,
            top: {
              NETWORK_TECHNICAL: 2,
              SERVICE_QUALITY: 2,
              TARIFF_POLICY: 1,
              PROCESS: 1,
              BILLING_DISPUTE: 1,
            },
          },
          as,
        );
      }
    }));

  it('D32 D59: overdue counts open cases past a due time, as the list filter does', () =>
    world().tx(async (db) => {
      const w = world();
      await briefedSet(w, db);
      const overdueListed = async (as: string) =>
        (await data(w, db, as, LIST_TOTAL, { f: { overdue: true, status: OPEN_STATUSES } }))
          .complaints.totalCount;
      expect([(await brief(w, db, 'gd.duty')).overdue, await overdueListed('gd.duty')]).toEqual([
        0, 0,
      ]);
      // 16:30: c1's assignment deadline (16:00) has passed; nothing else is due yet (48 h, 72 h, working-day budgets).
      w.clock.set(at('2026-11-23T16:30:00+08:00'));
      for (const as of ['gd.duty', 'gz.duty']) {
        const b = await brief(w, db, as);
        expect(b.overdue, as).toBe(1);
        expect(await overdueListed(as), as).toBe(1);
      }
      expect((await brief(w, db, 'sz.duty')).overdue).toBe(0);
      // The escalated count agrees with the list's escalated filter over open cases.
      expect(
        (
          await data(w, db, 'gd.duty', LIST_TOTAL, {
            f: { escalated: true, status: OPEN_STATUSES },
          })
        ).complaints.totalCount,
      ).toBe(1);
    }));

  it('D32: received today is the Shanghai day — a case at 23:59 yesterday (+08:00) is not today, one at 00:30 is', () =>
    world().tx(async (db) => {
      const w = world();
      const s = steps(w, db);
      w.clock.set(at('2026-11-22T23:59:00+08:00'));
      await s.register('gd.agent', '13900000002');
      w.clock.set(at('2026-11-23T00:30:00+08:00')); // 16:30 UTC on the 22nd
      await s.register('gd.agent', '13900000003');
      w.clock.set(at('2026-11-23T07:59:00+08:00')); // 23:59 UTC on the 22nd
      expect((await brief(w, db, 'gd.duty')).receivedToday).toBe(1);
      w.clock.set(at('2026-11-23T08:30:00+08:00')); // 00:30 UTC on the 23rd: still the same Shanghai day
      expect((await brief(w, db, 'gd.duty')).receivedToday).toBe(1);
      w.clock.set(at('2026-11-24T00:00:00+08:00')); // midnight in Shanghai: a new day
      expect((await brief(w, db, 'gd.duty')).receivedToday).toBe(0);
    }));

  it('D32: an empty subtree lists all eight open states with zero counts', () =>
    world().tx(async (db) => {
      const w = world();
      await briefedSet(w, db);
      const b = await brief(w, db, 'gd.duty', 'GD-GZ-YX');
      expect(b).toEqual({
        unit: { code: 'GD-GZ-YX' },
        openByStatus: byStatus([0, 0, 0, 0, 0, 0, 0, 0]),
        overdue: 0,
        majorOpen: 0,
        escalated: 0,
        receivedToday: 0,
        topCategories: [],
      });
      // A county duty manager's own briefing: c3 and c5 are handled at GD-GZ-TH.
      const th = await brief(w, db, 'th.duty');
      expect(th.unit.code).toBe('GD-GZ-TH');
      expect(th.openByStatus).toEqual(byStatus([0, 0, 0, 1, 0, 1, 0, 0]));
      expect(th.majorOpen).toBe(1);
      expectTop(th.topCategories, { SERVICE_QUALITY: 1, TARIFF_POLICY: 1 });
    }));
});
