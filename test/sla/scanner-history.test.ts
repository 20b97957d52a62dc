import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, openPostgres, rowsOf } from '../../src/db/client.js';
import { complaints } from '../../src/db/schema.js';
import { unitById } from '../../src/domain/org.js';
import { rollupMeasures } from '../../src/domain/stats-measures.js';
import { scanOnce } from '../../src/sla/scanner.js';
import { onPostgres, openTestDatabase } from '../support/db.js';

/**
 * D21, D22 (issue 25, growth): the scanner's claim reads only the partial indexes of the clocks
 * due for an alert (sla_clocks_warn_idx, sla_clocks_due_idx), however many clocks history holds.
 * With the two conditions OR-ed in one WHERE, PostgreSQL estimated them from the whole table —
 * where history's clocks have long passed their times — and at 1M cases preferred a scan of
 * every clock on each tick to the BitmapOr of the two partial indexes (bench/README.md,
 * "Growth"). The table here has that shape (50,000 clocks, half stopped long ago, most running
 * ones already warned or breached, a few running and due later; analysed), and the check is run
 * twice: as planned, and with bitmap scans disabled, which is the plan the estimate at 1M chose
 * between: without the BitmapOr, an OR-ed claim has nothing but the sequential scan, while a
 * claim that reads each partial index in its own order does not need it. PostgreSQL only (the
 * planner's statistics and pg_stat_xact_user_tables), so this runs on TEST_DATABASE_URL.
 */
/**
 * The history: a province and 50,000 cases, each with one clock (n % 10: 0–4 stopped long ago, 5–7 running
 * and already warned and breached, 8 running and warned, 9 running and due in 1–20 days); analysed.
 */
async function writeHistory(db: Db, now: Date) {
  const iso = now.toISOString();
  const [unit] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into org_units (id, code, name, level, path) select id, 'HX', 'History province', 'PROVINCE', '/' || id || '/' from (select gen_random_uuid() as id) u returning id`,
    ),
  );
  const N = 50_000;
  // The history is written with the triggers off (the search grams and the statistics rollups: this
  // test reads clocks only, and 50,000 cases and clocks through them outlast its time on a loaded machine).
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`insert into complaints (number, status, channel, source, business_line, category, severity, title, description,
         customer_name, customer_phone, contact_at, registered_at, accepted_at, province_id, handling_unit_id, handling_path,
         handling_level, reader_units)
       select 'HX' || lpad(g::text, 14, '0'), 'ACCEPTED', 'PHONE', 'CUSTOMER', 'mobile', 'NETWORK_TECHNICAL', 'ORDINARY',
         'History case ' || g, 'scanner-history.test.ts', 'History', '13800000000',
         ${iso}::timestamptz - interval '90 days', ${iso}::timestamptz - interval '90 days', ${iso}::timestamptz - interval '90 days',
         ${unit!.id}::uuid, ${unit!.id}::uuid, '/' || ${unit!.id} || '/', 'PROVINCE', array[${unit!.id}::uuid]
       from generate_series(1, ${N}::int) g`);
    // n % 10: 0–4 stopped long ago (MET / MISSED: their times passed, never alerted), 5–7
    // running and already warned and breached, 8 running and warned, 9 running and due in
    // 1–20 days (not warned). Each clock started 60 days (stopped, alerted) or 1 day before now.
    await tx.execute(sql`insert into sla_clocks (complaint_id, kind, budget, started_at, due_at, warn_at, stopped_at, warned, breached, state)
       select id, 'RESOLVE', '{"workingDays": 15}'::jsonb, started, due, started + (due - started) * 0.8,
         case when n % 10 < 5 then ${iso}::timestamptz - interval '30 days' end,
         n % 10 between 5 and 8, n % 10 between 5 and 7,
         (case when n % 10 < 3 then 'MET' when n % 10 < 5 then 'MISSED' when n % 10 < 8 then 'BREACHED'
               when n % 10 = 8 then 'WARNING' else 'RUNNING' end)::clock_state
       from (
         select id, n,
           case when n % 10 = 9 then ${iso}::timestamptz - interval '1 day' else ${iso}::timestamptz - interval '60 days' end as started,
           case when n % 10 = 9 then ${iso}::timestamptz + (1 + n % 20) * interval '1 day'
                when n % 10 = 8 then ${iso}::timestamptz + interval '1 day'
                else ${iso}::timestamptz - interval '31 days' end as due
         from (select id, row_number() over (order by number) as n from complaints where number like 'HX%') c
       ) x`);
  });
  await db.execute(sql`analyze sla_clocks`);
  await db.execute(sql`analyze complaints`);
  return unit!.id;
}

const NOW = new Date('2026-11-23T10:00:00+08:00');

/**
 * A database of its own with the history written, and `fn` run with it and with one connection of its own: in a
 * single connection's transaction, pg_stat_xact_user_tables counts that transaction's reads.
 */
async function withHistory(fn: (db: Db, single: Db, unitId: string) => Promise<void>) {
  const database = await openTestDatabase();
  const single = await openPostgres(database.url!, { max: 1 });
  try {
    await fn(database.db, single.db, await writeHistory(database.db, NOW));
  } finally {
    await single.close();
    await database.drop();
  }
}

/** `fn` in a transaction of `db` that is rolled back (the history stays as written). */
async function rolledBack(db: Db, fn: (tx: Db) => Promise<void>) {
  await db
    .transaction(async (tx) => {
      await fn(tx);
      throw new Error('rollback');
    })
    .catch((e: Error) => {
      if (e.message !== 'rollback') throw e;
    });
}

/** This transaction's reads of sla_clocks so far: sequential scans, index scans, rows read either way. */
const clockReads = async (tx: Db) =>
  rowsOf<{ seq: number; idx: number; rows: number }>(
    await tx.execute(
      sql`select seq_scan::int as seq, coalesce(idx_scan, 0)::int as idx,
        (seq_tup_read + coalesce(idx_tup_fetch, 0))::int as rows
        from pg_stat_xact_user_tables where relname = 'sla_clocks'`,
    ),
  )[0]!;

describe.skipIf(!onPostgres)('the scanner with history (PostgreSQL)', () => {
  it('D21: a tick reads no clock by sequential scan, with nothing due and with clocks due, whatever the plan of an OR', () =>
    withHistory(async (_, single) => {
      for (const bitmaps of ['on', 'off'])
        await rolledBack(single, async (tx) => {
          await tx.execute(sql.raw(`set local enable_bitmapscan = ${bitmaps}`));
          const before = await clockReads(tx);
          expect(await scanOnce(tx, NOW)).toEqual({ warnings: 0, breaches: 0, escalated: 0 });
          const idle = await clockReads(tx);
          expect(idle.seq - before.seq).toBe(0);
          expect(idle.idx).toBeGreaterThan(before.idx);

          // 25 days on: the 5,000 clocks of n % 10 = 9 are past warning and due (500 claimed), and
          // those of n % 10 = 8 past due.
          const later = new Date(NOW.getTime() + 25 * 86_400_000);
          const busy = await scanOnce(tx, later, 20); // a small batch: 40 candidates, each fetched by key
          expect(busy.warnings + busy.breaches).toBeGreaterThan(0);
          const after = await clockReads(tx);
          expect(after.seq - before.seq).toBe(0);
        });
    }));

  it('D26, D31 (issue 25, P7): the statistics count running clocks past due and not yet marked without a scan of every clock', () =>
    // The same history: the running clocks due later are a fifth of the running ones, every other clock's due_at
    // is long past. On due_at's statistics the planner expected a third of the running clocks past due and read
    // all of sla_clocks in every assessment (bench/README.md, "At 10M cases"); on pendingDueAt's it walks
    // sla_clocks_due_idx, and the figure is the same.
    withHistory(async (db, single, unitId) => {
      const scope = (await unitById(db, unitId))!;
      const lateRunning = async (tx: Db, at: Date) => {
        const measured = await rollupMeasures(tx, {
          where: sql`${complaints.handlingPath} like ${`${scope.path}%`}`,
          scope,
          from: new Date(NOW.getTime() - 120 * 86_400_000),
          to: NOW,
          subtreeOnly: true,
          cover: { units: [scope], me: null, kinds: ['COMPLAINT'] },
          by: 'ALL',
          rectificationClocks: false,
          now: at,
        });
        return measured!.clocks.reduce((n, c) => n + c.total - c.onTime, 0);
      };
      for (const [at, late] of [
        [NOW, 0], // the rollups are empty here (written with triggers off): only the live clocks count
        [new Date(NOW.getTime() + 25 * 86_400_000), 10_000], // n % 10 = 8 and 9 are past due, none marked
      ] as const)
        await rolledBack(single, async (tx) => {
          const before = await clockReads(tx);
          expect(await lateRunning(tx, at), at.toISOString()).toBe(late);
          const after = await clockReads(tx);
          // no scan of every clock, and no read of every running one either (the partial index's whole bitmap: 10,000)
          expect(after.seq - before.seq, at.toISOString()).toBe(0);
          expect(after.rows - before.rows, `${at.toISOString()}: clocks read`).toBeLessThanOrEqual(
            late + 50,
          );
        });
    }));
});
