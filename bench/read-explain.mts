/**
 * Read-side query plans: seeds ROWS complaints (default 200,000) with bulk
 * SQL over a realistic organisation, runs ANALYZE, and prints
 * EXPLAIN (ANALYZE, BUFFERS) for the portal list and its count — the
 * default list of a county handler and of a province agent, and each filter
 * — built by the real code (src/auth/sql.ts for the viewer's rules,
 * src/domain/complaint-list.ts for filters, order, keyset page and count),
 * then says whether each plan is index-backed.
 *
 *   npm run bench:read                                  # PGlite, in memory
 *   DATABASE_URL=postgres://u:p@host/db npm run bench:read   # PostgreSQL: a fresh
 *       database is created next to the one named and dropped afterwards (KEEP=1 keeps it)
 *   ROWS=50000 npm run bench:read
 *   CTYPE=C.utf8 DATABASE_URL=… npm run bench:read    # the fresh database with that LC_CTYPE
 *
 * The statements are captured from drizzle's logger while the real
 * functions run, then re-sent with the EXPLAIN prefix and the same
 * parameters, so the plans are those of the application's own SQL.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { and, eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { defineAbilityFor } from '../src/auth/abilities.js';
import { complaintsWhere } from '../src/auth/sql.js';
import { loadStaffViewer, type StaffViewer } from '../src/auth/viewer.js';
import { type Db, PGLITE_EXTENSIONS } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import * as schema from '../src/db/schema.js';
import { users } from '../src/db/schema.js';
import {
  type ComplaintFilter,
  countComplaints,
  filterWhere,
  listComplaints,
  type Order,
} from '../src/domain/complaint-list.js';
import {
  createOrgUnit,
  createUser,
  ensureBootstrapAdmin,
  type OrgUnit,
} from '../src/domain/org.js';

const ROWS = Number(process.env.ROWS ?? 200_000);
const NOW = new Date('2026-11-23T10:00:00+08:00');
const PHONE = '13812345678';

// ---------------------------------------------------------------- database

type Captured = { sql: string; params: unknown[] };
type Raw = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const captured: Captured[] = [];
const logger = {
  logQuery: (q: string, params: unknown[]) => void captured.push({ sql: q, params }),
};

async function open(): Promise<{
  kind: string;
  db: Db;
  raw: Raw;
  version: string;
  close(): Promise<void>;
}> {
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    const pg = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
    await pg.exec(`SET TIME ZONE 'Asia/Shanghai'`);
    const db = drizzlePglite(pg, { schema, logger }) as unknown as Db;
    await migrate({ kind: 'pglite', db } as never);
    const raw: Raw = async (text, params) =>
      (await pg.query<Record<string, unknown>>(text, params as never[])).rows;
    const [v] = await raw('show server_version');
    return {
      kind: 'pglite',
      db,
      raw,
      version: `PGlite ${String(v!.server_version)}`,
      close: () => pg.close(),
    };
  }
  const name = `read_bench_${randomBytes(4).toString('hex')}`;
  const boot = postgres(admin, { max: 1, onnotice: () => {} });
  // CTYPE=C.utf8 (say) makes pg_trgm see CJK characters; under LC_CTYPE C it extracts no trigram from them.
  const ctype = process.env.CTYPE;
  if (ctype && !/^[\w.@-]+$/.test(ctype)) throw new Error(`CTYPE ${ctype}: not a locale name`);
  await boot.unsafe(
    ctype
      ? `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE '${ctype}'`
      : `CREATE DATABASE ${name}`,
  );
  await boot.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), {
    max: 4,
    onnotice: () => {},
    connection: { TimeZone: 'Asia/Shanghai' },
  });
  const db = drizzlePostgres(client, { schema, logger }) as unknown as Db;
  await migrate({ kind: 'postgres', db } as never, url.toString());
  const raw: Raw = async (text, params) =>
    (await client.unsafe(text, params as never[])) as unknown as Record<string, unknown>[];
  const [v] = await raw(
    `select current_setting('server_version') || ', lc_ctype ' || current_setting('lc_ctype') as server_version`,
  );
  return {
    kind: 'postgres',
    db,
    raw,
    version: `PostgreSQL ${String(v!.server_version)}`,
    async close() {
      await client.end({ timeout: 5 });
      if (process.env.KEEP) return console.log(`kept database ${name}`);
      const s = postgres(admin, { max: 1, onnotice: () => {} });
      await s.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await s.end();
    },
  };
}

// ---------------------------------------------------------------- organisation

/** GD: 10 cities × 5 counties and a centre; ZJ: 5 cities × 4 counties. */
async function organisation(db: Db) {
  await ensureBootstrapAdmin(db, 'admin', 'bench-admin-password');
  const [adminRow] = await db.select().from(users).where(eq(users.username, 'admin'));
  const ability = defineAbilityFor((await loadStaffViewer(db, adminRow!.id, null))!);
  const units: Record<string, OrgUnit> = {};
  const add = async (code: string, level: OrgUnit['level'], parent?: string) => {
    units[code] = await createOrgUnit(db, ability, {
      parentId: parent ? units[parent]!.id : null,
      level,
      code,
      name: `Unit ${code}`,
    });
  };
  for (const [p, cities, counties] of [
    ['GD', 10, 5],
    ['ZJ', 5, 4],
  ] as const) {
    await add(p, 'PROVINCE');
    if (p === 'GD') await add('GD-BC', 'CENTER', 'GD');
    for (let c = 1; c <= cities; c++) {
      const city = `${p}-C${String(c).padStart(2, '0')}`;
      await add(city, 'CITY', p);
      for (let k = 1; k <= counties; k++) await add(`${city}-K${k}`, 'COUNTY', city);
    }
  }
  const user = async (username: string, role: 'HANDLER' | 'ACCEPTANCE_AGENT', unit: string) => {
    const u = await createUser(db, ability, {
      username,
      password: 'bench-password',
      displayName: username,
      unitId: units[unit]!.id,
      roles: [{ role, unitId: units[unit]!.id }],
    });
    await db.update(users).set({ mustChangePassword: false }).where(eq(users.id, u.id)); // as if they had set their own (D52)
    return (await loadStaffViewer(db, u.id, null))!;
  };
  return {
    units,
    agent: await user('gd.agent', 'ACCEPTANCE_AGENT', 'GD'),
    countyHandler: await user('k.handler', 'HANDLER', 'GD-C03-K2'),
  };
}

// ---------------------------------------------------------------- rows

const TITLES = [
  '宽带频繁断网',
  '手机信号差',
  '话费账单有误',
  '固话杂音严重',
  '套餐资费变更未通知',
  '营业厅服务态度差',
  '携号转网受阻',
  '国际漫游扣费异常',
  '光猫故障报修无人处理',
  '短信被拦截',
];

/**
 * One INSERT … SELECT over generate_series. Each row picks a handling
 * configuration (unit, level, province, dispatch chain → reader units) by
 * weight — 10% still at a province, 5% at the centre, 35% at a city, 50%
 * at a county — and spreads registration over a year, status by age,
 * lines, severities, channels and sources by fixed weights (deterministic:
 * hashint4 of the row number).
 */
async function seed(raw: Raw, org: Awaited<ReturnType<typeof organisation>>) {
  const { units } = org;
  const configs: { unit: OrgUnit; province: string; readers: string[]; weight: number }[] = [];
  const pathIds = (u: OrgUnit) => u.path.split('/').filter(Boolean);
  for (const u of Object.values(units)) {
    const ids = pathIds(u);
    const prov = ids[0]!;
    const scale = prov === units.GD!.id ? 3 : 1; // GD is the busier province
    const weight = { PROVINCE: 50, CENTER: 25, CITY: 7, COUNTY: 4 }[u.level] * scale;
    configs.push({ unit: u, province: prov, readers: ids, weight });
  }
  await raw(
    `create table bench_cfg (n int primary key, unit_id uuid, path text, level org_level, province_id uuid, province_code text, readers uuid[], chain uuid[])`,
  );
  let n = 0;
  for (const c of configs) {
    const provinceCode = Object.values(units).find((u) => u.id === c.province)!.code;
    const chain = c.unit.level === 'PROVINCE' ? [] : pathIds(c.unit).slice(1);
    for (let i = 0; i < c.weight; i++) {
      await raw(`insert into bench_cfg values ($1, $2, $3, $4, $5, $6, $7::uuid[], $8::uuid[])`, [
        n++,
        c.unit.id,
        c.unit.path,
        c.unit.level,
        c.province,
        provinceCode,
        `{${c.readers.join(',')}}`,
        `{${chain.join(',')}}`,
      ]);
    }
  }
  const titles = `array[${TITLES.map((t) => `'${t}'`).join(',')}]`;
  const t0 = Date.now();
  await raw(
    `insert into complaints (number, status, channel, source, business_line, category, severity, title, description,
       customer_name, customer_phone, contact_at, registered_at, first_responder_id, province_id, handling_unit_id,
       handling_path, handling_level, legal_owned, dispatch_chain, reader_units, escalation_level, due_at)
     select
       cfg.province_code || to_char(r.at at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(r.g::text, 7, '0'),
       r.status::complaint_status,
       (array['PHONE','PHONE','PHONE','ONLINE','APP','EMAIL','VISIT','BUSINESS_HALL','LETTER','SOCIAL_MEDIA'])[1 + r.h2 % 10]::channel,
       (case when r.h3 % 100 < 90 then 'CUSTOMER' when r.h3 % 100 < 95 then 'REGULATOR_TRANSFER' when r.h3 % 100 < 98 then 'GROUP_TRANSFER' else 'GOVERNMENT_TRANSFER' end)::source,
       r.line,
       case when r.status = 'RECEIVED' then null else 'NETWORK_TECHNICAL' end,
       case when r.status = 'RECEIVED' then null else (case when r.h4 % 100 < 85 then 'ORDINARY' when r.h4 % 100 < 97 then 'MAJOR' else 'URGENT' end)::severity end,
       (${titles})[1 + r.h5 % ${TITLES.length}] || ' #' || r.g,
       '客户反映：' || (${titles})[1 + r.h6 % ${TITLES.length}] || '，请尽快处理。 Case ' || r.g,
       (array['张','王','李','赵','陈','刘','黄','周'])[1 + r.h2 % 8] || '先生',
       case when r.g % 5000 = 0 then '${PHONE}' else '13' || lpad((r.h7 % 1000000000)::text, 9, '0') end,
       r.at - interval '3 minutes',
       r.at,
       case when r.g % 1000 = 0 then $2::uuid else $1::uuid end,
       cfg.province_id,
       cfg.unit_id,
       cfg.path,
       cfg.level,
       r.h3 % 100 >= 90,
       cfg.chain,
       cfg.readers,
       case when r.h4 % 100 < 2 then 1 else 0 end,
       case when r.status in ('CLOSED','ARCHIVED','REJECTED','WITHDRAWN') then null
            else r.at + ((r.h6 % (20 * 24)) || ' hours')::interval end
     from (
       select g, h1, h2, h3, h4, h5, h6, h7, at,
         case
           when age < 30 then (array['RECEIVED','ACCEPTED','DISPATCHED','INVESTIGATING','INVESTIGATING','PENDING_APPROVAL','PENDING_REVIEW','RESOLVED','REPLIED','CLOSED'])[1 + h4 % 10]
           when age < 90 then (array['INVESTIGATING','REPLIED','CLOSED','CLOSED','CLOSED','ARCHIVED','ARCHIVED','REJECTED','WITHDRAWN','RESOLVED'])[1 + h4 % 10]
           else (array['ARCHIVED','ARCHIVED','ARCHIVED','ARCHIVED','ARCHIVED','ARCHIVED','CLOSED','REJECTED','WITHDRAWN','ARCHIVED'])[1 + h4 % 10]
         end as status,
         (array['mobile','mobile','mobile','mobile','broadband','broadband','broadband','fixed-line','fixed-line','billing-dispute','billing-dispute','billing-dispute','enterprise','interconnection'])[1 + h5 % 14] as line
       from (
         select g,
           abs(hashint4(g)::bigint) as h1, abs(hashint4(g + 1000000007)::bigint) as h2, abs(hashint4(g * 3 + 11)::bigint) as h3,
           abs(hashint4(g * 5 + 13)::bigint) as h4, abs(hashint4(g * 7 + 17)::bigint) as h5, abs(hashint4(g * 11 + 19)::bigint) as h6, abs(hashint4(g * 13 + 23)::bigint) as h7,
           timestamptz '2026-11-23 10:00:00+08' - (abs(hashint4(g * 17 + 29)::bigint) % 31536000000) * interval '1 millisecond' as at,
           (abs(hashint4(g * 17 + 29)::bigint) % 31536000000) / 86400000 as age
         from generate_series(1, ${ROWS}) g
       ) h
     ) r
     join bench_cfg cfg on cfg.n = r.h1 % (select count(*) from bench_cfg)`,
    [org.agent.id, org.countyHandler.id],
  );
  await raw('drop table bench_cfg');
  const seeded = Date.now() - t0;
  const t1 = Date.now();
  await raw('analyze');
  return { seededMs: seeded, analyzeMs: Date.now() - t1 };
}

// ---------------------------------------------------------------- plans

type Plan = {
  name: string;
  kind: 'list' | 'count';
  ms: number;
  rows: number;
  indexes: string[];
  seqScan: boolean;
  text: string;
};

async function explain(
  raw: Raw,
  name: string,
  kind: Plan['kind'],
  run: () => Promise<unknown>,
): Promise<Plan> {
  captured.length = 0;
  await run();
  const stmt = captured.at(-1);
  if (!stmt) throw new Error(`${name}: no statement captured`);
  const rows = await raw(
    `explain (analyze, buffers) ${stmt.sql}`,
    stmt.params.map((p) => (p instanceof Date ? p.toISOString() : p)),
  );
  const text = rows.map((r) => String(Object.values(r)[0])).join('\n');
  const indexes = [
    ...new Set(
      [
        ...text.matchAll(
          /(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)/g,
        ),
      ].map((m) => m[1]!),
    ),
  ];
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN);
  const top = /actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(text);
  return {
    name,
    kind,
    ms,
    rows: Number(top?.[1] ?? NaN),
    indexes,
    seqScan: /Seq Scan on complaints/.test(text),
    text,
  };
}

async function main() {
  const database = await open();
  const { db, raw } = database;
  console.log(
    `# read-side plans: ${ROWS.toLocaleString('en')} complaints on ${database.version}\n`,
  );
  const org = await organisation(db);
  const { seededMs, analyzeMs } = await seed(raw, org);
  const [count] = await raw(
    'select count(*)::int as n, pg_size_pretty(pg_total_relation_size($1)) as size from complaints',
    ['complaints'],
  );
  console.log(
    `seeded ${String(count!.n)} rows in ${seededMs} ms (table + indexes ${String(count!.size)}); ANALYZE ${analyzeMs} ms\n`,
  );

  const units = org.units;
  const scenarios: {
    name: string;
    viewer: StaffViewer;
    filter?: ComplaintFilter;
    order?: Order;
    after?: boolean;
  }[] = [
    { name: 'default list, county handler', viewer: org.countyHandler },
    { name: 'default list, province agent', viewer: org.agent },
    { name: 'default list, province agent, page 2 (keyset)', viewer: org.agent, after: true },
    {
      name: 'status INVESTIGATING, province agent',
      viewer: org.agent,
      filter: { status: ['INVESTIGATING'] },
    },
    {
      name: 'unit subtree GD-C03, province agent',
      viewer: org.agent,
      filter: { unitPath: units['GD-C03']!.path },
    },
    {
      name: 'unit subtree GD-C03-K2, county handler',
      viewer: org.countyHandler,
      filter: { unitPath: units['GD-C03-K2']!.path },
    },
    {
      name: 'overdue + DUE_AT ASC, province agent',
      viewer: org.agent,
      filter: { overdue: true },
      order: { field: 'DUE_AT', direction: 'ASC' },
    },
    {
      name: 'overdue + DUE_AT ASC, county handler',
      viewer: org.countyHandler,
      filter: { overdue: true },
      order: { field: 'DUE_AT', direction: 'ASC' },
    },
    {
      name: 'search "宽带" (2 Chinese chars), province agent',
      viewer: org.agent,
      filter: { search: '宽带' },
    },
    {
      name: 'search "光猫故障报修" (6 Chinese chars), province agent',
      viewer: org.agent,
      filter: { search: '光猫故障报修' },
    },
    {
      name: 'search by case number prefix, province agent',
      viewer: org.agent,
      filter: { search: 'GD20261122' },
    },
    {
      name: 'customerPhone, province agent',
      viewer: org.agent,
      filter: { customerPhone: { phone: PHONE, visible: sql`true` } },
    },
    {
      name: 'SEVERITY DESC, county handler',
      viewer: org.countyHandler,
      order: { field: 'SEVERITY', direction: 'DESC' },
    },
  ];

  const plans: Plan[] = [];
  for (const s of scenarios) {
    const ability = defineAbilityFor(s.viewer);
    const filter = s.filter?.customerPhone
      ? {
          ...s.filter,
          customerPhone: { phone: PHONE, visible: complaintsWhere(ability, 'readPersonalData') },
        }
      : s.filter;
    const where = and(complaintsWhere(ability, 'read'), ...filterWhere(filter, NOW))!;
    const order = s.order ?? { field: 'REGISTERED_AT', direction: 'DESC' };
    let after: string | null = null;
    if (s.after)
      after = (await listComplaints(db, where, order, { first: 20 })).cursors.at(-1) ?? null;
    plans.push(
      await explain(raw, s.name, 'list', () =>
        listComplaints(db, where, order, { first: 20, after }),
      ),
    );
    if (!s.after) plans.push(await explain(raw, s.name, 'count', () => countComplaints(db, where)));
  }

  for (const p of plans) {
    console.log(`## ${p.name} — ${p.kind}\n`);
    console.log(
      p.text
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n'),
    );
    console.log();
  }
  console.log(
    `## Summary (${ROWS.toLocaleString('en')} rows, ${database.version}, ${new Date().toISOString().slice(0, 10)})\n`,
  );
  console.log('| query | what | time (ms) | rows | index-backed | indexes used |');
  console.log('| --- | --- | ---: | ---: | --- | --- |');
  for (const p of plans) {
    const backed = p.seqScan ? 'no (Seq Scan on complaints)' : p.indexes.length ? 'yes' : 'no';
    console.log(
      `| ${p.name} | ${p.kind} | ${p.ms.toFixed(1)} | ${p.rows} | ${backed} | ${p.indexes.join(', ') || '—'} |`,
    );
  }
  await database.close();
}

await main();
