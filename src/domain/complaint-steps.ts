import type { SQL } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { assignments, type complaints, customerContacts } from '../db/schema.js';
import type { appendEvent } from '../events/append.js';
import { budgetFor, type ClockCtx, type ClockStart, startClocks } from '../sla/clocks.js';
import type { CaseAction, Env } from './complaint-env.js';
import { INPUT, type Inputs } from './complaint-inputs.js';
import type { ContactMethod, Status } from './enums.js';
import { DomainError, validation } from './errors.js';
import type { ComplaintRow } from './lifecycle.js';
import { ancestorIdsOf, type OrgUnit, unitById } from './org.js';
import type { BusinessLinePlugin } from './plugin.js';

/** An action's effect (one per action of the lifecycle table), and what several effects share. */

export type NewComplaint = typeof complaints.$inferInsert;

/** What an action does, once its input is valid: the new state, fields, and the event payload. */
export type Outcome = {
  to?: Status;
  set?: Partial<Omit<NewComplaint, 'isRepeat'>> & { isRepeat?: boolean | SQL };
  payload: Record<string, unknown> | null;
};

export type Step = {
  tx: Db;
  env: Env;
  viewer: Viewer;
  c: ComplaintRow;
  now: Date;
  line: BusinessLinePlugin | null;
  clocks: ClockCtx;
  actorUserId: string | null;
  /** D71: the complaint a conversion registered (the mutation answers it). */
  converted?: ComplaintRow;
  registered?: Awaited<ReturnType<typeof appendEvent>>;
};

export type Effect<A extends CaseAction> = (s: Step, input: Inputs[A]) => Promise<Outcome>;

/** The effects of a group of actions, one per action. */
export type Effects<K extends CaseAction> = { [A in K]: Effect<A> };

/** The unit a case moves to, as the complaint's copied columns. */
export const handledBy = (u: OrgUnit) => ({
  handlingUnitId: u.id,
  handlingPath: u.path,
  handlingLevel: u.level,
});

/**
 * RESOLVE as the case's line counts it, or the transfer's own deadline, fixed
 * (D9, D20, D24); a fault report's REPAIR in its place (D72).
 */
export const resolveClock = (c: ComplaintRow, line: BusinessLinePlugin | null): ClockStart => {
  const kind = c.kind === 'FAULT_REPORT' ? 'REPAIR' : 'RESOLVE';
  return c.externalDeadline
    ? { kind, dueAt: c.externalDeadline, fixed: true }
    : { kind, budget: budgetFor(kind, line) };
};

/**
 * The unit a case is sent to (DISPATCH, DELEGATE, FORWARD_CONTACT): one that
 * exists and is not closed (D1a, `refused` says what a closed unit does not
 * receive). `toUnitId` null: the ID given was malformed.
 */
export async function receivingUnit(s: Step, toUnitId: string | null, refused: string) {
  const target = toUnitId ? await unitById(s.tx, toUnitId) : null;
  if (!target)
    throw validation(
      INPUT('toUnitId'),
      toUnitId ? 'No such unit' : 'toUnitId is not a valid unit ID',
    );
  if (target.closed)
    throw new DomainError(
      'FORBIDDEN',
      `${target.code} is closed: ${refused} (D1a)`,
      INPUT('toUnitId'),
    );
  return target;
}

/**
 * Sends the case to `target` until `deadline`: its assignment with the
 * ASSIGNMENT clock, and the case's columns that follow it (the handling unit,
 * the dispatch chain, and the units that read the case: D53, D54).
 */
export async function assignTo(s: Step, target: OrgUnit, deadline: Date) {
  const { tx, c, now } = s;
  const [a] = await tx
    .insert(assignments)
    .values({
      complaintId: c.id,
      fromUnitId: c.handlingUnitId,
      toUnitId: target.id,
      deadline,
      assignedAt: now,
    })
    .returning();
  await startClocks(s.clocks, [{ kind: 'ASSIGNMENT', dueAt: deadline, assignmentId: a!.id }]);
  return {
    ...handledBy(target),
    dispatchChain: [...c.dispatchChain, target.id],
    readerUnits: [...new Set([...c.readerUnits, ...ancestorIdsOf(target)])],
  };
}

/** A contact with the customer, by the acting user, now (D23: a `substantive` one answers the request). */
export async function recordContact(
  s: Step,
  contact: { method: ContactMethod; content: string; final: boolean; substantive: boolean },
) {
  await s.tx
    .insert(customerContacts)
    .values({ complaintId: s.c.id, ...contact, at: s.now, byUserId: s.actorUserId });
}
