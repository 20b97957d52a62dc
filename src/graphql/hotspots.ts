import { readingUnitPaths, staff } from '../auth/guards.js';
import { type HotspotAlertRow, listHotspots } from '../domain/hotspots.js';
import { hotspotFeedFor } from '../events/hotspot-feed.js';
import { builder } from './builder.js';
import { BusinessLineRef } from './complaint.js';
import type { Context } from './context.js';
import { guard } from './errors.js';
import { liveRowsField } from './live-rows.js';
import { tag } from './node.js';
import { OrgUnitRef, unitPathOf } from './org-unit.js';

/**
 * D76 hotspots: the alert type, the `hotspots` query and the `hotspotAlerts`
 * subscription. A viewer hears of a key's alert when one of its case-reading
 * grants (D54) is at the key's unit or above it (a DUTY_MANAGER's among
 * them); `unitId` narrows to that unit's subtree.
 */

export const HotspotAlertRef = builder.objectRef<HotspotAlertRow>('HotspotAlert').implement({
  description:
    'A surge of registrations for one unit and business line in the 60 minutes up to when it was raised (D76).',
  fields: (t) => ({
    unit: t.field({
      type: OrgUnitRef,
      description: "The key's unit: the city the customers' addresses name, else the province.",
      resolve: async (a, _, ctx) => tag('OrgUnit', (await ctx.loaders.unit.load(a.unitId))!),
    }),
    businessLine: t.field({
      type: BusinessLineRef,
      nullable: true,
      description:
        'The business line given at registration; null for cases registered without one.',
      resolve: (a, _, ctx) => (a.line ? (ctx.services.lines.get(a.line) ?? null) : null),
    }),
    category: t.string({
      nullable: true,
      description:
        'Always null for now: the key is the unit and the business line (D76), not the category.',
      resolve: () => null,
    }),
    windowStart: t.expose('windowStart', {
      type: 'DateTime',
      description: 'Start of the 60 minutes counted.',
    }),
    count: t.exposeInt('count', { description: 'Cases of the key registered in the window.' }),
    baseline: t.float({
      description: "The key's average for the same hour of the week over the previous 4 weeks.",
      resolve: (a) => Number(a.baseline),
    }),
    at: t.field({
      type: 'DateTime',
      description: 'When the alert was raised.',
      resolve: (a) => a.at,
    }),
  }),
});

/** The unit filter as a path (`false`: no such unit, nothing matches). */
async function within(ctx: Context, unitId: string | null | undefined) {
  return unitPathOf(ctx, unitId);
}

builder.queryField('hotspots', (t) =>
  t.field({
    type: [HotspotAlertRef],
    description:
      'HOTSPOT alerts raised in [from, to) for units the viewer reads at or below (D76), newest first, at most 500.',
    args: {
      from: t.arg({
        type: 'DateTime',
        required: true,
        description: 'Raised at or after this time.',
      }),
      to: t.arg({ type: 'DateTime', required: true, description: 'Raised before this time.' }),
      unitId: t.arg.id({ description: "Only alerts of this unit's subtree." }),
    },
    resolve: async (_, args, ctx) => {
      guard(ctx, staff);
      const path = await within(ctx, args.unitId);
      if (path === false) return [];
      return listHotspots(ctx.db, args.from, args.to, readingUnitPaths(ctx.viewer), path);
    },
  }),
);

liveRowsField('hotspotAlerts', {
  type: HotspotAlertRef,
  description:
    "HOTSPOT alerts as they are raised, for units the viewer reads at or below (D76: a duty manager's unit and its subtree).",
  unitId: "Only alerts of this unit's subtree.",
  feedOf: hotspotFeedFor,
  what: 'alert',
  readsFor: (ctx) => {
    const paths = readingUnitPaths(ctx.viewer);
    return (a) => paths.some((p) => a.unitPath.startsWith(p));
  },
  unitPaths: (a) => [a.unitPath],
});
