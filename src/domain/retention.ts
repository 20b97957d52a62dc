import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { complaints } from '../db/schema.js';
import { appendEvent } from '../events/append.js';

/**
 * D15: after the retention period an archived case keeps everything but the
 * customer's personal data (D50), which is replaced by irreversible
 * placeholders; an ANONYMISE event (no actor) extends the chain. Statistics
 * survive: the repeat-complaint flag was decided at registration (D31).
 * Claims work with FOR UPDATE SKIP LOCKED, so every instance may run it.
 */
export const ANONYMISED = '（已匿名 anonymised）';

export async function anonymiseExpired(db: Db, now: Date, retentionYears: number, limit = 200): Promise<number> {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - retentionYears);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: complaints.id, status: complaints.status, lastEventHash: complaints.lastEventHash })
      .from(complaints)
      .where(and(eq(complaints.status, 'ARCHIVED'), lt(complaints.archivedAt, cutoff), isNull(complaints.anonymisedAt)))
      .orderBy(complaints.archivedAt)
      .limit(limit)
      .for('update', { skipLocked: true });
    for (const c of due) {
      await tx
        .update(complaints)
        .set({ customerName: ANONYMISED, customerPhone: ANONYMISED, customerAddress: null, customerAccount: null, anonymisedAt: now })
        .where(eq(complaints.id, c.id));
      await appendEvent(tx, {
        complaintId: c.id,
        prevHash: c.lastEventHash,
        action: 'ANONYMISE',
        fromStatus: c.status,
        toStatus: c.status,
        actor: null,
        at: now,
        payload: null,
      });
    }
    return due.length;
  });
}
