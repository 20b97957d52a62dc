// The portal path on a generated database (bench/generate.mts): the list a
// portal opens with, through GraphQL in-process (app.yoga.fetch, the real
// createApp with its plugins and loaders) against the same JSON from one
// hand-written SQL statement through postgres.js, in the same run.
//
//   DATABASE_URL=postgres://u:p@host:5432/bench_1m npm run bench:portal
//   DATABASE_URL=…/bench_10k npm run bench:portal
//   DATABASE_URL=…/bench_1m COMPARE=bench/results/portal-10000.json npm run bench:portal   # P3 ratios
//
// P1  portal list (first: 50; handling unit, first responder, clocks, latest 3 events):
//     p50/p99 over RUNS (200) requests per viewer, GraphQL vs hand-written SQL, ratio (goal ≤ 2.0×)
// P2  SQL statements per request for first: 10 and first: 100 (goal: equal), from Database.statements
// P3  the scoped list's p99 for a county handler (gz.th.handler) and a province agent (gd.agent);
//     run on the 10k and the 1M database and compare (COMPARE=<the other run's JSON>; goal ≤ 1.5×)
// Stats  complaintStats over one year, grouped by MONTH and by UNIT,STATUS: time per call and
//     EXPLAIN (ANALYZE, BUFFERS) of the statement src/domain/stats.ts builds (captured from drizzle)
//
// Results go to bench/results/portal-<rows>.json and the plans to
// bench/results/portal-<rows>-plans.txt (OUT=<prefix> to change). Knobs: RUNS (200),
// WARMUP (20), STATS_RUNS (5), STATS=0 (skip the statistics), PLANS=0 (no stats plans on the console), NOW (2026-11-23T10:00:00+08:00, as generate.mts).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { signToken } from '../src/auth/tokens.js';
import { ManualClock } from '../src/config/clock.js';
import { testConfig } from '../src/config/index.js';
import { type Db, openPostgres } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import * as schema from '../src/db/schema.js';
import { loadPlugins } from '../src/domain/lines.js';
import type { Services } from '../src/graphql/context.js';
import { formatDateTime } from '../src/graphql/datetime.js';
import { type App, createApp } from '../src/server/app.js';

const URL_ = process.env.DATABASE_URL;
const RUNS = Number(process.env.RUNS ?? 200);
const WARMUP = Number(process.env.WARMUP ?? 20);
const STATS_RUNS = Number(process.env.STATS_RUNS ?? 5);
const NOW = new Date(process.env.NOW ?? '2026-11-23T10:00:00+08:00');
const PAGE = 50;
const VIEWERS = [
  { username: 'gz.th.handler', label: 'county handler (gz.th.handler, GD-GZ-TH)' },
  { username: 'gd.agent', label: 'province agent (gd.agent, GD)' },
];

if (!URL_ || !/^postgres(ql)?:\/\//.test(URL_)) {
  console.error(
    'bench/portal.mts needs DATABASE_URL=postgres://… pointing at a database made by bench/generate.mts',
  );
  process.exit(2);
}

const PORTAL = `query Portal($first: Int!) {
  complaints(first: $first) {
    edges {
      cursor
      node {
        id number status severity title registeredAt
        handlingUnit { id code name }
        firstResponder { id username displayName }
        clocks { kind state startedAt dueAt stoppedAt }
        timeline(last: 3) { edges { node { action fromStatus toStatus at } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const STATS = `query Stats($input: StatsInput!) { complaintStats(input: $input) { keys count } }`;
const COUNT = `query Count { complaints(first: 1) { totalCount } }`;

/**
 * The same JSON as PORTAL, by hand: one statement, json built by PostgreSQL.
 * Global IDs and cursors are base64url as src/graphql/global-id.ts and
 * src/domain/complaint-list.ts write them; DateTime as src/graphql/datetime.ts
 * (+08:00, milliseconds); clock states as clockState() in src/graphql/complaint.ts.
 * $1 the viewer's unit ids, $2 the viewer's id, $3 page size, $4 now.
 */
const HAND_SQL = `
with page as (
  select c.id, c.number, c.status, c.severity, c.title, c.registered_at, c.handling_unit_id, c.first_responder_id
  from complaints c
  where c.reader_units && $1::uuid[] or c.first_responder_id = $2::uuid
  order by c.registered_at desc, c.id desc
  limit $3::int + 1
),
shown as (
  select p.*, row_number() over (order by p.registered_at desc, p.id desc) as rn,
    translate(encode(convert_to('["REGISTERED_AT","' || to_char(p.registered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","' || p.id || '"]', 'UTF8'), 'base64'), E'+/=\\n', '-_') as cursor
  from page p
  order by p.registered_at desc, p.id desc
  limit $3::int
)
select json_build_object('data', json_build_object('complaints', json_build_object(
  'edges', coalesce((
    select json_agg(json_build_object(
      'cursor', s.cursor,
      'node', json_build_object(
        'id', translate(encode(convert_to('Complaint:' || s.id, 'UTF8'), 'base64'), E'+/=\\n', '-_'),
        'number', s.number, 'status', s.status, 'severity', s.severity, 'title', s.title,
        'registeredAt', to_char(s.registered_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"'),
        'handlingUnit', (
          select json_build_object('id', translate(encode(convert_to('OrgUnit:' || u.id, 'UTF8'), 'base64'), E'+/=\\n', '-_'), 'code', u.code, 'name', u.name)
          from org_units u where u.id = s.handling_unit_id),
        'firstResponder', (
          select json_build_object('id', translate(encode(convert_to('User:' || r.id, 'UTF8'), 'base64'), E'+/=\\n', '-_'), 'username', r.username, 'displayName', r.display_name)
          from users r where r.id = s.first_responder_id),
        'clocks', coalesce((
          select json_agg(json_build_object(
            'kind', k.kind,
            'state', case when k.stopped_at is not null then case when k.state = 'MISSED' then 'MISSED' else 'MET' end
                          when k.paused_at is not null then 'PAUSED'
                          when k.breached or k.due_at <= $4::timestamptz then 'BREACHED'
                          when k.warned or k.warn_at <= $4::timestamptz then 'WARNING'
                          else 'RUNNING' end,
            'startedAt', to_char(k.started_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"'),
            'dueAt', to_char(k.due_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"'),
            'stoppedAt', to_char(k.stopped_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"')
          ) order by k.started_at, k.kind)
          from sla_clocks k where k.complaint_id = s.id), '[]'),
        'timeline', json_build_object('edges', coalesce((
          select json_agg(json_build_object('node', json_build_object(
            'action', e.action, 'fromStatus', e.from_status, 'toStatus', e.to_status,
            'at', to_char(e.at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"'))) order by e.position)
          from (select * from complaint_events e where e.complaint_id = s.id order by e.position desc limit 3) e), '[]'))
      )) order by s.rn)
    from shown s), '[]'),
  'pageInfo', json_build_object(
    'hasNextPage', (select count(*) from page) > $3::int,
    'endCursor', (select s.cursor from shown s order by s.rn desc limit 1))
)))::text as body`;

type Timing = { p50: number; p99: number; mean: number; min: number; max: number; n: number };

function summary(xs: number[]): Timing {
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    p50: r(rank(0.5)),
    p99: r(rank(0.99)),
    mean: r(s.reduce((a, b) => a + b, 0) / s.length),
    min: r(s[0]!),
    max: r(s.at(-1)!),
    n: s.length,
  };
}
const fmt = (t: Timing) =>
  `p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms (mean ${t.mean.toFixed(1)}, max ${t.max.toFixed(1)}, n=${t.n})`;

async function gqlText(
  app: App,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<string> {
  const res = await app.yoga.fetch('http://bench/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GraphQL answered ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

/** A plan for the console: indented, long lines (id lists) cut; the full text goes to the plans file. */
const clip = (plan: string) =>
  plan
    .split('\n')
    .map((l) => `    ${l.length > 160 ? `${l.slice(0, 157)}…` : l}`)
    .join('\n');

function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
}

async function main() {
  const tStart = performance.now();
  // As deployed: production configuration (and NODE_ENV=production in the npm script, which graphql-js reads when loaded).
  const config = testConfig({ databaseUrl: URL_!, production: true });
  const clock = new ManualClock(NOW);
  const database = await openPostgres(URL_!);
  // a database generated before the latest migrations is brought up to date first, as a deployment would be
  await migrate(database, URL_!);
  const lines = await loadPlugins();
  const services: Services = { config, clock, database, db: database.db, lines };
  const app = createApp(services);

  // A second handle whose logger keeps the statements, to EXPLAIN exactly what the app sends.
  const captured: { query: string; params: unknown[] }[] = [];
  const capClient = postgres(URL_!, {
    max: 2,
    onnotice: () => {},
    connection: { TimeZone: 'Asia/Shanghai', jit: 'off' },
  });
  const capDb = drizzlePostgres(capClient, {
    schema,
    logger: { logQuery: (query, params) => captured.push({ query, params }) },
  }) as unknown as Db;
  const capApp = createApp({ ...services, db: capDb });

  // The hand-written side and EXPLAIN: postgres.js directly, same session settings as the app's.
  const sql = postgres(URL_!, {
    max: 10,
    onnotice: () => {},
    connection: { TimeZone: 'Asia/Shanghai', jit: 'off' },
  });
  const plansOut: string[] = [];
  const explain = async (title: string, query: string, params: unknown[]) => {
    const rows = await sql.unsafe(
      `explain (analyze, buffers, costs off) ${query}`,
      params as never[],
    );
    const text = rows.map((r) => r['QUERY PLAN']).join('\n');
    plansOut.push(`=== ${title}\n${query}\n-- params: ${JSON.stringify(params)}\n${text}\n`);
    return text;
  };

  try {
    const version = (await sql`show server_version`)[0]!.server_version as string;
    const [{ n: rows }] = await sql<{ n: number }[]>`select count(*)::int as n from complaints`;
    const [{ n: events }] = await sql<
      { n: number }[]
    >`select count(*)::int as n from complaint_events`;
    const [{ n: clocks }] = await sql<{ n: number }[]>`select count(*)::int as n from sla_clocks`;
    const outPrefix = process.env.OUT ?? `bench/results/portal-${rows}`;
    console.log(
      `Portal path benchmark — run ${new Date().toISOString()}, now = ${formatDateTime(NOW)}`,
    );
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
    );
    console.log(
      `database: PostgreSQL ${version}, ${rows.toLocaleString('en')} complaints, ${events.toLocaleString('en')} events, ${clocks.toLocaleString('en')} clocks`,
    );
    const load = () =>
      loadavg()
        .map((x) => x.toFixed(1))
        .join(' ');
    console.log(
      `runs: ${RUNS} per path and viewer after ${WARMUP} warm-up; page size ${PAGE}; load average ${load()}\n`,
    );

    type Viewer = (typeof VIEWERS)[number] & { id: string; units: string[]; token: string };
    const viewers: Viewer[] = [];
    for (const v of VIEWERS) {
      const [u] = await sql<{ id: string }[]>`select id from users where username = ${v.username}`;
      if (!u)
        throw new Error(`no user ${v.username}: was the database made by bench/generate.mts?`);
      const grants = await sql<
        { unit_id: string }[]
      >`select distinct unit_id from role_grants where user_id = ${u.id} and role <> 'ADMIN' and unit_id is not null`;
      viewers.push({
        ...v,
        id: u.id,
        units: grants.map((g) => g.unit_id),
        token: await signToken(config.jwtSecret, u.id, NOW),
      });
    }

    // Prepared like a hand-written service would: postgres.js prepares the statement once per connection.
    const handPrepared = async (v: Viewer, first: number) => {
      const r = await sql.unsafe<{ body: string }[]>(
        HAND_SQL,
        [`{${v.units.join(',')}}`, v.id, first, NOW.toISOString()] as never[],
        { prepare: true },
      );
      return r[0]!.body;
    };

    const results = {
      date: new Date().toISOString(),
      now: NOW.toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        memGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      postgres: version,
      rows,
      events,
      clocks,
      runs: RUNS,
      p1: {} as Record<string, unknown>,
      p2: {} as Record<string, unknown>,
      stats: {} as Record<string, unknown>,
      totalCount: {} as Record<string, unknown>,
    };

    // ------------------------------------------------------------ P1 (and P3's figures)
    console.log(
      'P1  portal list, first: 50 — GraphQL (yoga.fetch) vs hand-written SQL (postgres.js, one statement)',
    );
    for (const v of viewers) {
      const viaGql = JSON.parse(await gqlText(app, v.token, PORTAL, { first: PAGE }));
      const viaSql = JSON.parse(await handPrepared(v, PAGE));
      if (viaGql.errors) throw new Error(`GraphQL errors: ${JSON.stringify(viaGql.errors)}`);
      const diff = firstDifference(viaGql, viaSql);
      if (diff)
        throw new Error(
          `the hand-written SQL does not give the GraphQL JSON (${v.username}): ${diff}`,
        );
      const edges = viaGql.data.complaints.edges as {
        node: { clocks: unknown[]; timeline: { edges: unknown[] } };
      }[];
      const shape = `${edges.length} complaints, ${edges.reduce((s, e) => s + e.node.clocks.length, 0)} clocks, ${edges.reduce((s, e) => s + e.node.timeline.edges.length, 0)} events`;

      for (let i = 0; i < WARMUP; i++) {
        await gqlText(app, v.token, PORTAL, { first: PAGE });
        await handPrepared(v, PAGE);
      }
      const g: number[] = [];
      const h: number[] = [];
      const cpu = { gql: 0, sql: 0 }; // this process's CPU (user + system), µs
      for (let i = 0; i < RUNS; i++) {
        // Alternate which goes first, so that neither always runs on a cache the other warmed.
        const order = i % 2 ? ['sql', 'gql'] : ['gql', 'sql'];
        for (const which of order) {
          const c = process.cpuUsage();
          const t = performance.now();
          if (which === 'gql') await gqlText(app, v.token, PORTAL, { first: PAGE });
          else await handPrepared(v, PAGE);
          (which === 'gql' ? g : h).push(performance.now() - t);
          const d = process.cpuUsage(c);
          cpu[which as 'gql' | 'sql'] += d.user + d.system;
        }
      }
      const gs = summary(g);
      const hs = summary(h);
      const ratio = {
        p50: Math.round((gs.p50 / hs.p50) * 100) / 100,
        p99: Math.round((gs.p99 / hs.p99) * 100) / 100,
      };
      const nodeCpuMs = {
        graphql: Math.round(cpu.gql / RUNS / 10) / 100,
        sql: Math.round(cpu.sql / RUNS / 10) / 100,
      };
      (results.p1 as Record<string, unknown>)[v.username] = {
        graphql: gs,
        sql: hs,
        ratio,
        nodeCpuMs,
        shape,
        loadavg: loadavg(),
      };
      console.log(`  ${v.label}: identical JSON (${shape})`);
      console.log(`    GraphQL ${fmt(gs)}`);
      console.log(`    SQL     ${fmt(hs)}`);
      console.log(
        `    Node CPU per request: GraphQL ${nodeCpuMs.graphql} ms, SQL ${nodeCpuMs.sql} ms (load average ${load()})`,
      );
      console.log(
        `    ratio   p50 ${ratio.p50.toFixed(2)}×, p99 ${ratio.p99.toFixed(2)}× (goal ≤ 2.0×: ${ratio.p50 <= 2 && ratio.p99 <= 2 ? 'met' : 'NOT met'})`,
      );
    }

    // ------------------------------------------------------------ P2
    console.log('\nP2  SQL statements per request (Database.statements.count)');
    for (const v of viewers) {
      const counts: Record<number, number> = {};
      for (const first of [10, 100]) {
        const before = database.statements.count;
        const body = JSON.parse(await gqlText(app, v.token, PORTAL, { first }));
        counts[first] = database.statements.count - before;
        if (body.data.complaints.edges.length !== first)
          throw new Error(`expected ${first} edges, got ${body.data.complaints.edges.length}`);
      }
      (results.p2 as Record<string, unknown>)[v.username] = counts;
      console.log(
        `  ${v.label}: first: 10 → ${counts[10]}, first: 100 → ${counts[100]} (${counts[10] === counts[100] ? 'equal' : 'NOT equal'})`,
      );
    }

    // The statements of one request, and the plans of the page and the timeline queries.
    for (const v of viewers) {
      captured.length = 0;
      await gqlText(capApp, v.token, PORTAL, { first: PAGE });
      const list = captured.map((c) => c.query.replace(/\s+/g, ' ').slice(0, 110));
      console.log(
        `\n  statements of one request (${v.username}, first: 50):\n${list.map((l, i) => `    ${i + 1}. ${l}…`).join('\n')}`,
      );
      const page = captured.find(
        (c) =>
          /from "complaints"/.test(c.query) && /limit/i.test(c.query) && /order by/i.test(c.query),
      );
      const timeline = captured.find((c) => /row_number\(\) over/.test(c.query));
      if (page) {
        const plan = await explain(`list page (${v.username})`, page.query, page.params);
        console.log(`\n  EXPLAIN list page (${v.username}):\n${clip(plan)}`);
      }
      if (timeline) {
        const plan = await explain(
          `timeline(last: 3) batch (${v.username})`,
          timeline.query,
          timeline.params,
        );
        console.log(`\n  EXPLAIN timeline(last: 3) batch (${v.username}):\n${clip(plan)}`);
      }
      await explain(`hand-written SQL (${v.username})`, HAND_SQL, [
        `{${v.units.join(',')}}`,
        v.id,
        PAGE,
        NOW.toISOString(),
      ]);
    }

    // ------------------------------------------------------------ P3
    const other = process.env.COMPARE
      ? (JSON.parse(readFileSync(process.env.COMPARE, 'utf8')) as {
          rows: number;
          p1: Record<string, { graphql: Timing }>;
        })
      : null;
    console.log(
      `\nP3  scoped list (GraphQL, first: 50) on ${rows.toLocaleString('en')} complaints${other ? ` vs ${other.rows.toLocaleString('en')} (${process.env.COMPARE})` : ''}`,
    );
    for (const v of viewers) {
      const mine = (results.p1 as Record<string, { graphql: Timing }>)[v.username]!.graphql;
      let line = `  ${v.label}: p50 ${mine.p50.toFixed(1)} ms, p99 ${mine.p99.toFixed(1)} ms`;
      const theirs = other?.p1[v.username]?.graphql;
      if (theirs) {
        const [big, small] = rows >= other!.rows ? [mine, theirs] : [theirs, mine];
        const ratio = big.p99 / small.p99;
        line += `; other run p99 ${theirs.p99.toFixed(1)} ms → larger/smaller p99 ${ratio.toFixed(2)}× (goal ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'NOT met'}), p50 ${(big.p50 / small.p50).toFixed(2)}×`;
      }
      console.log(line);
    }

    // totalCount is not part of the portal query above; what it would add:
    console.log('\n    (not in P1) totalCount of everything the viewer reads:');
    for (const v of viewers) {
      const ts: number[] = [];
      let n = 0;
      for (let i = 0; i < 4; i++) {
        const t = performance.now();
        const res = JSON.parse(await gqlText(app, v.token, COUNT, {}));
        if (!res.data) throw new Error(`totalCount (${v.username}): ${JSON.stringify(res.errors)}`);
        n = res.data.complaints.totalCount;
        if (i) ts.push(performance.now() - t);
      }
      const s = summary(ts);
      (results.totalCount as Record<string, unknown>)[v.username] = { count: n, ...s };
      console.log(
        `    ${v.username}: ${n.toLocaleString('en')} cases, ${s.p50.toFixed(1)} ms per request (median of ${ts.length})`,
      );
      captured.length = 0;
      await gqlText(capApp, v.token, COUNT, {});
      const count = captured.find((c) => /count\(\*\)/.test(c.query));
      if (count) await explain(`totalCount (${v.username})`, count.query, count.params);
    }

    // ------------------------------------------------------------ statistics
    const from = new Date(NOW);
    from.setUTCFullYear(from.getUTCFullYear() - 1);
    console.log(
      `\nStats  complaintStats over [${formatDateTime(from)}, ${formatDateTime(NOW)}), scope: the viewer's unit`,
    );
    for (const v of process.env.STATS === '0' ? [] : viewers) {
      for (const groupBy of [['MONTH'], ['UNIT', 'STATUS']]) {
        const input = { from: formatDateTime(from), to: formatDateTime(NOW), groupBy };
        const ts: number[] = [];
        let groups = 0;
        let total = 0;
        for (let i = 0; i <= STATS_RUNS; i++) {
          const t = performance.now();
          const body = JSON.parse(await gqlText(app, v.token, STATS, { input }));
          if (body.errors) throw new Error(JSON.stringify(body.errors));
          if (i) ts.push(performance.now() - t); // the first is a warm-up
          groups = body.data.complaintStats.length;
          total = body.data.complaintStats.reduce(
            (s: number, r: { count: number }) => s + r.count,
            0,
          );
        }
        const s = summary(ts);
        captured.length = 0;
        await gqlText(capApp, v.token, STATS, { input });
        const stmt = captured.find((c) => /group by/i.test(c.query))!;
        const plan = await explain(
          `complaintStats ${groupBy.join(',')} (${v.username})`,
          stmt.query,
          stmt.params,
        );
        const key = `${v.username} ${groupBy.join(',')}`;
        (results.stats as Record<string, unknown>)[key] = { ...s, groups, cases: total };
        const scans = [
          ...new Set(
            plan
              .split('\n')
              .map(
                (l) =>
                  l.match(
                    /(Seq Scan|Parallel Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan)( Backward)?( using \S+)? on \S+/,
                  )?.[0],
              )
              .filter(Boolean),
          ),
        ];
        const exec = plan.match(/Execution Time: [\d.]+ ms/)?.[0];
        console.log(
          `  ${v.username} by ${groupBy.join(',')}: ${groups} groups over ${total.toLocaleString('en')} cases; ${fmt(s)}`,
        );
        console.log(`    plan: ${scans.join('; ')}; ${exec}`);
        if (process.env.PLANS !== '0') console.log(clip(plan));
      }
    }

    mkdirSync(dirname(outPrefix), { recursive: true });
    writeFileSync(`${outPrefix}.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`${outPrefix}-plans.txt`, plansOut.join('\n'));
    console.log(
      `\nwrote ${outPrefix}.json and ${outPrefix}-plans.txt; ${((performance.now() - tStart) / 1000).toFixed(0)} s`,
    );
  } finally {
    await sql.end({ timeout: 5 });
    await capClient.end({ timeout: 5 });
    await database.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
