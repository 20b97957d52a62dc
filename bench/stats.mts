// Statistics from the rollup (issue 25, P7): complaintStats over a province-wide year, scanned
// (the statement of src/domain/stats.ts before the rollup) and from the rollups `complaint_counts` and
// their month-grained twins (migration 0024; src/domain/stats-rollup.ts), side by side in one run, on a database made by bench/generate.mts.
//
//   DATABASE_URL=postgres://… npx tsx bench/stats.mts
//
// Migrates first (migration 0020 creates and backfills the rollup when the database predates it;
// its time is printed), folds the rollup's deltas, then for each viewer and grouping: the two
// statements' results must be equal (else it fails), their p50 / max over RUNS calls after one
// warm-up (alternating which goes first), the end-to-end GraphQL time of the served path, and
// EXPLAIN (ANALYZE, BUFFERS) of both statements into bench/results/stats-<rows>-plans.txt.
// Knobs: RUNS (7), NOW (2026-11-23T10:00:00+08:00, as generate.mts), PLANS=0 (no plans on the console).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { and } from 'drizzle-orm';
import { defineAbilityFor } from '../src/auth/abilities.js';
import { readCover } from '../src/auth/read-cover.js';
import { complaintsWhere } from '../src/auth/sql.js';
import { signToken } from '../src/auth/tokens.js';
import { loadStaffViewer } from '../src/auth/viewer.js';
import { ManualClock } from '../src/config/clock.js';
import { testConfig } from '../src/config/index.js';
import { openPostgres } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { DEFAULT_KINDS, kindsWhere } from '../src/domain/complaint-list.js';
import { loadPlugins } from '../src/domain/lines.js';
import { type OrgUnit, unitById } from '../src/domain/org.js';
import { complaintStats, type Dimension, statsQuery, windowWhere } from '../src/domain/stats.js';
import {
  compactStatsRollup,
  rollupStatsQuery,
  type StatsCover,
} from '../src/domain/stats-rollup.js';
import { formatDateTime } from '../src/graphql/datetime.js';
import { createApp } from '../src/server/app.js';
import { benchSql, planRecorder } from './plans.mjs';

const URL_ = process.env.DATABASE_URL;
const RUNS = Number(process.env.RUNS ?? 7);
const NOW = new Date(process.env.NOW ?? '2026-11-23T10:00:00+08:00');
const VIEWERS = ['gd.agent', 'gz.handler', 'gz.th.handler'];
const GROUPINGS: Dimension[][] = [
  [],
  ['MONTH'],
  ['UNIT', 'STATUS'],
  ['CATEGORY'],
  ['CATEGORY', 'SEVERITY'],
];
const STATS = `query ($input: StatsInput!) { complaintStats(input: $input) { keys count } }`;

if (!URL_ || !/^postgres(ql)?:\/\//.test(URL_)) {
  console.error(
    'bench/stats.mts needs DATABASE_URL=postgres://… (a database made by bench/generate.mts)',
  );
  process.exit(2);
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const max = (xs: number[]) => Math.max(...xs);

async function main() {
  const database = await openPostgres(URL_!);
  const db = database.db;
  const t0 = performance.now();
  await migrate(database, URL_!);
  console.log(
    `migrate (0020's backfill when new): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const t1 = performance.now();
  let folded = 0;
  for (let n = await compactStatsRollup(db); n > 0; n = await compactStatsRollup(db)) folded += n;
  console.log(
    `compaction: ${folded} delta rows folded in ${(performance.now() - t1).toFixed(0)} ms`,
  );
  // the plans are explained as the app's connections run them: without JIT (src/db/client.ts)
  const pg = benchSql(URL_!);
  for (const t of ['complaint_counts', 'complaint_month_counts', 'complaint_status_month_counts'])
    await pg.unsafe(`analyze ${t}`);
  const [{ cases, rollup, months, version }] = await pg<
    { cases: number; rollup: number; months: number; version: string }[]
  >`
    select (select count(*)::int from complaints) as cases, (select count(*)::int from complaint_counts) as rollup,
      (select count(*)::int from complaint_month_counts) as months, current_setting('server_version') as version`;
  const size = await pg<
    { t: string; i: string }[]
  >`select pg_size_pretty(pg_table_size('complaint_counts')) as t,
    pg_size_pretty(pg_indexes_size('complaint_counts')) as i`;
  console.log(
    `stats bench — ${new Date().toISOString()}; PostgreSQL ${version}; ${cpus().length} × ${cpus()[0]?.model}; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `${cases.toLocaleString('en')} complaints; complaint_counts ${rollup.toLocaleString('en')} rows (${size[0]!.t} + ${size[0]!.i} indexes); complaint_month_counts ${months.toLocaleString('en')} rows`,
  );

  const config = testConfig({ databaseUrl: URL_!, production: true });
  const lines = await loadPlugins();
  const app = createApp({ config, clock: new ManualClock(NOW), database, db, lines });
  const from = new Date(NOW);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  const { explain, plans } = planRecorder(pg);
  const table: string[] = [];
  console.log(
    `window [${formatDateTime(from)}, ${formatDateTime(NOW)}), scope the viewer's unit, kinds [COMPLAINT]`,
  );
  for (const username of VIEWERS) {
    const [u] = await pg<{ id: string }[]>`select id from users where username = ${username}`;
    const viewer = (await loadStaffViewer(db, u!.id, null))!;
    const ability = defineAbilityFor(viewer, lines.abilities);
    const readable = and(complaintsWhere(ability, 'read'), kindsWhere(null))!;
    const rc = readCover(ability);
    if (!rc) throw new Error(`${username}: no rollup cover`);
    const cover: StatsCover = {
      units: (await Promise.all(rc.units.map((id) => unitById(db, id)))) as OrgUnit[],
      me: rc.me,
      kinds: DEFAULT_KINDS,
    };
    const scope = (await unitById(db, viewer.grants.find((g) => g.unitId)!.unitId!))!;
    const token = await signToken(config.jwtSecret, viewer.id, NOW);
    for (const groupBy of GROUPINGS) {
      const scanT: number[] = [];
      const rollT: number[] = [];
      const gqlT: number[] = [];
      let scanRows: unknown = null;
      let rollRows: unknown = null;
      for (let i = 0; i <= RUNS; i++) {
        const order = i % 2 ? ['scan', 'rollup'] : ['rollup', 'scan'];
        for (const which of order) {
          const t = performance.now();
          const r = await complaintStats(
            db,
            readable,
            scope,
            from,
            NOW,
            groupBy,
            false,
            which === 'scan' ? null : cover,
          );
          const ms = performance.now() - t;
          if (which === 'scan') {
            scanRows = r;
            if (i) scanT.push(ms);
          } else {
            rollRows = r;
            if (i) rollT.push(ms);
          }
        }
        const t = performance.now();
        const res = await app.yoga.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: STATS,
            variables: { input: { from: formatDateTime(from), to: formatDateTime(NOW), groupBy } },
          }),
        });
        const body = (await res.json()) as { errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        if (i) gqlT.push(performance.now() - t);
      }
      if (!isDeepStrictEqual(scanRows, rollRows))
        throw new Error(
          `${username} ${groupBy.join(',')}: rollup ≠ scan\n${JSON.stringify(scanRows)}\n${JSON.stringify(rollRows)}`,
        );
      const rows = scanRows as { count: number }[];
      const total = rows.reduce((s, r) => s + r.count, 0);
      const label = `${username} by ${groupBy.join(',') || '(total)'}`;
      const scanPlan = await explain(
        `scan: ${label}`,
        statsQuery({ readable, scope, from, to: NOW, groupBy, subtreeOnly: false }).query,
      );
      const rq = rollupStatsQuery(
        and(readable, windowWhere(from, NOW))!,
        scope,
        from,
        NOW,
        [...new Set(groupBy)],
        false,
        cover,
      )!;
      const rollPlan = await explain(`rollup: ${label}`, rq);
      const exec = (p: string) => p.match(/Execution Time: ([\d.]+) ms/)?.[1];
      const line = `| ${label} | ${total.toLocaleString('en')} | ${rows.length} | ${p50(scanT).toFixed(1)} / ${max(scanT).toFixed(1)} | ${p50(rollT).toFixed(1)} / ${max(rollT).toFixed(1)} | ${p50(gqlT).toFixed(1)} | ${exec(scanPlan)} → ${exec(rollPlan)} |`;
      table.push(line);
      console.log(line);
      if (process.env.PLANS !== '0' && groupBy.length === 1)
        console.log(rollPlan.replace(/^/gm, '    '));
    }
  }
  console.log(
    '\n| viewer, groupBy | cases | groups | scan p50 / max (ms) | rollup p50 / max (ms) | GraphQL p50 (ms, rollup) | EXPLAIN ANALYZE scan → rollup (ms) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const l of table) console.log(l);
  mkdirSync('bench/results', { recursive: true });
  const out = `bench/results/stats-${cases}-plans.txt`;
  writeFileSync(out, plans.join('\n'));
  console.log(`\nplans: ${out}`);
  await pg.end();
  await database.close();
}

await main();
