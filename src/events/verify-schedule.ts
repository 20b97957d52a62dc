import { desc, sql } from 'drizzle-orm';
import type { Clock } from '../config/clock.js';
import type { Database, Db } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { chainVerifications } from '../db/schema.js';
import { type BrokenChain, verifyAllChains } from './verify.js';

/**
 * Issue 26 (D51, D56): the scheduled verification of every case's event chain. Every instance checks now
 * and then whether a run is due (none started within the interval); a run is claimed with a transaction-level
 * advisory lock, so across instances one runs at a time and the others skip (they never wait), and it stores
 * its result in `chain_verifications` in the same transaction. PGlite has one process by construction: no
 * lock and no long transaction there (it would hold the only connection for the whole run).
 */

export type ChainVerification = typeof chainVerifications.$inferSelect;

/** The advisory lock's key: any constant no other part of the platform uses (`chain-verify` in ASCII). */
export const CHAIN_VERIFY_LOCK = 0x636861696e76n;

export type VerifyOutcome = { ran: ChainVerification } | { skipped: 'locked' | 'recent' };

/** The newest stored run, or null when none has run yet. */
export async function lastChainVerification(db: Db): Promise<ChainVerification | null> {
  const [row] = await db
    .select()
    .from(chainVerifications)
    .orderBy(desc(chainVerifications.startedAt))
    .limit(1);
  return row ?? null;
}

async function verifyAndStore(
  db: Db,
  clock: Clock,
  onBroken?: (b: BrokenChain) => void,
): Promise<ChainVerification> {
  const startedAt = clock.now();
  const report = await verifyAllChains(db, onBroken);
  const [row] = await db
    .insert(chainVerifications)
    .values({
      startedAt,
      finishedAt: clock.now(),
      cases: report.cases,
      events: report.events,
      broken: report.broken.map((b) => ({
        complaintId: b.complaintId,
        number: b.number,
        position: String(b.brokenAt.position),
        eventId: b.brokenAt.eventId,
        reason: b.brokenAt.reason,
      })),
    })
    .returning();
  return row!;
}

/**
 * Runs a verification when none started within `intervalMs` (0: whenever asked) and no other instance is
 * running one; returns the stored run, or why it skipped.
 */
export async function verifyChainsIfDue(
  database: Pick<Database, 'kind' | 'db'>,
  clock: Clock,
  intervalMs: number,
  onBroken?: (b: BrokenChain) => void,
): Promise<VerifyOutcome> {
  const recent = async (db: Db) => {
    const last = await lastChainVerification(db);
    return (
      last !== null &&
      intervalMs > 0 &&
      clock.now().getTime() - last.startedAt.getTime() < intervalMs
    );
  };
  if (database.kind === 'pglite') {
    if (await recent(database.db)) return { skipped: 'recent' };
    return { ran: await verifyAndStore(database.db, clock, onBroken) };
  }
  return database.db.transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(
      await tx.execute(
        sql`select pg_try_advisory_xact_lock(${CHAIN_VERIFY_LOCK}::bigint) as locked`,
      ),
    );
    if (!lock?.locked) return { skipped: 'locked' as const };
    if (await recent(tx)) return { skipped: 'recent' as const };
    return { ran: await verifyAndStore(tx, clock, onBroken) };
  });
}

type Log = {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
};

/**
 * Checks every `checkEveryMs` (at most every 15 minutes, the first time a minute after start) whether a
 * verification is due and runs it; logs one line per run (and one per broken chain: its number and first
 * bad event, no personal data). `intervalHours` 0: not started at all.
 */
export function startChainVerification(opts: {
  database: Pick<Database, 'kind' | 'db'>;
  clock: Clock;
  intervalHours: number;
  logger: Log;
  firstCheckMs?: number;
  checkEveryMs?: number;
}): { stop(): Promise<void> } | null {
  if (!(opts.intervalHours > 0)) return null;
  const intervalMs = opts.intervalHours * 3_600_000;
  const checkEveryMs = opts.checkEveryMs ?? Math.min(intervalMs, 15 * 60_000);
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    const started = Date.now();
    running = verifyChainsIfDue(opts.database, opts.clock, intervalMs, (b) =>
      opts.logger.error(
        {
          complaint: b.number,
          position: String(b.brokenAt.position),
          eventId: b.brokenAt.eventId,
          reason: b.brokenAt.reason,
        },
        'event chain broken',
      ),
    )
      .then((r) => {
        if (!('ran' in r)) return;
        const broken = r.ran.broken.length;
        opts.logger[broken ? 'warn' : 'info'](
          { cases: r.ran.cases, events: r.ran.events, broken, ms: Date.now() - started },
          'event chains verified',
        );
      })
      .catch((err: unknown) => opts.logger.error({ err }, 'event chain verification failed'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, opts.firstCheckMs ?? Math.min(60_000, checkEveryMs));
  const every = setInterval(tick, checkEveryMs);
  first.unref();
  every.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
