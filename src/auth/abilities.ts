import { AbilityBuilder, createMongoAbility, subject, type MongoAbility } from '@casl/ability';
import { complaintRules } from './complaint-rules.js';
import type { Viewer } from './viewer.js';

/**
 * Every permission of the platform is a rule built here, from the viewer's
 * role grants (D3). The rest of the code asks (`ability.can(...)`), never
 * decides. Complaint rules (reading D54, acting D53) are in
 * ./complaint-rules.ts; business lines may contribute more through addRules.
 *
 * Subjects carry the facts the conditions look at:
 * - OrgUnit: { id, ancestorIds } (ancestorIds includes the unit itself)
 */
export type AppAbility = MongoAbility;

export type RuleBuilder = AbilityBuilder<AppAbility>;
export type RuleContributor = (viewer: Viewer, builder: RuleBuilder) => void;

const contributors: RuleContributor[] = [];

/** Business lines and other modules add their rules here at boot. */
export function addRules(contributor: RuleContributor) {
  contributors.push(contributor);
}

export function defineAbilityFor(viewer: Viewer | null): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  if (viewer?.kind === 'user') {
    for (const g of viewer.grants) {
      if (g.role !== 'ADMIN') continue;
      if (g.unitId === null) {
        // The bootstrap administrator manages the whole tree.
        builder.can('manage', ['OrgUnit', 'Calendar']);
      } else {
        builder.can('manage', 'OrgUnit', { ancestorIds: g.unitId });
        if (g.unitLevel === 'PROVINCE') builder.can('manage', 'Calendar');
      }
    }
  }
  if (viewer) {
    complaintRules(viewer, builder);
    for (const c of contributors) c(viewer, builder);
  }
  return builder.build();
}

export const orgUnitSubject = (unit: { id: string; path: string }) =>
  subject('OrgUnit', { id: unit.id, ancestorIds: unit.path.split('/').filter(Boolean) });

export const isAdmin = (viewer: Viewer | null) =>
  viewer?.kind === 'user' && viewer.grants.some((g) => g.role === 'ADMIN');
