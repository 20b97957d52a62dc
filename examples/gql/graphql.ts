/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** How a RECEIVED case is classified when accepted. */
export type AcceptComplaintInput = {
  /** A `BusinessLine.code`. */
  businessLine: string;
  /** One of the line's `categories` codes. */
  category: string;
  /** The line's own fields; merged over those registered, and the whole validated against the line (D58). */
  details?: unknown;
  /** The `Complaint.version` you last read; when the case has changed since, the mutation is refused with CONFLICT and changes nothing. Omit it to skip the check. */
  expectedVersion?: number | null | undefined;
  /** The case's global ID (`Complaint.id`). Malformed: VALIDATION; absent or not readable by you: NOT_FOUND (D54, D55). */
  id: string | number;
  /** When the event happened, if not given at registration (D8). Without it: a billing dispute's first day of its billing period, else the contact. */
  occurredAt?: string | null | undefined;
  /** MAJOR and URGENT cases are reported at once to legal affairs and the duty managers (D13). */
  severity: Severity;
};

/** The result of a callback (D14). */
export type CallbackInput = {
  /** The `Complaint.version` you last read; when the case has changed since, the mutation is refused with CONFLICT and changes nothing. Omit it to skip the check. */
  expectedVersion?: number | null | undefined;
  /** The case's global ID (`Complaint.id`). Malformed: VALIDATION; absent or not readable by you: NOT_FOUND (D54, D55). */
  id: string | number;
  /** The caller's remark, up to 5,000 characters. */
  note?: string | null | undefined;
  /** What the customer said, or UNREACHABLE after 3 attempts. */
  result: CallbackResult;
};

/** What the callback (回访) found (D14). */
export type CallbackResult =
  /** The customer is basically satisfied: the case closes (D14). */
  | 'BASICALLY_SATISFIED'
  /** The customer is satisfied: the case closes (D14). */
  | 'SATISFIED'
  /** Three attempts to reach the customer failed: the case closes (D14). */
  | 'UNREACHABLE'
  /** The customer is not satisfied: the case reopens to INVESTIGATING at the last handling unit, reopenCount + 1, RECONTACT starts (D14, D25). */
  | 'UNSATISFIED';

/** How the customer got in touch (D4). */
export type Channel =
  /** A partner carrier's system, through this API (D40). */
  | 'API'
  /** The operator's app. */
  | 'APP'
  /** A business hall (营业厅). */
  | 'BUSINESS_HALL'
  /** An email. */
  | 'EMAIL'
  /** A letter. */
  | 'LETTER'
  /** The online service (web). */
  | 'ONLINE'
  /** A call to the hotline or an agent. */
  | 'PHONE'
  /** A social-media account of the operator. */
  | 'SOCIAL_MEDIA'
  /** A visit in person (a walk-in). */
  | 'VISIT';

/** A time limit on a case (SLA clock). Hours and minutes are wall-clock time; working days follow the statutory calendar and end at 24:00 Asia/Shanghai. Default budgets below; a business line may override them (D20). */
export type ClockKind =
  /** From registration to acceptance or rejection; 24 hours. */
  | 'ACCEPT'
  /** From registration to the first reply or substantive contact with the customer (D23); 15 days. On a rejected case it runs until the customer is answered (D10, D26). */
  | 'ANSWER'
  /** From CLOSED to ARCHIVED; 3 working days. */
  | 'ARCHIVE'
  /** From a dispatch or delegation to that unit's report; the deadline set when dispatching, never later than RESOLVE's due time (D24). */
  | 'ASSIGNMENT'
  /** From acceptance to CLOSED; 30 working days. */
  | 'CLOSE'
  /** The feedback owed to whoever transferred the case, due at the transfer's own deadline (D74). */
  | 'FEEDBACK'
  /** From acceptance to the first investigation recorded; 48 hours. */
  | 'INITIAL_INVESTIGATION'
  /** From acceptance to the first contact with the customer about the result (a reply or a progress contact); 72 hours. */
  | 'INITIAL_RESULT'
  /** From the opening of an incident to its written notice; 2 hours (D76). Read as the incident's noticeDueAt. */
  | 'NOTICE'
  /** A supervised case's next progress report, 2 working days after the opening or the last report (D73). */
  | 'PROGRESS'
  /** From an unsatisfied callback to contacting the customer again; 48 hours (D25). */
  | 'RECONTACT'
  /** From the opening (or reopening) of a rectification to its completion by the responsible unit; 30 working days, apart from the case's own clocks (D75). */
  | 'RECTIFY'
  /** From the customer's contact to registration; 10 minutes, measured, never alerted (D6). */
  | 'REGISTER'
  /** A fault report's repair, from acceptance, in place of RESOLVE (D72): 24 hours unless its line declares otherwise (big customers: 4). */
  | 'REPAIR'
  /** From RESOLVED to the reply to the customer; 24 hours. */
  | 'REPLY'
  /** From acceptance to RESOLVED; 15 working days, or a transfer's own deadline (D9, D20). */
  | 'RESOLVE';

/** What can be done to a complaint: one value per complaint mutation (D56). */
export type ComplaintAction =
  /** Accept and classify a RECEIVED case (`acceptComplaint`). */
  | 'ACCEPT'
  /** Take a DISPATCHED case as the receiving unit (`acknowledgeComplaint`). */
  | 'ACKNOWLEDGE'
  /** Add a supervision note, 督办 (`addSupervisionNote`). */
  | 'ADD_SUPERVISION_NOTE'
  /** Answer a consultation, query or request: it is CLOSED (`answerContact`, D71). */
  | 'ANSWER_CONTACT'
  /** Archive an ended case (`archiveComplaint`). */
  | 'ARCHIVE'
  /** Confirm or send back a city's report as its department leader (`confirmReport`). */
  | 'CONFIRM_REPORT'
  /** Record a contact with the customer (`contactCustomer`). */
  | 'CONTACT_CUSTOMER'
  /** Turn a consultation, query or request into a new complaint; the contact is CLOSED (`convertToComplaint`, D71). */
  | 'CONVERT_TO_COMPLAINT'
  /** Approve or decline a pending escalation (`decideEscalation`). */
  | 'DECIDE_ESCALATION'
  /** Approve or decline the oldest pending extension request (`decideExtension`, D78). */
  | 'DECIDE_EXTENSION'
  /** Hand an INVESTIGATING case to one of the city's counties (`delegateComplaint`). */
  | 'DELEGATE'
  /** Record the responsibility finding (`determineResponsibility`). */
  | 'DETERMINE_RESPONSIBILITY'
  /** Send an ACCEPTED case to a city or centre with a deadline (`dispatchComplaint`). */
  | 'DISPATCH'
  /** Ask the parent unit to escalate (`escalateComplaint`). */
  | 'ESCALATE'
  /** Forward a consultation, query or request to a unit whose handlers answer it by a deadline (`forwardContact`, D71). */
  | 'FORWARD_CONTACT'
  /** Hand the case's supervision to a legal officer or duty manager of the supervising unit, or take it (`handOverSupervision`, D73). */
  | 'HAND_OVER_SUPERVISION'
  /** Put the case under supervision (督办), with you as its supervisor (`openSupervision`, D73). */
  | 'OPEN_SUPERVISION'
  /** Record the callback, or the second callback (`recordCallback`). */
  | 'RECORD_CALLBACK'
  /** Record an initial or detailed investigation (`recordInvestigation`). */
  | 'RECORD_INVESTIGATION'
  /** Record the feedback sent to the body that transferred the case (`recordTransferFeedback`, D74). */
  | 'RECORD_TRANSFER_FEEDBACK'
  /** Register a contact as a new case (`registerComplaint`, or a partner's `submitInterconnectionComplaint`). Never listed in `viewerActions`. */
  | 'REGISTER'
  /** Reject a RECEIVED case with a reason (`rejectComplaint`). */
  | 'REJECT'
  /** Reply to the customer on a RESOLVED case (`replyToCustomer`). */
  | 'REPLY_TO_CUSTOMER'
  /** Report a supervised case's progress to its supervisor (`reportProgress`, D73). */
  | 'REPORT_PROGRESS'
  /** Ask for a running clock's due time to move later, with a reason (`requestExtension`, D78). */
  | 'REQUEST_EXTENSION'
  /** Answer the customer at first contact; the answer is the reply (`resolveOnSpot`). */
  | 'RESOLVE_ON_SPOT'
  /** End the suspension (`resumeComplaint`). */
  | 'RESUME'
  /** Send a DISPATCHED case back to the unit that sent it (`returnComplaint`). */
  | 'RETURN'
  /** Approve or return a report under review (`reviewReport`). */
  | 'REVIEW_REPORT'
  /** Report up the dispatch chain (`submitReport`). */
  | 'SUBMIT_REPORT'
  /** Pause the case's clocks while waiting for the customer (`suspendComplaint`). */
  | 'SUSPEND'
  /** Withdraw an open case for the customer (`withdrawComplaint`). */
  | 'WITHDRAW';

/** A step on a case that takes at most a note. */
export type ComplaintActionInput = {
  /** The `Complaint.version` you last read; when the case has changed since, the mutation is refused with CONFLICT and changes nothing. Omit it to skip the check. */
  expectedVersion?: number | null | undefined;
  /** The case's global ID (`Complaint.id`). Malformed: VALIDATION; absent or not readable by you: NOT_FOUND (D54, D55). */
  id: string | number;
  /** The reason or remark, up to 5,000 characters; required to return, suspend, withdraw, escalate and for a supervision note (D57). Kept beside the event, served as `ComplaintEvent.note` (D51). */
  note?: string | null | undefined;
};

/** Where a case is in its lifecycle (D3 table). Open: RECEIVED through REPLIED; CLOSED, REJECTED and WITHDRAWN wait for the archive; ARCHIVED is final. */
export type ComplaintStatus =
  /** Accepted and classified (line, category, severity), at the province, waiting to be dispatched. */
  | 'ACCEPTED'
  /** Final: readable by those allowed, never changed again (D15). */
  | 'ARCHIVED'
  /** Called back satisfied, basically satisfied or unreachable; waiting for the archive (a second callback may still be recorded, D14). */
  | 'CLOSED'
  /** Sent to a city or centre (or delegated by a city to a county), waiting for the receiving unit to acknowledge or return it. */
  | 'DISPATCHED'
  /** Being worked by the handling unit: investigations, the responsibility finding, then its report. */
  | 'INVESTIGATING'
  /** A city's report, waiting for the city's department leader to confirm it (D11). */
  | 'PENDING_APPROVAL'
  /** A report waiting for review: by the city for a county's report, by the province for a city's or a centre's (D11). */
  | 'PENDING_REVIEW'
  /** Registered, waiting for the province acceptance centre to accept or reject it (ACCEPT clock, 24 hours). */
  | 'RECEIVED'
  /** Not accepted, with a reason (D8); still owes the customer an answer before it may be archived (D10). */
  | 'REJECTED'
  /** The customer has been answered; waiting for the callback (D14). */
  | 'REPLIED'
  /** The province approved the report; the acceptance centre owes the customer the reply (REPLY clock, 24 hours). */
  | 'RESOLVED'
  /** The customer (or the submitting partner) withdrew it; waiting for the archive. */
  | 'WITHDRAWN';

/** A contact with the customer, or the reply. */
export type ContactCustomerInput = {
  /** What the customer was told, up to 5,000 characters. */
  content: string;
  /** The `Complaint.version` you last read; when the case has changed since, the mutation is refused with CONFLICT and changes nothing. Omit it to skip the check. */
  expectedVersion?: number | null | undefined;
  /** The case's global ID (`Complaint.id`). Malformed: VALIDATION; absent or not readable by you: NOT_FOUND (D54, D55). */
  id: string | number;
  /** How it reached the customer. */
  method: ContactMethod;
  /** It answers the customer's request (D23): stops ANSWER. A reply always does; a progress note does not. */
  substantive?: boolean | null | undefined;
};

/** What a customer's contact is (D70: 咨询、查询、投诉、业务受理、障碍申告). */
export type ContactKind =
  /** A business request (业务受理): answered within 24 hours (D71). */
  | 'BUSINESS_REQUEST'
  /** A complaint (投诉): the lifecycle of DOMAIN §3. */
  | 'COMPLAINT'
  /** A consultation (咨询): answered within 4 hours (D71). */
  | 'CONSULTATION'
  /** A big customer's or internet café's fault report (障碍申告): repaired against the REPAIR clock (D72). */
  | 'FAULT_REPORT'
  /** A query (查询), e.g. about a bill or a service: answered within 24 hours (D71). */
  | 'QUERY';

/** How a contact or reply reached the customer. */
export type ContactMethod =
  /** By email. */
  | 'EMAIL'
  /** By letter. */
  | 'LETTER'
  /** By phone. */
  | 'PHONE'
  /** By text message. */
  | 'SMS';

/** The customer, personal data: stored in full, shown masked to those who do not work the case (D50). */
export type CustomerInput = {
  /** The account or service number the complaint is about. */
  accountNumber?: string | null | undefined;
  /** The address; it also decides which city the case is suggested for (D34). */
  address?: string | null | undefined;
  /** The customer's name (not blank). */
  name: string;
  /** A contact phone: 5–15 digits once spaces and hyphens are removed, optionally after + (D57). */
  phone: string;
};

/** A yes or no on a report or an escalation. */
export type DecisionInput = {
  /** True approves (or confirms); false sends the report back or declines the escalation. */
  approve: boolean;
  /** The `Complaint.version` you last read; when the case has changed since, the mutation is refused with CONFLICT and changes nothing. Omit it to skip the check. */
  expectedVersion?: number | null | undefined;
  /** The case's global ID (`Complaint.id`). Malformed: VALIDATION; absent or not readable by you: NOT_FOUND (D54, D55). */
  id: string | number;
  /** The reason, up to 5,000 characters; required when `approve` is false (D57). */
  note?: string | null | undefined;
};

/** The responsibility finding (D12). */
export type DetermineResponsibilityInput = {
  /** The root-cause code, one of `rootCauses` (the base list or the case’s own line’s); OTHER when not given. D79 */
  cause?: string | null | undefined;
  /** The `Complaint.version` you last read; when the case has changed since, the mutation is refused with CONFLICT and changes nothing. Omit it to skip the check. */
  expectedVersion?: number | null | undefined;
  /** The case's global ID (`Complaint.id`). Malformed: VALIDATION; absent or not readable by you: NOT_FOUND (D54, D55). */
  id: string | number;
  /** Whether the complaint is justified. */
  nature: FindingNature;
  /** What the responsible unit should put right, up to 5,000 characters. */
  rectification?: string | null | undefined;
  /** What the customer is given. */
  remedy: RemedyInput;
  /** The person found responsible, free text, if any. */
  responsiblePerson?: string | null | undefined;
  /** The global ID of the unit found responsible, if any. */
  responsibleUnitId?: string | number | null | undefined;
  /** The root cause, free text up to 5,000 characters. */
  rootCause: string;
};

/** Where a case is sent and by when its report is due. */
export type DispatchComplaintInput = {
  /** When the unit's report is due (ASSIGNMENT clock): in the future and not after RESOLVE's due time, else VALIDATION (D57). */
  deadline: string;
  /** The `Complaint.version` you last read; when the case has changed since, the mutation is refused with CONFLICT and changes nothing. Omit it to skip the check. */
  expectedVersion?: number | null | undefined;
  /** The case's global ID (`Complaint.id`). Malformed: VALIDATION; absent or not readable by you: NOT_FOUND (D54, D55). */
  id: string | number;
  /** Instructions for the receiving unit, up to 5,000 characters. */
  note?: string | null | undefined;
  /** The receiving unit: a CITY or CENTER of the province when dispatching, a COUNTY of the city when delegating; another level, or a closed unit, is FORBIDDEN (D7, D1a). */
  toUnitId: string | number;
};

/**
 * Errors. Two kinds reach a client (D55).
 *
 * **User errors** are answers: a mutation returns `userErrors { code field message }` with one of these codes, and a refused mutation changed nothing. A complaint mutation checks from the coarsest to the finest and reports the first failure: VALIDATION (a malformed ID) → NOT_FOUND → ARCHIVED → FORBIDDEN (roles that never do this step) → CONFLICT → INVALID_TRANSITION → FORBIDDEN (not this viewer or target now) → VALIDATION (the input, with its `field` path).
 *
 * **GraphQL errors** refuse the whole operation: they come in `errors` with `extensions.code`, and no data:
 * - UNAUTHENTICATED (HTTP 401): no valid token or partner API key (`extensions.reason` says why, e.g. CREDENTIALS_MISSING); only `login`, `{ __typename }` and, outside production, introspection run without one. Send the token from `login` as `Authorization: Bearer <token>`.
 * - FORBIDDEN: an operation this kind of viewer may never use: a partner calling a staff mutation, statistics, exports or `personalDataReads`, or the `complaints` filters `unitId`, `escalated`, `overdue`; staff calling `submitInterconnectionComplaint`.
 * - RATE_LIMITED (HTTP 429, a `Retry-After` header and `extensions.retryAfter` in seconds): too many operations per second for this partner key or user, on this server instance.
 * - VALIDATION (HTTP 400 when before execution): a request outside the input limits: a page size (`first`, `last`) outside 1–100, `nodes` with more than 100 IDs, a `login` repeated in one request, variables holding a list over 1,000 entries or nested deeper than 32 (D57).
 * - QUERY_TOO_COMPLEX (HTTP 400): a document deeper than 10 levels, with more than 15 aliases, over 2,000 tokens or over the cost limit, refused before it runs, over HTTP and WebSocket alike (D57).
 * - PAYLOAD_TOO_LARGE (HTTP 413): a request body over 1 MiB (D57).
 * - TOO_MANY_SUBSCRIPTIONS: over 20 subscriptions on one WebSocket, or over the per-viewer limit of live subscriptions on one instance.
 * - SLOW_CONSUMER: a subscriber that does not read fast enough: the subscription ends; reconnect and resume with `after` from the last cursor.
 * - SERVICE_UNAVAILABLE (HTTP 503, `extensions.retryable`, `retryAfter` 1 s): the database is away for a moment; retry shortly.
 * - INTERNAL_SERVER_ERROR: a fault of ours; `extensions.errorId` is also in the server log: quote it.
 */
export type ErrorCode =
  /** The case is archived and can no longer change (D15). */
  | 'ARCHIVED'
  /** `expectedVersion` is stale: someone changed the case since you read it; reload it and try again (D55). */
  | 'CONFLICT'
  /** Not for this viewer: their roles never do this step, or not on this case, unit or target now (another unit, not the caller-back, a county as dispatch target, a closed unit) (D53, D55, D7). */
  | 'FORBIDDEN'
  /** A partner reused an idempotency key with a different payload (D40). */
  | 'IDEMPOTENCY_MISMATCH'
  /** Not possible from the case's current state or facts: a report with no finding, resuming a case that is not suspended, a callback nobody owes (D55). */
  | 'INVALID_TRANSITION'
  /** No such case, or one the viewer may not read: the two are never told apart (D54). */
  | 'NOT_FOUND'
  /** The input is wrong (a malformed ID, a text too long, a deadline too late, details that do not match the line); `field` is its path, e.g. ["input", "details", "imei"] (D55, D57). */
  | 'VALIDATION';

/** Whether the complaint was justified, as the handling unit found (D12). */
export type FindingNature =
  /** The complaint is not justified (D12). */
  | 'INVALID'
  /** The complaint is partly justified (D12). */
  | 'PARTIALLY_VALID'
  /** The complaint is justified (D12). */
  | 'VALID';

/** A partner carrier's interconnection complaint (D40). */
export type InterconnectionComplaintInput = {
  /** A category code of the interconnection line: CALL_COMPLETION, SMS_BLOCKING, NUMBER_PORTABILITY, SETTLEMENT, or a base category. */
  category: string;
  /** When the customer got in touch; defaults to now. Not in the future. */
  contactAt?: string | null | undefined;
  /** The customer affected (personal data, D50). */
  customer: CustomerInput;
  /** What the complaint is about, 1–10,000 characters (D57). */
  description: string;
  /** The line's details (callingNumber, calledNumber, occurredAt, trunkId, partnerTicketId), matching `BusinessLine.detailsSchema` (D58). */
  details?: unknown;
  /** Same key and same payload: the same complaint comes back. Same key, other payload: IDEMPOTENCY_MISMATCH. */
  idempotencyKey: string;
  /** A short title, 1–200 characters (D57). */
  title: string;
};

/** Which investigation was recorded. */
export type InvestigationKind =
  /** A detailed investigation, recorded as the work goes on. */
  | 'DETAILED'
  /** The first look at the case; stops INITIAL_INVESTIGATION (48 hours). */
  | 'INITIAL';

/** An investigation to record. */
export type RecordInvestigationInput = {
  /** The `Complaint.version` you last read; when the case has changed since, the mutation is refused with CONFLICT and changes nothing. Omit it to skip the check. */
  expectedVersion?: number | null | undefined;
  /** What was found, up to 5,000 characters. */
  findings: string;
  /** The case's global ID (`Complaint.id`). Malformed: VALIDATION; absent or not readable by you: NOT_FOUND (D54, D55). */
  id: string | number;
  /** Initial (stops INITIAL_INVESTIGATION) or detailed. */
  kind: InvestigationKind;
};

/** A new contact to register as a case. */
export type RegisterComplaintInput = {
  /** A `BusinessLine.code`, when already known; may also be set at acceptance. Required when `details` are given. */
  businessLine?: string | null | undefined;
  /** How the customer got in touch; API is reserved to partner submissions (VALIDATION). A HANDLER registers walk-ins only: VISIT or BUSINESS_HALL. */
  channel: Channel;
  /** When the customer got in touch; defaults to now. Not in the future. */
  contactAt?: string | null | undefined;
  /** The customer (personal data, D50). */
  customer: CustomerInput;
  /** What the customer complains about, 1–10,000 characters once trimmed (D57). */
  description: string;
  /** The line's own fields, matching its `BusinessLine.detailsSchema`; unknown keys and wrong types are VALIDATION errors with their path (D58). */
  details?: unknown;
  /** For transfers from above: the transferring body's own deadline (D9). */
  externalDeadline?: string | null | undefined;
  /** The transferring body's own reference, e.g. its ticket number. */
  externalRef?: string | null | undefined;
  /** What the contact is (D70); any staff member registers a consultation, query, request or fault report, through any channel. */
  kind?: ContactKind | null | undefined;
  /** When the event happened (D8): the acceptance window is measured back to it. Not in the future. */
  occurredAt?: string | null | undefined;
  /** Who brings it. Transfers from above (REGULATOR_, GROUP_, GOVERNMENT_TRANSFER) and PARTNER_CARRIER complaints taken down by staff are registered by a LEGAL_OFFICER (FORBIDDEN otherwise) and owned by legal affairs (D9, D41). */
  source?: Source | null | undefined;
  /** A short title, 1–200 characters once trimmed (D57). */
  title: string;
  /** For transfers: who transferred it (D74), e.g. 广东省通信管理局. */
  transferredBy?: string | null | undefined;
};

/** What the customer is given (D12). */
export type RemedyInput = {
  /** Yuan, ≥ 0 with at most 2 decimals (D57); for COMPENSATION and BILL_ADJUSTED. */
  amount?: number | null | undefined;
  /** The kind of remedy. */
  kind: RemedyKind;
};

/** What the customer was given to put things right (D12). */
export type RemedyKind =
  /** An apology. */
  | 'APOLOGY'
  /** The bill was adjusted; `amount` in yuan (D12). */
  | 'BILL_ADJUSTED'
  /** Compensation paid to the customer; `amount` in yuan (D12). */
  | 'COMPENSATION'
  /** An explanation to the customer. */
  | 'EXPLANATION'
  /** Anything else; describe it in the finding. */
  | 'OTHER'
  /** The service was restored or repaired. */
  | 'SERVICE_RESTORED';

/** A staff member's role; each grant binds one to a unit, and reaches that unit's subtree (D3). Partners are not users: they sign in with an API key (D40). */
export type Role =
  /** Agent of the province's complaint acceptance centre: registers, accepts or rejects, dispatches, reviews city and centre reports, replies, calls back and archives (D3, D53). */
  | 'ACCEPTANCE_AGENT'
  /** Manages units, users, partners and the statutory calendar; reads no cases (D54). */
  | 'ADMIN'
  /** Reads a subtree's cases, their event chains, the personal-data read log and the audit records; changes nothing; sees personal data masked (D50, D52). */
  | 'AUDITOR'
  /** Leader of a city's (or county's) handling centre: confirms or sends back its unit's reports and decides its counties' escalations (D11, D53). */
  | 'DEPARTMENT_LEADER'
  /** Watches a subtree live: SLA alerts, the duty briefing, supervision notes; sees personal data masked (D21, D32, D50). */
  | 'DUTY_MANAGER'
  /** Handler of a city, county or centre: registers walk-ins, acknowledges or returns a dispatch, delegates (a city to its counties), investigates, determines responsibility, submits reports, reviews its counties' reports, calls back where the rules say (D3, D14). */
  | 'HANDLER'
  /** Officer of the province regulatory & legal affairs department: owns transfers from the regulator, group or government and partner cases, may act wherever an acceptance agent may, decides escalations of cities and centres, adds supervision notes (D3, D9, D41). */
  | 'LEGAL_OFFICER';

/** How serious the case is, set at acceptance (D4, D13). */
export type Severity =
  /** Major: reported at once to the legal affairs department and the duty managers who read it, and supervised (D13). */
  | 'MAJOR'
  /** An ordinary complaint. */
  | 'ORDINARY'
  /** Urgent: like MAJOR, to be acted on first (D13). */
  | 'URGENT';

/** Which threshold a clock crossed. */
export type SlaAlertKind =
  /** The clock passed its due time. */
  | 'BREACH'
  /** The clock passed 80 % of its budget (configurable). */
  | 'WARNING';

/** Who brought the case: the customer, a body above that transferred it, or a partner carrier (D4, D9). */
export type Source =
  /** The customer complained to the operator directly. */
  | 'CUSTOMER'
  /** Transferred by a government body (e.g. a 12345 hotline); owned by the regulatory & legal affairs department (D9). */
  | 'GOVERNMENT_TRANSFER'
  /** Transferred by the group headquarters; owned by the regulatory & legal affairs department (D9). */
  | 'GROUP_TRANSFER'
  /** Submitted by another carrier through its own mutation (submitInterconnectionComplaint); held by the LEGAL_OFFICER of its province (D40, D41). */
  | 'PARTNER_CARRIER'
  /** Transferred by the telecom regulator; owned by the regulatory & legal affairs department, whose deadline replaces RESOLVE's (D9, D20). */
  | 'REGULATOR_TRANSFER';

export type DutyBriefingQueryVariables = Exact<{ [key: string]: never; }>;


export type DutyBriefingQuery = { dutyBriefing: { overdue: number, majorOpen: number, escalated: number, receivedToday: number, warnings: Array<string>, unit: { code: string, name: string }, openByStatus: Array<{ status: ComplaintStatus, count: number }> } };

export type DutyAlertsSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type DutyAlertsSubscription = { slaAlerts: { cursor: string | null, kind: SlaAlertKind, clock: ClockKind, at: string, dueAt: string, complaint: { number: string, status: ComplaintStatus, severity: Severity | null } } };

export type DutyEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DutyEventsSubscription = { complaintEvents: { action: string, at: string, toStatus: ComplaintStatus | null, complaint: { number: string } } };

export type ExampleLoginMutationVariables = Exact<{
  username: string;
  password: string;
}>;


export type ExampleLoginMutation = { login: { token: string | null, userErrors: Array<{ code: ErrorCode, message: string }> } };

export type PartnerEventFragment = { cursor: string, action: string, at: string, toStatus: ComplaintStatus | null, complaint: { number: string } };

export type PartnerMeQueryVariables = Exact<{ [key: string]: never; }>;


export type PartnerMeQuery = { me:
    | { __typename: 'Partner', name: string, carrierCode: string, province: { code: string } }
    | { __typename: 'User' }
   | null };

export type PartnerSubmitMutationVariables = Exact<{
  input: InterconnectionComplaintInput;
}>;


export type PartnerSubmitMutation = { submitInterconnectionComplaint: { complaint: { id: string, number: string, status: ComplaintStatus } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PartnerEventsQueryVariables = Exact<{
  after?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type PartnerEventsQuery = { complaintEvents: { edges: Array<{ node: { cursor: string, action: string, at: string, toStatus: ComplaintStatus | null, complaint: { number: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type PartnerLiveSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type PartnerLiveSubscription = { complaintEvents: { cursor: string, action: string, at: string, toStatus: ComplaintStatus | null, complaint: { number: string } } };

export type RefusalFragment = { code: ErrorCode, message: string, field: Array<string> | null };

export type CaseStateFragment = { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> };

export type PortalMeQueryVariables = Exact<{ [key: string]: never; }>;


export type PortalMeQuery = { me:
    | { __typename: 'Partner' }
    | { __typename: 'User', username: string, displayName: string, roles: Array<{ role: Role, unit: { code: string } | null }> }
   | null };

export type PortalListQueryVariables = Exact<{
  first: number;
}>;


export type PortalListQuery = { complaints: { totalCount: number, nodes: Array<{ number: string, status: ComplaintStatus, title: string, registeredAt: string }> } };

export type PortalUnitQueryVariables = Exact<{
  code: string;
}>;


export type PortalUnitQuery = { orgUnit: { id: string, name: string } | null };

export type PortalRegisterMutationVariables = Exact<{
  input: RegisterComplaintInput;
}>;


export type PortalRegisterMutation = { registerComplaint: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalAcceptMutationVariables = Exact<{
  input: AcceptComplaintInput;
}>;


export type PortalAcceptMutation = { acceptComplaint: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalDispatchMutationVariables = Exact<{
  input: DispatchComplaintInput;
}>;


export type PortalDispatchMutation = { dispatchComplaint: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalAcknowledgeMutationVariables = Exact<{
  input: ComplaintActionInput;
}>;


export type PortalAcknowledgeMutation = { acknowledgeComplaint: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalInvestigateMutationVariables = Exact<{
  input: RecordInvestigationInput;
}>;


export type PortalInvestigateMutation = { recordInvestigation: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalDetermineMutationVariables = Exact<{
  input: DetermineResponsibilityInput;
}>;


export type PortalDetermineMutation = { determineResponsibility: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalSubmitReportMutationVariables = Exact<{
  input: ComplaintActionInput;
}>;


export type PortalSubmitReportMutation = { submitReport: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalConfirmMutationVariables = Exact<{
  input: DecisionInput;
}>;


export type PortalConfirmMutation = { confirmReport: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalReviewMutationVariables = Exact<{
  input: DecisionInput;
}>;


export type PortalReviewMutation = { reviewReport: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalReplyMutationVariables = Exact<{
  input: ContactCustomerInput;
}>;


export type PortalReplyMutation = { replyToCustomer: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalCallbackMutationVariables = Exact<{
  input: CallbackInput;
}>;


export type PortalCallbackMutation = { recordCallback: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PortalArchiveMutationVariables = Exact<{
  input: ComplaintActionInput;
}>;


export type PortalArchiveMutation = { archiveComplaint: { complaint: { id: string, number: string, status: ComplaintStatus, version: number, viewerActions: Array<ComplaintAction> } | null, userErrors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export const PartnerEventFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PartnerEvent"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ComplaintEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"toStatus"}},{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}}]}}]}}]} as unknown as DocumentNode<PartnerEventFragment, unknown>;
export const RefusalFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<RefusalFragment, unknown>;
export const CaseStateFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<CaseStateFragment, unknown>;
export const DutyBriefingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DutyBriefing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dutyBriefing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"openByStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"majorOpen"}},{"kind":"Field","name":{"kind":"Name","value":"escalated"}},{"kind":"Field","name":{"kind":"Name","value":"receivedToday"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"}}]}}]}}]} as unknown as DocumentNode<DutyBriefingQuery, DutyBriefingQueryVariables>;
export const DutyAlertsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DutyAlerts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slaAlerts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"clock"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"dueAt"}},{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}}]}}]}}]}}]} as unknown as DocumentNode<DutyAlertsSubscription, DutyAlertsSubscriptionVariables>;
export const DutyEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DutyEvents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaintEvents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"toStatus"}},{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}}]}}]}}]}}]} as unknown as DocumentNode<DutyEventsSubscription, DutyEventsSubscriptionVariables>;
export const ExampleLoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ExampleLogin"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"username"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"password"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"username"},"value":{"kind":"Variable","name":{"kind":"Name","value":"username"}}},{"kind":"Argument","name":{"kind":"Name","value":"password"},"value":{"kind":"Variable","name":{"kind":"Name","value":"password"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ExampleLoginMutation, ExampleLoginMutationVariables>;
export const PartnerMeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerMe"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Partner"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"carrierCode"}},{"kind":"Field","name":{"kind":"Name","value":"province"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PartnerMeQuery, PartnerMeQueryVariables>;
export const PartnerSubmitDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PartnerSubmit"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InterconnectionComplaintInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"submitInterconnectionComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}}]} as unknown as DocumentNode<PartnerSubmitMutation, PartnerSubmitMutationVariables>;
export const PartnerEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaintEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PartnerEvent"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PartnerEvent"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ComplaintEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"toStatus"}},{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}}]}}]}}]} as unknown as DocumentNode<PartnerEventsQuery, PartnerEventsQueryVariables>;
export const PartnerLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PartnerLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaintEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PartnerEvent"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PartnerEvent"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ComplaintEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"toStatus"}},{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}}]}}]}}]} as unknown as DocumentNode<PartnerLiveSubscription, PartnerLiveSubscriptionVariables>;
export const PortalMeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PortalMe"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"unit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<PortalMeQuery, PortalMeQueryVariables>;
export const PortalListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PortalList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"registeredAt"}}]}}]}}]}}]} as unknown as DocumentNode<PortalListQuery, PortalListQueryVariables>;
export const PortalUnitDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PortalUnit"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orgUnit"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<PortalUnitQuery, PortalUnitQueryVariables>;
export const PortalRegisterDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalRegister"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterComplaintInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalRegisterMutation, PortalRegisterMutationVariables>;
export const PortalAcceptDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalAccept"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AcceptComplaintInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acceptComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalAcceptMutation, PortalAcceptMutationVariables>;
export const PortalDispatchDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalDispatch"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DispatchComplaintInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dispatchComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalDispatchMutation, PortalDispatchMutationVariables>;
export const PortalAcknowledgeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalAcknowledge"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ComplaintActionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acknowledgeComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalAcknowledgeMutation, PortalAcknowledgeMutationVariables>;
export const PortalInvestigateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalInvestigate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordInvestigationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordInvestigation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalInvestigateMutation, PortalInvestigateMutationVariables>;
export const PortalDetermineDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalDetermine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DetermineResponsibilityInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"determineResponsibility"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalDetermineMutation, PortalDetermineMutationVariables>;
export const PortalSubmitReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalSubmitReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ComplaintActionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"submitReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalSubmitReportMutation, PortalSubmitReportMutationVariables>;
export const PortalConfirmDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalConfirm"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DecisionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"confirmReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalConfirmMutation, PortalConfirmMutationVariables>;
export const PortalReviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalReview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DecisionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalReviewMutation, PortalReviewMutationVariables>;
export const PortalReplyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalReply"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactCustomerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replyToCustomer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalReplyMutation, PortalReplyMutationVariables>;
export const PortalCallbackDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalCallback"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CallbackInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordCallback"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalCallbackMutation, PortalCallbackMutationVariables>;
export const PortalArchiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalArchive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ComplaintActionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"archiveComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Refusal"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Refusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]} as unknown as DocumentNode<PortalArchiveMutation, PortalArchiveMutationVariables>;