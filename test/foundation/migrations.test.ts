import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/config/clock.js';
import { loadConfig } from '../../src/config/index.js';
import { type Database, openPglite, openPostgres, rowsOf } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { boot } from '../../src/server/boot.js';
import { onPostgres, openTestDatabase, type TestDatabase } from '../support/db.js';
import { T0 } from '../support/world.js';

// Runs on whichever driver the suite runs on: in-memory PGlite, or
// PostgreSQL when TEST_DATABASE_URL is set.

/** Every migration of the journal, applied once. */
const MIGRATIONS = (
  JSON.parse(
    readFileSync(new URL('../../migrations/meta/_journal.json', import.meta.url), 'utf8'),
  ) as { entries: unknown[] }
).entries.length;

const EXPECTED_TABLES = [
  'analysis_reports',
  'assignments',
  'audit_records',
  'calendar_days',
  'calendar_revision',
  'calendar_years',
  'callbacks',
  'case_number_sequences',
  'chain_verifications',
  'complaint_clock_counts',
  'complaint_counts',
  'complaint_dim_month_counts',
  'complaint_events',
  'complaint_measure_counts',
  'complaint_month_counts',
  'complaint_person_clock_counts',
  'complaint_person_counts',
  'complaint_status_counts',
  'complaint_status_month_counts',
  'complaints',
  'customer_contacts',
  'escalations',
  'extensions',
  'hotspot_alerts',
  'idempotency_keys',
  'incident_complaints',
  'incidents',
  'investigations',
  'line_records',
  'login_attempts',
  'login_lockouts',
  'org_units',
  'partners',
  'personal_data_reads',
  'progress_reports',
  'rectifications',
  'registration_minutes',
  'replica_writes',
  'responsibility_findings',
  'role_grants',
  'sla_clocks',
  'supervision_notes',
  'supervisions',
  'transfer_feedback',
  'users',
];

/** A database with nothing in it, on the suite's driver, and how to get rid of it. */
async function openEmptyDatabase(): Promise<{
  database: Database;
  url: string | null;
  drop(): Promise<void>;
}> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    const database = await openPglite();
    return { database, url: null, drop: () => database.close() };
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  const s = postgres(admin, { max: 1, onnotice: () => {} });
  await s.unsafe(`CREATE DATABASE ${name}`);
  await s.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { max: 2 });
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      const d = postgres(admin, { max: 1, onnotice: () => {} });
      await d.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

async function publicTables(database: Database): Promise<string[]> {
  const rows = rowsOf<{ table_name: string }>(
    await database.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    ),
  );
  return rows.map((r) => r.table_name);
}

async function appliedMigrations(database: Database): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await database.db.execute(sql`select count(*) as n from drizzle.__drizzle_migrations`),
  );
  return Number(row!.n);
}

describe(`migrations (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let empty: Awaited<ReturnType<typeof openEmptyDatabase>>;
  beforeAll(async () => {
    empty = await openEmptyDatabase();
  });
  afterAll(async () => {
    await empty?.drop();
  });

  it('apply on an empty database and create every expected table', async () => {
    expect(await publicTables(empty.database)).toEqual([]);
    await migrate(empty.database, empty.url);
    expect(await publicTables(empty.database)).toEqual(EXPECTED_TABLES);
    expect(await appliedMigrations(empty.database)).toBe(MIGRATIONS);
  });

  it('create the unique keys and the path index the org tree relies on', async () => {
    const rows = rowsOf<{ indexname: string }>(
      await empty.database.db.execute(
        sql`select indexname from pg_indexes where schemaname = 'public' order by indexname`,
      ),
    );
    const names = rows.map((r) => r.indexname);
    for (const idx of [
      'org_units_code_key',
      'org_units_path_idx',
      'users_username_key',
      'partners_carrier_code_key',
      'partners_api_key_hash_key',
    ]) {
      expect(names).toContain(idx);
    }
  });

  it('D51: install the append-only guards on the event log and the personal-data log', async () => {
    const rows = rowsOf<{ tgname: string }>(
      await empty.database.db.execute(
        sql`select tgname from pg_trigger where not tgisinternal order by tgname`,
      ),
    );
    expect(rows.map((r) => r.tgname)).toEqual([
      'audit_records_append_only',
      'audit_records_no_truncate',
      'callback_measures_track',
      'callback_measures_track_update',
      'callback_person_track', // issue 25 (P7): assessment by PERSON (migration 0029)
      'callback_person_track_update',
      'complaint_counts_track',
      'complaint_counts_track_update',
      'complaint_event_person_track',
      'complaint_events_append_only',
      'complaint_events_no_truncate',
      'complaint_measures_track',
      'complaint_measures_track_update',
      'complaint_person_track',
      'complaint_person_track_update',
      'complaints_search_grams', // issue 25 (P8): the stored search grams (migration 0025)
      'personal_data_reads_append_only',
      'personal_data_reads_no_truncate',
      'sla_clock_measures_track_delete',
      'sla_clock_measures_track_insert',
      'sla_clock_measures_track_update',
      'sla_clock_person_track_delete',
      'sla_clock_person_track_insert',
      'sla_clock_person_track_update',
    ]);
  });

  it('issue 25 (P7, migration 0031): a handling path gives the person rollups every subtree that holds it', async () => {
    const subtrees = async (path: string) =>
      rowsOf<{ t: string }>(
        await empty.database.db.execute(sql`select t from path_subtrees(${path}) t`),
      ).map((r) => r.t);
    expect(await subtrees('/p/c/t/')).toEqual(['/p/', '/p/c/', '/p/c/t/']);
    expect(await subtrees('/p/')).toEqual(['/p/']);
    const keys = rowsOf<{ subtree_path: string; period: string; monthly: boolean }>(
      await empty.database.db.execute(
        sql`select subtree_path, period::text, monthly from person_keys('/p/c/', '2026-11-23') order by 1, 3`,
      ),
    );
    expect(keys).toEqual([
      { subtree_path: '/p/', period: '2026-11-23', monthly: false },
      { subtree_path: '/p/', period: '2026-11-01', monthly: true },
      { subtree_path: '/p/c/', period: '2026-11-23', monthly: false },
      { subtree_path: '/p/c/', period: '2026-11-01', monthly: true },
    ]);
  });

  it('issue 25 (P6, migrations 0035 and 0036): the rollup triggers and the identification plan their statements once per connection', async () => {
    // The app's connections force custom plans (src/db/client.ts), which would plan a trigger's statements again
    // for every row; a trigger function that runs statements keeps its plans under its own setting. A later
    // CREATE OR REPLACE of one of them drops the setting: this is where that shows.
    const triggers = rowsOf<{ proname: string; config: string[] | null }>(
      await empty.database.db.execute(
        sql`select distinct p.proname, p.proconfig as config from pg_trigger t join pg_proc p on p.oid = t.tgfoid
            where not t.tgisinternal order by p.proname`,
      ),
    );
    const generic = ['plan_cache_mode=force_generic_plan'];
    expect(triggers).toEqual([
      { proname: 'callback_measures_track', config: generic },
      { proname: 'callback_person_track', config: generic },
      { proname: 'complaint_counts_track', config: generic },
      { proname: 'complaint_event_person_track', config: generic },
      // the append-only guards run no statement: they compare rows or refuse
      { proname: 'complaint_events_guard', config: null },
      { proname: 'complaint_measures_track', config: generic },
      { proname: 'complaint_person_track', config: generic },
      { proname: 'complaints_search_grams', config: generic },
      { proname: 'refuse_change', config: null },
      { proname: 'sla_clock_measures_track', config: generic },
      { proname: 'sla_clock_person_track', config: generic },
    ]);
    // A LANGUAGE sql function that cannot be inlined is parsed and planned again on every call (PostgreSQL 15):
    // the helpers the triggers call for every row are PL/pgSQL, and no SQL-language function writes.
    const helpers = rowsOf<{ proname: string; lang: string }>(
      await empty.database.db.execute(
        sql`select p.proname, l.lanname as lang from pg_proc p join pg_language l on l.oid = p.prolang
            where p.proname in ('person_counts_add', 'person_clock_add', 'complaint_person_move', 'sla_clock_person_count')
            order by 1`,
      ),
    );
    expect(helpers).toEqual(
      [
        'complaint_person_move',
        'person_clock_add',
        'person_counts_add',
        'sla_clock_person_count',
      ].map((proname) => ({ proname, lang: 'plpgsql' })),
    );
    // migration 0036: every request's identification, a join by the user's id, planned once per connection too
    const viewerRows = rowsOf<{ config: string[] | null; lang: string }>(
      await empty.database.db.execute(
        sql`select p.proconfig as config, l.lanname as lang from pg_proc p join pg_language l on l.oid = p.prolang
            where p.proname = 'staff_viewer_rows'`,
      ),
    );
    expect(viewerRows).toEqual([{ config: generic, lang: 'plpgsql' }]);
    const writers = rowsOf<{ proname: string }>(
      await empty.database.db.execute(
        sql`select p.proname from pg_proc p join pg_language l on l.oid = p.prolang join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' and l.lanname = 'sql' and p.prosrc ~* '\\m(insert|update|delete)\\M'`,
      ),
    );
    expect(writers).toEqual([]);
  });

  it('issue 25 (P6, migrations 0033 and 0037): each column the read rule asks (D54) is indexed once for it', async () => {
    // Every registration and every transition writes each index of complaints (a status change is no HOT update):
    // an index that only repeats another one's leading or any GIN column costs every write and serves no read.
    const defs = rowsOf<{ indexname: string; indexdef: string }>(
      await empty.database.db.execute(
        sql`select indexname, indexdef from pg_indexes where tablename = 'complaints' order by indexname`,
      ),
    );
    const using = (re: RegExp) => defs.filter((d) => re.test(d.indexdef)).map((d) => d.indexname);
    // the readers: only as a column of the search index (grams, readers, month: 0030), which serves a condition on
    // any of its columns, and inside the outside-readers expression
    expect(using(/USING gin \(reader_units\)/)).toEqual([]);
    expect(using(/USING gin \(search_grams, reader_units, /)).toEqual([
      'complaints_search_month_idx',
    ]);
    // the first responder: one btree, whose first column it is (0033 dropped the btree of the column alone)
    expect(using(/USING btree \(first_responder_id\b/)).toEqual([
      'complaints_first_responder_path_idx',
    ]);
  });

  it('running migrate() a second time is a no-op that keeps the data', async () => {
    await empty.database.db.execute(
      sql`insert into org_units (id, code, name, level, path) values ('00000000-0000-4000-8000-000000000001', 'XX', 'Kept', 'PROVINCE', '/00000000-0000-4000-8000-000000000001/')`,
    );
    await migrate(empty.database, empty.url);
    await migrate(empty.database, empty.url);
    expect(await appliedMigrations(empty.database)).toBe(MIGRATIONS);
    expect(await publicTables(empty.database)).toEqual(EXPECTED_TABLES);
    const kept = rowsOf<{ code: string }>(
      await empty.database.db.execute(sql`select code from org_units`),
    );
    expect(kept).toEqual([{ code: 'XX' }]);
  });
});

describe('the test database helper', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('opens a migrated, empty database on the suite driver', async () => {
    expect(database.kind).toBe(onPostgres ? 'postgres' : 'pglite');
    expect(await publicTables(database)).toEqual(EXPECTED_TABLES);
    const [row] = rowsOf<{ n: number | string }>(
      await database.db.execute(sql`select count(*) as n from users`),
    );
    expect(Number(row!.n)).toBe(0);
  });
});

describe.skipIf(onPostgres)('embedded boot (PGlite in DATA_DIR)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('migrates the on-disk database, creates the bootstrap admin once, and a restart keeps both', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'boot-'));
    dirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
    const clock = new ManualClock(T0);

    const first = await boot(config, clock);
    try {
      expect(first.createdAdmin).toBe(true);
      expect(first.database.kind).toBe('pglite');
      expect(await publicTables(first.database)).toEqual(EXPECTED_TABLES);
    } finally {
      await first.database.close();
    }

    const second = await boot(config, clock);
    try {
      expect(second.createdAdmin).toBe(false);
      expect(await appliedMigrations(second.database)).toBe(MIGRATIONS);
      const admins = rowsOf<{ username: string }>(
        await second.database.db.execute(sql`select username from users`),
      );
      expect(admins).toEqual([{ username: 'admin' }]);
    } finally {
      await second.database.close();
    }
  });
});
