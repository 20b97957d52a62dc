import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { complaintEvents, complaints } from '../../src/db/schema.js';
import { fromGlobalId, toGlobalId } from '../../src/graphql/global-id.js';
import { type GqlResult, gql } from '../support/gql.js';
import { partnerRegistered } from '../support/partner-case.js';
import { DAY, MINUTE, served } from '../support/time.js';
import { T0, useWorld } from '../support/world.js';

const world = useWorld();

const OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/;

const CASE = `id number version status viewerActions registeredAt acceptedAt resolvedAt closedAt archivedAt contactAt
  customer { name phone masked }
  assignments { deadline assignedAt acknowledgedAt reportedAt }`;
const PAYLOAD = `complaint { ${CASE} } userErrors { code message field }`;

const m = (name: string, input: string) =>
  `mutation ($input: ${input}!) { ${name}(input: $input) { ${PAYLOAD} } }`;
const REGISTER = m('registerComplaint', 'RegisterComplaintInput');
const ACCEPT = m('acceptComplaint', 'AcceptComplaintInput');
const DISPATCH = m('dispatchComplaint', 'DispatchComplaintInput');
const ACKNOWLEDGE = m('acknowledgeComplaint', 'ComplaintActionInput');
const INVESTIGATE = m('recordInvestigation', 'RecordInvestigationInput');
const DETERMINE = m('determineResponsibility', 'DetermineResponsibilityInput');
const SUBMIT = m('submitReport', 'ComplaintActionInput');
const CONFIRM = m('confirmReport', 'DecisionInput');
const REVIEW = m('reviewReport', 'DecisionInput');
const REPLY = m('replyToCustomer', 'ContactCustomerInput');
const CALLBACK = m('recordCallback', 'CallbackInput');
const ARCHIVE = m('archiveComplaint', 'ComplaintActionInput');
const WITHDRAW = m('withdrawComplaint', 'ComplaintActionInput');

const registerInput = (over: Record<string, unknown> = {}) => ({
  channel: 'PHONE',
  title: 'No signal at home',
  description: 'Since Monday the phone shows no signal in the flat.',
  customer: {
    name: '张三',
    phone: '138 1234-5678',
    address: '广东省广州市天河区体育西路1号',
    accountNumber: 'ACC-0001-2345',
  },
  ...over,
});

/** A DateTime as the API serves it (D57). */

/** One mutation as `as` (staff username or `{ apiKey }`), through HTTP. */
async function send(
  db: Db,
  query: string,
  input: Record<string, unknown>,
  as: string | { apiKey: string },
): Promise<GqlResult> {
  const w = world();
  const auth = typeof as === 'string' ? { token: await w.token(as) } : as;
  return gql(w.app(db), query, { input }, auth);
}

/** The payload of a mutation expected to answer without GraphQL errors. */
async function payload(
  db: Db,
  query: string,
  input: Record<string, unknown>,
  as: string | { apiKey: string },
) {
  const res = await send(db, query, input, as);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  const [value] = Object.values(res.data as Record<string, { complaint: any; userErrors: any[] }>);
  return value!;
}

async function snapshot(db: Db, gid: string) {
  const id = fromGlobalId(gid)!.id;
  const [c] = await db
    .select({ version: complaints.version, status: complaints.status })
    .from(complaints)
    .where(eq(complaints.id, id));
  const [e] = await db
    .select({ n: count() })
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, id));
  return { ...c!, events: e!.n };
}

async function unitGid(db: Db, code: string): Promise<string> {
  const w = world();
  const res = await gql(
    w.app(db),
    `query ($code: String!) { orgUnit(code: $code) { id } }`,
    { code },
    { token: await w.token('gd.agent') },
  );
  expect(res.errors).toBeUndefined();
  return res.data.orgUnit.id;
}

describe('registerComplaint through HTTP', () => {
  it('D5 D10 D53 D60: gd.agent registers a case: its number, version 1, RECEIVED, and the buttons the province acceptance centre has', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const p = await payload(db, REGISTER, registerInput(), 'gd.agent');
      expect(p.userErrors).toEqual([]);
      const c = p.complaint;
      expect(c.number).toMatch(/^GD20261123\d{6}$/);
      expect(c.version).toBe(1);
      expect(c.status).toBe('RECEIVED');
      expect(fromGlobalId(c.id)?.type).toBe('Complaint');
      // D53: the province acceptance centre holds a RECEIVED case; D10: the registering agent is its first responder.
      expect([...c.viewerActions].sort()).toEqual(
        [
          'ACCEPT',
          'CONTACT_CUSTOMER',
          'ESCALATE',
          'REJECT',
          'REQUEST_EXTENSION',
          'RESOLVE_ON_SPOT',
          'SUSPEND',
          'WITHDRAW',
        ].sort(),
      );
      expect(c.viewerActions).not.toContain('REGISTER');
      // D57: the phone is normalised, the first responder sees it in full (D50).
      expect(c.customer).toEqual({ name: '张三', phone: '13812345678', masked: false });
      expect(await snapshot(db, c.id)).toEqual({ version: 1, status: 'RECEIVED', events: 1 });
    }));

  it('D57: every DateTime the mutations serve carries +08:00', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const p = await payload(
        db,
        REGISTER,
        registerInput({ contactAt: '2026-11-23T01:55:00Z' }),
        'gd.agent',
      );
      expect(p.complaint.registeredAt).toBe('2026-11-23T10:00:00.000+08:00');
      expect(p.complaint.contactAt).toBe('2026-11-23T09:55:00.000+08:00');
      expect(p.complaint.acceptedAt).toBeNull();
    }));

  it('D57: a blank title is a VALIDATION userError naming ["input","title"], and nothing is written', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const [before] = await db.select({ n: count() }).from(complaints);
      const p = await payload(db, REGISTER, registerInput({ title: '   ' }), 'gd.agent');
      expect(p.complaint).toBeNull();
      expect(p.userErrors).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: ['input', 'title'] },
      ]);
      const [after] = await db.select({ n: count() }).from(complaints);
      expect(after!.n).toBe(before!.n);
    }));

  it('D58: details with a bad IMEI at registration: VALIDATION at ["input","details","imei"]', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const p = await payload(
        db,
        REGISTER,
        registerInput({ businessLine: 'mobile', details: { imei: '12345' } }),
        'gd.agent',
      );
      expect(p.complaint).toBeNull();
      expect(p.userErrors).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: ['input', 'details', 'imei'] },
      ]);
    }));
});

describe('the whole happy path by mutations (§3, D11, D14, D56)', () => {
  it('RECEIVED → ACCEPTED → DISPATCHED → INVESTIGATING → PENDING_APPROVAL → PENDING_REVIEW → RESOLVED → REPLIED → CLOSED → ARCHIVED, one version per step', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const gz = await unitGid(db, 'GD-GZ');
      const registered = await payload(db, REGISTER, registerInput(), 'gd.agent');
      expect(registered.userErrors).toEqual([]);
      const id = registered.complaint.id;
      const deadline = served(new Date(T0.getTime() + 5 * DAY));

      const steps: [string, string, Record<string, unknown>, string][] = [
        [
          ACCEPT,
          'gd.agent',
          {
            businessLine: 'mobile',
            category: 'NETWORK_TECHNICAL',
            severity: 'ORDINARY',
            details: { imei: '490154203237518' },
          },
          'ACCEPTED',
        ],
        [
          DISPATCH,
          'gd.agent',
          { toUnitId: gz, deadline, note: 'Please check cell GZ-0042' },
          'DISPATCHED',
        ],
        [ACKNOWLEDGE, 'gz.handler', {}, 'INVESTIGATING'],
        [
          INVESTIGATE,
          'gz.handler',
          { kind: 'INITIAL', findings: 'Cell GZ-0042 was down for maintenance.' },
          'INVESTIGATING',
        ],
        [
          DETERMINE,
          'gz.handler',
          {
            nature: 'VALID',
            responsibleUnitId: gz,
            rootCause: 'Maintenance without notice',
            remedy: { kind: 'COMPENSATION', amount: 20 },
          },
          'INVESTIGATING',
        ],
        [SUBMIT, 'gz.handler', {}, 'PENDING_APPROVAL'],
        [CONFIRM, 'gz.leader', { approve: true }, 'PENDING_REVIEW'],
        [REVIEW, 'gd.agent', { approve: true }, 'RESOLVED'],
        [
          REPLY,
          'gd.agent',
          { method: 'PHONE', content: 'The cell is back; 20 yuan credited.' },
          'REPLIED',
        ],
        [CALLBACK, 'gd.agent', { result: 'SATISFIED' }, 'CLOSED'],
        [ARCHIVE, 'gd.agent', {}, 'ARCHIVED'],
      ];
      let version = 1;
      for (const [query, as, input, status] of steps) {
        w.clock.advance(10 * MINUTE);
        const p = await payload(db, query, { id, ...input }, as);
        expect(p.userErrors, `${status} by ${as}`).toEqual([]);
        version++;
        expect(p.complaint).toMatchObject({ id, status, version });
        expect(await snapshot(db, id)).toEqual({ version, status, events: version });
      }

      const last = await payload(db, ARCHIVE, { id }, 'gd.agent');
      expect(last.userErrors.map((e: { code: string }) => e.code)).toEqual(['ARCHIVED']);

      // D57: the case's DateTimes as served.
      const res = await gql(
        w.app(db),
        `query ($id: ID!) { complaint(id: $id) { ${CASE} } }`,
        { id },
        { token: await w.token('gd.agent') },
      );
      const c = res.data.complaint;
      expect(c.registeredAt).toBe('2026-11-23T10:00:00.000+08:00');
      expect(c.acceptedAt).toBe('2026-11-23T10:10:00.000+08:00');
      expect(c.resolvedAt).toBe('2026-11-23T11:20:00.000+08:00');
      expect(c.closedAt).toBe('2026-11-23T11:40:00.000+08:00');
      expect(c.archivedAt).toBe('2026-11-23T11:50:00.000+08:00');
      expect(c.assignments).toHaveLength(1);
      expect(c.assignments[0]).toEqual({
        deadline: '2026-11-28T10:00:00.000+08:00',
        assignedAt: '2026-11-23T10:20:00.000+08:00',
        acknowledgedAt: '2026-11-23T10:30:00.000+08:00',
        reportedAt: '2026-11-23T11:00:00.000+08:00',
      });
      for (const v of [
        c.registeredAt,
        c.acceptedAt,
        c.resolvedAt,
        c.closedAt,
        c.archivedAt,
        c.contactAt,
        ...Object.values(c.assignments[0]),
      ]) {
        expect(v).toMatch(OFFSET);
      }
      expect(c.viewerActions).toEqual([]);
    }));
});

describe('userErrors: {code, message, field} in the order of D55', () => {
  async function received(db: Db) {
    world().clock.set(T0);
    const p = await payload(db, REGISTER, registerInput(), 'gd.agent');
    return p.complaint.id as string;
  }
  const accept = (id: string, over: Record<string, unknown> = {}) => ({
    id,
    businessLine: 'mobile',
    category: 'NETWORK_TECHNICAL',
    severity: 'ORDINARY',
    ...over,
  });

  it('D55 D57: a malformed id is VALIDATION at ["input","id"]', () =>
    world().tx(async (db) => {
      const id = await received(db);
      for (const bad of [
        'nope',
        toGlobalId('OrgUnit', world().units.GD!.id),
        Buffer.from('Complaint:not-a-uuid').toString('base64url'),
      ]) {
        const p = await payload(db, ACCEPT, accept(bad), 'gd.agent');
        expect(p.complaint).toBeNull();
        expect(p.userErrors).toEqual([
          { code: 'VALIDATION', message: expect.any(String), field: ['input', 'id'] },
        ]);
      }
      expect(await snapshot(db, id)).toEqual({ version: 1, status: 'RECEIVED', events: 1 });
    }));

  it('D55: a well-formed id of no case is NOT_FOUND, without a field', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const p = await payload(
        db,
        ACCEPT,
        accept(toGlobalId('Complaint', randomUUID())),
        'gd.agent',
      );
      expect(p.complaint).toBeNull();
      expect(p.userErrors).toEqual([
        { code: 'NOT_FOUND', message: expect.any(String), field: null },
      ]);
    }));

  it('D54 D55: a case the viewer cannot read is NOT_FOUND as well (another province, an ADMIN), and writes nothing', () =>
    world().tx(async (db) => {
      const id = await received(db);
      for (const as of ['zj.agent', 'gd.admin', 'sz.handler']) {
        const p = await payload(db, ACCEPT, accept(id), as);
        expect(
          p.userErrors.map((e: { code: string }) => e.code),
          as,
        ).toEqual(['NOT_FOUND']);
      }
      expect(await snapshot(db, id)).toEqual({ version: 1, status: 'RECEIVED', events: 1 });
    }));

  it('D55: a stale expectedVersion is CONFLICT and changes nothing', () =>
    world().tx(async (db) => {
      const id = await received(db);
      const p = await payload(db, ACCEPT, accept(id, { expectedVersion: 7 }), 'gd.agent');
      expect(p.complaint).toBeNull();
      expect(p.userErrors).toEqual([
        { code: 'CONFLICT', message: expect.any(String), field: null },
      ]);
      expect(await snapshot(db, id)).toEqual({ version: 1, status: 'RECEIVED', events: 1 });
      // The current version passes.
      const ok = await payload(db, ACCEPT, accept(id, { expectedVersion: 1 }), 'gd.agent');
      expect(ok.userErrors).toEqual([]);
      expect(ok.complaint).toMatchObject({ status: 'ACCEPTED', version: 2 });
    }));

  it('D55: FORBIDDEN by role kind comes before CONFLICT (a HANDLER accepting, with a stale version)', () =>
    world().tx(async (db) => {
      const id = await received(db);
      // gz.handler cannot read a RECEIVED case at the province: NOT_FOUND first.
      const unread = await payload(db, ACCEPT, accept(id, { expectedVersion: 9 }), 'gz.handler');
      expect(unread.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
      // gd.auditor reads it but holds no role kind the ACCEPT row names.
      const p = await payload(db, ACCEPT, accept(id, { expectedVersion: 9 }), 'gd.auditor');
      expect(p.userErrors).toEqual([
        { code: 'FORBIDDEN', message: expect.any(String), field: null },
      ]);
    }));

  it('D58: a bad details key at acceptance is VALIDATION with its path, after every other check', () =>
    world().tx(async (db) => {
      const id = await received(db);
      const badImei = await payload(
        db,
        ACCEPT,
        accept(id, { details: { imei: '49015420323751X' } }),
        'gd.agent',
      );
      expect(badImei.userErrors).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: ['input', 'details', 'imei'] },
      ]);
      const unknownKey = await payload(
        db,
        ACCEPT,
        accept(id, { details: { broadbandAccount: 'x' } }),
        'gd.agent',
      );
      expect(unknownKey.userErrors).toEqual([
        {
          code: 'VALIDATION',
          message: expect.any(String),
          field: ['input', 'details', 'broadbandAccount'],
        },
      ]);
      // A stale version is answered before the input (D55 order).
      const stale = await payload(
        db,
        ACCEPT,
        accept(id, { details: { imei: 'x' }, expectedVersion: 3 }),
        'gd.agent',
      );
      expect(stale.userErrors.map((e: { code: string }) => e.code)).toEqual(['CONFLICT']);
      expect(await snapshot(db, id)).toEqual({ version: 1, status: 'RECEIVED', events: 1 });
    }));

  it('D55: a refused mutation answers exactly one userError and a null complaint', () =>
    world().tx(async (db) => {
      const id = await received(db);
      const p = await payload(
        db,
        m('dispatchComplaint', 'DispatchComplaintInput'),
        { id, toUnitId: 'x', deadline: served(new Date(T0.getTime() + DAY)) },
        'gd.agent',
      );
      expect(p.complaint).toBeNull();
      expect(p.userErrors).toHaveLength(1);
      expect(p.userErrors[0]).toEqual({
        code: 'INVALID_TRANSITION',
        message: expect.any(String),
        field: null,
      });
      expect(Object.keys(p.userErrors[0]).sort()).toEqual(['code', 'field', 'message']);
    }));
});

describe('viewer kinds (D40, D55)', () => {
  it('D55: a partner calling acceptComplaint gets a GraphQL error and no data, and nothing changes', () =>
    world().tx(async (db) => {
      const w = world();
      const { own } = await partnerRegistered(w, db);
      const gid = toGlobalId('Complaint', own.id);
      const res = await send(
        db,
        ACCEPT,
        {
          id: gid,
          businessLine: 'interconnection',
          category: 'CALL_COMPLETION',
          severity: 'ORDINARY',
        },
        { apiKey: w.partnerKey },
      );
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({ path: ['acceptComplaint'] });
      expect(res.data ?? null).toBeNull();
      expect(res.errors![0]!.extensions?.code).toBe('FORBIDDEN');
      expect(await snapshot(db, gid)).toEqual({ version: 1, status: 'RECEIVED', events: 1 });
    }));

  it('D55: that GraphQL error is FORBIDDEN', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const res = await send(
        db,
        ACCEPT,
        {
          id: toGlobalId('Complaint', randomUUID()),
          businessLine: 'mobile',
          category: 'PROCESS',
          severity: 'ORDINARY',
        },
        { apiKey: w.partnerKey },
      );
      expect(res.errors![0]!.extensions?.code).toBe('FORBIDDEN');
    }));

  it('D55: a partner calling registerComplaint (a staff mutation) gets a GraphQL error, nothing is registered', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const [before] = await db.select({ n: count() }).from(complaints);
      const res = await send(db, REGISTER, registerInput({ channel: 'API' }), {
        apiKey: w.partnerKey,
      });
      expect(res.errors).toHaveLength(1);
      expect(res.data ?? null).toBeNull();
      const [after] = await db.select({ n: count() }).from(complaints);
      expect(after!.n).toBe(before!.n);
    }));

  it('§3 D57: staff withdraw an open case (the note is required); WITHDRAWN then waits for the archive', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const id = (await payload(db, REGISTER, registerInput(), 'gd.agent')).complaint.id;
      const noNote = await payload(db, WITHDRAW, { id, note: '  ' }, 'gd.agent');
      expect(noNote.userErrors).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: ['input', 'note'] },
      ]);
      w.clock.advance(MINUTE);
      const p = await payload(
        db,
        WITHDRAW,
        { id, note: 'The customer called back: solved.' },
        'gd.agent',
      );
      expect(p.userErrors).toEqual([]);
      expect(p.complaint).toMatchObject({ status: 'WITHDRAWN', version: 2 });
      expect(p.complaint.viewerActions).toEqual(['ARCHIVE']);
      const archived = await payload(db, ARCHIVE, { id }, 'gd.agent2');
      expect(archived.complaint).toMatchObject({ status: 'ARCHIVED', version: 3 });
      expect(archived.complaint.archivedAt).toBe('2026-11-23T10:01:00.000+08:00');
    }));

  it('D40: the submitting partner withdraws its own open case through withdrawComplaint', () =>
    world().tx(async (db) => {
      const w = world();
      const { own } = await partnerRegistered(w, db);
      const id = toGlobalId('Complaint', own.id);
      const other = await send(db, WITHDRAW, { id, note: 'Not ours' }, { apiKey: w.zjPartnerKey });
      expect(other.data.withdrawComplaint.userErrors.map((e: { code: string }) => e.code)).toEqual([
        'NOT_FOUND',
      ]);
      const p = await payload(
        db,
        WITHDRAW,
        { id, note: 'Resolved on our side' },
        { apiKey: w.partnerKey },
      );
      expect(p.userErrors).toEqual([]);
      expect(p.complaint).toMatchObject({ status: 'WITHDRAWN', version: 2, viewerActions: [] });
    }));
});
