import { canRead } from '../auth/complaint-rules.js';
import {
  type CaseAction,
  type Env,
  type Inputs,
  registerComplaint,
  transition,
} from '../domain/complaints.js';
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
import { asPayload, requireStaff, type UserError, UserErrorRef } from './errors.js';
import { idOf } from './global-id.js';
import { relearnCase } from './loaders.js';
import { tag } from './node.js';

/**
 * The complaint mutations of the contract: each decodes its input and hands
 * it to the lifecycle engine (src/domain/complaints.ts), which checks,
 * changes and records; refusals come back as `userErrors` (D55).
 */

type Payload = { complaint: ComplaintRow | null; userErrors: UserError[] };

/** Issue 26: the descriptions the complaint inputs share. */
const CASE_ID =
  "The case's global ID (`Complaint.id`). Malformed: VALIDATION; absent or not readable by you: NOT_FOUND (D54, D55).";
const EXPECTED_VERSION =
  'The `Complaint.version` you last read; when the case has changed since, the mutation is refused with CONFLICT and changes nothing. Omit it to skip the check.';
const CASE_ERRORS =
  ' Staff only: a partner gets a FORBIDDEN GraphQL error. Refusals come back as userErrors, checked in this order: NOT_FOUND, ARCHIVED, FORBIDDEN (your roles never do this), CONFLICT, INVALID_TRANSITION (not from this state), FORBIDDEN (not you, not now), VALIDATION (the input) (D55).';

export const ComplaintPayloadRef = builder.objectRef<Payload>('ComplaintPayload').implement({
  description:
    'What a complaint mutation answers: the case as it is now, or the userErrors that refused it (then nothing changed).',
  fields: (t) => ({
    complaint: t.field({
      type: ComplaintRef,
      nullable: true,
      description:
        'The case after the change, as you now read it; null when refused (or when the change took it out of your sight).',
      resolve: (p) => p.complaint,
    }),
    userErrors: t.field({
      type: [UserErrorRef],
      description: 'Empty on success; otherwise the first check that failed (D55).',
      resolve: (p) => p.userErrors,
    }),
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
const optionalId = (id: string | null | undefined, type: 'OrgUnit') =>
  id == null ? undefined : idOf(id, type);

/** One step of the lifecycle on the case `input.id`, as a ComplaintPayload (D55's refusals as userErrors). */
export function actOnCase<A extends CaseAction>(
  ctx: Context,
  action: A,
  input: { id: string; expectedVersion?: number | null },
  args: Inputs[A],
) {
  return asPayload('complaint', async () =>
    fresh(
      ctx,
      await transition(
        envOf(ctx),
        whoOf(ctx),
        action,
        caseId(input.id),
        args,
        input.expectedVersion,
      ),
    ),
  );
}

// ---------------------------------------------------------------- inputs

export const CustomerInput = builder.inputType('CustomerInput', {
  description:
    'The customer, personal data: stored in full, shown masked to those who do not work the case (D50).',
  fields: (t) => ({
    name: t.string({ required: true, description: "The customer's name (not blank)." }),
    phone: t.string({
      required: true,
      description:
        'A contact phone: 5–15 digits once spaces and hyphens are removed, optionally after + (D57).',
    }),
    address: t.string({
      description: 'The address; it also decides which city the case is suggested for (D34).',
    }),
    accountNumber: t.string({
      description: 'The account or service number the complaint is about.',
    }),
  }),
});

const RegisterComplaintInput = builder.inputType('RegisterComplaintInput', {
  description: 'A new contact to register as a case.',
  fields: (t) => ({
    channel: t.field({
      type: ChannelEnum,
      required: true,
      description:
        'How the customer got in touch; API is reserved to partner submissions (VALIDATION). A HANDLER registers walk-ins only: VISIT or BUSINESS_HALL.',
    }),
    source: t.field({
      type: SourceEnum,
      defaultValue: 'CUSTOMER',
      description:
        'Who brings it. Transfers from above (REGULATOR_, GROUP_, GOVERNMENT_TRANSFER) and PARTNER_CARRIER complaints taken down by staff are registered by a LEGAL_OFFICER (FORBIDDEN otherwise) and owned by legal affairs (D9, D41).',
    }),
    businessLine: t.string({
      description:
        'A `BusinessLine.code`, when already known; may also be set at acceptance. Required when `details` are given.',
    }),
    title: t.string({
      required: true,
      description: 'A short title, 1–200 characters once trimmed (D57).',
    }),
    description: t.string({
      required: true,
      description: 'What the customer complains about, 1–10,000 characters once trimmed (D57).',
    }),
    customer: t.field({
      type: CustomerInput,
      required: true,
      description: 'The customer (personal data, D50).',
    }),
    details: t.field({
      type: 'JSON',
      description:
        "The line's own fields, matching its `BusinessLine.detailsSchema`; unknown keys and wrong types are VALIDATION errors with their path (D58).",
    }),
    contactAt: t.field({
      type: 'DateTime',
      description: 'When the customer got in touch; defaults to now. Not in the future.',
    }),
    occurredAt: t.field({
      type: 'DateTime',
      description:
        'When the event happened (D8): the acceptance window is measured back to it. Not in the future.',
    }),
    externalDeadline: t.field({
      type: 'DateTime',
      description: "For transfers from above: the transferring body's own deadline (D9).",
    }),
    externalRef: t.string({
      description: "The transferring body's own reference, e.g. its ticket number.",
    }),
    kind: t.field({
      type: ContactKindEnum,
      defaultValue: 'COMPLAINT',
      description:
        'What the contact is (D70); any staff member registers a consultation, query, request or fault report, through any channel.',
    }),
    transferredBy: t.string({
      description: 'For transfers: who transferred it (D74), e.g. 广东省通信管理局.',
    }),
  }),
});

const AcceptComplaintInput = builder.inputType('AcceptComplaintInput', {
  description: 'How a RECEIVED case is classified when accepted.',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    businessLine: t.string({ required: true, description: 'A `BusinessLine.code`.' }),
    category: t.string({ required: true, description: "One of the line's `categories` codes." }),
    severity: t.field({
      type: SeverityEnum,
      required: true,
      description:
        'MAJOR and URGENT cases are reported at once to legal affairs and the duty managers (D13).',
    }),
    details: t.field({
      type: 'JSON',
      description:
        "The line's own fields; merged over those registered, and the whole validated against the line (D58).",
    }),
    occurredAt: t.field({
      type: 'DateTime',
      description:
        "When the event happened, if not given at registration (D8). Without it: a billing dispute's first day of its billing period, else the contact.",
    }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

const RejectComplaintInput = builder.inputType('RejectComplaintInput', {
  description: 'Why a RECEIVED case is not accepted.',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    reason: t.field({
      type: RejectionReasonEnum,
      required: true,
      description:
        'The reason; OUT_OF_SCOPE is refused on a line that is always in scope, such as complaints between carriers (D8, D33).',
    }),
    note: t.string({
      required: true,
      description: 'The explanation, up to 5,000 characters (D57); kept beside the event (D51).',
    }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

const ResolveOnSpotInput = builder.inputType('ResolveOnSpotInput', {
  description: 'The answer given to the customer at first contact.',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    answer: t.string({
      required: true,
      description: 'What the customer was told, up to 5,000 characters; it is the reply (D10).',
    }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

export const DispatchComplaintInput = builder.inputType('DispatchComplaintInput', {
  description: 'Where a case is sent and by when its report is due.',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    toUnitId: t.id({
      required: true,
      description:
        'The receiving unit: a CITY or CENTER of the province when dispatching, a COUNTY of the city when delegating; another level, or a closed unit, is FORBIDDEN (D7, D1a).',
    }),
    deadline: t.field({
      type: 'DateTime',
      required: true,
      description:
        "When the unit's report is due (ASSIGNMENT clock): in the future and not after RESOLVE's due time, else VALIDATION (D57).",
    }),
    note: t.string({ description: 'Instructions for the receiving unit, up to 5,000 characters.' }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

export const ComplaintActionInput = builder.inputType('ComplaintActionInput', {
  description: 'A step on a case that takes at most a note.',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    note: t.string({
      description:
        'The reason or remark, up to 5,000 characters; required to return, suspend, withdraw, escalate and for a supervision note (D57). Kept beside the event, served as `ComplaintEvent.note` (D51).',
    }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

const RecordInvestigationInput = builder.inputType('RecordInvestigationInput', {
  description: 'An investigation to record.',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    kind: t.field({
      type: InvestigationKindEnum,
      required: true,
      description: 'Initial (stops INITIAL_INVESTIGATION) or detailed.',
    }),
    findings: t.string({ required: true, description: 'What was found, up to 5,000 characters.' }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

const RemedyInput = builder.inputType('RemedyInput', {
  description: 'What the customer is given (D12).',
  fields: (t) => ({
    kind: t.field({ type: RemedyKindEnum, required: true, description: 'The kind of remedy.' }),
    amount: t.float({
      description: 'Yuan, ≥ 0 with at most 2 decimals (D57); for COMPENSATION and BILL_ADJUSTED.',
    }),
  }),
});

const DetermineResponsibilityInput = builder.inputType('DetermineResponsibilityInput', {
  description: 'The responsibility finding (D12).',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    nature: t.field({
      type: FindingNatureEnum,
      required: true,
      description: 'Whether the complaint is justified.',
    }),
    responsibleUnitId: t.id({
      description: 'The global ID of the unit found responsible, if any.',
    }),
    responsiblePerson: t.string({
      description: 'The person found responsible, free text, if any.',
    }),
    rootCause: t.string({
      required: true,
      description: 'The root cause, free text up to 5,000 characters.',
    }),
    cause: t.string({
      description:
        'The root-cause code, one of `rootCauses` (the base list or the case’s own line’s); OTHER when not given. D79',
    }),
    remedy: t.field({
      type: RemedyInput,
      required: true,
      description: 'What the customer is given.',
    }),
    rectification: t.string({
      description: 'What the responsible unit should put right, up to 5,000 characters.',
    }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

export const DecisionInput = builder.inputType('DecisionInput', {
  description: 'A yes or no on a report or an escalation.',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    approve: t.boolean({
      required: true,
      description:
        'True approves (or confirms); false sends the report back or declines the escalation.',
    }),
    note: t.string({
      description: 'The reason, up to 5,000 characters; required when `approve` is false (D57).',
    }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

const ContactCustomerInput = builder.inputType('ContactCustomerInput', {
  description: 'A contact with the customer, or the reply.',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    method: t.field({
      type: ContactMethodEnum,
      required: true,
      description: 'How it reached the customer.',
    }),
    content: t.string({
      required: true,
      description: 'What the customer was told, up to 5,000 characters.',
    }),
    substantive: t.boolean({
      defaultValue: false,
      description:
        "It answers the customer's request (D23): stops ANSWER. A reply always does; a progress note does not.",
    }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

const CallbackInput = builder.inputType('CallbackInput', {
  description: 'The result of a callback (D14).',
  fields: (t) => ({
    id: t.id({ required: true, description: CASE_ID }),
    result: t.field({
      type: CallbackResultEnum,
      required: true,
      description: 'What the customer said, or UNREACHABLE after 3 attempts.',
    }),
    note: t.string({ description: "The caller's remark, up to 5,000 characters." }),
    expectedVersion: t.int({ description: EXPECTED_VERSION }),
  }),
});

// ---------------------------------------------------------------- mutations

builder.mutationFields((t) => {
  const payload = ComplaintPayloadRef;
  /** A staff mutation taking `ComplaintActionInput` (note only). */
  const noteAction = (action: CaseAction, description: string, opts: { partners?: boolean } = {}) =>
    t.field({
      type: payload,
      description:
        description +
        (opts.partners
          ? CASE_ERRORS.replace(' Staff only: a partner gets a FORBIDDEN GraphQL error.', '')
          : CASE_ERRORS),
      args: {
        input: t.arg({
          type: ComplaintActionInput,
          required: true,
          description: 'The case, and the note where the step takes one.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        if (!opts.partners) requireStaff(ctx);
        return actOnCase(ctx, action as 'WITHDRAW', input, { note: input.note });
      },
    });
  const decision = (
    action: 'CONFIRM_REPORT' | 'REVIEW_REPORT' | 'DECIDE_ESCALATION',
    description: string,
  ) =>
    t.field({
      type: payload,
      description: description + CASE_ERRORS,
      args: {
        input: t.arg({
          type: DecisionInput,
          required: true,
          description: 'The case and the decision.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return actOnCase(ctx, action, input, { approve: input.approve, note: input.note });
      },
    });
  const contact = (action: 'CONTACT_CUSTOMER' | 'REPLY_TO_CUSTOMER', description: string) =>
    t.field({
      type: payload,
      description: description + CASE_ERRORS,
      args: {
        input: t.arg({
          type: ContactCustomerInput,
          required: true,
          description: 'The case and what the customer was told.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return actOnCase(ctx, action, input, {
          method: input.method,
          content: input.content,
          substantive: input.substantive,
        });
      },
    });
  const dispatch = (action: 'DISPATCH' | 'DELEGATE', description: string) =>
    t.field({
      type: payload,
      description: description + CASE_ERRORS,
      args: {
        input: t.arg({
          type: DispatchComplaintInput,
          required: true,
          description: 'The case, the receiving unit and the deadline.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return actOnCase(ctx, action, input, {
          toUnitId: idOf(input.toUnitId, 'OrgUnit'),
          deadline: input.deadline,
          note: input.note,
        });
      },
    });

  return {
    registerComplaint: t.field({
      type: payload,
      description:
        'Registers a contact as a new case, RECEIVED at the province, with a new case number; you become its first responder for life (D5, D10, D53). Who: an ACCEPTANCE_AGENT, a HANDLER (walk-ins at a city or county hall: channel VISIT or BUSINESS_HALL), a LEGAL_OFFICER (also transfers from above and partner-carrier complaints). Starts the ACCEPT and ANSWER clocks. Staff only: a partner gets a FORBIDDEN GraphQL error (partners use submitInterconnectionComplaint). userErrors: FORBIDDEN (your roles do not register, or not this source), VALIDATION (title, description, phone, times, a business line or details that do not match, D57, D58).',
      args: {
        input: t.arg({
          type: RegisterComplaintInput,
          required: true,
          description: 'The contact to register.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return asPayload('complaint', async () =>
          fresh(ctx, await registerComplaint(envOf(ctx), whoOf(ctx), input)),
        );
      },
    }),
    acceptComplaint: t.field({
      type: payload,
      description:
        "Classifies and accepts a RECEIVED case: business line, category, severity (D8, D58). Who: the province acceptance centre (an ACCEPTANCE_AGENT; a LEGAL_OFFICER for transfers and partner cases). Stops ACCEPT; starts INITIAL_INVESTIGATION, INITIAL_RESULT, RESOLVE and CLOSE. An event outside the line's acceptance window is VALIDATION on `occurredAt`: reject it as EXPIRED instead." +
        CASE_ERRORS,
      args: {
        input: t.arg({
          type: AcceptComplaintInput,
          required: true,
          description: 'The case and its classification.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return actOnCase(ctx, 'ACCEPT', input, {
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
      description:
        'Rejects a RECEIVED case with a reason and a note (D8). Who: the province acceptance centre, as for accepting. The customer is still owed an answer: ANSWER runs on and the case cannot be archived until a substantive contact is recorded (D10).' +
        CASE_ERRORS,
      args: {
        input: t.arg({
          type: RejectComplaintInput,
          required: true,
          description: 'The case, the reason and the note.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return actOnCase(ctx, 'REJECT', input, { reason: input.reason, note: input.note });
      },
    }),
    resolveOnSpot: t.field({
      type: payload,
      description:
        'The first responder answers the customer at first contact, on a RECEIVED or ACCEPTED case; the answer is the reply and the case goes to REPLIED, waiting for its callback (D10).' +
        CASE_ERRORS,
      args: {
        input: t.arg({
          type: ResolveOnSpotInput,
          required: true,
          description: 'The case and the answer.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return actOnCase(ctx, 'RESOLVE_ON_SPOT', input, { answer: input.answer });
      },
    }),
    dispatchComplaint: dispatch(
      'DISPATCH',
      'The province acceptance centre sends an ACCEPTED case to a city or centre with a deadline (D7); never straight to a county. Starts the ASSIGNMENT clock.',
    ),
    acknowledgeComplaint: noteAction(
      'ACKNOWLEDGE',
      'A HANDLER of the receiving unit takes a DISPATCHED case: it becomes INVESTIGATING there.',
    ),
    returnComplaint: noteAction(
      'RETURN',
      'A HANDLER of the receiving unit sends a DISPATCHED case back to the unit that sent it (wrong unit), with a reason in `note`: ACCEPTED at the province, or INVESTIGATING at the city for a delegation.',
    ),
    delegateComplaint: dispatch(
      'DELEGATE',
      'A HANDLER of a city hands an INVESTIGATING case to one of its own counties, with a deadline (D7).',
    ),
    recordInvestigation: t.field({
      type: payload,
      description:
        'A HANDLER of the handling unit records an initial or detailed investigation on an INVESTIGATING case; the first one stops INITIAL_INVESTIGATION.' +
        CASE_ERRORS,
      args: {
        input: t.arg({
          type: RecordInvestigationInput,
          required: true,
          description: 'The case and the findings.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return actOnCase(ctx, 'RECORD_INVESTIGATION', input, {
          kind: input.kind,
          findings: input.findings,
        });
      },
    }),
    determineResponsibility: t.field({
      type: payload,
      description:
        'A HANDLER of the handling unit records the responsibility finding a report needs, on an INVESTIGATING case; a later one replaces it (D12).' +
        CASE_ERRORS,
      args: {
        input: t.arg({
          type: DetermineResponsibilityInput,
          required: true,
          description: 'The case and the finding.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return actOnCase(ctx, 'DETERMINE_RESPONSIBILITY', input, {
          nature: input.nature,
          responsibleUnitId: optionalId(input.responsibleUnitId, 'OrgUnit'),
          responsiblePerson: input.responsiblePerson,
          rootCause: input.rootCause,
          cause: input.cause,
          remedy: { kind: input.remedy.kind, amount: input.remedy.amount },
          rectification: input.rectification,
        });
      },
    }),
    submitReport: noteAction(
      'SUBMIT_REPORT',
      "A HANDLER of the handling unit reports up the dispatch chain: a city's report to PENDING_APPROVAL (its department leader), a county's or a centre's to PENDING_REVIEW. Without a responsibility finding: INVALID_TRANSITION (D11).",
    ),
    confirmReport: decision(
      'CONFIRM_REPORT',
      "The city's DEPARTMENT_LEADER confirms its report (PENDING_APPROVAL → PENDING_REVIEW at the province) or sends it back to INVESTIGATING with a note (D11).",
    ),
    reviewReport: decision(
      'REVIEW_REPORT',
      "The reviewing unit approves a PENDING_REVIEW report or returns it for rework with a note: a city's HANDLER for its county's report (approved, it becomes the city's report), the province acceptance centre for a city's or a centre's (approved: RESOLVED) (D11).",
    ),
    contactCustomer: contact(
      'CONTACT_CUSTOMER',
      'Records a contact with the customer (progress, or the answer owed under D10) on an open or REJECTED case, by the holder or the first responder. `substantive: true` stops ANSWER (D23); any contact stops INITIAL_RESULT and RECONTACT.',
    ),
    replyToCustomer: contact(
      'REPLY_TO_CUSTOMER',
      'The province acceptance centre replies to the customer on a RESOLVED case: it becomes REPLIED, waiting for its callback; stops REPLY and ANSWER.',
    ),
    recordCallback: t.field({
      type: payload,
      description:
        "The caller-back records the callback on a REPLIED case, or the second callback on a CLOSED case (D14). The caller-back is a HANDLER of the city for a county's case, or for a city's case of a line that leaves callbacks to the city (billing disputes), else the province acceptance centre. Satisfied, basically satisfied or unreachable: CLOSED; unsatisfied: reopened to INVESTIGATING. A callback nobody owes is INVALID_TRANSITION." +
        CASE_ERRORS,
      args: {
        input: t.arg({
          type: CallbackInput,
          required: true,
          description: 'The case and the result.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        requireStaff(ctx);
        return actOnCase(ctx, 'RECORD_CALLBACK', input, { result: input.result, note: input.note });
      },
    }),
    archiveComplaint: noteAction(
      'ARCHIVE',
      'The province acceptance centre archives a CLOSED, REJECTED or WITHDRAWN case; final (D15). A REJECTED case first needs a substantive contact with the customer (INVALID_TRANSITION, D10).',
    ),
    withdrawComplaint: noteAction(
      'WITHDRAW',
      "The customer withdraws an open case, recorded by the holder or the first responder with the reason in `note`; a partner withdraws its own. The case's clocks end CANCELLED (D26).",
      { partners: true },
    ),
    suspendComplaint: noteAction(
      'SUSPEND',
      "The holder pauses the case's clocks while waiting for the customer, with the reason in `note` (D24).",
    ),
    resumeComplaint: noteAction(
      'RESUME',
      'The holder resumes a suspended case; its clocks move later by the pause (D24). Not suspended: INVALID_TRANSITION.',
    ),
    escalateComplaint: noteAction(
      'ESCALATE',
      'The holder asks the parent unit to escalate the case, with the reason in `note`; one escalation may be pending at a time (D13, D53).',
    ),
    decideEscalation: decision(
      'DECIDE_ESCALATION',
      "The parent unit approves (escalation level + 1) or declines a pending escalation: a city's DEPARTMENT_LEADER for a county, the province LEGAL_OFFICER for a city, a centre or the province (D13, D53).",
    ),
    addSupervisionNote: noteAction(
      'ADD_SUPERVISION_NOTE',
      'Adds a supervision note (督办) to an open case: a LEGAL_OFFICER of the province, a DUTY_MANAGER or DEPARTMENT_LEADER of a unit above the handling unit, or a DUTY_MANAGER of the handling unit; auditors only read.',
    ),
  };
});
