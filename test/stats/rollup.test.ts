import { and, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { readingUnitIds } from '../../src/auth/guards.js';
import { type Db, rowsOf } from '../../src/db/client.js';
import { CONTACT_KINDS } from '../../src/domain/enums.js';
import { DomainError } from '../../src/domain/errors.js';
import { unitById } from '../../src/domain/org.js';
import { complaintStats, DIMENSIONS, type Dimension, windowWhere } from '../../src/domain/stats.js';
import { compactStatsRollup, rollupStatsQuery } from '../../src/domain/stats-rollup.js';
import { formatDateTime } from '../../src/graphql/datetime.js';
import { shanghaiMidnight } from '../../src/sla/calendar.js';
import { DAY, engine, HOUR } from '../support/cases.js';
import { data, moveUnit } from '../support/gql.js';
import { iterations, prng } from '../support/random.js';
import {
  nextInstant,
  type Rand,
  REGISTRATIONS,
  randomTransition,
  randomWindow,
  readingOf,
  VIEWERS,
} from '../support/rollup-walk.js';
import { LIST_TOTAL, STATS, sum } from '../support/stats.js';
import { T0, useWorld } from '../support/world.js';

/**
 * Issue 25, D59 as a property: after random registrations and random
 * transitions (each tried in a savepoint, rolled back when refused), the
 * rollup `complaint_counts` and its day and month siblings (migrations 0020,
 * 0024) equal a recount of `complaints`, before and after their deltas are
 * folded; `complaintStats` answered from it equals the
 * scan it replaces for random viewers, windows (whole Shanghai days and odd
 * instants), scopes, kinds and groupings; and through GraphQL the STATUS
 * counts add up to the list's `totalCount`. `ROLLUP_SEED` reproduces a run,
 * `ROLLUP_STEPS` / TEST_FULL make it longer.
 */
const world = useWorld();
const SEED = Number(process.env.ROLLUP_SEED ?? 20261206);
const STEPS = iterations(36, 240, process.env.ROLLUP_STEPS);
const QUERIES = iterations(60, 400);

const KEY = sql.raw(
  'handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel',
);

const MONTH_KEY = sql.raw(
  'handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel',
);

/** The rollup summed per key, and the same keys counted from complaints: they must be equal. */
async function rollupAndRecount(db: Db) {
  const order = sql.raw('order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10');
  const rollup = rowsOf<{ n: number }>(
    await db.execute(sql`select ${KEY}, sum(n)::int as n from complaint_counts
      group by ${KEY} having sum(n) <> 0 ${order}`),
  );
  const recount = rowsOf<{ n: number }>(
    await db.execute(sql`select handling_path, handling_unit_id,
      (registered_at at time zone 'Asia/Shanghai')::date as day, kind, status, business_line, category, severity, source, channel,
      count(*)::int as n from complaints group by ${KEY} ${order}`),
  );
  const narrow = rowsOf(
    await db.execute(sql`select handling_path, handling_unit_id, day, kind, status, sum(n)::int as n
      from complaint_status_counts group by 1, 2, 3, 4, 5 having sum(n) <> 0 order by 1, 2, 3, 4, 5`),
  );
  const narrowRecount = rowsOf(
    await db.execute(sql`select handling_path, handling_unit_id,
      (registered_at at time zone 'Asia/Shanghai')::date as day, kind, status, count(*)::int as n
      from complaints group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`),
  );
  expect(narrow, 'complaint_status_counts vs recount').toEqual(narrowRecount);
  // the month tables (migration 0024): the same counts by Shanghai month
  const month = sql.raw(`date_trunc('month', registered_at at time zone 'Asia/Shanghai')::date`);
  const monthly = rowsOf(
    await db.execute(sql`select ${MONTH_KEY}, sum(n)::int as n from complaint_month_counts
      group by ${MONTH_KEY} having sum(n) <> 0 ${order}`),
  );
  const monthlyRecount = rowsOf(
    await db.execute(sql`select handling_path, handling_unit_id, ${month} as month, kind, status, business_line,
      category, severity, source, channel, count(*)::int as n from complaints group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ${order}`),
  );
  expect(monthly, 'complaint_month_counts vs recount').toEqual(monthlyRecount);
  const narrowMonthly = rowsOf(
    await db.execute(sql`select handling_path, handling_unit_id, month, kind, status, sum(n)::int as n
      from complaint_status_month_counts group by 1, 2, 3, 4, 5 having sum(n) <> 0 order by 1, 2, 3, 4, 5`),
  );
  const narrowMonthlyRecount = rowsOf(
    await db.execute(sql`select handling_path, handling_unit_id, ${month} as month, kind, status, count(*)::int as n
      from complaints group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`),
  );
  expect(narrowMonthly, 'complaint_status_month_counts vs recount').toEqual(narrowMonthlyRecount);
  const byDim = rowsOf(
    await db.execute(sql`select handling_path, handling_unit_id, month, kind, status, dim, value, sum(n)::int as n
      from complaint_dim_month_counts group by 1, 2, 3, 4, 5, 6, 7 having sum(n) <> 0 order by 1, 2, 3, 4, 5, 6, 7`),
  );
  const byDimRecount = rowsOf(
    await db.execute(sql`select handling_path, handling_unit_id, ${month} as month, kind, status, d.dim, d.value,
      count(*)::int as n from complaints cross join lateral (values ('BUSINESS_LINE', business_line), ('CATEGORY', category),
      ('SEVERITY', severity::text), ('SOURCE', source::text), ('CHANNEL', channel::text),
      ('CATEGORY,SEVERITY', jsonb_build_array(category, severity)::text)) as d (dim, value)
      group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7`),
  );
  expect(byDim, 'complaint_dim_month_counts vs recount').toEqual(byDimRecount);
  return { rollup, recount };
}

function randomGroupBy(r: Rand): Dimension[] {
  const time: Dimension[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];
  const dims = r.some(DIMENSIONS, 3);
  const t = dims.filter((d) => time.includes(d));
  return dims.filter((d) => !time.includes(d) || d === t[0]);
}

describe('D59 issue 25: the statistics rollup counts exactly what the scan and the list count', () => {
  it(
    `D59: after random registrations and transitions (seed ${SEED}, ${STEPS} steps) the rollup equals a recount, and complaintStats from it equals the scan`,
    {
      timeout: 1_200_000,
    },
    () =>
      world().tx(async (db) => {
        const w = world();
        const r = prng(SEED);
        const e = engine(w, db);
        const start = new Date(T0.getTime() - 150 * DAY);
        w.clock.set(start);
        const ids: string[] = [];
        const tally: Record<string, number> = {};
        for (let step = 0; step < STEPS; step++) {
          // the clock only moves forward: 0–30 hours a step (sometimes days), any time of day
          w.clock.set(nextInstant(r, w.clock.now()));
          if (!ids.length || r.next() < 0.4) {
            // in a savepoint: after the org move below a set-up's route (GD-GZ delegating to GD-GZ-TH) may be refused (D7)
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
            // D1a: a county moves to another city; its cases' paths and readers change in bulk, and the old city
            // keeps reading those it dispatched (a reader outside the handling unit's ancestry, D54)
            expect(await moveUnit(w, db, 'GD-GZ-TH', 'GD-SZ')).toEqual([]);
          }
          if (step === Math.floor(STEPS / 2)) {
            const mid = await rollupAndRecount(db);
            expect(mid.rollup, 'rollup with its deltas vs recount, midway').toEqual(mid.recount);
            expect(await compactStatsRollup(db)).toBeGreaterThan(0);
          }
        }
        // the walk did move cases through the lifecycle (the property would be empty otherwise)
        expect(Object.keys(tally).length, JSON.stringify(tally)).toBeGreaterThan(4);
        const end = w.clock.now();

        const unfolded = await rollupAndRecount(db);
        expect(unfolded.rollup).toEqual(unfolded.recount);
        await compactStatsRollup(db);
        const folded = await rollupAndRecount(db);
        expect(folded.rollup).toEqual(folded.recount);
        // folded: one row per key, none of them zero
        const [{ rows, keys, zero }] = rowsOf<{ rows: number; keys: number; zero: number }>(
          await db.execute(sql`select count(*)::int as rows, count(distinct (${KEY}))::int as keys,
          count(*) filter (where n = 0)::int as zero from complaint_counts`),
        );
        expect([rows, zero]).toEqual([keys, 0]);
        const [m] = rowsOf<{ rows: number; keys: number; zero: number }>(
          await db.execute(sql`select count(*)::int as rows, count(distinct (${MONTH_KEY}))::int as keys,
          count(*) filter (where n = 0 or not folded)::int as zero from complaint_month_counts`),
        );
        expect([m!.rows, m!.zero]).toEqual([m!.keys, 0]);

        // complaintStats: the rollup's statement against the scan, for random requests
        let served = 0;
        let monthly = 0;
        let byDimension = 0;
        const viewers = VIEWERS(w).filter(([, v]) => v.kind === 'user');
        const units = Object.values(w.units);
        for (let i = 0; i < QUERIES; i++) {
          const [name, viewer] = r.pick(viewers);
          const kinds = r.next() < 0.6 ? null : r.some(CONTACT_KINDS, 3);
          const { readable, cover } = await readingOf(w, db, viewer, kinds);
          const asked = r.next() < 0.5 ? (await unitById(db, r.pick(units).id))! : null;
          const scope = asked ?? (await unitById(db, readingUnitIds(viewer)[0] ?? w.units.GD!.id))!;
          const [from, to] = randomWindow(r, new Date(start.getTime() - DAY), end);
          const groupBy = randomGroupBy(r);
          const label = `${name} ${groupBy.join(',')} [${formatDateTime(from)}, ${formatDateTime(to)}) unit ${asked?.code ?? '-'} kinds ${kinds ?? '-'}`;
          expect(cover, `${name} reads in the rollup's shape`).not.toBeNull();
          const where = and(readable, windowWhere(from, to))!;
          const q = rollupStatsQuery(
            where,
            scope,
            from,
            to,
            [...new Set(groupBy)],
            !!asked,
            cover!,
          );
          if (q) served++;
          const text = q ? new PgDialect().sqlToQuery(q).sql : '';
          if (text.includes('month_counts')) monthly++;
          if (text.includes('complaint_dim_month_counts')) byDimension++;
          const scanned = await complaintStats(db, readable, scope, from, to, groupBy, !!asked);
          const rolled = await complaintStats(
            db,
            readable,
            scope,
            from,
            to,
            groupBy,
            !!asked,
            cover,
          );
          expect(rolled, label).toEqual(scanned);
        }
        // most requests were answered by the rollup (the others: windows without a whole day)
        expect(served).toBeGreaterThan(QUERIES / 2);
        // and many of them read whole months from the month tables (migration 0024)
        expect(monthly).toBeGreaterThan(QUERIES / 6);
        expect(byDimension).toBeGreaterThan(0);

        // every wide dimension alone (complaint_dim_month_counts) and with STATUS, over the walk's whole months, then
        // reaching two and a half days before and 30 hours past them (day rows at the edges), for wide and narrow readers
        const firstOf = (t: Date) => shanghaiMidnight(`${formatDateTime(t).slice(0, 7)}-01`);
        const [m0, m1] = [firstOf(new Date(firstOf(start).getTime() + 32 * DAY)), firstOf(end)];
        expect(m0.getTime()).toBeLessThan(m1.getTime());
        const wideWindows: [Date, Date][] = [
          [m0, m1],
          [new Date(m0.getTime() - 60 * HOUR), new Date(m1.getTime() + 30 * HOUR)],
        ];
        // (and the one pair migration 0027 keeps, CATEGORY,SEVERITY)
        for (const d of [
          ['BUSINESS_LINE'],
          ['CATEGORY'],
          ['SEVERITY'],
          ['SOURCE'],
          ['CHANNEL'],
          ['CATEGORY', 'SEVERITY'],
        ] as Dimension[][])
          for (const [name, viewer] of viewers.filter(([n]) =>
            ['gd.agent', 'gz.handler', 'th.handler'].includes(n),
          ))
            for (const [from, to] of wideWindows) {
              const { readable, cover } = await readingOf(w, db, viewer, null);
              const scope = (await unitById(db, readingUnitIds(viewer)[0]!))!;
              const groupBy: Dimension[] = from === m0 ? d : [...d, 'STATUS'];
              const q = rollupStatsQuery(
                and(readable, windowWhere(from, to))!,
                scope,
                from,
                to,
                groupBy,
                false,
                cover!,
              );
              expect(new PgDialect().sqlToQuery(q!).sql).toContain('complaint_dim_month_counts');
              const args = [db, readable, scope, from, to, groupBy, false] as const;
              expect(
                await complaintStats(...args, cover),
                `${name} ${groupBy} [${formatDateTime(from)}, ${formatDateTime(to)})`,
              ).toEqual(await complaintStats(...args));
            }

        // through GraphQL (the rollup path) against the list's totalCount, for every staff viewer
        for (const [name, viewer] of viewers) {
          if (!readingUnitIds(viewer).length) continue; // an ADMIN reads no cases: no statistics (FORBIDDEN)
          const [from, to] = randomWindow(r, new Date(start.getTime() - DAY), end);
          const kinds = r.next() < 0.5 ? null : r.some(CONTACT_KINDS, 3);
          const window = { from: formatDateTime(from), to: formatDateTime(to) };
          const stats = (
            await data(w, db, name, STATS, {
              i: { ...window, groupBy: ['STATUS'], ...(kinds && { kinds }) },
            })
          ).complaintStats;
          const listed = (
            await data(w, db, name, LIST_TOTAL, {
              f: { registeredFrom: window.from, registeredTo: window.to, ...(kinds && { kinds }) },
            })
          ).complaints.totalCount;
          expect(sum(stats), `${name} ${JSON.stringify(window)} ${kinds}`).toBe(listed);
        }
      }),
  );

  it('D59: a row inserted, changed and deleted outside the domain (a bulk load, a purge) is counted and uncounted too, and the recount agrees', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const c = await e.investigating('county');
      // a copy of the case written straight into the table, then changed in bulk and deleted: the trigger sees each
      await db.execute(sql`insert into complaints (id, number, status, kind, channel, source, business_line, category, severity,
          title, description, customer_name, customer_phone, contact_at, registered_at, province_id, handling_unit_id,
          handling_path, handling_level, reader_units)
        select gen_random_uuid(), number || '-copy', status, kind, channel, source, business_line, category, severity,
          title, description, customer_name, customer_phone, contact_at, registered_at, province_id, handling_unit_id,
          handling_path, handling_level, reader_units from complaints where id = ${c.id}`);
      const copy = await rollupAndRecount(db);
      expect(copy.rollup).toEqual(copy.recount);
      expect(copy.rollup.map((x) => x.n)).toContain(2);
      await db.execute(
        sql`update complaints set registered_at = registered_at - interval '23 days 20 hours', severity = 'URGENT'`,
      );
      const changed = await rollupAndRecount(db);
      expect(changed.rollup).toEqual(changed.recount);
      await db.execute(sql`delete from complaints where number like '%-copy'`);
      const { rollup, recount } = await rollupAndRecount(db);
      expect(rollup).toEqual(recount);
      expect(rollup.map((x) => x.n)).toEqual([1]);
      // the recount a bulk load calls afterwards replaces what is there (deltas included) with the same figures
      await db.execute(sql`select stats_rollup_rebuild()`);
      const rebuilt = await rollupAndRecount(db);
      expect(rebuilt.rollup).toEqual(recount);
      const [{ deltas }] = rowsOf<{ deltas: number }>(
        await db.execute(
          sql`select (select count(*) from complaint_counts where not folded)
            + (select count(*) from complaint_month_counts where not folded)
            + (select count(*) from complaint_status_month_counts where not folded)
            + (select count(*) from complaint_dim_month_counts where not folded) as deltas`,
        ),
      );
      expect(Number(deltas)).toBe(0);
    }));
});
