import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../config/clock.js';
import type { Config } from '../config/index.js';
import { type Database, openPglite, openPostgres } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { primaryOnly, type ReadRouting, replicated } from '../db/replica.js';
import { loadPlugins } from '../domain/lines.js';
import { ensureBootstrapAdmin } from '../domain/org.js';
import type { Services } from '../graphql/context.js';

/** Opens the database the configuration names (PGlite in DATA_DIR without DATABASE_URL) and migrates it. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) {
    const database = await openPostgres(config.databaseUrl, {
      max: config.database.poolMax,
      statementTimeoutMs: config.database.statementTimeoutMs,
      jit: config.database.jit,
    });
    await migrate(database, config.databaseUrl);
    return database;
  }
  const dir = join(config.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const database = await openPglite(dir);
  await migrate(database);
  return database;
}

/** Everything the server shares, ready to serve: migrated database, bootstrap admin, business lines. */
export async function boot(
  config: Config,
  clock: Clock,
  database?: Database,
): Promise<Services & { reads: ReadRouting; createdAdmin: boolean }> {
  const db = database ?? (await openDatabase(config));
  const lines = await loadPlugins();
  const createdAdmin = await ensureBootstrapAdmin(
    db.db,
    config.admin.username,
    config.admin.password,
  );
  const reads = await openReads(config, db);
  return { config, clock, database: db, db: db.db, lines, reads, createdAdmin };
}

/** Issue 25: the replica for lag-tolerant reads when DATABASE_REPLICA_URL is set (read-only, same pool size). */
async function openReads(
  config: Config,
  primary: Database,
  log?: (fields: Record<string, unknown>, message: string) => void,
): Promise<ReadRouting> {
  if (!config.databaseReplicaUrl) return primaryOnly(primary.db);
  const replica = await openPostgres(config.databaseReplicaUrl, {
    max: config.database.poolMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    jit: config.database.jit,
  });
  return replicated(primary, replica, { warn: log });
}
