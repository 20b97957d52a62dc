import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { assignments, investigations, responsibilityFindings } from '../db/schema.js';
import { budgetFor, resolveDueAt, startClocks, stopClocks } from '../sla/clocks.js';
import { formatDateTime } from '../wire/datetime.js';
import { INPUT, type Inputs, note } from './complaint-inputs.js';
import {
  assignTo,
  type Effects,
  handledBy,
  type Outcome,
  receivingUnit,
  type Step,
} from './complaint-steps.js';
import { DomainError, validation } from './errors.js';
import { amount, futureDeadline, LIMITS, text } from './input.js';
import { type ComplaintRow, parentIdOf } from './lifecycle.js';
import { unitById } from './org.js';
import { causeCode, openRectification } from './rectification.js';

/**
 * The work on an accepted case (D7, D11, D12, D14, D26, D31): dispatched to a
 * city or centre, delegated to a county, acknowledged or returned,
 * investigated, its responsibility determined, and its report submitted,
 * confirmed by the city and reviewed by the province.
 */

/** The latest assignment of the case to `unitId` (default: its handling unit) that was not sent back. */
async function openAssignment(tx: Db, c: ComplaintRow, unitId = c.handlingUnitId) {
  const [a] = await tx
    .select()
    .from(assignments)
    .where(
      and(
        eq(assignments.complaintId, c.id),
        eq(assignments.toUnitId, unitId),
        isNull(assignments.returnedAt),
      ),
    )
    .orderBy(desc(assignments.assignedAt))
    .limit(1);
  return a ?? null;
}

/** A unit's report answers its assignment: reported now, its ASSIGNMENT clock stopped (§4). */
async function answerAssignment(s: Step, unitId = s.c.handlingUnitId) {
  const a = await openAssignment(s.tx, s.c, unitId);
  if (!a) return;
  await s.tx.update(assignments).set({ reportedAt: s.now }).where(eq(assignments.id, a.id));
  await stopClocks(s.clocks, ['ASSIGNMENT'], { assignmentId: a.id });
}

/** D31: the report sent back is the handling unit's, answering its assignment: counted there (the return rate's rework). */
async function sentBack(s: Step) {
  const a = await openAssignment(s.tx, s.c);
  if (a)
    await s.tx
      .update(assignments)
      .set({ sentBack: sql`${assignments.sentBack} + 1` })
      .where(eq(assignments.id, a.id));
}

async function dispatchTo(
  s: Step,
  input: Inputs['DISPATCH'],
  kind: 'DISPATCH' | 'DELEGATE',
): Promise<Outcome> {
  const { tx, c, now } = s;
  const target = await receivingUnit(s, input.toUnitId, 'it receives no dispatch or delegation');
  if (kind === 'DISPATCH') {
    if (target.level === 'COUNTY') {
      throw new DomainError(
        'FORBIDDEN',
        'The province dispatches to a city or a centre; only a city delegates to its counties (D7)',
        INPUT('toUnitId'),
      );
    }
    if (!['CITY', 'CENTER'].includes(target.level) || parentIdOf(target.path) !== c.provinceId) {
      throw new DomainError(
        'FORBIDDEN',
        `Dispatch goes to a city or centre of this case's province (D7)`,
        INPUT('toUnitId'),
      );
    }
  } else if (target.level !== 'COUNTY' || target.parentId !== c.handlingUnitId) {
    throw new DomainError(
      'FORBIDDEN',
      'A city delegates only to its own counties (D7)',
      INPUT('toUnitId'),
    );
  }
  const latest = (await resolveDueAt(tx, c.id)) ?? c.externalDeadline;
  const deadline = futureDeadline(input.deadline, now, latest, INPUT('deadline'));
  const n = note(input.note, false);
  return {
    to: 'DISPATCHED',
    set: await assignTo(s, target, deadline),
    payload: { toUnit: target.code, deadline: formatDateTime(deadline), note: n },
  };
}

export const HANDLING_EFFECTS: Effects<
  | 'DISPATCH'
  | 'DELEGATE'
  | 'ACKNOWLEDGE'
  | 'RETURN'
  | 'RECORD_INVESTIGATION'
  | 'DETERMINE_RESPONSIBILITY'
  | 'SUBMIT_REPORT'
  | 'CONFIRM_REPORT'
  | 'REVIEW_REPORT'
> = {
  DISPATCH: (s, input) => dispatchTo(s, input, 'DISPATCH'),
  DELEGATE: (s, input) => dispatchTo(s, input, 'DELEGATE'),

  async ACKNOWLEDGE(s, input) {
    const n = note(input.note, false);
    const a = await openAssignment(s.tx, s.c);
    if (a)
      await s.tx.update(assignments).set({ acknowledgedAt: s.now }).where(eq(assignments.id, a.id));
    return { to: 'INVESTIGATING', payload: { note: n } };
  },

  async RETURN(s, input) {
    const { tx, c, now } = s;
    const n = note(input.note, true);
    const a = await openAssignment(tx, c);
    if (!a) throw new DomainError('INVALID_TRANSITION', 'The case has no assignment to return');
    const back = (await unitById(tx, a.fromUnitId))!;
    await tx.update(assignments).set({ returnedAt: now }).where(eq(assignments.id, a.id));
    await stopClocks(s.clocks, ['ASSIGNMENT'], { assignmentId: a.id, cancel: true }); // D26: returned, not reported

    return {
      to: back.level === 'PROVINCE' ? 'ACCEPTED' : 'INVESTIGATING',
      set: handledBy(back),
      payload: { toUnit: back.code, note: n },
    };
  },

  async RECORD_INVESTIGATION(s, input) {
    const findings = text(input.findings, INPUT('findings'), { required: true, max: LIMITS.note });
    await s.tx.insert(investigations).values({
      complaintId: s.c.id,
      kind: input.kind,
      findings,
      recordedAt: s.now,
      recordedBy: s.actorUserId!,
    });
    return { payload: { kind: input.kind } };
  },

  async DETERMINE_RESPONSIBILITY(s, input) {
    let responsibleUnitId: string | null = null;
    if (input.responsibleUnitId !== undefined) {
      const u = input.responsibleUnitId ? await unitById(s.tx, input.responsibleUnitId) : null;
      if (!u) throw validation(INPUT('responsibleUnitId'), 'No such unit');
      responsibleUnitId = u.id;
    }
    const responsiblePerson = text(input.responsiblePerson, INPUT('responsiblePerson'), {
      max: LIMITS.name,
    });
    const rootCause = text(input.rootCause, INPUT('rootCause'), {
      required: true,
      max: LIMITS.note,
    });
    const cause = causeCode(s.env.lines, s.c.businessLine, input.cause);
    const remedyAmount = amount(input.remedy.amount, ['input', 'remedy', 'amount']);
    if (
      (input.remedy.kind === 'COMPENSATION' || input.remedy.kind === 'BILL_ADJUSTED') &&
      remedyAmount === null
    ) {
      throw validation(
        ['input', 'remedy', 'amount'],
        `amount is required for ${input.remedy.kind} (D12)`,
      );
    }
    const rectification = text(input.rectification, INPUT('rectification'), { max: LIMITS.note });
    await s.tx.insert(responsibilityFindings).values({
      complaintId: s.c.id,
      nature: input.nature,
      responsibleUnitId,
      responsiblePerson,
      rootCause,
      cause,
      remedyKind: input.remedy.kind,
      remedyAmount: remedyAmount === null ? null : remedyAmount.toFixed(2),
      rectification,
      determinedAt: s.now,
      determinedBy: s.actorUserId!,
    });
    return {
      set: { hasFinding: true },
      payload: { nature: input.nature, cause, remedy: input.remedy.kind, amount: remedyAmount },
    };
  },

  async SUBMIT_REPORT(s, input) {
    const { c } = s;
    const n = note(input.note, false);
    await answerAssignment(s);
    // A city's or a centre's own report: no county's work decides the caller-back (D14).
    const set: Outcome['set'] = c.handlingLevel === 'COUNTY' ? {} : { callerBackUnitId: null };
    return {
      to: c.handlingLevel === 'CITY' ? 'PENDING_APPROVAL' : 'PENDING_REVIEW',
      set,
      payload: { note: n },
    };
  },

  async CONFIRM_REPORT(s, input) {
    const n = note(input.note, !input.approve);
    if (!input.approve) await sentBack(s);
    return {
      to: input.approve ? 'PENDING_REVIEW' : 'INVESTIGATING',
      payload: { approve: input.approve, note: n },
    };
  },

  async REVIEW_REPORT(s, input) {
    const { tx, c, line, now } = s;
    const n = note(input.note, !input.approve);
    const payload = { approve: input.approve, note: n };
    if (!input.approve) {
      await sentBack(s);
      return { to: 'INVESTIGATING', payload };
    }
    if (c.handlingLevel === 'COUNTY') {
      // D11: the county's report becomes the city's; the city will call back (D14).
      const city = (await unitById(tx, parentIdOf(c.handlingPath)!))!;
      await answerAssignment(s, city.id); // the city's own assignment is answered by this report
      return {
        to: 'PENDING_APPROVAL',
        set: { ...handledBy(city), callerBackUnitId: city.id },
        payload,
      };
    }
    await stopClocks(s.clocks, ['RESOLVE', 'REPAIR']);
    await startClocks(s.clocks, [{ kind: 'REPLY', budget: budgetFor('REPLY', line) }]);
    const countyWork = c.callerBackUnitId !== null && c.callerBackUnitId !== c.provinceId;
    // D14: a county's work is called back by its city; a city's by the province, unless its line leaves it to the city.
    const cityCallsBack = c.handlingLevel === 'CITY' && line?.callback === 'HANDLING_CITY';
    const callerBackUnitId = countyWork
      ? c.callerBackUnitId
      : cityCallsBack
        ? c.handlingUnitId
        : c.provinceId;
    await openRectification(tx, c, s.clocks); // D75
    return { to: 'RESOLVED', set: { resolvedAt: now, callerBackUnitId }, payload };
  },
};
