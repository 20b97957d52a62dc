import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { testConfig } from '../../src/config/index.js';
import type { WorldKeys } from './world.js';

/**
 * vitest's globalSetup: the run's database templates, made once before any
 * file starts (test/support/db.ts copies them per file). Migrating PGlite
 * and seeding the fixture world (24 scrypt passwords) cost most of a small
 * file's time; a copy costs a fraction of it.
 * - PGlite: the data directory dumped (`dumpDataDir`) into a temporary folder,
 *   once migrated, once with the world seeded.
 * - PostgreSQL (TEST_DATABASE_URL): two template databases, dropped at the end.
 */
export type DatabaseTemplates = { migrated: string; world: string; seeded: WorldKeys };

type Made = { templates: DatabaseTemplates; remove(): Promise<void> };
const shared = globalThis as {
  __databaseTemplates?: Promise<Made>;
  __databaseTemplateUsers?: number;
};

async function makeTemplates(): Promise<Made> {
  // Imported here, not at the top: only the main process needs them, and the world imports vitest's hooks.
  const { freshTestDatabase, postgresDatabase } = await import('./db.js');
  const { seedWorld } = await import('./world.js');
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    const dir = await mkdtemp(join(tmpdir(), 'complaint-test-templates-'));
    const database = await freshTestDatabase();
    const pg = (database.db as unknown as { $client: PGlite }).$client;
    const migrated = join(dir, 'migrated.tar');
    await writeFile(migrated, Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer()));
    const seeded = await seedWorld(database.db, testConfig());
    const world = join(dir, 'world.tar');
    await writeFile(world, Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer()));
    await database.close();
    return {
      templates: { migrated, world, seeded },
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const suffix = Math.random().toString(16).slice(2, 10);
  const migrated = await freshTestDatabaseNamed(admin, `tpl_m_${suffix}`, postgresDatabase);
  await migrated.close();
  const worldDb = await postgresDatabase(admin, `tpl_m_${suffix}`, `tpl_w_${suffix}`);
  const seeded = await seedWorld(worldDb.db, testConfig());
  await worldDb.close();
  return {
    templates: { migrated: `tpl_m_${suffix}`, world: `tpl_w_${suffix}`, seeded },
    async remove() {
      const sql = postgres(admin, { max: 1, onnotice: () => {} });
      await sql.unsafe(`DROP DATABASE IF EXISTS tpl_w_${suffix} WITH (FORCE)`);
      await sql.unsafe(`DROP DATABASE IF EXISTS tpl_m_${suffix} WITH (FORCE)`);
      await sql.end();
    },
  };
}

async function freshTestDatabaseNamed(
  admin: string,
  name: string,
  create: typeof import('./db.js').postgresDatabase,
) {
  const { migrate } = await import('../../src/db/migrate.js');
  const database = await create(admin, null, name);
  await migrate(database, database.url);
  return database;
}

/** Once per run, whichever project (utc, tz-shanghai) asks first; removed when the last one is done. */
export default async function setup(project: TestProject) {
  shared.__databaseTemplates ??= makeTemplates();
  shared.__databaseTemplateUsers = (shared.__databaseTemplateUsers ?? 0) + 1;
  project.provide('databaseTemplates', (await shared.__databaseTemplates).templates);
  return async () => {
    shared.__databaseTemplateUsers = shared.__databaseTemplateUsers! - 1;
    if (shared.__databaseTemplateUsers === 0 && shared.__databaseTemplates) {
      const made = shared.__databaseTemplates;
      shared.__databaseTemplates = undefined;
      await (await made).remove();
    }
  };
}
