import { describe, expect, it } from 'vitest';
import { submitInterconnectionComplaint } from '../../plugins/interconnection/submit.js';
import { PARTNER_EVENT_ACTIONS } from '../../src/auth/guards.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { engine } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { accepted, interconnectionInput } from '../support/inputs.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D40 (issue 18): nothing a partner can ask reveals the internal parts of
 * its cases. One row per path: the `complaints` filters unitId, escalated and
 * overdue; complaintStats, assessment, dutyBriefing, personalDataReads and
 * the CSV exports are FORBIDDEN; its timelines and event lists hold only the
 * events that speak to it; escalationLevel reads 0.
 */
const world = useWorld();

const PARTNER_ACTIONS: readonly string[] = PARTNER_EVENT_ACTIONS;

/** A partner case that went through internal steps: accepted, escalated, supervised, dispatched, contacted. */
async function internalCase() {
  const w = world();
  w.clock.set(T0);
  const e = engine(w, w.database.db);
  let c = await submitInterconnectionComplaint(
    e.env,
    e.who(w.partner),
    interconnectionInput(`pr-${Math.random()}`, {
      description: 'Calls from our network to 138 numbers fail at trunk 7 since 08:00.',
      customer: { name: '欧阳明', phone: '13912345678' },
      details: { trunkId: 'TRUNK-7', callingNumber: '13312345678' },
    }),
  );
  c = await e.act('gd.legal', 'ACCEPT', c, accepted('MAJOR', 'interconnection', 'CALL_COMPLETION'));
  c = await e.act('gd.legal', 'ESCALATE', c, { note: 'Major outage, the regulator asks' });
  c = await e.act('gd.legal', 'ADD_SUPERVISION_NOTE', c, { note: 'Watch trunk 7 closely' });
  c = await e.act('gd.legal', 'DISPATCH', c, {
    toUnitId: w.units['GD-GZ']!.id,
    deadline: e.deadline(),
  });
  c = await e.act('gz.handler', 'ACKNOWLEDGE', c, {});
  c = await e.act('gz.handler', 'CONTACT_CUSTOMER', c, {
    method: 'PHONE',
    content: 'We are on it.',
  });
  return c;
}

describe('D40: what a partner may ask', () => {
  it('D40: the complaints filters unitId, escalated and overdue are FORBIDDEN to a partner (GraphQL error, no data); staff may use them', async () => {
    const w = world();
    const c = await internalCase();
    const app = w.app(w.database.db);
    const q = `query ($f: ComplaintFilter) { complaints(filter: $f) { totalCount } }`;
    for (const f of [
      { unitId: toGlobalId('OrgUnit', w.units['GD-GZ']!.id) },
      { escalated: true },
      { escalated: false },
      { overdue: false },
    ]) {
      const r = await gql(app, q, { f }, { apiKey: w.partnerKey });
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(f)).toBe('FORBIDDEN');
      expect(r.data ?? null).toBeNull();
    }
    // What it may filter by still works, and counts only its own case.
    const own = await gql(app, q, { f: { status: ['INVESTIGATING'] } }, { apiKey: w.partnerKey });
    expect(own.data.complaints.totalCount).toBeGreaterThanOrEqual(1);
    const staff = await gql(
      app,
      q,
      { f: { escalated: true, unitId: toGlobalId('OrgUnit', w.units['GD-GZ']!.id) } },
      { token: await w.token('gd.legal') },
    );
    expect(staff.errors).toBeUndefined();
    expect(staff.data.complaints.totalCount).toBeGreaterThanOrEqual(1);
    void c;
  });

  it('D40: the event list’s unitId filter is FORBIDDEN to a partner too (it would reveal the handling unit)', async () => {
    const w = world();
    await internalCase();
    const app = w.app(w.database.db);
    const r = await gql(
      app,
      `query ($u: ID) { complaintEvents(filter: { unitId: $u }) { edges { node { action } } } }`,
      { u: toGlobalId('OrgUnit', w.units['GD-GZ']!.id) },
      { apiKey: w.partnerKey },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(r.data ?? null).toBeNull();
    const staff = await gql(
      app,
      `query ($u: ID) { complaintEvents(filter: { unitId: $u }) { edges { node { action } } } }`,
      { u: toGlobalId('OrgUnit', w.units['GD-GZ']!.id) },
      { token: await w.token('gd.legal') },
    );
    expect(staff.errors).toBeUndefined();
  });

  it('D40 D55: complaintStats (by UNIT or not), assessment, dutyBriefing and personalDataReads are FORBIDDEN to a partner', async () => {
    const w = world();
    const app = w.app(w.database.db);
    const range = { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' };
    const queries = [
      [
        `query ($i: StatsInput!) { complaintStats(input: $i) { count } }`,
        { i: { ...range, groupBy: ['UNIT'] } },
      ],
      [
        `query ($i: StatsInput!) { complaintStats(input: $i) { count } }`,
        { i: { ...range, groupBy: ['STATUS'] } },
      ],
      [
        `query ($i: AssessmentInput!) { assessment(input: $i) { received } }`,
        { i: { ...range, by: 'UNIT' } },
      ],
      [`{ dutyBriefing { overdue escalated } }`, {}],
      [`{ personalDataReads { edges { cursor } } }`, {}],
    ] as const;
    for (const [query, variables] of queries) {
      const r = await gql(app, query, variables as Record<string, unknown>, {
        apiKey: w.partnerKey,
      });
      expect(r.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(r.data ?? null, query).toBeNull();
    }
  });

  it('D40: the CSV exports are FORBIDDEN to a partner (403), with or without a filter', async () => {
    const w = world();
    const app = w.app(w.database.db);
    for (const path of [
      '/exports/complaints.csv',
      '/exports/complaints.csv?filter=%7B%7D',
      '/exports/stats.csv?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00&groupBy=UNIT',
    ]) {
      const res = await app.yoga.fetch(`http://test${path}`, {
        headers: { 'x-api-key': w.partnerKey },
      });
      expect(res.status, path).toBe(403);
      expect(await res.text()).not.toContain('GD-GZ');
    }
  });
});

describe('D40: what a partner reads of its case', () => {
  it('D40: its timeline, the event list and node() hold only the events that speak to it; escalationLevel reads 0; staff see every step', async () => {
    const w = world();
    const c = await internalCase();
    const app = w.app(w.database.db);
    const id = toGlobalId('Complaint', c.id);
    const q = `query ($id: ID!) { complaint(id: $id) { escalationLevel handlingUnit { code } timeline(first: 100) { edges { node { id action note payload actor { __typename } } } } } }`;
    const partner = await gql(app, q, { id }, { apiKey: w.partnerKey });
    const actions = partner.data.complaint.timeline.edges.map((e: any) => e.node.action);
    expect(actions).toEqual(['REGISTER', 'ACCEPT', 'CONTACT_CUSTOMER']);
    expect(actions.every((a: string) => PARTNER_ACTIONS.includes(a))).toBe(true);
    expect(partner.data.complaint.escalationLevel).toBe(0);
    expect(partner.data.complaint.handlingUnit).toBeNull();
    for (const e of partner.data.complaint.timeline.edges) {
      expect(e.node.payload).toBeNull();
      expect(e.node.note).toBeNull();
    }
    // The actor only where the partner itself acted.
    expect(
      partner.data.complaint.timeline.edges.map((e: any) => e.node.actor?.__typename ?? null),
    ).toEqual(['Partner', null, null]);

    const list = await gql(
      app,
      `query ($cid: ID) { complaintEvents(filter: { complaintId: $cid }, first: 100) { edges { node { action } } } }`,
      { cid: id },
      { apiKey: w.partnerKey },
    );
    expect(list.data.complaintEvents.edges.map((e: any) => e.node.action)).toEqual([
      'REGISTER',
      'ACCEPT',
      'CONTACT_CUSTOMER',
    ]);
    const asked = await gql(
      app,
      `query ($cid: ID) { complaintEvents(filter: { complaintId: $cid, actions: ["ESCALATE", "ADD_SUPERVISION_NOTE", "DISPATCH"] }) { edges { node { action } } } }`,
      { cid: id },
      { apiKey: w.partnerKey },
    );
    expect(asked.data.complaintEvents.edges).toEqual([]);

    const staff = await gql(app, q, { id }, { token: await w.token('gd.legal') });
    const staffActions = staff.data.complaint.timeline.edges.map((e: any) => e.node.action);
    expect(staffActions).toEqual([
      'REGISTER',
      'ACCEPT',
      'ESCALATE',
      'ADD_SUPERVISION_NOTE',
      'DISPATCH',
      'ACKNOWLEDGE',
      'CONTACT_CUSTOMER',
    ]);
    expect(staff.data.complaint.escalationLevel).toBe(1);
    // An internal event looked up by its id is absent for the partner.
    const escalateId = staff.data.complaint.timeline.edges[2].node.id;
    const node = await gql(
      app,
      `query ($id: ID!) { node(id: $id) { id } }`,
      { id: escalateId },
      { apiKey: w.partnerKey },
    );
    expect(node.data.node).toBeNull();
    expect(
      (
        await gql(
          app,
          `query ($id: ID!) { node(id: $id) { id } }`,
          { id: escalateId },
          { token: await w.token('gd.legal') },
        )
      ).data.node.id,
    ).toBe(escalateId);
  });
});
