import { createHash } from 'node:crypto';
import { callbacks } from '../db/schema.js';
import { budgetFor, startClocks, stopClocks } from '../sla/clocks.js';
import { INPUT, note } from './complaint-inputs.js';
import { type Effects, recordContact, resolveClock } from './complaint-steps.js';
import type { Status } from './enums.js';
import { DomainError } from './errors.js';
import { LIMITS, text } from './input.js';
import type { ComplaintRow } from './lifecycle.js';
import type { BusinessLinePlugin } from './plugin.js';
import { closingBlocked } from './transfers.js';

/**
 * The customer's side of a case (D14, D23, D25, D26): contacted, replied to,
 * called back (satisfied it closes, unsatisfied it reopens), archived, or
 * withdrawn by the customer.
 */

/** D14: whether this closing owes a second callback: lines that declare ALWAYS, others by a stable sample. */
function secondCallbackFor(c: ComplaintRow, line: BusinessLinePlugin | null, sample: number) {
  if (line?.secondCallback === 'ALWAYS') return true;
  const h = createHash('sha256').update(`${c.id}:${c.reopenCount}`).digest();
  return h.readUInt32BE(0) / 2 ** 32 < sample;
}

/** Back to INVESTIGATING at the unit whose report it was (D11), or to the province's desk (ACCEPTED). */
const reopenAt = (c: ComplaintRow): Status =>
  c.handlingLevel === 'PROVINCE' ? 'ACCEPTED' : 'INVESTIGATING';

export const CLOSING_EFFECTS: Effects<
  'CONTACT_CUSTOMER' | 'REPLY_TO_CUSTOMER' | 'RECORD_CALLBACK' | 'ARCHIVE' | 'WITHDRAW'
> = {
  async CONTACT_CUSTOMER(s, input) {
    const content = text(input.content, INPUT('content'), { required: true, max: LIMITS.note });
    const substantive = input.substantive === true;
    await recordContact(s, { method: input.method, content, final: false, substantive });
    if (!substantive) return { payload: { method: input.method, final: false, substantive } };
    // D23: an answer on the substance stops ANSWER, even if the case goes on; a progress note does not.
    await stopClocks(s.clocks, ['ANSWER']);
    return {
      set: { answeredAt: s.c.answeredAt ?? s.now },
      payload: { method: input.method, final: false, substantive },
    };
  },

  async REPLY_TO_CUSTOMER(s, input) {
    const content = text(input.content, INPUT('content'), { required: true, max: LIMITS.note });
    await recordContact(s, { method: input.method, content, final: true, substantive: true });
    return {
      to: 'REPLIED',
      set: { repliedAt: s.now, answeredAt: s.c.answeredAt ?? s.now, callbackOwed: true },
      payload: { method: input.method, final: true },
    };
  },

  async RECORD_CALLBACK(s, input) {
    const { tx, c, now, line, env } = s;
    const n = note(input.note, false);
    const second = c.status === 'CLOSED';
    const blocked = closingBlocked(c, input.result); // D74
    if (blocked) throw new DomainError('INVALID_TRANSITION', blocked, INPUT('result'));
    await tx.insert(callbacks).values({
      complaintId: c.id,
      result: input.result,
      note: n,
      second,
      at: now,
      byUserId: s.actorUserId!,
    });
    const payload = { result: input.result, second, note: n };
    if (input.result === 'UNSATISFIED') {
      // D14: reopened where it was last handled, counted, and the customer is owed a new contact.
      // D25: the work's clocks start again from the reopening; a CLOSE (or ARCHIVE) still running
      // ends here CANCELLED (MISSED if it had breached), and the earlier clocks keep their ends.
      await stopClocks(s.clocks, ['CLOSE', 'ARCHIVE', 'REPLY'], { cancel: true });
      await startClocks(s.clocks, [
        { kind: 'RECONTACT', budget: budgetFor('RECONTACT', line) },
        resolveClock(c, line),
        { kind: 'CLOSE', budget: budgetFor('CLOSE', line) },
      ]);
      return {
        to: reopenAt(c),
        set: {
          reopenCount: c.reopenCount + 1,
          callbackOwed: false,
          secondCallbackOwed: false,
          closedAt: null,
          resolvedAt: null,
          repliedAt: null,
        },
        payload,
      };
    }
    if (second) return { set: { secondCallbackOwed: false }, payload };
    await stopClocks(s.clocks, ['CLOSE']);
    await startClocks(s.clocks, [{ kind: 'ARCHIVE', budget: budgetFor('ARCHIVE', line) }]);
    return {
      to: 'CLOSED',
      set: {
        closedAt: now,
        callbackOwed: false,
        secondCallbackOwed: secondCallbackFor(c, line, env.config.secondCallbackSample),
      },
      payload,
    };
  },

  async ARCHIVE(s, input) {
    const n = note(input.note, false);
    await stopClocks(s.clocks, ['ARCHIVE']);
    await stopClocks(s.clocks, 'ALL', { cancel: true }); // D26: whatever else runs can no longer be met
    return {
      to: 'ARCHIVED',
      set: { archivedAt: s.now, secondCallbackOwed: false },
      payload: { note: n },
    };
  },

  async WITHDRAW(s, input) {
    const n = note(input.note, true);
    await stopClocks(s.clocks, 'ALL', { cancel: true }); // D26: the customer withdrew; no step is owed any more
    return {
      to: 'WITHDRAWN',
      set: { suspended: false, suspendedAt: null, escalationPending: false },
      payload: { note: n },
    };
  },
};
