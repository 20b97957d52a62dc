import { and, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { readingUnitIds } from '../../src/auth/guards.js';
import { readCover } from '../../src/auth/read-cover.js';
import { complaintsWhere } from '../../src/auth/sql.js';
import { type Db, rowsOf } from '../../src/db/client.js';
import {
  type ComplaintFilter,
  countComplaints,
  DEFAULT_ORDER,
  filterWhere,
  listComplaints,
  rollupCountQuery,
} from '../../src/domain/complaint-list.js';
import {
  BASE_CATEGORIES,
  CHANNELS,
  CONTACT_KINDS,
  OPEN_STATUSES,
  SEVERITIES,
  SOURCES,
  STATUSES,
} from '../../src/domain/enums.js';
import { DomainError } from '../../src/domain/errors.js';
import { unitById } from '../../src/domain/org.js';
import { compactStatsRollup } from '../../src/domain/stats-rollup.js';
import { formatDateTime } from '../../src/graphql/datetime.js';
import { shanghaiMidnight } from '../../src/sla/calendar.js';
import { DAY, engine, HOUR } from '../support/cases.js';
import { data, moveUnit, unitGid } from '../support/gql.js';
import { iterations, prng } from '../support/random.js';
import {
  monthStart,
  type Rand,
  REGISTRATIONS,
  randomTransition,
  VIEWERS,
} from '../support/rollup-walk.js';
import { BRIEFING, LIST_TOTAL } from '../support/stats.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * Issue 25, D59: `totalCount` from the statistics rollup (`rollupCountQuery`,
 * src/domain/complaint-list.ts) as a property. After random registrations and
 * random transitions (and an org move that changes paths and readers in
 * bulk), for random staff viewers and random filters of the fields the rollup
 * holds — kinds, status, line, category, severity, source, channel, unit,
 * registration windows open or closed on either side, at midnights or odd
 * instants — the count from the rollup equals the scan's count and the number
 * of rows the list pages through; before and after the rollup's deltas are
 * folded. Filters it cannot count (search, overdue, escalated, an empty list)
 * fall back to the scan. Through GraphQL, `totalCount` is the scan's count.
 * `COUNT_SEED` reproduces a run, `COUNT_STEPS` / TEST_FULL make it longer.
 */
const world = useWorld();
const SEED = Number(process.env.COUNT_SEED ?? 20261207);
const STEPS = iterations(60, 240, process.env.COUNT_STEPS);
const QUERIES = iterations(40, 300);

/** A non-empty random choice of `xs`. */
const someOf = <T>(r: Rand, xs: readonly T[]) => {
  const picked = r.some(xs, 3);
  return picked.length ? picked : [r.pick(xs)];
};

/** A random registration window: open or closed on either side, at midnights or odd instants (or far back). */
function randomWindow(
  r: Rand,
  start: Date,
  end: Date,
): Pick<ComplaintFilter, 'registeredFrom' | 'registeredTo'> {
  const span = end.getTime() - start.getTime();
  const instant = () => new Date(start.getTime() + Math.floor(r.next() * span));
  const midnight = () => shanghaiMidnight(formatDateTime(instant()).slice(0, 10));
  const pick = () => {
    const x = r.next();
    return x < 0.3 ? midnight() : x < 0.55 ? monthStart(r, start, end) : instant();
  };
  const shape = r.int(6);
  if (shape === 0) return {};
  if (shape === 1) return { registeredFrom: pick() };
  if (shape === 2) return { registeredTo: pick() };
  // before China's last summer time (1991): the days before 1992 are counted from complaints
  if (shape === 3)
    return { registeredFrom: new Date('1988-06-01T00:00:00+08:00'), registeredTo: pick() };
  let [a, b] = [pick(), pick()];
  if (a.getTime() > b.getTime()) [a, b] = [b, a];
  return { registeredFrom: a, registeredTo: b };
}

async function randomFilter(
  w: World,
  db: Db,
  r: Rand,
  start: Date,
  end: Date,
): Promise<ComplaintFilter> {
  const f: ComplaintFilter = { ...randomWindow(r, start, end) };
  if (r.chance(0.3)) f.kinds = someOf(r, CONTACT_KINDS);
  // up to two of the other fields the rollup holds (more would match nothing in a few dozen cases)
  const fields = [
    () => (f.status = someOf(r, STATUSES)),
    () => (f.businessLine = someOf(r, ['mobile', 'broadband', 'interconnection', 'fixed', 'nope'])),
    () => (f.category = someOf(r, [...BASE_CATEGORIES.map((c) => c.code), 'SMS_BLOCKING'])),
    () => (f.severity = someOf(r, SEVERITIES)),
    () => (f.source = someOf(r, SOURCES)),
    () => (f.channel = someOf(r, CHANNELS)),
  ];
  for (let n = r.int(3); n > 0; n--) r.pick(fields)();
  if (r.chance(0.3)) f.unitPath = (await unitById(db, r.pick(Object.values(w.units)).id))!.path;
  return f;
}

/** The number of rows the list pages through for `where`, 7 at a time (keyset pages, D57). */
async function paged(db: Db, where: ReturnType<typeof and>) {
  let n = 0;
  let after: string | null = null;
  for (;;) {
    const page = await listComplaints(db, where!, DEFAULT_ORDER, { first: 7, after });
    n += page.rows.length;
    if (!page.hasNextPage) return n;
    after = page.cursors.at(-1)!;
  }
}

/** Random registrations and transitions (and an org move two thirds in); returns when it started. */
async function walk(w: World, db: Db, r: Rand): Promise<Date> {
  const e = engine(w, db);
  const start = new Date(T0.getTime() - 45 * DAY);
  w.clock.set(start);
  const ids: string[] = [];
  const tally: Record<string, number> = {};
  for (let step = 0; step < STEPS; step++) {
    // 0–30 hours a step: the walk spans October and November (a window open on a side holds the whole October)
    w.clock.set(new Date(w.clock.now().getTime() + Math.floor(r.next() * 30 * HOUR)));
    if (!ids.length || r.next() < 0.4) {
      const made = await db
        .transaction(async (sp) => (await r.pick(REGISTRATIONS)(engine(w, sp))).id)
        .catch((err) => {
          if (err instanceof DomainError) return null;
          throw err;
        });
      if (made) ids.push(made);
      tally.REGISTER = (tally.REGISTER ?? 0) + 1;
    } else {
      const a = await randomTransition(w, db, e, r, ids);
      if (a) tally[a] = (tally[a] ?? 0) + 1;
    }
    if (step === Math.floor((STEPS * 2) / 3)) {
      // D1a: a county moves to another city: paths and readers change in bulk (readers outside the ancestry, D54)
      expect(await moveUnit(w, db, 'GD-GZ-TH', 'GD-SZ')).toEqual([]);
    }
  }
  expect(Object.keys(tally).length, JSON.stringify(tally)).toBeGreaterThan(4);
  return start;
}

describe('D59 issue 25: totalCount from the rollup counts exactly what the list lists', () => {
  it(
    `D59: after random registrations and transitions (seed ${SEED}, ${STEPS} steps) the rollup's count equals the scan's and the rows the list pages through, for random viewers and filters`,
    { timeout: 1_200_000 },
    () =>
      world().tx(async (db) => {
        const w = world();
        const r = prng(SEED);
        const start = await walk(w, db, r);
        const end = w.clock.now();
        const now = end;
        const viewers = VIEWERS(w).filter(([, v]) => v.kind === 'user');
        let served = 0;
        let monthly = 0;
        let byDimension = 0;
        let nonzero = 0;
        // half the requests with the deltas unfolded, half after compaction
        for (let i = 0; i < QUERIES; i++) {
          if (i === Math.floor(QUERIES / 2))
            expect(await compactStatsRollup(db)).toBeGreaterThan(0);
          // half the requests by the wide readers (the province's and a city's staff), half by anyone
          const wide = r.pick(['gd.agent', 'gd.duty', 'gz.handler']);
          const [name, viewer] = r.chance(0.5)
            ? viewers.find(([n]) => n === wide)!
            : r.pick(viewers);
          const ability = defineAbilityFor(viewer, w.lines.abilities);
          const rc = readCover(ability);
          expect(rc, `${name} reads in the rollup's shape`).not.toBeNull();
          const cover = {
            units: (await Promise.all(rc!.units.map((id) => unitById(db, id)))).map((u) => u!),
            me: rc!.me,
          };
          const filter = await randomFilter(w, db, r, new Date(start.getTime() - DAY), end);
          const where = and(complaintsWhere(ability, 'read'), ...filterWhere(filter, now))!;
          const label = `${name} ${JSON.stringify(filter)}`;
          const q = rollupCountQuery(where, filter, cover);
          const scanned = await countComplaints(db, where);
          const listed = await paged(db, where);
          expect(listed, label).toBe(scanned);
          if (q) {
            served++;
            const text = new PgDialect().sqlToQuery(q).sql;
            if (text.includes('month_counts')) monthly++;
            if (text.includes('complaint_dim_month_counts')) byDimension++;
            const [row] = rowsOf<{ n: number }>(await db.execute(q));
            expect(Number(row!.n), label).toBe(scanned);
            expect(await countComplaints(db, where, { rollup: { filter, cover } }), label).toBe(
              scanned,
            );
          }
          if (scanned > 0) nonzero++;
        }
        // the rollup answered most requests (the others: windows without a whole day), and they counted something
        expect(served).toBeGreaterThan(QUERIES / 2);
        // many of them read whole months from the month tables (migration 0024)
        expect(monthly).toBeGreaterThan(QUERIES / 6);
        expect(byDimension).toBeGreaterThan(0);
        expect(nonzero).toBeGreaterThan(QUERIES / 5);

        // every wide field alone (its whole months from complaint_dim_month_counts), two values present, the window
        // open or ending now, with or without a status, for the province's and a city's staff
        // (and both fields of the pair migration 0027 keeps, category and severity)
        const valuesOf = async (column: string) =>
          rowsOf<{ v: string }>(
            await db.execute(
              sql`select distinct ${sql.raw(column)}::text as v from complaints where ${sql.raw(column)} is not null order by 1`,
            ),
          ).map((x) => x.v);
        for (const columns of [
          ['business_line'],
          ['category'],
          ['severity'],
          ['source'],
          ['channel'],
          ['category', 'severity'],
        ]) {
          const fields = Object.fromEntries(
            await Promise.all(
              columns.map(async (column) => [
                column === 'business_line' ? 'businessLine' : column,
                (await valuesOf(column)).slice(0, 2),
              ]),
            ),
          );
          for (const name of ['gd.agent', 'gz.handler']) {
            const [, viewer] = viewers.find(([n]) => n === name)!;
            const ability = defineAbilityFor(viewer, w.lines.abilities);
            const rc = readCover(ability)!;
            const cover = {
              units: (await Promise.all(rc.units.map((id) => unitById(db, id)))).map((u) => u!),
              me: rc.me,
            };
            const filter = {
              ...fields,
              ...(r.chance(0.5) && { registeredTo: now }),
              ...(r.chance(0.5) && { status: someOf(r, STATUSES) }),
            } as ComplaintFilter;
            const where = and(complaintsWhere(ability, 'read'), ...filterWhere(filter, now))!;
            const q = rollupCountQuery(where, filter, cover)!;
            expect(new PgDialect().sqlToQuery(q).sql).toContain('complaint_dim_month_counts');
            const [row] = rowsOf<{ n: number }>(await db.execute(q));
            expect(Number(row!.n), `${name} ${JSON.stringify(filter)}`).toBe(
              await countComplaints(db, where),
            );
          }
        }

        // filters the rollup does not hold: the scan counts them
        const [, gd] = viewers.find(([n]) => n === 'gd.agent')!;
        const rc = readCover(defineAbilityFor(gd, w.lines.abilities))!;
        const cover = { units: [(await unitById(db, rc.units[0]!))!], me: rc.me };
        const where = sql`true`;
        for (const f of [
          { search: 'broken' },
          { overdue: true },
          { escalated: false },
          { status: [] },
          { unitPath: false as const },
          { registeredFrom: T0, registeredTo: new Date(T0.getTime() + HOUR) },
        ] satisfies ComplaintFilter[])
          expect(rollupCountQuery(where, f, cover), JSON.stringify(f)).toBeNull();
        expect(rollupCountQuery(where, { search: '  ' }, cover)).not.toBeNull();

        // through GraphQL (the served path, from the rollup when it covers the filter) for every staff viewer
        for (const [name, viewer] of viewers) {
          const filter = await randomFilter(w, db, r, new Date(start.getTime() - DAY), end);
          const ability = defineAbilityFor(viewer, w.lines.abilities);
          const where = and(complaintsWhere(ability, 'read'), ...filterWhere(filter, now))!;
          const { unitPath, ...rest } = filter;
          const id = unitPath ? unitPath.split('/').filter(Boolean).at(-1) : null;
          const unit = id ? Object.values(w.units).find((u) => u.id === id) : null;
          const f = {
            ...rest,
            ...(rest.registeredFrom && { registeredFrom: formatDateTime(rest.registeredFrom) }),
            ...(rest.registeredTo && { registeredTo: formatDateTime(rest.registeredTo) }),
            ...(unit && { unitId: unitGid(w, unit.code) }),
          };
          if (unitPath && !unit) continue;
          const served = (await data(w, db, name, LIST_TOTAL, { f })).complaints.totalCount;
          expect(served, `${name} ${JSON.stringify(f)}`).toBe(await countComplaints(db, where));
        }
      }),
  );

  it(
    `D32 D59: after random registrations and transitions (seed ${SEED}) the duty briefing's figures are the list's totalCount for the same filters`,
    { timeout: 1_200_000 },
    () =>
      world().tx(async (db) => {
        const w = world();
        const r = prng(SEED + 1);
        await walk(w, db, r);
        const now = w.clock.now();
        const today = formatDateTime(shanghaiMidnight(formatDateTime(now).slice(0, 10)));
        const kinds = [...CONTACT_KINDS]; // D70: the briefing counts every kind
        const open = [...OPEN_STATUSES];
        const categories = rowsOf<{ c: string }>(
          await db.execute(
            sql`select distinct category as c from complaints where category is not null`,
          ),
        ).map((x) => x.c);
        let counted = 0;
        // the province's and a city's duty managers, and six other readers at random
        const readers = VIEWERS(w).filter(
          ([n, v]) =>
            v.kind === 'user' && readingUnitIds(v).length > 0 && n !== 'gd.duty' && n !== 'gz.duty',
        );
        const viewers = [
          ...VIEWERS(w).filter(([n]) => n === 'gd.duty' || n === 'gz.duty'),
          ...[...new Set(Array.from({ length: 6 }, () => r.pick(readers)))],
        ];
        for (const [name, viewer] of viewers) {
          const own = Object.values(w.units).find((u) => u.id === readingUnitIds(viewer)[0])!;
          const child = Object.values(w.units).find((u) => u.parentId === own.id);
          for (const unit of [null, own, ...(child ? [child] : [])]) {
            const unitId = unit ? unitGid(w, unit.code) : null;
            const b = (await data(w, db, name, BRIEFING, { unitId })).dutyBriefing as {
              openByStatus: { status: string; count: number }[];
              overdue: number;
              majorOpen: number;
              escalated: number;
              receivedToday: number;
              topCategories: { category: string; count: number }[];
            };
            const total = async (f: Record<string, unknown>) =>
              (
                await data(w, db, name, LIST_TOTAL, {
                  f: { kinds, ...f, ...(unitId && { unitId }) },
                })
              ).complaints.totalCount as number;
            const label = `${name} ${unit?.code ?? '(default)'}`;
            for (const { status, count } of b.openByStatus)
              expect(count, `${label} ${status}`).toBe(await total({ status: [status] }));
            expect(b.overdue, `${label} overdue`).toBe(
              await total({ status: open, overdue: true }),
            );
            expect(b.majorOpen, `${label} major`).toBe(
              await total({ status: open, severity: ['MAJOR', 'URGENT'] }),
            );
            expect(b.escalated, `${label} escalated`).toBe(
              await total({ status: open, escalated: true }),
            );
            expect(b.receivedToday, `${label} today`).toBe(await total({ registeredFrom: today }));
            // the top five categories of open cases, most first: each the list's count, none left out above them
            const byCategory = new Map<string, number>();
            for (const c of categories)
              byCategory.set(c, await total({ status: open, category: [c] }));
            const present = [...byCategory.values()].filter((n) => n > 0).length;
            expect(b.topCategories.length, `${label} top`).toBe(Math.min(5, present));
            for (const t of b.topCategories)
              expect(t.count, `${label} ${t.category}`).toBe(byCategory.get(t.category));
            const counts = b.topCategories.map((t) => t.count);
            expect(counts).toEqual([...counts].sort((x, y) => y - x));
            const listed = new Set(b.topCategories.map((t) => t.category));
            for (const [c, n] of byCategory)
              if (!listed.has(c))
                expect(n, `${label} ${c} left out`).toBeLessThanOrEqual(counts.at(-1) ?? 0);
            counted += b.openByStatus.reduce((s, x) => s + x.count, 0) + b.receivedToday;
          }
        }
        // the walk left open cases and cases received today to count
        expect(counted).toBeGreaterThan(0);
      }),
  );
});
