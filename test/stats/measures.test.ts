import { and, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { readingUnitIds } from '../../src/auth/guards.js';
import { type Db, rowsOf } from '../../src/db/client.js';
import { computeFigures, REPORT_PERIODS } from '../../src/domain/analysis-report.js';
import { CONTACT_KINDS } from '../../src/domain/enums.js';
import { DomainError } from '../../src/domain/errors.js';
import { unitById } from '../../src/domain/org.js';
import { assessment, subtree, windowWhere } from '../../src/domain/stats.js';
import {
  compactMeasures,
  type PeriodPart,
  personPeriodParts,
  rollupMeasures,
  rollupPersonMeasures,
} from '../../src/domain/stats-measures.js';
import { scanAll } from '../../src/sla/scanner.js';
import { DAY, engine, HOUR } from '../support/cases.js';
import { moveUnit } from '../support/gql.js';
import { iterations, prng } from '../support/random.js';
import {
  REGISTRATIONS_FAR_ALONG,
  randomTransition,
  randomWindow,
  readingOf,
  VIEWERS,
} from '../support/rollup-walk.js';
import { T0, useWorld } from '../support/world.js';

/**
 * Issue 25, D59, D31, D77 as a property: after random registrations and
 * random transitions (callbacks recorded, clocks stopped MET or MISSED,
 * cases dispatched and transferred, a county moved to another city), the
 * measure rollups of migration 0022 equal a recount of complaints, callbacks
 * and sla_clocks, before and after their deltas are folded; and `assessment`
 * by unit and the analysis report's figures answered from them equal the
 * scans they replace for random viewers, windows, scopes, kinds, periods and
 * `now`s. `MEASURES_SEED` reproduces a run, `MEASURES_STEPS` / TEST_FULL make
 * it longer.
 */
const world = useWorld();
const SEED = Number(process.env.MEASURES_SEED ?? 20261207);
const STEPS = iterations(40, 240, process.env.MEASURES_STEPS);
const QUERIES = iterations(40, 300);

const CASE_KEY = sql.raw('1, 2, 3, 4');
/** D26: a running clock marked breached, not paused: late whatever `now` is. */
const LATE = sql.raw(
  "(k.state not in ('MET', 'MISSED') and k.stopped_at is null and k.paused_at is null and k.breached)",
);

/** The measure rollups summed per key, and the same keys recounted from the tables: they must be equal. */
async function rollupAndRecount(db: Db) {
  const cases = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select handling_path, handling_unit_id, day, kind::text, sum(n)::int as n,
      sum(resolved)::int as resolved, sum(accepted)::int as accepted, sum(response_seconds)::numeric(20, 6)::text as seconds,
      sum(reopened)::int as reopened, sum(repeats)::int as repeats, sum(cb_satisfied)::int as satisfied, sum(cb_reached)::int as reached
      from complaint_measure_counts group by ${CASE_KEY}
      having (sum(n), sum(resolved), sum(accepted), sum(response_seconds), sum(reopened), sum(repeats), sum(cb_satisfied), sum(cb_reached))
        <> (0, 0, 0, 0, 0, 0, 0, 0)
      order by ${CASE_KEY}`),
  );
  const casesRecount = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select c.handling_path, c.handling_unit_id, (c.registered_at at time zone 'Asia/Shanghai')::date as day,
      c.kind::text, count(*)::int as n, count(c.resolved_at)::int as resolved, count(c.accepted_at)::int as accepted,
      coalesce(sum(extract(epoch from (c.accepted_at - c.registered_at))), 0)::numeric(20, 6)::text as seconds,
      count(*) filter (where c.reopen_count > 0)::int as reopened, count(*) filter (where c.is_repeat)::int as repeats,
      coalesce(sum(cb.satisfied), 0)::int as satisfied, coalesce(sum(cb.reached), 0)::int as reached
      from complaints c left join (select complaint_id,
          count(*) filter (where result in ('SATISFIED', 'BASICALLY_SATISFIED')) as satisfied,
          count(*) filter (where result <> 'UNREACHABLE') as reached from callbacks group by 1) cb on cb.complaint_id = c.id
      group by ${CASE_KEY} order by ${CASE_KEY}`),
  );
  const clocks = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select handling_path, handling_unit_id, day, kind::text, clock::text, rectification,
      sum(met)::int as met, sum(missed)::int as missed, sum(late)::int as late from complaint_clock_counts
      group by 1, 2, 3, 4, 5, 6 having (sum(met), sum(missed), sum(late)) <> (0, 0, 0) order by 1, 2, 3, 4, 5, 6`),
  );
  const clocksRecount = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select c.handling_path, c.handling_unit_id, (c.registered_at at time zone 'Asia/Shanghai')::date as day,
      c.kind::text, k.kind::text as clock, k.rectification_id is not null as rectification,
      count(*) filter (where k.state = 'MET')::int as met, count(*) filter (where k.state = 'MISSED')::int as missed,
      count(*) filter (where ${LATE})::int as late
      from sla_clocks k join complaints c on c.id = k.complaint_id where k.state in ('MET', 'MISSED') or ${LATE}
      group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`),
  );
  return { cases, casesRecount, clocks, clocksRecount };
}

/** The person rollups of migrations 0029 and 0031 summed per key (zero sums left out). */
async function personSums(db: Db) {
  const cases = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select subtree_path, period, monthly, kind::text, person, sum(n)::int as n, sum(resolved)::int as resolved,
      sum(accepted)::int as accepted, sum(response_seconds)::numeric(20, 6)::text as seconds, sum(reopened)::int as reopened,
      sum(repeats)::int as repeats, sum(cb_satisfied)::int as satisfied, sum(cb_reached)::int as reached,
      sum(owned)::int as owned, sum(returned)::int as returned, sum(rework)::int as rework
      from complaint_person_counts group by 1, 2, 3, 4, 5
      having (sum(n), sum(resolved), sum(accepted), sum(response_seconds), sum(reopened), sum(repeats), sum(cb_satisfied),
        sum(cb_reached), sum(owned), sum(returned), sum(rework)) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
      order by 1, 2, 3, 4, 5`),
  );
  const clocks = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select subtree_path, period, monthly, kind::text, person, clock::text, sum(met)::int as met,
      sum(missed)::int as missed, sum(late)::int as late from complaint_person_clock_counts
      group by 1, 2, 3, 4, 5, 6 having (sum(met), sum(missed), sum(late)) <> (0, 0, 0) order by 1, 2, 3, 4, 5, 6`),
  );
  return { cases, clocks };
}

const ROLLBACK = new Error('rolled back');

/**
 * The person rollups as the triggers left them equal `stats_person_rebuild()`'s recount (run in a savepoint
 * rolled back); `assessment` by PERSON from them equals the scan of src/domain/assessment-findings.ts (below).
 */
async function expectPersonExact(db: Db, when: string) {
  const sums = await personSums(db);
  let rebuilt: Awaited<ReturnType<typeof personSums>> | undefined;
  await db
    .transaction(async (sp) => {
      await sp.execute(sql`select stats_person_rebuild()`);
      rebuilt = await personSums(sp);
      throw ROLLBACK;
    })
    .catch((err) => {
      if (err !== ROLLBACK) throw err;
    });
  expect(sums.cases, `complaint_person_counts vs rebuild, ${when}`).toEqual(rebuilt!.cases);
  expect(sums.clocks, `complaint_person_clock_counts vs rebuild, ${when}`).toEqual(rebuilt!.clocks);
  // migration 0031: a subtree's rows hold every case handled in it, so a province's month rows are each first
  // responder's cases of the whole province, by kind (the rebuild above recounts them the same way)
  const provinceRows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select subtree_path as province, kind::text, person::text, sum(n)::int as n
      from complaint_person_counts where monthly and subtree_path ~ '^/[^/]+/$'
      group by 1, 2, 3 having sum(n) <> 0 order by 1, 2, 3`),
  );
  const provinceCases = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select '/' || split_part(handling_path, '/', 2) || '/' as province, kind::text,
        first_responder_id::text as person, count(*)::int as n
      from complaints where first_responder_id is not null group by 1, 2, 3 order by 1, 2, 3`),
  );
  expect(provinceRows, `a province's person rows vs its cases, ${when}`).toEqual(provinceCases);
  return sums;
}

async function expectExact(db: Db, when: string) {
  const x = await rollupAndRecount(db);
  expect(x.cases, `complaint_measure_counts vs recount, ${when}`).toEqual(x.casesRecount);
  expect(x.clocks, `complaint_clock_counts vs recount, ${when}`).toEqual(x.clocksRecount);
  return { ...x, person: await expectPersonExact(db, when) };
}

describe("D31 D59 issue 25: the person rollups' periods of a window (personPeriodParts)", () => {
  const day = (d: string) => new Date(`${d}T00:00:00Z`).getTime() / 86_400_000;
  const iso = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
  /** The days the parts count, each with its sign summed: the window's days once, every other day never. */
  const counted = (parts: PeriodPart[]) => {
    const n = new Map<string, number>();
    for (const p of parts)
      for (let d = day(p.from); d < day(p.to); d++) n.set(iso(d), (n.get(iso(d)) ?? 0) + p.sign);
    return new Map([...n].filter(([, v]) => v !== 0));
  };

  it('reads whole months from month rows, an edge from its days, and the month of today less its later days', () => {
    expect(personPeriodParts('2025-12-01', '2026-11-01', '2026-11-23')).toEqual([
      { monthly: true, from: '2025-12-01', to: '2026-11-01', sign: 1 },
    ]);
    // the bench's year cut at 10:00 on both ends: its whole days, up to today
    expect(personPeriodParts('2025-11-24', '2026-11-23', '2026-11-23')).toEqual([
      { monthly: false, from: '2025-11-24', to: '2025-12-01', sign: 1 },
      { monthly: true, from: '2025-12-01', to: '2026-12-01', sign: 1 },
      { monthly: false, from: '2026-11-23', to: '2026-12-01', sign: -1 },
    ]);
    // a past month's middle: its month less its first two days and its last eleven
    expect(personPeriodParts('2026-11-03', '2026-11-20', '2026-12-10')).toEqual([
      { monthly: true, from: '2026-11-01', to: '2026-12-01', sign: 1 },
      { monthly: false, from: '2026-11-01', to: '2026-11-03', sign: -1 },
      { monthly: false, from: '2026-11-20', to: '2026-12-01', sign: -1 },
    ]);
    expect(personPeriodParts('2026-11-03', '2026-11-05', '2026-12-10')).toEqual([
      { monthly: false, from: '2026-11-03', to: '2026-11-05', sign: 1 },
    ]);
  });

  it('counts every day of the window once and no other day, for random windows and todays', () => {
    const rand = prng(20261206);
    for (let i = 0; i < 500; i++) {
      const d0 = day('2024-12-15') + rand.int(800);
      const d1 = d0 + 1 + rand.int(rand.chance(0.5) ? 40 : 500);
      const today = d0 + rand.int(900) - 100;
      const parts = personPeriodParts(iso(d0), iso(d1), iso(today));
      const want = new Map<string, number>();
      for (let d = d0; d < d1; d++) want.set(iso(d), 1);
      expect(counted(parts), `[${iso(d0)}, ${iso(d1)}) today ${iso(today)}`).toEqual(want);
      for (const p of parts.filter((x) => x.monthly))
        expect(p.from.endsWith('-01') && p.to.endsWith('-01')).toBe(true);
    }
  });
});

describe('D59 D31 D77 issue 25: assessment and the report figures from the measure rollups equal the scan', () => {
  it(
    `D59 D31 D77: after random registrations and transitions (seed ${SEED}, ${STEPS} steps) the measure rollups equal a recount, and assessment(UNIT) and computeFigures from them equal the scans`,
    { timeout: 1_800_000 },
    () =>
      world().tx(async (db) => {
        const w = world();
        const r = prng(SEED);
        const e = engine(w, db);
        const start = new Date(T0.getTime() - 45 * DAY);
        w.clock.set(start);
        const ids: string[] = [];
        const tally: Record<string, number> = {};
        for (let step = 0; step < STEPS; step++) {
          w.clock.set(new Date(w.clock.now().getTime() + Math.floor(r.next() * 30 * HOUR)));
          if (!ids.length || r.next() < 0.35) {
            const made = await db
              .transaction(async (sp) => (await r.pick(REGISTRATIONS_FAR_ALONG)(engine(w, sp))).id)
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
          // D26: the scanner marks running clocks breached now and then (judged late whatever `now` the figures take)
          if (step % 9 === 8) await scanAll(db, w.clock.now());
          if (step === Math.floor((STEPS * 2) / 3)) {
            // D1a: a county moves to another city; its cases' paths change in bulk, their callbacks and clocks with them
            expect(await moveUnit(w, db, 'GD-GZ-TH', 'GD-SZ')).toEqual([]);
          }
          if (step === Math.floor(STEPS / 2)) {
            await expectExact(db, 'midway, with deltas');
            expect(await compactMeasures(db)).toBeGreaterThan(0);
            await expectExact(db, 'midway, folded');
          }
        }
        expect(Object.keys(tally).length, JSON.stringify(tally)).toBeGreaterThan(4);
        const end = w.clock.now();
        const x = await expectExact(db, 'at the end, with deltas');
        // the walk made what the rollups hold: callbacks, and clocks ended both ways
        const total = (rows: Record<string, unknown>[], f: string) =>
          rows.reduce((s, row) => s + Number(row[f]), 0);
        expect(total(x.casesRecount, 'reached')).toBeGreaterThan(0);
        expect(total(x.clocksRecount, 'met')).toBeGreaterThan(0);
        expect(total(x.clocksRecount, 'missed')).toBeGreaterThan(0);
        expect(total(x.clocksRecount, 'late'), 'running clocks marked breached').toBeGreaterThan(0);
        // and what persons owned besides first response: dispatches taken, and ASSIGNMENT clocks their reports
        // stopped (returns and reports sent back: test/centre/assessment.test.ts)
        expect(total(x.person.cases, 'owned'), 'dispatches taken').toBeGreaterThan(0);
        const assignment = x.person.clocks.filter((c) => c.clock === 'ASSIGNMENT');
        expect(total(assignment, 'met') + total(assignment, 'missed')).toBeGreaterThan(0);
        await compactMeasures(db);
        await expectExact(db, 'at the end, folded');
        const [{ zero }] = rowsOf<{ zero: number }>(
          await db.execute(sql`select (select count(*) from complaint_measure_counts where not folded or n = 0 and resolved = 0
            and accepted = 0 and response_seconds = 0 and reopened = 0 and repeats = 0 and cb_satisfied = 0 and cb_reached = 0)
            + (select count(*) from complaint_clock_counts where not folded or (met = 0 and missed = 0 and late = 0))
            + (select count(*) from complaint_person_counts where not folded or (n, resolved, accepted, response_seconds,
                reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            + (select count(*) from complaint_person_clock_counts where not folded or (met, missed, late) = (0, 0, 0)) as zero`),
        );
        expect(Number(zero), 'folded: no deltas left, no empty rows').toBe(0);

        const viewers = VIEWERS(w).filter(([, v]) => v.kind === 'user');
        const units = Object.values(w.units);
        let served = 0;
        let personServed = 0;
        let judgedRunning = 0;
        for (let i = 0; i < QUERIES; i++) {
          const [name, viewer] = r.pick(viewers);
          const kinds = r.next() < 0.6 ? null : r.some(CONTACT_KINDS, 3);
          const { everyKind, readable, cover } = await readingOf(w, db, viewer, kinds);
          expect(cover, `${name} reads in the rollup's shape`).not.toBeNull();
          const asked = r.next() < 0.5 ? (await unitById(db, r.pick(units).id))! : null;
          const scope = asked ?? (await unitById(db, readingUnitIds(viewer)[0] ?? w.units.GD!.id))!;
          const [from, to] = randomWindow(r, new Date(start.getTime() - DAY), end);
          // `now` anywhere from the walk's middle to a month after it: running clocks are judged against it
          const now = new Date(
            start.getTime() + (end.getTime() - start.getTime()) / 2 + r.next() * 60 * DAY,
          );
          const label = `${name} [${from.toISOString()}, ${to.toISOString()}) unit ${asked?.code ?? '-'} kinds ${kinds ?? '-'} now ${now.toISOString()}`;
          const where = and(readable, asked ? subtree(scope) : sql`true`, windowWhere(from, to))!;
          const request = { where, scope, from, to, subtreeOnly: !!asked, cover: cover!, now };
          const rolled = await rollupMeasures(db, {
            ...request,
            by: 'UNIT',
            rectificationClocks: false,
          });
          if (rolled) served++;
          const args = [db, readable, scope, from, to, 'UNIT', now, !!asked, []] as const;
          const scanned = await assessment(...args);
          expect(await assessment(...args, cover), `assessment ${label}`).toEqual(scanned);
          // D31 per PERSON: from migration 0029's rollups (month rows, edge days' rows) and the cases around them, as scanned
          const byPerson = [db, readable, scope, from, to, 'PERSON', now, !!asked, []] as const;
          const personScanned = await assessment(...byPerson);
          expect(await assessment(...byPerson, cover), `assessment by PERSON ${label}`).toEqual(
            personScanned,
          );
          if (await rollupPersonMeasures(db, request)) personServed++;
          judgedRunning += rowsOf<{ n: number }>(
            await db.execute(sql`select count(*)::int as n from sla_clocks where stopped_at is null and paused_at is null
              and (breached or due_at <= ${now.toISOString()}::timestamptz)`),
          )[0]!.n;

          // D77: a report of a random unit and period around the walk, as its author (or any reader) sees it
          if (i % 2 === 0) {
            const period = r.pick(REPORT_PERIODS);
            const month = r.pick(['2026-10-01', '2026-11-01', '2026-07-01', '2026-01-01']);
            const periodStart =
              period === 'YEAR'
                ? '2026-01-01'
                : period === 'QUARTER'
                  ? r.pick(['2026-07-01', '2026-10-01'])
                  : month;
            const unit = asked ?? scope;
            const { units: u, me } = cover!;
            const f = (c: typeof cover) =>
              computeFigures(
                db,
                everyKind,
                unit,
                period,
                periodStart,
                now,
                [],
                c && { units: u, me },
              );
            expect(
              await f(cover),
              `computeFigures ${name} ${unit.code} ${period} ${periodStart}`,
            ).toEqual(await f(null));
          }
        }
        // most requests were answered by the rollups (the others: windows without a whole day)
        expect(served).toBeGreaterThan(QUERIES / 2);
        // and by PERSON as well
        expect(personServed).toBeGreaterThan(QUERIES / 2);
        // and running clocks judged late were there to count live
        expect(judgedRunning).toBeGreaterThan(0);
      }),
  );

  it('D59 D31: a callback and a clock written outside the domain, a case moved and deleted, are counted and uncounted; the rebuild agrees', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const c = await e.closed('county');
      const before = await expectExact(db, 'closed case');
      expect(before.casesRecount.length).toBeGreaterThan(0);
      // straight into the tables: another callback, a clock ended MISSED, then the case moved to another unit and day
      await db.execute(sql`insert into callbacks (complaint_id, result, at, by_user_id)
        select id, 'UNSATISFIED', now(), ${w.staff['gz.handler']!.id} from complaints where id = ${c.id}`);
      await db.execute(sql`insert into sla_clocks (complaint_id, kind, started_at, due_at, stopped_at, state)
        values (${c.id}, 'RESOLVE', now() - interval '3 days', now() - interval '2 days', now(), 'MISSED')`);
      await expectExact(db, 'after the inserts');
      await db.execute(sql`update complaints set handling_unit_id = ${w.units['GD-SZ']!.id}, handling_path = ${w.units['GD-SZ']!.path},
        registered_at = registered_at - interval '30 hours', reopen_count = 1 where id = ${c.id}`);
      await expectExact(db, 'after the move');
      await db.execute(
        sql`update sla_clocks set state = 'MET' where complaint_id = ${c.id} and state = 'MISSED'`,
      );
      await db.execute(sql`update callbacks set result = 'SATISFIED' where complaint_id = ${c.id}`);
      await expectExact(db, 'after the updates');
      // a copy of the case written straight into the table, with a callback and an ended clock; then all deleted
      // (the callback and clock first, as the foreign keys ask): nothing of the copy is left
      await db.execute(sql`insert into complaints (id, number, status, kind, channel, source, business_line, category, severity,
          title, description, customer_name, customer_phone, contact_at, registered_at, accepted_at, resolved_at, province_id,
          handling_unit_id, handling_path, handling_level, reader_units)
        select gen_random_uuid(), number || '-copy', status, kind, channel, source, business_line, category, severity,
          title, description, customer_name, customer_phone, contact_at, registered_at, accepted_at, resolved_at, province_id,
          handling_unit_id, handling_path, handling_level, reader_units from complaints where id = ${c.id}`);
      const copy = sql`(select id from complaints where number like '%-copy')`;
      await db.execute(sql`insert into callbacks (complaint_id, result, at, by_user_id)
        values (${copy}, 'BASICALLY_SATISFIED', now(), ${w.staff['gz.handler']!.id})`);
      await db.execute(sql`insert into sla_clocks (complaint_id, kind, started_at, due_at, stopped_at, state)
        values (${copy}, 'CLOSE', now() - interval '3 days', now() - interval '2 days', now(), 'MET')`);
      await db.execute(sql`insert into sla_clocks (complaint_id, kind, started_at, due_at, state, breached)
        values (${copy}, 'RESOLVE', now() - interval '3 days', now() - interval '2 days', 'BREACHED', true)`);
      await expectExact(db, 'with the copy');
      // D26: a late clock paused is no longer judged; resumed, it is again
      await db.execute(
        sql`update sla_clocks set paused_at = now(), state = 'PAUSED' where complaint_id = ${copy} and breached`,
      );
      await expectExact(db, 'paused');
      await db.execute(
        sql`update sla_clocks set paused_at = null, state = 'BREACHED' where complaint_id = ${copy} and breached`,
      );
      await expectExact(db, 'resumed');
      await db.execute(sql`delete from callbacks where complaint_id = ${copy}`);
      await db.execute(sql`delete from sla_clocks where complaint_id = ${copy}`);
      await db.execute(sql`delete from complaints where number like '%-copy'`);
      const after = await expectExact(db, 'after the deletion');
      await db.execute(sql`select stats_measures_rebuild()`);
      const rebuilt = await expectExact(db, 'rebuilt');
      expect(rebuilt.cases).toEqual(after.casesRecount);
      expect(rebuilt.clocks).toEqual(after.clocksRecount);
      const [{ deltas }] = rowsOf<{ deltas: number }>(
        await db.execute(sql`select (select count(*) from complaint_measure_counts where not folded)
          + (select count(*) from complaint_clock_counts where not folded) as deltas`),
      );
      expect(Number(deltas)).toBe(0);
    }));

  it('P7 D31 issue 25: the recount writes the person rows in the order their index reads them, and leaves room on each page for their updates (migration 0034)', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      // cases of several first responders, units and days: dozens of person rows, day and month
      for (let i = 0; i < 6; i++) {
        await e.closed(i % 2 ? 'county' : 'city');
        await e.walkIn();
        w.clock.advance(DAY + 3 * HOUR);
      }
      await compactMeasures(db);
      // An emptied table takes its rows page after page, in the order they are inserted; with sorting discouraged,
      // the recount's aggregates come out in hash order unless the recount orders them itself.
      await db.execute(sql`truncate complaint_person_counts, complaint_person_clock_counts`);
      await db.execute(sql`set local enable_sort = off`);
      await db.execute(sql`select stats_person_rebuild()`);
      await db.execute(sql`reset enable_sort`);
      const order = async (table: string, key: string) =>
        rowsOf<{ rows: number; back: number }>(
          await db.execute(
            sql.raw(`select count(*)::int as rows, count(*) filter (where back)::int as back from (
              select row(${key}) < lag(row(${key})) over (partition by monthly order by ctid) as back from ${table}) x`),
          ),
        )[0]!;
      const counts = await order('complaint_person_counts', 'subtree_path, period, kind, person');
      const clocks = await order(
        'complaint_person_clock_counts',
        'subtree_path, period, kind, person, clock',
      );
      expect(counts.rows).toBeGreaterThan(20);
      expect(clocks.rows).toBeGreaterThan(5);
      expect(counts.back, 'complaint_person_counts rows out of order').toBe(0);
      expect(clocks.back, 'complaint_person_clock_counts rows out of order').toBe(0);
      await expectPersonExact(db, 'recounted in order');
      const options = rowsOf<{ relname: string; opts: string[] }>(
        await db.execute(sql`select relname, reloptions as opts from pg_class
          where relname in ('complaint_person_counts', 'complaint_person_clock_counts') order by 1`),
      );
      expect(options.map((o) => [o.relname, o.opts])).toEqual([
        ['complaint_person_clock_counts', ['fillfactor=90']],
        ['complaint_person_counts', ['fillfactor=90']],
      ]);
    }));
});
