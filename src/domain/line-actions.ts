import { and, eq } from 'drizzle-orm';
import { canRead, mayTakeLineAction } from '../auth/complaint-rules.js';
import type { Db } from '../db/client.js';
import { lineRecords } from '../db/schema.js';
import { notFound } from './complaint-checks.js';
import { afterCommitted, commitChange, type Env, lockCase, type Who } from './complaint-env.js';
import type { Role, Status } from './enums.js';
import { DomainError } from './errors.js';
import type { ComplaintRow, Relation } from './lifecycle.js';

/**
 * D36: a business line's own action on one of its cases (e.g. the billing
 * dispute's `recordBillingAdjustment`), under the core's guarantees: the
 * case locked, D55's refusals in D55's order, one event named after the
 * action (D56) appended in the same transaction, the version bumped, and
 * the line's after-hook once it committed (D35). What the action writes is
 * the line's `effect`; a line keeps its own data in `line_records`.
 */
export type LineActionRule = {
  /** The event's action, e.g. RECORD_BILLING_ADJUSTMENT. */
  action: string;
  /** The line whose cases it applies to (other lines' cases: INVALID_TRANSITION). */
  line: string;
  /** States it may be taken from. */
  from: readonly Status[];
  /** D55's first FORBIDDEN: the role kinds. */
  roles: readonly Role[];
  /** D55's second FORBIDDEN: the relations (D53 seats) any of which lets a viewer act now. */
  who: readonly Relation[];
};

/** What a line action writes; `payload` becomes its event's (a `note` in it is free text, kept apart from the chain: D51). */
export type LineEffect = (
  tx: Db,
  c: ComplaintRow,
  at: { actorUserId: string | null; now: Date },
) => Promise<{ payload: Record<string, unknown> }>;

export async function lineAction(
  env: Env,
  who: Who,
  id: string,
  rule: LineActionRule,
  effect: LineEffect,
  expectedVersion?: number | null,
): Promise<ComplaintRow> {
  const { row, event } = await env.db.transaction(async (tx) => {
    const c = await lockCase(tx, id);
    if (!c || !canRead(who.ability, c)) throw notFound();
    if (c.status === 'ARCHIVED')
      throw new DomainError(
        'ARCHIVED',
        `Case ${c.number} is archived and can no longer change (D15)`,
      );
    if (mayTakeLineAction(who.viewer, c, rule) === 'ROLE')
      throw new DomainError('FORBIDDEN', `Your roles do not allow ${rule.action} (D53)`);
    if (expectedVersion != null && expectedVersion !== c.version) {
      throw new DomainError(
        'CONFLICT',
        `Case ${c.number} is at version ${c.version}, not ${expectedVersion}: reload it`,
      );
    }
    if (c.businessLine !== rule.line)
      throw new DomainError(
        'INVALID_TRANSITION',
        `${rule.action} applies to ${rule.line} cases only`,
      );
    if (!rule.from.includes(c.status))
      throw new DomainError('INVALID_TRANSITION', `${rule.action} is not allowed from ${c.status}`);
    if (mayTakeLineAction(who.viewer, c, rule) === 'SEAT')
      throw new DomainError(
        'FORBIDDEN',
        `You do not hold case ${c.number} for ${rule.action} now (D53)`,
      );

    const now = env.clock.now();
    const { payload } = await effect(tx, c, {
      actorUserId: who.viewer.kind === 'user' ? who.viewer.id : null,
      now,
    });
    return commitChange(tx, c, who.viewer, {
      action: rule.action,
      to: c.status,
      set: {},
      at: now,
      payload,
    });
  });
  await afterCommitted(env, row.businessLine, row.number, event);
  return row;
}

/** A line's records of one kind on a case, oldest first (e.g. its billing adjustments). */
export async function lineRecordsOf(db: Db, line: string, kind: string, complaintId: string) {
  return db
    .select()
    .from(lineRecords)
    .where(
      and(
        eq(lineRecords.complaintId, complaintId),
        eq(lineRecords.line, line),
        eq(lineRecords.kind, kind),
      ),
    )
    .orderBy(lineRecords.at, lineRecords.id);
}

/** Writes a line's record on a case (inside a line action's transaction). */
export async function addLineRecord(
  tx: Db,
  r: {
    line: string;
    kind: string;
    complaintId: string;
    data: Record<string, unknown>;
    byUserId: string | null;
    at: Date;
  },
) {
  const [row] = await tx.insert(lineRecords).values(r).returning();
  return row!;
}
