import { and, eq, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../db/schema.js';
import { complaintById, type Env, withAfterCommit } from './complaint-env.js';
import { DomainError } from './errors.js';
import type { ComplaintRow } from './lifecycle.js';

/**
 * D40: a partner's idempotency key makes a submission safe to retry. The
 * same key with the same payload returns the complaint it created (also when
 * retries race: a transaction-scoped advisory lock on the key serialises
 * them); the same key with another payload is IDEMPOTENCY_MISMATCH. Keys
 * are kept (at least 30 days). `create` runs in the key's transaction, and
 * its after-commit hooks (D35) once that committed.
 */
export async function idempotent(
  env: Env,
  partnerId: string,
  key: string,
  payloadHash: string,
  create: (env: Env) => Promise<ComplaintRow>,
): Promise<ComplaintRow> {
  return withAfterCommit(env, async (txEnv) => {
    const tx = txEnv.db;
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`${partnerId}:${key}`}, 0))`,
    );
    const [seen] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.partnerId, partnerId), eq(idempotencyKeys.key, key)));
    if (seen) {
      if (seen.payloadHash !== payloadHash) {
        throw new DomainError(
          'IDEMPOTENCY_MISMATCH',
          'This idempotency key was used with another payload',
          ['input', 'idempotencyKey'],
        );
      }
      return (await complaintById(tx, seen.complaintId))!;
    }
    const c = await create(txEnv);
    await tx
      .insert(idempotencyKeys)
      .values({ partnerId, key, payloadHash, complaintId: c.id, createdAt: env.clock.now() });
    return c;
  });
}
