import { and, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, rowsOf } from '../../src/db/client.js';
import { unitById } from '../../src/domain/org.js';
import { assessment, windowWhere } from '../../src/domain/stats.js';
import { rollupMeasures, rollupPersonMeasures } from '../../src/domain/stats-measures.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { DAY, engine, HOUR } from '../support/cases.js';
import { data, gql, moveUnit } from '../support/gql.js';
import { readingOf } from '../support/rollup-walk.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * D31 completed: findings by responsible unit (by nature, by remedy with amounts — a line's own recorded
 * remedies included — by cause, D79), the return rate (returns and sent-back reports per dispatch), per-person
 * rows for whoever owned a step, and the responsible units' rectifications open and overdue (D75).
 * Every expected figure is worked out by hand in the comments.
 */

const world = useWorld();

/** A viewer's reading of its unit (and what it reads elsewhere) over [from, to): what the rollup paths and `assessment` are asked. */
async function viewerWindow(
  w: World,
  db: Db,
  username: string,
  unit: string,
  [from, to, now]: [Date, Date, Date],
) {
  const scope = (await unitById(db, w.units[unit]!.id))!;
  const { readable, cover } = await readingOf(w, db, w.staff[username]!, null);
  const where = and(readable, windowWhere(from, to))!;
  const request = { where, scope, from, to, subtreeOnly: false, cover: cover!, now };
  const args = (by: 'UNIT' | 'PERSON') =>
    [db, readable, scope, from, to, by, now, false, []] as const;
  return { cover, request, args };
}

/** gd.legal's reading of the province over [from, to). */
const provinceWindow = (w: World, db: Db, from: Date, to: Date, now: Date) =>
  viewerWindow(w, db, 'gd.legal', 'GD', [from, to, now]);

const QUERY = `query ($i: AssessmentInput!) { assessment(input: $i) {
  unit { code } user { username } received returnRate rectificationsOpen rectificationsOverdue
  clocks { clock total onTime }
  findings { byNature { nature count } byRemedy { kind count amount } byCause { category count } }
} }`;

/**
 * The set, all registered on Mon 2026-11-23 (T0):
 *   c1  mobile, GD-GZ: VALID, NETWORK_FAULT, COMPENSATION 20, responsible GD-GZ-TH, suggestion "R1" → RESOLVED (a rectification for TH)
 *   c2  mobile, dispatched to GD-GZ and returned, dispatched again; PARTIALLY_VALID, PROCESS_DELAY, APOLOGY (no unit named: GD-GZ);
 *       the report sent back once by the leader, resubmitted, confirmed, approved → RESOLVED, no suggestion
 *   c3  billing-dispute, GD-SZ: VALID, no cause given (OTHER), BILL_ADJUSTED 30; the line records a refund of 12.50 on it
 * Per UNIT under GD:
 *   GD-GZ  findings c1 (its county TH rolls up) and c2: VALID 1, PARTIALLY_VALID 1; COMPENSATION 1 / 20, APOLOGY 1 / 0;
 *          NETWORK_FAULT 1, PROCESS_DELAY 1; dispatches received 3 (c1, c2 twice), returned 1 + sent back 1 → 2/3;
 *          rectifications open 1 (c1's, TH's), overdue 0 — 1 once 30 working days have passed
 *   GD-SZ  VALID 1; BILL_ADJUSTED 1 / 30 + 12.50 = 42.50; OTHER 1; 0 of 1 dispatches bounced → 0; no rectification
 * Per PERSON:
 *   gz.handler  took 3 dispatches (ack c1, return c2, ack c2), returned 1, its c2 report sent back 1 → 2/3;
 *               ASSIGNMENT: c1's and c2's second assignment stopped by its reports in time → 2 of 2 (c2's first: CANCELLED)
 *   sz.handler  took 1, none bounced → 0
 *   gd.agent    the first responder: no ASSIGNMENT clock of its own
 */
async function theSet(w: World, db: Db) {
  const e = engine(w, db);
  const gz = w.units['GD-GZ']!.id;
  const accepted = (line = 'mobile', category = 'NETWORK_TECHNICAL') =>
    e
      .register('gd.agent')
      .then((c) =>
        e.act('gd.agent', 'ACCEPT', c, { businessLine: line, category, severity: 'ORDINARY' }),
      );
  const toCity = async (c: { id: string }, unit = gz, handler = 'gz.handler') =>
    e.act(
      handler,
      'ACKNOWLEDGE',
      await e.act('gd.agent', 'DISPATCH', c, { toUnitId: unit, deadline: e.deadline() }),
      {},
    );
  const finishCity = async (c: { id: string }, handler = 'gz.handler', leader = 'gz.leader') => {
    const r = await e.act(handler, 'SUBMIT_REPORT', c, {});
    return e.act(
      'gd.agent',
      'REVIEW_REPORT',
      await e.act(leader, 'CONFIRM_REPORT', r, { approve: true }),
      { approve: true },
    );
  };

  let c1 = await toCity(await accepted());
  await e.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c1, {
    nature: 'VALID',
    rootCause: 'Cell down',
    cause: 'NETWORK_FAULT',
    remedy: { kind: 'COMPENSATION', amount: 20 },
    responsibleUnitId: w.units['GD-GZ-TH']!.id,
    rectification: 'R1',
  });
  c1 = await finishCity(c1);

  let c2 = await e.act('gd.agent', 'DISPATCH', await accepted(), {
    toUnitId: gz,
    deadline: e.deadline(),
  });
  c2 = await e.act('gz.handler', 'RETURN', c2, { note: 'Not ours' });
  c2 = await toCity(c2);
  await e.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c2, {
    nature: 'PARTIALLY_VALID',
    rootCause: 'Slow desk',
    cause: 'PROCESS_DELAY',
    remedy: { kind: 'APOLOGY' },
  });
  c2 = await e.act('gz.handler', 'SUBMIT_REPORT', c2, {});
  c2 = await e.act('gz.leader', 'CONFIRM_REPORT', c2, {
    approve: false,
    note: 'Say what the customer was told',
  });
  c2 = await finishCity(c2);

  const c3 = await toCity(
    await accepted('billing-dispute', 'BILLING_DISPUTE'),
    w.units['GD-SZ']!.id,
    'sz.handler',
  );
  await e.act('sz.handler', 'DETERMINE_RESPONSIBILITY', c3, {
    nature: 'VALID',
    rootCause: 'Double charge',
    remedy: { kind: 'BILL_ADJUSTED', amount: 30 },
  });
  const adj = await gql(
    w.app(db),
    `mutation($i: BillingAdjustmentInput!) { recordBillingAdjustment(input: $i) { userErrors { code message } } }`,
    { i: { id: toGlobalId('Complaint', c3.id), amount: 12.5 } },
    { token: await w.token('sz.handler') },
  );
  expect(adj.data.recordBillingAdjustment.userErrors).toEqual([]);
  return { c1, c2, c3 };
}

const FROM = '2026-11-23T00:00:00+08:00';
const TO = '2027-03-01T00:00:00+08:00';

async function assess(
  w: World,
  db: Db,
  as: string,
  by: 'UNIT' | 'PERSON',
  [from, to] = [FROM, TO],
) {
  const r = await gql(w.app(db), QUERY, { i: { from, to, by } }, { token: await w.token(as) });
  expect(r.errors).toBeUndefined();
  return r.data.assessment as any[];
}

describe('D31: findings, return rate, rectifications per unit', () => {
  it("D31 D79: findings by the responsible unit — by nature, by remedy with amounts (a line's recorded remedies included), by cause", () =>
    world().tx(async (db) => {
      const w = world();
      await theSet(w, db);
      const rows = await assess(w, db, 'gd.legal', 'UNIT');
      const gz = rows.find((r) => r.unit?.code === 'GD-GZ');
      expect(gz.findings).toEqual({
        byNature: [
          { nature: 'VALID', count: 1 },
          { nature: 'PARTIALLY_VALID', count: 1 },
        ],
        byRemedy: [
          { kind: 'COMPENSATION', count: 1, amount: 20 },
          { kind: 'APOLOGY', count: 1, amount: 0 },
        ],
        byCause: [
          { category: 'NETWORK_FAULT', count: 1 },
          { category: 'PROCESS_DELAY', count: 1 },
        ],
      });
      const sz = rows.find((r) => r.unit?.code === 'GD-SZ');
      expect(sz.findings).toEqual({
        byNature: [{ nature: 'VALID', count: 1 }],
        byRemedy: [{ kind: 'BILL_ADJUSTED', count: 1, amount: 42.5 }],
        byCause: [{ category: 'OTHER', count: 1 }],
      });
    }));

  it('D31: the return rate is returns and sent-back reports per dispatch, for the unit that received it', () =>
    world().tx(async (db) => {
      const w = world();
      await theSet(w, db);
      const rows = await assess(w, db, 'gd.legal', 'UNIT');
      expect(rows.find((r) => r.unit?.code === 'GD-GZ').returnRate).toBeCloseTo(2 / 3, 6);
      expect(rows.find((r) => r.unit?.code === 'GD-SZ').returnRate).toBe(0);
      expect(rows.find((r) => r.unit?.code === 'GD')).toBeUndefined(); // nothing held by the province in this set
    }));

  it("D31 D75: the responsible units' rectifications open and overdue; RECTIFY is not a case clock of the rates", () =>
    world().tx(async (db) => {
      const w = world();
      await theSet(w, db);
      let gz = (await assess(w, db, 'gd.legal', 'UNIT')).find((r) => r.unit?.code === 'GD-GZ');
      expect([gz.rectificationsOpen, gz.rectificationsOverdue]).toEqual([1, 0]);
      expect(gz.clocks.map((c: any) => c.clock)).not.toContain('RECTIFY');
      w.clock.advance(60 * DAY);
      gz = (await assess(w, db, 'gd.legal', 'UNIT')).find((r) => r.unit?.code === 'GD-GZ');
      expect([gz.rectificationsOpen, gz.rectificationsOverdue]).toEqual([1, 1]);
      // Scoped to GD-GZ, the rectification is its county's row (the county received no case: 0), not the city's own.
      const city = await gql(
        w.app(db),
        QUERY,
        {
          i: {
            from: FROM,
            to: TO,
            by: 'UNIT',
            unitId: toGlobalId('OrgUnit', w.units['GD-GZ']!.id),
          },
        },
        { token: await w.token('gd.legal') },
      );
      const byCode = Object.fromEntries(
        city.data.assessment.map((r: any) => [
          r.unit.code,
          [r.received, r.rectificationsOpen, r.rectificationsOverdue],
        ]),
      );
      expect(byCode).toEqual({ 'GD-GZ': [2, 0, 0], 'GD-GZ-TH': [0, 1, 1] });
    }));
});

describe('D31: per PERSON, every person who owned a step', () => {
  it("D31: the handler who made a unit's report owns its ASSIGNMENT clocks and rework; findings are null in PERSON rows", () =>
    world().tx(async (db) => {
      const w = world();
      await theSet(w, db);
      w.clock.advance(HOUR);
      const rows = await assess(w, db, 'gd.legal', 'PERSON');
      const of = (u: string) => rows.find((r) => r.user?.username === u);
      expect(of('gz.handler')).toMatchObject({
        received: 0,
        findings: null,
        rectificationsOpen: 0,
      });
      expect(of('gz.handler').returnRate).toBeCloseTo(2 / 3, 6);
      expect(of('gz.handler').clocks, JSON.stringify(of('gz.handler').clocks)).toEqual([
        { clock: 'ASSIGNMENT', total: 2, onTime: 2 },
      ]);
      expect(of('sz.handler').returnRate).toBe(0);
      expect(of('gd.agent').received).toBe(3);
      expect(of('gd.agent').clocks.map((c: any) => c.clock)).not.toContain('ASSIGNMENT');
    }));

  it('D31 D59 issue 25: by PERSON over a whole month the same rows come from the rollups of migration 0029, after the cases move', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0); // the set in November 2026 (other tests move the world's clock)
      await theSet(w, db);
      w.clock.advance(HOUR);
      const now = w.clock.now();
      const [from, to] = [
        new Date('2026-11-01T00:00:00+08:00'),
        new Date('2026-12-01T00:00:00+08:00'),
      ];
      const { cover, request, args: argsBy } = await provinceWindow(w, db, from, to, now);
      const args = argsBy('PERSON');
      const expectRolled = async (when: string) => {
        // November is a whole month: every figure from the rollups, none of the set's cases scanned
        const rolled = await rollupPersonMeasures(db, request);
        expect(rolled, when).not.toBeNull();
        expect(await assessment(...args, cover), when).toEqual(await assessment(...args));
        return rolled!;
      };
      const rolled = await expectRolled('as made');
      // the hand-worked figures above: gz.handler took 3, bounced 2 (a return, a report sent back), 2 of 2 ASSIGNMENT
      expect(rolled.persons.get(w.staff['gz.handler']!.id)).toEqual({
        owned: 3,
        bounced: 2,
        assignmentClocks: { total: 2, onTime: 2 },
      });
      expect(rolled.measures.cases.find((c) => c.k === w.staff['gd.agent']!.id)?.received).toBe(3);
      const rows = await assess(w, db, 'gd.legal', 'PERSON', [
        '2026-11-01T00:00:00+08:00',
        '2026-12-01T00:00:00+08:00',
      ]);
      expect(rows.find((r) => r.user?.username === 'gz.handler').returnRate).toBeCloseTo(2 / 3, 6);

      // cases moved by hand to another unit and first responder carry their figures and their persons' work along
      await db.execute(sql`update complaints set handling_path = ${w.units['GD-SZ']!.path},
        handling_unit_id = ${w.units['GD-SZ']!.id}, first_responder_id = ${w.staff['gd.agent2']!.id}
        where handling_path = ${w.units['GD-GZ']!.path}`);
      const moved = await expectRolled('moved');
      expect(moved.persons.get(w.staff['gz.handler']!.id)).toEqual(
        rolled.persons.get(w.staff['gz.handler']!.id),
      );
      expect(moved.measures.cases.find((c) => c.k === w.staff['gd.agent2']!.id)?.received).toBe(2);
    }));
});

describe('D31 D59 issue 25: a window cut inside its first and last days', () => {
  it('reads each cut day as its rollup rows less the cases outside the window, and equals the scan', () =>
    world().tx(async (db) => {
      const w = world();
      const e = engine(w, db);
      // four cases each side of 10:00 on the first day and of 14:00 on the last, one whole day between
      const at = async (t: string, accept: boolean) => {
        w.clock.set(new Date(t));
        if (accept) await e.accepted();
        else await e.register('gd.agent');
      };
      await at('2026-11-10T08:00:00+08:00', true); // before the window
      await at('2026-11-10T11:00:00+08:00', true);
      await at('2026-11-11T12:00:00+08:00', false);
      await at('2026-11-12T09:00:00+08:00', true);
      await at('2026-11-12T16:00:00+08:00', true); // after the window
      w.clock.set(new Date('2026-11-12T20:00:00+08:00'));
      const now = w.clock.now();
      const [from, to] = [
        new Date('2026-11-10T10:00:00+08:00'),
        new Date('2026-11-12T14:00:00+08:00'),
      ];
      const { cover, request, args } = await provinceWindow(w, db, from, to, now);
      const rolled = await rollupPersonMeasures(db, request);
      const agent = rolled?.measures.cases.find((c) => c.k === w.staff['gd.agent']!.id);
      // 11:00, the whole day and 09:00: the first day's 08:00 and the last day's 16:00 are taken away
      expect(agent?.received).toBe(3);
      expect(agent?.accepted).toBe(2);
      expect(await assessment(...args('PERSON'), cover)).toEqual(
        await assessment(...args('PERSON')),
      );
      // and by unit, from the unit rollups of migration 0022 cut the same way
      const all = await rollupMeasures(db, { ...request, by: 'ALL', rectificationClocks: false });
      expect(all?.cases.map((c) => [c.received, c.accepted])).toEqual([[3, 2]]);
      expect(await assessment(...args('UNIT'), cover)).toEqual(await assessment(...args('UNIT')));
    }));

  it('reads the cases a viewer reads outside its subtrees on a cut day: as first responder, through the dispatch chain', () =>
    world().tx(async (db) => {
      const w = world();
      const e = engine(w, db);
      // Each side of the cuts: a walk-in at Tianhe (th.handler its first responder, D10) handled at GD-SZ, and a case
      // investigated at GD-GZ-TH through GD-GZ, which then moves under GD-SZ (D1a): GD-GZ reads it through its chain.
      const times = [
        '2026-11-10T08:00:00+08:00', // before the window
        '2026-11-10T11:00:00+08:00',
        '2026-11-12T09:00:00+08:00',
        '2026-11-12T16:00:00+08:00', // after the window
      ];
      for (const t of times) {
        w.clock.set(new Date(t));
        await e.walkIn();
        await e.investigating('county');
      }
      expect(await moveUnit(w, db, 'GD-GZ-TH', 'GD-SZ')).toEqual([]);
      w.clock.set(new Date('2026-11-12T20:00:00+08:00'));
      const now = w.clock.now();
      const [from, to] = [
        new Date('2026-11-10T10:00:00+08:00'),
        new Date('2026-11-12T14:00:00+08:00'),
      ];
      // th.handler: its two walk-ins of the window (outside its subtree) and the two cases handled at Tianhe;
      // gz.handler: the two cases of Tianhe, now outside its subtree
      for (const [name, unit, received] of [
        ['th.handler', 'GD-GZ-TH', 4],
        ['gz.handler', 'GD-GZ', 2],
      ] as const) {
        const { cover, request, args } = await viewerWindow(w, db, name, unit, [from, to, now]);
        // the cases of the window, none of those before or after it
        const all = await rollupMeasures(db, { ...request, by: 'ALL', rectificationClocks: false });
        expect(
          all?.cases.map((c) => c.received),
          name,
        ).toEqual([received]);
        const rolled = await rollupPersonMeasures(db, request);
        expect(rolled, name).not.toBeNull();
        for (const by of ['UNIT', 'PERSON'] as const)
          expect(await assessment(...args(by), cover), `${name} by ${by}`).toEqual(
            await assessment(...args(by)),
          );
      }
    }));
});

describe('D77 D31 D36: the analysis report counts what assessment counts', () => {
  it("D77 D36 issue 21: a report's totals include the lines' own remedy records (the billing adjustment), its causes the findings' codes, its volume by kind every kind", () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0); // the set is registered in November 2026 (other tests move the world's clock)
      await theSet(w, db);
      await engine(w, db).register('gd.agent', { kind: 'CONSULTATION' } as never);
      const { computeFigures } = await import('../../src/domain/analysis-report.js');
      const { complaintsWhere } = await import('../../src/auth/sql.js');
      const { defineAbilityFor } = await import('../../src/auth/abilities.js');
      const readable = complaintsWhere(
        defineAbilityFor(w.staff['gd.legal']!, w.lines.abilities),
        'read',
      );
      const gd = w.units.GD!;
      const f = await computeFigures(
        db,
        readable,
        gd,
        'MONTH',
        '2026-11-01',
        w.clock.now(),
        w.lines.remedyRecords(),
      );
      expect(f.adjustmentTotal).toBe(42.5); // 30 in the finding + 12.50 the line recorded
      expect(f.compensationTotal).toBe(20);
      expect(f.findings.byCause.map((c) => c.category).sort()).toEqual([
        'NETWORK_FAULT',
        'OTHER',
        'PROCESS_DELAY',
      ]);
      expect(Object.fromEntries(f.byKind.map((r) => [r.keys.KIND, r.count]))).toEqual({
        COMPLAINT: 3,
        CONSULTATION: 1,
      });
      expect(f.total.current).toBe(3); // the rest counts complaints, as the statistics do by default (D59, D70)
      expect(f.rectifications.opened).toBe(1);
      // Without the lines' declarations only the finding's own amount is there: the records are what adds 12.50.
      const bare = await computeFigures(db, readable, gd, 'MONTH', '2026-11-01', w.clock.now());
      expect(bare.adjustmentTotal).toBe(30);
    }));
});
