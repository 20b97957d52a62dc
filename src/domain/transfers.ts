import { transferFeedback } from '../db/schema.js';
import type { Inputs } from './complaint-inputs.js';
import type { Effect } from './complaint-steps.js';
import { type CallbackResult, type ContactMethod, TRANSFER_SOURCES } from './enums.js';
import { DomainError } from './errors.js';
import { LIMITS, text } from './input.js';
import type { ComplaintRow } from './lifecycle.js';

/**
 * D74: feedback to whoever transferred a case (向转办单位反馈). A transfer
 * (D9) records its transferring body (`transferredBy`) and reference; the
 * LEGAL_OFFICER records what was fed back (`recordTransferFeedback`) before
 * the transfer's own deadline (clock FEEDBACK, started at registration, due
 * then, fixed). A transfer cannot close before its feedback is recorded.
 */

export type TransferInputs = {
  RECORD_TRANSFER_FEEDBACK: { method: ContactMethod; content: string };
};

export const isTransfer = (c: Pick<ComplaintRow, 'source'>) => TRANSFER_SOURCES.includes(c.source);

/**
 * D74: a callback that would close a transfer (SATISFIED, BASICALLY_SATISFIED,
 * UNREACHABLE) is refused until its feedback is recorded; an UNSATISFIED one,
 * or a second callback on a closed case, is not.
 */
export function closingBlocked(c: ComplaintRow, result: CallbackResult): string | null {
  if (!isTransfer(c) || c.transferFeedbackAt || c.status !== 'REPLIED' || result === 'UNSATISFIED')
    return null;
  return `Case ${c.number} is a transfer: record the feedback to its transferring body first (D74)`;
}

export const TRANSFER_EFFECTS: { [A in keyof TransferInputs]: Effect<A> } = {
  async RECORD_TRANSFER_FEEDBACK(s, input: Inputs['RECORD_TRANSFER_FEEDBACK']) {
    const content = text(input.content, ['input', 'content'], { required: true, max: LIMITS.note });
    if (!s.actorUserId)
      throw new DomainError('FORBIDDEN', 'Feedback is recorded by a LEGAL_OFFICER');
    await s.tx.insert(transferFeedback).values({
      complaintId: s.c.id,
      method: input.method,
      content,
      byUserId: s.actorUserId,
      at: s.now,
    });
    // The FEEDBACK clock stops (MET or MISSED) with the first feedback: CLOCK_EFFECTS.
    return {
      set: { transferFeedbackAt: s.c.transferFeedbackAt ?? s.now },
      payload: { method: input.method },
    };
  },
};
