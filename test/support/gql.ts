import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import type { App } from '../../src/server/app.js';
import { toGlobalId } from '../../src/wire/global-id.js';
import type { World } from './world.js';

export type GqlResult<T = any> = {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/** One GraphQL request through the app in-process (yoga.fetch), as a portal would send it. */
export async function gql<T = any>(
  app: App,
  query: string,
  variables: Record<string, unknown> = {},
  auth: { token?: string; apiKey?: string } = {},
): Promise<GqlResult<T>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json',
  };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.apiKey) headers['x-api-key'] = auth.apiKey;
  const res = await app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GqlResult<T>;
  return { ...body, status: res.status };
}

/** Who asks: a staff username, 'admin' (the bootstrap administrator), 'partner' (GD) or 'zjPartner'. */
export type As = string;

/** The credentials of a fixture viewer. Tokens are signed at the world clock's current instant. */
export async function authOf(w: World, as: As) {
  if (as === 'partner') return { apiKey: w.partnerKey };
  if (as === 'zjPartner') return { apiKey: w.zjPartnerKey };
  return { token: await w.token(as) };
}

/** One request through the world's app, as `as`. */
export async function q(
  w: World,
  db: Db,
  as: As,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GqlResult> {
  return gql(w.app(db), query, variables, await authOf(w, as));
}

/** A query expected to answer without errors: its data. */
export async function data(
  w: World,
  db: Db,
  as: As,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const res = await q(w, db, as, query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
}

/**
 * A request that must fail as a GraphQL error: its errors. `noData` also
 * requires that it answered no data at all (a refused query, not a partial one).
 */
export async function errorsOf(
  w: World,
  db: Db,
  as: As,
  query: string,
  variables: Record<string, unknown> = {},
  { noData = false } = {},
) {
  const res = await q(w, db, as, query, variables);
  expect(res.errors, `expected a GraphQL error, got ${JSON.stringify(res.data)}`).toBeDefined();
  expect(res.errors!.length).toBeGreaterThan(0);
  if (noData) expect(res.data ?? null).toBeNull();
  return res.errors!;
}

/** The error codes of a request that must fail as a GraphQL error. */
export const errorCodes = async (...args: Parameters<typeof errorsOf>) =>
  (await errorsOf(...args)).map((e) => e.extensions?.code);

/** Global IDs of a complaint row, and of a fixture unit or staff member by code or username. */
export const gid = (c: { id: string }) => toGlobalId('Complaint', c.id);
export const unitGid = (w: World, code: string) => toGlobalId('OrgUnit', w.units[code]!.id);
export const userGid = (w: World, username: string) => toGlobalId('User', w.staff[username]!.id);

const MOVE_UNIT = `mutation ($id: ID!, $parentId: ID!) { moveOrgUnit(input: { id: $id, parentId: $parentId }) { userErrors { code message } } }`;

/** D1a: the admin moves unit `code` under `parent`; the refusals it met (none when it moved). */
export async function moveUnit(w: World, db: Db, code: string, parent: string) {
  const moved = await data(w, db, 'admin', MOVE_UNIT, {
    id: unitGid(w, code),
    parentId: unitGid(w, parent),
  });
  return moved.moveOrgUnit.userErrors as { code: string; message: string }[];
}
