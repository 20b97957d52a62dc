// A staff portal's calls, step by step: sign in, list cases, then work one case through its whole lifecycle,
// each step by the demo user whose role does it (docs/domain.md "Roles and who does which step"):
// register → accept → dispatch to the city → acknowledge → investigate → determine responsibility →
// submit the report → the city leader confirms → the province approves → reply → callback → archive.
//
//   npm run example:portal            (against `npm start`; GRAPHQL_URL, EXAMPLE_PASSWORD, PORTAL_* override)
import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import type { GraphQLClient } from 'graphql-request';
import type { CaseStateFragment } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { detail, run, say, signIn } from './lib.js';

const AGENT = process.env.PORTAL_AGENT ?? 'gd.agent'; // ACCEPTANCE_AGENT of the province
const HANDLER = process.env.PORTAL_HANDLER ?? 'gz.handler'; // HANDLER of the city the case goes to
const LEADER = process.env.PORTAL_LEADER ?? 'gz.leader'; // DEPARTMENT_LEADER of that city
const CITY = process.env.PORTAL_CITY ?? 'GD-GZ';

graphql(`
  fragment Refusal on UserError { code message field }
`);

graphql(`
  fragment CaseState on Complaint { id number status version viewerActions }
`);

const Me = graphql(`
  query PortalMe {
    me {
      __typename
      ... on User { username displayName roles { role unit { code } } }
    }
  }
`);

const List = graphql(`
  query PortalList($first: Int!) {
    complaints(first: $first) { totalCount nodes { number status title registeredAt } }
  }
`);

const Unit = graphql(`
  query PortalUnit($code: String!) {
    orgUnit(code: $code) { id name }
  }
`);

const Register = graphql(`
  mutation PortalRegister($input: RegisterComplaintInput!) {
    registerComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Accept = graphql(`
  mutation PortalAccept($input: AcceptComplaintInput!) {
    acceptComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Dispatch = graphql(`
  mutation PortalDispatch($input: DispatchComplaintInput!) {
    dispatchComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Acknowledge = graphql(`
  mutation PortalAcknowledge($input: ComplaintActionInput!) {
    acknowledgeComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Investigate = graphql(`
  mutation PortalInvestigate($input: RecordInvestigationInput!) {
    recordInvestigation(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Determine = graphql(`
  mutation PortalDetermine($input: DetermineResponsibilityInput!) {
    determineResponsibility(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Submit = graphql(`
  mutation PortalSubmitReport($input: ComplaintActionInput!) {
    submitReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Confirm = graphql(`
  mutation PortalConfirm($input: DecisionInput!) {
    confirmReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Review = graphql(`
  mutation PortalReview($input: DecisionInput!) {
    reviewReport(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Reply = graphql(`
  mutation PortalReply($input: ContactCustomerInput!) {
    replyToCustomer(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Callback = graphql(`
  mutation PortalCallback($input: CallbackInput!) {
    recordCallback(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

const Archive = graphql(`
  mutation PortalArchive($input: ComplaintActionInput!) {
    archiveComplaint(input: $input) { complaint { ...CaseState } userErrors { ...Refusal } }
  }
`);

type Payload = {
  complaint?: CaseStateFragment | null;
  userErrors: { code: string; message: string; field?: string[] | null }[];
};

/** A mutation's payload: the case as it is now, or the user errors it was refused with (D55) as an exception. */
function done(what: string, p: Payload): CaseStateFragment {
  if (p.userErrors.length || !p.complaint)
    throw new Error(
      `${what} refused: ${p.userErrors.map((e) => `${e.code} ${e.message}`).join('; ')}`,
    );
  detail(`${p.complaint.number} is ${p.complaint.status} (version ${p.complaint.version})`);
  return p.complaint;
}

/**
 * One step on the case: the mutation `field` of `document` with the case's id and the version it was
 * read at (optimistic locking: a step on a stale case is refused), plus the step's own input.
 */
async function act<
  // biome-ignore lint/suspicious/noExplicitAny: any mutation document; its own types check each call
  D extends TypedDocumentNode<any, any>,
>(
  client: GraphQLClient,
  document: D,
  field: keyof ResultOf<D> & string,
  c: CaseStateFragment,
  input: Omit<VariablesOf<D>['input'], 'id' | 'expectedVersion'>,
): Promise<CaseStateFragment> {
  const variables = { input: { ...input, id: c.id, expectedVersion: c.version } };
  const data: ResultOf<D> = await client.request<ResultOf<D>, object>(document, variables);
  return done(field, data[field] as Payload);
}

async function who(client: GraphQLClient) {
  const { me } = await client.request(Me);
  return me?.__typename === 'User'
    ? `${me.username} (${me.roles.map((r) => `${r.role} @ ${r.unit?.code ?? '-'}`).join(', ')})`
    : String(me?.__typename);
}

async function main() {
  say(`Sign in as ${AGENT}`);
  const agent = (await signIn(AGENT)).client;
  detail(`signed in: ${await who(agent)}`);

  say('List the newest cases this user reads');
  const { complaints } = await agent.request(List, { first: 5 });
  detail(
    complaints.totalCount ? `${complaints.totalCount} cases in all; the newest:` : 'no cases yet',
  );
  for (const c of complaints.nodes) detail(`  ${c.number}  ${c.status.padEnd(13)} ${c.title}`);

  say('Register a complaint taken on the phone');
  const registered = await agent.request(Register, {
    input: {
      channel: 'PHONE',
      title: 'No signal at home (portal example)',
      description: 'Since Monday the phone shows no signal in the flat.',
      customer: { name: '张三', phone: '13812345678', address: '广东省广州市天河区体育西路1号' },
    },
  });
  let c = done('registerComplaint', registered.registerComplaint);
  detail(`next steps for ${AGENT}: ${c.viewerActions.join(', ')}`);

  say('Accept it: business line, category and severity');
  c = await act(agent, Accept, 'acceptComplaint', c, {
    businessLine: 'mobile',
    category: 'NETWORK_TECHNICAL',
    severity: 'ORDINARY',
  });

  say(`Dispatch it to ${CITY} with a deadline five days out`);
  const { orgUnit } = await agent.request(Unit, { code: CITY });
  if (!orgUnit) throw new Error(`no unit ${CITY}`);
  const deadline = new Date(Date.now() + 5 * 24 * 3_600_000).toISOString();
  c = await act(agent, Dispatch, 'dispatchComplaint', c, { toUnitId: orgUnit.id, deadline });

  say(`Sign in as ${HANDLER}, the city's handler, and acknowledge the case`);
  const handler = (await signIn(HANDLER)).client;
  c = await act(handler, Acknowledge, 'acknowledgeComplaint', c, {});

  say('Record what the investigation found');
  c = await act(handler, Investigate, 'recordInvestigation', c, {
    kind: 'INITIAL',
    findings: 'Cell GZ-0042 was down for maintenance.',
  });

  say('Determine responsibility and the remedy');
  c = await act(handler, Determine, 'determineResponsibility', c, {
    nature: 'VALID',
    rootCause: 'Maintenance without notice',
    remedy: { kind: 'COMPENSATION', amount: 20 },
  });

  say('Submit the report');
  c = await act(handler, Submit, 'submitReport', c, {});

  say(`Sign in as ${LEADER}, the city's department leader, and confirm the report`);
  const leader = (await signIn(LEADER)).client;
  c = await act(leader, Confirm, 'confirmReport', c, { approve: true });

  say(`Back as ${AGENT}: the province approves the report`);
  c = await act(agent, Review, 'reviewReport', c, { approve: true });

  say('Reply to the customer');
  c = await act(agent, Reply, 'replyToCustomer', c, {
    method: 'PHONE',
    content: 'The cell is back; 20 yuan credited.',
  });

  say('Record the callback: the customer is satisfied');
  c = await act(agent, Callback, 'recordCallback', c, { result: 'SATISFIED' });

  say('Archive the case');
  c = await act(agent, Archive, 'archiveComplaint', c, {});
  console.log(`Done: ${c.number} went through its lifecycle to ${c.status}.`);
}

run(main);
