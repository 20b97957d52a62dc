// Issue 26: what each value of the domain's enums (src/domain/enums.ts) means,
// in the words of the people who use them, for GraphiQL and generated clients.
// `documented(values, docs)` turns a constant list into Pothos enum values with
// descriptions; the record type makes a new value without a description a type
// error, so the schema's coverage cannot silently drop.

import type { EnumRef } from '@pothos/core';
import { builder, type Types } from './builder.js';

/** Pothos enum values `{ VALUE: { description } }` from a constant list and a description per value. */
export function documented<const V extends string>(
  values: readonly V[],
  docs: { readonly [K in V]: string },
): { [K in V]: { description: string } } {
  return Object.fromEntries(values.map((v) => [v, { description: docs[v] }])) as {
    [K in V]: { description: string };
  };
}

/** One row of `documentedEnums`: the values, a description per value, the type's description. */
type EnumRow = readonly [
  values: readonly string[],
  docs: Record<string, string>,
  description: string,
];

/**
 * Enum types from a table `{ Name: [values, docs, description] }`, one `documented` enum per
 * row, named as its key; as with `documented`, a value without a description is a type error.
 */
export function documentedEnums<const T extends Record<string, EnumRow>>(
  table: T & {
    [K in keyof T]: readonly [T[K][0], { readonly [V in T[K][0][number]]: string }, string];
  },
): { [K in keyof T]: EnumRef<Types, T[K][0][number]> } {
  return Object.fromEntries(
    Object.entries(table).map(([name, [values, docs, description]]) => [
      name,
      builder.enumType(name, { description, values: documented(values, docs) }),
    ]),
  ) as never;
}

export const ROLE_DOCS = {
  ADMIN: 'Manages units, users, partners and the statutory calendar; reads no cases (D54).',
  ACCEPTANCE_AGENT:
    "Agent of the province's complaint acceptance centre: registers, accepts or rejects, dispatches, reviews city and centre reports, replies, calls back and archives (D3, D53).",
  LEGAL_OFFICER:
    'Officer of the province regulatory & legal affairs department: owns transfers from the regulator, group or government and partner cases, may act wherever an acceptance agent may, decides escalations of cities and centres, adds supervision notes (D3, D9, D41).',
  HANDLER:
    "Handler of a city, county or centre: registers walk-ins, acknowledges or returns a dispatch, delegates (a city to its counties), investigates, determines responsibility, submits reports, reviews its counties' reports, calls back where the rules say (D3, D14).",
  DEPARTMENT_LEADER:
    "Leader of a city's (or county's) handling centre: confirms or sends back its unit's reports and decides its counties' escalations (D11, D53).",
  DUTY_MANAGER:
    'Watches a subtree live: SLA alerts, the duty briefing, supervision notes; sees personal data masked (D21, D32, D50).',
  AUDITOR:
    "Reads a subtree's cases, their event chains, the personal-data read log and the audit records; changes nothing; sees personal data masked (D50, D52).",
} as const;

export const ORG_LEVEL_DOCS = {
  PROVINCE:
    'A province: the root of its tree; accepts every case and dispatches it (D1, D7). Its code is letters only and starts case numbers (D5).',
  CITY: 'A city below a province: handles what the province dispatches and may delegate to its counties (D7).',
  COUNTY:
    "A county below a city: handles what its city delegates; its reports go to that city's review (D11).",
  CENTER:
    'A centre the province runs directly, e.g. the big-customer centre; takes dispatches like a city, reports straight to the province (D1, D11).',
} as const;

export const STATUS_DOCS = {
  RECEIVED:
    'Registered, waiting for the province acceptance centre to accept or reject it (ACCEPT clock, 24 hours).',
  REJECTED:
    'Not accepted, with a reason (D8); still owes the customer an answer before it may be archived (D10).',
  ACCEPTED:
    'Accepted and classified (line, category, severity), at the province, waiting to be dispatched.',
  DISPATCHED:
    'Sent to a city or centre (or delegated by a city to a county), waiting for the receiving unit to acknowledge or return it.',
  INVESTIGATING:
    'Being worked by the handling unit: investigations, the responsibility finding, then its report.',
  PENDING_APPROVAL:
    "A city's report, waiting for the city's department leader to confirm it (D11).",
  PENDING_REVIEW:
    "A report waiting for review: by the city for a county's report, by the province for a city's or a centre's (D11).",
  RESOLVED:
    'The province approved the report; the acceptance centre owes the customer the reply (REPLY clock, 24 hours).',
  REPLIED: 'The customer has been answered; waiting for the callback (D14).',
  CLOSED:
    'Called back satisfied, basically satisfied or unreachable; waiting for the archive (a second callback may still be recorded, D14).',
  ARCHIVED: 'Final: readable by those allowed, never changed again (D15).',
  WITHDRAWN: 'The customer (or the submitting partner) withdrew it; waiting for the archive.',
} as const;

export const CHANNEL_DOCS = {
  PHONE: 'A call to the hotline or an agent.',
  EMAIL: 'An email.',
  LETTER: 'A letter.',
  VISIT: 'A visit in person (a walk-in).',
  ONLINE: 'The online service (web).',
  APP: "The operator's app.",
  SOCIAL_MEDIA: 'A social-media account of the operator.',
  BUSINESS_HALL: 'A business hall (营业厅).',
  API: "A partner carrier's system, through this API (D40).",
} as const;

export const SOURCE_DOCS = {
  CUSTOMER: 'The customer complained to the operator directly.',
  REGULATOR_TRANSFER:
    "Transferred by the telecom regulator; owned by the regulatory & legal affairs department, whose deadline replaces RESOLVE's (D9, D20).",
  GROUP_TRANSFER:
    'Transferred by the group headquarters; owned by the regulatory & legal affairs department (D9).',
  GOVERNMENT_TRANSFER:
    'Transferred by a government body (e.g. a 12345 hotline); owned by the regulatory & legal affairs department (D9).',
  PARTNER_CARRIER:
    'Submitted by another carrier through its own mutation (submitInterconnectionComplaint); held by the LEGAL_OFFICER of its province (D40, D41).',
} as const;

export const SEVERITY_DOCS = {
  ORDINARY: 'An ordinary complaint.',
  MAJOR:
    'Major: reported at once to the legal affairs department and the duty managers who read it, and supervised (D13).',
  URGENT: 'Urgent: like MAJOR, to be acted on first (D13).',
} as const;

export const REJECTION_REASON_DOCS = {
  DUPLICATE_CONCLUDED:
    'The same issue was already concluded by a higher authority with the operator taking part (D8).',
  EXPIRED:
    'The event lies outside the acceptance window: by default 5 months for billing disputes, 2 years otherwise, measured back to when it occurred (D8).',
  NO_DIRECT_INTEREST: 'The complainant is not a party with a direct interest (D8).',
  INSUFFICIENT_INFORMATION:
    'No concrete request, or customer data or facts that do not support it (D8).',
  OUT_OF_SCOPE:
    'Not a matter for this complaint process; the customer is still answered (D10). Not allowed on a line that is always in scope, such as complaints between carriers (D8, D33).',
} as const;

export const FINDING_NATURE_DOCS = {
  VALID: 'The complaint is justified (D12).',
  PARTIALLY_VALID: 'The complaint is partly justified (D12).',
  INVALID: 'The complaint is not justified (D12).',
} as const;

export const REMEDY_KIND_DOCS = {
  COMPENSATION: 'Compensation paid to the customer; `amount` in yuan (D12).',
  SERVICE_RESTORED: 'The service was restored or repaired.',
  BILL_ADJUSTED: 'The bill was adjusted; `amount` in yuan (D12).',
  APOLOGY: 'An apology.',
  EXPLANATION: 'An explanation to the customer.',
  OTHER: 'Anything else; describe it in the finding.',
} as const;

export const CONTACT_METHOD_DOCS = {
  PHONE: 'By phone.',
  SMS: 'By text message.',
  EMAIL: 'By email.',
  LETTER: 'By letter.',
} as const;

export const CALLBACK_RESULT_DOCS = {
  SATISFIED: 'The customer is satisfied: the case closes (D14).',
  BASICALLY_SATISFIED: 'The customer is basically satisfied: the case closes (D14).',
  UNSATISFIED:
    'The customer is not satisfied: the case reopens to INVESTIGATING at the last handling unit, reopenCount + 1, RECONTACT starts (D14, D25).',
  UNREACHABLE: 'Three attempts to reach the customer failed: the case closes (D14).',
} as const;

export const INVESTIGATION_KIND_DOCS = {
  INITIAL: 'The first look at the case; stops INITIAL_INVESTIGATION (48 hours).',
  DETAILED: 'A detailed investigation, recorded as the work goes on.',
} as const;

export const CLOCK_KIND_DOCS = {
  REGISTER:
    "From the customer's contact to registration; 10 minutes, measured, never alerted (D6).",
  ACCEPT: 'From registration to acceptance or rejection; 24 hours.',
  ANSWER:
    'From registration to the first reply or substantive contact with the customer (D23); 15 days. On a rejected case it runs until the customer is answered (D10, D26).',
  INITIAL_INVESTIGATION: 'From acceptance to the first investigation recorded; 48 hours.',
  INITIAL_RESULT:
    'From acceptance to the first contact with the customer about the result (a reply or a progress contact); 72 hours.',
  RESOLVE: "From acceptance to RESOLVED; 15 working days, or a transfer's own deadline (D9, D20).",
  CLOSE: 'From acceptance to CLOSED; 30 working days.',
  REPLY: 'From RESOLVED to the reply to the customer; 24 hours.',
  RECONTACT: 'From an unsatisfied callback to contacting the customer again; 48 hours (D25).',
  ARCHIVE: 'From CLOSED to ARCHIVED; 3 working days.',
  ASSIGNMENT:
    "From a dispatch or delegation to that unit's report; the deadline set when dispatching, never later than RESOLVE's due time (D24).",
  RECTIFY:
    "From the opening (or reopening) of a rectification to its completion by the responsible unit; 30 working days, apart from the case's own clocks (D75).",
  REPAIR:
    "A fault report's repair, from acceptance, in place of RESOLVE (D72): 24 hours unless its line declares otherwise (big customers: 4).",
  PROGRESS:
    "A supervised case's next progress report, 2 working days after the opening or the last report (D73).",
  FEEDBACK:
    "The feedback owed to whoever transferred the case, due at the transfer's own deadline (D74).",
  NOTICE:
    "From the opening of an incident to its written notice; 2 hours (D76). Read as the incident's noticeDueAt.",
} as const;

export const CLOCK_STATE_DOCS = {
  RUNNING: 'Running, under 80 % of its budget.',
  PAUSED: 'Paused while the case is suspended; its due time moves later on resume (D24).',
  WARNING: 'Running past 80 % of its budget (an SLA warning was raised, D21).',
  BREACHED: 'Running past its due time (an SLA breach was raised, D21).',
  MET: 'Stopped on time.',
  MISSED: 'Stopped late, or ended after it had breached.',
  CANCELLED:
    'Ended because the case left the path its stop belonged to (withdrawn, rejected, archived, a returned assignment); counts neither as on time nor late (D26).',
} as const;

export const ACTION_DOCS = {
  REGISTER:
    "Register a contact as a new case (`registerComplaint`, or a partner's `submitInterconnectionComplaint`). Never listed in `viewerActions`.",
  ACCEPT: 'Accept and classify a RECEIVED case (`acceptComplaint`).',
  REJECT: 'Reject a RECEIVED case with a reason (`rejectComplaint`).',
  RESOLVE_ON_SPOT:
    'Answer the customer at first contact; the answer is the reply (`resolveOnSpot`).',
  DISPATCH: 'Send an ACCEPTED case to a city or centre with a deadline (`dispatchComplaint`).',
  ACKNOWLEDGE: 'Take a DISPATCHED case as the receiving unit (`acknowledgeComplaint`).',
  RETURN: 'Send a DISPATCHED case back to the unit that sent it (`returnComplaint`).',
  DELEGATE: "Hand an INVESTIGATING case to one of the city's counties (`delegateComplaint`).",
  RECORD_INVESTIGATION: 'Record an initial or detailed investigation (`recordInvestigation`).',
  DETERMINE_RESPONSIBILITY: 'Record the responsibility finding (`determineResponsibility`).',
  SUBMIT_REPORT: 'Report up the dispatch chain (`submitReport`).',
  CONFIRM_REPORT:
    "Confirm or send back a city's report as its department leader (`confirmReport`).",
  REVIEW_REPORT: 'Approve or return a report under review (`reviewReport`).',
  CONTACT_CUSTOMER: 'Record a contact with the customer (`contactCustomer`).',
  REPLY_TO_CUSTOMER: 'Reply to the customer on a RESOLVED case (`replyToCustomer`).',
  RECORD_CALLBACK: 'Record the callback, or the second callback (`recordCallback`).',
  ARCHIVE: 'Archive an ended case (`archiveComplaint`).',
  WITHDRAW: 'Withdraw an open case for the customer (`withdrawComplaint`).',
  SUSPEND: "Pause the case's clocks while waiting for the customer (`suspendComplaint`).",
  RESUME: 'End the suspension (`resumeComplaint`).',
  ESCALATE: 'Ask the parent unit to escalate (`escalateComplaint`).',
  DECIDE_ESCALATION: 'Approve or decline a pending escalation (`decideEscalation`).',
  ADD_SUPERVISION_NOTE: 'Add a supervision note, 督办 (`addSupervisionNote`).',
  ANSWER_CONTACT: 'Answer a consultation, query or request: it is CLOSED (`answerContact`, D71).',
  FORWARD_CONTACT:
    'Forward a consultation, query or request to a unit whose handlers answer it by a deadline (`forwardContact`, D71).',
  CONVERT_TO_COMPLAINT:
    'Turn a consultation, query or request into a new complaint; the contact is CLOSED (`convertToComplaint`, D71).',
  OPEN_SUPERVISION:
    'Put the case under supervision (督办), with you as its supervisor (`openSupervision`, D73).',
  HAND_OVER_SUPERVISION:
    "Hand the case's supervision to a legal officer or duty manager of the supervising unit, or take it (`handOverSupervision`, D73).",
  REPORT_PROGRESS: "Report a supervised case's progress to its supervisor (`reportProgress`, D73).",
  RECORD_TRANSFER_FEEDBACK:
    'Record the feedback sent to the body that transferred the case (`recordTransferFeedback`, D74).',
  REQUEST_EXTENSION:
    "Ask for a running clock's due time to move later, with a reason (`requestExtension`, D78).",
  DECIDE_EXTENSION:
    'Approve or decline the oldest pending extension request (`decideExtension`, D78).',
} as const;

export const ERROR_CODE_DOCS = {
  VALIDATION:
    'The input is wrong (a malformed ID, a text too long, a deadline too late, details that do not match the line); `field` is its path, e.g. ["input", "details", "imei"] (D55, D57).',
  NOT_FOUND: 'No such case, or one the viewer may not read: the two are never told apart (D54).',
  FORBIDDEN:
    'Not for this viewer: their roles never do this step, or not on this case, unit or target now (another unit, not the caller-back, a county as dispatch target, a closed unit) (D53, D55, D7).',
  INVALID_TRANSITION:
    "Not possible from the case's current state or facts: a report with no finding, resuming a case that is not suspended, a callback nobody owes (D55).",
  CONFLICT:
    '`expectedVersion` is stale: someone changed the case since you read it; reload it and try again (D55).',
  IDEMPOTENCY_MISMATCH: 'A partner reused an idempotency key with a different payload (D40).',
  ARCHIVED: 'The case is archived and can no longer change (D15).',
} as const;
