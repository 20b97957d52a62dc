import type { InputFieldBuilder } from '@pothos/core';
import { and, isNull } from 'drizzle-orm';
import {
  administeredUnitIds,
  isAdministrator,
  readingUnitIds,
  readsOperatorWarnings,
  readsStaff,
  staff,
} from '../auth/guards.js';
import { readCover } from '../auth/read-cover.js';
import { complaintsWhere } from '../auth/sql.js';
import { orgUnits } from '../db/schema.js';
import type { FindingSummary } from '../domain/assessment-findings.js';
import { DEFAULT_KINDS, kindsWhere } from '../domain/complaint-list.js';
import type { OPEN_STATUSES } from '../domain/enums.js';
import { DomainError } from '../domain/errors.js';
import { openIncidentCount } from '../domain/incidents.js';
import { type OrgUnit, unitByCode } from '../domain/org.js';
import {
  type AssessmentRow,
  assessment,
  type Briefing,
  type ClockPerformance,
  complaintStats,
  DIMENSIONS,
  dutyBriefing,
  type StatsRow,
} from '../domain/stats.js';
import type { StatsCover } from '../domain/stats-rollup.js';
import { calendarWarnings } from '../sla/calendar-years.js';
import { builder, exposeNullable, type Types } from './builder.js';
import {
  ClockKindEnum,
  ComplaintStatusEnum,
  ContactKindEnum,
  FindingNatureEnum,
  RemedyKindEnum,
} from './complaint.js';
import type { Context } from './context.js';
import { documented } from './enum-docs.js';
import { guard, refusalsAsErrors } from './errors.js';
import { idOf } from './global-id.js';
import { UserRef } from './identity.js';
import { tag } from './node.js';
import { OrgUnitRef } from './org-unit.js';

/**
 * The unit statistics are about: the one asked for, else the viewer's widest
 * unit (a partner's: its province). Shared with the CSV export.
 */
export async function scopeOf(
  ctx: Context,
  unitId: string | null | undefined,
  opts: { administrators?: boolean } = {},
): Promise<OrgUnit> {
  if (unitId != null) {
    const id = idOf(unitId, 'OrgUnit');
    const unit = id ? await ctx.loaders.unit.load(id) : null;
    if (!unit) throw new DomainError('VALIDATION', 'No such unit', ['unitId']);
    return unit;
  }
  const v = ctx.viewer!;
  let ids = readingUnitIds(v);
  // A briefing also serves administrators (its warnings, D27): their own unit, or the first province.
  if (!ids.length && opts.administrators && isAdministrator(v)) {
    ids = administeredUnitIds(v);
    if (!ids.length) ids = (await firstProvince(ctx.db)) ?? [];
  }
  if (!ids.length)
    throw new DomainError('FORBIDDEN', 'Statistics are about cases, and this viewer reads none');
  return (await ctx.loaders.unit.load(ids[0]!))!;
}

/** Refusals of a statistics query as GraphQL errors: FORBIDDEN, or VALIDATION naming the argument. */
const run = <T>(f: () => Promise<T>): Promise<T> => refusalsAsErrors('input', f);

const StatsDimensionEnum = builder.enumType('StatsDimension', {
  description:
    'What `complaintStats` groups by (D30); each appears as a key of `StatsRow.keys` (D59). Periods are Asia/Shanghai calendar periods of the registration time.',
  values: documented(DIMENSIONS, {
    KIND: 'The kind of contact (D70): COMPLAINT, CONSULTATION, QUERY, BUSINESS_REQUEST, FAULT_REPORT.',
    UNIT: "The unit's code: one row per child of the scope unit, counting its whole subtree, and one for the cases the scope unit holds itself.",
    BUSINESS_LINE: 'The business line code (null when none yet).',
    CATEGORY: 'The category code (null until accepted).',
    SEVERITY: 'The severity (null until accepted).',
    SOURCE: 'The source.',
    CHANNEL: 'The channel.',
    STATUS: 'The status now.',
    DAY: 'The day, e.g. 2026-11-23.',
    WEEK: 'The ISO week, e.g. 2026-W48.',
    MONTH: 'The month, e.g. 2026-11.',
    QUARTER: 'The quarter, e.g. 2026-Q4.',
    YEAR: 'The year, e.g. 2026.',
  }),
});

/** D70, D59: the kinds asked for (default [COMPLAINT]), ANDed with what the viewer reads, exactly as the list does. */
const readableOf = (
  ctx: Context,
  kinds:
    | readonly ('COMPLAINT' | 'CONSULTATION' | 'QUERY' | 'BUSINESS_REQUEST' | 'FAULT_REPORT')[]
    | null
    | undefined,
) => and(complaintsWhere(ctx.ability, 'read'), kindsWhere(kinds))!;

/**
 * Issue 25: the viewer's read rule as the statistics rollup takes it (src/domain/stats-rollup.ts),
 * or null when it is not of that shape (the figures are then scanned).
 */
async function statsCover(
  ctx: Context,
  kinds: Parameters<typeof readableOf>[1],
): Promise<StatsCover | null> {
  const scope = await readScopeOf(ctx);
  return scope && { ...scope, kinds: kinds ?? DEFAULT_KINDS };
}

/** The viewer's read rule in the rollup's shape, before kinds (the analysis report picks its own, D77), or null. */
export async function readScopeOf(ctx: Context): Promise<Omit<StatsCover, 'kinds'> | null> {
  const cover = readCover(ctx.ability);
  if (!cover) return null;
  const units = await Promise.all(cover.units.map((id) => ctx.loaders.unit.load(id)));
  if (units.some((u) => !u)) return null;
  return { units: units as OrgUnit[], me: cover.me };
}

export const StatsRowRef = builder.objectRef<StatsRow>('StatsRow').implement({
  description: 'One group of cases and how many there are.',
  fields: (t) => ({
    keys: t.field({
      type: 'JSON',
      description:
        'An object from each dimension grouped by to its value, e.g. {"UNIT": "GD-GZ", "MONTH": "2026-11"} (D59).',
      resolve: (r) => r.keys,
    }),
    count: t.exposeInt('count', { description: 'How many cases the group holds.' }),
  }),
});

/** The `from`/`to` fields of an input counting the cases registered in a window. */
const registrationWindow = (t: InputFieldBuilder<Types, 'InputObject'>) => ({
  from: t.field({
    type: 'DateTime',
    required: true,
    description: 'Cases registered at or after this time (inclusive).',
  }),
  to: t.field({
    type: 'DateTime',
    required: true,
    description: 'Cases registered before this time (exclusive).',
  }),
});

const StatsInput = builder.inputType('StatsInput', {
  description: 'What to count: a registration window, a scope unit and the dimensions to group by.',
  fields: (t) => ({
    ...registrationWindow(t),
    unitId: t.id({
      description:
        "The scope: cases handled anywhere in this unit's subtree; default the viewer's widest unit. An unknown unit is a VALIDATION GraphQL error.",
    }),
    groupBy: t.field({
      type: [StatsDimensionEnum],
      required: true,
      description:
        'The dimensions to group by, at most one period (DAY, WEEK, MONTH, QUARTER or YEAR); empty: one row with the total.',
    }),
    kinds: t.field({
      type: [ContactKindEnum],
      description: 'The kinds of contact counted; default [COMPLAINT], as lists (D70, D59).',
    }),
  }),
});

export const ClockPerformanceRef = builder
  .objectRef<ClockPerformance>('ClockPerformance')
  .implement({
    description:
      'On-time performance of one kind of clock (D31). Only judged clocks count: those that ended MET or MISSED, and running ones past due; CANCELLED and PAUSED ones count neither way (D26).',
    fields: (t) => ({
      clock: t.field({
        type: ClockKindEnum,
        description: 'Which clock.',
        resolve: (c) => c.clock as never,
      }),
      total: t.exposeInt('total', { description: 'How many clocks of this kind were judged.' }),
      onTime: t.exposeInt('onTime', { description: 'How many of them were MET.' }),
      rate: t.exposeFloat('rate', {
        nullable: true,
        description: 'onTime / total, between 0 and 1; null when total is 0.',
      }),
    }),
  });

type AssessmentView = AssessmentRow & { scope: OrgUnit };

const CategoryCountRef = builder
  .objectRef<{ category: string; count: number }>('CategoryCount')
  .implement({
    description:
      'How many cases carry one code: a category (the duty briefing) or a root cause (assessment findings).',
    fields: (t) => ({
      category: t.exposeString('category', { description: 'The category or root-cause code.' }),
      count: t.exposeInt('count', { description: 'How many cases.' }),
    }),
  });

const NatureCountRef = builder
  .objectRef<FindingSummary['byNature'][number]>('NatureCount')
  .implement({
    description: 'Findings of one nature (D12).',
    fields: (t) => ({
      nature: t.field({ type: FindingNatureEnum, resolve: (n) => n.nature }),
      count: t.exposeInt('count'),
    }),
  });
const RemedyCountRef = builder
  .objectRef<FindingSummary['byRemedy'][number]>('RemedyCount')
  .implement({
    description:
      'Findings with one remedy, and the amounts paid (compensation, bill adjustments, and what a line records of its own, D31).',
    fields: (t) => ({
      kind: t.field({ type: RemedyKindEnum, resolve: (r) => r.kind }),
      count: t.exposeInt('count', { description: 'Findings with this remedy.' }),
      amount: t.exposeFloat('amount', {
        description:
          "Yuan: the findings' amounts plus the remedies the lines recorded on those cases.",
      }),
    }),
  });
export const FindingSummaryRef = builder.objectRef<FindingSummary>('FindingSummary').implement({
  description:
    'Responsibility findings naming a unit as responsible, the latest of each case (D31).',
  fields: (t) => ({
    byNature: t.field({ type: [NatureCountRef], resolve: (f) => f.byNature }),
    byRemedy: t.field({ type: [RemedyCountRef], resolve: (f) => f.byRemedy }),
    byCause: t.field({
      type: [CategoryCountRef],
      description: 'By root-cause code (D79), most frequent first.',
      resolve: (f) => f.byCause,
    }),
  }),
});

const AssessmentRef = builder.objectRef<AssessmentView>('Assessment').implement({
  description:
    'The assessment indicators (考核) of one unit or one person over the cases registered in the window (D31). Rates are between 0 and 1, null when there is nothing to divide by.',
  fields: (t) => ({
    unit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description:
        'The unit of this row (by UNIT): a child of the scope with its subtree, or the scope itself for its own cases; null in PERSON rows.',
      resolve: async (a, _, ctx) => {
        if (!a.unitCode) return null;
        if (a.unitCode === a.scope.code) return tag('OrgUnit', a.scope);
        const children = await ctx.loaders.unitChildren.load(a.scope.id);
        // Not a child: a case outside the scope's subtree, keyed by the unit holding it (no unitId asked for, D59).
        const u =
          children.find((c) => c.code === a.unitCode) ?? (await unitByCode(ctx.db, a.unitCode));
        return u ? tag('OrgUnit', u) : null;
      },
    }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description:
        'The first responder of this row (by PERSON); null in UNIT rows and for partner cases, which have no person row.',
      resolve: (a, _, ctx) =>
        a.userId && readsStaff(ctx.viewer)
          ? ctx.loaders.user.load(a.userId).then((u) => u && tag('User', u))
          : null,
    }),
    received: t.exposeInt('received', { description: 'Cases registered in the window.' }),
    resolved: t.exposeInt('resolved', { description: 'Of those, how many have been resolved.' }),
    ...exposeNullable(t, 'Float', {
      resolutionRate: 'resolved / received.',
      meanResponseMinutes:
        'Mean time from registration to acceptance, in minutes, over the accepted cases; null when none.',
      satisfactionRate: '(SATISFIED + BASICALLY_SATISFIED) / callbacks that reached the customer.',
      reopenRate: 'Share of the cases reopened by an unsatisfied callback.',
      repeatRate:
        'Share of the cases that repeat a complaint of the same customer and line within 30 days.',
      returnRate:
        'Cases sent back to this unit (returned or with a report sent back) per case dispatched to it; null when nothing was dispatched. D31',
    }),
    clocks: t.field({
      type: [ClockPerformanceRef],
      description: 'On-time performance per kind of clock (only kinds with judged clocks).',
      resolve: (a) => a.clocks,
    }),
    findings: t.field({
      type: FindingSummaryRef,
      nullable: true,
      description: 'Findings naming this unit as responsible (D31); null in PERSON rows.',
      resolve: (a) => a.findings,
    }),
    rectificationsOpen: t.exposeInt('rectificationsOpen', {
      description:
        "This unit's rectifications still open (OPEN or REOPENED, D75); 0 in PERSON rows.",
    }),
    rectificationsOverdue: t.exposeInt('rectificationsOverdue', {
      description: 'Of those, the ones past their due time.',
    }),
  }),
});

const AssessmentSubjectEnum = builder.enumType('AssessmentSubject', {
  description: 'Whom the assessment rows are about.',
  values: documented(['UNIT', 'PERSON'] as const, {
    UNIT: "One row per direct child unit of the scope (its subtree rolled up) and one for the scope's own cases.",
    PERSON:
      'One row per first responder, accountable for the case under first-ask responsibility (D10).',
  }),
});
const AssessmentInput = builder.inputType('AssessmentInput', {
  description: 'What to assess: a registration window, a scope unit and per unit or per person.',
  fields: (t) => ({
    ...registrationWindow(t),
    unitId: t.id({
      description:
        "The scope unit; default the viewer's widest unit. An unknown unit is a VALIDATION GraphQL error.",
    }),
    by: t.field({
      type: AssessmentSubjectEnum,
      required: true,
      description: 'Per unit or per person.',
    }),
    kinds: t.field({
      type: [ContactKindEnum],
      description: 'The kinds of contact assessed; default [COMPLAINT], as lists (D70, D59).',
    }),
  }),
});

const StateCountRef = builder
  .objectRef<{ status: (typeof OPEN_STATUSES)[number]; count: number }>('StateCount')
  .implement({
    description: 'How many open cases are in one status.',
    fields: (t) => ({
      status: t.field({
        type: ComplaintStatusEnum,
        description: 'An open status.',
        resolve: (s) => s.status,
      }),
      count: t.exposeInt('count', { description: 'How many cases.' }),
    }),
  });
const DutyBriefingRef = builder
  .objectRef<Briefing & { unit: OrgUnit; warnings: string[] }>('DutyBriefing')
  .implement({
    description:
      "What a duty manager reads at the start of a shift, for a unit's subtree (D32); counts the cases the viewer can list (D59).",
    fields: (t) => ({
      unit: t.field({
        type: OrgUnitRef,
        description: 'The unit whose subtree is counted.',
        resolve: (b) => tag('OrgUnit', b.unit),
      }),
      openByStatus: t.field({
        type: [StateCountRef],
        description: 'Open cases per status, every open status listed.',
        resolve: (b) => b.openByStatus as never,
      }),
      overdue: t.exposeInt('overdue', {
        description: 'Open cases whose earliest running clock is past due now.',
      }),
      majorOpen: t.exposeInt('majorOpen', { description: 'Open MAJOR or URGENT cases.' }),
      escalated: t.exposeInt('escalated', {
        description: 'Open cases with at least one approved escalation.',
      }),
      receivedToday: t.exposeInt('receivedToday', {
        description: 'Cases registered since 00:00 today, Asia/Shanghai.',
      }),
      topCategories: t.field({
        type: [CategoryCountRef],
        description: 'The 5 categories with the most open cases, most first.',
        resolve: (b) => b.topCategories,
      }),
      openIncidents: t.int({
        description:
          'Open incidents concerning this unit or a unit below it that the viewer reads (D76).',
        resolve: (b, _, ctx) => openIncidentCount(ctx.db, ctx.viewer, b.unit.path),
      }),
      supervisedOverdue: t.exposeInt('supervisedOverdue', {
        description:
          'Supervised cases of the subtree whose progress report is overdue (D73); every kind counts.',
      }),
      warnings: t.stringList({
        description:
          "What an ADMIN or a DUTY_MANAGER must act on, e.g. next year's statutory calendar is not loaded (D27); empty for other viewers.",
        resolve: (b) => b.warnings,
      }),
    }),
  });

/** D27: the operator's warnings, for viewers holding ADMIN or DUTY_MANAGER (null for others). */
async function operatorWarnings(ctx: Context, now: Date): Promise<string[] | null> {
  if (!readsOperatorWarnings(ctx.viewer)) return null;
  return calendarWarnings(ctx.db, now);
}

async function firstProvince(db: Context['db']): Promise<string[] | null> {
  const [p] = await db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(isNull(orgUnits.parentId))
    .orderBy(orgUnits.code)
    .limit(1);
  return p ? [p.id] : null;
}

builder.queryFields((t) => ({
  complaintStats: t.field({
    type: [StatsRowRef],
    description:
      "Counts of the cases the viewer can list, registered in [from, to), grouped by the dimensions asked for: a `groupBy: [STATUS]` adds up to the list's `totalCount` for the same window (D30, D59). Staff only: a partner gets FORBIDDEN; a viewer who reads no cases FORBIDDEN; an unknown unit VALIDATION (GraphQL errors).",
    args: {
      input: t.arg({
        type: StatsInput,
        required: true,
        description: 'The window, the scope and the grouping.',
      }),
    },
    resolve: async (_, { input }, ctx) => {
      guard(ctx, staff); // D40: statistics are a staff operation
      return run(async () =>
        complaintStats(
          await ctx.reader(),
          readableOf(ctx, input.kinds),
          await scopeOf(ctx, input.unitId),
          input.from,
          input.to,
          input.groupBy,
          input.unitId != null,
          await statsCover(ctx, input.kinds),
        ),
      );
    },
  }),
  assessment: t.field({
    type: [AssessmentRef],
    description:
      "Assessment indicators (response time, resolution, satisfaction, reopen and repeat rates, on-time rate per clock) per direct child unit of the scope (subtree roll-up; the scope's own cases as its own row) or per first responder, over the cases the viewer can list registered in [from, to) (D31, D59). Staff only: a partner gets FORBIDDEN (GraphQL error).",
    args: {
      input: t.arg({
        type: AssessmentInput,
        required: true,
        description: 'The window, the scope and per unit or per person.',
      }),
    },
    resolve: async (_, { input }, ctx) => {
      guard(ctx, staff); // D40
      const scope = await run(() => scopeOf(ctx, input.unitId));
      const reader = await ctx.reader();
      const cover = await statsCover(ctx, input.kinds);
      const rows = await run(() =>
        assessment(
          reader,
          readableOf(ctx, input.kinds),
          scope,
          input.from,
          input.to,
          input.by,
          ctx.services.clock.now(),
          input.unitId != null,
          ctx.services.lines.remedyRecords(),
          cover,
        ),
      );
      return rows.map((r) => ({ ...r, scope }));
    },
  }),
  dutyBriefing: t.field({
    type: DutyBriefingRef,
    description:
      "The duty briefing: open cases by state, overdue, MAJOR/URGENT open, escalated, received today, top categories, for the subtree, plus the operator's warnings for ADMINs and DUTY_MANAGERs (D32, D27). Staff only: a partner gets FORBIDDEN (GraphQL error).",
    args: {
      unitId: t.arg.id({
        description: "The unit whose subtree is counted; default the viewer's widest unit.",
      }),
    },
    resolve: async (_, args, ctx) => {
      guard(ctx, staff); // D40
      const unit = await run(() => scopeOf(ctx, args.unitId, { administrators: true }));
      const now = ctx.services.clock.now();
      const briefing = await dutyBriefing(
        await ctx.reader(),
        complaintsWhere(ctx.ability, 'read'),
        unit,
        now,
        args.unitId != null,
      );
      return { unit, ...briefing, warnings: (await operatorWarnings(ctx, now)) ?? [] };
    },
  }),
}));
