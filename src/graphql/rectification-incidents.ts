import { and, inArray, sql } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { readsIncident } from '../auth/centre-rules.js';
import { readsStaff } from '../auth/guards.js';
import { complaintsWhere } from '../auth/sql.js';
import { complaints, incidents } from '../db/schema.js';
import { RECTIFICATION_STATUSES } from '../domain/enums.js';
import type { DomainError } from '../domain/errors.js';
import {
  batchReply,
  candidateIds,
  closeIncident,
  INCIDENTS_CHANNEL,
  type IncidentRow,
  incidentById,
  incidentCursor,
  incidentOfCase,
  linkComplaints,
  linkedTo,
  listIncidents,
  openIncident,
  recordIncidentNotice,
} from '../domain/incidents.js';
import {
  completeRectification,
  isOverdue,
  listRectifications,
  type RectificationRow,
  rectificationById,
  rectificationCursor,
  rectificationsOfCase,
  verifyRectification,
} from '../domain/rectification.js';
import { feedsOf, tableSource } from '../live/position-feed.js';
import { builder } from './builder.js';
import { ComplaintRef, ContactMethodEnum, loadComplaint, whoOf } from './complaint.js';
import { ComplaintConnectionRef, complaintConnection } from './complaint-list.js';
import { envOf, fresh } from './complaint-mutations.js';
import { PageInfoRef, size } from './connection.js';
import type { Context } from './context.js';
import type { UserError } from './errors.js';
import { asPayload, refusalsAsErrors, requireStaff, UserErrorRef } from './errors.js';
import { idOf, toGlobalId } from './global-id.js';
import { UserRef } from './identity.js';
import { liveRowsField } from './live-rows.js';
import { NodeRef, registerNode, tag } from './node.js';
import { loadUnit, OrgUnitRef, unitPathOf } from './org-unit.js';

/**
 * The centre's own records (DOMAIN §10): rectifications (D75) and incidents
 * (D76). Thin resolvers over src/domain/rectification.ts and incidents.ts;
 * who may is src/auth/centre-rules.ts.
 */

const userOf = (ctx: Context, id: string | null) =>
  id && readsStaff(ctx.viewer) ? ctx.loaders.user.load(id).then((u) => u && tag('User', u)) : null;

/** Query arguments' refusals as GraphQL errors naming the argument (the one mapping, src/graphql/errors.ts). */
const query = <T>(f: () => Promise<T>, field = 'after'): Promise<T> => refusalsAsErrors(field, f);

// ---------------------------------------------------------------- rectifications (D75)

const RectificationStatusEnum = builder.enumType('RectificationStatus', {
  description: 'Where a rectification stands (D75).',
  values: Object.fromEntries(
    RECTIFICATION_STATUSES.map((s) => [
      s,
      {
        description: {
          OPEN: 'Opened when the case was resolved; the responsible unit is working on it.',
          DONE: 'The responsible unit reported the measures taken; waiting for verification.',
          VERIFIED: 'Checked from above and accepted: finished.',
          REOPENED: 'Checked from above and sent back to work, with a new due date.',
        }[s],
      },
    ]),
  ) as Record<(typeof RECTIFICATION_STATUSES)[number], { description: string }>,
});

export const RectificationRef = builder.objectRef<RectificationRow>('Rectification');
RectificationRef.implement({
  description: 'What a responsible unit must put right after a valid finding (整改, D75).',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ resolve: (r) => toGlobalId('Rectification', r.id) }),
    complaint: t.field({
      type: ComplaintRef,
      description: 'The case whose finding opened it.',
      resolve: async (r, _, ctx) => {
        const c = await loadComplaint(ctx, r.complaintId);
        if (!c)
          throw new GraphQLError('The case of this rectification is not one you read (D54)', {
            extensions: { code: 'NOT_FOUND' },
          });
        return c;
      },
    }),
    responsibleUnit: t.field({
      type: OrgUnitRef,
      description: 'The unit that must put it right.',
      resolve: async (r, _, ctx) => (await loadUnit(ctx, r.responsibleUnitId))!,
    }),
    what: t.exposeString('what', {
      description: "What to put right: the finding's rectification suggestion.",
    }),
    status: t.field({ type: RectificationStatusEnum, resolve: (r) => r.status }),
    dueAt: t.expose('dueAt', {
      type: 'DateTime',
      description: 'When it is due (the RECTIFY clock: 30 working days, again from a reopening).',
    }),
    measures: t.exposeString('measures', {
      nullable: true,
      description: 'The measures the unit reported when completing it.',
    }),
    doneAt: t.expose('doneAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the unit reported it done.',
    }),
    verifiedAt: t.expose('verifiedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was verified.',
    }),
    verifiedBy: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who verified it.',
      resolve: (r, _, ctx) => userOf(ctx, r.verifiedBy),
    }),
    overdue: t.boolean({
      description: 'Still open (OPEN or REOPENED) past its due time.',
      resolve: (r, _, ctx) => isOverdue(r, ctx.services.clock.now()),
    }),
  }),
});

registerNode('Rectification', async (ids, ctx) =>
  Promise.all(ids.map((id) => rectificationById(ctx.db, ctx.viewer, id))),
);

const RectificationEdgeRef = builder.objectRef<RectificationRow>('RectificationEdge').implement({
  description: 'A rectification and its cursor.',
  fields: (t) => ({
    cursor: t.string({ resolve: (r) => rectificationCursor.encode(r) }),
    node: t.field({ type: RectificationRef, resolve: (r) => tag('Rectification', r) }),
  }),
});

type RectificationPage = Awaited<ReturnType<typeof listRectifications>>;
const RectificationConnectionRef = builder
  .objectRef<RectificationPage>('RectificationConnection')
  .implement({
    description: 'A page of rectifications, newest first.',
    fields: (t) => ({
      edges: t.field({ type: [RectificationEdgeRef], resolve: (p) => p.rows }),
      pageInfo: t.field({
        type: PageInfoRef,
        resolve: (p) => ({
          hasNextPage: p.hasNextPage,
          hasPreviousPage: p.hasPreviousPage,
          startCursor: p.rows[0] ? rectificationCursor.encode(p.rows[0]) : null,
          endCursor: p.rows.at(-1) ? rectificationCursor.encode(p.rows.at(-1)!) : null,
        }),
      }),
      totalCount: t.int({
        description: 'Every rectification matching the filter that the viewer reads.',
        resolve: (p) => p.count(),
      }),
    }),
  });

const RectificationFilterRef = builder.inputType('RectificationFilter', {
  description: 'Which rectifications to list (D75).',
  fields: (t) => ({
    unitId: t.id({ description: 'Rectifications of units in this subtree.' }),
    status: t.field({ type: [RectificationStatusEnum], description: 'Only these statuses.' }),
    overdue: t.boolean({
      description: 'true: only open ones past their due time; false: all others.',
    }),
  }),
});

const RectificationPayloadRef = builder
  .objectRef<{ rectification: RectificationRow | null; userErrors: UserError[] }>(
    'RectificationPayload',
  )
  .implement({
    description: 'The rectification as changed, or why not.',
    fields: (t) => ({
      rectification: t.field({
        type: RectificationRef,
        nullable: true,
        resolve: (p) => p.rectification && tag('Rectification', p.rectification),
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  });

const CompleteRectificationInput = builder.inputType('CompleteRectificationInput', {
  description: 'The responsible unit reports a rectification done (D75).',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The rectification.' }),
    measures: t.string({
      required: true,
      description: 'The measures taken (up to 5,000 characters).',
    }),
  }),
});

/** Also the input of the analysis report's decision (issue 23b): `id`, `approve`, an optional `note`. */
export const ReportDecisionInput = builder.inputType('ReportDecisionInput', {
  description:
    'A decision on something submitted for checking: approve it, or send it back with a note.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'What is decided on.' }),
    approve: t.boolean({
      required: true,
      description: 'true accepts it; false sends it back (a note is then required).',
    }),
    note: t.string({ description: 'Why; required when sending back.' }),
  }),
});

builder.objectField(ComplaintRef, 'rectifications', (t) =>
  t.field({
    type: [RectificationRef],
    description:
      "Rectifications opened by this case's findings that the viewer reads (D75); empty for partners.",
    resolve: async (c, _, ctx) =>
      (await rectificationsOfCase(ctx.db, ctx.viewer, c.id)).map((r) => tag('Rectification', r)),
  }),
);

// ---------------------------------------------------------------- incidents (D76)

export const IncidentRef = builder.objectRef<IncidentRow>('Incident');
IncidentRef.implement({
  description:
    'Something many customers complain about at once: an outage, a tariff change (重大问题, D76).',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ resolve: (i) => toGlobalId('Incident', i.id) }),
    title: t.exposeString('title'),
    category: t.exposeString('category', {
      nullable: true,
      description: 'The category its cases share; null: any.',
    }),
    units: t.field({
      type: [OrgUnitRef],
      description: 'The units it concerns (each with its subtree).',
      resolve: async (i, _, ctx) =>
        (await Promise.all(i.unitIds.map((id) => loadUnit(ctx, id)))).filter(
          (u) => u !== null,
        ) as never,
    }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      description: 'When it started; cases registered since are candidates.',
    }),
    endedAt: t.expose('endedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was closed; null while open.',
    }),
    openedBy: t.field({
      type: UserRef,
      resolve: async (i, _, ctx) => (await userOf(ctx, i.openedBy))!,
    }),
    openedAt: t.expose('openedAt', { type: 'DateTime' }),
    noticeDueAt: t.expose('noticeDueAt', {
      type: 'DateTime',
      description: 'When the written notice is due (D76: 2 hours after opening).',
    }),
    noticeAt: t.expose('noticeAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the written notice was recorded.',
    }),
    notice: t.exposeString('notice', { nullable: true, description: 'The written notice.' }),
    complaints: t.field({
      type: ComplaintConnectionRef,
      description: 'The linked cases the viewer reads, newest first.',
      args: {
        first: t.arg.int({ description: 'Page size, 1–100 (default 20).' }),
        after: t.arg.string({ description: 'The cursor of the last item of the previous page.' }),
      },
      resolve: (i, args, ctx, info) =>
        complaintConnection(
          ctx,
          and(complaintsWhere(ctx.ability, 'read'), linkedTo(i.id))!,
          args,
          info,
        ),
    }),
    candidates: t.field({
      type: ComplaintConnectionRef,
      description:
        "Cases the incident's match offers to link: same category, in its units, since it started, not yet linked.",
      args: {
        first: t.arg.int({ description: 'Page size, 1–100 (default 20).' }),
        after: t.arg.string({ description: 'The cursor of the last item of the previous page.' }),
      },
      resolve: async (i, args, ctx, info) => {
        const readable = complaintsWhere(ctx.ability, 'read');
        const ids = await candidateIds(ctx.db, ctx.services, readable, i);
        return complaintConnection(
          ctx,
          ids.length ? and(readable, inArray(complaints.id, ids))! : sql`false`,
          args,
          info,
        );
      },
    }),
  }),
});

registerNode('Incident', async (ids, ctx) =>
  Promise.all(ids.map((id) => incidentById(ctx.db, ctx.viewer, id))),
);

const IncidentEdgeRef = builder.objectRef<IncidentRow>('IncidentEdge').implement({
  description: 'An incident and its cursor.',
  fields: (t) => ({
    cursor: t.string({ resolve: (i) => incidentCursor.encode(i) }),
    node: t.field({ type: IncidentRef, resolve: (i) => tag('Incident', i) }),
  }),
});

type IncidentPage = Awaited<ReturnType<typeof listIncidents>>;
const IncidentConnectionRef = builder.objectRef<IncidentPage>('IncidentConnection').implement({
  description: 'A page of incidents, newest first.',
  fields: (t) => ({
    edges: t.field({ type: [IncidentEdgeRef], resolve: (p) => p.rows }),
    pageInfo: t.field({
      type: PageInfoRef,
      resolve: (p) => ({
        hasNextPage: p.hasNextPage,
        hasPreviousPage: p.hasPreviousPage,
        startCursor: p.rows[0] ? incidentCursor.encode(p.rows[0]) : null,
        endCursor: p.rows.at(-1) ? incidentCursor.encode(p.rows.at(-1)!) : null,
      }),
    }),
  }),
});

const IncidentPayloadRef = builder
  .objectRef<{ incident: IncidentRow | null; userErrors: UserError[] }>('IncidentPayload')
  .implement({
    description: 'The incident as changed, or why not.',
    fields: (t) => ({
      incident: t.field({
        type: IncidentRef,
        nullable: true,
        resolve: (p) => p.incident && tag('Incident', p.incident),
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  });

const OpenIncidentInput = builder.inputType('OpenIncidentInput', {
  description: 'Opens an incident (D76).',
  fields: (t) => ({
    title: t.string({ required: true, description: 'What happened, 1–200 characters.' }),
    category: t.string({
      description: "The category its cases share (one of a line's categories); none: any.",
    }),
    unitIds: t.idList({
      required: true,
      description: "The units it concerns; all covered by the opener's grants, in one province.",
    }),
    startedAt: t.field({
      type: 'DateTime',
      required: true,
      description: 'When it started (not in the future).',
    }),
  }),
});

const LinkComplaintsInput = builder.inputType('LinkComplaintsInput', {
  description: 'Links cases to an incident (D76).',
  fields: (t) => ({
    incidentId: t.id({ required: true }),
    complaintIds: t.idList({
      required: true,
      description: 'Up to 100 cases; a case belongs to one incident at most.',
    }),
  }),
});

const IncidentNoticeInput = builder.inputType('IncidentNoticeInput', {
  description: "An incident's written notice (D76).",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The incident.' }),
    notice: t.string({ required: true, description: 'The notice, up to 5,000 characters.' }),
  }),
});

const BatchReplyInput = builder.inputType('BatchReplyInput', {
  description: 'One reply to every RESOLVED case of an incident (D76).',
  fields: (t) => ({
    incidentId: t.id({ required: true }),
    method: t.field({
      type: ContactMethodEnum,
      required: true,
      description: 'How the customers are answered.',
    }),
    content: t.string({ required: true, description: 'The reply, up to 5,000 characters.' }),
  }),
});

type BatchPayload = {
  replied: Awaited<ReturnType<typeof batchReply>>['replied'];
  skipped: UserError[];
  userErrors: UserError[];
};
const BatchReplyPayloadRef = builder.objectRef<BatchPayload>('BatchReplyPayload').implement({
  description: 'What a batch reply did (D76).',
  fields: (t) => ({
    replied: t.field({
      type: [ComplaintRef],
      description: 'The cases replied to now.',
      resolve: (p) => p.replied,
    }),
    skipped: t.field({
      type: [UserErrorRef],
      description:
        "Linked cases not replied to, with why; each message begins with the case's number.",
      resolve: (p) => p.skipped,
    }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
  }),
});

builder.objectField(ComplaintRef, 'incident', (t) =>
  t.field({
    type: IncidentRef,
    nullable: true,
    description: 'The incident this case is linked to, when the viewer reads it (D76).',
    resolve: async (c, _, ctx) => {
      const i = await incidentOfCase(ctx.db, ctx.viewer, c.id);
      return i && tag('Incident', i);
    },
  }),
);

// ---------------------------------------------------------------- queries and mutations

builder.queryFields((t) => ({
  rectifications: t.field({
    type: RectificationConnectionRef,
    description:
      'Rectifications of the units the viewer reads (the responsible unit and its ancestors, D75), newest first.',
    args: {
      filter: t.arg({
        type: RectificationFilterRef,
        description: 'Which rectifications: by subtree, status, overdue.',
      }),
      first: t.arg.int({ description: 'Page size, 1–100 (default 20).' }),
      after: t.arg.string({ description: 'The cursor of the last item of the previous page.' }),
    },
    resolve: async (_, args, ctx) => {
      requireStaff(ctx);
      const first = size(args.first, 20, 'first');
      const unitPath = await unitPathOf(ctx, args.filter?.unitId);
      if (unitPath === false)
        return { rows: [], hasNextPage: false, hasPreviousPage: false, count: async () => 0 };
      return query(() =>
        listRectifications(
          ctx.db,
          ctx.viewer,
          { unitPath, status: args.filter?.status, overdue: args.filter?.overdue },
          { first, after: args.after },
          ctx.services.clock.now(),
        ),
      );
    },
  }),
  incidents: t.field({
    type: IncidentConnectionRef,
    description:
      "Incidents concerning the viewer's units or units below them (D76), newest first; `open: true` only those not closed.",
    args: {
      open: t.arg.boolean({
        description: 'true: open incidents only; false: closed only; null: both.',
      }),
      first: t.arg.int({ description: 'Page size, 1–100 (default 20).' }),
      after: t.arg.string({ description: 'The cursor of the last item of the previous page.' }),
    },
    resolve: async (_, args, ctx) => {
      requireStaff(ctx);
      const first = size(args.first, 20, 'first');
      return query(() =>
        listIncidents(ctx.db, ctx.viewer, args.open, { first, after: args.after }),
      );
    },
  }),
}));

builder.mutationFields((t) => ({
  completeRectification: t.field({
    type: RectificationPayloadRef,
    description:
      "The responsible unit's HANDLER or DEPARTMENT_LEADER reports the rectification done, with the measures taken (D75).",
    args: {
      input: t.arg({
        type: CompleteRectificationInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) => {
      const viewer = requireStaff(ctx);
      return asPayload('rectification', () =>
        completeRectification(envOf(ctx), viewer, idOf(input.id, 'Rectification'), {
          measures: input.measures,
        }),
      );
    },
  }),
  verifyRectification: t.field({
    type: RectificationPayloadRef,
    description:
      "The province's LEGAL_OFFICER or a DEPARTMENT_LEADER above the responsible unit verifies it, or reopens it with a new due date (D75).",
    args: {
      input: t.arg({
        type: ReportDecisionInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) => {
      const viewer = requireStaff(ctx);
      return asPayload('rectification', () =>
        verifyRectification(envOf(ctx), viewer, idOf(input.id, 'Rectification'), {
          approve: input.approve,
          note: input.note,
        }),
      );
    },
  }),
  openIncident: t.field({
    type: IncidentPayloadRef,
    description:
      'A LEGAL_OFFICER of the province or a DUTY_MANAGER opens an incident for units their grants cover (D76).',
    args: {
      input: t.arg({
        type: OpenIncidentInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) => {
      const viewer = requireStaff(ctx);
      return asPayload('incident', () =>
        openIncident(envOf(ctx), viewer, {
          ...input,
          unitIds: input.unitIds.map((u) => idOf(u, 'OrgUnit')),
        }),
      );
    },
  }),
  linkComplaints: t.field({
    type: IncidentPayloadRef,
    description: 'Links cases to an incident; a case belongs to one incident at most (D76).',
    args: {
      input: t.arg({
        type: LinkComplaintsInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) => {
      const viewer = requireStaff(ctx);
      return asPayload('incident', () =>
        linkComplaints(
          envOf(ctx),
          viewer,
          ctx.ability,
          idOf(input.incidentId, 'Incident'),
          input.complaintIds.map((c) => idOf(c, 'Complaint')),
        ),
      );
    },
  }),
  recordIncidentNotice: t.field({
    type: IncidentPayloadRef,
    description:
      "Records the incident's written notice, due 2 hours after opening (clock NOTICE, D76).",
    args: {
      input: t.arg({
        type: IncidentNoticeInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) => {
      const viewer = requireStaff(ctx);
      return asPayload('incident', () =>
        recordIncidentNotice(envOf(ctx), viewer, idOf(input.id, 'Incident'), input.notice),
      );
    },
  }),
  batchReply: t.field({
    type: BatchReplyPayloadRef,
    description:
      'The province acceptance centre replies to every linked RESOLVED case: one REPLY_TO_CUSTOMER event per case, each in its own transaction; a retry replies to nothing twice (D76).',
    args: {
      input: t.arg({
        type: BatchReplyInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: async (_, { input }, ctx) => {
      requireStaff(ctx);
      const r = await asPayload('result', () =>
        batchReply(envOf(ctx), whoOf(ctx), idOf(input.incidentId, 'Incident'), {
          method: input.method,
          content: input.content,
        }),
      );
      const toError = (e: DomainError): UserError => ({
        code: e.code,
        message: e.message,
        field: e.field ?? null,
      });
      return {
        replied: (r.result?.replied ?? []).map((c) => fresh(ctx, c)).filter((c) => c !== null),
        skipped: (r.result?.skipped ?? []).map(toError),
        userErrors: r.userErrors,
      };
    },
  }),
  closeIncident: t.field({
    type: IncidentPayloadRef,
    description: 'Closes an incident: it no longer counts as open (D76).',
    args: { id: t.arg.id({ required: true, description: 'The incident to close.' }) },
    resolve: (_, args, ctx) => {
      const viewer = requireStaff(ctx);
      return asPayload('incident', () =>
        closeIncident(envOf(ctx), viewer, idOf(args.id, 'Incident')),
      );
    },
  }),
}));

// ---------------------------------------------------------------- incidents opened, live (D76, issue 23)

/** The instance's relay of incidents opened (src/live/position-feed.ts). */
const incidentFeedFor = feedsOf(tableSource(INCIDENTS_CHANNEL, incidents));

liveRowsField('incidentOpened', {
  type: IncidentRef,
  description:
    "Incidents as they are opened, for the staff who read them (D76): the province's legal department and the duty managers at or above one of its units. Reported at once, on every server instance.",
  unitId: "Only incidents concerning this unit's subtree.",
  feedOf: incidentFeedFor,
  what: 'incident',
  readsFor: (ctx) => (i) => readsIncident(ctx.viewer, i.unitPaths),
  unitPaths: (i) => i.unitPaths,
});
