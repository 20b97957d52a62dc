import { and, eq, isNull } from 'drizzle-orm';
import { assignments } from '../db/schema.js';
import type { Budget } from '../sla/budget.js';
import { budgetFor, startClocks, stopClocks } from '../sla/clocks.js';
import { INPUT, type Inputs } from './complaint-inputs.js';
import { assignTo, type Effect, receivingUnit, recordContact } from './complaint-steps.js';
import type { ContactKind, ContactMethod } from './enums.js';
import { DomainError } from './errors.js';
import { futureDeadline, LIMITS, text } from './input.js';
import type { BusinessLinePlugin } from './plugin.js';

/**
 * D71: consultations, queries and business requests. They are RECEIVED at
 * registration and end CLOSED when answered (`answerContact`), may be
 * forwarded to any unit whose HANDLERs then answer them (`forwardContact`,
 * ASSIGNMENT clock), or turn out to be a complaint (`convertToComplaint`,
 * in complaint-intake.ts because it registers a case). They are never
 * accepted, dispatched or called back.
 */

export type ContactInputs = {
  ANSWER_CONTACT: { method: ContactMethod; content: string };
  /** `toUnitId` null: the ID given was malformed (a VALIDATION error, checked last). */
  FORWARD_CONTACT: { toUnitId: string | null; deadline: Date; note?: string | null };
  CONVERT_TO_COMPLAINT: { note?: string | null };
};

const DAY_MS = 24 * 60 * 60 * 1000;
/** D71: a forward's deadline lies at most 15 days ahead. */
export const FORWARD_MAX_DAYS = 15;

/** D71: ANSWER's budget by kind: 4 hours for a consultation, 24 for queries and requests; a complaint's as §4 (a line may override). */
export function answerBudget(kind: ContactKind, line: BusinessLinePlugin | null): Budget {
  if (kind === 'CONSULTATION') return { hours: 4 };
  if (kind === 'QUERY' || kind === 'BUSINESS_REQUEST') return { hours: 24 };
  return budgetFor('ANSWER', line);
}

/** The open forward of a contact (its latest assignment not yet answered or superseded). */
async function openForward(s: Parameters<Effect<'ANSWER_CONTACT'>>[0]) {
  const [a] = await s.tx
    .select()
    .from(assignments)
    .where(
      and(
        eq(assignments.complaintId, s.c.id),
        isNull(assignments.reportedAt),
        isNull(assignments.returnedAt),
      ),
    );
  return a ?? null;
}

export const CONTACT_EFFECTS: { [A in 'ANSWER_CONTACT' | 'FORWARD_CONTACT']: Effect<A> } = {
  async ANSWER_CONTACT(s, input: Inputs['ANSWER_CONTACT']) {
    const content = text(input.content, INPUT('content'), { required: true, max: LIMITS.note });
    await recordContact(s, { method: input.method, content, final: true, substantive: true });
    const a = await openForward(s);
    if (a)
      await s.tx.update(assignments).set({ reportedAt: s.now }).where(eq(assignments.id, a.id));
    // ANSWER and ASSIGNMENT stop MET or MISSED (CLOCK_EFFECTS); archived like complaints (§4: ARCHIVE).
    await startClocks(s.clocks, [{ kind: 'ARCHIVE', budget: budgetFor('ARCHIVE', s.line) }]);
    return {
      to: 'CLOSED',
      set: { answeredAt: s.c.answeredAt ?? s.now, repliedAt: s.now, closedAt: s.now },
      payload: { method: input.method, final: true, forwardedTo: a ? a.toUnitId : null },
    };
  },

  async FORWARD_CONTACT(s, input: Inputs['FORWARD_CONTACT']) {
    const { tx, c, now } = s;
    const target = await receivingUnit(s, input.toUnitId, 'it receives nothing');
    if (!target.path.split('/').includes(c.provinceId)) {
      throw new DomainError(
        'FORBIDDEN',
        "A contact is forwarded within its own province's units (D71)",
        INPUT('toUnitId'),
      );
    }
    const latest = new Date(now.getTime() + FORWARD_MAX_DAYS * DAY_MS);
    const deadline = futureDeadline(input.deadline, now, latest, INPUT('deadline'));
    const n = input.note == null ? null : text(input.note, INPUT('note'), { max: LIMITS.note });
    // A new forward supersedes the one still open: its clock can no longer be met there.
    const prior = await openForward(s);
    if (prior) {
      await tx.update(assignments).set({ returnedAt: now }).where(eq(assignments.id, prior.id));
      await stopClocks(s.clocks, ['ASSIGNMENT'], { assignmentId: prior.id, cancel: true });
    }
    return {
      set: await assignTo(s, target, deadline),
      payload: { toUnit: target.code, deadline: deadline.toISOString(), note: n },
    };
  },
};
