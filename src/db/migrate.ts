import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { moveNotesOutOfPayloads } from '../events/append.js';
import type { Database, Db } from './client.js';

export const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Applies the committed migrations. On PostgreSQL, several instances may
 * start at once: a session advisory lock on a dedicated connection makes
 * them take turns.
 */
export async function migrate(database: Database, url?: string | null): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS });
    await moveNotesOutOfPayloads(database.db);
    return;
  }
  if (!url) throw new Error('migrate: a PostgreSQL url is needed');
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(7310001)`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS });
    // D51: the data step of the event-note migration (TypeScript: it recomputes RFC 8785 hashes).
    await moveNotesOutOfPayloads(drizzlePostgres(client) as unknown as Db);
    await client`select pg_advisory_unlock(7310001)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
