import type { Viewer } from './viewer.js';

/**
 * "Who may" for operations, in one place (issue 18), the way Pothos's
 * scope-auth declares `authScopes` on a field: each guard names a kind of
 * viewer and answers with the reason it is refused, or null. Resolvers only
 * ask (`src/graphql/errors.ts` turns a refusal into D55's FORBIDDEN); what a
 * viewer may do to a case is CASL's (./abilities.ts, ./complaint-rules.ts).
 */
export type Guard = (viewer: Viewer | null) => string | null;

/** Staff operations: statistics, assessment, the duty briefing, exports, administration (D40, D55). */
export const staff: Guard = (v) => (v?.kind === 'user' ? null : 'Staff only');

/** Partner operations: submitting a complaint of a line partners register (D40). */
export const partner: Guard = (v) => (v?.kind === 'partner' ? null : 'Partner carriers only');

/** Any signed-in staff member, even one who must first set a new password (D52): `changePassword`, `me`. */
export const signedInStaff: Guard = staff;

/**
 * D40: the `complaints` filters a partner may not use, since they would reveal
 * the internal parts of its cases (handling unit, escalation, clocks' overdue state).
 */
export const PARTNER_FORBIDDEN_FILTERS = ['unitId', 'escalated', 'overdue'] as const;

/** D40: the event filters (`complaintEvents`, the live feeds) a partner may not use: the unit would reveal the handling unit. */
export const PARTNER_FORBIDDEN_EVENT_FILTERS = ['unitId'] as const;

export function eventFilterRefusal(
  viewer: Viewer | null,
  filter: Record<string, unknown> | null | undefined,
): string | null {
  if (viewer?.kind !== 'partner' || !filter) return null;
  return PARTNER_FORBIDDEN_EVENT_FILTERS.some((f) => filter[f] != null)
    ? 'The event filter unitId is not for partners (D40)'
    : null;
}

export function filterRefusal(
  viewer: Viewer | null,
  filter: Record<string, unknown> | null | undefined,
): string | null {
  if (viewer?.kind !== 'partner' || !filter) return null;
  const used = PARTNER_FORBIDDEN_FILTERS.filter(
    (f) => filter[f] !== null && filter[f] !== undefined,
  );
  return used.length
    ? `The filter${used.length > 1 ? 's' : ''} ${used.join(', ')} ${used.length > 1 ? 'are' : 'is'} not for partners (D40)`
    : null;
}

/**
 * D40: the events of its own cases a partner sees — those that speak to it or
 * change the status as a customer sees it; internal steps are absent from its
 * timelines, event lists, feeds and counts. Null: every event (staff).
 */
export const PARTNER_EVENT_ACTIONS = [
  'REGISTER',
  'ACCEPT',
  'REJECT',
  'RESOLVE_ON_SPOT',
  'CONTACT_CUSTOMER',
  'REPLY_TO_CUSTOMER',
  'RECORD_CALLBACK',
  'WITHDRAW',
  'ARCHIVE',
] as const;

export const visibleEventActions = (viewer: Viewer | null): readonly string[] | null =>
  viewer?.kind === 'partner' ? PARTNER_EVENT_ACTIONS : null;

/** D50, D52: the subtrees whose logs (personal-data reads, audit records) this viewer audits: its AUDITOR grants' units. */
export const auditedUnitPaths = (viewer: Viewer | null): string[] =>
  viewer?.kind === 'user'
    ? viewer.grants.filter((g) => g.role === 'AUDITOR' && g.unitPath).map((g) => g.unitPath!)
    : [];

/** D54: the units whose cases a staff viewer's grants reach (ADMIN grants read none); a partner's none. */
export const readingUnitPaths = (viewer: Viewer | null): string[] =>
  viewer?.kind === 'user'
    ? viewer.grants.filter((g) => g.role !== 'ADMIN' && g.unitPath).map((g) => g.unitPath!)
    : [];

/** D54, D59: the units a viewer's statistics default to, widest first: a staff viewer's reading grants, a partner's province. */
export function readingUnitIds(viewer: Viewer | null): string[] {
  if (!viewer) return [];
  if (viewer.kind === 'partner') return [viewer.provinceId];
  return viewer.grants
    .filter((g) => g.role !== 'ADMIN' && g.unitId)
    .sort((a, b) => a.unitPath!.length - b.unitPath!.length)
    .map((g) => g.unitId!);
}

/** Issue 18: an export's unit filter must lie inside what the viewer's grants read (refused, not emptied). */
export const mayExportUnit = (viewer: Viewer | null, unitPath: string) =>
  readingUnitPaths(viewer).some((p) => unitPath.startsWith(p));

/** D50, D52: may this viewer audit the subtree of `unitPath`? */
export const auditsUnit = (viewer: Viewer | null, unitPath: string) =>
  auditedUnitPaths(viewer).some((p) => unitPath.startsWith(p));

/**
 * D40: does this viewer read a case's internal parts (first responder,
 * handling unit, assignments, investigations, responsibility, callbacks,
 * supervision notes, escalation level) and events' payloads, notes and staff
 * actors? Staff do; a partner reads them empty, null or 0.
 */
export const readsInternals = (viewer: Viewer | null) => viewer?.kind !== 'partner';

/** D40: staff names are for staff; a partner (or anyone else) reads no User. */
export const readsStaff = (viewer: Viewer | null) => viewer?.kind === 'user';

/** D40: staff read every partner; a partner reads itself only. */
export const readsPartner = (viewer: Viewer | null, partnerId: string) =>
  viewer?.kind !== 'partner' || viewer.id === partnerId;

/** D27, D32: the administrators' units a briefing falls back to for an ADMIN who reads no cases (widest first). */
export const administeredUnitIds = (viewer: Viewer | null): string[] =>
  viewer?.kind === 'user'
    ? viewer.grants
        .filter((g) => g.role === 'ADMIN' && g.unitId)
        .sort((a, b) => a.unitPath!.length - b.unitPath!.length)
        .map((g) => g.unitId!)
    : [];

/** Whether the viewer holds an ADMIN grant at all (a bootstrap ADMIN may hold one with no unit). */
export const isAdministrator = (viewer: Viewer | null): boolean =>
  viewer?.kind === 'user' && viewer.grants.some((g) => g.role === 'ADMIN');

/** D27: the operator's warnings (a missing calendar year, …) are for ADMINs and DUTY_MANAGERs. */
export const readsOperatorWarnings = (viewer: Viewer | null): boolean =>
  viewer?.kind === 'user' &&
  viewer.grants.some((g) => g.role === 'ADMIN' || g.role === 'DUTY_MANAGER');

/** D34: dispatch suggestions are for staff (the province desk); partners never see them. */
export const seesDispatchSuggestions = (viewer: Viewer | null): boolean => viewer?.kind === 'user';
/** Issue 26: the last scheduled verification of the event chains is read by an ADMIN or an AUDITOR (any unit). */
export const readsChainVerification: Guard = (v) =>
  v?.kind === 'user' && v.grants.some((g) => g.role === 'ADMIN' || g.role === 'AUDITOR')
    ? null
    : 'The chain verification is for ADMINs and AUDITORs';
