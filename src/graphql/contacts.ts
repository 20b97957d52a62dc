import { readsInternals } from '../auth/guards.js';
import { complaintsWhere } from '../auth/sql.js';
import { type CaseAction, convertToComplaint, type Inputs } from '../domain/complaints.js';
import { EXTENSION_STATUSES, TRANSFER_SOURCES } from '../domain/enums.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import { countSupervised, supervisedComplaints } from '../domain/supervision.js';
import { builder } from './builder.js';
import {
  ClockKindEnum,
  ComplaintRef,
  ContactKindEnum,
  ContactMethodEnum,
  loadComplaint,
  SupervisionNoteRef,
  whoOf,
} from './complaint.js';
import { ComplaintConnectionRef as ConnectionRef, casesConnection } from './complaint-list.js';
import {
  actOnCase,
  ComplaintActionInput,
  ComplaintPayloadRef,
  caseId,
  DecisionInput,
  DispatchComplaintInput,
  envOf,
  fresh,
} from './complaint-mutations.js';
import { asksPage, size } from './connection.js';
import type { Context } from './context.js';
import { asPayload, refusalsAsErrors, requireStaff } from './errors.js';
import { idOf } from './global-id.js';
import { UserRef } from './identity.js';
import { tag } from './node.js';
import { unitRefField } from './org-unit.js';

/**
 * DOMAIN §10 on the API (D70–D74, D78): a case's kind and links, its
 * supervision ledger, its transfer and feedback, its extensions and promised
 * time; the mutations of consultations, queries and requests, supervision,
 * transfers' feedback and extensions; `supervisedComplaints`. Resolvers stay
 * thin: the lifecycle engine checks and records (src/domain).
 */

type Loaded<K extends 'supervisions' | 'progressReports' | 'transferFeedback' | 'extensions'> =
  Awaited<ReturnType<Context['loaders'][K]['load']>>[number];

const user = (ctx: Context, id: string | null) =>
  id ? ctx.loaders.user.load(id).then((u) => u && tag('User', u)) : null;
/** D40: a partner reads none of these internal parts. */
const internal = (ctx: Context) => readsInternals(ctx.viewer);

const ProgressReportRef = builder.objectRef<Loaded<'progressReports'>>('ProgressReport').implement({
  description: "The holder's report of a supervised case's progress (D73).",
  fields: (t) => ({
    note: t.exposeString('note', { description: 'What was done and what comes next.' }),
    by: t.field({
      type: UserRef,
      description: 'Who reported.',
      resolve: async (r, _, ctx) => (await user(ctx, r.byUserId))!,
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When it was reported.' }),
  }),
});

type SupervisionView = Loaded<'supervisions'> & { complaint: ComplaintRow };

const SupervisionRef = builder.objectRef<SupervisionView>('Supervision').implement({
  description: "A supervised case's ledger (督办台账, D73).",
  fields: (t) => ({
    supervisor: t.field({
      type: UserRef,
      nullable: true,
      description:
        'Who supervises; null until a legal officer or duty manager of the supervising unit takes it.',
      resolve: (s, _, ctx) => user(ctx, s.supervisorId),
    }),
    supervisingUnit: t.field(
      unitRefField('The unit that supervises.', (s: SupervisionView) => s.supervisingUnitId),
    ),
    reason: t.exposeString('reason', {
      description:
        'Why it is supervised: ESCALATION, SEVERITY (MAJOR or URGENT), FAULT_REPORT or OPENED.',
    }),
    openedAt: t.expose('openedAt', {
      type: 'DateTime',
      description: 'When the supervision opened.',
    }),
    endedAt: t.expose('endedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it ended (the case resolved, closed, withdrawn or rejected).',
    }),
    progressDueAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the next progress report is due (the PROGRESS clock); null once ended.',
      resolve: async (s, _, ctx) => {
        if (s.endedAt) return null;
        const clocks = await ctx.loaders.clocks.load(s.complaintId);
        return clocks.filter((k) => k.kind === 'PROGRESS' && !k.stoppedAt).at(-1)?.dueAt ?? null;
      },
    }),
    progressReports: t.field({
      type: [ProgressReportRef],
      description: 'The progress reports of this supervision, oldest first.',
      resolve: async (s, _, ctx) => {
        const all = await ctx.loaders.progressReports.load(s.complaintId);
        return all.filter((r) => r.supervisionId === s.id);
      },
    }),
    notes: t.field({
      type: [SupervisionNoteRef],
      description: "The case's supervision notes (督办意见).",
      resolve: (s, _, ctx) => ctx.loaders.supervisionNotes.load(s.complaintId),
    }),
  }),
});

const TransferFeedbackRef = builder
  .objectRef<Loaded<'transferFeedback'>>('TransferFeedback')
  .implement({
    description: 'Feedback sent to the body that transferred the case (D74).',
    fields: (t) => ({
      method: t.field({
        type: ContactMethodEnum,
        description: 'How it was sent.',
        resolve: (f) => f.method,
      }),
      content: t.exposeString('content', { description: 'What was reported back.' }),
      by: t.field({
        type: UserRef,
        description: 'The legal officer who recorded it.',
        resolve: async (f, _, ctx) => (await user(ctx, f.byUserId))!,
      }),
      at: t.expose('at', { type: 'DateTime', description: 'When it was recorded.' }),
    }),
  });

const TransferRef = builder.objectRef<ComplaintRow>('Transfer').implement({
  description: 'A case transferred from above: the regulator, the group or government (D9, D74).',
  fields: (t) => ({
    transferredBy: t.exposeString('transferredBy', {
      nullable: true,
      description: 'The transferring body, e.g. 广东省通信管理局.',
    }),
    reference: t.exposeString('externalRef', {
      nullable: true,
      description: "The transferring body's own reference.",
    }),
    deadline: t.expose('externalDeadline', {
      type: 'DateTime',
      nullable: true,
      description:
        "The transferring body's own deadline: it replaces RESOLVE and the feedback is due then (D20, D74).",
    }),
    feedback: t.field({
      type: [TransferFeedbackRef],
      description: 'Feedback recorded to the transferring body, oldest first.',
      resolve: (c, _, ctx) => ctx.loaders.transferFeedback.load(c.id),
    }),
  }),
});

const ExtensionStatusEnum = builder.enumType('ExtensionStatus', {
  description: 'Where an extension request stands (D78).',
  values: Object.fromEntries(
    EXTENSION_STATUSES.map((s) => [
      s,
      {
        description: {
          PENDING: 'Waiting for the unit above to decide.',
          APPROVED: 'Approved: the due time moved.',
          DECLINED: 'Declined: the due time stays.',
        }[s],
      },
    ]),
  ) as Record<(typeof EXTENSION_STATUSES)[number], { description: string }>,
});

const ExtensionRef = builder.objectRef<Loaded<'extensions'>>('Extension').implement({
  description: "A request to move a running clock's due time later (D78).",
  fields: (t) => ({
    clock: t.field({
      type: ClockKindEnum,
      description: 'The clock to extend.',
      resolve: (x) => x.clock,
    }),
    fromDueAt: t.expose('fromDueAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Its due time when the request was made.',
    }),
    toDueAt: t.expose('toDueAt', {
      type: 'DateTime',
      description: 'The due time asked for (and promised to the customer once approved).',
    }),
    reason: t.exposeString('reason', { description: 'Why more time is needed.' }),
    status: t.field({
      type: ExtensionStatusEnum,
      description: 'Pending, approved or declined.',
      resolve: (x) => x.status,
    }),
    requestedBy: t.field({
      type: UserRef,
      description: 'Who asked.',
      resolve: async (x, _, ctx) => (await user(ctx, x.requestedBy))!,
    }),
    requestedAt: t.expose('requestedAt', { type: 'DateTime', description: 'When it was asked.' }),
    decidedBy: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who decided.',
      resolve: (x, _, ctx) => user(ctx, x.decidedBy),
    }),
    decidedAt: t.expose('decidedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was decided.',
    }),
  }),
});

builder.objectFields(ComplaintRef, (t) => ({
  kind: t.field({
    type: ContactKindEnum,
    description:
      'What the contact is: a complaint, consultation, query, business request or fault report (D70).',
    resolve: (c) => c.kind,
  }),
  promisedAt: t.expose('promisedAt', {
    type: 'DateTime',
    nullable: true,
    description:
      'The latest time promised to the customer, set when an extension is approved (D78).',
  }),
  convertedFrom: t.field({
    type: ComplaintRef,
    nullable: true,
    description:
      'The consultation, query or request this complaint was converted from (D71); null when unreadable.',
    resolve: (c, _, ctx) => (internal(ctx) ? loadComplaint(ctx, c.convertedFromId) : null),
  }),
  convertedTo: t.field({
    type: ComplaintRef,
    nullable: true,
    description: 'The complaint this contact was converted into (D71); null when unreadable.',
    resolve: (c, _, ctx) => (internal(ctx) ? loadComplaint(ctx, c.convertedToId) : null),
  }),
  supervision: t.field({
    type: SupervisionRef,
    nullable: true,
    description: "The case's latest supervision ledger (D73); null when never supervised.",
    resolve: async (c, _, ctx) => {
      if (!internal(ctx)) return null;
      const ledger = (await ctx.loaders.supervisions.load(c.id)).at(-1);
      return ledger ? { ...ledger, complaint: c } : null;
    },
  }),
  transfer: t.field({
    type: TransferRef,
    nullable: true,
    description:
      'For a transfer from above: who transferred it, its reference, deadline and feedback (D74); null otherwise.',
    resolve: (c, _, ctx) => (internal(ctx) && TRANSFER_SOURCES.includes(c.source) ? c : null),
  }),
  extensions: t.field({
    type: [ExtensionRef],
    description: "Requests to extend the case's clocks, oldest first (D78).",
    resolve: (c, _, ctx) => (internal(ctx) ? ctx.loaders.extensions.load(c.id) : []),
  }),
}));

// ---------------------------------------------------------------- mutations

const AnswerContactInput = builder.inputType('AnswerContactInput', {
  description: 'The answer to a consultation, query or request (D71).',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The contact.' }),
    method: t.field({
      type: ContactMethodEnum,
      required: true,
      description: 'How the customer was answered.',
    }),
    content: t.string({
      required: true,
      description: 'The answer given (up to 5,000 characters).',
    }),
    expectedVersion: t.int({
      description: 'The version the answer was written against (CONFLICT otherwise).',
    }),
  }),
});

const HandOverSupervisionInput = builder.inputType('HandOverSupervisionInput', {
  description: 'Who supervises a case from now (D73).',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The supervised case.' }),
    toUserId: t.id({
      required: true,
      description:
        'A LEGAL_OFFICER or DUTY_MANAGER of the supervising unit (yourself, to take it).',
    }),
    note: t.string({ description: 'Why it is handed over.' }),
    expectedVersion: t.int({
      description: 'The version the hand-over was decided against (CONFLICT otherwise).',
    }),
  }),
});

const TransferFeedbackInput = builder.inputType('TransferFeedbackInput', {
  description: 'Feedback sent to the body that transferred the case (D74).',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The transferred case.' }),
    method: t.field({ type: ContactMethodEnum, required: true, description: 'How it was sent.' }),
    content: t.string({
      required: true,
      description: 'What was reported back (up to 5,000 characters).',
    }),
    expectedVersion: t.int({
      description: 'The version the feedback was written against (CONFLICT otherwise).',
    }),
  }),
});

const RequestExtensionInput = builder.inputType('RequestExtensionInput', {
  description: "A request to move a running clock's due time later (D78).",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The case.' }),
    clock: t.field({
      type: ClockKindEnum,
      required: true,
      description: 'The running clock to extend (not REGISTER, not a fixed transfer deadline).',
    }),
    dueAt: t.field({
      type: 'DateTime',
      required: true,
      description:
        'The new due time: later than the current one; an ASSIGNMENT never past RESOLVE.',
    }),
    note: t.string({ required: true, description: 'Why more time is needed.' }),
    expectedVersion: t.int({
      description: 'The version the request was written against (CONFLICT otherwise).',
    }),
  }),
});

/** A staff step on a case (a partner: FORBIDDEN GraphQL error), as the complaint mutations take it. */
function act<A extends CaseAction>(
  ctx: Context,
  action: A,
  input: { id: string; expectedVersion?: number | null },
  args: Inputs[A],
) {
  requireStaff(ctx);
  return actOnCase(ctx, action, input, args);
}

builder.mutationFields((t) => ({
  answerContact: t.field({
    type: ComplaintPayloadRef,
    description:
      'Answers a consultation, query or request: it is CLOSED, the answer a substantive contact (D71, D23).',
    args: {
      input: t.arg({
        type: AnswerContactInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) =>
      act(ctx, 'ANSWER_CONTACT', input, { method: input.method, content: input.content }),
  }),
  forwardContact: t.field({
    type: ComplaintPayloadRef,
    description:
      'Forwards a consultation, query or request to a unit whose handlers answer it by the deadline, at most 15 days ahead (D71).',
    args: {
      input: t.arg({
        type: DispatchComplaintInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) =>
      act(ctx, 'FORWARD_CONTACT', input, {
        toUnitId: idOf(input.toUnitId, 'OrgUnit'),
        deadline: input.deadline,
        note: input.note,
      }),
  }),
  convertToComplaint: t.field({
    type: ComplaintPayloadRef,
    description:
      'Answers the new COMPLAINT registered from a consultation, query or request; the contact is CLOSED and linked (D71).',
    args: {
      input: t.arg({
        type: ComplaintActionInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('complaint', async () =>
        fresh(
          ctx,
          await convertToComplaint(
            envOf(ctx),
            whoOf(ctx),
            caseId(input.id),
            { note: input.note },
            input.expectedVersion,
          ),
        ),
      );
    },
  }),
  openSupervision: t.field({
    type: ComplaintPayloadRef,
    description:
      'Puts the case under supervision (督办) with you as its supervisor: a LEGAL_OFFICER of the province or a DUTY_MANAGER of the handling unit or above (D73).',
    args: {
      input: t.arg({
        type: ComplaintActionInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) => act(ctx, 'OPEN_SUPERVISION', input, { note: input.note }),
  }),
  handOverSupervision: t.field({
    type: ComplaintPayloadRef,
    description:
      'Hands the supervision to a LEGAL_OFFICER or DUTY_MANAGER of the supervising unit, or takes an unattended one (D73).',
    args: {
      input: t.arg({
        type: HandOverSupervisionInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) =>
      act(ctx, 'HAND_OVER_SUPERVISION', input, {
        toUserId: idOf(input.toUserId, 'User'),
        note: input.note,
      }),
  }),
  reportProgress: t.field({
    type: ComplaintPayloadRef,
    description:
      "The holder reports a supervised case's progress (a note is required); the next report is due 2 working days later (D73).",
    args: {
      input: t.arg({
        type: ComplaintActionInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) => act(ctx, 'REPORT_PROGRESS', input, { note: input.note }),
  }),
  recordTransferFeedback: t.field({
    type: ComplaintPayloadRef,
    description:
      'The LEGAL_OFFICER records the feedback sent to the body that transferred the case (D74).',
    args: {
      input: t.arg({
        type: TransferFeedbackInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) =>
      act(ctx, 'RECORD_TRANSFER_FEEDBACK', input, { method: input.method, content: input.content }),
  }),
  requestExtension: t.field({
    type: ComplaintPayloadRef,
    description:
      'The holder asks the unit above for a later due time of a running clock, with a reason (D78).',
    args: {
      input: t.arg({
        type: RequestExtensionInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) =>
      act(ctx, 'REQUEST_EXTENSION', input, {
        clock: input.clock,
        dueAt: input.dueAt,
        note: input.note,
      }),
  }),
  decideExtension: t.field({
    type: ComplaintPayloadRef,
    description:
      'The unit above the requester approves or declines the oldest pending extension; approved, the due time moves and the customer is told (D78).',
    args: {
      input: t.arg({
        type: DecisionInput,
        required: true,
        description: 'What to do, and to which case or record (see the input type).',
      }),
    },
    resolve: (_, { input }, ctx) =>
      act(ctx, 'DECIDE_EXTENSION', input, { approve: input.approve, note: input.note }),
  }),
}));

// ---------------------------------------------------------------- supervisedComplaints

builder.queryFields((t) => ({
  supervisedComplaints: t.field({
    type: ConnectionRef,
    description: 'Cases this viewer supervises, overdue progress first (D73).',
    args: {
      first: t.arg.int({ description: 'Page size, 1–100 (default 20).' }),
      after: t.arg.string({ description: 'The cursor of the last case of the previous page.' }),
    },
    resolve: async (_, args, ctx, info) => {
      const viewer = requireStaff(ctx);
      const n = size(args.first, 20, 'first');
      const readable = complaintsWhere(ctx.ability, 'read');
      // As `complaints`: the page is read only when asked for (the cursor is checked either way), the count
      // only when totalCount is.
      const first = asksPage(info) ? n : 0;
      // A bad cursor is the caller's VALIDATION error (D57), not an internal one.
      const page = await refusalsAsErrors('after', () =>
        supervisedComplaints(ctx.db, viewer.id, readable, first, args.after),
      );
      return casesConnection(ctx, { ...page, hasPreviousPage: !!args.after }, () =>
        countSupervised(ctx.db, viewer.id, readable),
      );
    },
  }),
}));
