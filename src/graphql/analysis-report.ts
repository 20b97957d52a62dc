import { eq } from 'drizzle-orm';
import { readingUnitPaths, staff } from '../auth/guards.js';
import { signLink } from '../auth/signed-links.js';
import { complaintsWhere } from '../auth/sql.js';
import { users } from '../db/schema.js';
import {
  type CauseCount,
  decideAnalysisReport,
  draftAnalysisReport,
  type Figures,
  figuresOf,
  listReports,
  type RectificationFigures,
  type ReportEnv,
  type ReportRow,
  readableReport,
  reportByKey,
  submitAnalysisReport,
  updateAnalysisReport,
} from '../domain/analysis-report.js';
import type { HotspotAlertRow } from '../domain/hotspots.js';
import { incidentById } from '../domain/incidents.js';
import { builder, exposeNullable } from './builder.js';
import { ComplaintRef, readable } from './complaint.js';
import { PageInfoRef, positionCursor, size } from './connection.js';
import type { Context } from './context.js';
import { asPayload, guard, UserErrorRef } from './errors.js';
import { idOf, toGlobalId } from './global-id.js';
import { HotspotAlertRef } from './hotspots.js';
import { UserRef } from './identity.js';
import { NodeRef, registerNode, tag } from './node.js';
import { OrgUnitRef, unitPathOf } from './org-unit.js';
import { IncidentRef, ReportDecisionInput } from './rectification-incidents.js';
import { ClockPerformanceRef, FindingSummaryRef, readScopeOf, StatsRowRef } from './stats.js';

/**
 * D77 periodic analysis reports: the report, its figures, the queries and
 * the four mutations. The rules are in src/domain/analysis-report.ts and
 * src/auth/report-rules.ts; the page and the CSV in src/server/report-page.ts.
 */

const envOf = (ctx: Context): ReportEnv => ({
  db: ctx.db,
  viewer: ctx.viewer!,
  readable: complaintsWhere(ctx.ability, 'read'),
  remedyRecords: ctx.services.lines.remedyRecords(),
  now: ctx.services.clock.now(),
  unitOf: (id) => ctx.loaders.unit.load(id),
});

const ReportPeriodEnum = builder.enumType('ReportPeriod', {
  description: 'The length of a report period (D77: 每月、每季度、每年).',
  values: {
    MONTH: { description: 'A calendar month.' },
    QUARTER: { description: 'A calendar quarter (from January, April, July or October).' },
    YEAR: { description: 'A calendar year.' },
  },
});
const ReportStatusEnum = builder.enumType('ReportStatus', {
  description: 'Where a report is in its approval (D77).',
  values: {
    DRAFT: { description: 'Being written by its author.' },
    SUBMITTED: { description: 'Submitted; its figures are frozen, awaiting the approver.' },
    APPROVED: { description: 'Approved: read-only from now on.' },
    RETURNED: { description: 'Sent back by the approver; the author edits and submits again.' },
  },
});

const TrendFigureRef = builder.objectRef<Figures['total']>('TrendFigure').implement({
  description:
    'Cases of this period against the previous period and the same period a year before (D77).',
  fields: (t) => ({
    current: t.exposeInt('current', { description: 'Cases registered in the period.' }),
    previous: t.exposeInt('previous', { description: 'Cases registered in the period before.' }),
    yearAgo: t.exposeInt('yearAgo', {
      description: 'Cases registered in the same period a year before.',
    }),
  }),
});

const CauseCountRef = builder.objectRef<CauseCount>('CauseCount').implement({
  description: 'Findings of one root cause naming one responsible unit (D77, D79).',
  fields: (t) => ({
    cause: t.exposeString('cause', { description: 'The root-cause code (D79).' }),
    responsibleUnit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description: 'The responsible unit the findings name; null when they name none.',
      resolve: async (c, _, ctx) =>
        c.responsibleUnitId
          ? tag('OrgUnit', (await ctx.loaders.unit.load(c.responsibleUnitId))!)
          : null,
    }),
    count: t.exposeInt('count', {
      description: 'Cases whose latest finding has this cause and unit.',
    }),
  }),
});

const RectificationSummaryRef = builder
  .objectRef<RectificationFigures>('RectificationSummary')
  .implement({
    description: "Rectifications of the report's subtree (D75, D77).",
    fields: (t) => ({
      opened: t.exposeInt('opened', { description: 'Opened in the period.' }),
      done: t.exposeInt('done', { description: 'Of those, reported done.' }),
      verified: t.exposeInt('verified', { description: 'Of those, verified.' }),
      overdue: t.exposeInt('overdue', {
        description: 'Of those, past their due date and not done.',
      }),
    }),
  });

type HotspotFigure = Figures['hotspots'][number];
const asAlert = (h: HotspotFigure): HotspotAlertRow => ({
  ...h,
  position: 0n,
  hour: new Date(h.at),
  windowStart: new Date(h.windowStart),
  at: new Date(h.at),
});

const ReportFiguresRef = builder.objectRef<Figures>('ReportFigures').implement({
  description:
    'The figures of a periodic analysis report (D77), counted as the statistics count them (D59); frozen at submission.',
  fields: (t) => ({
    total: t.field({
      type: TrendFigureRef,
      description: 'Cases of the period, the previous period and the same period a year before.',
      resolve: (f) => f.total,
    }),
    byKind: t.field({
      type: [StatsRowRef],
      description: 'Cases by kind (D70), keyed KIND.',
      resolve: (f) => f.byKind,
    }),
    byBusinessLine: t.field({
      type: [StatsRowRef],
      description: 'Cases by business line, keyed BUSINESS_LINE.',
      resolve: (f) => f.byBusinessLine,
    }),
    byCategory: t.field({
      type: [StatsRowRef],
      description: 'Cases by category, keyed CATEGORY.',
      resolve: (f) => f.byCategory,
    }),
    byChannel: t.field({
      type: [StatsRowRef],
      description: 'Cases by channel, keyed CHANNEL.',
      resolve: (f) => f.byChannel,
    }),
    bySource: t.field({
      type: [StatsRowRef],
      description: 'Cases by source, keyed SOURCE.',
      resolve: (f) => f.bySource,
    }),
    bySeverity: t.field({
      type: [StatsRowRef],
      description: 'Cases by severity, keyed SEVERITY.',
      resolve: (f) => f.bySeverity,
    }),
    byUnit: t.field({
      type: [StatsRowRef],
      description: "Cases by child unit (its subtree), and the unit's own, keyed UNIT (D59).",
      resolve: (f) => f.byUnit,
    }),
    causes: t.field({
      type: [CauseCountRef],
      description: 'Root cause × responsible unit of the latest finding of each case.',
      resolve: (f) => f.causes,
    }),
    satisfactionRate: t.float({
      nullable: true,
      description:
        '(SATISFIED + BASICALLY_SATISFIED) / reached callbacks (D31); null without callbacks.',
      resolve: (f) => f.satisfactionRate,
    }),
    reopenRate: t.float({
      nullable: true,
      description: 'Cases reopened by an unsatisfied callback, per case (D31).',
      resolve: (f) => f.reopenRate,
    }),
    repeatRate: t.float({
      nullable: true,
      description: 'Repeat complaints (same customer and line within 30 days), per case (D31).',
      resolve: (f) => f.repeatRate,
    }),
    clocks: t.expose('clocks', {
      type: [ClockPerformanceRef],
      description: 'On-time rate per clock (D31).',
    }),
    compensationTotal: t.exposeFloat('compensationTotal', {
      description: 'Sum of compensation in the findings.',
    }),
    adjustmentTotal: t.exposeFloat('adjustmentTotal', {
      description: 'Sum of bill adjustments in the findings.',
    }),
    findings: t.field({
      type: FindingSummaryRef,
      description:
        'The latest finding of each case by nature, by remedy (with amounts) and by root cause (D31, D79).',
      resolve: (f) => f.findings as never,
    }),
    incidents: t.field({
      type: [IncidentRef],
      description:
        'Incidents concerning a unit of the subtree that started in the period and that the viewer reads (D76).',
      resolve: async (f, _, ctx) =>
        (await Promise.all(f.incidentIds.map((id) => incidentById(ctx.db, ctx.viewer, id)))).filter(
          (i) => i !== null,
        ) as never,
    }),
    rectifications: t.field({
      type: RectificationSummaryRef,
      description: 'Rectifications opened, done, verified and overdue (D75).',
      resolve: (f) => f.rectifications,
    }),
    hotspots: t.field({
      type: [HotspotAlertRef],
      description: 'HOTSPOT alerts of the subtree in the period (D76).',
      resolve: (f) => f.hotspots.map(asAlert),
    }),
  }),
});

/** The viewer's token version: a signed link dies with the viewer's tokens (src/auth/signed-links.ts). */
async function tokenVersion(ctx: Context): Promise<number> {
  const [u] = await ctx.db
    .select({ v: users.tokenVersion })
    .from(users)
    .where(eq(users.id, ctx.viewer!.id));
  return u?.v ?? 0;
}

export const AnalysisReportRef = builder.objectRef<ReportRow>('AnalysisReport').implement({
  description: 'A periodic analysis report of a unit (D77: 每月、每季度、每年).',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ resolve: (r) => toGlobalId('AnalysisReport', r.id) }),
    unit: t.field({
      type: OrgUnitRef,
      description: 'The unit whose subtree the report covers.',
      resolve: async (r, _, ctx) => tag('OrgUnit', (await ctx.loaders.unit.load(r.unitId))!),
    }),
    period: t.field({
      type: ReportPeriodEnum,
      description: 'Month, quarter or year.',
      resolve: (r) => r.period as never,
    }),
    periodStart: t.field({
      type: 'Date',
      description: 'First day of the period (Asia/Shanghai).',
      resolve: (r) => r.periodStart,
    }),
    status: t.field({
      type: ReportStatusEnum,
      description: 'DRAFT, SUBMITTED, APPROVED or RETURNED.',
      resolve: (r) => r.status as never,
    }),
    figures: t.field({
      type: ReportFiguresRef,
      description:
        'The figures: computed when read while DRAFT or RETURNED, as submitted once SUBMITTED or APPROVED.',
      resolve: async (r, _, ctx) =>
        figuresOf(
          ctx.db,
          complaintsWhere(ctx.ability, 'read'),
          r,
          (await ctx.loaders.unit.load(r.unitId))!,
          ctx.services.clock.now(),
          ctx.services.lines.remedyRecords(),
          await readScopeOf(ctx),
        ),
    }),
    ...exposeNullable(t, 'String', {
      findings: "The author's findings.",
      measures: 'Measures taken or planned.',
      suggestions: 'Suggestions to management.',
      decisionNote: "The approver's note with the last decision (required when returned).",
    }),
    typicalCases: t.field({
      type: [ComplaintRef],
      description: 'The typical cases the author picked, those the viewer can read.',
      resolve: async (r, _, ctx) =>
        (await Promise.all(r.typicalCaseIds.map((id) => ctx.loaders.complaint.load(id))))
          .map((c) => readable(ctx, c))
          .filter((c) => c !== null),
    }),
    author: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who drafted it, then who submitted it.',
      resolve: (r, _, ctx) =>
        r.authorId ? ctx.loaders.user.load(r.authorId).then((u) => u && tag('User', u)) : null,
    }),
    submittedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was last submitted.',
      resolve: (r) => r.submittedAt,
    }),
    decidedBy: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who approved or returned it last.',
      resolve: (r, _, ctx) =>
        r.decidedBy ? ctx.loaders.user.load(r.decidedBy).then((u) => u && tag('User', u)) : null,
    }),
    decidedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was approved or returned last.',
      resolve: (r) => r.decidedAt,
    }),
    pageUrl: t.string({
      description:
        'The printable page with its charts (A4, no request off the server): a link signed for this viewer, valid for 15 minutes (D77).',
      resolve: async (r, _, ctx) =>
        signLink(
          ctx.services.config.jwtSecret,
          `/reports/${r.id}/page.html`,
          ctx.viewer!.id,
          await tokenVersion(ctx),
          ctx.services.clock.now(),
        ),
    }),
    csvUrl: t.string({
      description:
        'Every table of the figures as one CSV file, its first column naming the table: a link signed for this viewer, valid for 15 minutes (D77).',
      resolve: async (r, _, ctx) =>
        signLink(
          ctx.services.config.jwtSecret,
          `/reports/${r.id}/report.csv`,
          ctx.viewer!.id,
          await tokenVersion(ctx),
          ctx.services.clock.now(),
        ),
    }),
  }),
});

registerNode('AnalysisReport', async (ids, ctx) => {
  if (ctx.viewer?.kind !== 'user') return ids.map(() => null);
  return Promise.all(ids.map(async (id) => (await readableReport(envOf(ctx), id))?.report ?? null));
});

const AnalysisReportEdgeRef = builder
  .objectRef<{ cursor: string; node: ReportRow }>('AnalysisReportEdge')
  .implement({
    description: 'A report in a list.',
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: "The report's position, for `after`." }),
      node: t.field({
        type: AnalysisReportRef,
        description: 'The report.',
        resolve: (e) => e.node,
      }),
    }),
  });
const AnalysisReportConnectionRef = builder
  .objectRef<{
    edges: { cursor: string; node: ReportRow }[];
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  }>('AnalysisReportConnection')
  .implement({
    description: 'Reports, newest first.',
    fields: (t) => ({
      edges: t.field({
        type: [AnalysisReportEdgeRef],
        description: 'The page.',
        resolve: (c) => c.edges,
      }),
      pageInfo: t.field({
        type: PageInfoRef,
        description: 'Where the page lies.',
        resolve: (c) => c.pageInfo,
      }),
    }),
  });

const reportCursor = positionCursor('report');

builder.queryFields((t) => ({
  analysisReport: t.field({
    type: AnalysisReportRef,
    nullable: true,
    description:
      "The report of a unit and period (D77); null when there is none or the viewer does not read the unit's statistics.",
    args: {
      unitId: t.arg.id({ required: true, description: 'The unit.' }),
      period: t.arg({
        type: ReportPeriodEnum,
        required: true,
        description: 'Month, quarter or year.',
      }),
      periodStart: t.arg({ type: 'Date', required: true, description: 'First day of the period.' }),
    },
    resolve: async (_, args, ctx) => {
      guard(ctx, staff);
      const id = idOf(args.unitId, 'OrgUnit');
      const unit = id ? await ctx.loaders.unit.load(id) : null;
      return unit ? reportByKey(envOf(ctx), unit, args.period, args.periodStart) : null;
    },
  }),
  analysisReports: t.field({
    type: AnalysisReportConnectionRef,
    description: 'Reports of units whose statistics the viewer reads, newest first (D77).',
    args: {
      unitId: t.arg.id({ description: "Only reports of this unit's subtree." }),
      status: t.arg({ type: [ReportStatusEnum], description: 'Only reports in these states.' }),
      first: t.arg.int({ description: 'Page size, 1–100 (default 20).' }),
      after: t.arg.string({ description: 'The cursor of the last report of the previous page.' }),
    },
    resolve: async (_, args, ctx) => {
      guard(ctx, staff);
      const first = size(args.first, 20, 'first');
      const before = reportCursor.decode(args.after, 'after');
      const within = await unitPathOf(ctx, args.unitId);
      const rows =
        within === false
          ? []
          : await listReports(
              ctx.db,
              readingUnitPaths(ctx.viewer),
              { within, status: args.status ?? null, before },
              first + 1,
            );
      const page = rows.slice(0, first);
      const edges = page.map((r) => ({
        cursor: reportCursor.encode(r.position),
        node: tag('AnalysisReport', r),
      }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: before !== null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
}));

const AnalysisReportKeyInput = builder.inputType('AnalysisReportKey', {
  description: 'A unit and a period: the key of a report.',
  fields: (t) => ({
    unitId: t.id({ required: true, description: 'The unit.' }),
    period: t.field({
      type: ReportPeriodEnum,
      required: true,
      description: 'Month, quarter or year.',
    }),
    periodStart: t.field({ type: 'Date', required: true, description: 'First day of the period.' }),
  }),
});
const UpdateAnalysisReportInput = builder.inputType('UpdateAnalysisReportInput', {
  description: "The author's texts and typical cases; a field left out is kept.",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The report.' }),
    findings: t.string({ description: 'Findings, up to 5,000 characters.' }),
    measures: t.string({ description: 'Measures, up to 5,000 characters.' }),
    suggestions: t.string({ description: 'Suggestions, up to 5,000 characters.' }),
    typicalCaseIds: t.idList({
      description:
        "Typical cases (at most 20), cases of the report's unit the author can read; replaces the list.",
    }),
  }),
});
const AnalysisReportPayloadRef = builder
  .objectRef<{
    report: ReportRow | null;
    userErrors: { code: string; message: string; field: string[] | null }[];
  }>('AnalysisReportPayload')
  .implement({
    description: 'The report after the change, or why it was refused.',
    fields: (t) => ({
      report: t.field({
        type: AnalysisReportRef,
        nullable: true,
        description: 'The report; null when refused.',
        resolve: (p) => p.report,
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why the change was refused (D55).',
        resolve: (p) => p.userErrors as never,
      }),
    }),
  });

const reportId = (id: string) => idOf(id, 'AnalysisReport');

builder.mutationFields((t) => ({
  draftAnalysisReport: t.field({
    type: AnalysisReportPayloadRef,
    description: 'Creates the DRAFT or returns the existing report of that unit and period (D77).',
    args: {
      input: t.arg({
        type: AnalysisReportKeyInput,
        required: true,
        description: 'The unit and period.',
      }),
    },
    resolve: (_, { input }, ctx) => {
      guard(ctx, staff);
      return asPayload('report', () =>
        draftAnalysisReport(envOf(ctx), {
          unitId: idOf(input.unitId, 'OrgUnit'),
          period: input.period,
          periodStart: input.periodStart,
        }),
      );
    },
  }),
  updateAnalysisReport: t.field({
    type: AnalysisReportPayloadRef,
    description:
      "The author's findings, measures, suggestions and typical cases, while DRAFT or RETURNED (D77).",
    args: {
      input: t.arg({
        type: UpdateAnalysisReportInput,
        required: true,
        description: 'What changes.',
      }),
    },
    resolve: (_, { input }, ctx) => {
      guard(ctx, staff);
      return asPayload('report', () =>
        updateAnalysisReport(envOf(ctx), {
          id: reportId(input.id),
          findings: input.findings,
          measures: input.measures,
          suggestions: input.suggestions,
          typicalCaseIds: input.typicalCaseIds?.map((x) => idOf(x, 'Complaint')) ?? null,
        }),
      );
    },
  }),
  submitAnalysisReport: t.field({
    type: AnalysisReportPayloadRef,
    description:
      'Submits a DRAFT or RETURNED report to its approver; its figures are frozen as they are now (D77).',
    args: { id: t.arg.id({ required: true, description: 'The report.' }) },
    resolve: (_, args, ctx) => {
      guard(ctx, staff);
      // issue 25: the figures frozen at submission read the rollups when the viewer's read rule allows
      return asPayload('report', async () =>
        submitAnalysisReport({ ...envOf(ctx), cover: await readScopeOf(ctx) }, reportId(args.id)),
      );
    },
  }),
  decideAnalysisReport: t.field({
    type: AnalysisReportPayloadRef,
    description:
      "Approves a SUBMITTED report (read-only from then on) or returns it to its author with a note (D77); never by the report's author.",
    args: {
      input: t.arg({ type: ReportDecisionInput, required: true, description: 'The decision.' }),
    },
    resolve: (_, { input }, ctx) => {
      guard(ctx, staff);
      return asPayload('report', () =>
        decideAnalysisReport(envOf(ctx), {
          id: reportId(input.id),
          approve: input.approve,
          note: input.note,
        }),
      );
    },
  }),
}));
