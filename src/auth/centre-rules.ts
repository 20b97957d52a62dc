import type { Role } from '../domain/enums.js';
import type { Grant, Viewer } from './viewer.js';

/**
 * Who may do what with the centre's own records (DOMAIN §10): rectifications
 * (D75) and incidents (D76). They are not cases, so they have no seats of the
 * lifecycle table: the rules are relations between a viewer's grants and the
 * units (as materialised paths '/<province>/<city>/') a record belongs to.
 */

const grantsOf = (
  viewer: Viewer | null,
  roles?: readonly Role[],
): (Grant & { unitPath: string })[] =>
  viewer?.kind === 'user'
    ? (viewer.grants.filter(
        (g) => g.unitPath && g.role !== 'ADMIN' && (!roles || roles.includes(g.role)),
      ) as (Grant & { unitPath: string })[])
    : [];

const provinceIdOfPath = (path: string) => path.split('/')[1]!;

/** D55's first FORBIDDEN: does the viewer hold any of these role kinds at all? */
export const holdsAnyRole = (viewer: Viewer | null, roles: readonly Role[]) =>
  grantsOf(viewer, roles).length > 0;

// ---------------------------------------------------------------- rectifications (D75)

/** D75: staff of the responsible unit and of its ancestors read a rectification. */
export const readsRectification = (viewer: Viewer | null, responsiblePath: string) =>
  grantsOf(viewer).some((g) => responsiblePath.startsWith(g.unitPath));

/** The subtrees whose rectifications the viewer reads (for lists and counts as SQL prefixes). */
export const rectificationReadPaths = (viewer: Viewer | null) =>
  grantsOf(viewer).map((g) => g.unitPath);

export const COMPLETE_RECTIFICATION_ROLES: readonly Role[] = ['HANDLER', 'DEPARTMENT_LEADER'];
/** D75: a HANDLER or DEPARTMENT_LEADER of the responsible unit completes it. */
export const mayCompleteRectification = (viewer: Viewer | null, responsibleUnitId: string) =>
  grantsOf(viewer, COMPLETE_RECTIFICATION_ROLES).some((g) => g.unitId === responsibleUnitId);

export const VERIFY_RECTIFICATION_ROLES: readonly Role[] = ['LEGAL_OFFICER', 'DEPARTMENT_LEADER'];
/** D75: a LEGAL_OFFICER of the province, or a DEPARTMENT_LEADER of a unit above the responsible unit, verifies it. */
export const mayVerifyRectification = (viewer: Viewer | null, responsiblePath: string) =>
  grantsOf(viewer, ['LEGAL_OFFICER']).some(
    (g) => g.unitLevel === 'PROVINCE' && g.unitId === provinceIdOfPath(responsiblePath),
  ) ||
  grantsOf(viewer, ['DEPARTMENT_LEADER']).some(
    (g) => responsiblePath.startsWith(g.unitPath) && responsiblePath !== g.unitPath,
  );

// ---------------------------------------------------------------- incidents (D76)

export const OPEN_INCIDENT_ROLES: readonly Role[] = ['LEGAL_OFFICER', 'DUTY_MANAGER'];

/** D76: a LEGAL_OFFICER of the province covers its whole tree; a DUTY_MANAGER its own unit's subtree. */
export const coversUnit = (viewer: Viewer | null, unitPath: string) =>
  grantsOf(viewer, ['LEGAL_OFFICER']).some(
    (g) => g.unitLevel === 'PROVINCE' && unitPath.startsWith(g.unitPath),
  ) || grantsOf(viewer, ['DUTY_MANAGER']).some((g) => unitPath.startsWith(g.unitPath));

/** D76: whoever may open an incident for all its units links cases to it, records its notice and closes it. */
export const managesIncident = (viewer: Viewer | null, unitPaths: readonly string[]) =>
  unitPaths.length > 0 && unitPaths.every((p) => coversUnit(viewer, p));

/**
 * D76: staff whose unit is, or is above, one of the incident's units read it
 * (so it counts in their duty briefing and `incidents`).
 */
export const readsIncident = (viewer: Viewer | null, unitPaths: readonly string[]) =>
  grantsOf(viewer).some((g) => unitPaths.some((p) => p.startsWith(g.unitPath)));

/** The units whose incidents the viewer reads, as path prefixes. */
export const incidentReadPaths = (viewer: Viewer | null) => grantsOf(viewer).map((g) => g.unitPath);

export const BATCH_REPLY_ROLES: readonly Role[] = ['ACCEPTANCE_AGENT', 'LEGAL_OFFICER'];
/** D76: the province acceptance centre (an ACCEPTANCE_AGENT or LEGAL_OFFICER of the incident's province) replies in batch. */
export const mayBatchReply = (viewer: Viewer | null, provinceId: string) =>
  grantsOf(viewer, BATCH_REPLY_ROLES).some((g) => g.unitId === provinceId);
