import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  callbacks,
  complaintEvents,
  complaints,
  customerContacts,
  escalations,
  extensions,
  investigations,
  lineRecords,
  progressReports,
  rectifications,
  responsibilityFindings,
  supervisionNotes,
  transferFeedback,
} from '../db/schema.js';
import { appendEvent } from '../events/append.js';
import { ENDED_STATUSES } from './enums.js';
import type { LineRegistry } from './lines.js';

/**
 * D15: a case that ended (CLOSED, REJECTED or WITHDRAWN, archived or not)
 * more than the retention period ago keeps its facts and loses every piece
 * of personal data and every free text a person wrote about it:
 * - the customer's fields and the personal-data fields its line declares in
 *   `details` (D50);
 * - title, description, investigation findings, the responsibility
 *   finding's root cause, person and rectification, the contents of
 *   contacts and replies, callback, supervision and escalation notes;
 * - the events' notes (D51: the payload keeps only `noteSha256`, so the
 *   chain still verifies without the text).
 * An ANONYMISE event (no actor) extends the chain. Statistics survive: they
 * count states, times, codes and the repeat flag decided at registration
 * (D31). Claims work with FOR UPDATE SKIP LOCKED, so every instance may run it.
 */
export const ANONYMISED = '（已匿名 anonymised）';

export async function anonymiseExpired(
  db: Db,
  now: Date,
  retentionYears: number,
  lines: LineRegistry,
  limit = 200,
): Promise<number> {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - retentionYears);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: complaints.id,
        status: complaints.status,
        lastEventHash: complaints.lastEventHash,
        businessLine: complaints.businessLine,
        details: complaints.details,
      })
      .from(complaints)
      .where(
        and(
          inArray(complaints.status, [...ENDED_STATUSES, 'ARCHIVED']),
          lt(complaints.endedAt, cutoff),
          isNull(complaints.anonymisedAt),
        ),
      )
      .orderBy(complaints.endedAt)
      .limit(limit)
      .for('update', { skipLocked: true });
    for (const c of due) {
      const details = { ...c.details };
      for (const field of Object.keys(lines.personalData(c.businessLine)))
        if (field in details) details[field] = ANONYMISED;
      await tx
        .update(complaints)
        .set({
          title: ANONYMISED,
          description: ANONYMISED,
          customerName: ANONYMISED,
          customerPhone: ANONYMISED,
          customerAddress: null,
          customerAccount: null,
          details,
          anonymisedAt: now,
        })
        .where(eq(complaints.id, c.id));
      await tx
        .update(investigations)
        .set({ findings: ANONYMISED })
        .where(eq(investigations.complaintId, c.id));
      await tx
        .update(responsibilityFindings)
        .set({ rootCause: ANONYMISED, responsiblePerson: null, rectification: null })
        .where(eq(responsibilityFindings.complaintId, c.id));
      await tx
        .update(customerContacts)
        .set({ content: ANONYMISED })
        .where(eq(customerContacts.complaintId, c.id));
      await tx.update(callbacks).set({ note: null }).where(eq(callbacks.complaintId, c.id));
      await tx
        .update(supervisionNotes)
        .set({ note: ANONYMISED })
        .where(eq(supervisionNotes.complaintId, c.id));
      await tx
        .update(escalations)
        .set({ note: ANONYMISED, decisionNote: null })
        .where(eq(escalations.complaintId, c.id));
      // D15, D75: a rectification keeps its status and times; what people wrote about it goes.
      await tx
        .update(rectifications)
        .set({
          what: ANONYMISED,
          measures: sql`case when ${rectifications.measures} is null then null else ${ANONYMISED} end`,
          verifyNote: null,
        })
        .where(eq(rectifications.complaintId, c.id));
      // DOMAIN §10's free texts: progress reports (D73), feedback to the transferring body (D74), extension reasons (D78).
      await tx
        .update(progressReports)
        .set({ note: ANONYMISED })
        .where(eq(progressReports.complaintId, c.id));
      await tx
        .update(transferFeedback)
        .set({ content: ANONYMISED })
        .where(eq(transferFeedback.complaintId, c.id));
      await tx
        .update(extensions)
        .set({ reason: ANONYMISED, decisionNote: null })
        .where(eq(extensions.complaintId, c.id));
      // D15, D36: a line's own records keep their figures; the free text in them (a `note`) goes.
      await tx
        .update(lineRecords)
        .set({ data: sql`${lineRecords.data} - 'note'` })
        .where(eq(lineRecords.complaintId, c.id));
      // The one change the event log allows (migrations/0009): a note erased, the hashed payload untouched.
      await tx
        .update(complaintEvents)
        .set({ note: null })
        .where(eq(complaintEvents.complaintId, c.id));
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
