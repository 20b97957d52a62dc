// Assessment and report figures from the measure rollups (issue 25, P7): `assessment` by UNIT and the
// analysis report's `computeFigures` for a province-wide year, scanned (cover null: the statements
// before migration 0022) and from the rollups (src/domain/stats-measures.ts), side by side in one run,
// on a database made by bench/generate.mts.
//
//   DATABASE_URL=postgres://… npx tsx bench/assessment.mts
//
// Migrates first (0022 creates and backfills the measure rollups when the database predates them; its
// time is printed), folds both rollups' deltas, then per viewer: both paths' results must be equal
// (else it fails); p50 / max over RUNS calls after one warm-up (alternating which goes first); the
// end-to-end GraphQL time of `assessment`; and every statement each path sends, with EXPLAIN
// (ANALYZE, BUFFERS) into bench/results/assessment-<rows>[-person]-plans.txt and its execution time on the
// console (what dominates what is left).
// Knobs: RUNS (5), NOW (2026-11-23T10:00:00+08:00, as generate.mts), VIEWERS (gd.agent,gz.handler),
// YEAR (2026: the report's period, YEAR from YEAR-01-01), ONLY (assessment or report: one of the two),
// BY (UNIT, or PERSON: the assessment per person, from the person rollups of migration 0029), WINDOW (year:
// the twelve months before NOW; months: the twelve whole Shanghai months before NOW's month, which the
// month-grained person rollups answer alone), WARM=1 (the rollup runs back to back, then GraphQL's, and one scan after them, instead
// of alternating: on a database larger than memory, each scan evicts the rollups from the page cache).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { and, type SQL } from 'drizzle-orm';
import { defineAbilityFor } from '../src/auth/abilities.js';
import { readCover } from '../src/auth/read-cover.js';
import { complaintsWhere } from '../src/auth/sql.js';
import { signToken } from '../src/auth/tokens.js';
import { loadStaffViewer } from '../src/auth/viewer.js';
import { ManualClock } from '../src/config/clock.js';
import { testConfig } from '../src/config/index.js';
import { type Db, openPostgres } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { computeFigures, type ReadScope } from '../src/domain/analysis-report.js';
import { DEFAULT_KINDS, kindsWhere } from '../src/domain/complaint-list.js';
import { loadPlugins } from '../src/domain/lines.js';
import { type OrgUnit, unitById } from '../src/domain/org.js';
import { assessment } from '../src/domain/stats.js';
import { compactMeasures } from '../src/domain/stats-measures.js';
import { compactStatsRollup } from '../src/domain/stats-rollup.js';
import { formatDateTime } from '../src/graphql/datetime.js';
import { createApp } from '../src/server/app.js';
import { benchSql, executionTime, planRecorder } from './plans.mjs';

const URL_ = process.env.DATABASE_URL;
const RUNS = Number(process.env.RUNS ?? 5);
const NOW = new Date(process.env.NOW ?? '2026-11-23T10:00:00+08:00');
const VIEWERS = (process.env.VIEWERS ?? 'gd.agent,gz.handler').split(',');
const YEAR = process.env.YEAR ?? '2026';
const BY = process.env.BY === 'PERSON' ? 'PERSON' : 'UNIT';
const WINDOW = process.env.WINDOW === 'months' ? 'months' : 'year';
const WARM = process.env.WARM === '1';
const ASSESS = `query ($input: AssessmentInput!) { assessment(input: $input) { received resolved meanResponseMinutes satisfactionRate clocks { clock total onTime } } }`;

if (!URL_ || !/^postgres(ql)?:\/\//.test(URL_)) {
  console.error(
    'bench/assessment.mts needs DATABASE_URL=postgres://… (a database made by bench/generate.mts)',
  );
  process.exit(2);
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
const ms = (x: number) => x.toFixed(0);

/** The database, recording every statement sent through `execute` (the paths' own statements). */
function recording(db: Db, sink: SQL[]): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute')
        return (q: SQL) => {
          sink.push(q);
          return target.execute(q);
        };
      return Reflect.get(target, prop, receiver);
    },
  });
}

async function main() {
  const database = await openPostgres(URL_!);
  const db = database.db;
  const t0 = performance.now();
  await migrate(database, URL_!);
  console.log(
    `migrate (0022's backfill when new): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const t1 = performance.now();
  let folded = 0;
  for (let n = await compactStatsRollup(db); n > 0; n = await compactStatsRollup(db)) folded += n;
  for (let n = await compactMeasures(db); n > 0; n = await compactMeasures(db)) folded += n;
  console.log(`compaction: ${folded} delta rows folded in ${ms(performance.now() - t1)} ms`);
  // the plans are explained as the app's connections run them: without JIT (src/db/client.ts)
  const pg = benchSql(URL_!);
  for (const t of [
    'complaint_measure_counts',
    'complaint_clock_counts',
    'complaint_person_counts',
    'complaint_person_clock_counts',
    'complaint_counts',
    'complaint_month_counts',
    'complaint_status_month_counts',
  ])
    await pg.unsafe(`analyze ${t}`);
  const [info] = await pg<Record<string, string>[]>`
    select (select count(*)::int from complaints) as cases,
      (select count(*)::int from complaint_measure_counts) as measures,
      (select count(*)::int from complaint_clock_counts) as clocks,
      (select count(*)::int from complaint_person_counts) as persons,
      (select count(*)::int from complaint_person_clock_counts) as person_clocks,
      (select count(*)::int from sla_clocks where stopped_at is null and paused_at is null) as running,
      (select count(*)::int from callbacks) as callbacks,
      (select count(*)::int from assignments) as assignments,
      (select count(*)::int from responsibility_findings) as findings,
      pg_size_pretty(pg_total_relation_size('complaint_measure_counts') + pg_total_relation_size('complaint_clock_counts')) as size,
      current_setting('server_version') as version`;
  console.log(
    `assessment bench — ${new Date().toISOString()}; PostgreSQL ${info!.version}; ${cpus().length} × ${cpus()[0]?.model}; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `${Number(info!.cases).toLocaleString('en')} complaints; complaint_measure_counts ${info!.measures} rows, complaint_clock_counts ${info!.clocks} rows (${info!.size} with indexes); complaint_person_counts ${info!.persons} rows, complaint_person_clock_counts ${info!.person_clocks} rows; running clocks ${info!.running}; callbacks ${info!.callbacks}, assignments ${info!.assignments}, findings ${info!.findings}`,
  );

  const config = testConfig({ databaseUrl: URL_!, production: true });
  const lines = await loadPlugins();
  const app = createApp({ config, clock: new ManualClock(NOW), database, db, lines });
  // the twelve months before NOW, or (WINDOW=months) the twelve whole Shanghai months before NOW's month
  const monthStart = (d: Date, back: number) => {
    const [y, m] = formatDateTime(d).slice(0, 7).split('-').map(Number) as [number, number];
    const k = y * 12 + (m - 1) - back;
    return new Date(
      `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01T00:00:00+08:00`,
    );
  };
  const to = WINDOW === 'months' ? monthStart(NOW, 0) : NOW;
  const from = WINDOW === 'months' ? monthStart(NOW, 12) : new Date(NOW);
  if (WINDOW !== 'months') from.setUTCFullYear(from.getUTCFullYear() - 1);
  const recorder = planRecorder(pg);
  const plans = recorder.plans;
  const explain = async (title: string, q: SQL) =>
    Number(executionTime(await recorder.explain(title, q)) ?? Number.NaN);
  const table: string[] = [];
  console.log(
    `assessment: window [${formatDateTime(from)}, ${formatDateTime(to)}), scope the viewer's unit, kinds [COMPLAINT], by ${BY}; report: YEAR ${YEAR} of the viewer's unit`,
  );
  for (const username of VIEWERS) {
    const [u] = await pg<{ id: string }[]>`select id from users where username = ${username}`;
    const viewer = (await loadStaffViewer(db, u!.id, null))!;
    const ability = defineAbilityFor(viewer, lines.abilities);
    const everyKind = complaintsWhere(ability, 'read');
    const readable = and(everyKind, kindsWhere(null))!;
    const rc = readCover(ability);
    if (!rc) throw new Error(`${username}: no rollup cover`);
    const scopeOfReads: ReadScope = {
      units: (await Promise.all(rc.units.map((id) => unitById(db, id)))) as OrgUnit[],
      me: rc.me,
    };
    const cover = { ...scopeOfReads, kinds: DEFAULT_KINDS };
    const scope = (await unitById(db, viewer.grants.find((g) => g.unitId)!.unitId!))!;
    const token = await signToken(config.jwtSecret, viewer.id, NOW);
    const remedies = lines.remedyRecords();

    const cases = {
      assessment: (d: Db, rolled: boolean) =>
        assessment(d, readable, scope, from, to, BY, NOW, false, remedies, rolled ? cover : null),
      'report YEAR': (d: Db, rolled: boolean) =>
        computeFigures(
          d,
          everyKind,
          scope,
          'YEAR',
          `${YEAR}-01-01`,
          NOW,
          remedies,
          rolled ? scopeOfReads : null,
        ),
    } as const;
    for (const [what, run] of Object.entries(cases)) {
      if (process.env.ONLY && !what.startsWith(process.env.ONLY)) continue;
      const scanT: number[] = [];
      const rollT: number[] = [];
      let scanned: unknown = null;
      let rolled: unknown = null;
      const scan = async () => {
        const t = performance.now();
        scanned = await run(db, false);
        return performance.now() - t;
      };
      for (let i = 0; i <= RUNS; i++) {
        // WARM: the rollup runs back to back, then the GraphQL runs, and the scan once after them (for the
        // comparison): on a database larger than memory each scan pushes the rollups out of the page cache
        const alternate = i % 2 ? ['scan', 'rollup'] : ['rollup', 'scan'];
        for (const which of WARM ? ['rollup'] : alternate) {
          if (which === 'scan') {
            const took = await scan();
            if (i) scanT.push(took);
            continue;
          }
          const t = performance.now();
          rolled = await run(db, true);
          if (i) rollT.push(performance.now() - t);
        }
      }
      let gql = '';
      if (what === 'assessment') {
        const gqlT: number[] = [];
        for (let i = 0; i <= RUNS; i++) {
          const t = performance.now();
          const res = await app.yoga.fetch('http://bench/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              query: ASSESS,
              variables: {
                input: { from: formatDateTime(from), to: formatDateTime(to), by: BY },
              },
            }),
          });
          const body = (await res.json()) as { errors?: unknown };
          if (body.errors) throw new Error(JSON.stringify(body.errors));
          if (i) gqlT.push(performance.now() - t);
        }
        gql = ms(p50(gqlT));
      }
      if (WARM) scanT.push(await scan());
      if (!isDeepStrictEqual(scanned, rolled))
        throw new Error(
          `${username} ${what}: rollup ≠ scan\n${JSON.stringify(scanned)}\n${JSON.stringify(rolled)}`,
        );
      // every statement of each path, explained: where the time goes
      const breakdown: string[] = [];
      for (const which of ['scan', 'rollup']) {
        const sent: SQL[] = [];
        await run(recording(db, sent), which === 'rollup');
        const times: number[] = [];
        for (const [n, q] of sent.entries())
          times.push(await explain(`${which}: ${username} ${what}, statement ${n + 1}`, q));
        breakdown.push(
          `${which} ${times.length} statements: ${times.map((x) => x.toFixed(0)).join(' + ')} ms`,
        );
      }
      const received =
        what === 'assessment'
          ? (scanned as { received: number }[]).reduce((s, r) => s + r.received, 0)
          : (scanned as { total: { current: number } }).total.current;
      const line = `| ${username} ${what} | ${received.toLocaleString('en')} | ${ms(p50(scanT))} / ${ms(max(scanT))} | ${ms(p50(rollT))} / ${ms(max(rollT))} | ${gql || '—'} |`;
      table.push(line);
      console.log(line);
      for (const b of breakdown) console.log(`    ${b}`);
    }
  }
  console.log(
    '\n| viewer, figures | cases | scan p50 / max (ms) | rollup p50 / max (ms) | GraphQL p50 (ms, rollup) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const l of table) console.log(l);
  mkdirSync('bench/results', { recursive: true });
  const out = `bench/results/assessment-${info!.cases}${BY === 'PERSON' ? '-person' : ''}-plans.txt`;
  writeFileSync(out, plans.join('\n'));
  console.log(`\nplans: ${out}`);
  await pg.end();
  await database.close();
}

await main();
