import type { App } from '../../src/server/app.js';

export type GqlResult<T = any> = { status: number; data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** One GraphQL request through the app in-process (yoga.fetch), as a portal would send it. */
export async function gql<T = any>(
  app: App,
  query: string,
  variables: Record<string, unknown> = {},
  auth: { token?: string; apiKey?: string } = {},
): Promise<GqlResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.apiKey) headers['x-api-key'] = auth.apiKey;
  const res = await app.yoga.fetch('http://test/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as GqlResult<T>;
  return { ...body, status: res.status };
}
