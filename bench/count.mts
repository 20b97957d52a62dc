// totalCount and the duty briefing (issue 25, P7): the list's count for a province / city / county viewer,
// scanned (countComplaints over `complaints`, as before) and from the statistics rollup
// (rollupCountQuery, src/domain/complaint-list.ts), and dutyBriefing as it was (four statements over the
// viewer's cases) and as it is now (one statement over the partial indexes of migration 0021), side by
// side in one run, on a database made by bench/generate.mts.
//
//   DATABASE_URL=postgres://… npx tsx bench/count.mts
//
// Migrates first (0021 builds the partial indexes when the database predates them; the time is printed),
// folds the rollup's deltas, then for each viewer and filter: both counts must be equal (else it fails),
// their p50 / max over RUNS calls after one warm-up (alternating which goes first), the end-to-end GraphQL
// time of the served totalCount, and EXPLAIN (ANALYZE, BUFFERS) of every statement into
// bench/results/count-<rows>-plans.txt. Knobs: RUNS (7), NOW (2026-11-23T10:00:00+08:00, as generate.mts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { and, type SQL, sql } from 'drizzle-orm';
import { defineAbilityFor } from '../src/auth/abilities.js';
import { readCover } from '../src/auth/read-cover.js';
import { complaintsWhere } from '../src/auth/sql.js';
import { signToken } from '../src/auth/tokens.js';
import { loadStaffViewer } from '../src/auth/viewer.js';
import { ManualClock } from '../src/config/clock.js';
import { testConfig } from '../src/config/index.js';
import { type Db, openPostgres, rowsOf } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { complaints, slaClocks } from '../src/db/schema.js';
import {
  type ComplaintFilter,
  countComplaints,
  filterWhere,
  rollupCountQuery,
} from '../src/domain/complaint-list.js';
import { OPEN_STATUSES } from '../src/domain/enums.js';
import { loadPlugins } from '../src/domain/lines.js';
import { type OrgUnit, unitById } from '../src/domain/org.js';
import { type Briefing, dutyBriefing, subtree } from '../src/domain/stats.js';
import { compactStatsRollup } from '../src/domain/stats-rollup.js';
import { formatDateTime } from '../src/graphql/datetime.js';
import { createApp } from '../src/server/app.js';
import { shanghaiDate, shanghaiMidnight } from '../src/sla/calendar.js';
import { benchSql, executionTime, planRecorder } from './plans.mjs';

const URL_ = process.env.DATABASE_URL;
const RUNS = Number(process.env.RUNS ?? 7);
const NOW = new Date(process.env.NOW ?? '2026-11-23T10:00:00+08:00');
const VIEWERS = ['gd.agent', 'gz.handler', 'gz.th.handler'];
const YEAR_AGO = new Date(NOW);
YEAR_AGO.setUTCFullYear(YEAR_AGO.getUTCFullYear() - 1);
/** The filters measured: none, a status, a line, and a year's window (as the portals ask). */
const FILTERS: [string, ComplaintFilter, Record<string, unknown>][] = [
  ['no filter', {}, {}],
  ['status INVESTIGATING', { status: ['INVESTIGATING'] }, { status: ['INVESTIGATING'] }],
  ['line broadband', { businessLine: ['broadband'] }, { businessLine: ['broadband'] }],
  [
    'a year, CLOSED',
    { status: ['CLOSED'], registeredFrom: YEAR_AGO, registeredTo: NOW },
    {
      status: ['CLOSED'],
      registeredFrom: formatDateTime(YEAR_AGO),
      registeredTo: formatDateTime(NOW),
    },
  ],
];
const LIST = `query ($f: ComplaintFilter) { complaints(filter: $f, first: 20) { totalCount nodes { id } } }`;

if (!URL_ || !/^postgres(ql)?:\/\//.test(URL_)) {
  console.error(
    'bench/count.mts needs DATABASE_URL=postgres://… (a database made by bench/generate.mts)',
  );
  process.exit(2);
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const max = (xs: number[]) => Math.max(...xs);

/** dutyBriefing as it was before issue 25's indexes: four passes over the viewer's cases (the D32 baseline). */
async function briefingScan(
  db: Db,
  readable: SQL,
  scope: OrgUnit,
  now: Date,
  subtreeOnly: boolean,
): Promise<Briefing> {
  const where = and(readable, subtreeOnly ? subtree(scope) : sql`true`)!;
  const open = sql`${complaints.status} in (${sql.join(
    OPEN_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  )})`;
  const today = shanghaiMidnight(shanghaiDate(now)).toISOString();
  const [totals] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select
        count(*) filter (where ${open} and ${complaints.dueAt} < ${now.toISOString()}::timestamptz)::int as overdue,
        count(*) filter (where ${open} and ${complaints.severity} in ('MAJOR', 'URGENT'))::int as major,
        count(*) filter (where ${open} and ${complaints.escalationLevel} > 0)::int as escalated,
        count(*) filter (where ${complaints.registeredAt} >= ${today}::timestamptz)::int as today,
        count(*) filter (where ${complaints.supervisingUnitId} is not null and exists (
          select 1 from ${slaClocks} k where k.complaint_id = ${complaints.id} and k.kind = 'PROGRESS'
            and k.stopped_at is null and k.paused_at is null and k.due_at < ${now.toISOString()}::timestamptz))::int as supervised_overdue
      from ${complaints} where ${where}`),
  );
  const byStatus = rowsOf<{ status: string; n: number }>(
    await db.execute(
      sql`select ${complaints.status}::text as status, count(*)::int as n from ${complaints} where ${where} and ${open} group by 1`,
    ),
  );
  const top = rowsOf<{ category: string; n: number }>(
    await db.execute(sql`select ${complaints.category} as category, count(*)::int as n from ${complaints}
      where ${where} and ${open} and ${complaints.category} is not null group by 1 order by 2 desc, 1 limit 5`),
  );
  const counts = new Map(byStatus.map((r) => [r.status, Number(r.n)]));
  return {
    openByStatus: OPEN_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 })),
    overdue: Number(totals!.overdue),
    majorOpen: Number(totals!.major),
    escalated: Number(totals!.escalated),
    receivedToday: Number(totals!.today),
    supervisedOverdue: Number(totals!.supervised_overdue),
    topCategories: top.map((r) => ({ category: r.category, count: Number(r.n) })),
  };
}

/** Runs `a` and `b` alternately RUNS times after a warm-up; both must answer the same. */
async function sideBySide<T>(label: string, a: () => Promise<T>, b: () => Promise<T>) {
  const ta: number[] = [];
  const tb: number[] = [];
  let ra: T | undefined;
  let rb: T | undefined;
  for (let i = 0; i <= RUNS; i++) {
    for (const which of i % 2 ? ['a', 'b'] : ['b', 'a']) {
      const t = performance.now();
      if (which === 'a') ra = await a();
      else rb = await b();
      const ms = performance.now() - t;
      if (i) (which === 'a' ? ta : tb).push(ms);
    }
  }
  if (!isDeepStrictEqual(ra, rb))
    throw new Error(`${label}: the two differ\n${JSON.stringify(ra)}\n${JSON.stringify(rb)}`);
  return { result: ra as T, a: ta, b: tb };
}

async function main() {
  const database = await openPostgres(URL_!);
  const db = database.db;
  const t0 = performance.now();
  await migrate(database, URL_!);
  console.log(
    `migrate (0021's indexes when new): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  let folded = 0;
  for (let n = await compactStatsRollup(db); n > 0; n = await compactStatsRollup(db)) folded += n;
  console.log(`compaction: ${folded} delta rows folded`);
  // the plans are explained as the app's connections run them: without JIT (src/db/client.ts)
  const pg = benchSql(URL_!);
  await pg`analyze complaints`;
  await pg`analyze complaint_counts`;
  await pg`analyze complaint_status_counts`;
  await pg`analyze complaint_month_counts`;
  await pg`analyze complaint_status_month_counts`;
  const [info] = await pg<
    { cases: number; open: number; version: string; openIdx: string; supIdx: string }[]
  >`select (select count(*)::int from complaints) as cases,
      (select count(*)::int from complaints where status::text = any(${OPEN_STATUSES as string[]})) as open,
      current_setting('server_version') as version,
      pg_size_pretty(pg_relation_size('complaints_open_idx')) as "openIdx",
      pg_size_pretty(pg_relation_size('complaints_supervised_idx')) as "supIdx"`;
  console.log(
    `count bench — ${new Date().toISOString()}; PostgreSQL ${info!.version}; ${cpus().length} × ${cpus()[0]?.model}; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `${info!.cases.toLocaleString('en')} complaints, ${info!.open.toLocaleString('en')} open; complaints_open_idx ${info!.openIdx}, complaints_supervised_idx ${info!.supIdx}`,
  );

  const config = testConfig({ databaseUrl: URL_!, production: true });
  const lines = await loadPlugins();
  const app = createApp({ config, clock: new ManualClock(NOW), database, db, lines });
  const recorder = planRecorder(pg);
  const plans = recorder.plans;
  const explain = async (title: string, q: SQL) => executionTime(await recorder.explain(title, q));
  const table: string[] = [];
  const graphql = async (token: string, query: string, variables: unknown) => {
    const t = performance.now();
    const res = await app.yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown; data?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return { ms: performance.now() - t, data: body.data };
  };

  for (const username of VIEWERS) {
    const [u] = await pg<{ id: string }[]>`select id from users where username = ${username}`;
    const viewer = (await loadStaffViewer(db, u!.id, null))!;
    const ability = defineAbilityFor(viewer, lines.abilities);
    const rc = readCover(ability);
    if (!rc) throw new Error(`${username}: no rollup cover`);
    const cover = {
      units: (await Promise.all(rc.units.map((id) => unitById(db, id)))) as OrgUnit[],
      me: rc.me,
    };
    const token = await signToken(config.jwtSecret, viewer.id, NOW);
    for (const [name, filter, gqlFilter] of FILTERS) {
      const where = and(complaintsWhere(ability, 'read'), ...filterWhere(filter, NOW))!;
      const label = `${username}, ${name}`;
      const { result, a, b } = await sideBySide(
        label,
        () => countComplaints(db, where),
        () => countComplaints(db, where, { rollup: { filter, cover } }),
      );
      const gql: number[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const r = await graphql(token, LIST, { f: gqlFilter });
        const served = (r.data as { complaints: { totalCount: number } }).complaints.totalCount;
        if (served !== result) throw new Error(`${label}: GraphQL ${served} ≠ ${result}`);
        if (i) gql.push(r.ms);
      }
      const scanMs = await explain(
        `scan: ${label}`,
        sql`select count(*)::int from ${complaints} where ${where}`,
      );
      const rollMs = await explain(`rollup: ${label}`, rollupCountQuery(where, filter, cover)!);
      const line = `| ${label} | ${result.toLocaleString('en')} | ${p50(a).toFixed(1)} / ${max(a).toFixed(1)} | ${p50(b).toFixed(1)} / ${max(b).toFixed(1)} | ${p50(gql).toFixed(1)} | ${scanMs} → ${rollMs} |`;
      table.push(line);
      console.log(line);
    }
  }

  // dutyBriefing for the province's duty manager (default scope: the province, no unit filter) and for a city
  const briefings: string[] = [];
  for (const [username, unitCode] of [
    ['gd.duty', null],
    ['gd.duty', 'GD-GZ'],
    ['th.duty', null],
  ] as const) {
    const [u] = await pg<{ id: string }[]>`select id from users where username = ${username}`;
    const viewer = (await loadStaffViewer(db, u!.id, null))!;
    const ability = defineAbilityFor(viewer, lines.abilities);
    const readable = complaintsWhere(ability, 'read');
    const [unit] = unitCode
      ? await pg<{ id: string }[]>`select id from org_units where code = ${unitCode}`
      : [{ id: viewer.grants.find((g) => g.unitId)!.unitId! }];
    const scope = (await unitById(db, unit!.id))!;
    const label = `${username}, ${unitCode ?? `${scope.code} (default)`}`;
    const { result, a, b } = await sideBySide(
      label,
      () => briefingScan(db, readable, scope, NOW, unitCode != null),
      () => dutyBriefing(db, readable, scope, NOW, unitCode != null),
    );
    // the new statement's plan: the one execute dutyBriefing sends, caught on its way out
    let sent: SQL | null = null;
    const spy = {
      execute: (q: SQL) => {
        sent = q;
        return db.execute(q);
      },
    } as unknown as Db;
    await dutyBriefing(spy, readable, scope, NOW, unitCode != null);
    const newMs = await explain(`briefing (partial indexes): ${label}`, sent!);
    const open = result.openByStatus.reduce((s, x) => s + x.count, 0);
    const line = `| ${label} | ${open.toLocaleString('en')} | ${result.receivedToday.toLocaleString('en')} | ${p50(a).toFixed(1)} / ${max(a).toFixed(1)} | ${p50(b).toFixed(1)} / ${max(b).toFixed(1)} | ${newMs} |`;
    briefings.push(line);
    console.log(line);
  }

  console.log(
    '\n| viewer, filter | totalCount | scan p50 / max (ms) | rollup p50 / max (ms) | GraphQL p50 (ms, list + totalCount) | EXPLAIN ANALYZE scan → rollup (ms) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const l of table) console.log(l);
  console.log(
    '\n| dutyBriefing viewer, scope | open | received today | before p50 / max (ms) | now p50 / max (ms) | EXPLAIN ANALYZE now (ms) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const l of briefings) console.log(l);
  mkdirSync('bench/results', { recursive: true });
  const out = `bench/results/count-${info!.cases}-plans.txt`;
  writeFileSync(out, plans.join('\n'));
  console.log(`\nplans: ${out}`);
  await pg.end();
  await database.close();
}

await main();
