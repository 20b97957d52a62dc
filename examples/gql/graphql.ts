/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AcceptComplaintInput = {
  businessLine: string;
  category: string;
  details?: unknown;
  expectedVersion?: number | null | undefined;
  id: string | number;
  /** When the event happened, if not given at registration (D8). Without it: a billing dispute's first day of its billing period, else the contact. */
  occurredAt?: string | null | undefined;
  severity: Severity;
};

export type CallbackInput = {
  expectedVersion?: number | null | undefined;
  id: string | number;
  note?: string | null | undefined;
  result: CallbackResult;
};

export type CallbackResult =
  | 'BASICALLY_SATISFIED'
  | 'SATISFIED'
  | 'UNREACHABLE'
  | 'UNSATISFIED';

export type Channel =
  | 'API'
  | 'APP'
  | 'BUSINESS_HALL'
  | 'EMAIL'
  | 'LETTER'
  | 'ONLINE'
  | 'PHONE'
  | 'SOCIAL_MEDIA'
  | 'VISIT';

export type ClockKind =
  | 'ACCEPT'
  | 'ANSWER'
  | 'ARCHIVE'
  | 'ASSIGNMENT'
  | 'CLOSE'
  | 'INITIAL_INVESTIGATION'
  | 'INITIAL_RESULT'
  | 'RECONTACT'
  | 'REGISTER'
  | 'REPLY'
  | 'RESOLVE';

/** What can be done to a complaint: one value per complaint mutation (D56). */
export type ComplaintAction =
  | 'ACCEPT'
  | 'ACKNOWLEDGE'
  | 'ADD_SUPERVISION_NOTE'
  | 'ARCHIVE'
  | 'CONFIRM_REPORT'
  | 'CONTACT_CUSTOMER'
  | 'DECIDE_ESCALATION'
  | 'DELEGATE'
  | 'DETERMINE_RESPONSIBILITY'
  | 'DISPATCH'
  | 'ESCALATE'
  | 'RECORD_CALLBACK'
  | 'RECORD_INVESTIGATION'
  | 'REGISTER'
  | 'REJECT'
  | 'REPLY_TO_CUSTOMER'
  | 'RESOLVE_ON_SPOT'
  | 'RESUME'
  | 'RETURN'
  | 'REVIEW_REPORT'
  | 'SUBMIT_REPORT'
  | 'SUSPEND'
  | 'WITHDRAW';

export type ComplaintActionInput = {
  expectedVersion?: number | null | undefined;
  id: string | number;
  note?: string | null | undefined;
};

export type ComplaintStatus =
  | 'ACCEPTED'
  | 'ARCHIVED'
  | 'CLOSED'
  | 'DISPATCHED'
  | 'INVESTIGATING'
  | 'PENDING_APPROVAL'
  | 'PENDING_REVIEW'
  | 'RECEIVED'
  | 'REJECTED'
  | 'REPLIED'
  | 'RESOLVED'
  | 'WITHDRAWN';

export type ContactCustomerInput = {
  content: string;
  expectedVersion?: number | null | undefined;
  id: string | number;
  method: ContactMethod;
  /** It answers the customer's request (D23): stops ANSWER. A reply always does; a progress note does not. */
  substantive?: boolean | null | undefined;
};

export type ContactMethod =
  | 'EMAIL'
  | 'LETTER'
  | 'PHONE'
  | 'SMS';

export type CustomerInput = {
  accountNumber?: string | null | undefined;
  address?: string | null | undefined;
  name: string;
  phone: string;
};

export type DecisionInput = {
  approve: boolean;
  expectedVersion?: number | null | undefined;
  id: string | number;
  note?: string | null | undefined;
};

export type DetermineResponsibilityInput = {
  expectedVersion?: number | null | undefined;
  id: string | number;
  nature: FindingNature;
  rectification?: string | null | undefined;
  remedy: RemedyInput;
  responsiblePerson?: string | null | undefined;
  responsibleUnitId?: string | number | null | undefined;
  rootCause: string;
};

export type DispatchComplaintInput = {
  deadline: string;
  expectedVersion?: number | null | undefined;
  id: string | number;
  note?: string | null | undefined;
  toUnitId: string | number;
};

export type ErrorCode =
  | 'ARCHIVED'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'IDEMPOTENCY_MISMATCH'
  | 'INVALID_TRANSITION'
  | 'NOT_FOUND'
  | 'VALIDATION';

export type FindingNature =
  | 'INVALID'
  | 'PARTIALLY_VALID'
  | 'VALID';

export type InterconnectionComplaintInput = {
  category: string;
  contactAt?: string | null | undefined;
  customer: CustomerInput;
  description: string;
  details?: unknown;
  /** Same key and same payload: the same complaint comes back. Same key, other payload: IDEMPOTENCY_MISMATCH. */
  idempotencyKey: string;
  title: string;
};

export type InvestigationKind =
  | 'DETAILED'
  | 'INITIAL';

export type RecordInvestigationInput = {
  expectedVersion?: number | null | undefined;
  findings: string;
  id: string | number;
  kind: InvestigationKind;
};

export type RegisterComplaintInput = {
  businessLine?: string | null | undefined;
  channel: Channel;
  contactAt?: string | null | undefined;
  customer: CustomerInput;
  description: string;
  details?: unknown;
  /** For transfers from above: the transferring body's own deadline (D9). */
  externalDeadline?: string | null | undefined;
  externalRef?: string | null | undefined;
  /** When the event happened (D8): the acceptance window is measured back to it. Not in the future. */
  occurredAt?: string | null | undefined;
  source?: Source | null | undefined;
  title: string;
};

export type RemedyInput = {
  amount?: number | null | undefined;
  kind: RemedyKind;
};

export type RemedyKind =
  | 'APOLOGY'
  | 'BILL_ADJUSTED'
  | 'COMPENSATION'
  | 'EXPLANATION'
  | 'OTHER'
  | 'SERVICE_RESTORED';

export type Role =
  | 'ACCEPTANCE_AGENT'
  | 'ADMIN'
  | 'AUDITOR'
  | 'DEPARTMENT_LEADER'
  | 'DUTY_MANAGER'
  | 'HANDLER'
  | 'LEGAL_OFFICER';

export type Severity =
  | 'MAJOR'
  | 'ORDINARY'
  | 'URGENT';

export type SlaAlertKind =
  | 'BREACH'
  | 'WARNING';

export type Source =
  | 'CUSTOMER'
  | 'GOVERNMENT_TRANSFER'
  | 'GROUP_TRANSFER'
  | 'PARTNER_CARRIER'
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
export const PortalRegisterDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalRegister"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterComplaintInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalRegisterMutation, PortalRegisterMutationVariables>;
export const PortalAcceptDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalAccept"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AcceptComplaintInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acceptComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalAcceptMutation, PortalAcceptMutationVariables>;
export const PortalDispatchDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalDispatch"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DispatchComplaintInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dispatchComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalDispatchMutation, PortalDispatchMutationVariables>;
export const PortalAcknowledgeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalAcknowledge"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ComplaintActionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acknowledgeComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalAcknowledgeMutation, PortalAcknowledgeMutationVariables>;
export const PortalInvestigateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalInvestigate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordInvestigationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordInvestigation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalInvestigateMutation, PortalInvestigateMutationVariables>;
export const PortalDetermineDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalDetermine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DetermineResponsibilityInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"determineResponsibility"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalDetermineMutation, PortalDetermineMutationVariables>;
export const PortalSubmitReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalSubmitReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ComplaintActionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"submitReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalSubmitReportMutation, PortalSubmitReportMutationVariables>;
export const PortalConfirmDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalConfirm"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DecisionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"confirmReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalConfirmMutation, PortalConfirmMutationVariables>;
export const PortalReviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalReview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DecisionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalReviewMutation, PortalReviewMutationVariables>;
export const PortalReplyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalReply"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactCustomerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replyToCustomer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalReplyMutation, PortalReplyMutationVariables>;
export const PortalCallbackDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalCallback"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CallbackInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordCallback"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalCallbackMutation, PortalCallbackMutationVariables>;
export const PortalArchiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalArchive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ComplaintActionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"archiveComplaint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complaint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CaseState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CaseState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Complaint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"viewerActions"}}]}}]} as unknown as DocumentNode<PortalArchiveMutation, PortalArchiveMutationVariables>;