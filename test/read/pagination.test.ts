import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { CHANNELS, type Severity, SOURCES, type Status } from '../../src/domain/enums.js';
import type { ComplaintRow } from '../../src/domain/lifecycle.js';
import { formatDateTime } from '../../src/graphql/datetime.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { type As, data, errorCodes, q } from '../support/gql.js';
import { prng } from '../support/random.js';
import { insertRows, type RowSpec } from '../support/rows.js';
import { HOUR, MINUTE } from '../support/time.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * The portal list (src/domain/complaint-list.ts): keyset pages forwards and
 * backwards in three orders with a stable tiebreak, robust to rows arriving
 * while paging, strict page sizes and cursors (D57), a count that agrees
 * with the pages (D59), and each filter — the phone filter only where the
 * viewer sees the phone (D50). The rows are inserted with controlled column
 * values (the list reads nothing but `complaints`); the expected orders and
 * sets are computed here, in JavaScript, from those values.
 */

const world = useWorld();
const PHONE = '13700001111';

type Order = { field: 'REGISTERED_AT' | 'DUE_AT' | 'SEVERITY'; direction: 'ASC' | 'DESC' };

const GD_UNITS = ['GD', 'GD-GZ', 'GD-GZ-TH', 'GD-GZ-YX', 'GD-SZ', 'GD-SZ-NS', 'GD-BC'];
const STATUSES_USED: Status[] = [
  'RECEIVED',
  'ACCEPTED',
  'DISPATCHED',
  'INVESTIGATING',
  'PENDING_REVIEW',
  'RESOLVED',
  'CLOSED',
  'REJECTED',
];
const LINES = ['mobile', 'broadband', 'fixed-line', 'billing-dispute', null];

/** 250 rows gd.agent reads (GD), plus 15 of ZJ it does not. Pairs share `registeredAt`, many share `dueAt`: the id tiebreak matters. */
function specs(w: World, n = 250): RowSpec[] {
  const r = prng(42);
  const out: RowSpec[] = [];
  for (let i = 0; i < n; i++) {
    const handling = r.pick(GD_UNITS);
    const chain =
      handling.split('-').length === 3
        ? [handling.split('-').slice(0, 2).join('-'), handling]
        : handling === 'GD'
          ? []
          : [handling];
    out.push({
      handling,
      chain,
      registeredAt: new Date(T0.getTime() - Math.floor(i / 2) * 7 * MINUTE),
      dueAt: r.chance(0.2) ? null : new Date(T0.getTime() + (r.int(40) - 10) * HOUR),
      severity: r.pick<Severity | null>(['ORDINARY', 'ORDINARY', 'MAJOR', 'URGENT', null]),
      status: r.pick(STATUSES_USED),
      businessLine: r.pick(LINES),
      category: null,
      source: r.chance(0.7) ? 'CUSTOMER' : r.pick(SOURCES),
      channel: r.pick(CHANNELS.filter((c) => c !== 'API')),
      escalationLevel: r.chance(0.15) ? 1 + r.int(2) : 0,
      customerPhone: r.chance(0.12) ? PHONE : `139${String(r.int(1e8)).padStart(8, '0')}`,
      firstResponderId: r.chance(0.05) ? w.staff['gz.handler']!.id : null,
    });
  }
  for (let i = 0; i < 15; i++) {
    out.push({
      handling: r.pick(['ZJ', 'ZJ-HZ']),
      registeredAt: new Date(T0.getTime() - i * 13 * MINUTE),
      customerPhone: PHONE,
      status: 'ACCEPTED',
    });
  }
  return out;
}

async function seed(w: World, db: Db, n = 250) {
  const rows = (await insertRows(w, db, specs(w, n))) as ComplaintRow[];
  const gd = w.units.GD!.id;
  return { rows, readable: rows.filter((x) => x.readerUnits.includes(gd)) };
}

// ---------------------------------------------------------------- the oracle

const rank = (s: Severity | null) =>
  s === 'URGENT' ? 3 : s === 'MAJOR' ? 2 : s === 'ORDINARY' ? 1 : 0;
const keyOf = (x: ComplaintRow, field: Order['field']): (number | string)[] =>
  field === 'REGISTERED_AT'
    ? [x.registeredAt.getTime(), x.id]
    : field === 'DUE_AT'
      ? [x.dueAt ? x.dueAt.getTime() : Infinity, x.id]
      : [rank(x.severity), x.registeredAt.getTime(), x.id];

function ordered(
  rows: ComplaintRow[],
  order: Order = { field: 'REGISTERED_AT', direction: 'DESC' },
): string[] {
  const sorted = [...rows].sort((a, b) => {
    const ka = keyOf(a, order.field);
    const kb = keyOf(b, order.field);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
  if (order.direction === 'DESC') sorted.reverse();
  return sorted.map((x) => x.number);
}

// ---------------------------------------------------------------- paging through the API

const LIST = `query ($first: Int, $after: String, $last: Int, $before: String, $filter: ComplaintFilter, $orderBy: ComplaintOrder) {
  complaints(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { number } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

type Page = {
  totalCount: number;
  edges: { cursor: string; node: { number: string } }[];
  pageInfo: Record<string, any>;
};

async function page(w: World, db: Db, as: As, vars: Record<string, unknown>): Promise<Page> {
  return (await data(w, db, as, LIST, vars)).complaints;
}

/** Every page forwards; `between` runs after each page (to insert rows meanwhile). */
async function forwards(
  w: World,
  db: Db,
  as: As,
  opts: {
    filter?: object;
    orderBy?: Order;
    size?: number;
    between?: (pageNo: number) => Promise<void>;
  } = {},
) {
  const numbers: string[] = [];
  const totals = new Set<number>();
  let after: string | undefined;
  for (let pageNo = 0; ; pageNo++) {
    const p = await page(w, db, as, {
      first: opts.size ?? 20,
      after,
      filter: opts.filter,
      orderBy: opts.orderBy,
    });
    totals.add(p.totalCount);
    numbers.push(...p.edges.map((e) => e.node.number));
    expect(p.pageInfo.hasPreviousPage).toBe(pageNo > 0);
    if (p.edges.length) {
      expect(p.pageInfo.startCursor).toBe(p.edges[0]!.cursor);
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
    }
    if (!p.pageInfo.hasNextPage) break;
    expect(p.edges).toHaveLength(opts.size ?? 20);
    after = p.pageInfo.endCursor;
    await opts.between?.(pageNo);
    if (pageNo > 200) throw new Error('runaway paging');
  }
  return { numbers, totals: [...totals] };
}

/** Every page backwards from the end (last/before); the pages' rows in list order. */
async function backwards(
  w: World,
  db: Db,
  as: As,
  opts: { filter?: object; orderBy?: Order; size?: number } = {},
) {
  const pages: string[][] = [];
  let before: string | undefined;
  for (let pageNo = 0; ; pageNo++) {
    const p = await page(w, db, as, {
      last: opts.size ?? 20,
      before,
      filter: opts.filter,
      orderBy: opts.orderBy,
    });
    pages.unshift(p.edges.map((e) => e.node.number));
    expect(p.pageInfo.hasNextPage).toBe(pageNo > 0);
    if (!p.pageInfo.hasPreviousPage) break;
    expect(p.edges).toHaveLength(opts.size ?? 20);
    before = p.pageInfo.startCursor;
    if (pageNo > 200) throw new Error('runaway paging');
  }
  return pages.flat();
}

/** Every order the list offers: each field one way, then each the other way. */
const ONE_WAY: Order[] = [
  { field: 'REGISTERED_AT', direction: 'DESC' },
  { field: 'DUE_AT', direction: 'ASC' },
  { field: 'SEVERITY', direction: 'DESC' },
];
const flipped = (o: Order): Order => ({ ...o, direction: o.direction === 'ASC' ? 'DESC' : 'ASC' });
const ORDERS: Order[] = [...ONE_WAY, ...ONE_WAY.map(flipped)];

describe('paging through 250 readable cases', () => {
  it(
    'forwards by 20, in each order: every case exactly once, in order; totalCount equals the number paged',
    () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        const { readable } = await seed(w, db);
        expect(readable).toHaveLength(250);
        // Without orderBy: REGISTERED_AT DESC.
        const def = await forwards(w, db, 'gd.agent');
        expect(def.numbers).toEqual(ordered(readable));
        expect(def.totals).toEqual([250]);
        for (const orderBy of ORDERS) {
          const got = await forwards(w, db, 'gd.agent', { orderBy });
          expect(got.numbers, JSON.stringify(orderBy)).toEqual(ordered(readable, orderBy));
          expect(new Set(got.numbers).size).toBe(250);
          expect(got.totals).toEqual([250]);
        }
      }),
    180_000,
  );

  it(
    'backwards by 20 (last/before), in each order: the same list, page by page from the end',
    () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        const { readable } = await seed(w, db);
        expect(await backwards(w, db, 'gd.agent')).toEqual(ordered(readable));
        for (const orderBy of ORDERS.slice(0, 3)) {
          expect(await backwards(w, db, 'gd.agent', { orderBy }), JSON.stringify(orderBy)).toEqual(
            ordered(readable, orderBy),
          );
        }
        // A page backwards from a cursor in the middle ends right before it.
        const expected = ordered(readable);
        const first = await page(w, db, 'gd.agent', { first: 50 });
        const mid = first.edges[40]!.cursor;
        const back = await page(w, db, 'gd.agent', { last: 15, before: mid });
        expect(back.edges.map((e) => e.node.number)).toEqual(expected.slice(25, 40));
        expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
        const forth = await page(w, db, 'gd.agent', { first: 15, after: mid });
        expect(forth.edges.map((e) => e.node.number)).toEqual(expected.slice(41, 56));
      }),
    180_000,
  );

  it(
    'cases registered while paging: no duplicates, no gaps among the rows that were there',
    () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        const { readable } = await seed(w, db);
        const newest = Math.max(...readable.map((x) => x.registeredAt.getTime()));
        const oldest = Math.min(...readable.map((x) => x.registeredAt.getTime()));
        const added: ComplaintRow[] = [];
        let late: ComplaintRow[] = [];
        const got = await forwards(w, db, 'gd.agent', {
          between: async (pageNo) => {
            // Newer than the first page (DESC): before every cursor, never paged.
            const fresh = await insertRows(
              w,
              db,
              [1, 2, 3].map((k) => ({
                registeredAt: new Date(newest + (pageNo * 3 + k) * MINUTE),
              })),
            );
            added.push(...(fresh as ComplaintRow[]));
            // …and once, two older than everything: still ahead of the cursor, so paged once, at the end.
            if (pageNo === 3)
              late = (await insertRows(
                w,
                db,
                [1, 2].map((k) => ({ registeredAt: new Date(oldest - k * MINUTE) })),
              )) as ComplaintRow[];
          },
        });
        expect(added.length).toBeGreaterThan(20);
        expect(got.numbers).toEqual([...ordered(readable), ...late.map((x) => x.number)]);
        expect(new Set(got.numbers).size).toBe(got.numbers.length);

        // The DUE_AT order too: rows due before the page read so far never come in, and nothing repeats.
        const there = [...readable, ...added, ...late];
        const early: string[] = [];
        const due = await forwards(w, db, 'gd.agent', {
          orderBy: { field: 'DUE_AT', direction: 'ASC' },
          between: async () => {
            const [x] = await insertRows(w, db, [{ dueAt: new Date(T0.getTime() - 100 * HOUR) }]);
            early.push(x!.number);
          },
        });
        expect(early.length).toBeGreaterThan(10);
        expect(due.numbers).toEqual(ordered(there, { field: 'DUE_AT', direction: 'ASC' }));
      }),
    180_000,
  );

  it('D57: page sizes outside 1–100, both directions at once and foreign cursors are GraphQL errors', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      await seed(w, db, 30);
      for (const vars of [
        { first: 0 },
        { first: 101 },
        { first: -1 },
        { last: 0 },
        { last: 101 },
        { first: 5, last: 5 },
      ]) {
        expect(await errorCodes(w, db, 'gd.agent', LIST, vars), JSON.stringify(vars)).toEqual([
          'VALIDATION',
        ]);
      }
      // first: 100 is fine, and the default is 20.
      expect((await page(w, db, 'gd.agent', { first: 100 })).edges).toHaveLength(30);
      expect((await page(w, db, 'gd.agent', {})).edges).toHaveLength(20);

      const byRegistered = (await page(w, db, 'gd.agent', { first: 5 })).pageInfo.endCursor;
      const byDue = (
        await page(w, db, 'gd.agent', { first: 5, orderBy: { field: 'DUE_AT', direction: 'ASC' } })
      ).pageInfo.endCursor;
      const bySeverity = (
        await page(w, db, 'gd.agent', {
          first: 5,
          orderBy: { field: 'SEVERITY', direction: 'DESC' },
        })
      ).pageInfo.endCursor;
      const ID = '6f1c1b7e-2f0a-4c55-9a43-0d6b7a0e1c11';
      const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
      // A cursor written by hand in the encoder's own shape works: the refusals below are about content, not form.
      // (The lowest id, so that every case without a due time comes after it: ID is random relative to the cases' ids.)
      const LOWEST = '00000000-0000-4000-8000-000000000000';
      expect(
        (
          await page(w, db, 'gd.agent', {
            first: 5,
            after: forged(['DUE_AT', 'infinity', LOWEST]),
            orderBy: { field: 'DUE_AT', direction: 'ASC' },
          })
        ).edges.length,
      ).toBeGreaterThan(0);
      const cases: [Record<string, unknown>, string][] = [
        [
          { first: 5, after: byRegistered, orderBy: { field: 'DUE_AT', direction: 'ASC' } },
          'REGISTERED_AT cursor, DUE_AT list',
        ],
        [{ first: 5, after: byDue }, 'DUE_AT cursor, default list'],
        [
          { first: 5, after: bySeverity, orderBy: { field: 'REGISTERED_AT', direction: 'ASC' } },
          'SEVERITY cursor, REGISTERED_AT list',
        ],
        [
          { last: 5, before: byDue, orderBy: { field: 'SEVERITY', direction: 'DESC' } },
          'DUE_AT cursor as before, SEVERITY list',
        ],
        [{ first: 5, after: 'not-a-cursor' }, 'garbage'],
        [
          { first: 5, after: Buffer.from('["REGISTERED_AT",{"a":1},"x"]').toString('base64url') },
          'a forged cursor',
        ],
        [
          { first: 5, after: forged(['REGISTERED_AT', '2026-11-23T02:00:00.000Z', 'not-a-uuid']) },
          'a forged id',
        ],
        [
          { first: 5, after: forged(['REGISTERED_AT', '2026-02-31T00:00:00.000Z', ID]) },
          'a date that does not exist',
        ],
        [{ first: 5, after: forged(['REGISTERED_AT', 'infinity', ID]) }, 'infinity outside DUE_AT'],
        [{ first: 5, after: forged(['REGISTERED_AT', 1764000000000, ID]) }, 'a number for a time'],
        [
          {
            first: 5,
            after: forged(['SEVERITY', 'abc', '2026-11-23T02:00:00.000Z', ID]),
            orderBy: { field: 'SEVERITY', direction: 'DESC' },
          },
          'a rank that is no number',
        ],
        [
          {
            first: 5,
            after: forged(['SEVERITY', 7, '2026-11-23T02:00:00.000Z', ID]),
            orderBy: { field: 'SEVERITY', direction: 'DESC' },
          },
          'a rank out of range',
        ],
        [
          {
            first: 5,
            after: forged(['DUE_AT', '2026-11-23T02:00:00.000Z', ID, 'extra']),
            orderBy: { field: 'DUE_AT', direction: 'ASC' },
          },
          'too long a key',
        ],
      ];
      for (const [vars, name] of cases) {
        const res = await q(w, db, 'gd.agent', LIST, vars);
        expect(
          res.errors?.map((e) => e.extensions?.code),
          name,
        ).toEqual(['VALIDATION']);
      }
      // None of them reached the database (on PostgreSQL a failed cast would abort the transaction): it still answers.
      expect((await page(w, db, 'gd.agent', { first: 3 })).edges).toHaveLength(3);
      // The same field, the other direction, is the same order's cursor: fine.
      expect(
        (
          await page(w, db, 'gd.agent', {
            first: 5,
            after: byDue,
            orderBy: { field: 'DUE_AT', direction: 'DESC' },
          })
        ).edges.length,
      ).toBeGreaterThan(0);
    }));
});

// ---------------------------------------------------------------- filters

/** Every number a filter lists for a viewer (paged by 100), checked against totalCount. */
async function listed(w: World, db: Db, as: As, filter: object) {
  const got = await forwards(w, db, as, { filter, size: 100 });
  expect(got.totals, JSON.stringify(filter)).toEqual([got.numbers.length]);
  return got.numbers;
}

describe('filters', () => {
  it(
    'status, businessLine, severity, source, channel, escalated, registeredFrom/To (half-open), and combinations',
    () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        const { readable } = await seed(w, db);
        const expectFilter = async (filter: object, keep: (x: ComplaintRow) => boolean) => {
          const expected = ordered(readable.filter(keep));
          expect(expected.length, `${JSON.stringify(filter)} selects something`).toBeGreaterThan(0);
          expect(await listed(w, db, 'gd.agent', filter), JSON.stringify(filter)).toEqual(expected);
        };
        await expectFilter({ status: ['ACCEPTED', 'CLOSED'] }, (x) =>
          ['ACCEPTED', 'CLOSED'].includes(x.status),
        );
        await expectFilter({ businessLine: ['broadband'] }, (x) => x.businessLine === 'broadband');
        await expectFilter({ businessLine: ['broadband', 'billing-dispute'] }, (x) =>
          ['broadband', 'billing-dispute'].includes(x.businessLine!),
        );
        await expectFilter({ severity: ['URGENT'] }, (x) => x.severity === 'URGENT');
        await expectFilter(
          { severity: ['MAJOR', 'ORDINARY'] },
          (x) => x.severity === 'MAJOR' || x.severity === 'ORDINARY',
        );
        await expectFilter({ source: ['REGULATOR_TRANSFER', 'PARTNER_CARRIER'] }, (x) =>
          ['REGULATOR_TRANSFER', 'PARTNER_CARRIER'].includes(x.source),
        );
        await expectFilter({ channel: ['VISIT'] }, (x) => x.channel === 'VISIT');
        await expectFilter({ escalated: true }, (x) => x.escalationLevel > 0);
        await expectFilter({ escalated: false }, (x) => x.escalationLevel === 0);
        // Half-open [from, to): both bounds are registration times of real rows (pairs share them).
        const from = new Date(T0.getTime() - 100 * 7 * MINUTE);
        const to = new Date(T0.getTime() - 40 * 7 * MINUTE);
        const within = (x: ComplaintRow) => x.registeredAt >= from && x.registeredAt < to;
        expect(readable.filter((x) => x.registeredAt.getTime() === from.getTime())).toHaveLength(2);
        expect(readable.filter((x) => x.registeredAt.getTime() === to.getTime())).toHaveLength(2);
        await expectFilter(
          { registeredFrom: formatDateTime(from), registeredTo: formatDateTime(to) },
          within,
        );
        expect(
          await listed(w, db, 'gd.agent', {
            registeredFrom: formatDateTime(to),
            registeredTo: formatDateTime(to),
          }),
        ).toEqual([]);
        await expectFilter({ registeredFrom: formatDateTime(from) }, (x) => x.registeredAt >= from);
        await expectFilter({ registeredTo: formatDateTime(to) }, (x) => x.registeredAt < to);
        await expectFilter(
          {
            status: ['ACCEPTED', 'INVESTIGATING', 'RECEIVED'],
            severity: ['URGENT', 'MAJOR'],
            registeredTo: formatDateTime(to),
          },
          (x) =>
            ['ACCEPTED', 'INVESTIGATING', 'RECEIVED'].includes(x.status) &&
            ['URGENT', 'MAJOR'].includes(x.severity!) &&
            x.registeredAt < to,
        );
        // Empty lists match nothing.
        expect(await listed(w, db, 'gd.agent', { status: [] })).toEqual([]);
        expect(await listed(w, db, 'gd.agent', { businessLine: [] })).toEqual([]);
        // A filtered list pages like any other.
        const small = await forwards(w, db, 'gd.agent', {
          filter: { status: ['ACCEPTED'] },
          size: 7,
          orderBy: { field: 'SEVERITY', direction: 'DESC' },
        });
        expect(small.numbers).toEqual(
          ordered(
            readable.filter((x) => x.status === 'ACCEPTED'),
            { field: 'SEVERITY', direction: 'DESC' },
          ),
        );
      }),
    180_000,
  );

  it(
    'unitId: the whole subtree (GD-GZ includes its counties), only what the viewer reads; unknown or malformed ids match nothing',
    () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        const { rows, readable } = await seed(w, db);
        const unit = (code: string) => toGlobalId('OrgUnit', w.units[code]!.id);
        const codeOf = (x: ComplaintRow) =>
          Object.values(w.units).find((u) => u.id === x.handlingUnitId)!.code;
        const under = (code: string) => (x: ComplaintRow) =>
          codeOf(x) === code || codeOf(x).startsWith(`${code}-`);

        const gz = readable.filter(under('GD-GZ'));
        expect(new Set(gz.map(codeOf))).toEqual(new Set(['GD-GZ', 'GD-GZ-TH', 'GD-GZ-YX']));
        expect(await listed(w, db, 'gd.agent', { unitId: unit('GD-GZ') })).toEqual(ordered(gz));
        expect(await listed(w, db, 'gd.agent', { unitId: unit('GD-GZ-TH') })).toEqual(
          ordered(readable.filter(under('GD-GZ-TH'))),
        );
        expect(await listed(w, db, 'gd.agent', { unitId: unit('GD') })).toEqual(ordered(readable));
        expect(await listed(w, db, 'gd.agent', { unitId: unit('GD-BC') })).toEqual(
          ordered(readable.filter(under('GD-BC'))),
        );
        // A unit the viewer does not read: still only what it reads (nothing of ZJ for gd.agent).
        expect(rows.some((x) => codeOf(x).startsWith('ZJ'))).toBe(true);
        expect(await listed(w, db, 'gd.agent', { unitId: unit('ZJ') })).toEqual([]);
        // gz.handler reads the GZ subtree and what it first-responded; unitId GD narrows to the subtree of GD it reads.
        const gzReads = readable.filter(
          (x) => under('GD-GZ')(x) || x.firstResponderId === w.staff['gz.handler']!.id,
        );
        expect(await listed(w, db, 'gz.handler', { unitId: unit('GD') })).toEqual(ordered(gzReads));
        expect(await listed(w, db, 'gz.handler', { unitId: unit('GD-SZ') })).toEqual(
          ordered(
            readable.filter(
              (x) => under('GD-SZ')(x) && x.firstResponderId === w.staff['gz.handler']!.id,
            ),
          ),
        );
        // Unknown and malformed ids: nothing (D57: null in a query), not an error and not everything.
        expect(
          await listed(w, db, 'gd.agent', {
            unitId: toGlobalId('OrgUnit', '00000000-0000-4000-8000-000000000000'),
          }),
        ).toEqual([]);
        expect(await listed(w, db, 'gd.agent', { unitId: 'garbage' })).toEqual([]);
        expect(
          await listed(w, db, 'gd.agent', { unitId: toGlobalId('Complaint', readable[0]!.id) }),
        ).toEqual([]);
      }),
    180_000,
  );

  it(
    'overdue: due before now (the clock moved on), not overdue: due later, exactly now, or not due at all',
    () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        const { readable } = await seed(w, db);
        const now = new Date(T0.getTime() + 3 * HOUR);
        expect(readable.some((x) => x.dueAt?.getTime() === now.getTime())).toBe(true);
        const overdueAt = (t: Date) => (x: ComplaintRow) => !!x.dueAt && x.dueAt < t;
        expect(await listed(w, db, 'gd.agent', { overdue: true })).toEqual(
          ordered(readable.filter(overdueAt(T0))),
        );
        w.clock.set(now);
        const overdue = readable.filter(overdueAt(now));
        expect(overdue.length).toBeGreaterThan(readable.filter(overdueAt(T0)).length);
        expect(await listed(w, db, 'gd.agent', { overdue: true })).toEqual(ordered(overdue));
        expect(await listed(w, db, 'gd.agent', { overdue: false })).toEqual(
          ordered(readable.filter((x) => !overdueAt(now)(x))),
        );
        // Overdue by due time: the most overdue first.
        const byDue = await forwards(w, db, 'gd.agent', {
          filter: { overdue: true },
          orderBy: { field: 'DUE_AT', direction: 'ASC' },
          size: 9,
        });
        expect(byDue.numbers).toEqual(ordered(overdue, { field: 'DUE_AT', direction: 'ASC' }));
      }),
    180_000,
  );

  it(
    'D50: customerPhone matches only cases whose phone the viewer sees unmasked (never an oracle)',
    () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        const { rows, readable } = await seed(w, db);
        const gz = w.units['GD-GZ']!.id;
        const withPhone = (xs: ComplaintRow[]) => xs.filter((x) => x.customerPhone === PHONE);
        expect(withPhone(readable).length).toBeGreaterThan(10);

        // The owning province's agent: every GD case with that phone; normalised input ("137-0000 1111") too.
        expect(await listed(w, db, 'gd.agent', { customerPhone: PHONE })).toEqual(
          ordered(withPhone(readable)),
        );
        expect(await listed(w, db, 'gd.agent', { customerPhone: '137-0000 1111' })).toEqual(
          ordered(withPhone(readable)),
        );
        // A handler: those handled in its subtree (reader units) and those it first-responded.
        const gzSees = withPhone(readable).filter(
          (x) => x.readerUnits.includes(gz) || x.firstResponderId === w.staff['gz.handler']!.id,
        );
        expect(gzSees.length).toBeGreaterThan(0);
        expect(await listed(w, db, 'gz.handler', { customerPhone: PHONE })).toEqual(
          ordered(gzSees),
        );
        // Auditors and duty managers read these cases, masked: the filter finds nothing for them.
        expect((await listed(w, db, 'gd.auditor', {})).length).toBe(250);
        for (const as of ['gd.auditor', 'gd.duty', 'gz.duty', 'gz.auditor']) {
          expect(await listed(w, db, as, { customerPhone: PHONE }), as).toEqual([]);
        }
        // ZJ's agent: only ZJ's cases with that phone.
        expect(await listed(w, db, 'zj.agent', { customerPhone: PHONE })).toEqual(
          ordered(withPhone(rows.filter((x) => x.readerUnits.includes(w.units.ZJ!.id)))),
        );
        // A phone nobody has, and a malformed one.
        expect(await listed(w, db, 'gd.agent', { customerPhone: '13700002222' })).toEqual([]);
        expect(
          await errorCodes(w, db, 'gd.agent', LIST, { filter: { customerPhone: 'abc' } }),
        ).toEqual(['VALIDATION']);
      }),
    180_000,
  );

  it(
    "D59: complaintStats grouped by STATUS adds up to the list's totalCount for the same window and unit, per viewer",
    () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        await seed(w, db);
        const from = formatDateTime(new Date(T0.getTime() - 100 * 7 * MINUTE));
        const to = formatDateTime(new Date(T0.getTime() - 40 * 7 * MINUTE));
        const unit = (code: string) => toGlobalId('OrgUnit', w.units[code]!.id);
        const scopes: [As, string | null][] = [
          ['gd.agent', null],
          ['gd.agent', 'GD-GZ'],
          ['gd.auditor', 'GD-SZ'],
          ['gz.handler', null],
          ['gz.handler', 'GD-GZ-TH'],
          ['th.handler', null],
          ['sz.duty', null],
          ['zj.agent', null],
        ];
        for (const [as, code] of scopes) {
          const d = await data(
            w,
            db,
            as,
            `query ($from: DateTime!, $to: DateTime!, $unit: ID) {
            complaintStats(input: { from: $from, to: $to, unitId: $unit, groupBy: [STATUS] }) { keys count }
            complaints(filter: { registeredFrom: $from, registeredTo: $to, unitId: $unit }) { totalCount }
          }`,
            { from, to, unit: code ? unit(code) : null },
          );
          const sum = (d.complaintStats as { count: number }[]).reduce((n, r) => n + r.count, 0);
          expect(sum, `${as} ${code ?? '(own scope)'}`).toBe(d.complaints.totalCount);
        }
      }),
    180_000,
  );
});
