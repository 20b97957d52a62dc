import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { engine } from '../support/cases.js';
import { data, errorCodes, q, unitGid } from '../support/gql.js';
import { at, LIST_TOTAL, type Row, STATS, sorted, sum } from '../support/stats.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * D30 (counts by period, unit, line, category, severity, source, channel and
 * state) and D59 (statistics agree with lists: the same readable set, the
 * same unit filter, the half-open registration window [from, to), keys as an
 * object of dimension → value, time buckets in Asia/Shanghai).
 */

const world = useWorld();

/** The main window of the set below: November 2026 in Shanghai. */
const FROM = '2026-11-01T00:00:00+08:00';
const TO = '2026-12-01T00:00:00+08:00';

/**
 * Thirteen cases, each registered at a chosen instant (the engine registers
 * at the world clock's time). Where each ends up, written out by hand:
 *   before    ACCEPTED at GD, 1 ms before FROM (outside the window)
 *   gzCity    INVESTIGATING at GD-GZ, registered exactly at FROM (inside)
 *   thCounty  INVESTIGATING at GD-GZ-TH (delegated by GD-GZ)
 *   szNs      INVESTIGATING at GD-SZ-NS (delegated by GD-SZ)
 *   bcCentre  INVESTIGATING at the centre GD-BC
 *   province  ACCEPTED at GD
 *   partner   RECEIVED at GD, submitted by the GD partner
 *   walkIn    registered by th.handler at a hall, DISPATCHED to GD-SZ
 *   returned  dispatched to GD-GZ and returned: ACCEPTED at GD, chain GD-GZ
 *   gzDisp    DISPATCHED to GD-GZ, not yet acknowledged
 *   thWalkIn  registered by th.handler, still RECEIVED at GD
 *   zj        ACCEPTED at ZJ (another province), inside the window
 *   atTo      INVESTIGATING at GD-GZ, registered exactly at TO (outside)
 */
async function buildSet(w: World, db: Db) {
  const e = engine(w, db);
  const when = (iso: string) => w.clock.set(at(iso));
  const dispatch = (c: { id: string }, to: string) =>
    e.act('gd.agent', 'DISPATCH', c, { toUnitId: w.units[to]!.id, deadline: e.deadline() });

  when('2026-10-31T23:59:59.999+08:00');
  const before = await e.accepted();
  when(FROM);
  const gzCity = await e.investigating('city');
  when('2026-11-05T09:00:00+08:00');
  const thCounty = await e.investigating('county');
  when('2026-11-10T09:00:00+08:00');
  const szNs = await e.atNanshan(await e.accepted());
  when('2026-11-12T09:00:00+08:00');
  const bcCentre = await e.investigating('centre');
  when('2026-11-15T09:00:00+08:00');
  const province = await e.accepted();
  when('2026-11-18T09:00:00+08:00');
  const partner = await e.register('partner', {
    channel: 'API',
    businessLine: 'interconnection',
    category: 'CALL_COMPLETION',
    title: 'Calls to our subscribers fail',
  });
  when('2026-11-20T09:00:00+08:00');
  const walkIn = await e.walkIn();
  when('2026-11-22T09:00:00+08:00');
  let returned = await dispatch(await e.accepted(), 'GD-GZ');
  returned = await e.act('gz.handler', 'RETURN', returned, {
    note: 'Not ours: the customer lives in Shenzhen',
  });
  when(T0.toISOString());
  const zj = await e.act('zj.agent', 'ACCEPT', await e.register('zj.agent'), {
    businessLine: 'mobile',
    category: 'NETWORK_TECHNICAL',
    severity: 'ORDINARY',
  });
  when('2026-11-25T09:00:00+08:00');
  const gzDisp = await dispatch(await e.accepted(), 'GD-GZ');
  when('2026-11-26T09:00:00+08:00');
  const thWalkIn = await e.register('th.handler', {
    channel: 'BUSINESS_HALL',
    title: 'Another walk-in',
  });
  when(TO);
  const atTo = await e.investigating('city');
  w.clock.set(at('2026-12-05T09:00:00+08:00'));

  const cases = {
    before,
    gzCity,
    thCounty,
    szNs,
    bcCentre,
    province,
    partner,
    walkIn,
    returned,
    gzDisp,
    thWalkIn,
    zj,
    atTo,
  };
  const code = (id: string) => Object.values(w.units).find((u) => u.id === id)!.code;
  // The set-up is what the comment says it is.
  expect(
    Object.fromEntries(
      Object.entries(cases).map(([n, c]) => [n, `${c.status}@${code(c.handlingUnitId)}`]),
    ),
  ).toEqual({
    before: 'ACCEPTED@GD',
    gzCity: 'INVESTIGATING@GD-GZ',
    thCounty: 'INVESTIGATING@GD-GZ-TH',
    szNs: 'INVESTIGATING@GD-SZ-NS',
    bcCentre: 'INVESTIGATING@GD-BC',
    province: 'ACCEPTED@GD',
    partner: 'RECEIVED@GD',
    walkIn: 'DISPATCHED@GD-SZ',
    returned: 'ACCEPTED@GD',
    gzDisp: 'DISPATCHED@GD-GZ',
    thWalkIn: 'RECEIVED@GD',
    zj: 'ACCEPTED@ZJ',
    atTo: 'INVESTIGATING@GD-GZ',
  });
  expect(gzCity.registeredAt.toISOString()).toBe(at(FROM).toISOString());
  expect(atTo.registeredAt.toISOString()).toBe(at(TO).toISOString());
  return cases;
}

const stats = async (
  w: World,
  db: Db,
  as: string,
  input: Record<string, unknown>,
): Promise<Row[]> => (await data(w, db, as, STATS, { i: input })).complaintStats;
const total = async (
  w: World,
  db: Db,
  as: string,
  filter: Record<string, unknown>,
): Promise<number> => (await data(w, db, as, LIST_TOTAL, { f: filter })).complaints.totalCount;

const WINDOWS: [string, string][] = [
  [FROM, TO],
  ['2026-10-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00'],
  [FROM, '2026-11-01T00:00:00.001+08:00'],
  ['2026-11-20T00:00:00+08:00', '2026-11-23T00:00:00+08:00'],
  ['2026-11-30T00:00:00+08:00', TO],
  [TO, '2026-12-02T00:00:00+08:00'],
];

/**
 * What each viewer lists in the main window, by hand from D54: the province
 * reads all of GD; a city its subtree and the cases whose dispatch chain
 * passed through it; a first responder the cases they registered; the
 * partner what it submitted; ZJ only ZJ.
 */
const IN_MAIN_WINDOW: Record<string, number> = {
  'gd.agent': 10,
  'gd.duty': 10,
  'gd.auditor': 10,
  'gz.handler': 4, // gzCity, thCounty, returned (chain), gzDisp
  'gz.duty': 4,
  'th.handler': 3, // thCounty, walkIn and thWalkIn (first responder, D10)
  'sz.handler': 2, // szNs, walkIn
  'zj.agent': 1,
};

describe('D59: statistics agree with the list', { timeout: 120_000 }, () => {
  it('D59: for every viewer and window, the STATUS counts add up to the list totalCount of the same window', () =>
    world().tx(async (db) => {
      const w = world();
      await buildSet(w, db);
      for (const [as, expected] of Object.entries(IN_MAIN_WINDOW)) {
        for (const [from, to] of WINDOWS) {
          const rows = await stats(w, db, as, { from, to, groupBy: ['STATUS'] });
          const listed = await total(w, db, as, { registeredFrom: from, registeredTo: to });
          expect(sum(rows), `${as} [${from}, ${to})`).toBe(listed);
          expect(
            rows.every((r) => Object.keys(r.keys).join() === 'STATUS' && r.count > 0),
            `${as}: ${JSON.stringify(rows)}`,
          ).toBe(true);
          if (from === FROM && to === TO) expect(listed, as).toBe(expected);
        }
      }
    }));

  it('D59: with unitId GD-GZ the counts equal the list filtered by unitId (handled anywhere in the subtree)', () =>
    world().tx(async (db) => {
      const w = world();
      await buildSet(w, db);
      const expected: Record<string, number> = {
        'gd.agent': 3,
        'gd.duty': 3,
        'gd.auditor': 3,
        'gz.handler': 3,
        'gz.duty': 3,
        'th.handler': 1,
        'sz.handler': 0,
        'zj.agent': 0,
      };
      for (const [as, n] of Object.entries(expected)) {
        for (const [from, to] of WINDOWS) {
          const rows = await stats(w, db, as, {
            from,
            to,
            unitId: unitGid(w, 'GD-GZ'),
            groupBy: ['STATUS'],
          });
          const listed = await total(w, db, as, {
            registeredFrom: from,
            registeredTo: to,
            unitId: unitGid(w, 'GD-GZ'),
          });
          expect(sum(rows), `${as} [${from}, ${to})`).toBe(listed);
          if (from === FROM && to === TO) expect(listed, as).toBe(n);
        }
      }
    }));

  it('D59 D30: grouped by UNIT, one row per child of the scope with its whole subtree, and one for the scope itself', () =>
    world().tx(async (db) => {
      const w = world();
      await buildSet(w, db);
      const window = { from: FROM, to: TO };
      // gd.agent, scope GD: the county case counts under GD-GZ, the NS one under GD-SZ; the province's own under GD.
      expect(sorted(await stats(w, db, 'gd.agent', { ...window, groupBy: ['UNIT'] }))).toEqual(
        sorted([
          { keys: { UNIT: 'GD' }, count: 4 }, // province, partner, returned, thWalkIn
          { keys: { UNIT: 'GD-BC' }, count: 1 },
          { keys: { UNIT: 'GD-GZ' }, count: 3 }, // gzCity, thCounty, gzDisp
          { keys: { UNIT: 'GD-SZ' }, count: 2 }, // szNs, walkIn
        ]),
      );
      // The scope given: GD-GZ's children (TH) and GD-GZ itself; YX holds nothing and has no row.
      for (const as of ['gd.agent', 'gz.handler', 'gz.duty']) {
        expect(
          sorted(
            await stats(w, db, as, { ...window, unitId: unitGid(w, 'GD-GZ'), groupBy: ['UNIT'] }),
          ),
          as,
        ).toEqual(
          sorted([
            { keys: { UNIT: 'GD-GZ' }, count: 2 },
            { keys: { UNIT: 'GD-GZ-TH' }, count: 1 },
          ]),
        );
      }
      // Without unitId the scope is the viewer's widest unit, but the figures cover the whole list (no unit filter):
      // a case read outside the scope's subtree (dispatch chain, first responder) is keyed by the unit holding it.
      for (const as of ['gz.handler', 'gz.duty']) {
        expect(sorted(await stats(w, db, as, { ...window, groupBy: ['UNIT'] })), as).toEqual(
          sorted([
            { keys: { UNIT: 'GD' }, count: 1 }, // returned: back at the province, GD-GZ on its chain
            { keys: { UNIT: 'GD-GZ' }, count: 2 },
            { keys: { UNIT: 'GD-GZ-TH' }, count: 1 },
          ]),
        );
      }
      expect(sorted(await stats(w, db, 'th.handler', { ...window, groupBy: ['UNIT'] }))).toEqual(
        sorted([
          { keys: { UNIT: 'GD' }, count: 1 }, // thWalkIn, not yet dispatched
          { keys: { UNIT: 'GD-GZ-TH' }, count: 1 },
          { keys: { UNIT: 'GD-SZ' }, count: 1 }, // walkIn, dispatched to Shenzhen
        ]),
      );
      // A county as the scope: its own cases only.
      expect(
        await stats(w, db, 'gd.duty', {
          ...window,
          unitId: unitGid(w, 'GD-GZ-TH'),
          groupBy: ['UNIT'],
        }),
      ).toEqual([{ keys: { UNIT: 'GD-GZ-TH' }, count: 1 }]);
    }));

  it('D59: keys are an object from each grouped dimension to its value (UNIT and STATUS)', () =>
    world().tx(async (db) => {
      const w = world();
      await buildSet(w, db);
      const rows = await stats(w, db, 'gd.auditor', {
        from: FROM,
        to: TO,
        groupBy: ['UNIT', 'STATUS'],
      });
      expect(sorted(rows)).toEqual(
        sorted([
          { keys: { UNIT: 'GD', STATUS: 'ACCEPTED' }, count: 2 }, // province, returned
          { keys: { UNIT: 'GD', STATUS: 'RECEIVED' }, count: 2 }, // partner, thWalkIn
          { keys: { UNIT: 'GD-BC', STATUS: 'INVESTIGATING' }, count: 1 },
          { keys: { UNIT: 'GD-GZ', STATUS: 'INVESTIGATING' }, count: 2 },
          { keys: { UNIT: 'GD-GZ', STATUS: 'DISPATCHED' }, count: 1 },
          { keys: { UNIT: 'GD-SZ', STATUS: 'INVESTIGATING' }, count: 1 },
          { keys: { UNIT: 'GD-SZ', STATUS: 'DISPATCHED' }, count: 1 },
        ]),
      );
      for (const r of rows) expect(Object.keys(r.keys).sort()).toEqual(['STATUS', 'UNIT']);
      // The order of groupBy does not change the keys' names.
      expect(
        sum(await stats(w, db, 'gd.auditor', { from: FROM, to: TO, groupBy: ['STATUS', 'UNIT'] })),
      ).toBe(10);
    }));

  it('D59 D30: the other dimensions are keyed by their enum value or code', () =>
    world().tx(async (db) => {
      const w = world();
      await buildSet(w, db);
      const window = { from: FROM, to: TO };
      const by = async (d: string) =>
        sorted(await stats(w, db, 'gd.agent', { ...window, groupBy: [d] }));
      expect(await by('SOURCE')).toEqual(
        sorted([
          { keys: { SOURCE: 'CUSTOMER' }, count: 9 },
          { keys: { SOURCE: 'PARTNER_CARRIER' }, count: 1 },
        ]),
      );
      expect(await by('CHANNEL')).toEqual(
        sorted([
          { keys: { CHANNEL: 'PHONE' }, count: 7 },
          { keys: { CHANNEL: 'API' }, count: 1 },
          { keys: { CHANNEL: 'VISIT' }, count: 1 },
          { keys: { CHANNEL: 'BUSINESS_HALL' }, count: 1 },
        ]),
      );
      // The two walk-ins and the partner case: thWalkIn is not classified yet (no line, no category, no severity).
      expect(await by('BUSINESS_LINE')).toEqual(
        sorted([
          { keys: { BUSINESS_LINE: 'mobile' }, count: 8 },
          { keys: { BUSINESS_LINE: 'interconnection' }, count: 1 },
          { keys: { BUSINESS_LINE: null }, count: 1 } as unknown as Row,
        ]),
      );
      expect(await by('CATEGORY')).toEqual(
        sorted([
          { keys: { CATEGORY: 'NETWORK_TECHNICAL' }, count: 7 },
          { keys: { CATEGORY: 'PROCESS' }, count: 1 },
          { keys: { CATEGORY: 'CALL_COMPLETION' }, count: 1 },
          { keys: { CATEGORY: null }, count: 1 } as unknown as Row,
        ]),
      );
      const severity = await by('SEVERITY');
      expect(sum(severity)).toBe(10);
      expect(severity.find((r) => r.keys.SEVERITY === 'ORDINARY')?.count).toBe(8);
    }));

  it('D59: the half-open window counts a case registered exactly at `from` and not one registered exactly at `to`', () =>
    world().tx(async (db) => {
      const w = world();
      await buildSet(w, db);
      const count = async (from: string, to: string) =>
        sum(await stats(w, db, 'gd.agent', { from, to, groupBy: [] }));
      expect(await count(FROM, '2026-11-01T00:00:00.001+08:00')).toBe(1); // gzCity at FROM
      expect(await count('2026-10-31T23:59:59.999+08:00', FROM)).toBe(1); // `before`, not gzCity
      expect(await count('2026-11-30T00:00:00+08:00', TO)).toBe(0); // atTo is excluded
      expect(await count(TO, '2026-12-01T00:00:00.001+08:00')).toBe(1); // …and included when it is `from`
      // The same instants in another offset are the same window.
      expect(await count('2026-10-31T16:00:00Z', '2026-11-30T16:00:00Z')).toBe(10);
    }));

  it('D59 D54 D40: zj.agent sees none of GD; the GD partner gets no statistics and lists only what it submitted', () =>
    world().tx(async (db) => {
      const w = world();
      await buildSet(w, db);
      const window = { from: '2026-10-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' };
      expect(await stats(w, db, 'zj.agent', { ...window, groupBy: ['UNIT'] })).toEqual([
        { keys: { UNIT: 'ZJ' }, count: 1 },
      ]);
      expect(
        await stats(w, db, 'zj.agent', {
          ...window,
          unitId: unitGid(w, 'GD'),
          groupBy: ['STATUS'],
        }),
      ).toEqual([]);
      expect(
        await stats(w, db, 'zj.agent', { ...window, unitId: unitGid(w, 'GD-GZ'), groupBy: [] }),
      ).toEqual([{ keys: {}, count: 0 }]);
      // D40 (issue 18): statistics are a staff operation; the partner lists only what it submitted.
      const refused = await q(w, db, 'partner', STATS, {
        i: { ...window, groupBy: ['UNIT', 'STATUS', 'SOURCE'] },
      });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(
        await total(w, db, 'partner', { registeredFrom: window.from, registeredTo: window.to }),
      ).toBe(1);
    }));
});

describe('D30: time buckets in Asia/Shanghai', () => {
  /** Registers one case per instant (as gd.agent, accepted) and returns the stats of the whole span by `dim`. */
  async function bucketed(w: World, db: Db, instants: string[], dims: string[]) {
    const e = engine(w, db);
    for (const iso of instants) {
      w.clock.set(at(iso));
      await e.accepted();
    }
    w.clock.set(at('2027-06-01T00:00:00+08:00'));
    const window = { from: '2025-01-01T00:00:00+08:00', to: '2028-01-01T00:00:00+08:00' };
    return sorted(await stats(w, db, 'gd.agent', { ...window, groupBy: dims }));
  }

  it('D30: 23:30 on 31 March in Shanghai (15:30 UTC) is March and Q1; 00:10 on 1 April (16:10 UTC on 31 March) is April and Q2', () =>
    world().tx(async (db) => {
      const w = world();
      const instants = ['2026-03-31T23:30:00+08:00', '2026-04-01T00:10:00+08:00'];
      expect(at(instants[0]!).toISOString()).toBe('2026-03-31T15:30:00.000Z');
      expect(at(instants[1]!).toISOString()).toBe('2026-03-31T16:10:00.000Z');
      expect(await bucketed(w, db, instants, ['MONTH'])).toEqual([
        { keys: { MONTH: '2026-03' }, count: 1 },
        { keys: { MONTH: '2026-04' }, count: 1 },
      ]);
      expect(
        await stats(w, db, 'gd.agent', {
          from: '2026-01-01T00:00:00+08:00',
          to: '2027-01-01T00:00:00+08:00',
          groupBy: ['QUARTER'],
        }).then(sorted),
      ).toEqual([
        { keys: { QUARTER: '2026-Q1' }, count: 1 },
        { keys: { QUARTER: '2026-Q2' }, count: 1 },
      ]);
      expect(
        await stats(w, db, 'gd.agent', {
          from: '2026-01-01T00:00:00+08:00',
          to: '2027-01-01T00:00:00+08:00',
          groupBy: ['DAY'],
        }).then(sorted),
      ).toEqual([
        { keys: { DAY: '2026-03-31' }, count: 1 },
        { keys: { DAY: '2026-04-01' }, count: 1 },
      ]);
      // Tuesday 31 March and Wednesday 1 April 2026 are in the same ISO week, the 14th.
      expect(
        await stats(w, db, 'gd.agent', {
          from: '2026-01-01T00:00:00+08:00',
          to: '2027-01-01T00:00:00+08:00',
          groupBy: ['WEEK'],
        }),
      ).toEqual([{ keys: { WEEK: '2026-W14' }, count: 2 }]);
    }));

  it('D30: the YEAR boundary is midnight in Shanghai: 2025-12-31T23:59+08:00 is 2025, 2026-01-01T00:01+08:00 is 2026', () =>
    world().tx(async (db) => {
      const w = world();
      const rows = await bucketed(
        w,
        db,
        ['2025-12-31T23:59:00+08:00', '2026-01-01T00:01:00+08:00'],
        ['YEAR', 'SEVERITY'],
      );
      expect(rows).toEqual([
        { keys: { YEAR: '2025', SEVERITY: 'ORDINARY' }, count: 1 },
        { keys: { YEAR: '2026', SEVERITY: 'ORDINARY' }, count: 1 },
      ]);
      // Both days lie in ISO week 1 of 2026 (its Thursday is 1 January), whatever their calendar year.
      expect(
        await stats(w, db, 'gd.agent', {
          from: '2025-12-01T00:00:00+08:00',
          to: '2026-02-01T00:00:00+08:00',
          groupBy: ['WEEK'],
        }),
      ).toEqual([{ keys: { WEEK: '2026-W01' }, count: 2 }]);
      expect(
        await stats(w, db, 'gd.agent', {
          from: '2025-12-01T00:00:00+08:00',
          to: '2026-02-01T00:00:00+08:00',
          groupBy: ['QUARTER'],
        }).then(sorted),
      ).toEqual([
        { keys: { QUARTER: '2025-Q4' }, count: 1 },
        { keys: { QUARTER: '2026-Q1' }, count: 1 },
      ]);
    }));

  it('D30: WEEK is the ISO week (2026-11-23 → 2026-W48, 2027-01-01 → 2026-W53), DAY the Shanghai date', () =>
    world().tx(async (db) => {
      const w = world();
      // 2027-01-01 07:00 in Shanghai is still 31 December 2026 in UTC: the Shanghai date decides.
      const instants = [
        '2026-11-23T10:00:00+08:00',
        '2026-11-29T23:59:00+08:00',
        '2026-11-30T00:00:00+08:00',
        '2027-01-01T07:00:00+08:00',
        '2027-01-04T00:30:00+08:00',
      ];
      expect(await bucketed(w, db, instants, ['WEEK'])).toEqual([
        { keys: { WEEK: '2026-W48' }, count: 2 }, // Monday 23 and Sunday 29 November
        { keys: { WEEK: '2026-W49' }, count: 1 }, // Monday 30 November
        { keys: { WEEK: '2026-W53' }, count: 1 }, // Friday 1 January 2027: 2026 has 53 ISO weeks
        { keys: { WEEK: '2027-W01' }, count: 1 }, // Monday 4 January 2027
      ]);
      const window = { from: '2025-01-01T00:00:00+08:00', to: '2028-01-01T00:00:00+08:00' };
      expect(sorted(await stats(w, db, 'gd.agent', { ...window, groupBy: ['DAY'] }))).toEqual([
        { keys: { DAY: '2026-11-23' }, count: 1 },
        { keys: { DAY: '2026-11-29' }, count: 1 },
        { keys: { DAY: '2026-11-30' }, count: 1 },
        { keys: { DAY: '2027-01-01' }, count: 1 },
        { keys: { DAY: '2027-01-04' }, count: 1 },
      ]);
      expect(sorted(await stats(w, db, 'gd.agent', { ...window, groupBy: ['YEAR'] }))).toEqual([
        { keys: { YEAR: '2026' }, count: 3 },
        { keys: { YEAR: '2027' }, count: 2 },
      ]);
      expect(
        sorted(await stats(w, db, 'gd.agent', { ...window, groupBy: ['MONTH', 'UNIT'] })),
      ).toEqual([
        { keys: { MONTH: '2026-11', UNIT: 'GD' }, count: 3 },
        { keys: { MONTH: '2027-01', UNIT: 'GD' }, count: 2 },
      ]);
    }));

  it('D30: two time buckets in one groupBy are a GraphQL error', () =>
    world().tx(async (db) => {
      const w = world();
      for (const groupBy of [
        ['MONTH', 'YEAR'],
        ['DAY', 'STATUS', 'WEEK'],
        ['QUARTER', 'UNIT', 'MONTH'],
      ]) {
        const codes = await errorCodes(
          w,
          db,
          'gd.agent',
          STATS,
          { i: { from: FROM, to: TO, groupBy } },
          { noData: true },
        );
        expect(codes, JSON.stringify(groupBy)).toEqual(['VALIDATION']);
      }
      // One time bucket with any other dimensions is fine; the same dimension twice counts once.
      expect(
        await stats(w, db, 'gd.agent', {
          from: FROM,
          to: TO,
          groupBy: ['MONTH', 'STATUS', 'UNIT'],
        }),
      ).toEqual([]);
    }));

  it('D59: a window with from >= to is a GraphQL error', () =>
    world().tx(async (db) => {
      const w = world();
      for (const [from, to] of [
        [TO, FROM],
        [FROM, FROM],
        ['2026-11-01T00:00:00+08:00', '2026-10-31T16:00:00Z'], // the same instant in two offsets
      ]) {
        const codes = await errorCodes(
          w,
          db,
          'gd.agent',
          STATS,
          { i: { from, to, groupBy: ['STATUS'] } },
          { noData: true },
        );
        expect(codes, `${from} ${to}`).toEqual(['VALIDATION']);
      }
    }));
});
