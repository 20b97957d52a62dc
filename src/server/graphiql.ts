import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * Issue 26: what a newcomer sees on opening GraphiQL (outside production):
 * a first tab that signs in, with the steps to follow written in it, and a
 * second tab that reads with the token, its headers already laid out. Tabs a
 * user has opened before are kept by the browser and win over these.
 */
export const LOGIN_TAB = `# Welcome to the complaint platform's GraphQL API.
#
# 1. Run this mutation (the ▶ button). With the demo data every demo user's
#    password is "demo-password" (the server printed the usernames at start);
#    the administrator is admin / admin-demo-password unless ADMIN_PASSWORD
#    was set.
# 2. Copy the token from the answer.
# 3. Every other operation needs it in the Authorization header, as
#      { "Authorization": "Bearer <token>" }
#    (the Headers pane below the editor; the second tab has it laid out).
#    Partner carriers send { "X-API-Key": "cpk_…" } instead.
#
# The rules behind every answer are in docs/domain.md in the repository; the
# Docs pane (top left) describes every type and field.
mutation Login {
  login(username: "gd.agent", password: "demo-password") {
    token
    viewer {
      ... on User { username displayName roles { role unit { code name } } }
    }
    userErrors { code field message }
  }
}
`;

export const MY_CASES_TAB = `# Needs the token from the first tab, in the Headers pane below:
#   { "Authorization": "Bearer <token>" }
# viewerActions lists the steps you may take on each case now (D60).
query MyCases {
  me {
    ... on User { username roles { role unit { code } } }
  }
  complaints(first: 10) {
    totalCount
    edges {
      cursor
      node { number status title severity registeredAt viewerActions }
    }
  }
}
`;

/** The headers template: a JSON object, as GraphiQL's Headers pane takes it. */
export const HEADERS_TEMPLATE = JSON.stringify(
  { Authorization: 'Bearer <paste the token from the Login tab>' },
  null,
  2,
);

export const graphiqlOptions: GraphiQLOptions = {
  title: 'Complaint platform',
  defaultTabs: [
    { query: LOGIN_TAB, headers: '{}' },
    { query: MY_CASES_TAB, headers: HEADERS_TEMPLATE },
  ],
  defaultHeaders: HEADERS_TEMPLATE,
  defaultEditorToolsVisibility: 'headers',
};
