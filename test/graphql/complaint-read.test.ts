import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { type Engine, engine } from '../support/cases.js';
import { chainProblem, type ServedEvent } from '../support/chain.js';
import type { As } from '../support/gql.js';
import * as shared from '../support/gql.js';
import { accepted } from '../support/inputs.js';
import { PARTNER_COMPLAINT, partnerRegistered } from '../support/partner-case.js';
import { INTERNAL_PARTS_HIDDEN } from '../support/partner-view.js';
import { MINUTE } from '../support/time.js';
import { STAFF, T0, useWorld } from '../support/world.js';

const world = useWorld();

const gid = (c: { id: string }) => toGlobalId('Complaint', c.id);

/** How legal affairs accept the partner's case (D40). */
const PARTNER_ACCEPTED = accepted('MAJOR', 'interconnection', 'CALL_COMPLETION');

const q = (db: Db, as: As, query: string, variables: Record<string, unknown> = {}) =>
  shared.q(world(), db, as, query, variables);

const data = (db: Db, as: As, query: string, variables: Record<string, unknown> = {}) =>
  shared.data(world(), db, as, query, variables);

// ---------------------------------------------------------------- D54: who reads a case

const EVERY_PATH = `query ($id: ID!, $number: String!) {
  byId: complaint(id: $id) { id number }
  byNumber: complaint(number: $number) { id }
  node(id: $id) { id ... on Complaint { number } }
  nodes(ids: [$id]) { id }
}`;

/** Whether `as` reads the case, asserting that every path (D54) agrees. */
async function reads(db: Db, as: As, c: { id: string; number: string }): Promise<boolean> {
  const d = await data(db, as, EVERY_PATH, { id: gid(c), number: c.number });
  const seen = [d.byId, d.byNumber, d.node, d.nodes[0]].map((x) => x !== null);
  expect(
    new Set(seen).size,
    `${as}: complaint(id), complaint(number), node and nodes disagree`,
  ).toBe(1);
  if (seen[0]) {
    expect(d.byId).toEqual({ id: gid(c), number: c.number });
    expect(d.node).toEqual({ id: gid(c), number: c.number });
  }
  expect(d.nodes).toHaveLength(1);
  return seen[0]!;
}

async function readers(db: Db, c: { id: string; number: string }, viewers: As[]) {
  const out: As[] = [];
  for (const v of viewers) if (await reads(db, v, c)) out.push(v);
  return out;
}

const EVERYONE: As[] = [...STAFF.map((s) => s.username), 'admin', 'partner', 'zjPartner'];

describe('D54: complaint(id), complaint(number), node and nodes', () => {
  it('D54: a case investigated at GD-GZ is read by GD and GD-GZ staff only; null for ZJ, SZ, the counties, the centre, admins and partners', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const c = await engine(world(), db).investigating('city');
      expect((await readers(db, c, EVERYONE)).sort()).toEqual(
        [
          'gd.agent',
          'gd.agent2',
          'gd.legal',
          'gd.duty',
          'gd.auditor',
          'gz.handler',
          'gz.handler2',
          'gz.leader',
          'gz.duty',
          'gz.auditor',
        ].sort(),
      );
    }));

  it('D54 D57: a malformed or foreign id, and an unknown number, read as null', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const c = await engine(world(), db).register();
      const d = await data(
        db,
        'gd.agent',
        `query ($bad: ID!, $unit: ID!, $ok: ID!) {
          a: complaint(id: $bad) { id } b: complaint(id: $unit) { id } c: complaint(number: "GD20261123999999") { id }
          n: node(id: $bad) { id } ns: nodes(ids: [$bad, $unit, $ok]) { id }
        }`,
        { bad: 'not-an-id', unit: toGlobalId('Complaint', world().units.GD!.id), ok: gid(c) },
      );
      expect(d).toEqual({ a: null, b: null, c: null, n: null, ns: [null, null, { id: gid(c) }] });
    }));

  it('D10: the first responder reads the case wherever it goes, a colleague of their unit does not', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const walkIn = await e.register('gz.handler', { channel: 'VISIT' });
      let c = await e.act('gd.agent', 'ACCEPT', walkIn, {
        businessLine: 'mobile',
        category: 'PROCESS',
        severity: 'ORDINARY',
      });
      c = await e.act('gd.agent', 'DISPATCH', c, {
        toUnitId: w.units['GD-SZ']!.id,
        deadline: e.deadline(),
      });
      c = await e.act('sz.handler', 'ACKNOWLEDGE', c, {});
      expect(await reads(db, 'gz.handler', c)).toBe(true);
      expect(await reads(db, 'gz.handler2', c)).toBe(false);
      expect(await reads(db, 'gz.leader', c)).toBe(false);
      expect(await reads(db, 'sz.handler', c)).toBe(true);
      // …and works it: full personal data (D50).
      const d = await data(
        db,
        'gz.handler',
        `query ($id: ID!) { complaint(id: $id) { customer { name masked } firstResponder { username } } }`,
        { id: gid(c) },
      );
      expect(d.complaint).toEqual({
        customer: { name: '张三', masked: false },
        firstResponder: { username: 'gz.handler' },
      });
    }));

  it('D54: handlers of every unit of the dispatch chain, and their ancestors, keep reading after a county returns the case', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const atCity = await e.investigating('city');
      const delegated = await e.act('gz.handler', 'DELEGATE', atCity, {
        toUnitId: w.units['GD-GZ-TH']!.id,
        deadline: e.deadline(4),
      });
      expect(delegated.status).toBe('DISPATCHED');
      const before = await readers(db, delegated, EVERYONE);
      expect(before).toEqual(
        expect.arrayContaining([
          'th.handler',
          'th.leader',
          'th.duty',
          'gz.handler',
          'gz.leader',
          'gz.duty',
          'gd.agent',
          'gd.duty',
        ]),
      );
      for (const no of [
        'yx.handler',
        'sz.handler',
        'ns.handler',
        'bc.handler',
        'zj.agent',
        'gd.admin',
        'partner',
      ])
        expect(before).not.toContain(no);

      // Back to the city (INVESTIGATING at GD-GZ): GD-GZ-TH stays in the dispatch chain.
      const back = await e.act(
        'th.handler',
        'RETURN',
        { id: delegated.id },
        { note: 'Not in our county' },
      );
      expect(back.status).toBe('INVESTIGATING');
      expect(back.handlingUnitId).toBe(w.units['GD-GZ']!.id);
      expect((await readers(db, back, EVERYONE)).sort()).toEqual(before.sort());
    }));
});

// ---------------------------------------------------------------- D50: masking

describe('D50: customer data, full or masked per case and role', () => {
  const CUSTOMER = `query ($id: ID!) { complaint(id: $id) { customer { name phone address accountNumber masked } } }`;
  const FULL = {
    name: '张三',
    phone: '13812345678',
    address: '广东省广州市天河区体育西路1号',
    accountNumber: 'ACC-0001-2345',
    masked: false,
  };
  const MASKED = {
    name: '张*',
    phone: '138****5678',
    address: '广东省广州市天河区****',
    accountNumber: '*********2345',
    masked: true,
  };

  it('D50: gd.agent, gd.legal, gz.handler and gz.leader see it in full; gd.auditor, gd.duty, gz.duty and gz.auditor masked', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const c = await engine(world(), db).investigating('city');
      for (const as of [
        'gd.agent',
        'gd.agent2',
        'gd.legal',
        'gz.handler',
        'gz.handler2',
        'gz.leader',
      ]) {
        expect((await data(db, as, CUSTOMER, { id: gid(c) })).complaint.customer, as).toEqual(FULL);
      }
      for (const as of ['gd.auditor', 'gd.duty', 'gz.duty', 'gz.auditor']) {
        expect((await data(db, as, CUSTOMER, { id: gid(c) })).complaint.customer, as).toEqual(
          MASKED,
        );
      }
    }));

  it('D50: in a county case, the county duty manager sees it masked even in their own unit', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const c = await engine(world(), db).investigating('county');
      expect((await data(db, 'th.handler', CUSTOMER, { id: gid(c) })).complaint.customer).toEqual(
        FULL,
      );
      expect((await data(db, 'th.leader', CUSTOMER, { id: gid(c) })).complaint.customer).toEqual(
        FULL,
      );
      expect((await data(db, 'th.duty', CUSTOMER, { id: gid(c) })).complaint.customer).toEqual(
        MASKED,
      );
    }));
});

// ---------------------------------------------------------------- D56: timeline and complaintEvents

const EDGES = `edges { cursor node { id cursor action at } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const TIMELINE = `query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  complaint(id: $id) { timeline(first: $first, after: $after, last: $last, before: $before) { ${EDGES} } }
}`;
const EVENTS = `query ($filter: ComplaintEventFilter, $first: Int, $after: String) {
  complaintEvents(filter: $filter, first: $first, after: $after) { edges { cursor node { id cursor action complaint { id } } } pageInfo { hasNextPage hasPreviousPage endCursor } }
}`;

type Edge = { cursor: string; node: { id: string; cursor: string; action: string; at: string } };
type Page = {
  edges: Edge[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
};

/** A case with 1 REGISTER and `n` CONTACT_CUSTOMER events, a minute apart. */
async function busyCase(e: Engine, n: number) {
  const c = await e.register();
  for (let i = 0; i < n; i++) {
    world().clock.advance(MINUTE);
    await e.act('gd.agent', 'CONTACT_CUSTOMER', c, {
      method: 'PHONE',
      content: `Progress call ${i + 1}`,
    });
  }
  return c;
}

async function timeline(
  db: Db,
  id: string,
  args: Record<string, unknown>,
  as: As = 'gd.agent',
): Promise<Page> {
  return (await data(db, as, TIMELINE, { id, ...args })).complaint.timeline;
}

describe('D56: the timeline pages forwards and backwards', () => {
  it('D56: with no arguments, the first 50 of 61 events; first/after pages forwards to the end; after is exclusive', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const c = await busyCase(engine(world(), db), 60);
      const id = gid(c);
      const first50 = await timeline(db, id, {});
      expect(first50.edges).toHaveLength(50);
      expect(first50.edges[0]!.node.action).toBe('REGISTER');
      expect(first50.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(first50.pageInfo.startCursor).toBe(first50.edges[0]!.cursor);
      expect(first50.pageInfo.endCursor).toBe(first50.edges[49]!.cursor);

      const all: Edge[] = [];
      let after: string | null = null;
      for (let pages = 0; ; pages++) {
        const page: Page = await timeline(db, id, { first: 25, after });
        all.push(...page.edges);
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
        expect(pages).toBeLessThan(5);
      }
      expect(all).toHaveLength(61);
      expect(all.slice(0, 50)).toEqual(first50.edges);
      expect(new Set(all.map((x) => x.cursor)).size).toBe(61);
      for (const edge of all) expect(edge.cursor).toBe(edge.node.cursor);
      // Commit order is time order here; every `at` is served with +08:00 (D57).
      const ats = all.map((x) => x.node.at);
      expect([...ats].sort()).toEqual(ats);
      for (const at of ats) expect(at).toMatch(/\+08:00$/);

      const exclusive = await timeline(db, id, { first: 3, after: all[9]!.cursor });
      expect(exclusive.edges).toEqual(all.slice(10, 13));
    }));

  it('D56: last/before pages backwards: the latest events, in ascending order', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const c = await busyCase(engine(world(), db), 20);
      const id = gid(c);
      const all = (await timeline(db, id, { first: 100 })).edges;
      expect(all).toHaveLength(21);

      const latest = await timeline(db, id, { last: 5 });
      expect(latest.edges).toEqual(all.slice(-5));
      expect(latest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
      const earlier = await timeline(db, id, { last: 5, before: latest.pageInfo.startCursor });
      expect(earlier.edges).toEqual(all.slice(-10, -5));
      expect(earlier.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });

      const back: Edge[] = [];
      let before: string | null = null;
      for (;;) {
        const page: Page = await timeline(db, id, { last: 8, before });
        back.unshift(...page.edges);
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(back).toEqual(all);
      // before alone pages backwards from that cursor, 50 at most.
      expect((await timeline(db, id, { before: all[3]!.cursor })).edges).toEqual(all.slice(0, 3));
    }));

  it('D56: a cursor is the same in the event, its timeline edge and its complaintEvents edge', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const c = await e.reported('county');
      const tl = (await timeline(db, gid(c), { first: 100 })).edges;
      const ev = (
        await data(db, 'gd.agent', EVENTS, { filter: { complaintId: gid(c) }, first: 100 })
      ).complaintEvents.edges;
      expect(tl).toHaveLength(c.version);
      expect(ev.map((x: Edge) => [x.cursor, x.node.cursor, x.node.id, x.node.action])).toEqual(
        tl.map((x) => [x.cursor, x.node.cursor, x.node.id, x.node.action]),
      );
      // Resuming complaintEvents after a timeline cursor continues the same sequence.
      const resumed = (
        await data(db, 'gd.agent', EVENTS, {
          filter: { complaintId: gid(c) },
          first: 2,
          after: tl[4]!.cursor,
        })
      ).complaintEvents;
      expect(resumed.edges.map((x: Edge) => x.cursor)).toEqual([tl[5]!.cursor, tl[6]!.cursor]);
    }));

  it('D57: page sizes 0 and 101 are GraphQL errors, not silent cuts; 1 and 100 pass', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const c = await busyCase(engine(world(), db), 2);
      for (const args of [
        { first: 0 },
        { first: 101 },
        { last: 0 },
        { last: 101 },
        { first: -1 },
      ]) {
        const res = await q(db, 'gd.agent', TIMELINE, { id: gid(c), ...args });
        expect(res.errors, JSON.stringify(args)).toHaveLength(1);
        expect(res.data?.complaint ?? null).toBeNull();
        expect(res.errors![0]!.extensions?.code).toBe('VALIDATION');
      }
      for (const first of [0, 101]) {
        const res = await q(db, 'gd.agent', EVENTS, { first });
        expect(res.errors).toHaveLength(1);
        expect(res.data ?? null).toBeNull();
      }
      expect((await timeline(db, gid(c), { first: 1 })).edges).toHaveLength(1);
      expect((await timeline(db, gid(c), { last: 100 })).edges).toHaveLength(3);
    }));

  it('D57: the page-size error is VALIDATION', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const c = await engine(world(), db).register();
      const res = await q(db, 'gd.agent', TIMELINE, { id: gid(c), first: 101 });
      expect(res.errors![0]!.extensions?.code).toBe('VALIDATION');
    }));
});

describe('D54: complaintEvents lists only events of readable cases', () => {
  it('D54: each viewer sees the events of the cases it reads, and the filters narrow them', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const atGz = await e.investigating('city'); // REGISTER ACCEPT DISPATCH ACKNOWLEDGE
      const atGd = await e.register();
      const zj = await e.act('zj.agent', 'ACCEPT', await e.register('zj.agent'), {
        businessLine: 'mobile',
        category: 'PROCESS',
        severity: 'ORDINARY',
      });

      const byCase = async (as: As, filter: Record<string, unknown> = {}) => {
        const edges = (await data(db, as, EVENTS, { filter, first: 100 })).complaintEvents
          .edges as { node: { action: string; complaint: { id: string } } }[];
        const out: Record<string, string[]> = {};
        for (const { node } of edges) (out[node.complaint.id] ??= []).push(node.action);
        return out;
      };
      const GZ_EVENTS = ['REGISTER', 'ACCEPT', 'DISPATCH', 'ACKNOWLEDGE'];

      expect(await byCase('zj.agent')).toEqual({ [gid(zj)]: ['REGISTER', 'ACCEPT'] });
      expect(await byCase('gd.agent')).toEqual({
        [gid(atGz)]: GZ_EVENTS,
        [gid(atGd)]: ['REGISTER'],
      });
      expect(await byCase('gz.handler')).toEqual({ [gid(atGz)]: GZ_EVENTS });
      expect(await byCase('sz.handler')).toEqual({});
      expect(await byCase('gd.admin')).toEqual({});
      expect(await byCase('partner')).toEqual({});

      // complaintId: only that case, and only if readable.
      expect(await byCase('gd.agent', { complaintId: gid(atGz) })).toEqual({
        [gid(atGz)]: GZ_EVENTS,
      });
      expect(await byCase('zj.agent', { complaintId: gid(atGz) })).toEqual({});
      expect(await byCase('gd.agent', { complaintId: 'garbage' })).toEqual({});
      // actions.
      expect(await byCase('gd.agent', { actions: ['ACCEPT'] })).toEqual({
        [gid(atGz)]: ['ACCEPT'],
      });
      expect(await byCase('gd.agent', { actions: ['REGISTER', 'DISPATCH'] })).toEqual({
        [gid(atGz)]: ['REGISTER', 'DISPATCH'],
        [gid(atGd)]: ['REGISTER'],
      });
      // unitId: cases handled in that unit's subtree.
      const unit = (code: string) => toGlobalId('OrgUnit', w.units[code]!.id);
      expect(await byCase('gd.agent', { unitId: unit('GD-GZ') })).toEqual({
        [gid(atGz)]: GZ_EVENTS,
      });
      expect(await byCase('gd.agent', { unitId: unit('GD') })).toEqual({
        [gid(atGz)]: GZ_EVENTS,
        [gid(atGd)]: ['REGISTER'],
      });
      expect(await byCase('gd.agent', { unitId: unit('GD-SZ') })).toEqual({});
      expect(await byCase('gd.agent', { unitId: unit('ZJ') })).toEqual({});
    }));

  it('D54: node(ComplaintEvent) is null for a viewer who cannot read its case', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const c = await engine(world(), db).register();
      const [edge] = (await timeline(db, gid(c), { first: 1 })).edges;
      const NODE = `query ($id: ID!) { node(id: $id) { id ... on ComplaintEvent { action } } }`;
      expect((await data(db, 'gd.auditor', NODE, { id: edge!.node.id })).node).toEqual({
        id: edge!.node.id,
        action: 'REGISTER',
      });
      expect((await data(db, 'zj.agent', NODE, { id: edge!.node.id })).node).toBeNull();
      expect((await data(db, 'partner', NODE, { id: edge!.node.id })).node).toBeNull();
    }));
});

// ---------------------------------------------------------------- D56: the hash, verified from outside

/** What an outside auditor fetches to verify a case's chain: its version, and its events in commit order. */
const HASHED = `query ($id: ID!) {
  complaint(id: $id) { version }
  complaintEvents(filter: { complaintId: $id }, first: 50) { edges { node {
    action fromStatus toStatus at payload hash complaint { id }
    actor { __typename ... on Node { id } }
  } } }
}`;

async function served(db: Db, id: string) {
  const d = await data(db, 'gd.auditor', HASHED, { id });
  return {
    version: d.complaint.version as number,
    events: d.complaintEvents.edges.map((x: { node: ServedEvent }) => x.node) as ServedEvent[],
  };
}

describe('D56: an outside auditor verifies the hash chain through the API', () => {
  it('D56: every event hash of a full county case recomputes from what an AUDITOR reads', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const closed = await e.closed('county');
      await e.act('gd.agent', 'ARCHIVE', closed, {});
      const { version, events } = await served(db, gid(closed));
      expect(events).toHaveLength(version);
      expect(events[0]).toMatchObject({
        action: 'REGISTER',
        fromStatus: null,
        toStatus: 'RECEIVED',
      });
      const staffIds = Object.values(w.staff).map((s) => toGlobalId('User', s.id));
      for (const ev of events) {
        expect(ev.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(staffIds).toContain(ev.actor?.id);
      }
      expect(events.some((ev) => ev.payload && Object.keys(ev.payload as object).length > 1)).toBe(
        true,
      );
      expect(chainProblem(events)).toBeNull();

      // A served value changed by one character no longer verifies.
      const forged = events.map((ev, i) =>
        i === 3 ? { ...ev, at: ev.at.replace(/:00\.000/, ':01.000') } : ev,
      );
      expect(forged[3]!.at).not.toBe(events[3]!.at);
      expect(chainProblem(forged)).toMatch(/^event 3 /);
    }));

  it('D56: a partner-submitted case verifies too: the REGISTER actor is the Partner global ID', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, own } = await partnerRegistered(w, db);
      w.clock.advance(MINUTE);
      await e.act('gd.legal', 'ACCEPT', own, PARTNER_ACCEPTED);
      w.clock.advance(MINUTE);
      await e.act('partner', 'WITHDRAW', own, { note: 'Fixed on our side' });
      const { events } = await served(db, gid(own));
      expect(events.map((x) => [x.action, x.actor])).toEqual([
        ['REGISTER', { __typename: 'Partner', id: toGlobalId('Partner', w.partner.id) }],
        ['ACCEPT', { __typename: 'User', id: toGlobalId('User', w.staff['gd.legal']!.id) }],
        ['WITHDRAW', { __typename: 'Partner', id: toGlobalId('Partner', w.partner.id) }],
      ]);
      expect(chainProblem(events)).toBeNull();
    }));
});

// ---------------------------------------------------------------- D40: what a partner reads of its own case

describe('D40: a partner reads its own case, without the internal parts', () => {
  const PARTNER_VIEW = `query ($id: ID!) { complaint(id: $id) {
    id number version status source channel category externalRef
    businessLine { code }
    customer { name phone masked }
    firstResponder { id } handlingUnit { id } assignments { deadline } investigations { kind } responsibility { nature }
    callbacks { result } supervisionNotes { note } escalationLevel
    contacts { method content final }
    partner { id carrierCode }
    viewerActions
    timeline { edges { node { action fromStatus toStatus at hash payload actor { __typename ... on Node { id } } } } }
  } }`;

  /** Partner case, accepted by legal affairs, dispatched to GD-GZ, escalated (approved), supervised, investigated, contacted. */
  async function partnerCase(e: Engine) {
    const w = world();
    const step = () => w.clock.advance(MINUTE);
    const own = await e.register(w.partner, { ...PARTNER_COMPLAINT, externalRef: 'PGD-T-1' });
    step();
    await e.act('gd.legal', 'ACCEPT', own, PARTNER_ACCEPTED);
    step();
    await e.act('gd.legal', 'DISPATCH', own, {
      toUnitId: w.units['GD-GZ']!.id,
      deadline: e.deadline(),
    });
    step();
    await e.act('gz.handler', 'ACKNOWLEDGE', own, {});
    step();
    await e.act('gz.handler', 'ESCALATE', own, { note: 'Trunk outage affects many calls' });
    step();
    await e.act('gd.legal', 'DECIDE_ESCALATION', own, { approve: true });
    step();
    await e.act('gd.legal', 'ADD_SUPERVISION_NOTE', own, { note: 'Report by Friday' });
    step();
    await e.act('gz.handler', 'RECORD_INVESTIGATION', own, {
      kind: 'INITIAL',
      findings: 'Trunk GZ-7 flapping',
    });
    step();
    return e.act('gz.handler', 'CONTACT_CUSTOMER', own, {
      method: 'EMAIL',
      content: 'We are on it.',
    });
  }

  it('D40: firstResponder, handlingUnit null; assignments, investigations, callbacks, notes empty; escalationLevel 0; customer unmasked; WITHDRAW only', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await partnerCase(engine(w, db));
      expect(c.escalationLevel).toBe(1);
      const staffView = (await data(db, 'gz.handler', PARTNER_VIEW, { id: gid(c) })).complaint;
      expect(staffView.escalationLevel).toBe(1);
      expect(staffView.handlingUnit).not.toBeNull();
      expect(staffView.assignments).toHaveLength(1);

      const view = (await data(db, 'partner', PARTNER_VIEW, { id: gid(c) })).complaint;
      expect(view).toMatchObject({
        id: gid(c),
        number: c.number,
        version: c.version,
        status: 'INVESTIGATING',
        source: 'PARTNER_CARRIER',
        channel: 'API',
        category: 'CALL_COMPLETION',
        externalRef: 'PGD-T-1',
        businessLine: { code: 'interconnection' },
        customer: { name: '张三', phone: '13812345678', masked: false },
        ...INTERNAL_PARTS_HIDDEN,
        contacts: [{ method: 'EMAIL', content: 'We are on it.', final: false }],
        partner: { id: toGlobalId('Partner', w.partner.id), carrierCode: 'PGD' },
        viewerActions: ['WITHDRAW'],
      });
    }));

  it('D40 D56: its timeline holds the events that speak to it, with action, statuses, time and hash; no payload; an actor only on its own REGISTER', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await partnerCase(engine(w, db));
      const mine = (
        await data(db, 'partner', PARTNER_VIEW, { id: gid(c) })
      ).complaint.timeline.edges.map((x: { node: ServedEvent }) => x.node);
      const all = (
        await data(db, 'gd.auditor', PARTNER_VIEW, { id: gid(c) })
      ).complaint.timeline.edges.map((x: { node: ServedEvent }) => x.node);
      // D40 (issue 18): internal steps — dispatch, investigation, escalation, supervision — are absent.
      const staff = all.filter((x: ServedEvent) =>
        ['REGISTER', 'ACCEPT', 'CONTACT_CUSTOMER'].includes(x.action),
      );
      expect(mine.map((x: ServedEvent) => x.action)).toEqual([
        'REGISTER',
        'ACCEPT',
        'CONTACT_CUSTOMER',
      ]);
      for (const [i, ev] of (mine as ServedEvent[]).entries()) {
        expect(ev.payload, ev.action).toBeNull();
        expect(ev.actor, ev.action).toEqual(
          i === 0 ? { __typename: 'Partner', id: toGlobalId('Partner', w.partner.id) } : null,
        );
        // Everything else is what staff read.
        expect([ev.action, ev.fromStatus, ev.toStatus, ev.at, ev.hash]).toEqual([
          staff[i]!.action,
          staff[i]!.fromStatus,
          staff[i]!.toStatus,
          staff[i]!.at,
          staff[i]!.hash,
        ]);
      }
      const staffAll = all;
      expect(staffAll.filter((x: ServedEvent) => x.actor !== null)).toHaveLength(c.version);
    }));

  it('D40 D54: a partner reads nothing else: not another partner’s case, not a customer case; complaintEvents holds its own only', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, own } = await partnerRegistered(w, db);
      const customerCase = await e.register('gd.agent');
      expect(await reads(db, 'partner', own)).toBe(true);
      expect(await reads(db, 'zjPartner', own)).toBe(false);
      expect(await reads(db, 'partner', customerCase)).toBe(false);
      const edges = (await data(db, 'partner', EVENTS, { first: 100 })).complaintEvents.edges;
      expect(
        edges.map((x: { node: { complaint: { id: string } } }) => x.node.complaint.id),
      ).toEqual([gid(own)]);
      expect((await data(db, 'zjPartner', EVENTS, { first: 100 })).complaintEvents.edges).toEqual(
        [],
      );
    }));

  it('D40 D60: viewerActions is ["WITHDRAW"] on its open case and [] once it is closed to it', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, own } = await partnerRegistered(w, db);
      const VA = `query ($id: ID!) { complaint(id: $id) { status viewerActions } }`;
      expect((await data(db, 'partner', VA, { id: gid(own) })).complaint).toEqual({
        status: 'RECEIVED',
        viewerActions: ['WITHDRAW'],
      });
      await e.act('gd.legal', 'REJECT', own, {
        reason: 'INSUFFICIENT_INFORMATION',
        note: 'No call records attached',
      });
      expect((await data(db, 'partner', VA, { id: gid(own) })).complaint).toEqual({
        status: 'REJECTED',
        viewerActions: [],
      });
    }));
});
