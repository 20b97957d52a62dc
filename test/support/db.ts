import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import { type Database, type Db, openPglite, openPostgres } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import type { DatabaseTemplates } from './templates.js';

/**
 * One database per test file: in-memory PGlite by default, or with
 * TEST_DATABASE_URL a fresh PostgreSQL database created for the file and
 * dropped after it. Tests isolate themselves with `rollback`.
 *
 * A file's database is a copy of a template made once per run by
 * test/support/templates.ts (vitest's globalSetup): migrated, and migrated
 * with the fixture world seeded. PGlite loads the template's data directory
 * (`loadDataDir`); PostgreSQL creates the database `TEMPLATE` it. Neither
 * migrates nor seeds per file.
 */
export type TestDatabase = Database & { url: string | null; drop(): Promise<void> };

export const onPostgres = !!process.env.TEST_DATABASE_URL;

declare module 'vitest' {
  interface ProvidedContext {
    databaseTemplates: DatabaseTemplates;
  }
}

/** A copy of the run's migrated template (`'world'`: with the fixture world seeded). */
export async function openTestDatabase(
  template: 'migrated' | 'world' = 'migrated',
): Promise<TestDatabase> {
  const templates = inject('databaseTemplates');
  if (!templates) return freshTestDatabase();
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    const database = await openPglite(undefined, new Blob([await readFile(templates[template])]));
    return { ...database, url: null, drop: () => database.close() };
  }
  return postgresDatabase(admin, templates[template]);
}

/** The file's database with the fixture world in it, and the keys the seeding handed out. */
export async function openWorldDatabase() {
  const database = await openTestDatabase('world');
  return { database, seeded: inject('databaseTemplates')?.seeded };
}

/** An empty database migrated from scratch (what a template is made from). */
export async function freshTestDatabase(): Promise<TestDatabase> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    const database = await openPglite();
    await migrate(database);
    return { ...database, url: null, drop: () => database.close() };
  }
  const database = await postgresDatabase(admin, null);
  await migrate(database, database.url);
  return database;
}

/** A new PostgreSQL database, empty or a copy of `template`, dropped by `drop()`. */
export async function postgresDatabase(
  admin: string,
  template: string | null,
  name = `t_${randomBytes(6).toString('hex')}`,
): Promise<TestDatabase> {
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await sql.unsafe(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
        break;
      } catch (e) {
        // Two files copying the template at the same instant: PostgreSQL refuses one ("being accessed by other users").
        if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await sql.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { max: 20 });
  return {
    ...database,
    url: url.toString(),
    async drop() {
      await database.close();
      const s = postgres(admin, { max: 1, onnotice: () => {} });
      await s.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await s.end();
    },
  };
}

const ROLLBACK = Symbol('rollback');

/** Runs `fn` in a transaction that is always rolled back: nothing a test writes survives it. */
export async function rollback<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  let result: T;
  try {
    await db.transaction(async (tx) => {
      result = await fn(tx as unknown as Db);
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return result!;
}
