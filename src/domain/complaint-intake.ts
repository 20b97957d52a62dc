import { shanghaiDate, shanghaiMidnight } from '../sla/calendar.js';
import { budgetFor, startClocks, stopClocks } from '../sla/clocks.js';
import type { Env } from './complaint-env.js';
import { INPUT, note } from './complaint-inputs.js';
import { insertCase, isRepeat } from './complaint-registration.js';
import { type Effects, recordContact, resolveClock } from './complaint-steps.js';
import { validation } from './errors.js';
import { LIMITS, pastInstant, text } from './input.js';
import type { ComplaintRow } from './lifecycle.js';
import { mergeDetails } from './lines.js';
import { unitById } from './org.js';
import { openLedger } from './supervision.js';

/**
 * The first decision on a registered case (D8, D71, D72, D73): accepted into
 * a business line, rejected, resolved on the spot, or, for a contact,
 * converted into a complaint.
 */

/**
 * D8: how far back an event may lie when the case is accepted, and when it
 * occurred: `occurredAt` as given; for a billing dispute without it, the first
 * day of its billing period; else the contact.
 */
export function acceptanceWindow(
  env: Env,
  lineCode: string,
  c: Pick<ComplaintRow, 'occurredAt' | 'contactAt' | 'details'>,
) {
  const windows = env.config.acceptanceWindowMonths;
  const months =
    windows.byLine[lineCode] ?? env.lines.get(lineCode)?.acceptanceWindowMonths ?? windows.default;
  const now = env.clock.now();
  const oldest = new Date(now);
  oldest.setUTCMonth(oldest.getUTCMonth() - months);
  // A line whose details carry the disputed bill's month (`billingPeriod`, YYYY-MM) dates the event by it.
  const period =
    typeof c.details?.billingPeriod === 'string' && /^\d{4}-\d{2}$/.test(c.details.billingPeriod)
      ? c.details.billingPeriod
      : null;
  const [occurred, basis] = c.occurredAt
    ? [c.occurredAt, 'occurredAt']
    : period
      ? [shanghaiMidnight(`${period}-01`), `billing period ${period}`]
      : [c.contactAt, 'the contact'];
  return { months, oldest, occurred, basis };
}

export const INTAKE_EFFECTS: Effects<
  'ACCEPT' | 'REJECT' | 'RESOLVE_ON_SPOT' | 'CONVERT_TO_COMPLAINT'
> = {
  async ACCEPT(s, input) {
    const { env, c, now } = s;
    const line = env.lines.require(input.businessLine, INPUT('businessLine'));
    if (!env.lines.hasCategory(line.code, input.category)) {
      throw validation(
        INPUT('category'),
        `Category ${input.category} is not one of ${line.code}'s`,
      );
    }
    const details = env.lines.validateDetails(
      line.code,
      mergeDetails(c.details, input.details),
      INPUT('details'),
    );
    const occurredAt =
      input.occurredAt != null
        ? pastInstant(input.occurredAt, now, INPUT('occurredAt'))
        : c.occurredAt;
    const window = acceptanceWindow(env, line.code, { ...c, occurredAt, details });
    if (window.occurred < window.oldest) {
      throw validation(
        INPUT('occurredAt'),
        `The event (${shanghaiDate(window.occurred)}, ${window.basis}) is outside the ${window.months}-month acceptance window (D8): reject it as EXPIRED`,
      );
    }
    await startClocks(s.clocks, [
      { kind: 'INITIAL_INVESTIGATION', budget: budgetFor('INITIAL_INVESTIGATION', line) },
      { kind: 'INITIAL_RESULT', budget: budgetFor('INITIAL_RESULT', line) },
      resolveClock(c, line),
      { kind: 'CLOSE', budget: budgetFor('CLOSE', line) },
    ]);
    // D72, D73: a fault report, or a MAJOR or URGENT case, is supervised by the province from acceptance.
    const reason =
      c.kind === 'FAULT_REPORT'
        ? 'FAULT_REPORT'
        : input.severity !== 'ORDINARY'
          ? 'SEVERITY'
          : null;
    const ledger = reason
      ? await openLedger(s.tx, s.clocks, line, c, {
          unitId: c.provinceId,
          supervisorId: null,
          reason,
          openedBy: null,
          at: now,
        })
      : {};
    return {
      to: 'ACCEPTED',
      set: {
        ...ledger,
        businessLine: line.code,
        category: input.category,
        severity: input.severity,
        details,
        occurredAt,
        acceptedAt: now,
        legalOwned: c.legalOwned || line.heldBy === 'LEGAL_OFFICER', // D41
        isRepeat: isRepeat(c.customerPhone, line.code, c.registeredAt, c.id),
      },
      payload: { businessLine: line.code, category: input.category, severity: input.severity },
    };
  },

  async REJECT(s, input) {
    const { c } = s;
    // D8: a partner's complaint, or one of a line that declares itself always in scope.
    if (
      input.reason === 'OUT_OF_SCOPE' &&
      (c.source === 'PARTNER_CARRIER' || s.line?.alwaysInScope)
    ) {
      throw validation(
        INPUT('reason'),
        `${s.line?.name ?? 'Partner carriers'}' complaints are always in scope (D8)`,
      );
    }
    const n = note(input.note, true);
    return {
      to: 'REJECTED',
      set: { rejectionReason: input.reason },
      payload: { reason: input.reason, note: n },
    };
  },

  async RESOLVE_ON_SPOT(s, input) {
    const answer = text(input.answer, INPUT('answer'), { required: true, max: LIMITS.note });
    await recordContact(s, { method: 'PHONE', content: answer, final: true, substantive: true });
    return {
      to: 'REPLIED',
      set: {
        resolvedAt: s.now,
        repliedAt: s.now,
        answeredAt: s.c.answeredAt ?? s.now,
        callerBackUnitId: s.c.provinceId,
        callbackOwed: true,
      },
      payload: { final: true },
    };
  },

  // D71: the contact turns out to be a complaint: a new COMPLAINT with the same customer, first responder and contact time.
  async CONVERT_TO_COMPLAINT(s, input) {
    const { tx, c, now } = s;
    const n = note(input.note, false);
    const province = (await unitById(tx, c.provinceId))!;
    const { row, event } = await insertCase(
      s.env,
      tx,
      province,
      now,
      {
        kind: 'COMPLAINT',
        channel: c.channel,
        source: c.source,
        businessLine: c.businessLine,
        category: c.category,
        title: c.title,
        description: c.description,
        customerName: c.customerName,
        customerPhone: c.customerPhone,
        customerAddress: c.customerAddress,
        customerAccount: c.customerAccount,
        details: c.details,
        contactAt: c.contactAt,
        occurredAt: c.occurredAt,
        firstResponderId: c.firstResponderId,
        partnerId: c.partnerId,
        externalRef: c.externalRef,
        externalDeadline:
          c.externalDeadline && c.externalDeadline > now ? c.externalDeadline : null,
        transferredBy: c.transferredBy,
        legalOwned: c.legalOwned,
        convertedFromId: c.id,
      },
      s.viewer,
    );
    s.converted = row;
    s.registered = event;
    await stopClocks(s.clocks, 'ALL', { cancel: true }); // D26: the contact's own clocks end with it
    await startClocks(s.clocks, [{ kind: 'ARCHIVE', budget: budgetFor('ARCHIVE', s.line) }]);
    return {
      to: 'CLOSED',
      set: { closedAt: now, convertedToId: row.id },
      payload: { convertedTo: row.number, note: n },
    };
  },
};
