import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { sha256Hex } from '../../src/domain/canonical-json.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { DAY, engine, HOUR } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * DOMAIN §10 over the API: the walkthrough of the README (a consultation
 * answered, a query forwarded, a fault report repaired), the new Complaint
 * fields, the ledgers' mutations with their userErrors (D55), each mutation's
 * one event with its `note` (D51, D56), and statistics by KIND equal to list
 * totals for the same kinds (D59, D70).
 */

const world = useWorld();

const CASE = `id number status kind version viewerActions promisedAt
  convertedFrom { number } convertedTo { number kind }
  supervision { supervisor { username } supervisingUnit { code } reason progressDueAt endedAt progressReports { note by { username } } }
  transfer { transferredBy reference deadline feedback { method content by { username } } }
  extensions { clock fromDueAt toDueAt reason status requestedBy { username } decidedBy { username } }
  clocks { kind state dueAt }
  timeline(last: 1) { edges { node { action fromStatus toStatus note payload } } }`;
const PAYLOAD = `complaint { ${CASE} } userErrors { code message field }`;
const m = (name: string, input: string) =>
  `mutation ($input: ${input}!) { ${name}(input: $input) { ${PAYLOAD} } }`;

const REGISTER = m('registerComplaint', 'RegisterComplaintInput');
const ACCEPT = m('acceptComplaint', 'AcceptComplaintInput');
const ANSWER = m('answerContact', 'AnswerContactInput');
const FORWARD = m('forwardContact', 'DispatchComplaintInput');
const CONVERT = m('convertToComplaint', 'ComplaintActionInput');
const OPEN = m('openSupervision', 'ComplaintActionInput');
const HAND_OVER = m('handOverSupervision', 'HandOverSupervisionInput');
const PROGRESS = m('reportProgress', 'ComplaintActionInput');
const FEEDBACK = m('recordTransferFeedback', 'TransferFeedbackInput');
const REQUEST = m('requestExtension', 'RequestExtensionInput');
const DECIDE = m('decideExtension', 'DecisionInput');

const customer = { name: '李四', phone: '139 0000 1111', address: '广东省深圳市南山区科技园' };
const contact = (kind: string, over: Record<string, unknown> = {}) => ({
  channel: 'PHONE',
  kind,
  title: 'How much is the 5G plan?',
  description: 'The customer asks about the monthly fee.',
  customer,
  ...over,
});

type Payload = {
  complaint: Record<string, any> | null;
  userErrors: { code: string; field: string[] | null }[];
};

async function call(
  w: World,
  db: Db,
  as: string,
  query: string,
  input: Record<string, unknown>,
): Promise<Payload> {
  const res = await gql(w.app(db), query, { input }, { token: await w.token(as) });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return Object.values(res.data as Record<string, Payload>)[0]!;
}
async function ok(w: World, db: Db, as: string, query: string, input: Record<string, unknown>) {
  const p = await call(w, db, as, query, input);
  expect(p.userErrors).toEqual([]);
  return p.complaint!;
}
const lastEvent = (c: Record<string, any>) => c.timeline.edges[0].node;
const unitGid = (w: World, code: string) => toGlobalId('OrgUnit', w.units[code]!.id);

describe('the README walkthrough: a consultation answered, a query forwarded, a fault report repaired', () => {
  it('D70 D71 D56: a business-hall clerk registers a consultation and answers it: CLOSED, one ANSWER_CONTACT event', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await ok(
        w,
        db,
        'th.handler',
        REGISTER,
        contact('CONSULTATION', { channel: 'BUSINESS_HALL' }),
      );
      expect(c).toMatchObject({ kind: 'CONSULTATION', status: 'RECEIVED' });
      expect(c.viewerActions).toEqual(
        expect.arrayContaining(['ANSWER_CONTACT', 'FORWARD_CONTACT', 'CONVERT_TO_COMPLAINT']),
      );
      expect(c.clocks.map((k: { kind: string }) => k.kind)).not.toContain('ACCEPT');
      const answered = await ok(w, db, 'th.handler', ANSWER, {
        id: c.id,
        method: 'PHONE',
        content: '129 yuan a month, 100 GB.',
      });
      expect(answered).toMatchObject({ status: 'CLOSED', version: 2 });
      expect(lastEvent(answered)).toMatchObject({
        action: 'ANSWER_CONTACT',
        fromStatus: 'RECEIVED',
        toStatus: 'CLOSED',
      });
      // D70: today's portals list complaints only unless they ask for the kind.
      const list = await gql(
        w.app(db),
        `{ a: complaints { totalCount } b: complaints(filter: { kinds: [CONSULTATION] }) { totalCount } }`,
        {},
        { token: await w.token('th.handler') },
      );
      expect(list.data).toEqual({ a: { totalCount: 0 }, b: { totalCount: 1 } });
    }));

  it('D71 D10 D51: a query is forwarded to a city with a deadline; its handler answers; a bad deadline is a userError', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const q = await ok(
        w,
        db,
        'gd.agent',
        REGISTER,
        contact('QUERY', { title: 'Why was I charged twice?' }),
      );
      const bad = await call(w, db, 'gd.agent', FORWARD, {
        id: q.id,
        toUnitId: unitGid(w, 'GD-SZ'),
        deadline: new Date(T0.getTime() + 20 * DAY).toISOString(),
      });
      expect(bad.userErrors).toMatchObject([{ code: 'VALIDATION', field: ['input', 'deadline'] }]);
      const fwd = await ok(w, db, 'gd.agent', FORWARD, {
        id: q.id,
        toUnitId: unitGid(w, 'GD-SZ'),
        deadline: new Date(T0.getTime() + DAY).toISOString(),
        note: 'Billing is in Shenzhen',
      });
      expect(lastEvent(fwd)).toMatchObject({
        action: 'FORWARD_CONTACT',
        note: 'Billing is in Shenzhen',
        payload: { noteSha256: sha256Hex('Billing is in Shenzhen'), toUnit: 'GD-SZ' },
      });
      const answered = await ok(w, db, 'sz.handler', ANSWER, {
        id: q.id,
        method: 'SMS',
        content: 'The second charge is refunded.',
      });
      expect(answered.status).toBe('CLOSED');
      expect(answered.clocks.find((k: { kind: string }) => k.kind === 'ASSIGNMENT').state).toBe(
        'MET',
      );
    }));

  it('D72 D73: a fault report of a big customer is accepted on the enterprise line: REPAIR due in 4 hours, supervised by the province', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const f = await ok(
        w,
        db,
        'bc.handler',
        REGISTER,
        contact('FAULT_REPORT', {
          title: 'Leased line down',
          description: 'The 100M line of the factory is down.',
        }),
      );
      const acc = await ok(w, db, 'gd.agent', ACCEPT, {
        id: f.id,
        businessLine: 'enterprise',
        category: 'NETWORK_TECHNICAL',
        severity: 'ORDINARY',
      });
      const repair = acc.clocks.find((k: { kind: string }) => k.kind === 'REPAIR');
      expect(new Date(repair.dueAt).getTime()).toBe(T0.getTime() + 4 * HOUR);
      expect(acc.clocks.map((k: { kind: string }) => k.kind)).not.toContain('RESOLVE');
      expect(acc.supervision).toMatchObject({
        supervisor: null,
        supervisingUnit: { code: 'GD' },
        reason: 'FAULT_REPORT',
        endedAt: null,
      });
      const taken = await ok(w, db, 'gd.duty', HAND_OVER, {
        id: f.id,
        toUserId: toGlobalId('User', w.staff['gd.duty']!.id),
      });
      expect(taken.supervision.supervisor).toEqual({ username: 'gd.duty' });
      const reported = await ok(w, db, 'gd.agent', PROGRESS, {
        id: f.id,
        note: 'Engineer on the way',
      });
      expect(reported.supervision.progressReports).toEqual([
        { note: 'Engineer on the way', by: { username: 'gd.agent' } },
      ]);
      expect(lastEvent(reported)).toMatchObject({
        action: 'REPORT_PROGRESS',
        note: 'Engineer on the way',
      });
      const sup = await gql(
        w.app(db),
        `{ supervisedComplaints(first: 5) { totalCount edges { node { number } } } }`,
        {},
        { token: await w.token('gd.duty') },
      );
      expect(sup.data).toEqual({
        supervisedComplaints: { totalCount: 1, edges: [{ node: { number: f.number } }] },
      });
      // The count alone is one count: the page is not read (as `complaints`), and the cursor is still checked.
      const statements = async (query: string) => {
        const before = w.database.statements.count;
        const r = await gql(w.app(db), query, {}, { token: await w.token('gd.duty') });
        return { r, n: w.database.statements.count - before };
      };
      const alone = await statements('{ supervisedComplaints { totalCount } }');
      const both = await statements('{ supervisedComplaints { totalCount nodes { number } } }');
      expect(alone.r.data).toEqual({ supervisedComplaints: { totalCount: 1 } });
      expect(both.r.data).toEqual({
        supervisedComplaints: { totalCount: 1, nodes: [{ number: f.number }] },
      });
      expect(alone.n).toBe(both.n - 1);
      const bad = await statements('{ supervisedComplaints(after: "junk") { totalCount } }');
      expect(bad.r.errors?.[0]?.extensions?.code).toBe('VALIDATION');
      expect(bad.r.errors?.[0]?.message).toBe('after is not a cursor of this list');
    }));
});

describe('the other mutations of DOMAIN §10 over the API', () => {
  it('D71: convertToComplaint answers the new COMPLAINT; both are linked', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const q = await ok(w, db, 'gd.agent', REGISTER, contact('QUERY'));
      const made = await ok(w, db, 'gd.agent', CONVERT, { id: q.id, note: 'It is a complaint' });
      expect(made).toMatchObject({
        kind: 'COMPLAINT',
        status: 'RECEIVED',
        convertedFrom: { number: q.number },
      });
      const old = await gql(
        w.app(db),
        `query ($id: ID!) { complaint(id: $id) { status convertedTo { number kind } } }`,
        { id: q.id },
        { token: await w.token('gd.agent') },
      );
      expect(old.data).toEqual({
        complaint: { status: 'CLOSED', convertedTo: { number: made.number, kind: 'COMPLAINT' } },
      });
    }));

  it('D55 D73: openSupervision refusals are userErrors in D55 order; a city duty manager opens one', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const c = await e.investigating('city');
      const id = toGlobalId('Complaint', c.id);
      expect((await call(w, db, 'gd.auditor', OPEN, { id })).userErrors).toMatchObject([
        { code: 'FORBIDDEN' },
      ]);
      expect((await call(w, db, 'th.duty', OPEN, { id })).userErrors).toMatchObject([
        { code: 'NOT_FOUND' },
      ]);
      expect(
        (await call(w, db, 'gz.duty', OPEN, { id, expectedVersion: 1 })).userErrors,
      ).toMatchObject([{ code: 'CONFLICT' }]);
      const opened = await ok(w, db, 'gz.duty', OPEN, { id, note: 'Keep an eye on it' });
      expect(opened.supervision).toMatchObject({
        supervisor: { username: 'gz.duty' },
        supervisingUnit: { code: 'GD-GZ' },
        reason: 'OPENED',
      });
      expect((await call(w, db, 'gz.duty', OPEN, { id })).userErrors).toMatchObject([
        { code: 'INVALID_TRANSITION' },
      ]);
      const brief = await gql(
        w.app(db),
        `{ dutyBriefing { supervisedOverdue } }`,
        {},
        { token: await w.token('gz.duty') },
      );
      expect(brief.data).toEqual({ dutyBriefing: { supervisedOverdue: 0 } });
      w.clock.set(new Date('2026-11-26T09:00:00+08:00'));
      const later = await gql(
        w.app(db),
        `{ dutyBriefing { supervisedOverdue } }`,
        {},
        { token: await w.token('gz.duty') },
      );
      expect(later.data).toEqual({ dutyBriefing: { supervisedOverdue: 1 } });
    }));

  it('D74 D78: a transfer with its body, feedback recorded; an extension requested and approved moves promisedAt', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const deadline = new Date(T0.getTime() + 10 * DAY).toISOString();
      const t = await ok(
        w,
        db,
        'gd.legal',
        REGISTER,
        contact('COMPLAINT', {
          source: 'REGULATOR_TRANSFER',
          transferredBy: '广东省通信管理局',
          externalRef: 'GDCA-7',
          externalDeadline: deadline,
        }),
      );
      expect(t.transfer).toEqual({
        transferredBy: '广东省通信管理局',
        reference: 'GDCA-7',
        deadline: '2026-12-03T10:00:00.000+08:00',
        feedback: [],
      });
      const fed = await ok(w, db, 'gd.legal', FEEDBACK, {
        id: t.id,
        method: 'LETTER',
        content: 'Registered and being handled.',
      });
      expect(fed.transfer.feedback).toEqual([
        {
          method: 'LETTER',
          content: 'Registered and being handled.',
          by: { username: 'gd.legal' },
        },
      ]);
      expect(fed.clocks.find((k: { kind: string }) => k.kind === 'FEEDBACK').state).toBe('MET');
      const ordinary = await ok(w, db, 'gd.agent', REGISTER, contact('COMPLAINT'));
      const to = new Date(T0.getTime() + 20 * DAY).toISOString();
      const req = await ok(w, db, 'gd.agent', REQUEST, {
        id: ordinary.id,
        clock: 'ANSWER',
        dueAt: to,
        note: 'Waiting for the vendor',
      });
      expect(req.extensions).toMatchObject([
        {
          clock: 'ANSWER',
          status: 'PENDING',
          reason: 'Waiting for the vendor',
          requestedBy: { username: 'gd.agent' },
        },
      ]);
      expect(
        (await call(w, db, 'gd.agent2', DECIDE, { id: ordinary.id, approve: true })).userErrors,
      ).toMatchObject([{ code: 'FORBIDDEN' }]);
      const decided = await ok(w, db, 'gd.legal', DECIDE, { id: ordinary.id, approve: true });
      expect(decided.promisedAt).toBe('2026-12-13T10:00:00.000+08:00');
      expect(decided.extensions).toMatchObject([
        { status: 'APPROVED', decidedBy: { username: 'gd.legal' } },
      ]);
      expect(lastEvent(decided)).toMatchObject({
        action: 'DECIDE_EXTENSION',
        payload: { approve: true, clock: 'ANSWER' },
      });
    }));
});

describe('D59 D70: statistics by KIND agree with the lists of the same kinds', () => {
  it("D59 D70: complaintStats grouped by KIND over every kind equals each kind's list totalCount; the defaults count complaints only", () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      await e.register('gd.agent');
      await e.accepted();
      await e.register('th.duty', { kind: 'CONSULTATION', channel: 'ONLINE' });
      await e.register('gd.agent', { kind: 'CONSULTATION' });
      await e.register('gz.handler', { kind: 'QUERY', channel: 'PHONE' });
      await e.register('bc.handler', { kind: 'FAULT_REPORT', channel: 'PHONE' });
      await e.act(
        'gd.agent',
        'ANSWER_CONTACT',
        await e.register('gd.agent', { kind: 'BUSINESS_REQUEST' }),
        { method: 'PHONE', content: 'Done' },
      );
      const from = new Date(T0.getTime() - DAY).toISOString();
      const to = new Date(T0.getTime() + DAY).toISOString();
      const ALL = ['COMPLAINT', 'CONSULTATION', 'QUERY', 'BUSINESS_REQUEST', 'FAULT_REPORT'];
      for (const as of ['gd.agent', 'gd.duty', 'gz.handler', 'th.duty']) {
        const token = await w.token(as);
        const stats = await gql(
          w.app(db),
          `query ($i: StatsInput!) { complaintStats(input: $i) { keys count } }`,
          { i: { from, to, groupBy: ['KIND'], kinds: ALL } },
          { token },
        );
        expect(stats.errors).toBeUndefined();
        const rows = (stats.data as { complaintStats: { keys: { KIND: string }; count: number }[] })
          .complaintStats;
        for (const kind of ALL) {
          const list = await gql(
            w.app(db),
            `query ($f: ComplaintFilter) { complaints(filter: $f) { totalCount } }`,
            { f: { kinds: [kind], registeredFrom: from, registeredTo: to } },
            { token },
          );
          const total = (list.data as { complaints: { totalCount: number } }).complaints.totalCount;
          expect(rows.find((r) => r.keys.KIND === kind)?.count ?? 0, `${as} ${kind}`).toBe(total);
        }
        const byDefault = await gql(
          w.app(db),
          `query ($i: StatsInput!, $f: ComplaintFilter) { complaintStats(input: $i) { keys count } complaints(filter: $f) { totalCount } }`,
          { i: { from, to, groupBy: ['KIND'] }, f: { registeredFrom: from, registeredTo: to } },
          { token },
        );
        const d = byDefault.data as {
          complaintStats: { keys: { KIND: string }; count: number }[];
          complaints: { totalCount: number };
        };
        expect(d.complaintStats.every((r) => r.keys.KIND === 'COMPLAINT')).toBe(true);
        expect(d.complaintStats.reduce((n, r) => n + r.count, 0)).toBe(d.complaints.totalCount);
      }
      // gd.agent reads all seven; a county duty manager only the consultation it registered (D10).
      const mine = await gql(
        w.app(db),
        `query ($i: StatsInput!) { complaintStats(input: $i) { keys count } }`,
        { i: { from, to, groupBy: ['KIND'], kinds: ALL } },
        { token: await w.token('gd.agent') },
      );
      expect(
        (mine.data as { complaintStats: { count: number }[] }).complaintStats.reduce(
          (n, r) => n + r.count,
          0,
        ),
      ).toBe(7);
      const th = await gql(
        w.app(db),
        `query ($i: StatsInput!) { complaintStats(input: $i) { keys count } }`,
        { i: { from, to, groupBy: ['KIND'], kinds: ALL } },
        { token: await w.token('th.duty') },
      );
      expect((th.data as { complaintStats: unknown }).complaintStats).toEqual([
        { keys: { KIND: 'CONSULTATION' }, count: 1 },
      ]);
      const assess = await gql(
        w.app(db),
        `query ($i: AssessmentInput!) { assessment(input: $i) { received } }`,
        { i: { from, to, by: 'UNIT', kinds: ['QUERY'] } },
        { token: await w.token('gd.agent') },
      );
      expect(
        (assess.data as { assessment: { received: number }[] }).assessment.reduce(
          (n, r) => n + r.received,
          0,
        ),
      ).toBe(1);
    }));
});
