import { and, desc, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditRecords, orgUnits } from '../db/schema.js';
import type { KeysetWindow } from './input.js';
import { inSubtrees } from './org.js';

/** Who makes an administrative change, and when (D52's audit records). */
export type AuditBy = { userId: string | null; partnerId?: string | null; at: Date };

export type AuditAction =
  | 'CREATE_ORG_UNIT'
  | 'MOVE_ORG_UNIT'
  | 'UPDATE_ORG_UNIT'
  | 'CREATE_USER'
  | 'DISABLE_USER'
  | 'RESET_PASSWORD'
  | 'CHANGE_PASSWORD'
  | 'CREATE_PARTNER'
  | 'ROTATE_PARTNER_KEY'
  | 'EXPORT_COMPLAINTS'
  | 'EXPORT_STATS'
  | 'EXPORT_REPORT';

export type AuditEntry = {
  action: AuditAction;
  /** The unit whose AUDITORs read the record (its subtree's auditors included). */
  unitId: string | null;
  targetUserId?: string | null;
  targetPartnerId?: string | null;
  targetUnitId?: string | null;
  /** What changed; never a password, a key or a hash. */
  detail?: Record<string, unknown>;
};

/**
 * D52: every change to users, grants, partners and units — and every export
 * (issue 18) — is one append-only record, written in the change's own
 * transaction (no change without its record, no record without its change).
 */
export async function recordAudit(tx: Db, by: AuditBy, e: AuditEntry) {
  await tx.insert(auditRecords).values({
    actorUserId: by.userId,
    actorPartnerId: by.partnerId ?? null,
    action: e.action,
    unitId: e.unitId,
    targetUserId: e.targetUserId ?? null,
    targetPartnerId: e.targetPartnerId ?? null,
    targetUnitId: e.targetUnitId ?? null,
    detail: e.detail ?? {},
    at: by.at,
  });
}

/** D52: the audit records of units inside the given subtrees (the viewer's audited ones), newest first. */
export async function auditRecordsPage(db: Db, paths: string[], page: KeysetWindow) {
  const conds: SQL[] = [
    sql`${auditRecords.unitId} in (select ${orgUnits.id} from ${orgUnits} where ${inSubtrees(orgUnits.path, paths)})`,
  ];
  if (page.after !== null) conds.push(lt(auditRecords.position, page.after));
  return db
    .select()
    .from(auditRecords)
    .where(and(...conds))
    .orderBy(desc(auditRecords.position))
    .limit(page.limit + 1);
}
