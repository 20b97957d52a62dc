import type { complaints } from '../db/schema.js';
import { OPEN_STATUSES, type Action, type ClockKind, type Role, type Status } from './enums.js';

export type ComplaintRow = typeof complaints.$inferSelect;

/**
 * Who may act, as relations between a viewer and a case (D53):
 * - centre: the province acceptance centre (ACCEPTANCE_AGENT or LEGAL_OFFICER of
 *   the owning province; LEGAL_OFFICER only for transfers and partner cases)
 * - holder: whoever works the case in its current state
 * - handler / leader: HANDLER / DEPARTMENT_LEADER of the handling unit
 * - reviewer: who reviews a report in PENDING_REVIEW
 * - callerBack: the unit and role fixed at resolution (D14)
 * - decider: who decides a pending escalation
 * - supervisor: who may add a supervision note
 * - firstResponder, partner: the registering user, the submitting partner
 */
export type Relation =
  | 'centre'
  | 'holder'
  | 'handler'
  | 'leader'
  | 'reviewer'
  | 'callerBack'
  | 'decider'
  | 'supervisor'
  | 'firstResponder'
  | 'partner';

export type Seats = Record<Exclude<Relation, 'firstResponder' | 'partner'>, string[]>;

export const seat = (role: Role, unitId: string) => `${role}@${unitId}`;

const HOLDER_ROLES: Role[] = ['ACCEPTANCE_AGENT', 'LEGAL_OFFICER', 'HANDLER', 'DEPARTMENT_LEADER'];
const CENTRE_ROLES: Role[] = ['ACCEPTANCE_AGENT', 'LEGAL_OFFICER'];
/** Roles that register contacts, and so can be first responders (the table's REGISTER row). */
const REGISTRAR_ROLES: Role[] = ['ACCEPTANCE_AGENT', 'LEGAL_OFFICER', 'HANDLER'];

export type Rule = {
  /** States the action may start from. */
  from: readonly Status[];
  /** D55's first FORBIDDEN: the role kinds the table's "who" column names. */
  roles: readonly Role[];
  /** D55's second FORBIDDEN: the relations, any of which lets a viewer act now. */
  who: readonly Relation[];
  /** A partner may take this action (on what it submitted). */
  partner?: boolean;
  /** INVALID_TRANSITION beyond the state: the case's stored facts. */
  guard?: (c: ComplaintRow) => string | null;
};

const open = OPEN_STATUSES;

/** DOMAIN §3's lifecycle table. Every transition is decided here and nowhere else. */
export const LIFECYCLE: Record<Exclude<Action, 'REGISTER'>, Rule> = {
  ACCEPT: { from: ['RECEIVED'], roles: CENTRE_ROLES, who: ['centre'] },
  REJECT: { from: ['RECEIVED'], roles: CENTRE_ROLES, who: ['centre'] },
  RESOLVE_ON_SPOT: { from: ['RECEIVED', 'ACCEPTED'], roles: REGISTRAR_ROLES, who: ['firstResponder'] },
  DISPATCH: { from: ['ACCEPTED'], roles: CENTRE_ROLES, who: ['centre'] },
  ACKNOWLEDGE: { from: ['DISPATCHED'], roles: ['HANDLER'], who: ['handler'] },
  RETURN: { from: ['DISPATCHED'], roles: ['HANDLER'], who: ['handler'] },
  DELEGATE: {
    from: ['INVESTIGATING'],
    roles: ['HANDLER'],
    who: ['handler'],
    guard: (c) => (c.handlingLevel === 'CITY' ? null : 'Only a city delegates, and only to its own counties (D7)'),
  },
  RECORD_INVESTIGATION: { from: ['INVESTIGATING'], roles: ['HANDLER'], who: ['handler'] },
  DETERMINE_RESPONSIBILITY: { from: ['INVESTIGATING'], roles: ['HANDLER'], who: ['handler'] },
  SUBMIT_REPORT: {
    from: ['INVESTIGATING'],
    roles: ['HANDLER'],
    who: ['handler'],
    guard: (c) => (c.hasFinding ? null : 'A report needs a responsibility finding first (D12)'),
  },
  CONFIRM_REPORT: { from: ['PENDING_APPROVAL'], roles: ['DEPARTMENT_LEADER'], who: ['leader'] },
  REVIEW_REPORT: { from: ['PENDING_REVIEW'], roles: ['HANDLER', ...CENTRE_ROLES], who: ['reviewer'] },
  CONTACT_CUSTOMER: { from: [...open, 'REJECTED'], roles: HOLDER_ROLES, who: ['holder', 'firstResponder'] },
  REPLY_TO_CUSTOMER: { from: ['RESOLVED'], roles: CENTRE_ROLES, who: ['centre'] },
  RECORD_CALLBACK: {
    from: ['REPLIED', 'CLOSED'],
    roles: ['HANDLER', ...CENTRE_ROLES],
    who: ['callerBack'],
    guard: (c) =>
      (c.status === 'REPLIED' ? c.callbackOwed : c.secondCallbackOwed) ? null : 'No callback is owed now (D14)',
  },
  ARCHIVE: {
    from: ['CLOSED', 'REJECTED', 'WITHDRAWN'],
    roles: CENTRE_ROLES,
    who: ['centre'],
    // D10: a rejected case still owes the customer an answer on the substance (D23).
    guard: (c) =>
      c.status === 'REJECTED' && !c.answeredAt
        ? 'The customer has not been answered yet: record a substantive contact first (D10, D23)'
        : null,
  },
  WITHDRAW: { from: open, roles: HOLDER_ROLES, who: ['holder', 'firstResponder', 'partner'], partner: true },
  SUSPEND: {
    from: open,
    roles: HOLDER_ROLES,
    who: ['holder'],
    guard: (c) => (c.suspended ? 'The case is already suspended' : null),
  },
  RESUME: {
    from: open,
    roles: HOLDER_ROLES,
    who: ['holder'],
    guard: (c) => (c.suspended ? null : 'The case is not suspended'),
  },
  ESCALATE: {
    from: open,
    roles: HOLDER_ROLES,
    who: ['holder'],
    guard: (c) => (c.escalationPending ? 'An escalation is already pending (D53)' : null),
  },
  DECIDE_ESCALATION: {
    from: open,
    roles: ['DEPARTMENT_LEADER', 'LEGAL_OFFICER'],
    who: ['decider'],
    guard: (c) => (c.escalationPending ? null : 'No escalation is pending'),
  },
  ADD_SUPERVISION_NOTE: {
    from: open,
    roles: ['LEGAL_OFFICER', 'DUTY_MANAGER', 'DEPARTMENT_LEADER'],
    who: ['supervisor'],
  },
};

export const parentIdOf = (path: string) => {
  const ids = path.split('/').filter(Boolean);
  return ids.length > 1 ? ids[ids.length - 2]! : null;
};

/**
 * The seats of each relation for a case, as `ROLE@unitId` strings: D53 made
 * into data, so that permission is "does the viewer hold one of these seats".
 */
export function seatsOf(c: ComplaintRow): Seats {
  const province = c.provinceId;
  const centre = c.legalOwned
    ? [seat('LEGAL_OFFICER', province)]
    : [seat('ACCEPTANCE_AGENT', province), seat('LEGAL_OFFICER', province)];
  const handling = c.handlingUnitId;
  const parent = parentIdOf(c.handlingPath);
  const handler = [seat('HANDLER', handling)];
  const leader = [seat('DEPARTMENT_LEADER', handling)];
  const reviewer = c.handlingLevel === 'COUNTY' && parent ? [seat('HANDLER', parent)] : centre;
  const callerBack = !c.callerBackUnitId
    ? []
    : c.callerBackUnitId === province
      ? centre
      : [seat('HANDLER', c.callerBackUnitId)];
  const holderByStatus: Partial<Record<Status, string[]>> = {
    DISPATCHED: handler,
    INVESTIGATING: handler,
    PENDING_APPROVAL: leader,
    PENDING_REVIEW: reviewer,
    REPLIED: callerBack,
  };
  const decider =
    c.handlingLevel === 'COUNTY' && parent ? [seat('DEPARTMENT_LEADER', parent)] : [seat('LEGAL_OFFICER', province)];
  const above = c.handlingPath.split('/').filter(Boolean).slice(0, -1);
  const supervisor = [
    seat('LEGAL_OFFICER', province),
    seat('DUTY_MANAGER', handling),
    ...above.flatMap((u) => [seat('DUTY_MANAGER', u), seat('DEPARTMENT_LEADER', u)]),
  ];
  return {
    centre,
    holder: holderByStatus[c.status] ?? centre,
    handler,
    leader,
    reviewer,
    callerBack,
    decider,
    supervisor,
  };
}

/**
 * Clocks an action stops (DOMAIN §4's table). Clocks that start, and stops
 * that depend on the outcome (ASSIGNMENT, RESOLVE, CLOSE, ARCHIVE), are done
 * by the action itself in src/domain/complaints.ts.
 */
export const CLOCK_EFFECTS: Partial<Record<Action, { stop: ClockKind[] }>> = {
  ACCEPT: { stop: ['ACCEPT'] },
  REJECT: { stop: ['ACCEPT'] },
  RESOLVE_ON_SPOT: { stop: ['ACCEPT', 'ANSWER', 'INITIAL_RESULT', 'INITIAL_INVESTIGATION', 'RESOLVE'] },
  RECORD_INVESTIGATION: { stop: ['INITIAL_INVESTIGATION'] },
  // ANSWER stops only when the contact is substantive (D23): the action decides.
  CONTACT_CUSTOMER: { stop: ['INITIAL_RESULT', 'RECONTACT'] },
  REPLY_TO_CUSTOMER: { stop: ['REPLY', 'ANSWER', 'INITIAL_RESULT', 'RECONTACT'] },
};
