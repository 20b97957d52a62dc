import { isNull } from 'drizzle-orm';
import { complaintsWhere } from '../auth/sql.js';
import { orgUnits } from '../db/schema.js';
import { calendarWarnings } from '../sla/calendar-years.js';
import { OPEN_STATUSES } from '../domain/enums.js';
import { DomainError } from '../domain/errors.js';
import { unitByCode, type OrgUnit } from '../domain/org.js';
import { assessment, complaintStats, DIMENSIONS, dutyBriefing, type AssessmentRow, type Briefing, type ClockPerformance, type StatsRow } from '../domain/stats.js';
import { builder } from './builder.js';
import { ClockKindEnum, ComplaintStatusEnum } from './complaint.js';
import type { Context } from './context.js';
import { readingUnitIds, readsStaff, staff } from '../auth/guards.js';
import { guard, refusalsAsErrors } from './errors.js';
import { idOf } from './global-id.js';
import { UserRef } from './identity.js';
import { tag } from './node.js';
import { OrgUnitRef } from './org-unit.js';

/**
 * The unit statistics are about: the one asked for, else the viewer's widest
 * unit (a partner's: its province). Shared with the CSV export.
 */
export async function scopeOf(ctx: Context, unitId: string | null | undefined, opts: { administrators?: boolean } = {}): Promise<OrgUnit> {
  if (unitId != null) {
    const id = idOf(unitId, 'OrgUnit');
    const unit = id ? await ctx.loaders.unit.load(id) : null;
    if (!unit) throw new DomainError('VALIDATION', 'No such unit', ['unitId']);
    return unit;
  }
  const v = ctx.viewer!;
  let ids = readingUnitIds(v);
  // A briefing also serves administrators (its warnings, D27): their own unit, or the first province.
  if (!ids.length && opts.administrators && v.kind === 'user' && v.grants.some((g) => g.role === 'ADMIN')) {
    ids = v.grants.filter((g) => g.role === 'ADMIN' && g.unitId).sort((a, b) => a.unitPath!.length - b.unitPath!.length).map((g) => g.unitId!);
    if (!ids.length) ids = (await firstProvince(ctx.db)) ?? [];
  }
  if (!ids.length) throw new DomainError('FORBIDDEN', 'Statistics are about cases, and this viewer reads none');
  return (await ctx.loaders.unit.load(ids[0]!))!;
}

/** Refusals of a statistics query as GraphQL errors: FORBIDDEN, or VALIDATION naming the argument. */
const run = <T>(f: () => Promise<T>): Promise<T> => refusalsAsErrors('input', f);

const StatsDimensionEnum = builder.enumType('StatsDimension', { values: DIMENSIONS });

const StatsRowRef = builder.objectRef<StatsRow>('StatsRow').implement({
  fields: (t) => ({ keys: t.field({ type: 'JSON', resolve: (r) => r.keys }), count: t.exposeInt('count') }),
});

const StatsInput = builder.inputType('StatsInput', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: true }),
    to: t.field({ type: 'DateTime', required: true }),
    unitId: t.id(),
    groupBy: t.field({ type: [StatsDimensionEnum], required: true }),
  }),
});

const ClockPerformanceRef = builder.objectRef<ClockPerformance>('ClockPerformance').implement({
  fields: (t) => ({
    clock: t.field({ type: ClockKindEnum, resolve: (c) => c.clock as never }),
    total: t.exposeInt('total'),
    onTime: t.exposeInt('onTime'),
    rate: t.exposeFloat('rate', { nullable: true }),
  }),
});

type AssessmentView = AssessmentRow & { scope: OrgUnit };

const AssessmentRef = builder.objectRef<AssessmentView>('Assessment').implement({
  fields: (t) => ({
    unit: t.field({
      type: OrgUnitRef,
      nullable: true,
      resolve: async (a, _, ctx) => {
        if (!a.unitCode) return null;
        if (a.unitCode === a.scope.code) return tag('OrgUnit', a.scope);
        const children = await ctx.loaders.unitChildren.load(a.scope.id);
        // Not a child: a case outside the scope's subtree, keyed by the unit holding it (no unitId asked for, D59).
        const u = children.find((c) => c.code === a.unitCode) ?? (await unitByCode(ctx.db, a.unitCode));
        return u ? tag('OrgUnit', u) : null;
      },
    }),
    user: t.field({
      type: UserRef,
      nullable: true,
      resolve: (a, _, ctx) => (a.userId && readsStaff(ctx.viewer) ? ctx.loaders.user.load(a.userId).then((u) => u && tag('User', u)) : null),
    }),
    received: t.exposeInt('received'),
    resolved: t.exposeInt('resolved'),
    resolutionRate: t.exposeFloat('resolutionRate', { nullable: true }),
    meanResponseMinutes: t.exposeFloat('meanResponseMinutes', { nullable: true }),
    satisfactionRate: t.exposeFloat('satisfactionRate', { nullable: true }),
    reopenRate: t.exposeFloat('reopenRate', { nullable: true }),
    repeatRate: t.exposeFloat('repeatRate', { nullable: true }),
    clocks: t.field({ type: [ClockPerformanceRef], resolve: (a) => a.clocks }),
  }),
});

const AssessmentSubjectEnum = builder.enumType('AssessmentSubject', { values: ['UNIT', 'PERSON'] as const });
const AssessmentInput = builder.inputType('AssessmentInput', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: true }),
    to: t.field({ type: 'DateTime', required: true }),
    unitId: t.id(),
    by: t.field({ type: AssessmentSubjectEnum, required: true }),
  }),
});

const StateCountRef = builder.objectRef<{ status: (typeof OPEN_STATUSES)[number]; count: number }>('StateCount').implement({
  fields: (t) => ({ status: t.field({ type: ComplaintStatusEnum, resolve: (s) => s.status }), count: t.exposeInt('count') }),
});
const CategoryCountRef = builder.objectRef<{ category: string; count: number }>('CategoryCount').implement({
  fields: (t) => ({ category: t.exposeString('category'), count: t.exposeInt('count') }),
});
const DutyBriefingRef = builder.objectRef<Briefing & { unit: OrgUnit; warnings: string[] }>('DutyBriefing').implement({
  fields: (t) => ({
    unit: t.field({ type: OrgUnitRef, resolve: (b) => tag('OrgUnit', b.unit) }),
    openByStatus: t.field({ type: [StateCountRef], resolve: (b) => b.openByStatus as never }),
    overdue: t.exposeInt('overdue'),
    majorOpen: t.exposeInt('majorOpen'),
    escalated: t.exposeInt('escalated'),
    receivedToday: t.exposeInt('receivedToday'),
    topCategories: t.field({ type: [CategoryCountRef], resolve: (b) => b.topCategories }),
    warnings: t.stringList({
      description:
        "What an ADMIN or a DUTY_MANAGER must act on, e.g. next year's statutory calendar is not loaded (D27); empty for other viewers.",
      resolve: (b) => b.warnings,
    }),
  }),
});

/** D27: the operator's warnings, for viewers holding ADMIN or DUTY_MANAGER (null for others). */
async function operatorWarnings(ctx: Context, now: Date): Promise<string[] | null> {
  const v = ctx.viewer;
  if (v?.kind !== 'user' || !v.grants.some((g) => g.role === 'ADMIN' || g.role === 'DUTY_MANAGER')) return null;
  return calendarWarnings(ctx.db, now);
}

async function firstProvince(db: Context['db']): Promise<string[] | null> {
  const [p] = await db.select({ id: orgUnits.id }).from(orgUnits).where(isNull(orgUnits.parentId)).orderBy(orgUnits.code).limit(1);
  return p ? [p.id] : null;
}

builder.queryFields((t) => ({
  complaintStats: t.field({
    type: [StatsRowRef],
    description: 'Counts of the cases the viewer can list (D59), registered in [from, to), grouped by the dimensions asked for.',
    args: { input: t.arg({ type: StatsInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      guard(ctx, staff); // D40: statistics are a staff operation
      return run(async () => complaintStats(ctx.db, complaintsWhere(ctx.ability, 'read'), await scopeOf(ctx, input.unitId), input.from, input.to, input.groupBy, input.unitId != null));
    },
  }),
  assessment: t.field({
    type: [AssessmentRef],
    description: "D31 indicators per direct child unit of the scope (subtree roll-up; the scope's own cases as its own row) or per first responder.",
    args: { input: t.arg({ type: AssessmentInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      guard(ctx, staff); // D40
      const scope = await run(() => scopeOf(ctx, input.unitId));
      const rows = await run(() =>
        assessment(ctx.db, complaintsWhere(ctx.ability, 'read'), scope, input.from, input.to, input.by, ctx.services.clock.now(), input.unitId != null),
      );
      return rows.map((r) => ({ ...r, scope }));
    },
  }),
  dutyBriefing: t.field({
    type: DutyBriefingRef,
    description: 'D32: open cases by state, overdue, MAJOR/URGENT open, escalated, received today, top categories, for the subtree.',
    args: { unitId: t.arg.id() },
    resolve: async (_, args, ctx) => {
      guard(ctx, staff); // D40
      const unit = await run(() => scopeOf(ctx, args.unitId, { administrators: true }));
      const now = ctx.services.clock.now();
      const briefing = await dutyBriefing(ctx.db, complaintsWhere(ctx.ability, 'read'), unit, now, args.unitId != null);
      return { unit, ...briefing, warnings: (await operatorWarnings(ctx, now)) ?? [] };
    },
  }),
}));
