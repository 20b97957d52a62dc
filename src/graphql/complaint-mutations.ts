import { canRead } from '../auth/complaint-rules.js';
import { registerComplaint, transition, type CaseAction, type Env, type Inputs } from '../domain/complaints.js';
import { validation } from '../domain/errors.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import { builder } from './builder.js';
import {
  CallbackResultEnum,
  ChannelEnum,
  ComplaintRef,
  ContactKindEnum,
  ContactMethodEnum,
  FindingNatureEnum,
  InvestigationKindEnum,
  RejectionReasonEnum,
  RemedyKindEnum,
  SeverityEnum,
  SourceEnum,
  whoOf,
} from './complaint.js';
import type { Context } from './context.js';
import { asPayload, requireStaff, UserErrorRef, type UserError } from './errors.js';
import { idOf } from './global-id.js';
import { relearnCase } from './loaders.js';
import { tag } from './node.js';

/**
 * The complaint mutations of the contract: each decodes its input and hands
 * it to the lifecycle engine (src/domain/complaints.ts), which checks,
 * changes and records; refusals come back as `userErrors` (D55).
 */

type Payload = { complaint: ComplaintRow | null; userErrors: UserError[] };

export const ComplaintPayloadRef = builder.objectRef<Payload>('ComplaintPayload').implement({
  fields: (t) => ({
    complaint: t.field({ type: ComplaintRef, nullable: true, resolve: (p) => p.complaint }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
  }),
});

export const envOf = (ctx: Context): Env => ({
  db: ctx.db,
  clock: ctx.services.clock,
  lines: ctx.services.lines,
  config: ctx.services.config,
});

/** The changed case as the viewer now reads it; the request's loaders forget what they had of it. */
export function fresh(ctx: Context, row: ComplaintRow): ComplaintRow | null {
  relearnCase(ctx.loaders, row);
  return canRead(ctx.ability, row) ? tag('Complaint', row) : null;
}

/** D55: a malformed ID names nothing, a VALIDATION error before anything else. */
export function caseId(id: string): string {
  const uuid = idOf(id, 'Complaint');
  if (!uuid) throw validation(['input', 'id'], 'id is not a complaint ID');
  return uuid;
}

/** An optional ID of another node: undefined when absent, null when malformed (reported by the engine at its turn). */
const optionalId = (id: string | null | undefined, type: 'OrgUnit') => (id == null ? undefined : idOf(id, type));

function act<A extends CaseAction>(ctx: Context, action: A, input: { id: string; expectedVersion?: number | null }, args: Inputs[A]) {
  return asPayload('complaint', async () =>
    fresh(ctx, await transition(envOf(ctx), whoOf(ctx), action, caseId(input.id), args, input.expectedVersion)),
  );
}

// ---------------------------------------------------------------- inputs

export const CustomerInput = builder.inputType('CustomerInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    address: t.string(),
    accountNumber: t.string(),
  }),
});

const RegisterComplaintInput = builder.inputType('RegisterComplaintInput', {
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, required: true }),
    source: t.field({ type: SourceEnum, defaultValue: 'CUSTOMER' }),
    businessLine: t.string(),
    title: t.string({ required: true }),
    description: t.string({ required: true }),
    customer: t.field({ type: CustomerInput, required: true }),
    details: t.field({ type: 'JSON' }),
    contactAt: t.field({ type: 'DateTime' }),
    occurredAt: t.field({
      type: 'DateTime',
      description: 'When the event happened (D8): the acceptance window is measured back to it. Not in the future.',
    }),
    externalDeadline: t.field({ type: 'DateTime', description: "For transfers from above: the transferring body's own deadline (D9)." }),
    externalRef: t.string(),
    kind: t.field({
      type: ContactKindEnum,
      defaultValue: 'COMPLAINT',
      description: 'What the contact is (D70); any staff member registers a consultation, query, request or fault report, through any channel.',
    }),
    transferredBy: t.string({ description: 'For transfers: who transferred it (D74), e.g. 广东省通信管理局.' }),
  }),
});

const AcceptComplaintInput = builder.inputType('AcceptComplaintInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    businessLine: t.string({ required: true }),
    category: t.string({ required: true }),
    severity: t.field({ type: SeverityEnum, required: true }),
    details: t.field({ type: 'JSON' }),
    occurredAt: t.field({
      type: 'DateTime',
      description:
        'When the event happened, if not given at registration (D8). Without it: a billing dispute\'s first day of its billing period, else the contact.',
    }),
    expectedVersion: t.int(),
  }),
});

const RejectComplaintInput = builder.inputType('RejectComplaintInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    reason: t.field({ type: RejectionReasonEnum, required: true }),
    note: t.string({ required: true }),
    expectedVersion: t.int(),
  }),
});

const ResolveOnSpotInput = builder.inputType('ResolveOnSpotInput', {
  fields: (t) => ({ id: t.id({ required: true }), answer: t.string({ required: true }), expectedVersion: t.int() }),
});

export const DispatchComplaintInput = builder.inputType('DispatchComplaintInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    toUnitId: t.id({ required: true }),
    deadline: t.field({ type: 'DateTime', required: true }),
    note: t.string(),
    expectedVersion: t.int(),
  }),
});

export const ComplaintActionInput = builder.inputType('ComplaintActionInput', {
  fields: (t) => ({ id: t.id({ required: true }), note: t.string(), expectedVersion: t.int() }),
});

const RecordInvestigationInput = builder.inputType('RecordInvestigationInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    kind: t.field({ type: InvestigationKindEnum, required: true }),
    findings: t.string({ required: true }),
    expectedVersion: t.int(),
  }),
});

const RemedyInput = builder.inputType('RemedyInput', {
  fields: (t) => ({ kind: t.field({ type: RemedyKindEnum, required: true }), amount: t.float() }),
});

const DetermineResponsibilityInput = builder.inputType('DetermineResponsibilityInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    nature: t.field({ type: FindingNatureEnum, required: true }),
    responsibleUnitId: t.id(),
    responsiblePerson: t.string(),
    rootCause: t.string({ required: true }),
    remedy: t.field({ type: RemedyInput, required: true }),
    rectification: t.string(),
    expectedVersion: t.int(),
  }),
});

export const DecisionInput = builder.inputType('DecisionInput', {
  fields: (t) => ({ id: t.id({ required: true }), approve: t.boolean({ required: true }), note: t.string(), expectedVersion: t.int() }),
});

const ContactCustomerInput = builder.inputType('ContactCustomerInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    method: t.field({ type: ContactMethodEnum, required: true }),
    content: t.string({ required: true }),
    substantive: t.boolean({
      defaultValue: false,
      description: "It answers the customer's request (D23): stops ANSWER. A reply always does; a progress note does not.",
    }),
    expectedVersion: t.int(),
  }),
});

const CallbackInput = builder.inputType('CallbackInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    result: t.field({ type: CallbackResultEnum, required: true }),
    note: t.string(),
    expectedVersion: t.int(),
  }),
});

// ---------------------------------------------------------------- mutations

builder.mutationFields((t) => {
  const payload = ComplaintPayloadRef;
  /** A staff mutation taking `ComplaintActionInput` (note only). */
  const noteAction = (action: CaseAction, description: string, opts: { partners?: boolean } = {}) =>
    t.field({
      type: payload,
      description,
      args: { input: t.arg({ type: ComplaintActionInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        if (!opts.partners) requireStaff(ctx);
        return act(ctx, action as 'WITHDRAW', input, { note: input.note });
      },
    });
  const decision = (action: 'CONFIRM_REPORT' | 'REVIEW_REPORT' | 'DECIDE_ESCALATION', description: string) =>
    t.field({
      type: payload,
      description,
      args: { input: t.arg({ type: DecisionInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return act(ctx, action, input, { approve: input.approve, note: input.note });
      },
    });
  const contact = (action: 'CONTACT_CUSTOMER' | 'REPLY_TO_CUSTOMER', description: string) =>
    t.field({
      type: payload,
      description,
      args: { input: t.arg({ type: ContactCustomerInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return act(ctx, action, input, { method: input.method, content: input.content, substantive: input.substantive });
      },
    });
  const dispatch = (action: 'DISPATCH' | 'DELEGATE', description: string) =>
    t.field({
      type: payload,
      description,
      args: { input: t.arg({ type: DispatchComplaintInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return act(ctx, action, input, { toUnitId: idOf(input.toUnitId, 'OrgUnit'), deadline: input.deadline, note: input.note });
      },
    });

  return {
    registerComplaint: t.field({
      type: payload,
      description: 'Registers a contact as a new case, RECEIVED at the province (D5, D10, D53).',
      args: { input: t.arg({ type: RegisterComplaintInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return asPayload('complaint', async () => fresh(ctx, await registerComplaint(envOf(ctx), whoOf(ctx), input)));
      },
    }),
    acceptComplaint: t.field({
      type: payload,
      description: 'Classifies and accepts a RECEIVED case (D8, D58).',
      args: { input: t.arg({ type: AcceptComplaintInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return act(ctx, 'ACCEPT', input, {
          businessLine: input.businessLine,
          category: input.category,
          severity: input.severity,
          details: input.details,
          occurredAt: input.occurredAt,
        });
      },
    }),
    rejectComplaint: t.field({
      type: payload,
      description: 'Rejects a RECEIVED case with a reason and a note (D8).',
      args: { input: t.arg({ type: RejectComplaintInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return act(ctx, 'REJECT', input, { reason: input.reason, note: input.note });
      },
    }),
    resolveOnSpot: t.field({
      type: payload,
      description: 'The first responder answers at first contact; the answer is the reply (D10).',
      args: { input: t.arg({ type: ResolveOnSpotInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return act(ctx, 'RESOLVE_ON_SPOT', input, { answer: input.answer });
      },
    }),
    dispatchComplaint: dispatch('DISPATCH', 'The province sends an ACCEPTED case to a city or centre with a deadline (D7).'),
    acknowledgeComplaint: noteAction('ACKNOWLEDGE', 'The receiving unit takes a DISPATCHED case.'),
    returnComplaint: noteAction('RETURN', 'The receiving unit sends a DISPATCHED case back to the unit that sent it, with a reason.'),
    delegateComplaint: dispatch('DELEGATE', 'A city hands an INVESTIGATING case to one of its own counties (D7).'),
    recordInvestigation: t.field({
      type: payload,
      description: 'Records an initial or detailed investigation.',
      args: { input: t.arg({ type: RecordInvestigationInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return act(ctx, 'RECORD_INVESTIGATION', input, { kind: input.kind, findings: input.findings });
      },
    }),
    determineResponsibility: t.field({
      type: payload,
      description: 'Records the responsibility finding a report needs (D12).',
      args: { input: t.arg({ type: DetermineResponsibilityInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return act(ctx, 'DETERMINE_RESPONSIBILITY', input, {
          nature: input.nature,
          responsibleUnitId: optionalId(input.responsibleUnitId, 'OrgUnit'),
          responsiblePerson: input.responsiblePerson,
          rootCause: input.rootCause,
          remedy: { kind: input.remedy.kind, amount: input.remedy.amount },
          rectification: input.rectification,
        });
      },
    }),
    submitReport: noteAction('SUBMIT_REPORT', 'The handling unit reports up the dispatch chain (D11).'),
    confirmReport: decision('CONFIRM_REPORT', "The city's department leader confirms its report or sends it back (D11)."),
    reviewReport: decision('REVIEW_REPORT', 'The reviewing unit approves a report or returns it for rework (D11).'),
    contactCustomer: contact('CONTACT_CUSTOMER', 'Records a contact with the customer (progress, or the answer owed under D10).'),
    replyToCustomer: contact('REPLY_TO_CUSTOMER', 'The province replies to the customer on a RESOLVED case.'),
    recordCallback: t.field({
      type: payload,
      description: 'The caller-back records the callback, or the second callback on a CLOSED case (D14).',
      args: { input: t.arg({ type: CallbackInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return act(ctx, 'RECORD_CALLBACK', input, { result: input.result, note: input.note });
      },
    }),
    archiveComplaint: noteAction('ARCHIVE', 'Archives a CLOSED, REJECTED or WITHDRAWN case; final (D15).'),
    withdrawComplaint: noteAction('WITHDRAW', 'The customer (or the submitting partner) withdraws an open case.', { partners: true }),
    suspendComplaint: noteAction('SUSPEND', "Pauses the case's clocks while waiting for the customer."),
    resumeComplaint: noteAction('RESUME', 'Resumes a suspended case; its clocks move later by the pause.'),
    escalateComplaint: noteAction('ESCALATE', 'Asks the parent unit to escalate the case (D13).'),
    decideEscalation: decision('DECIDE_ESCALATION', 'The parent unit approves or declines a pending escalation (D13).'),
    addSupervisionNote: noteAction('ADD_SUPERVISION_NOTE', 'Adds a supervision note (督办) to an open case.'),
  };
});
