import type { complaints } from '../db/schema.js';
import {
  type Action,
  ANSWERED_KINDS,
  type ClockKind,
  CONTACT_KINDS,
  type ContactKind,
  HANDLED_KINDS,
  OPEN_STATUSES,
  type Role,
  type Status,
  TRANSFER_SOURCES,
} from './enums.js';

/** A case as the application reads it: every column but its search grams (`complaintColumns`). */
export type ComplaintRow = Omit<typeof complaints.$inferSelect, 'searchGrams'>;

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
 * - overseer: who may open supervision (D73: a LEGAL_OFFICER of the province,
 *   a DUTY_MANAGER of the handling unit or above)
 * - ledger: who may hand a supervision over (D73: a LEGAL_OFFICER of the
 *   supervising unit; while nobody supervises, its DUTY_MANAGERs too)
 * - legal: the province's LEGAL_OFFICER (D74: transfers' feedback)
 * - extensionDecider: the unit above the requester of a pending extension (D78)
 * - firstResponder, partner, supervisorUser: the registering user, the
 *   submitting partner, the case's supervisor (D73)
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
  | 'overseer'
  | 'ledger'
  | 'legal'
  | 'extensionDecider'
  | 'firstResponder'
  | 'partner'
  | 'supervisorUser';

/** Relations of one person rather than of seats. */
export const PERSONAL_RELATIONS = [
  'firstResponder',
  'partner',
  'supervisorUser',
] as const satisfies readonly Relation[];
export type Seats = Record<Exclude<Relation, (typeof PERSONAL_RELATIONS)[number]>, string[]>;

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
  /** D70: the kinds of contact the action applies to (INVALID_TRANSITION on others). Default: complaints and fault reports. */
  kinds?: readonly ContactKind[];
  /** INVALID_TRANSITION beyond the state: the case's stored facts. */
  guard?: (c: ComplaintRow) => string | null;
};

/** D70: the kinds an action applies to. */
export const kindsOf = (rule: Rule): readonly ContactKind[] => rule.kinds ?? HANDLED_KINDS;

const ALL_KINDS = CONTACT_KINDS;
const supervised = (c: ComplaintRow) =>
  c.supervisingUnitId ? null : 'The case is not supervised (D73)';

const open = OPEN_STATUSES;

/** DOMAIN §3's lifecycle table. Every transition is decided here and nowhere else. */
export const LIFECYCLE: Record<Exclude<Action, 'REGISTER'>, Rule> = {
  ACCEPT: { from: ['RECEIVED'], roles: CENTRE_ROLES, who: ['centre'] },
  REJECT: { from: ['RECEIVED'], roles: CENTRE_ROLES, who: ['centre'] },
  RESOLVE_ON_SPOT: {
    from: ['RECEIVED', 'ACCEPTED'],
    roles: REGISTRAR_ROLES,
    who: ['firstResponder'],
  },
  DISPATCH: { from: ['ACCEPTED'], roles: CENTRE_ROLES, who: ['centre'] },
  ACKNOWLEDGE: { from: ['DISPATCHED'], roles: ['HANDLER'], who: ['handler'] },
  RETURN: { from: ['DISPATCHED'], roles: ['HANDLER'], who: ['handler'] },
  DELEGATE: {
    from: ['INVESTIGATING'],
    roles: ['HANDLER'],
    who: ['handler'],
    guard: (c) =>
      c.handlingLevel === 'CITY'
        ? null
        : 'Only a city delegates, and only to its own counties (D7)',
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
  REVIEW_REPORT: {
    from: ['PENDING_REVIEW'],
    roles: ['HANDLER', ...CENTRE_ROLES],
    who: ['reviewer'],
  },
  CONTACT_CUSTOMER: {
    from: [...open, 'REJECTED'],
    roles: HOLDER_ROLES,
    who: ['holder', 'firstResponder'],
    kinds: ALL_KINDS,
  },
  REPLY_TO_CUSTOMER: { from: ['RESOLVED'], roles: CENTRE_ROLES, who: ['centre'] },
  RECORD_CALLBACK: {
    from: ['REPLIED', 'CLOSED'],
    roles: ['HANDLER', ...CENTRE_ROLES],
    who: ['callerBack'],
    guard: (c) =>
      (c.status === 'REPLIED' ? c.callbackOwed : c.secondCallbackOwed)
        ? null
        : 'No callback is owed now (D14)',
  },
  ARCHIVE: {
    from: ['CLOSED', 'REJECTED', 'WITHDRAWN'],
    roles: CENTRE_ROLES,
    who: ['centre'],
    kinds: ALL_KINDS,
    // D10: a rejected case still owes the customer an answer on the substance (D23).
    guard: (c) =>
      c.status === 'REJECTED' && !c.answeredAt
        ? 'The customer has not been answered yet: record a substantive contact first (D10, D23)'
        : null,
  },
  WITHDRAW: {
    from: open,
    roles: HOLDER_ROLES,
    who: ['holder', 'firstResponder', 'partner'],
    partner: true,
    kinds: ALL_KINDS,
  },
  SUSPEND: {
    from: open,
    roles: HOLDER_ROLES,
    who: ['holder'],
    kinds: ALL_KINDS,
    guard: (c) => (c.suspended ? 'The case is already suspended' : null),
  },
  RESUME: {
    from: open,
    roles: HOLDER_ROLES,
    who: ['holder'],
    kinds: ALL_KINDS,
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
  // D71: consultations, queries and requests are answered, forwarded or converted.
  ANSWER_CONTACT: {
    from: ['RECEIVED'],
    roles: REGISTRAR_ROLES,
    who: ['holder', 'centre', 'firstResponder'],
    kinds: ANSWERED_KINDS,
  },
  FORWARD_CONTACT: {
    from: ['RECEIVED'],
    roles: CENTRE_ROLES,
    who: ['centre', 'firstResponder'],
    kinds: ANSWERED_KINDS,
  },
  CONVERT_TO_COMPLAINT: {
    from: ['RECEIVED'],
    roles: CENTRE_ROLES,
    who: ['centre', 'firstResponder'],
    kinds: ANSWERED_KINDS,
  },
  // D73: the supervision ledger.
  OPEN_SUPERVISION: {
    from: open,
    roles: ['LEGAL_OFFICER', 'DUTY_MANAGER'],
    who: ['overseer'],
    guard: (c) => (c.supervisingUnitId ? 'The case is already supervised (D73)' : null),
  },
  HAND_OVER_SUPERVISION: {
    from: open,
    roles: ['LEGAL_OFFICER', 'DUTY_MANAGER'],
    who: ['ledger', 'supervisorUser'],
    guard: supervised,
  },
  REPORT_PROGRESS: { from: open, roles: HOLDER_ROLES, who: ['holder'], guard: supervised },
  // D74: feedback to whoever transferred the case, before or after it ends.
  RECORD_TRANSFER_FEEDBACK: {
    from: [...open, 'CLOSED', 'REJECTED', 'WITHDRAWN'],
    roles: ['LEGAL_OFFICER'],
    who: ['legal'],
    kinds: ALL_KINDS,
    guard: (c) =>
      TRANSFER_SOURCES.includes(c.source)
        ? null
        : 'Only a transfer from above is fed back to its transferring body (D74)',
  },
  // D78: extensions of a running clock's due time.
  REQUEST_EXTENSION: { from: open, roles: HOLDER_ROLES, who: ['holder'], kinds: ALL_KINDS },
  DECIDE_EXTENSION: {
    from: open,
    roles: ['DEPARTMENT_LEADER', ...CENTRE_ROLES],
    who: ['extensionDecider'],
    kinds: ALL_KINDS,
    guard: (c) => (c.extensionDeciders?.length ? null : 'No extension request is pending (D78)'),
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
  // D71: a forwarded consultation, query or request is held by the unit it was forwarded to.
  const forwarded = ANSWERED_KINDS.includes(c.kind) && handling !== province;
  const holderByStatus: Partial<Record<Status, string[]>> = {
    ...(forwarded && { RECEIVED: handler }),
    DISPATCHED: handler,
    INVESTIGATING: handler,
    PENDING_APPROVAL: leader,
    PENDING_REVIEW: reviewer,
    REPLIED: callerBack,
  };
  const decider =
    c.handlingLevel === 'COUNTY' && parent
      ? [seat('DEPARTMENT_LEADER', parent)]
      : [seat('LEGAL_OFFICER', province)];
  const above = c.handlingPath.split('/').filter(Boolean).slice(0, -1);
  const supervisor = [
    seat('LEGAL_OFFICER', province),
    seat('DUTY_MANAGER', handling),
    ...above.flatMap((u) => [seat('DUTY_MANAGER', u), seat('DEPARTMENT_LEADER', u)]),
  ];
  const overseer = [
    seat('LEGAL_OFFICER', province),
    seat('DUTY_MANAGER', handling),
    ...above.map((u) => seat('DUTY_MANAGER', u)),
  ];
  const su = c.supervisingUnitId;
  const ledger = !su
    ? []
    : c.supervisorId
      ? [seat('LEGAL_OFFICER', su)]
      : [seat('LEGAL_OFFICER', su), seat('DUTY_MANAGER', su)];
  return {
    centre,
    holder: holderByStatus[c.status] ?? centre,
    handler,
    leader,
    reviewer,
    callerBack,
    decider,
    supervisor,
    overseer,
    ledger,
    legal: [seat('LEGAL_OFFICER', province)],
    extensionDecider: c.extensionDeciders ?? [],
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
  RESOLVE_ON_SPOT: {
    stop: ['ACCEPT', 'ANSWER', 'INITIAL_RESULT', 'INITIAL_INVESTIGATION', 'RESOLVE', 'REPAIR'],
  },
  // D71: the answer stops ANSWER and the forwarded unit's ASSIGNMENT (MET or MISSED).
  ANSWER_CONTACT: { stop: ['ANSWER', 'ASSIGNMENT'] },
  // D74: the first feedback meets (or misses) the transfer's deadline.
  RECORD_TRANSFER_FEEDBACK: { stop: ['FEEDBACK'] },
  RECORD_INVESTIGATION: { stop: ['INITIAL_INVESTIGATION'] },
  // ANSWER stops only when the contact is substantive (D23): the action decides.
  CONTACT_CUSTOMER: { stop: ['INITIAL_RESULT', 'RECONTACT'] },
  REPLY_TO_CUSTOMER: { stop: ['REPLY', 'ANSWER', 'INITIAL_RESULT', 'RECONTACT'] },
};
