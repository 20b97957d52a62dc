/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query DutyBriefing {\n    dutyBriefing {\n      unit { code name }\n      openByStatus { status count }\n      overdue\n      majorOpen\n      escalated\n      receivedToday\n      warnings\n    }\n  }\n": typeof types.DutyBriefingDocument,
    "\n  subscription DutyAlerts($after: String) {\n    slaAlerts(after: $after) { cursor kind clock at dueAt complaint { number status severity } }\n  }\n": typeof types.DutyAlertsDocument,
    "\n  subscription DutyEvents { complaintEvents { action at toStatus complaint { number } } }\n": typeof types.DutyEventsDocument,
    "\n  mutation ExampleLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ExampleLoginDocument,
    "\n  fragment PartnerEvent on ComplaintEvent { cursor action at toStatus complaint { number } }\n": typeof types.PartnerEventFragmentDoc,
    "\n  query PartnerMe {\n    me {\n      __typename\n      ... on Partner { name carrierCode province { code } }\n    }\n  }\n": typeof types.PartnerMeDocument,
    "\n  mutation PartnerSubmit($input: InterconnectionComplaintInput!) {\n    submitInterconnectionComplaint(input: $input) {\n      complaint { id number status }\n      userErrors { code message field }\n    }\n  }\n": typeof types.PartnerSubmitDocument,
    "\n  query PartnerEvents($after: String, $first: Int) {\n    complaintEvents(after: $after, first: $first) {\n      edges { node { ...PartnerEvent } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.PartnerEventsDocument,
    "\n  subscription PartnerLive($after: String) {\n    complaintEvents(after: $after) { ...PartnerEvent }\n  }\n": typeof types.PartnerLiveDocument,
    "\n  fragment Refusal on UserError { code message field }\n": typeof types.RefusalFragmentDoc,
    "\n  fragment CaseState on Complaint { id number status version viewerActions }\n": typeof types.CaseStateFragmentDoc,
    "\n  query PortalMe {\n    me {\n      __typename\n      ... on User { username displayName roles { role unit { code } } }\n    }\n  }\n": typeof types.PortalMeDocument,
    "\n  query PortalList($first: Int!) {\n    complaints(first: $first) { totalCount nodes { number status title registeredAt } }\n  }\n": typeof types.PortalListDocument,
    "\n  query PortalUnit($code: String!) {\n    orgUnit(code: $code) { id name }\n  }\n": typeof types.PortalUnitDocument,
    "\n  mutation PortalRegister($input: RegisterComplaintInput!) {\n    registerComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalRegisterDocument,
    "\n  mutation PortalAccept($input: AcceptComplaintInput!) {\n    acceptComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalAcceptDocument,
    "\n  mutation PortalDispatch($input: DispatchComplaintInput!) {\n    dispatchComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalDispatchDocument,
    "\n  mutation PortalAcknowledge($input: ComplaintActionInput!) {\n    acknowledgeComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalAcknowledgeDocument,
    "\n  mutation PortalInvestigate($input: RecordInvestigationInput!) {\n    recordInvestigation(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalInvestigateDocument,
    "\n  mutation PortalDetermine($input: DetermineResponsibilityInput!) {\n    determineResponsibility(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalDetermineDocument,
    "\n  mutation PortalSubmitReport($input: ComplaintActionInput!) {\n    submitReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalSubmitReportDocument,
    "\n  mutation PortalConfirm($input: DecisionInput!) {\n    confirmReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalConfirmDocument,
    "\n  mutation PortalReview($input: DecisionInput!) {\n    reviewReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalReviewDocument,
    "\n  mutation PortalReply($input: ContactCustomerInput!) {\n    replyToCustomer(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalReplyDocument,
    "\n  mutation PortalCallback($input: CallbackInput!) {\n    recordCallback(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalCallbackDocument,
    "\n  mutation PortalArchive($input: ComplaintActionInput!) {\n    archiveComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": typeof types.PortalArchiveDocument,
};
const documents: Documents = {
    "\n  query DutyBriefing {\n    dutyBriefing {\n      unit { code name }\n      openByStatus { status count }\n      overdue\n      majorOpen\n      escalated\n      receivedToday\n      warnings\n    }\n  }\n": types.DutyBriefingDocument,
    "\n  subscription DutyAlerts($after: String) {\n    slaAlerts(after: $after) { cursor kind clock at dueAt complaint { number status severity } }\n  }\n": types.DutyAlertsDocument,
    "\n  subscription DutyEvents { complaintEvents { action at toStatus complaint { number } } }\n": types.DutyEventsDocument,
    "\n  mutation ExampleLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.ExampleLoginDocument,
    "\n  fragment PartnerEvent on ComplaintEvent { cursor action at toStatus complaint { number } }\n": types.PartnerEventFragmentDoc,
    "\n  query PartnerMe {\n    me {\n      __typename\n      ... on Partner { name carrierCode province { code } }\n    }\n  }\n": types.PartnerMeDocument,
    "\n  mutation PartnerSubmit($input: InterconnectionComplaintInput!) {\n    submitInterconnectionComplaint(input: $input) {\n      complaint { id number status }\n      userErrors { code message field }\n    }\n  }\n": types.PartnerSubmitDocument,
    "\n  query PartnerEvents($after: String, $first: Int) {\n    complaintEvents(after: $after, first: $first) {\n      edges { node { ...PartnerEvent } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.PartnerEventsDocument,
    "\n  subscription PartnerLive($after: String) {\n    complaintEvents(after: $after) { ...PartnerEvent }\n  }\n": types.PartnerLiveDocument,
    "\n  fragment Refusal on UserError { code message field }\n": types.RefusalFragmentDoc,
    "\n  fragment CaseState on Complaint { id number status version viewerActions }\n": types.CaseStateFragmentDoc,
    "\n  query PortalMe {\n    me {\n      __typename\n      ... on User { username displayName roles { role unit { code } } }\n    }\n  }\n": types.PortalMeDocument,
    "\n  query PortalList($first: Int!) {\n    complaints(first: $first) { totalCount nodes { number status title registeredAt } }\n  }\n": types.PortalListDocument,
    "\n  query PortalUnit($code: String!) {\n    orgUnit(code: $code) { id name }\n  }\n": types.PortalUnitDocument,
    "\n  mutation PortalRegister($input: RegisterComplaintInput!) {\n    registerComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalRegisterDocument,
    "\n  mutation PortalAccept($input: AcceptComplaintInput!) {\n    acceptComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalAcceptDocument,
    "\n  mutation PortalDispatch($input: DispatchComplaintInput!) {\n    dispatchComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalDispatchDocument,
    "\n  mutation PortalAcknowledge($input: ComplaintActionInput!) {\n    acknowledgeComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalAcknowledgeDocument,
    "\n  mutation PortalInvestigate($input: RecordInvestigationInput!) {\n    recordInvestigation(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalInvestigateDocument,
    "\n  mutation PortalDetermine($input: DetermineResponsibilityInput!) {\n    determineResponsibility(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalDetermineDocument,
    "\n  mutation PortalSubmitReport($input: ComplaintActionInput!) {\n    submitReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalSubmitReportDocument,
    "\n  mutation PortalConfirm($input: DecisionInput!) {\n    confirmReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalConfirmDocument,
    "\n  mutation PortalReview($input: DecisionInput!) {\n    reviewReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalReviewDocument,
    "\n  mutation PortalReply($input: ContactCustomerInput!) {\n    replyToCustomer(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalReplyDocument,
    "\n  mutation PortalCallback($input: CallbackInput!) {\n    recordCallback(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalCallbackDocument,
    "\n  mutation PortalArchive($input: ComplaintActionInput!) {\n    archiveComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n": types.PortalArchiveDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DutyBriefing {\n    dutyBriefing {\n      unit { code name }\n      openByStatus { status count }\n      overdue\n      majorOpen\n      escalated\n      receivedToday\n      warnings\n    }\n  }\n"): (typeof documents)["\n  query DutyBriefing {\n    dutyBriefing {\n      unit { code name }\n      openByStatus { status count }\n      overdue\n      majorOpen\n      escalated\n      receivedToday\n      warnings\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DutyAlerts($after: String) {\n    slaAlerts(after: $after) { cursor kind clock at dueAt complaint { number status severity } }\n  }\n"): (typeof documents)["\n  subscription DutyAlerts($after: String) {\n    slaAlerts(after: $after) { cursor kind clock at dueAt complaint { number status severity } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DutyEvents { complaintEvents { action at toStatus complaint { number } } }\n"): (typeof documents)["\n  subscription DutyEvents { complaintEvents { action at toStatus complaint { number } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExampleLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ExampleLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PartnerEvent on ComplaintEvent { cursor action at toStatus complaint { number } }\n"): (typeof documents)["\n  fragment PartnerEvent on ComplaintEvent { cursor action at toStatus complaint { number } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PartnerMe {\n    me {\n      __typename\n      ... on Partner { name carrierCode province { code } }\n    }\n  }\n"): (typeof documents)["\n  query PartnerMe {\n    me {\n      __typename\n      ... on Partner { name carrierCode province { code } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PartnerSubmit($input: InterconnectionComplaintInput!) {\n    submitInterconnectionComplaint(input: $input) {\n      complaint { id number status }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation PartnerSubmit($input: InterconnectionComplaintInput!) {\n    submitInterconnectionComplaint(input: $input) {\n      complaint { id number status }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PartnerEvents($after: String, $first: Int) {\n    complaintEvents(after: $after, first: $first) {\n      edges { node { ...PartnerEvent } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query PartnerEvents($after: String, $first: Int) {\n    complaintEvents(after: $after, first: $first) {\n      edges { node { ...PartnerEvent } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PartnerLive($after: String) {\n    complaintEvents(after: $after) { ...PartnerEvent }\n  }\n"): (typeof documents)["\n  subscription PartnerLive($after: String) {\n    complaintEvents(after: $after) { ...PartnerEvent }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Refusal on UserError { code message field }\n"): (typeof documents)["\n  fragment Refusal on UserError { code message field }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CaseState on Complaint { id number status version viewerActions }\n"): (typeof documents)["\n  fragment CaseState on Complaint { id number status version viewerActions }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PortalMe {\n    me {\n      __typename\n      ... on User { username displayName roles { role unit { code } } }\n    }\n  }\n"): (typeof documents)["\n  query PortalMe {\n    me {\n      __typename\n      ... on User { username displayName roles { role unit { code } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PortalList($first: Int!) {\n    complaints(first: $first) { totalCount nodes { number status title registeredAt } }\n  }\n"): (typeof documents)["\n  query PortalList($first: Int!) {\n    complaints(first: $first) { totalCount nodes { number status title registeredAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PortalUnit($code: String!) {\n    orgUnit(code: $code) { id name }\n  }\n"): (typeof documents)["\n  query PortalUnit($code: String!) {\n    orgUnit(code: $code) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalRegister($input: RegisterComplaintInput!) {\n    registerComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalRegister($input: RegisterComplaintInput!) {\n    registerComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalAccept($input: AcceptComplaintInput!) {\n    acceptComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalAccept($input: AcceptComplaintInput!) {\n    acceptComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalDispatch($input: DispatchComplaintInput!) {\n    dispatchComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalDispatch($input: DispatchComplaintInput!) {\n    dispatchComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalAcknowledge($input: ComplaintActionInput!) {\n    acknowledgeComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalAcknowledge($input: ComplaintActionInput!) {\n    acknowledgeComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalInvestigate($input: RecordInvestigationInput!) {\n    recordInvestigation(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalInvestigate($input: RecordInvestigationInput!) {\n    recordInvestigation(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalDetermine($input: DetermineResponsibilityInput!) {\n    determineResponsibility(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalDetermine($input: DetermineResponsibilityInput!) {\n    determineResponsibility(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalSubmitReport($input: ComplaintActionInput!) {\n    submitReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalSubmitReport($input: ComplaintActionInput!) {\n    submitReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalConfirm($input: DecisionInput!) {\n    confirmReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalConfirm($input: DecisionInput!) {\n    confirmReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalReview($input: DecisionInput!) {\n    reviewReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalReview($input: DecisionInput!) {\n    reviewReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalReply($input: ContactCustomerInput!) {\n    replyToCustomer(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalReply($input: ContactCustomerInput!) {\n    replyToCustomer(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalCallback($input: CallbackInput!) {\n    recordCallback(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalCallback($input: CallbackInput!) {\n    recordCallback(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalArchive($input: ComplaintActionInput!) {\n    archiveComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"): (typeof documents)["\n  mutation PortalArchive($input: ComplaintActionInput!) {\n    archiveComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;