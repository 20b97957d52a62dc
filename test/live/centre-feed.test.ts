import { describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import type { Instance } from '../support/instances.js';
import { useWorld } from '../support/world.js';
import { collect, type Ev, FEED, waitFor } from './support.js';
import { useTwoInstances } from './two-instances.js';

/**
 * PostgreSQL only (D10, D71, D22): two server processes (test/live/instance.ts)
 * on the file's database. A county duty manager registers a query through A
 * and is its first responder; the province forwards it to a city and the
 * city's handler answers it, both through A; the first responder's
 * `complaintEvents` feed on B carries both events, wherever the case went.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL', () => {
  const world = useWorld();
  const two = useTwoInstances(world);
  const { token } = two;

  async function post(
    at: Instance,
    username: string,
    query: string,
    input: Record<string, unknown>,
  ) {
    const res = await fetch(at.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await token(username)}`,
      },
      body: JSON.stringify({ query, variables: { input } }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const payload = Object.values(body.data)[0] as {
      complaint: { id: string; timeline: { edges: { cursor: string }[] } };
      userErrors: unknown[];
    };
    expect(payload.userErrors).toEqual([]);
    return { id: payload.complaint.id, cursor: payload.complaint.timeline.edges[0]!.cursor };
  }
  const SEL = `{ complaint { id timeline(last: 1) { edges { cursor } } } userErrors { code message } }`;

  it('D10 D71 D22: a forwarded query reaches its first responder: FORWARD_CONTACT and ANSWER_CONTACT made through A arrive on B', async () => {
    const w = world();
    const q = await post(
      two.a,
      'th.duty',
      `mutation ($input: RegisterComplaintInput!) { registerComplaint(input: $input) ${SEL} }`,
      {
        channel: 'BUSINESS_HALL',
        kind: 'QUERY',
        title: 'Why was I charged twice?',
        description: 'Two charges for the same month.',
        customer: { name: '赵六', phone: '13600002222' },
      },
    );
    const client = two.connect(two.b, await token('th.duty'));
    const sub = collect<Ev>(client, FEED, { after: q.cursor });
    const deadline = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000).toISOString();
    const fwd = await post(
      two.a,
      'gd.agent',
      `mutation ($input: DispatchComplaintInput!) { forwardContact(input: $input) ${SEL} }`,
      {
        id: q.id,
        toUnitId: toGlobalId('OrgUnit', w.units['GD-SZ']!.id),
        deadline,
        note: 'Billing is in Shenzhen',
      },
    );
    await waitFor(
      () => sub.items.length >= 1,
      () => `FORWARD_CONTACT on B; got ${sub.items.length}`,
      15_000,
    );
    const ans = await post(
      two.a,
      'sz.handler',
      `mutation ($input: AnswerContactInput!) { answerContact(input: $input) ${SEL} }`,
      {
        id: q.id,
        method: 'SMS',
        content: 'The second charge is refunded.',
      },
    );
    await waitFor(
      () => sub.items.length >= 2,
      () => `ANSWER_CONTACT on B; got ${sub.items.length}`,
      15_000,
    );
    expect(sub.items.map((e) => [e.action, e.fromStatus, e.toStatus, e.cursor])).toEqual([
      ['FORWARD_CONTACT', 'RECEIVED', 'RECEIVED', fwd.cursor],
      ['ANSWER_CONTACT', 'RECEIVED', 'CLOSED', ans.cursor],
    ]);
  }, 60_000);
});
