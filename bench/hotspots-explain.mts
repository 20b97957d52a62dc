// Hotspot watcher plan (D76): the one statement a watcher pass sends
// (src/domain/hotspots.ts `watchStatement`), EXPLAINed over a rollup holding
// five weeks of registrations. The statement reads `registration_minutes`
// (the current window by its minute index, four primary-key ranges per hot
// key for the baseline) and `org_units`, never `complaints`: its cost grows
// with the keys, not the cases.
//
//   npm run bench:hotspots                                  # PGlite, in memory
//   DATABASE_URL=postgres://u:p@host:5432/db npm run bench:hotspots
//
// With DATABASE_URL a scratch database `hot_bench_<random>` is created,
// migrated, measured and dropped. Knobs: CITIES (20), FILL (0.05: the share
// of (key, minute) pairs with registrations).

import { PGlite } from '@electric-sql/pglite';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import { type Database, type Db, PGLITE_EXTENSIONS } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import * as schema from '../src/db/schema.js';
import { watchStatement } from '../src/domain/hotspots.js';
import { scratchDatabase } from './scratch.mjs';

const CITIES = Number(process.env.CITIES ?? 20);
const FILL = Number(process.env.FILL ?? 0.05);
const URL_ = process.env.DATABASE_URL;
const NOW = new Date('2026-11-23T10:00:30+08:00');
const LINES = [
  '',
  'fixed-line',
  'broadband',
  'mobile',
  'enterprise',
  'billing-dispute',
  'interconnection',
  'iptv',
];

type Raw = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

async function open(): Promise<{ raw: Raw; label: string; close(): Promise<void> }> {
  if (!URL_) {
    const pg = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
    const db = drizzlePglite(pg, { schema }) as unknown as Db;
    await migrate({ kind: 'pglite', db } as Database);
    return {
      raw: async (t, p) => (await pg.query<Record<string, unknown>>(t, p)).rows,
      label: 'PGlite (in memory)',
      close: () => pg.close(),
    };
  }
  const scratch = await scratchDatabase(URL_, 'hot_bench');
  const client = postgres(scratch.url, { max: 1, onnotice: () => {} });
  return {
    raw: async (t, p) =>
      [...(await client.unsafe(t, (p ?? []) as never[]))] as Record<string, unknown>[],
    label: scratch.label,
    async close() {
      await client.end({ timeout: 5 });
      await scratch.drop();
    },
  };
}

async function main() {
  const { raw, label, close } = await open();
  try {
    const [p] = await raw(
      `insert into org_units (id, code, name, level, path) select id, 'BN', 'Bench', 'PROVINCE', '/' || id || '/' from (select gen_random_uuid() as id) u returning id, path`,
    );
    await raw(
      `insert into org_units (id, code, name, level, parent_id, path) select id, 'BN-C' || n, 'City ' || n, 'CITY', $1, $2 || id || '/' from (select gen_random_uuid() as id, n from generate_series(1, ${CITIES}) n) c`,
      [p!.id, p!.path],
    );
    // Five weeks of minutes up to NOW, a FILL share of every (key, minute) with 1–3 registrations.
    await raw(
      `insert into registration_minutes (unit_id, line, minute, count)
       select u.id, l.line, m.minute, 1 + (random() * 2)::int
       from org_units u cross join unnest($1::text[]) as l(line)
         cross join generate_series(date_trunc('minute', $2::timestamptz) - interval '35 days', date_trunc('minute', $2::timestamptz), interval '1 minute') as m(minute)
       where random() < ${FILL}`,
      [LINES, NOW.toISOString()],
    );
    // One key surging now: 15 in the current window.
    await raw(
      `insert into registration_minutes (unit_id, line, minute, count) values ($1, 'mobile', date_trunc('minute', $2::timestamptz), 15)
       on conflict (unit_id, line, minute) do update set count = registration_minutes.count + 15`,
      [p!.id, NOW.toISOString()],
    );
    await raw('analyze');
    const [{ n: rows }] = (await raw('select count(*)::int as n from registration_minutes')) as [
      { n: number },
    ];
    const keys = (CITIES + 1) * LINES.length;
    const q = new PgDialect().sqlToQuery(watchStatement(NOW, { minCount: 10, ratio: 3 }));
    await raw('begin');
    const plan = await raw(
      `explain (analyze, costs off, timing off, summary on) ${q.sql}`,
      q.params,
    );
    await raw('rollback');
    console.log(`Hotspot watcher plan — ${label}`);
    console.log(
      `keys: ${keys} (${CITIES + 1} units × ${LINES.length} lines), rollup rows: ${rows.toLocaleString('en')} (5 weeks), now: ${NOW.toISOString()}\n`,
    );
    console.log(plan.map((r) => String(Object.values(r)[0])).join('\n'));
  } finally {
    await close();
  }
}

await main();
