import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { submitInterconnectionComplaint } from '../../plugins/interconnection/submit.js';
import { complaintEvents, complaints, idempotencyKeys } from '../../src/db/schema.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { feedFor } from '../../src/live/feed.js';
import { createApp } from '../../src/server/app.js';
import { type Listening, listen } from '../../src/server/http.js';
import { engine } from '../support/cases.js';
import { accepted, contact, investigation, validRestored } from '../support/inputs.js';
import { INTERNAL_PARTS_HIDDEN } from '../support/partner-view.js';
import { serveWorld } from '../support/serve.js';
import { T0, useWorld } from '../support/world.js';
import { collect, type LiveClient, waitFor, wsClient } from './support.js';

/**
 * The partner carriers' API (D40, D41, D55) over real HTTP: X-API-Key,
 * `submitInterconnectionComplaint` with its idempotency key, what a partner
 * reads of its own cases and nothing else, and the per-partner rate limit.
 * Everything commits into the file's fixture database.
 */
const world = useWorld();

let server: Listening;
beforeAll(async () => {
  server = await serveWorld(world());
});
afterAll(() => server?.close());
beforeEach(() => world().clock.set(T0));

type Auth = { token?: string; apiKey?: string };
type Res = {
  status: number;
  headers: Headers;
  data?: any;
  errors?: { message: string; extensions?: Record<string, any> }[];
};

async function post(
  query: string,
  variables: Record<string, unknown>,
  auth: Auth,
  at: Listening = server,
): Promise<Res> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json',
  };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.apiKey) headers['x-api-key'] = auth.apiKey;
  const res = await fetch(at.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, ...((await res.json()) as object) };
}
const staff = async (username: string) => ({ token: await world().token(username) });
const gdPartner = () => ({ apiKey: world().partnerKey });
const zjPartner = () => ({ apiKey: world().zjPartnerKey });

const SUBMIT = `mutation ($input: InterconnectionComplaintInput!) {
  submitInterconnectionComplaint(input: $input) {
    complaint { id number status source channel category title businessLine { code } partner { name carrierCode province { code } } customer { name phone masked } details }
    userErrors { code message field }
  }
}`;
const ACCEPT = `mutation ($input: AcceptComplaintInput!) { acceptComplaint(input: $input) { complaint { id status } userErrors { code field } } }`;

let seq = 0;
const key = (label: string) => `${label}-${Date.now()}-${++seq}`;
const input = (idempotencyKey: string, over: Record<string, unknown> = {}) => ({
  idempotencyKey,
  title: 'Calls to our subscribers fail',
  description: 'Calls from our network to 138 numbers fail at trunk 7 since 08:00.',
  category: 'CALL_COMPLETION',
  customer: { name: '欧阳明', phone: '13912345678', address: '广东省广州市天河区体育西路1号' },
  details: { trunkId: 'TRUNK-7', callingNumber: '13312345678', calledNumber: '13812345678' },
  ...over,
});

async function submit(auth: Auth, i: Record<string, unknown>, at: Listening = server) {
  const r = await post(SUBMIT, { input: i }, auth, at);
  expect(r.errors).toBeUndefined();
  return r.data.submitInterconnectionComplaint as {
    complaint: any;
    userErrors: { code: string; message: string; field: string[] | null }[];
  };
}

const partnerCases = async (partnerId: string) =>
  (
    await world()
      .database.db.select({ n: count() })
      .from(complaints)
      .where(eq(complaints.partnerId, partnerId))
  )[0]!.n;

describe('submitInterconnectionComplaint (D40, D41)', () => {
  it('registers a RECEIVED interconnection case from the partner carrier, numbered by its province, customer unmasked to it', async () => {
    const w = world();
    const { complaint, userErrors } = await submit(gdPartner(), input(key('new')));
    expect(userErrors).toEqual([]);
    expect(complaint).toMatchObject({
      status: 'RECEIVED',
      source: 'PARTNER_CARRIER',
      channel: 'API',
      category: 'CALL_COMPLETION',
      businessLine: { code: 'interconnection' },
      partner: { name: 'Partner GD', carrierCode: 'PGD', province: { code: 'GD' } },
      customer: { name: '欧阳明', phone: '13912345678', masked: false },
      details: { trunkId: 'TRUNK-7', callingNumber: '13312345678', calledNumber: '13812345678' },
    });
    expect(complaint.number).toMatch(/^GD20261123\d{6}$/);

    const zj = await submit(zjPartner(), input(key('new-zj')));
    expect(zj.userErrors).toEqual([]);
    expect(zj.complaint.number).toMatch(/^ZJ20261123\d{6}$/);
    expect(zj.complaint.partner.province.code).toBe('ZJ');

    // stored as the province legal affairs' case, with one REGISTER event by the partner
    const [row] = await w.database.db
      .select()
      .from(complaints)
      .where(eq(complaints.number, complaint.number));
    expect(row).toMatchObject({
      legalOwned: true,
      provinceId: w.units.GD!.id,
      handlingUnitId: w.units.GD!.id,
      partnerId: w.partner.id,
      firstResponderId: null,
    });
    const events = await w.database.db
      .select()
      .from(complaintEvents)
      .where(eq(complaintEvents.complaintId, row!.id));
    expect(events).toMatchObject([
      {
        action: 'REGISTER',
        fromStatus: null,
        toStatus: 'RECEIVED',
        actorPartnerId: w.partner.id,
        actorUserId: null,
      },
    ]);
  });

  it('is held by the province LEGAL_OFFICER: gd.agent may not accept it (FORBIDDEN), gd.legal may; ZJ’s by zj.legal', async () => {
    const gd = (await submit(gdPartner(), input(key('held')))).complaint;
    const accept = (id: string) => ({
      input: {
        id,
        businessLine: 'interconnection',
        category: 'CALL_COMPLETION',
        severity: 'ORDINARY',
      },
    });

    const byAgent = await post(ACCEPT, accept(gd.id), await staff('gd.agent'));
    expect(byAgent.data.acceptComplaint).toEqual({
      complaint: null,
      userErrors: [{ code: 'FORBIDDEN', field: null }],
    });
    const byLegal = await post(ACCEPT, accept(gd.id), await staff('gd.legal'));
    expect(byLegal.data.acceptComplaint).toEqual({
      complaint: { id: gd.id, status: 'ACCEPTED' },
      userErrors: [],
    });

    const zj = (await submit(zjPartner(), input(key('held-zj')))).complaint;
    expect(
      (await post(ACCEPT, accept(zj.id), await staff('zj.agent'))).data.acceptComplaint.userErrors,
    ).toEqual([{ code: 'FORBIDDEN', field: null }]);
    expect(
      (await post(ACCEPT, accept(zj.id), await staff('gd.legal'))).data.acceptComplaint.userErrors,
    ).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    expect(
      (await post(ACCEPT, accept(zj.id), await staff('zj.legal'))).data.acceptComplaint,
    ).toEqual({ complaint: { id: zj.id, status: 'ACCEPTED' }, userErrors: [] });
  });

  it('D55: staff calling it get a FORBIDDEN GraphQL error and nothing is written; without credentials UNAUTHENTICATED', async () => {
    const w = world();
    const before = await w.database.db.select({ n: count() }).from(complaints);
    for (const username of ['gd.legal', 'gd.agent', 'gd.admin']) {
      const r = await post(SUBMIT, { input: input(key('staff')) }, await staff(username));
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(r.data?.submitInterconnectionComplaint ?? null).toBeNull();
    }
    const anonymous = await post(SUBMIT, { input: input(key('anon')) }, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.data ?? null).toBeNull();
    expect(await w.database.db.select({ n: count() }).from(complaints)).toEqual(before);
  });

  it('VALIDATION: a category that is not the interconnection line’s, a blank or over-long idempotency key', async () => {
    const w = world();
    const before = await partnerCases(w.partner.id);
    const cases: [Record<string, unknown>, string[]][] = [
      [input(key('cat'), { category: 'BROADBAND_SPEED' }), ['input', 'category']],
      [input('   '), ['input', 'idempotencyKey']],
      [input(''), ['input', 'idempotencyKey']],
      [input('k'.repeat(256)), ['input', 'idempotencyKey']],
    ];
    for (const [i, field] of cases) {
      const r = await submit(gdPartner(), i);
      expect(r.complaint).toBeNull();
      expect(r.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field })]);
    }
    expect(await partnerCases(w.partner.id)).toBe(before);
    // 255 characters is the longest key; every base category is the line's too
    const longest = await submit(
      gdPartner(),
      input(`${'k'.repeat(240)}${String(Date.now()).padStart(15, '0')}`, {
        category: 'SETTLEMENT',
      }),
    );
    expect(longest.userErrors).toEqual([]);
    const base = await submit(gdPartner(), input(key('base'), { category: 'SERVICE_QUALITY' }));
    expect(base.userErrors).toEqual([]);
    expect(await partnerCases(w.partner.id)).toBe(before + 2);
  });
});

describe('idempotency (D40)', () => {
  it('the same key and payload returns the same complaint; nothing more is written', async () => {
    const w = world();
    const k = key('same');
    const before = await partnerCases(w.partner.id);
    const a = await submit(gdPartner(), input(k));
    const b = await submit(gdPartner(), input(k));
    expect(b.userErrors).toEqual([]);
    expect(b.complaint.id).toBe(a.complaint.id);
    expect(b.complaint.number).toBe(a.complaint.number);
    expect(await partnerCases(w.partner.id)).toBe(before + 1);
    const [row] = await w.database.db
      .select()
      .from(complaints)
      .where(eq(complaints.number, a.complaint.number));
    expect(
      await w.database.db
        .select({ n: count() })
        .from(complaintEvents)
        .where(eq(complaintEvents.complaintId, row!.id)),
    ).toEqual([{ n: 1 }]);
  });

  it('10 concurrent identical submissions make exactly one complaint, and all 10 answer it', async () => {
    const w = world();
    const k = key('race');
    const before = await partnerCases(w.partner.id);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => submit(gdPartner(), input(k))),
    );
    for (const r of results) expect(r.userErrors).toEqual([]);
    expect(new Set(results.map((r) => r.complaint.id)).size).toBe(1);
    expect(await partnerCases(w.partner.id)).toBe(before + 1);
    expect(
      await w.database.db
        .select({ n: count() })
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.partnerId, w.partner.id), eq(idempotencyKeys.key, k))),
    ).toEqual([{ n: 1 }]);
  });

  it('the same key with another payload is IDEMPOTENCY_MISMATCH and writes nothing; another partner’s key space is its own', async () => {
    const w = world();
    const k = key('mismatch');
    const first = await submit(gdPartner(), input(k));
    const before = await partnerCases(w.partner.id);
    for (const other of [
      input(k, { title: 'Another title' }),
      input(k, { details: { trunkId: 'TRUNK-8' } }),
      input(k, { customer: { name: '欧阳明', phone: '13912345670' } }),
      input(k, { category: 'SMS_BLOCKING' }),
    ]) {
      const r = await submit(gdPartner(), other);
      expect(r.complaint).toBeNull();
      expect(r.userErrors).toEqual([
        expect.objectContaining({
          code: 'IDEMPOTENCY_MISMATCH',
          field: ['input', 'idempotencyKey'],
        }),
      ]);
    }
    expect(await partnerCases(w.partner.id)).toBe(before);
    // the original still answers
    expect((await submit(gdPartner(), input(k))).complaint.id).toBe(first.complaint.id);
    // the ZJ partner's same key is a new complaint of its own
    const zj = await submit(zjPartner(), input(k, { title: 'Another title' }));
    expect(zj.userErrors).toEqual([]);
    expect(zj.complaint.id).not.toBe(first.complaint.id);
  });
});

const READ = `query ($id: ID!) {
  complaint(id: $id) {
    id number version status registeredAt acceptedAt title description category externalRef details escalationLevel
    businessLine { code }
    customer { name phone address masked }
    firstResponder { username }
    handlingUnit { code }
    assignments { toUnit { code } }
    investigations { findings recordedBy { username } }
    responsibility { rootCause }
    callbacks { result }
    supervisionNotes { note by { username } }
    contacts { method content }
    clocks { kind state }
    timeline { edges { cursor node { action fromStatus toStatus at hash payload actor { __typename ... on User { username } ... on Partner { name } } } } }
  }
}`;

describe('what a partner reads (D40, D54)', () => {
  it('its own cases only: complaint, node, the list and its totalCount, the event query', async () => {
    const w = world();
    const x = engine(w, w.database.db);
    const mine = (await submit(gdPartner(), input(key('own')))).complaint;
    const theirs = (await submit(zjPartner(), input(key('theirs')))).complaint;
    const staffCase = await x.accepted();

    const one = `query ($id: ID!) { complaint(id: $id) { id } node(id: $id) { id } }`;
    expect((await post(one, { id: mine.id }, gdPartner())).data).toEqual({
      complaint: { id: mine.id },
      node: { id: mine.id },
    });
    expect((await post(one, { id: theirs.id }, gdPartner())).data).toEqual({
      complaint: null,
      node: null,
    });
    expect(
      (await post(one, { id: toGlobalId('Complaint', staffCase.id) }, gdPartner())).data,
    ).toEqual({ complaint: null, node: null });
    expect((await post(one, { id: mine.id }, zjPartner())).data).toEqual({
      complaint: null,
      node: null,
    });

    const list = await post(
      `{ complaints(first: 100) { totalCount nodes { id partner { name } } } }`,
      {},
      gdPartner(),
    );
    expect(list.errors).toBeUndefined();
    expect(list.data.complaints.totalCount).toBe(await partnerCases(w.partner.id));
    expect(
      list.data.complaints.nodes.map((n: { partner: { name: string } }) => n.partner.name),
    ).toEqual(list.data.complaints.nodes.map(() => 'Partner GD'));
    expect(list.data.complaints.nodes.map((n: { id: string }) => n.id)).toContain(mine.id);
    const zjList = await post(
      `{ complaints(first: 100) { totalCount nodes { id } } }`,
      {},
      zjPartner(),
    );
    expect(zjList.data.complaints.totalCount).toBe(await partnerCases(w.zjPartner.id));
    expect(zjList.data.complaints.nodes.map((n: { id: string }) => n.id)).not.toContain(mine.id);

    const events = await post(
      `{ complaintEvents(first: 100) { edges { node { complaint { id } } } } }`,
      {},
      zjPartner(),
    );
    const ids = new Set(
      events.data.complaintEvents.edges.map(
        (e: { node: { complaint: { id: string } } }) => e.node.complaint.id,
      ),
    );
    expect(ids.has(theirs.id)).toBe(true);
    expect(ids.has(mine.id)).toBe(false);
    expect(ids.has(toGlobalId('Complaint', staffCase.id))).toBe(false);
  });

  it('of its own case: what it submitted, the contacts and a timeline without payloads or staff; internal parts empty', async () => {
    const w = world();
    const x = engine(w, w.database.db);
    const { complaint } = await submit(gdPartner(), input(key('fields')));
    const c = {
      id: (
        await w.database.db.select().from(complaints).where(eq(complaints.number, complaint.number))
      )[0]!.id,
    };
    const toGz = { toUnitId: w.units['GD-GZ']!.id, deadline: x.deadline() };
    const findings = 'Internal: trunk 7 misrouted by our switch';
    const rootCause = 'Internal: switch config';
    await x.act('gd.legal', 'ACCEPT', c, accepted('MAJOR', 'interconnection', 'CALL_COMPLETION'));
    await x.act('gd.legal', 'DISPATCH', c, { ...toGz, note: 'Internal: GZ NOC owns trunk 7' });
    await x.act('gz.handler', 'ACKNOWLEDGE', c, {});
    await x.act('gz.handler', 'RECORD_INVESTIGATION', c, investigation(findings));
    await x.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c, validRestored(rootCause));
    await x.act('gz.handler', 'CONTACT_CUSTOMER', c, contact('EMAIL', 'Trunk 7 is being fixed.'));
    await x.act('gz.handler', 'ESCALATE', c, { note: 'Internal: many carriers affected' });
    await x.act('gd.legal', 'DECIDE_ESCALATION', c, { approve: true, note: 'Internal: approved' });
    await x.act('gd.legal', 'ADD_SUPERVISION_NOTE', c, { note: 'Internal: watch this one' });

    const asStaff = (await post(READ, { id: complaint.id }, await staff('gd.legal'))).data
      .complaint;
    expect(asStaff.handlingUnit).toEqual({ code: 'GD-GZ' });
    expect(asStaff.assignments).toHaveLength(1);
    expect(asStaff.investigations).toHaveLength(1);
    expect(asStaff.responsibility).not.toBeNull();
    expect(asStaff.supervisionNotes.length).toBeGreaterThan(0);
    expect(asStaff.escalationLevel).toBeGreaterThan(0);

    const r = await post(READ, { id: complaint.id }, gdPartner());
    expect(r.errors).toBeUndefined();
    const p = r.data.complaint;
    expect(p).toMatchObject({
      id: complaint.id,
      number: complaint.number,
      version: asStaff.version,
      status: 'INVESTIGATING',
      title: 'Calls to our subscribers fail',
      category: 'CALL_COMPLETION',
      businessLine: { code: 'interconnection' },
      customer: {
        name: '欧阳明',
        phone: '13912345678',
        address: '广东省广州市天河区体育西路1号',
        masked: false,
      },
      details: { trunkId: 'TRUNK-7', callingNumber: '13312345678', calledNumber: '13812345678' },
      ...INTERNAL_PARTS_HIDDEN,
      contacts: [{ method: 'EMAIL', content: 'Trunk 7 is being fixed.' }],
    });
    expect(p.clocks.length).toBeGreaterThan(0);
    const timeline = p.timeline.edges.map((e: { node: any }) => e.node);
    // D40 (issue 18): only the events that speak to the partner; internal steps are absent.
    const spoken = asStaff.timeline.edges.filter((e: { node: { action: string } }) =>
      ['REGISTER', 'ACCEPT', 'CONTACT_CUSTOMER'].includes(e.node.action),
    );
    expect(timeline.map((e: { action: string }) => e.action)).toEqual([
      'REGISTER',
      'ACCEPT',
      'CONTACT_CUSTOMER',
    ]);
    expect(p.timeline.edges.map((e: { cursor: string }) => e.cursor)).toEqual(
      spoken.map((e: { cursor: string }) => e.cursor),
    );
    expect(timeline[0]).toMatchObject({
      action: 'REGISTER',
      fromStatus: null,
      toStatus: 'RECEIVED',
      actor: { __typename: 'Partner', name: 'Partner GD' },
    });
    for (const e of timeline.slice(1)) expect(e.actor).toBeNull();
    for (const e of timeline) {
      expect(e.payload).toBeNull();
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(JSON.stringify(p)).not.toMatch(/Internal|gd\.legal|gz\.handler|Name of/);
  });

  it('a partner may withdraw its own open complaint and use no staff mutation', async () => {
    const { complaint } = await submit(gdPartner(), input(key('withdraw')));
    const accept = await post(
      ACCEPT,
      {
        input: {
          id: complaint.id,
          businessLine: 'interconnection',
          category: 'CALL_COMPLETION',
          severity: 'ORDINARY',
        },
      },
      gdPartner(),
    );
    expect(accept.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const WITHDRAW = `mutation ($input: ComplaintActionInput!) { withdrawComplaint(input: $input) { complaint { status } userErrors { code } } }`;
    expect(
      (
        await post(
          WITHDRAW,
          { input: { id: complaint.id, note: 'Solved on our side' } },
          zjPartner(),
        )
      ).data.withdrawComplaint,
    ).toEqual({
      complaint: null,
      userErrors: [{ code: 'NOT_FOUND' }],
    });
    expect(
      (
        await post(
          WITHDRAW,
          { input: { id: complaint.id, note: 'Solved on our side' } },
          gdPartner(),
        )
      ).data.withdrawComplaint,
    ).toEqual({
      complaint: { status: 'WITHDRAWN' },
      userErrors: [],
    });
  });
});

describe('rate limit (D40)', () => {
  let limited: Listening;
  const clients: LiveClient[] = [];
  beforeAll(async () => {
    const w = world();
    limited = await listen(
      createApp({
        ...w.services(w.database.db),
        config: { ...w.config, partnerRate: { perSecond: 1, burst: 2 } },
      }),
      { port: 0, host: '127.0.0.1' },
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await limited?.close();
  });

  const ME = `{ me { __typename } }`;

  it('over its burst a partner gets RATE_LIMITED with HTTP 429 and Retry-After; staff are not held to it; each partner has its own bucket', async () => {
    const w = world();
    const ok1 = await post(ME, {}, gdPartner(), limited);
    const ok2 = await post(SUBMIT, { input: input(key('rl')) }, gdPartner(), limited);
    expect([ok1.status, ok2.status]).toEqual([200, 200]);
    expect(ok2.data.submitInterconnectionComplaint.userErrors).toEqual([]);

    const before = await partnerCases(w.partner.id);
    const third = await post(SUBMIT, { input: input(key('rl')) }, gdPartner(), limited);
    expect(third.status).toBe(429);
    expect(third.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(third.errors?.[0]?.message).toMatch(/rate limit/i);
    expect(third.data ?? null).toBeNull();
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(third.errors?.[0]?.extensions?.retryAfter).toBe(retryAfter);
    expect(await partnerCases(w.partner.id)).toBe(before); // refused before it ran

    // staff are not held to the partners' rate
    const token = (await staff('gd.legal')).token;
    const staffCalls = await Promise.all(
      Array.from({ length: 6 }, () => post(ME, {}, { token }, limited)),
    );
    expect(staffCalls.map((r) => r.status)).toEqual(Array(6).fill(200));
    // the other partner has its own bucket
    expect((await post(ME, {}, zjPartner(), limited)).status).toBe(200);

    // the bucket refills at 1 per second: the partner is served again within Retry-After (+ slack)
    const started = Date.now();
    const again = await waitFor(
      async () => {
        const r = await post(ME, {}, gdPartner(), limited);
        return r.status === 200 ? r : null;
      },
      'the partner to be served again',
      (retryAfter + 1) * 1000,
    );
    expect(again.data).toEqual({ me: { __typename: 'Partner' } });
    expect(Date.now() - started).toBeLessThanOrEqual((retryAfter + 1) * 1000);
  });

  it('opening subscriptions counts against the same bucket; the events of a live subscription do not', async () => {
    const w = world();
    const feed = await feedFor(w.database); // the limited server's feed too: same database
    const client = wsClient(limited, { apiKey: w.zjPartnerKey });
    clients.push(client);
    const FEED = `subscription { complaintEvents { cursor action complaint { id } } }`;
    const live = collect<{ cursor: string; complaint: { id: string } }>(client, FEED);
    await waitFor(() => feed.size === 1 || live.done, 'the first subscription to be live');
    expect(live.done).toBe(false);
    const more = Array.from({ length: 3 }, () => collect(client, FEED));
    await waitFor(() => more.some((s) => s.done), 'one of three more subscriptions to be refused');
    const refused = more.filter((s) => s.done);
    const errors = (refused[0]!.resultErrors[0] ?? refused[0]!.error) as {
      extensions?: { code?: string; retryAfter?: number };
    }[];
    expect(errors[0]?.extensions?.code).toBe('RATE_LIMITED');
    for (const s of more) s.stop();

    // five events within a second reach the live subscription: delivery spends no tokens
    const x = engine(w, w.database.db);
    const made: { id: string }[] = [];
    for (let i = 0; i < 5; i++)
      made.push(
        await submitInterconnectionComplaint(x.env, x.who(w.zjPartner), input(key('rl-feed'))),
      );
    await waitFor(
      () =>
        made.every((c) =>
          live.items.some((ev) => ev.complaint.id === toGlobalId('Complaint', c.id)),
        ),
      () => `the five registrations; got ${live.items.length}`,
    );
    expect(live.resultErrors).toEqual([]);
    expect(live.done).toBe(false);
    live.stop();
  });
});
