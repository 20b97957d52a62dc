import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { q } from '../support/gql.js';
import type { World } from '../support/world.js';

/**
 * Helpers of the statistics tests (test/stats/*): who asks (a staff username
 * or 'partner'), one GraphQL request through the app, and the queries of
 * DOMAIN §5 and D59. Tokens are signed at the world clock's current instant,
 * so a test may move the clock anywhere before asking.
 */

export { authOf, data, q } from '../support/gql.js';

/** A request that must fail as a GraphQL error, with no data: its errors. */
export async function graphqlErrors(
  w: World,
  db: Db,
  as: string,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const res = await q(w, db, as, query, variables);
  expect(res.errors, `expected a GraphQL error, got ${JSON.stringify(res.data)}`).toBeDefined();
  expect(res.errors!.length).toBeGreaterThan(0);
  expect(res.data ?? null).toBeNull();
  return res.errors!;
}

export const unitGid = (w: World, code: string) => toGlobalId('OrgUnit', w.units[code]!.id);
export const userGid = (w: World, username: string) => toGlobalId('User', w.staff[username]!.id);

export const STATS = `query ($i: StatsInput!) { complaintStats(input: $i) { keys count } }`;
export const LIST_TOTAL = `query ($f: ComplaintFilter) { complaints(filter: $f, first: 1) { totalCount } }`;
export const ASSESSMENT = `query ($i: AssessmentInput!) {
  assessment(input: $i) {
    unit { code }
    user { id username }
    received resolved resolutionRate meanResponseMinutes satisfactionRate reopenRate repeatRate
    clocks { clock total onTime rate }
  }
}`;
export const BRIEFING = `query ($unitId: ID) {
  dutyBriefing(unitId: $unitId) {
    unit { code }
    openByStatus { status count }
    overdue majorOpen escalated receivedToday
    topCategories { category count }
  }
}`;

export type Row = { keys: Record<string, string>; count: number };

/** Rows in a stable order (by their keys), for exact comparison. */
export const sorted = (rows: Row[]) =>
  [...rows].sort((a, b) => JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)));

export const sum = (rows: Row[]) => rows.reduce((n, r) => n + r.count, 0);

export const at = (iso: string) => new Date(iso);
