import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { Availability } from './availability.js';
import * as schema from './schema.js';

/** A drizzle handle on either driver; a transaction is one too (nested calls become savepoints). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Notification = (payload: string) => void;

/**
 * One database, whichever driver: the handle, a way to LISTEN (a dedicated
 * connection on PostgreSQL, the same in-process instance on PGlite), a ping
 * for /readyz, and close.
 */
export interface Database {
  kind: 'postgres' | 'pglite';
  db: Db;
  listen(
    channel: string,
    onNotify: Notification,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Counts statements sent, for tests and benchmarks that check N+1. */
  statements: { count: number };
  /** Whether the database answers (issue 19: a restart is answered with a retryable error, not a hang). */
  availability: Availability;
}

/**
 * Issue 25 (P6): lets a write transaction keep its statements' plans. The connections plan every statement for
 * its values (`force_custom_plan`, below), which a list needs for its `handling_path like $1` prefix; a write's
 * statements go by ids and full keys, where a generic plan is the custom plan, and planning each again cost
 * 0.6 ms of a write's ≈ 3 ms in the database (bench/README.md, "Write plans"). Under `auto` PostgreSQL keeps a
 * prepared statement's generic plan once it costs no more than the custom ones; a statement whose values matter
 * stays custom. `SET LOCAL` ends with the transaction, so the connection goes back to the pool as it came.
 */
export async function keepPlans(tx: Db): Promise<void> {
  await tx.execute(sql`set local plan_cache_mode = auto`);
}

/** Rows of a raw `db.execute(sql...)` on either driver. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * postgres.js as drizzle should drive it. Drizzle sends every statement it
 * did not name as unprepared, and postgres.js then asks the server for the
 * parameter types first: two round trips per statement (Parse + Describe,
 * then Bind + Execute). Prepared, a statement is described once per
 * connection and then costs one round trip; postgres.js keeps them per
 * connection by text and re-prepares one the server invalidated (e.g.
 * after a migration). Transactions and savepoints hand out the same.
 */
function preparing<T extends object>(sql: T): T {
  return new Proxy(sql, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (prop === 'unsafe')
        return (query: string, params?: unknown[], options?: object) =>
          fn.call(target, query, params, { ...options, prepare: true });
      if (prop === 'begin' || prop === 'savepoint') {
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: object) => unknown;
          return fn.call(target, ...args, (tx: object) => body(preparing(tx)));
        };
      }
      return fn.bind(target);
    },
  });
}

export async function openPostgres(
  url: string,
  opts: { max?: number; statementTimeoutMs?: number; jit?: boolean } = {},
): Promise<Database> {
  const statements = { count: 0 };
  const client = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    // Issue 19: after a database restart, connections come back within a second. postgres.js's default backoff
    // grows to 20 s while the database is away (requests stalled for up to 18 s after it was back), and a
    // connection attempt waited 30 s for an answer.
    backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5),
    connect_timeout: 3,
    // Statements are prepared (see `preparing`) but always planned for their actual values: a generic plan
    // cannot use, e.g., the prefix of a `handling_path like $1` subtree filter.
    connection: {
      TimeZone: 'Asia/Shanghai',
      plan_cache_mode: 'force_custom_plan',
      // Issue 25: no JIT compilation unless asked for (DATABASE_JIT=on). The platform's statements are short: a
      // statistics statement at 10M cases is estimated above jit_above_cost and spent 1.1 s of its 1.7 s compiling
      // (bench/README.md, "At 10M cases"); without JIT it ran in 0.2 s.
      jit: opts.jit ? 'on' : 'off',
      // A runaway statement ends with an error instead of holding a connection (0: no limit).
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    },
  });
  const db = drizzlePostgres(preparing(client), {
    schema,
    logger: counter(statements),
  }) as unknown as Db;
  const availability = new Availability(async () => {
    await client`select 1`;
  });
  return {
    kind: 'postgres',
    db,
    statements,
    availability,
    async listen(channel, onNotify, onReconnect) {
      // postgres.js keeps LISTEN on its own connection and re-issues it after a
      // reconnect; onlisten fires on every (re)subscription, which is when a
      // reader must catch up on anything announced while it was away.
      let first = true;
      const sub = await client.listen(channel, onNotify, () => {
        if (!first) onReconnect?.();
        first = false;
      });
      return () => sub.unlisten();
    },
    async ping() {
      await client`select 1`;
    },
    async close() {
      availability.close();
      await client.end({ timeout: 5 });
    },
  };
}

/** The extensions the migrations create (pg_trgm: 0000's trigram search; btree_gin: 0030's search month key). */
export const PGLITE_EXTENSIONS = { pg_trgm, btree_gin };

/** PGlite in `dataDir` (in memory without), or (tests) in memory from a dumped data directory (`loadDataDir`). */
export async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Database> {
  const statements = { count: 0 };
  const pg = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: PGLITE_EXTENSIONS,
  });
  await pg.exec(`SET TIME ZONE 'Asia/Shanghai'`);
  const db = drizzlePglite(pg, { schema, logger: counter(statements) }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    statements,
    availability: new Availability(async () => {
      await pg.query('select 1');
    }),
    async listen(channel, onNotify) {
      return pg.listen(channel, onNotify);
    },
    async ping() {
      await pg.query('select 1');
    },
    async close() {
      await pg.close();
    },
  };
}

/** Drizzle's logger sees every statement it sends, inside transactions too, on both drivers. */
const counter = (statements: { count: number }) => ({
  logQuery() {
    statements.count++;
  },
});
