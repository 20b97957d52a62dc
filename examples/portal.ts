// A staff portal's calls, step by step: sign in, list cases, then work one case through its whole lifecycle,
// each step by the demo user whose role does it (docs/domain.md "Roles and who does which step"):
// register → accept → dispatch to the city → acknowledge → investigate → determine responsibility →
// submit the report → the city leader confirms → the province approves → reply → callback → archive.
//
//   npm run example:portal            (against `npm start`; GRAPHQL_URL, EXAMPLE_PASSWORD, PORTAL_* override)
import type { GraphQLClient } from 'graphql-request';
import type { CaseStateFragment } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { detail, run, say, signIn } from './lib.js';

const AGENT = process.env.PORTAL_AGENT ?? 'gd.agent'; // ACCEPTANCE_AGENT of the province
const HANDLER = process.env.PORTAL_HANDLER ?? 'gz.handler'; // HANDLER of the city the case goes to
const LEADER = process.env.PORTAL_LEADER ?? 'gz.leader'; // DEPARTMENT_LEADER of that city
const CITY = process.env.PORTAL_CITY ?? 'GD-GZ';

graphql(`
  fragment CaseState on Complaint {
    id
    number
    status
    version
    viewerActions
  }
`);

const Me = graphql(`
  query PortalMe {
    me {
      __typename
      ... on User {
        username
        displayName
        roles {
          role
          unit {
            code
          }
        }
      }
    }
  }
`);

const List = graphql(`
  query PortalList($first: Int!) {
    complaints(first: $first) {
      totalCount
      nodes {
        number
        status
        title
        registeredAt
      }
    }
  }
`);

const Unit = graphql(`
  query PortalUnit($code: String!) {
    orgUnit(code: $code) {
      id
      name
    }
  }
`);

const Register = graphql(`
  mutation PortalRegister($input: RegisterComplaintInput!) {
    registerComplaint(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Accept = graphql(`
  mutation PortalAccept($input: AcceptComplaintInput!) {
    acceptComplaint(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Dispatch = graphql(`
  mutation PortalDispatch($input: DispatchComplaintInput!) {
    dispatchComplaint(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Acknowledge = graphql(`
  mutation PortalAcknowledge($input: ComplaintActionInput!) {
    acknowledgeComplaint(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Investigate = graphql(`
  mutation PortalInvestigate($input: RecordInvestigationInput!) {
    recordInvestigation(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Determine = graphql(`
  mutation PortalDetermine($input: DetermineResponsibilityInput!) {
    determineResponsibility(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Submit = graphql(`
  mutation PortalSubmitReport($input: ComplaintActionInput!) {
    submitReport(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Confirm = graphql(`
  mutation PortalConfirm($input: DecisionInput!) {
    confirmReport(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Review = graphql(`
  mutation PortalReview($input: DecisionInput!) {
    reviewReport(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Reply = graphql(`
  mutation PortalReply($input: ContactCustomerInput!) {
    replyToCustomer(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Callback = graphql(`
  mutation PortalCallback($input: CallbackInput!) {
    recordCallback(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Archive = graphql(`
  mutation PortalArchive($input: ComplaintActionInput!) {
    archiveComplaint(input: $input) {
      complaint {
        ...CaseState
      }
      userErrors {
        code
        message
        field
      }
    }
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
  let c = done(
    'registerComplaint',
    (
      await agent.request(Register, {
        input: {
          channel: 'PHONE',
          title: 'No signal at home (portal example)',
          description: 'Since Monday the phone shows no signal in the flat.',
          customer: {
            name: '张三',
            phone: '13812345678',
            address: '广东省广州市天河区体育西路1号',
          },
        },
      })
    ).registerComplaint,
  );
  detail(`next steps for ${AGENT}: ${c.viewerActions.join(', ')}`);

  say('Accept it: business line, category and severity');
  c = done(
    'acceptComplaint',
    (
      await agent.request(Accept, {
        input: {
          id: c.id,
          businessLine: 'mobile',
          category: 'NETWORK_TECHNICAL',
          severity: 'ORDINARY',
          expectedVersion: c.version,
        },
      })
    ).acceptComplaint,
  );

  say(`Dispatch it to ${CITY} with a deadline five days out`);
  const { orgUnit } = await agent.request(Unit, { code: CITY });
  if (!orgUnit) throw new Error(`no unit ${CITY}`);
  const deadline = new Date(Date.now() + 5 * 24 * 3_600_000).toISOString();
  c = done(
    'dispatchComplaint',
    (
      await agent.request(Dispatch, {
        input: { id: c.id, toUnitId: orgUnit.id, deadline, expectedVersion: c.version },
      })
    ).dispatchComplaint,
  );

  say(`Sign in as ${HANDLER}, the city's handler, and acknowledge the case`);
  const handler = (await signIn(HANDLER)).client;
  c = done(
    'acknowledgeComplaint',
    (await handler.request(Acknowledge, { input: { id: c.id, expectedVersion: c.version } }))
      .acknowledgeComplaint,
  );

  say('Record what the investigation found');
  c = done(
    'recordInvestigation',
    (
      await handler.request(Investigate, {
        input: {
          id: c.id,
          kind: 'INITIAL',
          findings: 'Cell GZ-0042 was down for maintenance.',
          expectedVersion: c.version,
        },
      })
    ).recordInvestigation,
  );

  say('Determine responsibility and the remedy');
  c = done(
    'determineResponsibility',
    (
      await handler.request(Determine, {
        input: {
          id: c.id,
          nature: 'VALID',
          rootCause: 'Maintenance without notice',
          remedy: { kind: 'COMPENSATION', amount: 20 },
          expectedVersion: c.version,
        },
      })
    ).determineResponsibility,
  );

  say('Submit the report');
  c = done(
    'submitReport',
    (await handler.request(Submit, { input: { id: c.id, expectedVersion: c.version } }))
      .submitReport,
  );

  say(`Sign in as ${LEADER}, the city's department leader, and confirm the report`);
  const leader = (await signIn(LEADER)).client;
  c = done(
    'confirmReport',
    (
      await leader.request(Confirm, {
        input: { id: c.id, approve: true, expectedVersion: c.version },
      })
    ).confirmReport,
  );

  say(`Back as ${AGENT}: the province approves the report`);
  c = done(
    'reviewReport',
    (
      await agent.request(Review, {
        input: { id: c.id, approve: true, expectedVersion: c.version },
      })
    ).reviewReport,
  );

  say('Reply to the customer');
  c = done(
    'replyToCustomer',
    (
      await agent.request(Reply, {
        input: {
          id: c.id,
          method: 'PHONE',
          content: 'The cell is back; 20 yuan credited.',
          expectedVersion: c.version,
        },
      })
    ).replyToCustomer,
  );

  say('Record the callback: the customer is satisfied');
  c = done(
    'recordCallback',
    (
      await agent.request(Callback, {
        input: { id: c.id, result: 'SATISFIED', expectedVersion: c.version },
      })
    ).recordCallback,
  );

  say('Archive the case');
  c = done(
    'archiveComplaint',
    (await agent.request(Archive, { input: { id: c.id, expectedVersion: c.version } }))
      .archiveComplaint,
  );
  console.log(`Done: ${c.number} went through its lifecycle to ${c.status}.`);
}

run(main);
