import { and, eq, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../db/schema.js';
import { canonicalize, sha256Hex } from './canonical-json.js';
import { complaintById, registerComplaint, type Env, type RegisterInput, type Who } from './complaints.js';
import { DomainError } from './errors.js';
import { LIMITS, shallowJson, text } from './input.js';
import type { ComplaintRow } from './lifecycle.js';

/**
 * D40, D41: a partner carrier's interconnection complaint. The idempotency
 * key makes retries safe: the same key with the same payload returns the
 * complaint it created (also when the retries race: a transaction-scoped
 * advisory lock on the key serialises them), the same key with another
 * payload is IDEMPOTENCY_MISMATCH. Keys are kept (at least 30 days).
 */
export type InterconnectionInput = {
  idempotencyKey: string;
  title: string;
  description: string;
  category: string;
  customer: RegisterInput['customer'];
  details?: unknown;
  contactAt?: Date | null;
};

export async function submitInterconnectionComplaint(env: Env, who: Who, input: InterconnectionInput): Promise<ComplaintRow> {
  const viewer = who.viewer;
  if (viewer.kind !== 'partner') throw new DomainError('FORBIDDEN', 'Partner carriers only');
  const key = text(input.idempotencyKey, ['input', 'idempotencyKey'], { required: true, max: LIMITS.idempotencyKey });
  shallowJson(input.details, ['input', 'details']); // before the hash walks it (issue 19: 20,000 nested arrays overflowed the stack)
  const { idempotencyKey: _key, ...payload } = input;
  const payloadHash = sha256Hex(canonicalize({ ...payload, contactAt: payload.contactAt?.toISOString() ?? null }));

  return env.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${viewer.id}:${key}`}, 0))`);
    const [seen] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.partnerId, viewer.id), eq(idempotencyKeys.key, key)));
    if (seen) {
      if (seen.payloadHash !== payloadHash) {
        throw new DomainError('IDEMPOTENCY_MISMATCH', 'This idempotency key was used with another payload', ['input', 'idempotencyKey']);
      }
      return (await complaintById(tx, seen.complaintId))!;
    }
    const c = await registerComplaint({ ...env, db: tx }, who, {
      channel: 'API',
      source: 'PARTNER_CARRIER',
      businessLine: 'interconnection',
      category: input.category,
      title: input.title,
      description: input.description,
      customer: input.customer,
      details: input.details,
      contactAt: input.contactAt,
    });
    await tx.insert(idempotencyKeys).values({ partnerId: viewer.id, key, payloadHash, complaintId: c.id, createdAt: env.clock.now() });
    return c;
  });
}
