import { subject } from '@casl/ability';
import {
  ACTIONS,
  type Action,
  type Channel,
  type ContactKind,
  type Role,
  type Source,
  TRANSFER_SOURCES,
} from '../domain/enums.js';
import { DomainError } from '../domain/errors.js';
import {
  type ComplaintRow,
  LIFECYCLE,
  PERSONAL_RELATIONS,
  type Relation,
  type Seats,
  seatsOf,
} from '../domain/lifecycle.js';
import type { AppAbility, RuleBuilder } from './abilities.js';
import type { Viewer } from './viewer.js';

/**
 * The complaint rules of the ability: reading (D54) and acting (D53).
 *
 * Reading is expressed on columns of the complaint row so the same rules
 * compile to SQL (src/auth/sql.ts): a staff grant reads a case whose
 * `readerUnits` holds its unit; the first responder and the submitting
 * partner read theirs. ADMIN grants read nothing.
 *
 * Acting is expressed on the case's seats (src/domain/lifecycle.ts): a viewer
 * may take an action when it holds a seat of one of the action's relations.
 */
export function complaintRules(viewer: Viewer, builder: RuleBuilder) {
  const { can } = builder;
  personalDataRules(viewer, builder);
  if (viewer.kind === 'partner') {
    can('read', 'Complaint', { partnerId: viewer.id });
    for (const [action, rule] of Object.entries(LIFECYCLE)) {
      if (rule.partner && rule.who.includes('partner'))
        can(action, 'Complaint', { partnerId: viewer.id });
    }
    return;
  }
  const units = [
    ...new Set(viewer.grants.filter((g) => g.role !== 'ADMIN' && g.unitId).map((g) => g.unitId!)),
  ];
  if (units.length) can('read', 'Complaint', { readerUnits: { $in: units } });
  can('read', 'Complaint', { firstResponderId: viewer.id });

  const seats = viewer.grants.filter((g) => g.unitId).map((g) => `${g.role}@${g.unitId}`);
  for (const [action, rule] of Object.entries(LIFECYCLE)) {
    for (const relation of rule.who) {
      if (relation === 'firstResponder') can(action, 'Complaint', { firstResponderId: viewer.id });
      else if (relation === 'supervisorUser')
        can(action, 'Complaint', { supervisorId: viewer.id }); // D73
      else if (relation !== 'partner' && seats.length)
        can(action, 'Complaint', { [`seats.${relation}`]: { $in: seats } });
    }
  }
}

const subjects = new WeakMap<ComplaintRow, ComplaintRow & { seats: ReturnType<typeof seatsOf> }>();

/**
 * A complaint row as a CASL subject, with its seats: made once per row
 * object, as rows are values (nothing assigns to a row once read; a change
 * is a new row). The feed asks this of one row for every audience and the
 * resolvers of every subscriber again, so the copy, the seats and CASL's
 * tag are not made a thousand times per event.
 */
export function complaintSubject(c: ComplaintRow) {
  let s = subjects.get(c);
  if (s === undefined) subjects.set(c, (s = subject('Complaint', { ...c, seats: seatsOf(c) })));
  return s;
}

export const canRead = (ability: AppAbility, c: ComplaintRow) =>
  ability.can('read', complaintSubject(c));

/** D55's first FORBIDDEN: does the viewer hold any role kind the action names (or its personal relation)? */
export function holdsRoleKind(
  viewer: Viewer,
  c: ComplaintRow,
  action: Exclude<Action, 'REGISTER'>,
): boolean {
  const rule = LIFECYCLE[action];
  if (viewer.kind === 'partner') return !!rule.partner && c.partnerId === viewer.id;
  if (rule.who.includes('firstResponder' as Relation) && c.firstResponderId === viewer.id)
    return true;
  return viewer.grants.some((g) => rule.roles.includes(g.role));
}

export const CASE_ACTIONS = ACTIONS.filter(
  (a): a is Exclude<Action, 'REGISTER'> => a !== 'REGISTER',
);

/**
 * D50: who sees a case's personal data unmasked — those who work it: the
 * owning province's ACCEPTANCE_AGENT and LEGAL_OFFICER; a HANDLER or
 * DEPARTMENT_LEADER of the handling unit, of a unit of the dispatch chain or
 * of an ancestor of those (exactly `readerUnits`); the first responder; the
 * submitting partner. Decided per case and role: an AUDITOR or a
 * DUTY_MANAGER never does.
 */
function personalDataRules(viewer: Viewer, { can }: RuleBuilder) {
  if (viewer.kind === 'partner') {
    can('readPersonalData', 'Complaint', { partnerId: viewer.id });
    return;
  }
  can('readPersonalData', 'Complaint', { firstResponderId: viewer.id });
  const unitsOf = (roles: string[]) => [
    ...new Set(
      viewer.grants.filter((g) => roles.includes(g.role) && g.unitId).map((g) => g.unitId!),
    ),
  ];
  const centre = unitsOf(['ACCEPTANCE_AGENT', 'LEGAL_OFFICER']);
  if (centre.length) can('readPersonalData', 'Complaint', { provinceId: { $in: centre } });
  const workers = unitsOf(['HANDLER', 'DEPARTMENT_LEADER']);
  if (workers.length) can('readPersonalData', 'Complaint', { readerUnits: { $in: workers } });
}

export const seesPersonalData = (ability: AppAbility, c: ComplaintRow) =>
  ability.can('readPersonalData', complaintSubject(c));

/** A staff member's grant of one of these roles (bound to a unit), if any. */
const grantOf = (viewer: Viewer, roles: readonly string[]) =>
  viewer.kind === 'user'
    ? viewer.grants.find((g) => roles.includes(g.role) && g.unitId)
    : undefined;

const WALK_IN: readonly Channel[] = ['VISIT', 'BUSINESS_HALL'];
/** D70: staff who answer customers (an AUDITOR only reads, an ADMIN reads no case). */
const STAFF_REGISTRARS: readonly Role[] = [
  'ACCEPTANCE_AGENT',
  'LEGAL_OFFICER',
  'HANDLER',
  'DEPARTMENT_LEADER',
  'DUTY_MANAGER',
];

/**
 * D53, D9, D41: who registers a new case, for which province, and whether
 * the regulatory & legal affairs department owns it; a FORBIDDEN refusal
 * otherwise. A partner registers for its province; transfers and
 * lines registered by partners and legal officers (D40) only a LEGAL_OFFICER; customer complaints the
 * acceptance centre; a HANDLER walk-ins only.
 */
export function registrarOf(
  viewer: Viewer,
  input: { source: Source; channel: Channel; partnerOnlyLine: boolean; kind?: ContactKind },
): { provinceId: string; legal: boolean } {
  if (viewer.kind === 'partner') return { provinceId: viewer.provinceId, legal: true };
  const needsLegal =
    TRANSFER_SOURCES.includes(input.source) ||
    input.source === 'PARTNER_CARRIER' ||
    input.partnerOnlyLine;
  const legal = grantOf(viewer, ['LEGAL_OFFICER']);
  if (needsLegal) {
    if (!legal)
      throw new DomainError(
        'FORBIDDEN',
        'Transfers and partner-carrier complaints are registered by a LEGAL_OFFICER (D9, D40, D41)',
      );
    return { provinceId: legal.provinceId!, legal: true };
  }
  // D70: any staff member of any unit registers a consultation, query, request or fault report,
  // through any channel (the first-ask windows: business halls, hotlines, customer managers, installers).
  if (input.kind && input.kind !== 'COMPLAINT') {
    const staff = grantOf(viewer, STAFF_REGISTRARS);
    if (!staff) throw new DomainError('FORBIDDEN', 'Your roles do not register contacts');
    return { provinceId: staff.provinceId!, legal: false };
  }
  const centre = grantOf(viewer, ['ACCEPTANCE_AGENT', 'LEGAL_OFFICER']);
  if (centre) return { provinceId: centre.provinceId!, legal: false };
  const handler = grantOf(viewer, ['HANDLER']);
  if (handler) {
    if (!WALK_IN.includes(input.channel)) {
      throw new DomainError(
        'FORBIDDEN',
        'A HANDLER registers walk-ins only (channel VISIT or BUSINESS_HALL)',
      );
    }
    return { provinceId: handler.provinceId!, legal: false };
  }
  throw new DomainError('FORBIDDEN', 'Your roles do not register complaints');
}

/** D53: at the province the LEGAL_OFFICER decides escalations, so their own request is approved at once. */
export const selfApprovesEscalation = (
  viewer: Viewer,
  c: Pick<ComplaintRow, 'handlingLevel' | 'provinceId'>,
) =>
  c.handlingLevel === 'PROVINCE' &&
  viewer.kind === 'user' &&
  viewer.grants.some((g) => g.role === 'LEGAL_OFFICER' && g.unitId === c.provinceId);

/**
 * D36: a line's own action on a case, decided like the core's (D55): the
 * role kinds first (FORBIDDEN), then whether the viewer holds one of the
 * relations' seats on this case now (FORBIDDEN). Partners take no line
 * action unless the line names them.
 */
export function mayTakeLineAction(
  viewer: Viewer,
  c: ComplaintRow,
  rule: { roles: readonly Role[]; who: readonly Relation[] },
): 'ROLE' | 'SEAT' | null {
  if (viewer.kind === 'partner')
    return rule.who.includes('partner') && c.partnerId === viewer.id ? null : 'ROLE';
  const personal = rule.who.includes('firstResponder') && c.firstResponderId === viewer.id;
  if (!personal && !viewer.grants.some((g) => rule.roles.includes(g.role))) return 'ROLE';
  if (personal) return null;
  const seats = new Set(viewer.grants.filter((g) => g.unitId).map((g) => `${g.role}@${g.unitId}`));
  const held = seatsOf(c);
  const personal2 = (r: Relation): r is (typeof PERSONAL_RELATIONS)[number] =>
    (PERSONAL_RELATIONS as readonly Relation[]).includes(r);
  return rule.who.some((r) => !personal2(r) && held[r as keyof Seats].some((s) => seats.has(s)))
    ? null
    : 'SEAT';
}
