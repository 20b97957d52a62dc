import type { OrgLevel } from '../domain/enums.js';
import { mayExportUnit } from './guards.js';
import type { Viewer } from './viewer.js';

/**
 * D77: who reads, writes and approves a unit's periodic analysis report.
 * Pure predicates over the viewer's grants and the report's unit.
 */

export type ReportUnit = { id: string; path: string; level: OrgLevel; parentId: string | null };

/** Reads a report: staff who read its unit's statistics (D59), i.e. a case-reading grant at the unit or above. */
export const readsReport = (viewer: Viewer | null, unit: Pick<ReportUnit, 'path'>) =>
  viewer?.kind === 'user' && mayExportUnit(viewer, unit.path);

/** Writes and submits: a LEGAL_OFFICER of the province for the province's report, the unit's DEPARTMENT_LEADER otherwise. */
export function writesReport(viewer: Viewer | null, unit: ReportUnit): boolean {
  if (viewer?.kind !== 'user') return false;
  const role = unit.level === 'PROVINCE' ? 'LEGAL_OFFICER' : 'DEPARTMENT_LEADER';
  return viewer.grants.some((g) => g.role === role && g.unitId === unit.id);
}

/**
 * Approves or returns: a LEGAL_OFFICER of the province for a province, city
 * or centre report; the city's DEPARTMENT_LEADER for a county's. Whether the
 * viewer is the report's own author is asked separately (`decidesReport`).
 */
export function approvesReportsOf(viewer: Viewer | null, unit: ReportUnit): boolean {
  if (viewer?.kind !== 'user') return false;
  if (unit.level === 'COUNTY')
    return viewer.grants.some((g) => g.role === 'DEPARTMENT_LEADER' && g.unitId === unit.parentId);
  const province = unit.path.split('/')[1];
  return viewer.grants.some((g) => g.role === 'LEGAL_OFFICER' && g.unitId === province);
}

/** D77: never the report's own author. */
export const decidesReport = (viewer: Viewer | null, unit: ReportUnit, authorId: string | null) =>
  approvesReportsOf(viewer, unit) && viewer?.kind === 'user' && viewer.id !== authorId;
