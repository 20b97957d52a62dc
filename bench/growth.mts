// Growth that does not slow the present (issue 25): on a database made by bench/generate.mts
// (10k cases ≈ 29k events, 1M ≈ 2.9M, 10M ≈ 29M), how long the log's appends, a case's timeline
// and the SLA scanner take, and the plans that say whether they grow with the history.
//
//   DATABASE_URL=postgres://bench:bench@127.0.0.1:54329/bench_10k npm run bench:growth
//
// Measures, in this order:
//  1. the sizes (rows, table and index bytes) of complaint_events, complaints and sla_clocks;
//  2. appends through the write paths the API serves: registerComplaint, acceptComplaint and
//     dispatchComplaint as in-process GraphQL mutations (app.yoga.fetch: the resolvers call the
//     domain functions, which append their event with src/events/append.ts), SEQ cases one after
//     the other, then CONC clients × PER cases (register + accept) at once; p50 / p99 each, and
//     the statements of one of each;
//  3. appendEvent alone (a transaction: lock the case's row, read its chain head, appendEvent,
//     commit), APPENDS times on the cases of 2;
//  4. timelines as the API reads them (gd.auditor): `complaint(id) { timeline }` for TL cases and
//     `nodes(ids: 50) { … on Complaint { timeline } }` (the batch loader the list uses, one
//     statement for the 50) for TL_BATCHES pages, of ARCHIVED cases registered ≥ 2.75 years before
//     NOW and of cases registered in the 30 days before NOW; the GraphQL request and the timeline
//     statement alone (replayed with other cases), p50 / p99;
//  5. the SLA scanner at NOW in a transaction that is rolled back (the data is left as it was):
//     one pass (scanOnce: ≤ 500 clocks) with what is due at NOW, its time and statements, and an
//     idle pass (nothing due: the steady-state tick);
//  6. EXPLAIN (ANALYZE, BUFFERS) of the append statement (rolled back), the timeline statement
//     (1 and 50 cases, old and new), the scanner's claim, the outbox reads (the live feed's
//     last position and its read after a position) and the retention claim (src/domain/retention.ts).
// Prints a table, writes bench/results/growth-<rows>-<time>.json (figures and plans).
//
// Writes: the SEQ + CONC × PER cases of 2 stay in the database (registered "now", the real date,
// after the generated data's NOW, so no window ending at NOW counts them; their titles start with
// "growth bench"), with their events and APPENDS BENCH_APPEND events appended by 3. Everything
// else is read, or rolled back.
//
//  4b. the scheduled chain verification (issue 26): verifyChain on VERIFY sampled cases and on the
//     bench's own, and the whole run projected (it verifies every case, in one transaction);
// Knobs: SEQ (100), CONC (8), PER (10), APPENDS (300), TL (200), TL_BATCHES (40), VERIFY (300),
// NOW (2026-11-23T10:00:00+08:00, as generate.mts), OUT (results file), PLANS=0 (no plans printed).

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { signToken } from '../src/auth/tokens.js';
import { systemClock } from '../src/config/clock.js';
import { testConfig } from '../src/config/index.js';
import { openPostgres } from '../src/db/client.js';
import { complaintEvents, complaints } from '../src/db/schema.js';
import { loadPlugins } from '../src/domain/lines.js';
import { anonymiseExpired } from '../src/domain/retention.js';
import { appendEvent, verifyChain } from '../src/events/append.js';
import { idOf, toGlobalId } from '../src/graphql/global-id.js';
import { tableSource } from '../src/live/position-feed.js';
import { createApp } from '../src/server/app.js';
import { scanOnce } from '../src/sla/scanner.js';
import { ACCEPT, acceptVars, DISPATCH, dispatchVars, REGISTER, registerInput } from './load.mjs';

const URL_ = process.env.DATABASE_URL;
const SEQ = Number(process.env.SEQ ?? 100);
const CONC = Number(process.env.CONC ?? 8);
const PER = Number(process.env.PER ?? 10);
const APPENDS = Number(process.env.APPENDS ?? 300);
const TL = Number(process.env.TL ?? 200);
const TL_BATCHES = Number(process.env.TL_BATCHES ?? 40);
const VERIFY = Number(process.env.VERIFY ?? 300);
const NOW = new Date(process.env.NOW ?? '2026-11-23T10:00:00+08:00');
const SHOW_PLANS = process.env.PLANS !== '0';

if (!URL_ || !/^postgres(ql)?:\/\//.test(URL_)) {
  console.error(
    'bench/growth.mts needs DATABASE_URL=postgres://… (a database made by bench/generate.mts)',
  );
  process.exit(2);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : NaN;
};
const summary = (xs: number[]) => ({
  n: xs.length,
  p50: +pct(xs, 0.5).toFixed(2),
  p99: +pct(xs, 0.99).toFixed(2),
  max: +Math.max(...xs).toFixed(2),
});
type Summary = ReturnType<typeof summary>;
const shuffle = <T,>(xs: T[]) => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
};
class Rollback extends Error {}

type Sent = { query: string; params: unknown[] };

/** A plan's cost in a line: the top node's buffers (with any CTE no node scans), execution time, scans. */
function summarise(plan: string) {
  // the top node's buffers (they include its children's) and the execution time: what a plan costs, load aside
  // (a CTE that no node scans, as the append's chain-head update, is not under the top node: added)
  const lines = plan.split('\n');
  const buffersAfter = (i: number) =>
    lines
      .slice(i)
      .find((l) => l.includes('Buffers: shared'))
      ?.match(/shared (.*)/)?.[1] ?? '';
  const scanned = new Set([...plan.matchAll(/CTE Scan on (\w+)/g)].map((m) => m[1]));
  const parts = [buffersAfter(0)];
  lines.forEach((l, i) => {
    const cte = /^\s*CTE (\w+)$/.exec(l)?.[1];
    if (cte && !scanned.has(cte)) parts.push(buffersAfter(i));
  });
  const total: Record<string, number> = {};
  for (const part of parts)
    for (const [, k, v] of part.matchAll(/(\w+)=(\d+)/g)) total[k!] = (total[k!] ?? 0) + Number(v);
  const top = Object.entries(total)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const exec = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
  const scans = [
    ...plan.matchAll(
      /(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan)( Backward)? (?:using (\S+) )?on (\S+)/g,
    ),
  ]
    .map((m) => `${m[1]}${m[2] ?? ''} ${m[3] ?? m[4]}`)
    .filter((x, i, xs) => xs.indexOf(x) === i);
  return { buffers: top, executionMs: exec, scans };
}

async function main() {
  const started = performance.now();
  const database = await openPostgres(URL_!, { max: 12 });
  const db = database.db;
  const pg = postgres(URL_!, {
    max: 2,
    onnotice: () => {},
    connection: { TimeZone: 'Asia/Shanghai', plan_cache_mode: 'force_custom_plan', jit: 'off' },
  });

  // Every statement drizzle sends passes the database's logger (src/db/client.ts): keep them while `capturing`.
  const logger = (
    db as unknown as {
      session: { options: { logger: { logQuery: (q: string, p: unknown[]) => void } } };
    }
  ).session.options.logger;
  const count = logger.logQuery.bind(logger) as (q: string, p: unknown[]) => void;
  let captured: Sent[] | null = null;
  logger.logQuery = (query: string, params: unknown[]) => {
    count(query, params);
    captured?.push({ query, params });
  };
  const capture = async <T,>(f: () => Promise<T>): Promise<{ result: T; sent: Sent[] }> => {
    captured = [];
    try {
      const result = await f();
      return { result, sent: captured };
    } finally {
      captured = null;
    }
  };
  const plain = (params: unknown[]) =>
    params.map((p) =>
      p instanceof Date
        ? p.toISOString()
        : p !== null && typeof p === 'object' && !Array.isArray(p)
          ? JSON.stringify(p)
          : p,
    ) as never[];
  const plans: {
    title: string;
    query: string;
    plan: string;
    buffers: string;
    executionMs: number;
    scans: string[];
  }[] = [];
  /** EXPLAIN (ANALYZE, BUFFERS) of a statement as sent; in a transaction rolled back when it writes. */
  const explain = async (title: string, st: Sent, write = false) => {
    const text = `explain (analyze, buffers, costs off) ${st.query}`;
    let rows: Record<string, unknown>[] = [];
    if (write) {
      await pg
        .begin(async (tx) => {
          rows = [...(await tx.unsafe(text, plain(st.params)))];
          throw new Rollback();
        })
        .catch((e) => {
          if (!(e instanceof Rollback)) throw e;
        });
    } else rows = [...(await pg.unsafe(text, plain(st.params)))];
    const plan = rows
      .map((r) => String(r['QUERY PLAN']))
      .join('\n')
      .replace(/\{[0-9a-f-]{36}(,[0-9a-f-]{36})+\}/g, (ids) => `{…${ids.split(',').length} ids}`);
    plans.push({ title, query: st.query, plan, ...summarise(plan) });
    return plan;
  };

  const [{ version }] = await pg<
    { version: string }[]
  >`select current_setting('server_version') as version`;
  console.log(
    `growth bench — ${new Date().toISOString()}; PostgreSQL ${version}; ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );

  // ------------------------------------------------------------ 1. sizes
  const sizes = async () => {
    const rows = await pg<
      { name: string; rows: string; table: string; indexes: string; each: string }[]
    >`
      select c.relname as name, c.reltuples::bigint::text as rows,
        pg_table_size(c.oid)::text as table, pg_indexes_size(c.oid)::text as indexes,
        (select string_agg(i.relname || ' ' || pg_size_pretty(pg_relation_size(i.oid)), ', ' order by i.relname)
           from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid) as each
      from pg_class c where c.relname in ('complaint_events', 'complaints', 'sla_clocks') order by c.relname`;
    const exact = await pg<{ events: string; cases: string; clocks: string; running: string }[]>`
      select (select count(*) from complaint_events)::text as events, (select count(*) from complaints)::text as cases,
        (select count(*) from sla_clocks)::text as clocks,
        (select count(*) from sla_clocks where stopped_at is null)::text as running`;
    const n = exact[0]!;
    const exactOf: Record<string, string> = {
      complaint_events: n.events,
      complaints: n.cases,
      sla_clocks: n.clocks,
    };
    return {
      runningClocks: Number(n.running),
      tables: rows.map((r) => ({
        name: r.name,
        rows: Number(exactOf[r.name]),
        tableBytes: Number(r.table),
        indexBytes: Number(r.indexes),
        indexes: r.each,
      })),
    };
  };
  const before = await sizes();
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  for (const t of before.tables)
    console.log(
      `${t.name}: ${t.rows.toLocaleString('en')} rows, table ${mib(t.tableBytes)}, indexes ${mib(t.indexBytes)} (${t.indexes})`,
    );
  console.log(`running clocks: ${before.runningClocks.toLocaleString('en')}`);
  const cases = before.tables.find((t) => t.name === 'complaints')!.rows;
  const events = before.tables.find((t) => t.name === 'complaint_events')!.rows;

  // ------------------------------------------------------------ 2. appends through the API
  const config = testConfig({
    databaseUrl: URL_!,
    production: true,
    staffRate: { perSecond: 1e9, burst: 1e9 },
  });
  const lines = await loadPlugins();
  const app = createApp({ config, clock: systemClock, database, db, lines });
  const userId = async (username: string) =>
    (await pg<{ id: string }[]>`select id from users where username = ${username}`)[0]!.id;
  const agent = await signToken(config.jwtSecret, await userId('gd.agent'), new Date());
  const auditor = await signToken(config.jwtSecret, await userId('gd.auditor'), new Date());
  const gql = async (token: string, query: string, variables: Record<string, unknown>) => {
    const res = await app.yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = JSON.parse(await res.text()) as {
      data?: Record<string, unknown>;
      errors?: unknown;
    };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data!;
  };
  const mutate = async (query: string, variables: Record<string, unknown>, field: string) => {
    const t = performance.now();
    const data = await gql(agent, query, variables);
    const ms = performance.now() - t;
    const p = data[field] as { userErrors: unknown[]; complaint: { id: string } };
    if (p.userErrors.length) throw new Error(`${field}: ${JSON.stringify(p.userErrors)}`);
    return { ms, id: p.complaint.id };
  };
  const cities = (
    await pg<
      { id: string }[]
    >`select id from org_units where code in ('GD-GZ', 'GD-SZ', 'GD-FS') order by code`
  ).map((u) => toGlobalId('OrgUnit', u.id));
  const deadline = () => new Date(Date.now() + 3 * 86_400_000);
  const title = () => ({ title: `growth bench ${Date.now()}` });

  // warm-up: the viewer's and the operations' first statements
  for (let i = 0; i < 3; i++) {
    const r = await mutate(REGISTER, registerInput(title()), 'registerComplaint');
    await mutate(ACCEPT, acceptVars(r.id), 'acceptComplaint');
    await mutate(DISPATCH, dispatchVars(r.id, cities[i % 3]!, deadline()), 'dispatchComplaint');
  }
  const statementsOf = async (f: () => Promise<unknown>) => {
    const { sent } = await capture(f);
    return sent;
  };
  const seq = { register: [] as number[], accept: [] as number[], dispatch: [] as number[] };
  const mine: string[] = [];
  let perOp: Record<string, Sent[]> = {};
  for (let i = 0; i < SEQ; i++) {
    let r!: { ms: number; id: string };
    const reg = await statementsOf(async () => {
      r = await mutate(REGISTER, registerInput(title()), 'registerComplaint');
    });
    seq.register.push(r.ms);
    const acc = await statementsOf(async () =>
      seq.accept.push((await mutate(ACCEPT, acceptVars(r.id), 'acceptComplaint')).ms),
    );
    const dis = await statementsOf(async () =>
      seq.dispatch.push(
        (
          await mutate(
            DISPATCH,
            dispatchVars(r.id, cities[i % 3]!, deadline()),
            'dispatchComplaint',
          )
        ).ms,
      ),
    );
    if (i === 0) perOp = { register: reg, accept: acc, dispatch: dis };
    mine.push(r.id);
  }
  const conc = { register: [] as number[], accept: [] as number[] };
  const tc = performance.now();
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      for (let i = 0; i < PER; i++) {
        const r = await mutate(REGISTER, registerInput(title()), 'registerComplaint');
        conc.register.push(r.ms);
        conc.accept.push((await mutate(ACCEPT, acceptVars(r.id), 'acceptComplaint')).ms);
        mine.push(r.id);
      }
    }),
  );
  const concSeconds = (performance.now() - tc) / 1000;
  const appends = {
    sequential: {
      register: summary(seq.register),
      accept: summary(seq.accept),
      dispatch: summary(seq.dispatch),
    },
    concurrent: {
      clients: CONC,
      register: summary(conc.register),
      accept: summary(conc.accept),
      casesPerSecond: +((CONC * PER) / concSeconds).toFixed(1),
    },
    statements: Object.fromEntries(Object.entries(perOp).map(([k, v]) => [k, v.length])),
  };
  console.log(
    `appends: ${SEQ} sequential, ${CONC} × ${PER} concurrent; statements per request: ${JSON.stringify(appends.statements)}`,
  );

  // ------------------------------------------------------------ 3. appendEvent alone
  const mineIds = mine.map((g) => idOf(g, 'Complaint')!);
  const appendTx: number[] = [];
  const appendStmt: number[] = [];
  let appendSent: Sent | null = null;
  for (let i = 0; i < APPENDS; i++) {
    const id = mineIds[i % mineIds.length]!;
    const t = performance.now();
    await db.transaction(async (tx) => {
      const [c] = await tx
        .select({ status: complaints.status, head: complaints.lastEventHash })
        .from(complaints)
        .where(eq(complaints.id, id))
        .for('update');
      const ts = performance.now();
      const { sent } = await capture(() =>
        appendEvent(tx, {
          complaintId: id,
          prevHash: c!.head,
          action: 'BENCH_APPEND',
          fromStatus: c!.status,
          toStatus: c!.status,
          actor: null,
          at: new Date(),
          payload: { bench: 'growth', n: i },
        }),
      );
      appendStmt.push(performance.now() - ts);
      appendSent ??= sent[0]!;
    });
    appendTx.push(performance.now() - t);
  }
  const appendEventFigures = { statement: summary(appendStmt), transaction: summary(appendTx) };

  // ------------------------------------------------------------ 4. timelines
  const old = shuffle(
    (
      await pg<{ id: string }[]>`select id from complaints where status = 'ARCHIVED'
        and registered_at < ${NOW.toISOString()}::timestamptz - interval '1000 days'
        order by registered_at limit ${Math.max(TL, 50 * TL_BATCHES) * 2}`
    ).map((r) => r.id),
  );
  const recent = shuffle(
    (
      await pg<{ id: string }[]>`select id from complaints
        where registered_at >= ${NOW.toISOString()}::timestamptz - interval '30 days' and registered_at < ${NOW.toISOString()}::timestamptz
        order by registered_at desc limit ${Math.max(TL, 50 * TL_BATCHES) * 2}`
    ).map((r) => r.id),
  );
  const TIMELINE = `query T($id: ID!) { complaint(id: $id) { id timeline { edges { node { id action at hash } } } } }`;
  const BATCH = `query B($ids: [ID!]!) { nodes(ids: $ids) { ... on Complaint { id timeline { edges { node { id action at hash } } } } } }`;
  const timelineStatement = (sent: Sent[]) => {
    const st = sent.find((s) =>
      /row_number\(\) over \(partition by "complaint_events"/.test(s.query),
    );
    if (!st) throw new Error(`no timeline statement among ${sent.length}`);
    return st;
  };
  const withIds = (st: Sent, ids: string[]) => ({
    query: st.query,
    params: st.params.map((p) =>
      typeof p === 'string' && /^\{[0-9a-f-]{36}/.test(p) ? `{${ids.join(',')}}` : p,
    ),
  });
  const timelines: Record<string, Record<string, Summary | number>> = {};
  for (const [age, ids] of [
    ['old', old],
    ['new', recent],
  ] as const) {
    if (ids.length < 50) {
      console.log(`timelines (${age}): only ${ids.length} cases, skipped`);
      continue;
    }
    const one: number[] = [];
    const oneSql: number[] = [];
    let st1: Sent | null = null;
    let eventsSeen = 0;
    for (let i = 0; i < TL; i++) {
      const id = ids[i % ids.length]!;
      const t = performance.now();
      const { result, sent } = await capture(() =>
        gql(auditor, TIMELINE, { id: toGlobalId('Complaint', id) }),
      );
      one.push(performance.now() - t);
      const c = result.complaint as { timeline: { edges: unknown[] } } | null;
      if (!c) throw new Error(`timeline (${age}): the auditor reads no case ${id}`);
      eventsSeen += c.timeline.edges.length;
      st1 ??= timelineStatement(sent);
    }
    // the statement alone, replayed with other cases (the second half of the sample: not read above)
    for (let i = 0; i < TL; i++) {
      const id = ids[(TL + i) % ids.length]!;
      const t = performance.now();
      await pg.unsafe(st1!.query, plain(withIds(st1!, [id]).params), { prepare: true });
      oneSql.push(performance.now() - t);
    }
    const fifty: number[] = [];
    const fiftySql: number[] = [];
    let st50: Sent | null = null;
    for (let i = 0; i < TL_BATCHES; i++) {
      const page = ids.slice((i * 50) % ids.length, ((i * 50) % ids.length) + 50);
      const t = performance.now();
      const { sent } = await capture(() =>
        gql(auditor, BATCH, { ids: page.map((id) => toGlobalId('Complaint', id)) }),
      );
      fifty.push(performance.now() - t);
      st50 ??= timelineStatement(sent);
    }
    for (let i = 0; i < TL_BATCHES; i++) {
      const from = ((TL_BATCHES + i) * 50) % ids.length;
      const page = ids.slice(from, from + 50);
      const t = performance.now();
      await pg.unsafe(st50!.query, plain(withIds(st50!, page).params), { prepare: true });
      fiftySql.push(performance.now() - t);
    }
    timelines[age] = {
      eventsPerCase: +(eventsSeen / TL).toFixed(2),
      oneGraphql: summary(one),
      oneStatement: summary(oneSql),
      fiftyGraphql: summary(fifty),
      fiftyStatement: summary(fiftySql),
    };
    const other = ids.slice(-50);
    await explain(`timeline of 1 ${age} case (Complaint.timeline)`, withIds(st1!, [other[0]!]));
    await explain(`timelines of 50 ${age} cases (the batch loader)`, withIds(st50!, other));
  }

  // ------------------------------------------------------------ 4b. the scheduled chain verification (issue 26)
  // verifyAllChains runs verifyChain for every case, one after the other, in one transaction
  // (src/events/verify-schedule.ts): time VERIFY sampled cases and project the whole run. The
  // generated events' hashes are placeholders, so their chains break at the first event and skip
  // the head check (one statement instead of two): the bench's own cases are verified in full.
  const sample = shuffle(
    (
      await pg<{ id: string }[]>`select id from complaints tablesample system (1) limit ${VERIFY}`
    ).map((r) => r.id),
  );
  const verifyMs: number[] = [];
  const verifyOwnMs: number[] = [];
  for (const id of sample) {
    const t = performance.now();
    await verifyChain(db, id);
    verifyMs.push(performance.now() - t);
  }
  for (const id of mineIds.slice(0, VERIFY)) {
    const t = performance.now();
    const r = await verifyChain(db, id);
    verifyOwnMs.push(performance.now() - t);
    if (!r.ok) throw new Error(`the bench's own case ${id} does not verify`);
  }
  const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const chainVerification = {
    generated: summary(verifyMs),
    own: summary(verifyOwnMs),
    projectedRunSeconds: +((cases * meanOf(verifyOwnMs)) / 1000).toFixed(0),
  };
  console.log(
    `chain verification: ${JSON.stringify(chainVerification)} (the whole run, one transaction: ${cases.toLocaleString('en')} cases × the mean of a verified case)`,
  );

  // ------------------------------------------------------------ 5. the SLA scanner (rolled back)
  const [{ pending }] = await pg<{ pending: string | null }[]>`
    select least(
      (select min(warn_at) from sla_clocks where stopped_at is null and paused_at is null and not warned),
      (select min(due_at) from sla_clocks where stopped_at is null and paused_at is null and not breached))::text as pending`;
  const idleAt = pending ? new Date(new Date(pending).getTime() - 1) : NOW;
  let scanner: Record<string, unknown> = {};
  let claimSent: Sent | null = null;
  let idleClaimSent: Sent | null = null;
  await db
    .transaction(async (tx) => {
      const s0 = database.statements.count;
      let t = performance.now();
      const busy = await capture(() => scanOnce(tx, NOW));
      const busyMs = performance.now() - t;
      const busyStatements = database.statements.count - s0;
      claimSent = busy.sent.find((s) => /for update skip locked/i.test(s.query)) ?? null;
      const s1 = database.statements.count;
      t = performance.now();
      const idle = await capture(() => scanOnce(tx, idleAt));
      const idleMs = performance.now() - t;
      idleClaimSent = idle.sent.find((s) => /for update skip locked/i.test(s.query)) ?? null;
      scanner = {
        at: NOW.toISOString(),
        busy: { ...busy.result, ms: +busyMs.toFixed(1), statements: busyStatements },
        idle: {
          at: idleAt.toISOString(),
          ...idle.result,
          ms: +idleMs.toFixed(2),
          statements: database.statements.count - s1,
        },
      };
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  if (claimSent) await explain('the SLA scanner’s claim at NOW (scanOnce)', claimSent, true);
  if (idleClaimSent)
    await explain(
      'the SLA scanner’s claim, nothing due (the steady-state tick)',
      idleClaimSent,
      true,
    );

  // ------------------------------------------------------------ 6. the other plans
  // Each statement of one registration, accept and dispatch, replayed in order with EXPLAIN ANALYZE in
  // a transaction rolled back (a replayed statement that fails, e.g. on a key the first run took,
  // ends its operation's replay; the error is recorded).
  const writePlans: Record<
    string,
    { query: string; executionMs: number; scans: string[]; buffers: string }[]
  > = {};
  for (const [op, sent] of Object.entries(perOp)) {
    writePlans[op] = [];
    await pg
      .begin(async (tx) => {
        for (const st of sent) {
          if (/^(begin|commit|rollback|savepoint|release)/i.test(st.query.trim())) continue;
          try {
            await tx.unsafe('savepoint replay');
            const rows = await tx.unsafe(
              `explain (analyze, buffers, costs off) ${st.query}`,
              plain(st.params),
            );
            const plan = rows.map((r) => String(r['QUERY PLAN'])).join('\n');
            plans.push({
              title: `${op}: ${st.query.replace(/\s+/g, ' ').slice(0, 60)}`,
              query: st.query,
              plan,
              ...summarise(plan),
            });
            writePlans[op]!.push({ ...plans.at(-1)!, query: st.query.slice(0, 200) });
          } catch (e) {
            await tx.unsafe('rollback to savepoint replay');
            writePlans[op]!.push({
              query: st.query.slice(0, 200),
              executionMs: NaN,
              scans: [`not replayed: ${(e as Error).message.slice(0, 120)}`],
              buffers: '',
            });
          }
        }
        throw new Rollback();
      })
      .catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
  }
  const seqScans = Object.values(writePlans)
    .flat()
    .filter((w) =>
      w.scans.some((x) =>
        /^Seq Scan (?!(users|org_units|role_grants|partners|calendar_\w+)$)/.test(x),
      ),
    );
  console.log(
    `write statements replayed with EXPLAIN: ${Object.entries(writePlans)
      .map(([op, w]) => `${op} ${w.filter((x) => !Number.isNaN(x.executionMs)).length}/${w.length}`)
      .join(
        ', ',
      )}; with a sequential scan of a table other than users, org_units, role_grants, partners, calendar_*: ${seqScans.map((w) => w.query.slice(0, 80)).join(' | ') || 'none'}`,
  );
  await explain('appendEvent (src/events/append.ts), rolled back', appendSent!, true);
  const source = tableSource('complaint_events', complaintEvents);
  const last = await capture(() => source.last(database));
  await explain('the live feed’s last position (outbox)', last.sent[0]!);
  const after = await capture(() => source.after(database, last.result - 200n, 500));
  await explain(
    'the live feed’s read after a position (outbox, 200 events behind)',
    after.sent[0]!,
  );
  let retentionClaim: Sent | undefined;
  await db
    .transaction(async (tx) => {
      const r = await capture(() => anonymiseExpired(tx, NOW, config.retentionYears, lines, 1));
      retentionClaim = r.sent.find((s) => /for update skip locked/i.test(s.query));
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  if (retentionClaim)
    await explain(
      `retention claim (D15, ended ${config.retentionYears} years before NOW)`,
      retentionClaim,
      true,
    );

  const after_ = await sizes();
  await database.close();
  await pg.end({ timeout: 5 });

  // ------------------------------------------------------------ report
  const row = (name: string, s: Summary) =>
    `  ${name.padEnd(44)} ${String(s.n).padStart(5)} ${s.p50.toFixed(1).padStart(8)} ${s.p99.toFixed(1).padStart(8)} ${s.max.toFixed(1).padStart(8)}`;
  console.log(
    `\n${cases.toLocaleString('en')} cases, ${events.toLocaleString('en')} events (before the run)`,
  );
  console.log(
    `  ${'operation (ms)'.padEnd(44)} ${'n'.padStart(5)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`,
  );
  console.log(row('registerComplaint (sequential)', appends.sequential.register));
  console.log(row('acceptComplaint (sequential)', appends.sequential.accept));
  console.log(row('dispatchComplaint (sequential)', appends.sequential.dispatch));
  console.log(row(`registerComplaint (${CONC} at once)`, appends.concurrent.register));
  console.log(row(`acceptComplaint (${CONC} at once)`, appends.concurrent.accept));
  console.log(row('appendEvent: its statement', appendEventFigures.statement));
  console.log(row('appendEvent: lock + append + commit', appendEventFigures.transaction));
  for (const [age, t] of Object.entries(timelines)) {
    console.log(row(`timeline, 1 ${age} case (GraphQL)`, t.oneGraphql as Summary));
    console.log(row(`timeline, 1 ${age} case (statement)`, t.oneStatement as Summary));
    console.log(row(`timelines, 50 ${age} cases (GraphQL nodes)`, t.fiftyGraphql as Summary));
    console.log(row(`timelines, 50 ${age} cases (statement)`, t.fiftyStatement as Summary));
  }
  console.log(
    `  concurrent registrations: ${appends.concurrent.casesPerSecond} cases/s (with their accept)`,
  );
  console.log(`  SLA scanner: ${JSON.stringify(scanner)}`);
  console.log(`\n  ${'plan (EXPLAIN ANALYZE)'.padEnd(57)}execution  top buffers      scans`);
  for (const p of plans)
    console.log(
      `  ${p.title.slice(0, 56).padEnd(57)} ${p.executionMs.toFixed(2).padStart(7)} ms  ${p.buffers.padEnd(15)}  ${p.scans.join(', ')}`,
    );
  if (SHOW_PLANS)
    for (const p of plans) console.log(`\n=== ${p.title}\n${p.plan.replace(/^/gm, '  ')}`);

  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const out = process.env.OUT ?? `bench/results/growth-${cases}-${stamp}.json`;
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        postgres: version,
        machine: `${cpus().length} × ${cpus()[0]?.model}`,
        load: loadavg(),
        cases,
        events,
        sizesBefore: before,
        sizesAfter: after_,
        appends,
        appendEvent: appendEventFigures,
        writePlans,
        timelines,
        chainVerification,
        scanner,
        plans,
        seconds: +((performance.now() - started) / 1000).toFixed(1),
      },
      (_, v) => (typeof v === 'bigint' ? v.toString() : v),
      2,
    )}\n`,
  );
  console.log(`\nwrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
