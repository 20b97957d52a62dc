import { AbilityBuilder, createMongoAbility, type MongoAbility, subject } from '@casl/ability';
import { complaintRules } from './complaint-rules.js';
import type { Viewer } from './viewer.js';

/**
 * Every permission of the platform is a rule built here, from the viewer's
 * role grants (D3). The rest of the code asks (`ability.can(...)`), never
 * decides. Complaint rules (reading D54, acting D53) are in
 * ./complaint-rules.ts; business lines contribute more through their plugin's `abilities`.
 *
 * Subjects carry the facts the conditions look at:
 * - OrgUnit: { id, ancestorIds } (ancestorIds includes the unit itself)
 */
export type AppAbility = MongoAbility;

export type RuleBuilder = AbilityBuilder<AppAbility>;
export type RuleContributor = (viewer: Viewer, builder: RuleBuilder) => void;

/**
 * The viewer's ability: identity rules, complaint rules, then what business
 * lines contribute (a plugin's `abilities`, passed in as `contributors`;
 * their complaint conditions must use fields src/auth/sql.ts maps to columns,
 * or lists fail closed).
 */
export function defineAbilityFor(
  viewer: Viewer | null,
  contributors: readonly RuleContributor[] = [],
): AppAbility {
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
