// SLA scanner benchmark (D21, D22): how long the scanner's passes take with
// 100,000 running clocks of which ~1 % are past their warning and due times,
// and the plan of its claim query (it should use the partial indexes
// sla_clocks_warn_idx / sla_clocks_due_idx, never a scan of all clocks).
//
//   npm run bench:sla                                  # PGlite, in memory
//   DATABASE_URL=postgres://u:p@host:5432/db npm run bench:sla
//
// With DATABASE_URL a scratch database `sla_bench_<random>` is created on
// that server (the role needs CREATEDB), migrated, measured and dropped; the
// database named in the URL is only used to connect. Knobs: CLOCKS (100000),
// DUE_EVERY (100: one clock in 100 is due), RUNS (5), KEEP=1 (keep the
// scratch database). Bulk SQL builds the data; the scanner under test is
// src/sla/scanner.ts unchanged.

import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type Database, type Db, PGLITE_EXTENSIONS } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import * as schema from '../src/db/schema.js';
import { scanAll } from '../src/sla/scanner.js';
import { scratchDatabase } from './scratch.mjs';

const CLOCKS = Number(process.env.CLOCKS ?? 100_000);
const DUE_EVERY = Number(process.env.DUE_EVERY ?? 100);
const RUNS = Number(process.env.RUNS ?? 5);
const URL_ = process.env.DATABASE_URL;
const DUE = Math.floor(CLOCKS / DUE_EVERY);

/** The scanner's `now`: fixed, so that runs are reproducible (time is injected, never read). */
const NOW = new Date('2026-11-23T10:00:00+08:00');

type Raw = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Every statement drizzle sends, so that the claim query's exact text can be EXPLAINed. */
const sent: { query: string; params: unknown[] }[] = [];
let statements = 0;
const logger = {
  logQuery(query: string, params: unknown[]) {
    statements++;
    if (/for update skip locked/i.test(query)) sent.push({ query, params });
  },
};

async function open(): Promise<{ db: Db; raw: Raw; label: string; close(): Promise<void> }> {
  if (!URL_) {
    const pg = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
    await pg.exec(`SET TIME ZONE 'Asia/Shanghai'`);
    const db = drizzlePglite(pg, { schema, logger }) as unknown as Db;
    await migrate({ kind: 'pglite', db } as Database);
    const version = (await pg.query<{ server_version: string }>('show server_version')).rows[0]!
      .server_version;
    return {
      db,
      raw: async (text, params) => (await pg.query<Record<string, unknown>>(text, params)).rows,
      label: `PGlite ${version} (in memory, @electric-sql/pglite)`,
      close: () => pg.close(),
    };
  }
  const scratch = await scratchDatabase(URL_, 'sla_bench');
  const client = postgres(scratch.url, {
    max: 4,
    onnotice: () => {},
    connection: { TimeZone: 'Asia/Shanghai' },
  });
  const db = drizzlePostgres(client, { schema, logger }) as unknown as Db;
  const _version = (await client`show server_version`)[0]!.server_version as string;
  return {
    db,
    raw: async (text, params) =>
      [...(await client.unsafe(text, (params ?? []) as never[]))] as Record<string, unknown>[],
    label: scratch.label,
    async close() {
      await client.end({ timeout: 5 });
      await scratch.drop();
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main() {
  const t0 = performance.now();
  const { db, raw, label, close } = await open();
  try {
    console.log(`SLA scanner benchmark — ${new Date().toISOString().slice(0, 10)}`);
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
    );
    console.log(`database: ${label}`);
    console.log(
      `clocks: ${CLOCKS.toLocaleString('en')} running, ${DUE.toLocaleString('en')} past warning and due (1 in ${DUE_EVERY}); runs: ${RUNS}\n`,
    );

    // ------------------------------------------------------------ data (bulk SQL)
    const iso = NOW.toISOString();
    const [unit] = await raw(
      `insert into org_units (id, code, name, level, path) select id, 'BN', 'Bench province', 'PROVINCE', '/' || id || '/' from (select gen_random_uuid() as id) u returning id`,
    );
    const unitId = unit!.id as string;
    let t = performance.now();
    await raw(
      `insert into complaints (number, status, channel, source, business_line, category, severity, title, description,
         customer_name, customer_phone, contact_at, registered_at, accepted_at, province_id, handling_unit_id, handling_path,
         handling_level, reader_units)
       select 'BN' || lpad(g::text, 14, '0'), 'ACCEPTED', 'PHONE', 'CUSTOMER', 'mobile', 'NETWORK_TECHNICAL', 'ORDINARY',
         'Bench case ' || g, 'Generated for bench/sla-scan.mts', 'Bench', '13800000000',
         $1::timestamptz - interval '2 days', $1::timestamptz - interval '2 days', $1::timestamptz - interval '2 days',
         $2::uuid, $2::uuid, '/' || $2 || '/', 'PROVINCE', array[$2::uuid]
       from generate_series(1, $3::int) g`,
      [iso, unitId, CLOCKS],
    );
    // One running RESOLVE clock per case. Clock n is due when n % DUE_EVERY = 0: started 2 days
    // before now, due 1 hour ago (its 80 % warning 10 h 24 min ago). The others started 1 day ago
    // and are due 1–20 days ahead (warning ≥ 14 h 24 min ahead).
    // One in four is a transfer's fixed deadline (D24: no budget, never paused).
    await raw(
      `insert into sla_clocks (complaint_id, kind, budget, fixed, started_at, due_at, warn_at, state)
       select id, 'RESOLVE', case when n % 4 = 1 then null else '{"workingDays": 15}'::jsonb end, n % 4 = 1,
         started, due, started + (due - started) * 0.8, 'RUNNING'
       from (
         select id,
           case when n % $2 = 0 then $1::timestamptz - interval '2 days' else $1::timestamptz - interval '1 day' end as started,
           case when n % $2 = 0 then $1::timestamptz - interval '1 hour' else $1::timestamptz + (1 + n % 20) * interval '1 day' end as due,
           n
         from (select id, row_number() over (order by number) as n from complaints where number like 'BN%') c
       ) x`,
      [iso, DUE_EVERY],
    );
    // D24, D26: one case in ten also has a CLOSE clock paused (started while suspended) long past its
    // old due time, and one in ten a CANCELLED one: neither may ever be claimed or alerted.
    await raw(
      `insert into sla_clocks (complaint_id, kind, budget, started_at, due_at, warn_at, paused_at, stopped_at, state)
       select id, 'CLOSE', '{"workingDays": 30}'::jsonb, $1::timestamptz - interval '60 days', $1::timestamptz - interval '5 days',
         $1::timestamptz - interval '10 days', case when n % 10 = 3 then $1::timestamptz - interval '59 days' end,
         case when n % 10 = 7 then $1::timestamptz - interval '50 days' end,
         (case when n % 10 = 3 then 'PAUSED' else 'CANCELLED' end)::clock_state
       from (select id, row_number() over (order by number) as n from complaints where number like 'BN%') c
       where n % 10 in (3, 7)`,
      [iso],
    );
    await raw(
      `update complaints c set due_at = k.due_at from sla_clocks k where k.complaint_id = c.id and k.kind = 'RESOLVE'`,
    );
    await raw('vacuum analyze complaints');
    await raw('vacuum analyze sla_clocks');
    console.log(
      `data: ${CLOCKS.toLocaleString('en')} complaints + clocks inserted in ${ms(performance.now() - t)}\n`,
    );

    const resetDue = () =>
      raw(
        `update sla_clocks set warned = false, breached = false, state = 'RUNNING' where kind = 'RESOLVE' and due_at <= $1::timestamptz`,
        [iso],
      );

    // ------------------------------------------------------------ the claim query's plan
    // Capture the exact statement scanOnce sends (a warm-up pass at `now`, which also warms the
    // caches), put the 1 % back to "due", and EXPLAIN that statement with its own parameters.
    sent.length = 0;
    await scanAll(db, NOW);
    const [claim, lockCases] = sent as [(typeof sent)[0], (typeof sent)[0]];
    const paramsOf = (st: (typeof sent)[0]) =>
      st.params.map((p) => (p instanceof Date ? p.toISOString() : p));
    const params = paramsOf(claim);
    await resetDue();
    const explain = async (
      st: (typeof sent)[0],
      p: unknown[],
      opts = 'analyze, buffers, costs off, timing off, summary off',
    ) =>
      (await raw(`explain (${opts}) ${st.query}`, p))
        .map((r) => String(r['QUERY PLAN']))
        .join('\n');
    const plan = await explain(claim, params);
    console.log('claim queries (src/sla/scanner.ts scanOnce), as sent:');
    console.log(`  1. ${claim.query}`);
    console.log(`  2. ${lockCases.query.replace(/\$\d+(, \$\d+)+/, () => '$1, …')}\n`);
    console.log(`EXPLAIN (ANALYZE, BUFFERS) of 1 with ${DUE} clocks due:`);
    console.log(plan.replace(/^/gm, '  '));
    const uses = ['sla_clocks_warn_idx', 'sla_clocks_due_idx'].filter((i) => plan.includes(i));
    console.log(
      `→ partial indexes used: ${uses.join(', ') || 'NONE'}; other index or sequential scan of sla_clocks: ${/(Seq Scan|Index Scan using sla_clocks_complaint_idx) on sla_clocks/.test(plan) ? 'YES' : 'no'}\n`,
    );
    console.log(
      `EXPLAIN (ANALYZE, BUFFERS) of 2 (the ${lockCases.params.length} cases of the first batch):`,
    );
    console.log(
      (await explain(lockCases, paramsOf(lockCases)))
        .replace(/^/gm, '  ')
        .replace(/\{[0-9a-f-]{36}(,[0-9a-f-]{36})+\}/g, () => '{…}'),
    );
    console.log('');

    const sizes = await raw(
      `select relname as name, pg_relation_size(oid) as bytes from pg_class where relname in ('sla_clocks', 'sla_clocks_warn_idx', 'sla_clocks_due_idx', 'sla_clocks_complaint_idx') order by relname`,
    );
    console.log(
      'sizes: ' +
        sizes.map((s) => `${s.name} ${(Number(s.bytes) / 1024).toFixed(0)} KiB`).join(', ') +
        '\n',
    );

    // ------------------------------------------------------------ timed passes
    const busy: number[] = [];
    const perStatement: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await resetDue();
      const before = statements;
      t = performance.now();
      const r = await scanAll(db, NOW);
      const took = performance.now() - t;
      if (r.warnings !== DUE || r.breaches !== DUE)
        throw new Error(`expected ${DUE} warnings and breaches, got ${JSON.stringify(r)}`);
      busy.push(took);
      perStatement.push(statements - before);
    }
    const idle: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      const r = await scanAll(db, NOW);
      idle.push(performance.now() - t);
      if (r.warnings + r.breaches !== 0) throw new Error('an idle pass alerted');
    }
    const idlePlan = await explain(claim, params, 'analyze, costs off, timing off, summary off');

    const b = median(busy);
    console.log(
      `scanAll with ${DUE} clocks due (${DUE} SLA_WARNING + ${DUE} SLA_BREACH events, ${perStatement[0]} statements):`,
    );
    console.log(`  runs: ${busy.map(ms).join(', ')}`);
    console.log(
      `  median ${ms(b)} = ${((b / (2 * DUE)) * 1000).toFixed(0)} µs per event, ${((2 * DUE) / (b / 1000)).toFixed(0)} events/s`,
    );
    console.log(
      `scanAll with nothing due (the steady-state tick, ${CLOCKS.toLocaleString('en')} running clocks):`,
    );
    console.log(`  runs: ${idle.map(ms).join(', ')}`);
    console.log(`  median ${ms(median(idle))}`);
    console.log('idle claim plan (1):');
    console.log(idlePlan.replace(/^/gm, '  '));
    console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
