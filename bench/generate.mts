// Benchmark data for the portal path (bench/portal.mts): ROWS complaints
// (default 1,000,000) over three years, with their events and the SLA clocks
// of the open ones, written by bulk SQL (INSERT … SELECT generate_series) in
// batches, on PostgreSQL only.
//
//   DATABASE_URL=postgres://u:p@host:5432/bench_1m npm run bench:generate
//   DATABASE_URL=postgres://u:p@host:5432/bench_10k ROWS=10000 npm run bench:generate
//
// The database is migrated, and the demo organisation of demo/org.ts
// (Guangdong: province, big-customer centre, 3 cities, 7 counties, staff,
// the partner CMCC-GD) is seeded when it has no units yet. It must hold no
// complaints: use a fresh database per size.
//
// Phases, each committed (issue 25: a 10M run is about an hour; a cancel
// must not lose it): (1) a progress row is created in its own table,
// bench_generate_progress, with the knobs and the definitions of the
// secondary indexes, which are dropped; (2) the load, one transaction per
// batch, each also recording how far the load went; (3) the indexes, one
// transaction each, rebuilt from their own definitions; (4) the statistics
// rollups; (5) vacuum analyze, a check of the search grams on a sample, and
// the progress table is dropped. While that table exists the database is
// half-made: running the script again with the same knobs resumes where it
// stopped (each batch is seeded on its own, so a resumed run draws what an
// uninterrupted one would); other knobs, or complaints without a progress
// table, are refused.
//
// Knobs: ROWS (1000000), BATCH (100000 complaints per statement), NOW
// (2026-11-23T10:00:00+08:00: the end of the three years, and the `now` of
// the open cases' clocks; bench/portal.mts uses the same), SEED (42: random()
// is seeded, so the spreads repeat; ids do not), DROP_INDEXES (1: the
// secondary indexes of the three tables are dropped for the load and
// rebuilt after it), MAINTENANCE_WORK_MEM (1GB), PARALLEL_MAINTENANCE
// (2: max_parallel_maintenance_workers for the B-tree builds; GIN builds are
// not parallel before PostgreSQL 18), EXPLAIN_BATCH=1 (EXPLAIN ANALYZE the
// first batch, then roll back), DUMP_SQL=<file> (write the batch statement there),
// AGENTS (0: the demo's acceptance agents alone; N: bench.agent.00001 … up to
// N agents of the province, who sign in nowhere, so that a province's first
// responders are as many as a real centre's seats: the person rollups of
// migrations 0029 and 0031 grow with them).
//
// The search grams (complaints.search_grams, migration 0025) are written by
// the batch statement itself, as the trigger would write them: the grams of
// the number, computed per case, then those of title and description, looked
// up in a session table holding every text the vocabulary can make (16k,
// computed once). The trigger does not fire during the load.
//
// What is realistic and what is not (see bench/README.md, "Portal path"):
// - registered_at over 3 years, density rising by half over the span,
//   business hours peaking mid-afternoon; status by age (old cases ARCHIVED);
//   lines, categories, severities, channels, sources with fixed weights;
//   handling units across the GD counties, cities, the centre and the
//   province, with the handling_path / handling_level / dispatch_chain /
//   reader_units / province_id the lifecycle would leave; first responder an
//   acceptance agent (partner cases: the partner).
// - Events: a condensed history of at most 3 per case (REGISTER, ACCEPT or
//   REJECT/WITHDRAW, then the transition into the current status), positions
//   from complaint_event_position_seq in time order within each batch. The
//   hashes are placeholders (sha256 of id:n), so the benchmark data does NOT
//   verify as a hash chain.
// - sla_clocks only for open cases (REGISTER/ACCEPT/ANSWER, ACCEPT/RESOLVE/
//   CLOSE or RESOLVE/REPLY/CLOSE as their stage has them); closed cases have
//   no clock rows. No assignments, investigations, contacts or callbacks.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { GIVEN, SURNAMES } from '../demo/names.js';
import { seedDemo } from '../demo/org.js';
import { ManualClock } from '../src/config/clock.js';
import { testConfig } from '../src/config/index.js';
import { openPostgres } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { loadPlugins } from '../src/domain/lines.js';
import { ensureBootstrapAdmin } from '../src/domain/org.js';

const URL_ = process.env.DATABASE_URL;
const ROWS = Number(process.env.ROWS ?? 1_000_000);
const BATCH = Number(process.env.BATCH ?? 100_000);
const NOW = new Date(process.env.NOW ?? '2026-11-23T10:00:00+08:00');
const SEED = Number(process.env.SEED ?? 42);
const DROP_INDEXES = process.env.DROP_INDEXES !== '0';
const MAINTENANCE_WORK_MEM = process.env.MAINTENANCE_WORK_MEM ?? '1GB';
const PARALLEL_MAINTENANCE = Number(process.env.PARALLEL_MAINTENANCE ?? 2);
const AGENTS = Number(process.env.AGENTS ?? 0);
const SPAN_DAYS = 3 * 365;
/** How far an unfinished generation went: one row, in its own table, dropped when the generation is complete. */
const PROGRESS = 'bench_generate_progress';
const PARAMS = { rows: ROWS, batch: BATCH, now: NOW.toISOString(), seed: SEED };
type Progress = {
  rows: number;
  batch: number;
  now: string;
  seed: number;
  phase: 'load' | 'indexes' | 'rollups' | 'vacuum';
  loaded: number;
  indexes: { name: string; def: string }[];
};

async function readProgress(sql: postgres.Sql): Promise<Progress | null> {
  const [{ t }] = await sql<{ t: string | null }[]>`select to_regclass(${PROGRESS})::text as t`;
  if (!t) return null;
  const [row] = await sql.unsafe<Progress[]>(`select * from ${PROGRESS}`);
  return row ?? null;
}
async function setPhase(sql: postgres.Sql, phase: Progress['phase']) {
  await sql.unsafe(`update ${PROGRESS} set phase = $1, updated_at = now()`, [phase]);
  return (await readProgress(sql))!;
}
/** The random seed of the batch starting at complaint `start` (setseed takes [-1, 1]). */
const seedOf = (start: number) => ((SEED * 7919 + start) % 1_000_000) / 1_000_000;
const TABLES = ['complaints', 'complaint_events', 'sla_clocks'];

if (!URL_ || !/^postgres(ql)?:\/\//.test(URL_)) {
  console.error(
    'bench/generate.mts needs DATABASE_URL=postgres://… (PostgreSQL). PGlite is refused: 1M complaints do not belong in an in-process WASM database.',
  );
  process.exit(2);
}
if (
  !Number.isInteger(ROWS) ||
  ROWS < 1 ||
  !Number.isInteger(BATCH) ||
  BATCH < 1 ||
  Number.isNaN(NOW.getTime())
) {
  console.error('ROWS and BATCH must be positive integers, NOW an ISO date-time');
  process.exit(2);
}

/**
 * AGENTS: the province's acceptance agents, made up to n (idempotent, so a resumed run finds the same ones).
 * Disabled, with no password hash that any password matches: they exist as first responders only.
 */
async function addAgents(sql: postgres.Sql, n: number) {
  await sql.begin(async (tx) => {
    const [province] = await tx<{ id: string }[]>`select id from org_units where code = 'GD'`;
    if (!province) throw new Error('the demo organisation (demo/org.ts) has no province GD');
    const [{ have }] = await tx<{ have: number }[]>`
      select count(distinct user_id)::int as have from role_grants where role = 'ACCEPTANCE_AGENT'`;
    if (have >= n) return;
    await tx`
      with u as (
        insert into users (username, password_hash, display_name, unit_id, disabled)
        select 'bench.agent.' || lpad(i::text, 5, '0'), '!', '坐席 ' || i, ${province.id}, true
        from generate_series(1, ${n - have}) i
        on conflict (username) do nothing
        returning id)
      insert into role_grants (user_id, role, unit_id) select id, 'ACCEPTANCE_AGENT', ${province.id} from u`;
  });
}

/** A CASE over `r` (uniform in [0,1)) picking each value with its weight. */
function pick(r: string, choices: [string | null, number][]): string {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  const whens = choices.slice(0, -1).map(([v, w]) => {
    acc += w / total;
    return `when ${r} < ${acc.toFixed(6)} then ${v === null ? 'null' : `'${v}'`}`;
  });
  const last = choices.at(-1)![0];
  return `(case ${whens.join(' ')} else ${last === null ? 'null' : `'${last}'`} end)`;
}
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: string[]) => `array[${xs.map(lit).join(',')}]`;

// ---------------------------------------------------------------- the spreads

/** Where worked cases end up (cases still at the acceptance stage stay with the province). */
const UNIT_WEIGHTS: [string, number][] = [
  ['GD-GZ-TH', 14],
  ['GD-GZ-YX', 10],
  ['GD-GZ-PY', 10],
  ['GD-SZ-NS', 12],
  ['GD-SZ-FT', 10],
  ['GD-FS-NH', 8],
  ['GD-FS-SD', 8],
  ['GD-GZ', 6],
  ['GD-SZ', 5],
  ['GD-FS', 4],
  ['GD-BC', 8],
  ['GD', 5],
];
const LINES: [string, number][] = [
  ['mobile', 40],
  ['broadband', 25],
  ['billing-dispute', 12],
  ['fixed-line', 10],
  ['enterprise', 8],
  ['interconnection', 5],
];
const BASE_CATEGORIES: [string, number][] = [
  ['NETWORK_TECHNICAL', 35],
  ['SERVICE_QUALITY', 20],
  ['BILLING_DISPUTE', 20],
  ['TARIFF_POLICY', 15],
  ['PROCESS', 10],
];
const PARTNER_CATEGORIES: [string, number][] = [
  ['CALL_COMPLETION', 40],
  ['SMS_BLOCKING', 30],
  ['NUMBER_PORTABILITY', 20],
  ['SETTLEMENT', 10],
];
const SEVERITIES: [string, number][] = [
  ['ORDINARY', 85],
  ['MAJOR', 12],
  ['URGENT', 3],
];
const CHANNELS: [string, number][] = [
  ['PHONE', 45],
  ['ONLINE', 15],
  ['APP', 15],
  ['BUSINESS_HALL', 10],
  ['SOCIAL_MEDIA', 5],
  ['EMAIL', 4],
  ['VISIT', 4],
  ['LETTER', 2],
];
const SOURCES: [string, number][] = [
  ['CUSTOMER', 88],
  ['REGULATOR_TRANSFER', 6],
  ['GROUP_TRANSFER', 3],
  ['GOVERNMENT_TRANSFER', 3],
];
const REJECTIONS: [string, number][] = [
  ['DUPLICATE_CONCLUDED', 30],
  ['OUT_OF_SCOPE', 25],
  ['INSUFFICIENT_INFORMATION', 20],
  ['NO_DIRECT_INTEREST', 15],
  ['EXPIRED', 10],
];
/** Status by age: new cases are still being worked, old ones archived. */
const STATUS_YOUNGEST: [string, number][] = [
  ['RECEIVED', 35],
  ['ACCEPTED', 35],
  ['DISPATCHED', 20],
  ['REJECTED', 6],
  ['WITHDRAWN', 4],
]; // < 1 day
const STATUS_YOUNG: [string, number][] = [
  ['RECEIVED', 5],
  ['ACCEPTED', 8],
  ['DISPATCHED', 15],
  ['INVESTIGATING', 25],
  ['PENDING_APPROVAL', 5],
  ['PENDING_REVIEW', 7],
  ['RESOLVED', 10],
  ['REPLIED', 8],
  ['CLOSED', 10],
  ['REJECTED', 4],
  ['WITHDRAWN', 3],
]; // 1–15 days
const STATUS_MIDDLE: [string, number][] = [
  ['ARCHIVED', 20],
  ['CLOSED', 40],
  ['REPLIED', 15],
  ['RESOLVED', 10],
  ['INVESTIGATING', 5],
  ['PENDING_REVIEW', 2],
  ['REJECTED', 5],
  ['WITHDRAWN', 3],
]; // 15–60 days
const STATUS_OLD: [string, number][] = [
  ['ARCHIVED', 88],
  ['CLOSED', 4],
  ['REJECTED', 5],
  ['WITHDRAWN', 3],
]; // > 60 days

const TITLES: Record<string, string[]> = {
  NETWORK_TECHNICAL: [
    '信号差 Poor signal at home',
    '网速慢 Slow data speed',
    '频繁掉线 Calls keep dropping',
    '宽带断网 Broadband outage',
  ],
  SERVICE_QUALITY: [
    '营业员态度差 Rude staff',
    '工单无人跟进 No follow-up',
    '上门超时 Engineer late',
    '客服难接通 Hotline unreachable',
  ],
  BILLING_DISPUTE: [
    '话费异常 Unexpected charges',
    '重复扣费 Charged twice',
    '流量计费错误 Data billed wrongly',
    '退款未到账 Refund missing',
  ],
  TARIFF_POLICY: [
    '套餐变更被拒 Plan change refused',
    '优惠未兑现 Promotion not honoured',
    '违约金争议 Termination fee',
    '资费不透明 Unclear tariff',
  ],
  PROCESS: [
    '销户困难 Cannot close account',
    '过户流程繁琐 Transfer process',
    '实名认证失败 ID check failed',
    '携号转网受阻 Porting blocked',
  ],
  CALL_COMPLETION: [
    '网间呼叫失败 Inter-network calls fail',
    '呼叫接续慢 Slow call setup',
    '来电无法接通 Incoming calls fail',
    '号码显示错误 Wrong caller ID',
  ],
  SMS_BLOCKING: [
    '短信被拦截 SMS blocked',
    '验证码收不到 No verification codes',
    '群发短信失败 Bulk SMS failed',
    '短信延迟 SMS delayed',
  ],
  NUMBER_PORTABILITY: [
    '携号转网失败 Port-out failed',
    '转网后无服务 No service after port',
    '授权码错误 Wrong port code',
    '转网被拒 Port refused',
  ],
  SETTLEMENT: [
    '结算差错 Settlement mismatch',
    '网间费用争议 Interconnect fee dispute',
    '对账延迟 Reconciliation late',
    '结算单缺失 Missing statement',
  ],
};
const CATEGORY_ORDER = Object.keys(TITLES);
const FALLBACK_TITLE = '投诉 Complaint';
const SENTENCES = [
  '客户多次来电反映问题未解决 The customer has called several times.',
  '问题持续一周以上 The problem has lasted more than a week.',
  '客户要求赔偿 The customer asks for compensation.',
  '客户表示将向工信部投诉 The customer threatens to go to the regulator.',
  '已初步核实情况属实 First checks confirm the report.',
  '客户要求书面答复 The customer wants a written answer.',
];

type Unit = {
  id: string;
  code: string;
  name: string;
  level: string;
  path: string;
  parent_id: string | null;
};

async function main() {
  const t0 = performance.now();
  console.log(
    `bench/generate.mts — ${ROWS.toLocaleString('en')} complaints, batches of ${BATCH.toLocaleString('en')}, now = ${NOW.toISOString()}`,
  );

  // ------------------------------------------------------------ schema and organisation
  const database = await openPostgres(URL_!, { max: 2 });
  await migrate(database, URL_!);
  const config = testConfig({
    databaseUrl: URL_!,
    dataDir: mkdtempSync(join(tmpdir(), 'bench-demo-')),
  });
  await ensureBootstrapAdmin(database.db, config.admin.username, config.admin.password);
  const lines = await loadPlugins();
  await seedDemo({ config, clock: new ManualClock(NOW), database, db: database.db, lines });
  rmSync(config.dataDir, { recursive: true, force: true }); // seedDemo keeps the partner's key there; the benchmark does not need it
  await database.close();

  const sql = postgres(URL_!, {
    max: 1,
    onnotice: () => {},
    connection: { TimeZone: 'Asia/Shanghai' },
  });
  try {
    // One generator at a time per database (a second one would interleave its batches with ours).
    const [{ locked }] = await sql<
      { locked: boolean }[]
    >`select pg_try_advisory_lock(hashtext('bench/generate.mts')) as locked`;
    if (!locked) throw new Error('another bench/generate.mts is running on this database');
    const progress = await readProgress(sql);
    const [{ n: existing }] = await sql<{ n: number }[]>`select count(*)::int as n from complaints`;
    if (!progress && existing > 0)
      throw new Error(
        `the database holds ${existing} complaints already and no unfinished generation (${PROGRESS}): generate into a fresh database`,
      );
    if (progress) {
      const differs = (['rows', 'batch', 'now', 'seed'] as const).filter(
        (k) => String(progress[k]) !== String(PARAMS[k]),
      );
      if (differs.length)
        throw new Error(
          `this database holds an unfinished generation (${PROGRESS}: phase ${progress.phase}, ${progress.loaded.toLocaleString('en')} of ${progress.rows.toLocaleString('en')} complaints loaded) ` +
            `made with other knobs (${differs.map((k) => `${k.toUpperCase()}=${progress[k]}, not ${PARAMS[k]}`).join('; ')}): ` +
            'run again with the same knobs to resume it, or generate into a fresh database',
        );
      console.log(
        `resuming an unfinished generation: phase ${progress.phase}, ${progress.loaded.toLocaleString('en')} of ${progress.rows.toLocaleString('en')} complaints loaded`,
      );
    }
    const version = (await sql`show server_version`)[0]!.server_version as string;
    const [{ rolsuper }] = await sql<
      { rolsuper: boolean }[]
    >`select rolsuper from pg_roles where rolname = current_user`;
    console.log(`PostgreSQL ${version}; superuser: ${rolsuper}`);

    const units = await sql<
      Unit[]
    >`select id, code, name, level::text, path, parent_id from org_units where code like 'GD%' order by path`;
    const byCode = new Map(units.map((u) => [u.code, u]));
    const byId = new Map(units.map((u) => [u.id, u]));
    if (AGENTS > 0) await addAgents(sql, AGENTS);
    const userRows = await sql<{ id: string; username: string; role: string; unit_id: string }[]>`
      select u.id, u.username, g.role::text as role, g.unit_id from users u join role_grants g on g.user_id = u.id`;
    const agents = userRows
      .filter((u) => u.role === 'ACCEPTANCE_AGENT')
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0))
      .map((u) => u.id);
    const legal = userRows.find((u) => u.role === 'LEGAL_OFFICER')?.id;
    const [partner] = await sql<
      { id: string }[]
    >`select id from partners where carrier_code = 'CMCC-GD'`;
    const province = byCode.get('GD');
    if (!province || agents.length < 1 || !legal || !partner)
      throw new Error('the demo organisation (demo/org.ts) is incomplete');

    // One row per unit a case can be handled by: its chain and reader units as the lifecycle leaves them.
    const idsOf = (u: Unit) => u.path.split('/').filter(Boolean);
    const genUnits = UNIT_WEIGHTS.map(([code]) => {
      const u = byCode.get(code)!;
      const chain =
        u.level === 'COUNTY' ? [u.parent_id!, u.id] : u.level === 'PROVINCE' ? [] : [u.id];
      const readers = [...new Set([...idsOf(u), ...chain.flatMap((c) => idsOf(byId.get(c)!))])];
      const handler =
        userRows.find((r) => r.role === 'HANDLER' && r.unit_id === u.id)?.id ?? agents[0]!;
      const short = (x: Unit) => x.name.split(' ')[0]!;
      const place =
        u.level === 'COUNTY' ? `${short(byId.get(u.parent_id!)!)}${short(u)}` : short(u);
      return { code, id: u.id, path: u.path, level: u.level, chain, readers, handler, place };
    });

    const r = (k: string) => `g0.${k}`;
    const titleMatrix = `array[${CATEGORY_ORDER.map((c) => arr(TITLES[c]!)).join(',')}]`;
    const catIndex = `(case category ${CATEGORY_ORDER.map((c, i) => `when '${c}' then ${i + 1}`).join(' ')} else 1 end)`;
    const OPEN = `('RECEIVED','ACCEPTED','DISPATCHED','INVESTIGATING','PENDING_APPROVAL','PENDING_REVIEW','RESOLVED','REPLIED')`;
    const WORKING = `('ACCEPTED','DISPATCHED','INVESTIGATING','PENDING_APPROVAL','PENDING_REVIEW')`;
    const RESOLVED_PLUS = `('RESOLVED','REPLIED','CLOSED','ARCHIVED')`;

    /**
     * One batch: complaints [start, end] of ROWS, their events and clocks, in one
     * statement (data-modifying CTEs over one materialised set of random draws).
     * $1 start, $2 end, $3 now, $4 agents, $5 partner, $6 province, $7 legal officer.
     */
    const batchSql = `
with g0 as materialized (
  select i, gen_random_uuid() as id,
    2 * (sqrt(1 + 1.25 * ((i - 1 + random()) / ${ROWS}::float8)) - 1) as t,  -- growth: density 1 → 1.5 over the span
    random() as r_status, random() as r_unit, random() as r_line, random() as r_cat, random() as r_sev, random() as r_chan,
    random() as r_src, random() as r_a, random() as r_b, random() as r_c, random() as r_d, random() as r_e, random() as r_f
  from generate_series($1::int, $2::int) i
),
g1 as materialized (
  select g0.*, least(
      ((date_trunc('day', $3::timestamptz at time zone 'Asia/Shanghai') - ${SPAN_DAYS - 1} * interval '1 day')
        + floor(t * ${SPAN_DAYS}) * interval '1 day'
        + case when r_f < 0.05 then r_a * interval '24 hours' else interval '8 hours' + (r_a + r_b) / 2 * interval '14 hours' end
      ) at time zone 'Asia/Shanghai',
      $3::timestamptz - (1 + r_e * 90) * interval '1 minute') as reg_raw,
    ${pick(r('r_line'), LINES)} as line0
  from g0
),
g2 as materialized (
  select g1.*, date_trunc('milliseconds', reg_raw) as reg, extract(epoch from ($3::timestamptz - reg_raw)) / 86400 as age,
    line0 = 'interconnection' as by_partner
  from g1
),
g3 as materialized (
  select g2.*,
    case when age < 1 then ${pick('r_status', STATUS_YOUNGEST)} when age < 15 then ${pick('r_status', STATUS_YOUNG)}
         when age < 60 then ${pick('r_status', STATUS_MIDDLE)} else ${pick('r_status', STATUS_OLD)} end as status,
    least($3::timestamptz - reg, interval '30 days') as d
  from g2
),
g4 as materialized (
  select g3.*,
    status = 'WITHDRAWN' and r_c < 0.5 as early_withdrawal,
    case when status = 'RECEIVED' then null else line0 end as line,
    case when status = 'RECEIVED' then null when by_partner then ${pick('r_cat', PARTNER_CATEGORIES)}
         when line0 = 'billing-dispute' and r_cat < 0.8 then 'BILLING_DISPUTE' else ${pick('r_cat', BASE_CATEGORIES)} end as category,
    case when status = 'RECEIVED' then null else ${pick('r_sev', SEVERITIES)} end as severity,
    case when by_partner then 'API' else ${pick('r_chan', CHANNELS)} end as channel,
    case when by_partner then 'PARTNER_CARRIER' else ${pick('r_src', SOURCES)} end as source,
    date_trunc('milliseconds', reg - r_b * interval '2 hours') as contact,
    date_trunc('milliseconds', reg + d * (0.005 + 0.03 * r_a)) as t_acc,
    date_trunc('milliseconds', reg + d * (0.3 + 0.3 * r_b)) as t_res
  from g3
),
g5 as materialized (
  select g4.*,
    case when status in ('RECEIVED','ACCEPTED','REJECTED') or by_partner or early_withdrawal then 'GD'
         when line = 'enterprise' and r_c < 0.7 then 'GD-BC'
         else ${pick('r_unit', UNIT_WEIGHTS)} end as unit_code,
    date_trunc('milliseconds', t_res + d * (0.02 + 0.05 * r_c)) as t_rep,
    date_trunc('milliseconds', t_acc + ($3::timestamptz - t_acc) * (0.1 + 0.8 * r_d)) as t_mid,
    case when status = 'RECEIVED' then 1 when status in ('ACCEPTED','REJECTED') or early_withdrawal then 2 else 3 end as n_events
  from g4
),
g as materialized (
  select g5.*, u.id as unit_id, u.path as unit_path, u.level as unit_level, u.chain, u.readers, u.handler, u.place,
    date_trunc('milliseconds', t_rep + d * (0.05 + 0.1 * r_d)) as t_clo,
    date_trunc('milliseconds', t_rep + d * (0.05 + 0.1 * r_d) + d * (0.05 + 0.1 * r_a)) as t_arc,
    case when by_partner then null else ($4::uuid[])[1 + (i % cardinality($4::uuid[]))] end as responder,
    'GD' || to_char(reg at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(i::text, 7, '0') as number,
    encode(sha256(convert_to(g5.id::text || ':' || n_events, 'UTF8')), 'hex') as last_hash
  from g5 join gen_units u on u.code = g5.unit_code
),
gt as materialized (
  select g.*,
    coalesce((${titleMatrix})[${catIndex}][1 + floor(r_c * 4)::int], '${FALLBACK_TITLE}') as title,
    coalesce((${titleMatrix})[${catIndex}][1 + floor(r_c * 4)::int], '${FALLBACK_TITLE}') || '。' || place || '：'
      || (${arr(SENTENCES)})[1 + floor(r_d * ${SENTENCES.length})::int] || ' '
      || (${arr(SENTENCES)})[1 + floor(r_e * ${SENTENCES.length})::int] as description
  from g
),
ins_c as (
  insert into complaints (id, number, version, status, channel, source, business_line, category, severity, title, description,
    customer_name, customer_phone, customer_address, customer_account, contact_at, registered_at, accepted_at, resolved_at,
    replied_at, closed_at, archived_at, first_responder_id, partner_id, province_id, handling_unit_id, handling_path,
    handling_level, legal_owned, dispatch_chain, reader_units, caller_back_unit_id, callback_owed, has_finding,
    escalation_level, reopen_count, rejection_reason, is_repeat, due_at, last_event_hash, search_grams)
  select id, number, n_events, status::complaint_status, channel::channel, source::source, line, category, severity::severity,
    gt.title, gt.description,
    (${arr(SURNAMES)})[1 + floor(r_e * ${SURNAMES.length})::int] || (${arr(GIVEN)})[1 + floor(r_f * ${GIVEN.length})::int],
    '1' || (array['3','5','8','9'])[1 + floor(r_a * 4)::int] || lpad(floor(r_b * 1e9)::bigint::text, 9, '0'),
    place || ' ' || (1 + floor(r_c * 999))::int || '号',
    case when r_d < 0.6 then 'AC' || lpad(floor(r_e * 1e10)::bigint::text, 10, '0') end,
    contact, reg,
    case when status not in ('RECEIVED','REJECTED') and not early_withdrawal then t_acc end,
    case when status in ${RESOLVED_PLUS} then t_res end,
    case when status in ('REPLIED','CLOSED','ARCHIVED') then t_rep end,
    case when status in ('CLOSED','ARCHIVED') then t_clo end,
    case when status = 'ARCHIVED' then t_arc end,
    responder, case when by_partner then $5::uuid end, $6::uuid, unit_id, unit_path, unit_level::org_level,
    by_partner or source <> 'CUSTOMER', chain, readers,
    case when status in ${RESOLVED_PLUS} then unit_id end, status = 'REPLIED', status in ${RESOLVED_PLUS},
    case when r_f < 0.02 then 1 else 0 end, case when r_e < 0.01 and status in ${RESOLVED_PLUS} then 1 else 0 end,
    case when status = 'REJECTED' then (${pick('r_e', REJECTIONS)})::rejection_reason end,
    r_b < 0.05,
    case when status = 'RECEIVED' then reg + interval '24 hours'
         when status in ${WORKING} then t_acc + interval '21 days'
         when status = 'RESOLVED' then t_res + interval '24 hours'
         when status = 'REPLIED' then t_acc + interval '42 days' end,
    last_hash,
    -- What the trigger complaints_search_grams (migration 0025) computes, with the text's part looked up once
    -- per distinct title and description in gen_texts (computed here for any text it lacks).
    search_grams(number || ' ') || coalesce(x.grams, search_grams(' ' || gt.title || ' ' || gt.description))
  from gt left join gen_texts x on x.title = gt.title and x.description = gt.description
  returning 1
),
ev as (
  select g.id as complaint_id, k, n_events,
    case k when 1 then 'REGISTER'
           when 2 then case when status = 'REJECTED' then 'REJECT' when early_withdrawal then 'WITHDRAW' else 'ACCEPT' end
           else case status when 'DISPATCHED' then 'DISPATCH' when 'INVESTIGATING' then 'ACKNOWLEDGE' when 'PENDING_APPROVAL' then 'SUBMIT_REPORT'
                  when 'PENDING_REVIEW' then 'CONFIRM_REPORT' when 'RESOLVED' then 'REVIEW_REPORT' when 'REPLIED' then 'REPLY_TO_CUSTOMER'
                  when 'CLOSED' then 'RECORD_CALLBACK' when 'ARCHIVED' then 'ARCHIVE' else 'WITHDRAW' end end as action,
    case k when 1 then null when 2 then 'RECEIVED'
           else case status when 'DISPATCHED' then 'ACCEPTED' when 'INVESTIGATING' then 'DISPATCHED' when 'PENDING_APPROVAL' then 'INVESTIGATING'
                  when 'PENDING_REVIEW' then 'PENDING_APPROVAL' when 'RESOLVED' then 'PENDING_REVIEW' when 'REPLIED' then 'RESOLVED'
                  when 'CLOSED' then 'REPLIED' when 'ARCHIVED' then 'CLOSED' else 'INVESTIGATING' end end as from_status,
    case k when 1 then 'RECEIVED' when 2 then case when status = 'REJECTED' then 'REJECTED' when early_withdrawal then 'WITHDRAWN' else 'ACCEPTED' end
           else status end as to_status,
    case when k = 1 then responder when k = 2 then coalesce(responder, $7::uuid) else handler end as actor_user,
    case when k = 1 and by_partner then $5::uuid end as actor_partner,
    case k when 1 then reg when 2 then t_acc
           else case status when 'RESOLVED' then t_res when 'REPLIED' then t_rep when 'CLOSED' then t_clo when 'ARCHIVED' then t_arc else t_mid end end as at,
    case when k = 1 then jsonb_build_object('number', number, 'channel', channel, 'source', source, 'businessLine', line, 'category', category) end as payload
  from g cross join lateral generate_series(1, n_events) k
),
ins_e as (
  insert into complaint_events (position, complaint_id, action, from_status, to_status, actor_user_id, actor_partner_id, at, payload, hash)
  select nextval('complaint_event_position_seq'), complaint_id, action, from_status::complaint_status, to_status::complaint_status,
    actor_user, actor_partner, at, payload, encode(sha256(convert_to(complaint_id::text || ':' || k, 'UTF8')), 'hex')
  from (select * from ev order by at, complaint_id, k) e
  returning 1
),
ck as (
  select g.id as complaint_id, c.kind, c.budget, c.started, c.due, c.stopped,
    c.started + (c.due - c.started) * 0.8 as warn
  from g cross join lateral (values
      ('REGISTER', '{"minutes":10}'::jsonb, contact, contact + interval '10 minutes', reg, status = 'RECEIVED'),
      ('ACCEPT', '{"hours":24}'::jsonb, reg, reg + interval '24 hours', case when status <> 'RECEIVED' then t_acc end, status in ${OPEN}),
      ('ANSWER', '{"days":15}'::jsonb, reg, reg + interval '15 days', null::timestamptz, status = 'RECEIVED'),
      ('RESOLVE', '{"workingDays":15}'::jsonb, t_acc, t_acc + interval '21 days', case when status in ('RESOLVED','REPLIED') then t_res end,
        status in ${OPEN} and status <> 'RECEIVED'),
      ('REPLY', '{"hours":24}'::jsonb, t_res, t_res + interval '24 hours', case when status = 'REPLIED' then t_rep end, status in ('RESOLVED','REPLIED')),
      ('CLOSE', '{"workingDays":30}'::jsonb, t_acc, t_acc + interval '42 days', null::timestamptz, status in ${OPEN} and status <> 'RECEIVED')
    ) c(kind, budget, started, due, stopped, applies)
  where c.applies
),
ins_k as (
  insert into sla_clocks (complaint_id, kind, budget, started_at, due_at, warn_at, stopped_at, state, warned, breached)
  select complaint_id, kind::clock_kind, budget, started, due, date_trunc('milliseconds', warn), stopped,
    (case when stopped is not null then case when stopped <= due then 'MET' else 'MISSED' end
          when due <= $3::timestamptz then 'BREACHED' when warn <= $3::timestamptz then 'WARNING' else 'RUNNING' end)::clock_state,
    stopped is null and warn <= $3::timestamptz, stopped is null and due <= $3::timestamptz
  from ck
  returning 1
)
select (select count(*) from ins_c)::int as complaints, (select count(*) from ins_e)::int as events, (select count(*) from ins_k)::int as clocks`;

    if (process.env.DUMP_SQL)
      (await import('node:fs')).writeFileSync(process.env.DUMP_SQL, batchSql);
    const params = (start: number, end: number) => [
      start,
      end,
      NOW.toISOString(),
      `{${agents.join(',')}}`,
      partner.id,
      province.id,
      legal,
    ];

    // Session tables of the batch statement: the units a case can be handled by, and the grams of every
    // title and description the vocabulary can make (the text part of what complaints_search_grams stores,
    // computed once here instead of once per case).
    await sql.unsafe(
      `create temp table gen_units (code text primary key, id uuid, path text, level text, chain uuid[], readers uuid[], handler uuid, place text)`,
    );
    for (const u of genUnits) {
      await sql.unsafe(
        `insert into gen_units values ($1, $2, $3, $4, $5::uuid[], $6::uuid[], $7, $8)`,
        [
          u.code,
          u.id,
          u.path,
          u.level,
          `{${u.chain.join(',')}}`,
          `{${u.readers.join(',')}}`,
          u.handler,
          u.place,
        ],
      );
    }
    const tTexts = performance.now();
    await sql.unsafe(`
      create temp table gen_texts as
      select t.title, t.title || '。' || u.place || '：' || s1 || ' ' || s2 as description,
        search_grams(' ' || t.title || ' ' || t.title || '。' || u.place || '：' || s1 || ' ' || s2) as grams
      from unnest(${arr([...Object.values(TITLES).flat(), FALLBACK_TITLE])}) t(title),
        (select distinct place from gen_units) u, unnest(${arr(SENTENCES)}) s1, unnest(${arr(SENTENCES)}) s2`);
    await sql.unsafe(`alter table gen_texts add primary key (title, description)`);
    await sql.unsafe(`analyze gen_texts`);
    const [{ texts }] = await sql.unsafe<{ texts: number }[]>(
      `select count(*)::int as texts from gen_texts`,
    );
    console.log(
      `grams of ${texts.toLocaleString('en')} distinct texts: ${((performance.now() - tTexts) / 1000).toFixed(1)} s`,
    );

    /** The settings of a load or build transaction. */
    const settings = async (tx: postgres.TransactionSql) => {
      await tx.unsafe(`set local maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
      await tx.unsafe(`set local max_parallel_maintenance_workers = ${PARALLEL_MAINTENANCE}`);
      await tx.unsafe(`set local work_mem = '256MB'`);
      await tx.unsafe(`set local jit = off`); // the batch statement's estimates are large enough to trigger JIT, whose compile time dominated
    };

    if (process.env.EXPLAIN_BATCH) {
      await sql
        .begin(async (tx) => {
          await settings(tx);
          const plan = await tx.unsafe(
            `explain (analyze, buffers) ${batchSql}`,
            params(1, Math.min(ROWS, BATCH)),
          );
          console.log(plan.map((p) => p['QUERY PLAN']).join('\n'));
          throw new Error('EXPLAIN_BATCH: rolled back');
        })
        .catch((e) => console.log(String(e)));
      return;
    }

    // ---------------------------------------------------------- phase 1: the progress row, indexes dropped
    // Every phase commits, and the progress row (its own table, dropped at the end) says how far the
    // generation went: a cancelled run is resumed by running the script again with the same knobs.
    let state = progress;
    if (!state) {
      state = await sql.begin(async (tx) => {
        await tx.unsafe(`create table ${PROGRESS} (
          id int primary key default 1 check (id = 1), rows int not null, batch int not null, now text not null,
          seed int not null, phase text not null, loaded int not null default 0, indexes jsonb not null,
          started_at timestamptz not null default now(), updated_at timestamptz not null default now())`);
        let idx: { name: string; def: string }[] = [];
        if (DROP_INDEXES) {
          idx = await tx.unsafe<{ name: string; def: string }[]>(
            `select c.relname as name, pg_get_indexdef(i.indexrelid) as def
               from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
              where t.relname = any($1) and t.relnamespace = 'public'::regnamespace
                and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
              order by t.relname, c.relname`,
            [TABLES],
          );
          for (const i of idx) await tx.unsafe(`drop index "${i.name}"`);
          console.log(`dropped ${idx.length} secondary indexes for the load (rebuilt after it)`);
        }
        const [row] = await tx.unsafe<Progress[]>(
          `insert into ${PROGRESS} (rows, batch, now, seed, phase, indexes) values ($1, $2, $3, $4, 'load', $5::text::jsonb) returning *`,
          [ROWS, BATCH, PARAMS.now, SEED, JSON.stringify(idx)],
        );
        return row!;
      });
    }

    // ---------------------------------------------------------- phase 2: the load, one transaction per batch
    let totals = { complaints: 0, events: 0, clocks: 0 };
    const tLoad = performance.now();
    if (state.phase === 'load') {
      for (let start = state.loaded + 1; start <= ROWS; start += BATCH) {
        const end = Math.min(ROWS, start + BATCH - 1);
        const tb = performance.now();
        const res = await sql.begin(async (tx) => {
          await settings(tx);
          // Foreign keys are not checked and row triggers do not fire when we may say so (superuser): the
          // generator keeps the keys by construction, writes the search grams itself, and the rollups are
          // recounted below. Otherwise the grams trigger alone is switched off, for this transaction only.
          if (rolsuper) await tx.unsafe(`set local session_replication_role = replica`);
          else await tx.unsafe(`alter table complaints disable trigger complaints_search_grams`);
          // Seeded per batch, so that a resumed generation draws what an uninterrupted one would have.
          await tx.unsafe(`select setseed($1)`, [seedOf(start)]);
          const [r] = await tx.unsafe<{ complaints: number; events: number; clocks: number }[]>(
            batchSql,
            params(start, end),
          );
          if (!rolsuper)
            await tx.unsafe(`alter table complaints enable trigger complaints_search_grams`);
          await tx.unsafe(`update ${PROGRESS} set loaded = $1, updated_at = now()`, [end]);
          return r!;
        });
        const secs = (performance.now() - tb) / 1000;
        totals = {
          complaints: totals.complaints + res.complaints,
          events: totals.events + res.events,
          clocks: totals.clocks + res.clocks,
        };
        const rows = res.complaints + res.events + res.clocks;
        console.log(
          `  ${String(end).padStart(9)} / ${ROWS}: +${res.complaints} complaints, +${res.events} events, +${res.clocks} clocks in ${secs.toFixed(1)} s ` +
            `(${Math.round(res.complaints / secs).toLocaleString('en')} complaints/s, ${Math.round(rows / secs).toLocaleString('en')} rows/s)`,
        );
      }
      state = await setPhase(sql, 'indexes');
    }
    const loadMs = performance.now() - tLoad;

    // ---------------------------------------------------------- phase 3: indexes, one transaction each
    const tIdx = performance.now();
    if (state.phase === 'indexes') {
      for (const i of state.indexes) {
        const [{ exists }] = await sql<{ exists: boolean }[]>`
          select exists (select 1 from pg_class where relname = ${i.name} and relnamespace = 'public'::regnamespace) as exists`;
        if (exists) continue; // built before the run was cancelled
        const ti = performance.now();
        await sql.begin(async (tx) => {
          await settings(tx);
          await tx.unsafe(i.def);
        });
        console.log(`  index ${i.name}: ${((performance.now() - ti) / 1000).toFixed(1)} s`);
      }
      state = await setPhase(sql, 'rollups');
    }
    const indexMs = performance.now() - tIdx;

    // ---------------------------------------------------------- phase 4: the rollups
    // Issue 25: the load bypassed the statistics rollup's triggers (session_replication_role = replica): recount.
    const tRoll = performance.now();
    if (state.phase === 'rollups') {
      await sql.begin(async (tx) => {
        await settings(tx);
        await tx.unsafe('select stats_rollup_rebuild()');
        await tx.unsafe('select stats_measures_rebuild()'); // and its measures (assessment, report figures)
        await tx.unsafe('select stats_person_rebuild()'); // and by person (assessment by PERSON)
        await tx.unsafe(`update ${PROGRESS} set phase = 'vacuum', updated_at = now()`);
      });
      state = (await readProgress(sql))!;
      console.log(
        `  statistics rollups rebuilt: ${((performance.now() - tRoll) / 1000).toFixed(1)} s`,
      );
    }
    const rollMs = performance.now() - tRoll;

    // ---------------------------------------------------------- phase 5: vacuum, check, done
    const tVac = performance.now();
    for (const t of [
      ...TABLES,
      'org_units',
      'users',
      'role_grants',
      'complaint_counts',
      'complaint_status_counts',
      'complaint_month_counts',
      'complaint_status_month_counts',
      'complaint_dim_month_counts',
      'complaint_measure_counts',
      'complaint_clock_counts',
    ])
      await sql.unsafe(`vacuum (analyze) ${t}`);
    const vacMs = performance.now() - tVac;
    // The grams written by the load are what the trigger would have written: checked on a sample of pages.
    const [check] = await sql.unsafe<{ n: number; wrong: number }[]>(`
      select count(*)::int as n, count(*) filter (where search_grams is distinct from
        search_grams(number || ' ') || search_grams(' ' || title || ' ' || description))::int as wrong
      from complaints tablesample system (${Math.min(100, (100 * 20_000) / ROWS).toFixed(4)}) repeatable (1)`);
    console.log(
      `  search grams checked on ${check!.n.toLocaleString('en')} sampled complaints: ${check!.wrong} differ from the trigger's`,
    );
    if (check!.wrong > 0)
      throw new Error('the generated search grams differ from what the trigger computes');
    await sql.unsafe(`drop table ${PROGRESS}`);

    const run = totals; // loaded by this run (all of it unless resumed)
    totals = (
      await sql<{ complaints: number; events: number; clocks: number }[]>`
        select (select count(*) from complaints)::int as complaints, (select count(*) from complaint_events)::int as events,
          (select count(*) from sla_clocks)::int as clocks`
    )[0]!;
    const all = run.complaints + run.events + run.clocks;
    const sizes = await sql<{ t: string; size: string }[]>`
      select t, pg_size_pretty(pg_total_relation_size(t::regclass)) as size from unnest(${TABLES}::text[]) t`;
    const mix = await sql<
      { status: string; n: number }[]
    >`select status::text, count(*)::int as n from complaints group by 1 order by 2 desc`;
    console.log(
      `\nloaded ${totals.complaints.toLocaleString('en')} complaints, ${totals.events.toLocaleString('en')} events, ${totals.clocks.toLocaleString('en')} clocks`,
    );
    console.log(
      `  load ${(loadMs / 1000).toFixed(1)} s (${run.complaints.toLocaleString('en')} complaints in this run): ${Math.round(run.complaints / (loadMs / 1000)).toLocaleString('en')} complaints/s, ${Math.round(all / (loadMs / 1000)).toLocaleString('en')} rows/s`,
    );
    console.log(
      `  index rebuild ${(indexMs / 1000).toFixed(1)} s, rollups ${(rollMs / 1000).toFixed(1)} s, vacuum analyze ${(vacMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `  total with indexes: ${Math.round(all / ((loadMs + indexMs) / 1000)).toLocaleString('en')} rows/s; wall ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    console.log(`  sizes: ${sizes.map((s) => `${s.t} ${s.size}`).join(', ')}`);
    console.log(
      `  status mix: ${mix.map((m) => `${m.status} ${((100 * m.n) / totals.complaints).toFixed(1)} %`).join(', ')}`,
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
