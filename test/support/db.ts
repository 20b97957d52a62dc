import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openPglite, openPostgres, type Database, type Db } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

/**
 * One database per test file: in-memory PGlite by default, or with
 * TEST_DATABASE_URL a fresh PostgreSQL database created for the file and
 * dropped after it. Tests isolate themselves with `rollback`.
 */
export type TestDatabase = Database & { url: string | null; drop(): Promise<void> };

export const onPostgres = !!process.env.TEST_DATABASE_URL;

export async function openTestDatabase(): Promise<TestDatabase> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    const database = await openPglite();
    await migrate(database);
    return { ...database, url: null, drop: () => database.close() };
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`CREATE DATABASE ${name}`);
  await sql.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { max: 20 });
  await migrate(database, url.toString());
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
