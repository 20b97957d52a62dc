// The vocabulary of the domain (DOMAIN.md §1–§4), as plain constant lists.
// The database enums, the GraphQL enums and the domain code all read these.

export const ROLES = [
  'ADMIN',
  'ACCEPTANCE_AGENT',
  'LEGAL_OFFICER',
  'HANDLER',
  'DEPARTMENT_LEADER',
  'DUTY_MANAGER',
  'AUDITOR',
] as const;
export type Role = (typeof ROLES)[number];

export const ORG_LEVELS = ['PROVINCE', 'CITY', 'COUNTY', 'CENTER'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

export const STATUSES = [
  'RECEIVED',
  'REJECTED',
  'ACCEPTED',
  'DISPATCHED',
  'INVESTIGATING',
  'PENDING_APPROVAL',
  'PENDING_REVIEW',
  'RESOLVED',
  'REPLIED',
  'CLOSED',
  'ARCHIVED',
  'WITHDRAWN',
] as const;
export type Status = (typeof STATUSES)[number];

/** D15: the states a case ends in; retention counts from entering one (ARCHIVED keeps the time). */
export const ENDED_STATUSES = [
  'CLOSED',
  'REJECTED',
  'WITHDRAWN',
] as const satisfies readonly Status[];

/** The states a case is still being worked in: every state but the ended ones and ARCHIVED. */
export const OPEN_STATUSES: readonly Status[] = STATUSES.filter(
  (s) => s !== 'ARCHIVED' && !(ENDED_STATUSES as readonly Status[]).includes(s),
);

export const CHANNELS = [
  'PHONE',
  'EMAIL',
  'LETTER',
  'VISIT',
  'ONLINE',
  'APP',
  'SOCIAL_MEDIA',
  'BUSINESS_HALL',
  'API',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const SOURCES = [
  'CUSTOMER',
  'REGULATOR_TRANSFER',
  'GROUP_TRANSFER',
  'GOVERNMENT_TRANSFER',
  'PARTNER_CARRIER',
] as const;
export type Source = (typeof SOURCES)[number];
export const TRANSFER_SOURCES: readonly Source[] = [
  'REGULATOR_TRANSFER',
  'GROUP_TRANSFER',
  'GOVERNMENT_TRANSFER',
];

export const SEVERITIES = ['ORDINARY', 'MAJOR', 'URGENT'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const BASE_CATEGORIES = [
  { code: 'SERVICE_QUALITY', name: '服务质量 Service quality' },
  { code: 'NETWORK_TECHNICAL', name: '网络技术 Network / technical' },
  { code: 'TARIFF_POLICY', name: '资费政策 Tariff policy' },
  { code: 'PROCESS', name: '业务流程 Process' },
  { code: 'BILLING_DISPUTE', name: '计费争议 Billing dispute' },
] as const;

export const REJECTION_REASONS = [
  'DUPLICATE_CONCLUDED',
  'EXPIRED',
  'NO_DIRECT_INTEREST',
  'INSUFFICIENT_INFORMATION',
  'OUT_OF_SCOPE',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const FINDING_NATURES = ['VALID', 'PARTIALLY_VALID', 'INVALID'] as const;
export type FindingNature = (typeof FINDING_NATURES)[number];

export const REMEDY_KINDS = [
  'COMPENSATION',
  'SERVICE_RESTORED',
  'BILL_ADJUSTED',
  'APOLOGY',
  'EXPLANATION',
  'OTHER',
] as const;
export type RemedyKind = (typeof REMEDY_KINDS)[number];

export const CONTACT_METHODS = ['PHONE', 'SMS', 'EMAIL', 'LETTER'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const CALLBACK_RESULTS = [
  'SATISFIED',
  'BASICALLY_SATISFIED',
  'UNSATISFIED',
  'UNREACHABLE',
] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];

export const INVESTIGATION_KINDS = ['INITIAL', 'DETAILED'] as const;
export type InvestigationKind = (typeof INVESTIGATION_KINDS)[number];

export const CLOCK_KINDS = [
  'REGISTER',
  'ACCEPT',
  'ANSWER',
  'INITIAL_INVESTIGATION',
  'INITIAL_RESULT',
  'RESOLVE',
  'CLOSE',
  'REPLY',
  'RECONTACT',
  'ARCHIVE',
  'ASSIGNMENT',
  /** D75: a rectification's due date (30 working days); its clock rows carry the rectification's id. */
  'RECTIFY',
  /** D76: an incident's written notice, 2 hours after opening (kept on the incident, `Incident.noticeDueAt`). */
  'NOTICE',
  /** D72: a fault report's repair, in place of RESOLVE. */
  'REPAIR',
  /** D73: a supervised case's next progress report. */
  'PROGRESS',
  /** D74: the feedback owed to whoever transferred the case, due at the transfer's own deadline. */
  'FEEDBACK',
] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** D75: a rectification's life: OPEN → DONE → VERIFIED, or REOPENED (back to work with a new due date) → DONE … */
export const RECTIFICATION_STATUSES = ['OPEN', 'DONE', 'VERIFIED', 'REOPENED'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

/** D26: CANCELLED ends a clock whose case left the path its stop belonged to. */
export const CLOCK_STATES = [
  'RUNNING',
  'PAUSED',
  'WARNING',
  'BREACHED',
  'MET',
  'MISSED',
  'CANCELLED',
] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export const ACTIONS = [
  'REGISTER',
  'ACCEPT',
  'REJECT',
  'RESOLVE_ON_SPOT',
  'DISPATCH',
  'ACKNOWLEDGE',
  'RETURN',
  'DELEGATE',
  'RECORD_INVESTIGATION',
  'DETERMINE_RESPONSIBILITY',
  'SUBMIT_REPORT',
  'CONFIRM_REPORT',
  'REVIEW_REPORT',
  'CONTACT_CUSTOMER',
  'REPLY_TO_CUSTOMER',
  'RECORD_CALLBACK',
  'ARCHIVE',
  'WITHDRAW',
  'SUSPEND',
  'RESUME',
  'ESCALATE',
  'DECIDE_ESCALATION',
  'ADD_SUPERVISION_NOTE',
  // DOMAIN §10 (D71, D73, D74, D78)
  'ANSWER_CONTACT',
  'FORWARD_CONTACT',
  'CONVERT_TO_COMPLAINT',
  'OPEN_SUPERVISION',
  'HAND_OVER_SUPERVISION',
  'REPORT_PROGRESS',
  'RECORD_TRANSFER_FEEDBACK',
  'REQUEST_EXTENSION',
  'DECIDE_EXTENSION',
] as const;
export type Action = (typeof ACTIONS)[number];

/** D70: what a customer's contact is (咨询、查询、投诉、业务受理、障碍申告). */
export const CONTACT_KINDS = [
  'COMPLAINT',
  'CONSULTATION',
  'QUERY',
  'BUSINESS_REQUEST',
  'FAULT_REPORT',
] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
/** D71: the kinds answered, forwarded or converted rather than accepted and handled. */
export const ANSWERED_KINDS: readonly ContactKind[] = ['CONSULTATION', 'QUERY', 'BUSINESS_REQUEST'];
/** The kinds that follow the complaint lifecycle (D72: fault reports from ACCEPTED on). */
export const HANDLED_KINDS: readonly ContactKind[] = ['COMPLAINT', 'FAULT_REPORT'];

/** D78: an extension request's state. */
export const EXTENSION_STATUSES = ['PENDING', 'APPROVED', 'DECLINED'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];

export const SYSTEM_ACTIONS = ['SLA_WARNING', 'SLA_BREACH', 'ANONYMISE'] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'FORBIDDEN',
  'INVALID_TRANSITION',
  'CONFLICT',
  'IDEMPOTENCY_MISMATCH',
  'ARCHIVED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
