// Live feed benchmark (issue "live feeds"; D13, D21, D56): one server instance
// on a real port, 1, 100 and 1,000 concurrent graphql-ws subscribers (one
// socket each, all a GZ duty manager, no filter), and events published
// through the lifecycle engine one at a time (a CONTACT_CUSTOMER on a case
// held by GD-GZ: every subscriber may read it). Measured:
//
//   - publish→receipt latency, p50 / p99 / max over every (event, subscriber):
//     from the moment the engine's transaction has committed (its promise
//     resolved) to the moment a subscriber's client has the result; and per
//     event (its median over the events) when the server wrote to the last
//     socket and when the last client had it, which tells the server's part
//     of a fan-out from the clients';
//   - statements per event (Database.statements.count over the publishing
//     phase ÷ events): the mutation's own statements plus whatever the feed
//     and the subscribers' resolvers send;
//   - heap per idle subscription: server heapUsed after GC with N idle
//     subscribers minus before, ÷ N (the clients live in a worker thread, a
//     heap of their own).
//
//   npm run bench:feed                                 # PGlite, in memory
//   DATABASE_URL=postgres://u:p@host:5432/db npm run bench:feed
//
// With DATABASE_URL a scratch database `feed_bench_<random>` is created on
// that server (the role needs CREATEDB), migrated, measured and dropped.
// Knobs: LEVELS (1,100,1000), EVENTS (300 at each level), EVENTS_<N> (events
// at level N only), SELECTION=actor (also resolve each event's actor name),
// VIEWERS (1: every subscriber is the same GZ duty manager; N: N distinct GZ
// duty managers, the subscribers dealt among them in turn; each viewer is its
// own audience, so results are shared only within a viewer's subscriptions),
// CLIENT (raw: each subscriber speaks graphql-transport-ws over WebSocket
// frames it reads straight off its TCP socket, the lightest load generator;
// graphql-ws: each is a graphql-ws client, createClient over the `ws`
// package, ≈ twice the work per message for the thread that hosts them),
// CLIENT_THREADS (1: the worker threads the subscribers are dealt among).
// PROFILE=dir writes a CPU profile of the server thread over each level's
// publishing phase to <dir>/feed-<N>.cpuprofile.

import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { eq } from 'drizzle-orm';
import { defineAbilityFor } from '../src/auth/abilities.js';
import { signToken } from '../src/auth/tokens.js';
import { loadStaffViewer } from '../src/auth/viewer.js';
import { testConfig } from '../src/config/index.js';
import { type Database, openPglite, openPostgres } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { roleGrants, users } from '../src/db/schema.js';
import { type Env, registerComplaint, transition, type Who } from '../src/domain/complaints.js';
import type { Role } from '../src/domain/enums.js';
import { loadPlugins } from '../src/domain/lines.js';
import { createOrgUnit, createUser, ensureBootstrapAdmin } from '../src/domain/org.js';
import { feedFor } from '../src/live/feed.js';
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/http.js';
import { scratchDatabase } from './scratch.mjs';

const LEVELS = (process.env.LEVELS ?? '1,100,1000').split(',').map(Number);
const eventsFor = (n: number) => Number(process.env[`EVENTS_${n}`] ?? process.env.EVENTS ?? 300);
const URL_ = process.env.DATABASE_URL;
const VIEWERS = Number(process.env.VIEWERS ?? 1);
const CLIENT = process.env.CLIENT ?? 'raw';
const CLIENT_THREADS = Number(process.env.CLIENT_THREADS ?? 1);
const QUERY =
  process.env.SELECTION === 'actor'
    ? 'subscription { complaintEvents { cursor action at complaint { id number status } actor { ... on User { username } } } }'
    : 'subscription { complaintEvents { cursor action at complaint { id number status } } }';

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openDb(): Promise<{ database: Database; label: string; drop(): Promise<void> }> {
  if (!URL_) {
    const database = await openPglite();
    await migrate(database);
    return {
      database,
      label: 'PGlite (in memory, @electric-sql/pglite)',
      drop: () => database.close(),
    };
  }
  const scratch = await scratchDatabase(URL_, 'feed_bench');
  const database = await openPostgres(scratch.url, { max: 10 });
  return {
    database,
    label: scratch.label,
    async drop() {
      await database.close();
      await scratch.drop();
    },
  };
}

/** PROFILE=dir: a CPU profile of the server thread over each level's publishing phase (`<dir>/feed-<N>.cpuprofile`). */
async function startProfile() {
  const dir = process.env.PROFILE;
  if (!dir) return null;
  const { Session } = await import('node:inspector/promises');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop(level: number) {
      const { profile } = await session.post('Profiler.stop');
      await mkdir(dir, { recursive: true });
      await writeFile(`${dir}/feed-${level}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/**
 * The subscribers: graphql-ws clients in `threads` worker threads
 * (bench/feed-clients.mjs), the n of a level dealt among them. `receipts(k)`
 * resolves with every subscriber's receipt time of the k-th event.
 */
function clientPool(
  threads: number,
  opts: { url: string; tokens: string[]; query: string; client: string },
) {
  type Msg = { type: string; k: number; times: Float64Array; errors: number; sample?: string[] };
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL('./feed-clients.mjs', import.meta.url)),
  );
  let active: Worker[] = [];
  const got = new Map<number, Float64Array[]>(); // event k: the times reported so far, one array per thread
  const waiters = new Map<number, (times: number[]) => void>();
  const early = new Map<number, number[]>(); // every thread has reported event k before receipts(k) was asked
  const answers = new Map<Worker, (m: Msg) => void>();
  for (const w of workers) {
    w.on('message', (m: Msg) => {
      if (m.type !== 'received') return answers.get(w)?.(m);
      const parts = got.get(m.k) ?? [];
      got.set(m.k, [...parts, m.times]);
      if (parts.length + 1 < active.length) return;
      got.delete(m.k);
      const times = [...parts, m.times].flatMap((t) => Array.from(t));
      const waiter = waiters.get(m.k);
      if (!waiter) return void early.set(m.k, times);
      waiters.delete(m.k);
      waiter(times);
    });
  }
  const ask = (w: Worker, message: object) =>
    new Promise<Msg>((resolve) => {
      answers.set(w, resolve);
      w.postMessage(message);
    });
  return {
    async open(n: number) {
      active = workers.slice(0, Math.min(threads, n));
      const share = (i: number) => Math.floor(n / active.length) + (i < n % active.length ? 1 : 0);
      let from = 0;
      const opened = await Promise.all(
        active.map((w, i) => {
          const m = ask(w, { type: 'open', n: share(i), from, ...opts });
          from += share(i);
          return m;
        }),
      );
      const errors = opened.reduce((a, m) => a + m.errors, 0);
      if (errors)
        throw new Error(
          `${errors} subscriptions failed to open, e.g. ${opened.flatMap((m) => m.sample ?? []).join('; ')}`,
        );
    },
    receipts: (k: number) =>
      new Promise<number[]>((resolve, reject) => {
        const done = early.get(k);
        if (done) {
          early.delete(k);
          return resolve(done);
        }
        const timer = setTimeout(
          () => reject(new Error(`event ${k} did not reach every subscriber in 30 s`)),
          30_000,
        );
        waiters.set(k, (t) => {
          clearTimeout(timer);
          resolve(t);
        });
      }),
    async close() {
      await Promise.all(active.map((w) => ask(w, { type: 'close' })));
    },
    terminate: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

/**
 * When the server last wrote to a client's socket (wall clock), reset per
 * event: each accepted socket's `write` is wrapped (live results and `ws`'s
 * own frames both go through it). Set against the receipts it tells the
 * server's part of the fan-out from the clients'.
 */
function traceWrites(httpServer: Server) {
  const span = { last: 0 };
  httpServer.on('connection', (socket: Socket) => {
    const write = socket.write;
    socket.write = function (this: Socket, ...args: unknown[]) {
      span.last = wallNow();
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as Socket['write'];
  });
  return span;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

async function main() {
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}${gc ? '' : ' (no --expose-gc: heap figures are rough)'}`,
  );
  const { database, label, drop } = await openDb();
  console.log(`database: ${label}`);
  console.log(
    `clients: ${CLIENT === 'raw' ? 'graphql-transport-ws over WebSocket frames read straight off TCP sockets' : "graphql-ws's createClient"}, one socket each, in ${CLIENT_THREADS} worker thread(s)`,
  );
  console.log(
    `viewers: ${VIEWERS === 1 ? 'one GZ duty manager holds every subscription' : `${VIEWERS} distinct GZ duty managers, subscriptions dealt in turn`}`,
  );
  const db = database.db;
  // One viewer holds every subscription here, from one address, all opening at once: neither its
  // subscription cap, its request rate nor the socket caps of issue 19 may bite.
  const base = testConfig({ maxSubscriptionsPerViewer: 100_000 });
  const config = {
    ...base,
    staffRate: { perSecond: 1e9, burst: 1e9 },
    ws: { ...base.ws, maxSockets: 100_000, anonymousMax: 100_000, anonymousPerAddress: 100_000 },
  };
  const clock = { now: () => new Date() };
  const lines = await loadPlugins();

  // A province, one city, and the three people the benchmark needs.
  await ensureBootstrapAdmin(db, config.admin.username, config.admin.password);
  const [adminRow] = await db.select().from(users).where(eq(users.username, config.admin.username));
  const ability = defineAbilityFor((await loadStaffViewer(db, adminRow!.id, null))!);
  const gd = await createOrgUnit(db, ability, {
    parentId: null,
    level: 'PROVINCE',
    code: 'GD',
    name: 'Guangdong',
  });
  const gz = await createOrgUnit(db, ability, {
    parentId: gd.id,
    level: 'CITY',
    code: 'GD-GZ',
    name: 'Guangzhou',
  });
  const person = async (username: string, role: Role, unitId: string) => {
    const u = await createUser(db, ability, {
      username,
      password: 'bench-password',
      displayName: username,
      unitId,
      roles: [{ role, unitId }],
    });
    await db.update(users).set({ mustChangePassword: false }).where(eq(users.id, u.id)); // as if they had set their own (D52)
    const viewer = (await loadStaffViewer(db, u.id, null))!;
    return { id: u.id, who: { viewer, ability: defineAbilityFor(viewer) } as Who };
  };
  const agent = await person('gd.agent', 'ACCEPTANCE_AGENT', gd.id);
  const handler = await person('gz.handler', 'HANDLER', gz.id);
  const duty = await person('gz.duty', 'DUTY_MANAGER', gz.id);

  const env: Env = { db, clock, lines, config };
  let c = await registerComplaint(env, agent.who, {
    channel: 'PHONE',
    title: 'No signal at home',
    description: 'Since Monday the phone shows no signal in the flat.',
    customer: { name: '张三', phone: '13812345678' },
  });
  c = await transition(env, agent.who, 'ACCEPT', c.id, {
    businessLine: 'mobile',
    category: 'NETWORK_TECHNICAL',
    severity: 'ORDINARY',
  });
  c = await transition(env, agent.who, 'DISPATCH', c.id, {
    toUnitId: gz.id,
    deadline: new Date(Date.now() + 5 * 86_400_000),
  });
  c = await transition(env, handler.who, 'ACKNOWLEDGE', c.id, {});
  let n = 0;
  const publish = () =>
    transition(env, handler.who, 'CONTACT_CUSTOMER', c.id, {
      method: 'PHONE',
      content: `Progress ${++n}`,
    });

  const app = createApp({ config, clock, database, db, lines });
  const server = await listen(app, { port: 0, host: '127.0.0.1' });
  const writes = traceWrites(server.httpServer);
  const feed = await feedFor(database); // started once, outside the measurements
  // More duty managers of GZ when asked for: rows written directly (same password hash), tokens signed for each.
  const dutyIds = [duty.id];
  if (VIEWERS > 1) {
    const [row] = await db.select().from(users).where(eq(users.id, duty.id));
    const more = await db
      .insert(users)
      .values(
        Array.from({ length: VIEWERS - 1 }, (_, i) => ({
          username: `gz.duty${i + 2}`,
          passwordHash: row!.passwordHash,
          displayName: `GZ duty ${i + 2}`,
          unitId: gz.id,
        })),
      )
      .returning({ id: users.id });
    await db
      .insert(roleGrants)
      .values(more.map((u) => ({ userId: u.id, role: 'DUTY_MANAGER' as const, unitId: gz.id })));
    dutyIds.push(...more.map((u) => u.id));
  }
  const tokens = await Promise.all(
    dutyIds.map((id) => signToken(config.jwtSecret, id, new Date())),
  );
  const wsUrl = server.url.replace(/^http/, 'ws');

  const clients = clientPool(CLIENT_THREADS, { url: wsUrl, tokens, query: QUERY, client: CLIENT });
  const receipts = clients.receipts;

  // One warm-up round (10 subscribers, 3 events), so that one-time allocations (code, caches,
  // the first socket's machinery) do not land on the first level's heap figure.
  await clients.open(10);
  while (feed.size < 10) await sleep(20);
  for (let k = 0; k < 3; k++) {
    await publish();
    await receipts(k);
  }
  await clients.close();
  while (feed.size > 0) await sleep(20);

  type Row = {
    subscribers: number;
    events: number;
    p50: number;
    p99: number;
    max: number;
    lastWrite: number;
    lastReceipt: number;
    mutationMs: number;
    statementsPerEvent: number;
    heapPerSubKb: number;
  };
  const rows: Row[] = [];
  for (const subscribers of LEVELS) {
    await sleep(200);
    const h0 = heap();
    await clients.open(subscribers);
    const until = Date.now() + 60_000;
    while (feed.size < subscribers) {
      if (Date.now() > until)
        throw new Error(`only ${feed.size} of ${subscribers} subscriptions reached the feed`);
      await sleep(20);
    }
    await sleep(300);
    const h1 = heap();

    // warm-up: 3 events, not measured
    let k = 0;
    for (let i = 0; i < 3; i++) {
      await publish();
      await receipts(k++);
    }
    const events = eventsFor(subscribers);
    const latencies: number[] = [];
    const mutation: number[] = [];
    const lastWrite: number[] = []; // per event: the server's last write to a subscriber's socket, after commit
    const lastReceipt: number[] = []; // per event: the last subscriber's receipt, after commit
    const before = database.statements.count;
    const profiling = await startProfile();
    for (let i = 0; i < events; i++) {
      writes.last = 0;
      const started = wallNow();
      await publish();
      const committed = wallNow();
      mutation.push(committed - started);
      const times = await receipts(k++);
      lastWrite.push(writes.last - committed);
      lastReceipt.push(times.reduce((a, b) => Math.max(a, b), 0) - committed);
      for (const t of times) latencies.push(t - committed);
    }
    await profiling?.stop(subscribers);
    const statements = database.statements.count - before;
    const row: Row = {
      subscribers,
      events,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      max: latencies.reduce((a, b) => Math.max(a, b), 0),
      lastWrite: pct(lastWrite, 50),
      lastReceipt: pct(lastReceipt, 50),
      mutationMs: pct(mutation, 50),
      statementsPerEvent: statements / events,
      heapPerSubKb: (h1 - h0) / subscribers / 1024,
    };
    rows.push(row);
    console.log(
      `${String(subscribers).padStart(5)} subscribers, ${events} events: latency p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms, max ${row.max.toFixed(2)} ms; ` +
        `per event (p50) last write ${row.lastWrite.toFixed(2)} ms, last receipt ${row.lastReceipt.toFixed(2)} ms; mutation p50 ${row.mutationMs.toFixed(2)} ms; ` +
        `${row.statementsPerEvent.toFixed(2)} statements/event; heap ${row.heapPerSubKb.toFixed(1)} KiB/idle subscription`,
    );
    await clients.close();
    while (feed.size > 0) await sleep(20);
  }

  console.log(
    '\n| subscribers | events | latency p50 (ms) | p99 (ms) | max (ms) | last write p50 (ms) | last receipt p50 (ms) | mutation p50 (ms) | statements / event | heap / idle subscription (KiB) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.subscribers.toLocaleString('en')} | ${r.events} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(2)} | ${r.lastWrite.toFixed(2)} | ${r.lastReceipt.toFixed(2)} | ${r.mutationMs.toFixed(2)} | ${r.statementsPerEvent.toFixed(2)} | ${r.heapPerSubKb.toFixed(1)} |`,
    );
  }

  await clients.terminate();
  await server.close();
  await drop();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
