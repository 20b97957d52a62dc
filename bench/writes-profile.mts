// Where a write's API-server CPU goes (issue 25, P6): N registrations, accepts and dispatches as
// in-process GraphQL mutations (app.yoga.fetch, production configuration, one after the other: no
// HTTP, no waiting on locks), the process's CPU per operation from process.cpuUsage, and, run under
// `node --cpu-prof`, a profile to read with bench/profile-summary.mjs.
//
//   DATABASE_URL=postgres://… (a database made by bench/generate.mts) \
//     node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/writes-profile.mts
//   node bench/profile-summary.mjs /tmp/prof/CPU.*.cpuprofile
//
// Knobs: N (1000 of each), WARM (100 of each first, not counted). Writes stay in the database
// (registered at the real date, titles from bench/load.mjs).

import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { signToken } from '../src/auth/tokens.js';
import { systemClock } from '../src/config/clock.js';
import { testConfig } from '../src/config/index.js';
import { openPostgres } from '../src/db/client.js';
import { loadPlugins } from '../src/domain/lines.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { createApp } from '../src/server/app.js';
import { ACCEPT, acceptVars, DISPATCH, dispatchVars, REGISTER, registerInput } from './load.mjs';

const URL_ = process.env.DATABASE_URL;
if (!URL_?.startsWith('postgres')) {
  console.error(
    'bench/writes-profile.mts needs DATABASE_URL=postgres://… (made by bench/generate.mts)',
  );
  process.exit(2);
}
const N = Number(process.env.N ?? 1000);
const WARM = Number(process.env.WARM ?? 100);

const database = await openPostgres(URL_, { max: 4 });
const pg = postgres(URL_, { max: 1, onnotice: () => {} });
const config = testConfig({
  databaseUrl: URL_,
  production: true,
  staffRate: { perSecond: 1e9, burst: 1e9 },
});
const app = createApp({
  config,
  clock: systemClock,
  database,
  db: database.db,
  lines: await loadPlugins(),
});
const userId = async (username: string) =>
  (await pg<{ id: string }[]>`select id from users where username = ${username}`)[0]!.id;
const token = await signToken(config.jwtSecret, await userId('gd.agent'), new Date());
const cities = (
  await pg<{ id: string }[]>`select id from org_units where code in ('GD-GZ', 'GD-SZ', 'GD-FS')`
).map((u) => toGlobalId('OrgUnit', u.id));

async function call(query: string, variables: Record<string, unknown>, field: string) {
  const res = await app.yoga.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = JSON.parse(await res.text()) as {
    data?: Record<string, { userErrors: unknown[] } & Record<string, unknown>>;
    errors?: unknown;
  };
  const payload = body.data?.[field];
  if (body.errors || !payload || payload.userErrors.length)
    throw new Error(JSON.stringify(body).slice(0, 400));
  return payload;
}

const idOf = (p: Record<string, unknown>) => (p.complaint as { id: string }).id;

async function round(n: number, label: string | null) {
  const ids: string[] = [];
  const phases: [string, () => Promise<void>][] = [
    [
      'register',
      async () => {
        ids.push(idOf(await call(REGISTER, registerInput(), 'registerComplaint')));
      },
    ],
    [
      'accept',
      async () => {
        await call(ACCEPT, acceptVars(ids[accepted++]!), 'acceptComplaint');
      },
    ],
    [
      'dispatch',
      async () => {
        const id = ids[dispatched++]!;
        const deadline = new Date(Date.now() + 3 * 86_400_000);
        await call(
          DISPATCH,
          dispatchVars(id, cities[dispatched % 3]!, deadline),
          'dispatchComplaint',
        );
      },
    ],
  ];
  let accepted = 0;
  let dispatched = 0;
  for (const [name, step] of phases) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await step();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (label)
      console.log(
        `| ${name} | ${n} | ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} | ${(cpu.system / 1000 / n).toFixed(2)} | ${(wall / n).toFixed(2)} |`,
      );
  }
}

await round(WARM, null);
console.log('| operation | n | process CPU ms / op | of which system | wall ms / op |');
console.log('| --- | ---: | ---: | ---: | ---: |');
await round(N, 'measured');
await pg.end();
await database.close();
