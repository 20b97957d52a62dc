import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from './gql/index.js';

/**
 * What the examples share: where the server is and who signs in (from the environment, with the demo's
 * defaults: `npm start` prints the same), numbered step lines on stdout, a typed graphql-ws subscription.
 */

/** GRAPHQL_URL, default the URL `npm start` listens on. */
export const GRAPHQL_URL = process.env.GRAPHQL_URL ?? 'http://127.0.0.1:4000/graphql';
/** Every demo user's password (demo/org.ts); EXAMPLE_PASSWORD overrides it. */
export const PASSWORD = process.env.EXAMPLE_PASSWORD ?? 'demo-password';

let step = 0;
/** One numbered step of what the example does. */
export function say(text: string) {
  console.log(`${String(++step).padStart(2)}. ${text}`);
}
/** A detail under the current step. */
export function detail(text: string) {
  console.log(`    ${text}`);
}

const Login = graphql(`
  mutation ExampleLogin($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      token
      userErrors {
        code
        message
      }
    }
  }
`);

/** Signs a staff user in and returns a client that sends the token as `Authorization: Bearer …`. */
export async function signIn(
  username: string,
  password = PASSWORD,
): Promise<{ client: GraphQLClient; token: string }> {
  const { login } = await new GraphQLClient(GRAPHQL_URL).request(Login, { username, password });
  if (!login.token)
    throw new Error(
      `login as ${username} refused: ${login.userErrors.map((e) => `${e.code} ${e.message}`).join('; ')}`,
    );
  return {
    client: new GraphQLClient(GRAPHQL_URL, { headers: { authorization: `Bearer ${login.token}` } }),
    token: login.token,
  };
}

/** A graphql-ws client on the same URL (ws://…); the credentials go in `connection_init`. */
export function socket(connectionParams: Record<string, unknown>): Client {
  return createClient({
    url: GRAPHQL_URL.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    lazy: true,
    retryAttempts: 3,
  });
}

/** A typed subscription: its results one by one, until `signal` aborts (then the subscription completes). */
export async function* subscribe<R, V extends Record<string, unknown>>(
  ws: Client,
  doc: TypedDocumentNode<R, V>,
  variables: V,
  signal: AbortSignal,
): AsyncGenerator<R> {
  const it = ws.iterate<R>({ query: print(doc), variables });
  const stop = () => void it.return?.(undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const r of it) {
      if (r.errors?.length) throw new Error(`subscription error: ${JSON.stringify(r.errors)}`);
      if (r.data) yield r.data as R;
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** Stops after `seconds` (FOLLOW_SECONDS) or earlier by `abort()`. */
export function deadline(seconds: number): AbortController {
  const c = new AbortController();
  setTimeout(() => c.abort(), seconds * 1000).unref();
  return c;
}

/** Runs an example's main: a refused request prints what the server said, and the exit code is 1. */
export function run(main: () => Promise<void>) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      if (e instanceof ClientError)
        console.error(
          `request failed (HTTP ${e.response.status}): ${JSON.stringify(e.response.errors)}`,
        );
      else console.error(e);
      process.exit(1);
    },
  );
}
