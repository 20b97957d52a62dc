// P6 writes (issue 25): registrations and transitions per second through the
// API against pgbench's TPC-B on the same PostgreSQL, in the same run.
//
//   BENCH_DATABASE_URL=postgres://ci:ci@127.0.0.1:55432/ci npm run bench:writes
//
// BENCH_DATABASE_URL names a PostgreSQL and a database to connect to first
// (as a superuser, or a role that may CREATE DATABASE). The script:
//  1. creates a fresh database `writes_<time>`, migrates it, seeds the demo
//     organisation (demo/org.ts) and CASES (20,000) complaints through
//     bench/generate.mts (a child process), then runs one SLA scan so that the
//     server's first tick finds nothing due;
//  2. counts the SQL statements of one registration, one accept and one
//     dispatch (Database.statements, in-process, the same code the server runs);
//  3. starts the server (src/server/main.ts) as a child process with
//     NODE_ENV=production and the staff rate limit lifted, logs in two
//     acceptance agents through the API;
//  4. creates `pgbench_<time>` and runs `pgbench -i -s 10` into it;
//  5. for each client count (CLIENTS, default 1,8,16,32), back to back:
//     registerComplaint for DURATION seconds (10), acceptComplaint on cases
//     registered by the run, dispatchComplaint on the accepted ones, then
//     `pgbench -c N -j 2 -T DURATION` — so each ratio compares figures taken
//     seconds apart on the same machine;
//  6. checks D5 on what the run registered (numbers unique, and within the
//     province and day in the order of their REGISTER events), prints the
//     table, writes bench/results/writes-<time>.json and drops both databases
//     (KEEP=1 keeps them).
//
// Knobs: CLIENTS (1,8,16,32), DURATION (10 s), CASES (20000), POOL (the
// server's DATABASE_POOL_MAX, 10 as deployed), PGBENCH (path, default
// /usr/lib/postgresql/15/bin/pgbench), SCALE (10), PORT (4590), KEEP=1,
// OUT (results file), SKIP_PGBENCH=1, INSTANCES (1: server processes on PORT,
// PORT+1, …, each with its own pool; the clients are dealt among them),
// SERVER_NODE_ARGS (Node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// ABLATE=grams,trigrams,rollups (an experiment: drop the search indexes or disable the rollup triggers
// in the bench's database before the run, to see what each costs the database per write).

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { systemClock } from '../src/config/clock.js';
import { testConfig } from '../src/config/index.js';
import { openPostgres, rowsOf } from '../src/db/client.js';
import { loadPlugins } from '../src/domain/lines.js';
import type { Services } from '../src/graphql/context.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { createApp } from '../src/server/app.js';
import { scanAll } from '../src/sla/scanner.js';
import {
  ACCEPT,
  acceptVars,
  type Client,
  checkCaseNumbers,
  DISPATCH,
  dispatchVars as dispatchTo,
  client as httpClient,
  REGISTER,
  registerInput,
} from './load.mjs';

const BASE = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const CLIENTS = (process.env.CLIENTS ?? '1,8,16,32').split(',').map(Number);
const DURATION = Number(process.env.DURATION ?? 10);
const CASES = Number(process.env.CASES ?? 20_000);
const POOL = Number(process.env.POOL ?? 10);
const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';
const SCALE = Number(process.env.SCALE ?? 10);
const PORT = Number(process.env.PORT ?? 4590);
const INSTANCES = Number(process.env.INSTANCES ?? 1);
/** Extra Node flags for the server processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
/**
 * ABLATE=part,part…: parts of the write path taken away from the bench's database before the run, to
 * measure what each costs the database (the answers this gives up are the point of each part).
 */
const ABLATIONS: Record<string, string[]> = {
  grams: ['drop index complaints_search_grams_idx'],
  trigrams: ['drop index complaints_search_trgm_idx'],
  rollups: ['complaints', 'sla_clocks', 'callbacks'].map(
    (t) => `alter table ${t} disable trigger user`,
  ),
};
const ABLATE = (process.env.ABLATE ?? '').split(',').filter(Boolean);
for (const part of ABLATE)
  if (!ABLATIONS[part])
    throw new Error(`ABLATE: unknown part ${part} (${Object.keys(ABLATIONS).join(', ')})`);
/** Set in main once connected: the local postmaster, whose processes' CPU is counted per phase. */
let POSTMASTER = NaN;
const SERVER_NODE_ARGS = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const JWT_SECRET = 'bench-writes-secret-bench-writes-secret';
const ADMIN = { username: 'admin', password: 'admin-bench-password' };
const DEMO_PASSWORD = 'demo-password';

if (!BASE || !/^postgres(ql)?:\/\//.test(BASE)) {
  console.error(
    'bench/writes.mts needs BENCH_DATABASE_URL=postgres://user:pass@host:port/db (a role that may create databases)',
  );
  process.exit(2);
}

const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\..*/, '')
  .replace('T', '_')
  .toLowerCase();
const urlFor = (db: string) => {
  const u = new URL(BASE!);
  u.pathname = `/${db}`;
  return u.toString();
};
const APP_DB = `writes_${stamp}`;
const PGB_DB = `pgbench_${stamp}`;
const APP_URL = urlFor(APP_DB);
const PGB_URL = urlFor(PGB_DB);

type Timing = {
  n: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  serverCpu: number;
  /** The server processes' CPU per request, in ms. */
  serverMsPerOp?: number;
  /** The PostgreSQL server's CPU per request (every process of it), in ms: NaN if it is not local. */
  dbMsPerOp?: number;
  statements?: number;
};

const pct = (s: number[], p: number) =>
  s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : NaN;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

// ---------------------------------------------------------------- HTTP client (bench/load.mts)

const client = (token: string, port = PORT): Client =>
  httpClient(token, `http://127.0.0.1:${port}/graphql`);

/** CPU seconds (user + system) of a process so far, from /proc. */
function cpuSeconds(pid: number | number[]): number {
  if (Array.isArray(pid)) return pid.reduce((sum, p) => sum + cpuSeconds(p), 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks / 100; // CLK_TCK is 100 on Linux
}

/**
 * CPU seconds spent by a local PostgreSQL: the postmaster, its live children (backends, WAL writer,
 * checkpointer…) and, through the postmaster's cutime/cstime, the children it has reaped (pgbench's
 * backends after their run). NaN when the server is not on this machine or /proc is unreadable.
 */
function postgresCpuSeconds(postmaster: number): number {
  if (!Number.isFinite(postmaster)) return NaN;
  try {
    const fields = (pid: number | string) => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    };
    const own = fields(postmaster);
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = fields(entry);
        if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // the process ended between the listing and the read: the postmaster's cutime has it
      }
    }
    return ticks / 100;
  } catch {
    return NaN;
  }
}

/** The postmaster's pid, from the parent of our own backend (NaN if PostgreSQL is elsewhere). */
async function postmasterPid(sql: postgres.Sql): Promise<number> {
  const backend = (await sql`select pg_backend_pid() as pid`)[0]!.pid as number;
  try {
    const stat = readFileSync(`/proc/${backend}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------- the operations

type Op = {
  name: string;
  query: string;
  /** The variables of the next call, or null when there is nothing left to work on. */
  next: () => Record<string, unknown> | null;
  /** What a success gives back for the next stage. */
  done?: (data: Record<string, unknown>) => void;
  field: string;
};

/** N clients calling `op` back to back for DURATION seconds (or until its work runs out). */
async function run(op: Op, clients: Client[], n: number, serverPid: number[]) {
  for (const c of clients) c.reset();
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let ranOut = false;
  const cpu0 = cpuSeconds(serverPid);
  const db0 = postgresCpuSeconds(POSTMASTER);
  const t0 = performance.now();
  const end = t0 + DURATION * 1000;
  await Promise.all(
    clients.slice(0, n).map(async (call) => {
      while (performance.now() < end) {
        const vars = op.next();
        if (!vars) {
          ranOut = true;
          return;
        }
        const t = performance.now();
        const res = await call(op.query, vars);
        const ms = performance.now() - t;
        let ok = false;
        try {
          const body = JSON.parse(res.body) as {
            data?: Record<string, { userErrors: unknown[] } & Record<string, unknown>>;
            errors?: unknown;
          };
          const payload = body.data?.[op.field];
          ok = res.status === 200 && !body.errors && !!payload && payload.userErrors.length === 0;
          if (ok) op.done?.(payload!);
        } catch {
          ok = false;
        }
        if (ok) latencies.push(ms);
        else {
          errors++;
          firstError ??= res.body.slice(0, 300);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(serverPid) - cpu0;
  const db = postgresCpuSeconds(POSTMASTER) - db0;
  latencies.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  const t: Timing & { ranOut: boolean; firstError: string | null; seconds: number } = {
    n: latencies.length,
    perSecond: r(latencies.length / seconds),
    p50: r(pct(latencies, 0.5)),
    p99: r(pct(latencies, 0.99)),
    errors,
    serverCpu: Math.round((cpu / seconds) * 100),
    serverMsPerOp: r((cpu * 1000) / Math.max(1, latencies.length + errors)),
    dbMsPerOp: r((db * 1000) / Math.max(1, latencies.length + errors)),
    ranOut,
    firstError,
    seconds: r(seconds),
  };
  return t;
}

function pgbench(clients: number): { tps: number; latencyMs: number; dbMsPerTxn: number } {
  const db0 = postgresCpuSeconds(POSTMASTER);
  const out = execFileSync(
    PGBENCH,
    [
      '-c',
      String(clients),
      '-j',
      String(Math.min(2, clients)),
      '-T',
      String(DURATION),
      '-n',
      PGB_URL,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tps = Number(
    out.match(
      /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/,
    )?.[1] ?? out.match(/tps = ([\d.]+)/)?.[1],
  );
  const latencyMs = Number(out.match(/latency average = ([\d.]+) ms/)?.[1]);
  const db = postgresCpuSeconds(POSTMASTER) - db0;
  const txns = Number(out.match(/number of transactions actually processed: (\d+)/)?.[1]);
  return { tps, latencyMs, dbMsPerTxn: Math.round(((db * 1000) / txns) * 100) / 100 };
}

// ---------------------------------------------------------------- main

async function main() {
  const tStart = performance.now();
  const admin = postgres(BASE!, { max: 1, onnotice: () => {} });
  POSTMASTER = await postmasterPid(admin);
  const servers: ChildProcess[] = [];
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    duration: DURATION,
    pool: POOL,
    instances: INSTANCES,
    levels: [] as unknown[],
  };
  try {
    const version = (await admin`show server_version`)[0]!.server_version as string;
    const settings = await admin<{ name: string; setting: string; unit: string | null }[]>`
      select name, setting, unit from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_connections') order by name`;
    results.postgres = {
      version,
      settings: Object.fromEntries(
        settings.map((s) => [s.name, s.setting + (s.unit ? ` ${s.unit}` : '')]),
      ),
    };
    console.log(`Writes benchmark (P6) — ${new Date().toISOString()}`);
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}; load average ${load()}`,
    );
    console.log(
      `PostgreSQL ${version}: ${settings.map((s) => `${s.name}=${s.setting}${s.unit ? s.unit : ''}`).join(', ')}`,
    );
    console.log(
      `databases ${APP_DB} and ${PGB_DB}; ${DURATION} s per phase; clients ${CLIENTS.join(', ')}; server pool ${POOL}\n`,
    );

    // ---------------------------------------------------------- 1. data
    await admin.unsafe(`create database ${APP_DB}`);
    let t = performance.now();
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/generate.mts'], {
      env: {
        ...process.env,
        DATABASE_URL: APP_URL,
        ROWS: String(CASES),
        BATCH: String(Math.min(CASES, 100_000)),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const database = await openPostgres(APP_URL, { max: 4 });
    await scanAll(database.db, new Date()); // what the generated clocks owe is alerted now, not during the run
    console.log(
      `seeded ${CASES.toLocaleString('en')} complaints (bench/generate.mts) and scanned their clocks in ${((performance.now() - t) / 1000).toFixed(0)} s`,
    );
    for (const part of ABLATE) {
      // An experiment, never a configuration: what the database spends on each part, by taking it away.
      for (const statement of ABLATIONS[part]!) await database.db.execute(sql.raw(statement));
      console.log(`ablated ${part} (bench only: the figures below are NOT the platform's)`);
    }
    results.ablated = ABLATE;

    // ---------------------------------------------------------- 2. statements per operation
    const lines = await loadPlugins();
    const config = testConfig({
      databaseUrl: APP_URL,
      production: true,
      jwtSecret: JWT_SECRET,
      staffRate: { perSecond: 1e9, burst: 1e9 },
    });
    const services: Services = { config, clock: systemClock, database, db: database.db, lines };
    const app = createApp(services);
    const inProcess = async (
      token: string | null,
      query: string,
      variables: Record<string, unknown>,
    ) => {
      const res = await app.yoga.fetch('http://bench/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return JSON.parse(await res.text()) as {
        data: Record<string, Record<string, unknown>>;
        errors?: unknown;
      };
    };
    const login = async (call: typeof inProcess, username: string) => {
      const r = await call(
        null,
        `mutation L($u: String!, $p: String!) { login(username: $u, password: $p) { token userErrors { message } } }`,
        { u: username, p: DEMO_PASSWORD },
      );
      const token = r.data?.login?.token as string | undefined;
      if (!token) throw new Error(`login ${username}: ${JSON.stringify(r)}`);
      return token;
    };
    const cities = rowsOf<{ id: string }>(
      await database.db.execute(
        sql`select id from org_units where code in ('GD-GZ', 'GD-SZ', 'GD-FS')`,
      ),
    ).map((u) => toGlobalId('OrgUnit', u.id));
    const dispatchVars = (id: string, i: number) =>
      dispatchTo(id, cities[i % cities.length]!, new Date(Date.now() + 3 * 86_400_000));
    {
      const token = await login(inProcess, 'gd.agent');
      const count = async (query: string, variables: Record<string, unknown>, field: string) => {
        const before = database.statements.count;
        const r = await inProcess(token, query, variables);
        const p = r.data?.[field] as
          | { userErrors: unknown[]; complaint: { id: string } }
          | undefined;
        if (!p || p.userErrors.length) throw new Error(`${field}: ${JSON.stringify(r)}`);
        return { statements: database.statements.count - before, id: p.complaint.id };
      };
      // A first case warms the viewer's and the operations' first statements; the second is counted.
      const warm = await count(REGISTER, registerInput(), 'registerComplaint');
      const reg = await count(REGISTER, registerInput(), 'registerComplaint');
      await count(ACCEPT, acceptVars(warm.id), 'acceptComplaint');
      const acc = await count(ACCEPT, acceptVars(reg.id), 'acceptComplaint');
      await count(DISPATCH, dispatchVars(warm.id, 0), 'dispatchComplaint');
      const dis = await count(DISPATCH, dispatchVars(reg.id, 1), 'dispatchComplaint');
      results.statements = {
        register: reg.statements,
        accept: acc.statements,
        dispatch: dis.statements,
      };
      console.log(
        `SQL statements per request (identify the viewer included): register ${reg.statements}, accept ${acc.statements}, dispatch ${dis.statements}`,
      );
    }
    await database.close();

    // ---------------------------------------------------------- 3. the server
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: APP_URL,
      DATABASE_POOL_MAX: String(POOL),
      JWT_SECRET,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      STAFF_RATE_PER_SECOND: '1000000000',
      STAFF_RATE_BURST: '1000000000',
      SLA_SCAN_INTERVAL_MS: '3600000',
      // The scheduled chain verification (issue 26) would start a minute in, verifying every case while the
      // phases run: a nightly job, not part of a write's cost.
      CHAIN_VERIFY_INTERVAL_HOURS: '0',
      SEED_DEMO: '0',
    };
    for (let k = 0; k < INSTANCES; k++) {
      servers.push(
        spawn(process.execPath, [...SERVER_NODE_ARGS, '--import', 'tsx', 'src/server/main.ts'], {
          env: { ...env, PORT: String(PORT + k) },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
    }
    const pid = servers.map((x) => x.pid!);
    for (const [k, server] of servers.entries()) {
      for (let i = 0; ; i++) {
        const ok = await new Promise<boolean>((resolve) => {
          const req = request({ host: '127.0.0.1', port: PORT + k, path: '/readyz' }, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
          });
          req.on('error', () => resolve(false));
          req.end();
        });
        if (ok) break;
        if (i > 300 || server.exitCode !== null) throw new Error('the server did not become ready');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const viaHttp = async (
      token: string | null,
      query: string,
      variables: Record<string, unknown>,
    ) => {
      const res = await client(token ?? '')(query, variables);
      return JSON.parse(res.body) as { data: Record<string, Record<string, unknown>> };
    };
    const tokens = [
      await login(viaHttp as typeof inProcess, 'gd.agent'),
      await login(viaHttp as typeof inProcess, 'gd.agent2'),
    ];
    const maxClients = Math.max(...CLIENTS);
    const clients = Array.from({ length: maxClients }, (_, i) =>
      client(tokens[i % tokens.length]!, PORT + (i % INSTANCES)),
    ); // dealt among the instances
    console.log(
      `${INSTANCES} server process(es), pid ${pid.join(', ')}, ready (NODE_ENV=production, staff rate limit lifted); load average ${load()}`,
    );

    // ---------------------------------------------------------- 4. pgbench's database
    if (process.env.SKIP_PGBENCH !== '1') {
      await admin.unsafe(`create database ${PGB_DB}`);
      t = performance.now();
      execFileSync(PGBENCH, ['-i', '-s', String(SCALE), '-q', PGB_URL], {
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      console.log(`pgbench -i -s ${SCALE} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }

    // ---------------------------------------------------------- 5. the runs
    const registered: string[] = [];
    const accepted: string[] = [];
    let dispatchSeq = 0;
    const registerOp: Op = {
      name: 'register',
      query: REGISTER,
      field: 'registerComplaint',
      next: registerInput,
      done: (p) => registered.push((p.complaint as { id: string }).id),
    };
    const acceptOp: Op = {
      name: 'accept',
      query: ACCEPT,
      field: 'acceptComplaint',
      next: () => {
        const id = registered.shift();
        return id ? acceptVars(id) : null;
      },
      done: (p) => accepted.push((p.complaint as { id: string }).id),
    };
    const dispatchOp: Op = {
      name: 'dispatch',
      query: DISPATCH,
      field: 'dispatchComplaint',
      next: () => {
        const id = accepted.shift();
        return id ? dispatchVars(id, dispatchSeq++) : null;
      },
    };
    // Warm the server (JIT, prepared statements on its connections) with a few seconds of each.
    {
      const endAt = performance.now() + Math.min(3, DURATION) * 1000;
      await Promise.all(
        clients.slice(0, 8).map(async (call) => {
          while (performance.now() < endAt) {
            const r = JSON.parse((await call(REGISTER, registerInput())).body);
            const id = r.data.registerComplaint.complaint.id;
            await call(ACCEPT, acceptVars(id));
            await call(DISPATCH, dispatchVars(id, 0));
          }
        }),
      );
    }

    console.log(
      '\n| clients | operation | per second | p50 ms | p99 ms | server CPU (% of a core, all instances) | server CPU ms / op | PostgreSQL CPU ms / op | errors | pgbench TPC-B tps | PostgreSQL CPU ms / TPC-B | ratio | PostgreSQL-side ratio |',
    );
    console.log(
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    let lastAcceptRate = 0;
    for (const n of CLIENTS) {
      const level: Record<string, unknown> = { clients: n, loadBefore: loadavg() };
      const ops: Record<string, Awaited<ReturnType<typeof run>>> = {};
      ops.register = await run(registerOp, clients, n, pid);
      // Enough RECEIVED cases for the transitions: top up, untimed, if the registrations were fewer than needed.
      const want = Math.max(
        Math.ceil(ops.register.perSecond * DURATION * 4),
        Math.ceil(lastAcceptRate * DURATION * 1.5),
      );
      if (registered.length < want) {
        await Promise.all(
          clients.slice(0, Math.max(8, n)).map(async (call) => {
            while (registered.length < want) {
              const r = JSON.parse((await call(REGISTER, registerInput())).body);
              registered.push(r.data.registerComplaint.complaint.id);
            }
          }),
        );
      }
      ops.accept = await run(acceptOp, clients, n, pid);
      lastAcceptRate = Math.max(lastAcceptRate, ops.accept.perSecond);
      ops.dispatch = await run(dispatchOp, clients, n, pid);
      registered.length = 0; // each level starts from its own registrations
      accepted.length = 0;
      for (const c of clients) c.reset();
      const pg =
        process.env.SKIP_PGBENCH === '1'
          ? { tps: NaN, latencyMs: NaN, dbMsPerTxn: NaN }
          : pgbench(n);
      level.ops = ops;
      level.pgbench = pg;
      level.loadAfter = loadavg();
      (results.levels as unknown[]).push(level);
      for (const [name, o] of Object.entries(ops)) {
        const ratio = o.perSecond / pg.tps;
        // What the database alone could sustain, as a share of TPC-B: its CPU per TPC-B transaction over its CPU
        // per operation (the API servers scale out; the primary does not).
        const dbRatio = pg.dbMsPerTxn / o.dbMsPerOp!;
        console.log(
          `| ${n} | ${name} | ${o.perSecond.toFixed(1)} | ${o.p50.toFixed(1)} | ${o.p99.toFixed(1)} | ${o.serverCpu} | ${o.serverMsPerOp} | ${o.dbMsPerOp} | ${o.errors}${o.ranOut ? ' (ran out of cases)' : ''} | ${pg.tps.toFixed(0)} | ${pg.dbMsPerTxn} | ${ratio.toFixed(3)} | ${dbRatio.toFixed(3)} |`,
        );
        if (o.firstError) console.log(`|   | first error: ${o.firstError.replace(/\|/g, '/')} |`);
      }
      console.log(`|   | load average after: ${load()} |`);
    }

    // ---------------------------------------------------------- 6. D5 on what was registered
    const check = postgres(APP_URL, { max: 1, onnotice: () => {} });
    try {
      const d5 = await checkCaseNumbers(check);
      results.d5 = d5;
      console.log(
        `\nD5 over the ${d5!.cases.toLocaleString('en')} cases the run registered: ${d5!.distinct === d5!.cases ? 'numbers unique' : `${d5!.cases - d5!.distinct} DUPLICATES`}, ` +
          `${d5!.disordered === 0 ? 'in the order of their REGISTER events' : `${d5!.disordered} OUT OF ORDER`}, ${d5!.gaps} gaps`,
      );
    } finally {
      await check.end();
    }
    results.loadAfter = loadavg();
    const out = process.env.OUT ?? `bench/results/writes-${stamp}.json`;
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${out}; ${((performance.now() - tStart) / 1000).toFixed(0)} s`);
  } finally {
    for (const server of servers) {
      if (server.exitCode !== null) continue;
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    if (process.env.KEEP !== '1') {
      await admin.unsafe(`drop database if exists ${APP_DB} with (force)`);
      await admin.unsafe(`drop database if exists ${PGB_DB} with (force)`);
    } else console.log(`kept ${APP_URL} and ${PGB_URL}`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
