import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import {
  complaintEvents,
  rectifications,
  responsibilityFindings,
  slaClocks,
} from '../../src/db/schema.js';
import { completeRectification, verifyRectification } from '../../src/domain/rectification.js';
import { ANONYMISED, anonymiseExpired } from '../../src/domain/retention.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { scanAll } from '../../src/sla/scanner.js';
import { DAY, engine, refusal } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { useWorld, type World } from '../support/world.js';

/** D79 (root causes) and D75 (rectification): opened at RESOLVED, completed, verified or reopened, its RECTIFY clock, read and listed. */

function kit(w: World, db: Db) {
  const e = engine(w, db);
  /** INVESTIGATING at GD-GZ, a finding as given, the report through to RESOLVED. */
  const resolvedWith = async (finding: Record<string, unknown>, line = 'mobile') => {
    let c = await e.investigating('city', {}, line);
    await e.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
      nature: 'VALID',
      rootCause: 'Cell down',
      remedy: { kind: 'APOLOGY' },
      ...finding,
    } as never);
    c = await e.act('gz.handler', 'SUBMIT_REPORT', c, {});
    c = await e.act('gz.leader', 'CONFIRM_REPORT', c, { approve: true });
    return e.act('gd.agent', 'REVIEW_REPORT', c, { approve: true });
  };
  const rectsOf = (id: string) =>
    db.select().from(rectifications).where(eq(rectifications.complaintId, id));
  const as = (u: string) => w.staff[u]!;

  return { e, resolvedWith, rectsOf, as, refused: refusal };
}

const world = useWorld();

describe('D79: root causes', () => {
  it('D79: a finding records a cause code from the base list; OTHER when none is given', () =>
    world().tx(async (db) => {
      const { e } = kit(world(), db);
      const c = await e.investigating();
      for (const finding of [
        { rootCause: 'Fibre cut by road works', cause: 'NETWORK_FAULT' },
        { rootCause: 'Not sure yet' }, // no cause given
      ])
        await e.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
          nature: 'VALID',
          remedy: { kind: 'APOLOGY' },
          ...finding,
        });
      const rows = await db
        .select()
        .from(responsibilityFindings)
        .where(eq(responsibilityFindings.complaintId, c.id))
        .orderBy(responsibilityFindings.determinedAt);
      expect(rows.map((r) => r.cause).sort()).toEqual(['NETWORK_FAULT', 'OTHER']);
    }));

  it("D79: an unknown code is a VALIDATION error on input.cause; a line's own code is accepted on its cases only", () =>
    world().tx(async (db) => {
      const { e } = kit(world(), db);
      const c = await e.investigating();
      const bad = await e.refused('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
        nature: 'VALID',
        rootCause: 'x',
        cause: 'SUNSPOTS',
        remedy: { kind: 'APOLOGY' },
      });
      expect([bad.code, bad.field]).toEqual(['VALIDATION', ['input', 'cause']]);
      const own = await e.refused('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
        nature: 'VALID',
        rootCause: 'x',
        cause: 'HEADEND_FAULT',
        remedy: { kind: 'APOLOGY' },
      });
      expect(own.code).toBe('VALIDATION'); // iptv's own cause, on a mobile case
      const tv = await e.investigating('city', {}, 'iptv');
      await e.act('gz.handler', 'DETERMINE_RESPONSIBILITY', tv, {
        nature: 'VALID',
        rootCause: 'Head-end encoder',
        cause: 'HEADEND_FAULT',
        remedy: { kind: 'APOLOGY' },
      });
      const [f] = await db
        .select()
        .from(responsibilityFindings)
        .where(eq(responsibilityFindings.complaintId, tv.id));
      expect(f!.cause).toBe('HEADEND_FAULT');
    }));

  it('D79: the cause is served on the finding and taken by determineResponsibility', () =>
    world().tx(async (db) => {
      const w = world();
      const { e } = kit(w, db);
      const c = await e.investigating();
      const app = w.app(db);
      const r = await gql(
        app,
        `mutation($input: DetermineResponsibilityInput!) { determineResponsibility(input: $input) { complaint { responsibility { cause rootCause } } userErrors { code field } } }`,
        {
          input: {
            id: toGlobalId('Complaint', c.id),
            nature: 'VALID',
            rootCause: 'Wrong tariff applied',
            cause: 'BILLING_ERROR',
            remedy: { kind: 'APOLOGY' },
          },
        },
        { token: await w.token('gz.handler') },
      );
      expect(r.data.determineResponsibility).toEqual({
        complaint: {
          responsibility: { cause: 'BILLING_ERROR', rootCause: 'Wrong tariff applied' },
        },
        userErrors: [],
      });
    }));
});

describe('D75: rectification opens when the case is resolved', () => {
  it('D75: a VALID finding with a suggestion opens one OPEN rectification for the responsible unit, due in 30 working days (RECTIFY)', () =>
    world().tx(async (db) => {
      const w = world();
      const { resolvedWith, rectsOf } = kit(w, db);
      const c = await resolvedWith({
        responsibleUnitId: w.units['GD-GZ-TH']!.id,
        rectification: 'Announce maintenance 48 h ahead',
      });
      const [r, ...more] = await rectsOf(c.id);
      expect(more).toEqual([]);
      expect(r).toMatchObject({
        status: 'OPEN',
        responsibleUnitId: w.units['GD-GZ-TH']!.id,
        what: 'Announce maintenance 48 h ahead',
      });
      const [clock] = await db.select().from(slaClocks).where(eq(slaClocks.rectificationId, r!.id));
      expect(clock).toMatchObject({
        kind: 'RECTIFY',
        state: 'RUNNING',
        budget: { workingDays: 30 },
      });
      expect(r!.dueAt.getTime()).toBe(clock!.dueAt!.getTime());
      // 30 working days counted from Tue 2026-11-24: 28 to Thu 12-31, then Fri 2027-01-01 (the fixture has no 2027
      // calendar loaded: Monday–Friday, D27) and Mon 01-04: due at the end of 2027-01-04.
      expect(r!.dueAt.toISOString()).toBe(new Date('2027-01-05T00:00:00+08:00').toISOString());
    }));

  it('D75: PARTIALLY_VALID opens one too, for the handling unit when the finding names none', () =>
    world().tx(async (db) => {
      const w = world();
      const { resolvedWith, rectsOf } = kit(w, db);
      const c = await resolvedWith({
        nature: 'PARTIALLY_VALID',
        rectification: 'Train the front desk',
      });
      expect((await rectsOf(c.id)).map((r) => r.responsibleUnitId)).toEqual([w.units['GD-GZ']!.id]);
    }));

  it('D75: no rectification for an INVALID finding or one without a suggestion', () =>
    world().tx(async (db) => {
      const { resolvedWith, rectsOf } = kit(world(), db);
      const a = await resolvedWith({ nature: 'INVALID', rectification: 'Nothing really' });
      const b = await resolvedWith({});
      expect([...(await rectsOf(a.id)), ...(await rectsOf(b.id))]).toEqual([]);
    }));

  it("D75: the RECTIFY clock is apart from the case's: closing and archiving the case leave it running", () =>
    world().tx(async (db) => {
      const w = world();
      const { e, resolvedWith, rectsOf } = kit(w, db);
      let c = await resolvedWith({ rectification: 'Fix the cell' });
      c = await e.act('gd.agent', 'REPLY_TO_CUSTOMER', c, { method: 'PHONE', content: 'Done' });
      c = await e.act('gd.agent', 'RECORD_CALLBACK', c, { result: 'SATISFIED' });
      await e.act('gd.agent', 'ARCHIVE', c, {});
      const [r] = await rectsOf(c.id);
      const [clock] = await db.select().from(slaClocks).where(eq(slaClocks.rectificationId, r!.id));
      expect([clock!.state, clock!.stoppedAt]).toEqual(['RUNNING', null]);
      expect((await e.reload(c)).dueAt).toBeNull(); // the case's own due time does not count it
    }));

  it('D75, D21: RECTIFY warns and breaches through the scanner, as SLA alerts of the case', () =>
    world().tx(async (db) => {
      const w = world();
      const { resolvedWith, rectsOf } = kit(w, db);
      const c = await resolvedWith({ rectification: 'Fix the cell' });
      const [r] = await rectsOf(c.id);
      const result = await scanAll(db, new Date(r!.dueAt.getTime() + 1));
      expect(result.breaches).toBeGreaterThanOrEqual(1);
      const alerts = await db
        .select()
        .from(complaintEvents)
        .where(
          and(eq(complaintEvents.complaintId, c.id), eq(complaintEvents.action, 'SLA_BREACH')),
        );
      expect(alerts.map((a) => (a.payload as { clock: string }).clock)).toContain('RECTIFY');
    }));
});

describe('D75: complete and verify', () => {
  it('D75: the responsible unit completes with measures (DONE, clock MET); others are refused in D55 order', () =>
    world().tx(async (db) => {
      const w = world();
      const { resolvedWith, rectsOf, as, refused, e } = kit(w, db);
      const c = await resolvedWith({ rectification: 'Fix the cell' });
      const [r] = await rectsOf(c.id);
      expect(
        (await refused(completeRectification(e.env, as('sz.handler'), r!.id, { measures: 'x' })))
          .code,
      ).toBe('NOT_FOUND'); // not its unit nor above
      expect(
        (await refused(completeRectification(e.env, as('th.handler'), r!.id, { measures: 'x' })))
          .code,
      ).toBe('NOT_FOUND'); // below reads nothing
      expect(
        (await refused(completeRectification(e.env, as('gd.agent'), r!.id, { measures: 'x' })))
          .code,
      ).toBe('FORBIDDEN'); // reads, wrong role kind
      expect(
        (await refused(completeRectification(e.env, as('gz.handler'), null, { measures: 'x' })))
          .code,
      ).toBe('VALIDATION');
      const blank = await refused(
        completeRectification(e.env, as('gz.handler'), r!.id, { measures: '  ' }),
      );
      expect([blank.code, blank.field]).toEqual(['VALIDATION', ['input', 'measures']]);
      w.clock.advance(2 * DAY);
      const done = await completeRectification(e.env, as('gz.leader'), r!.id, {
        measures: 'Cell rebuilt, notices sent',
      });
      expect(done).toMatchObject({
        status: 'DONE',
        measures: 'Cell rebuilt, notices sent',
        doneBy: as('gz.leader').id,
      });
      const [clock] = await db.select().from(slaClocks).where(eq(slaClocks.rectificationId, r!.id));
      expect(clock!.state).toBe('MET');
      expect(
        (
          await refused(
            completeRectification(e.env, as('gz.handler'), r!.id, { measures: 'again' }),
          )
        ).code,
      ).toBe('INVALID_TRANSITION');
    }));

  it("D75: the province's LEGAL_OFFICER or a DEPARTMENT_LEADER above verifies; the unit's own leader may not", () =>
    world().tx(async (db) => {
      const w = world();
      const { resolvedWith, rectsOf, as, refused, e } = kit(w, db);
      const c = await resolvedWith({
        responsibleUnitId: w.units['GD-GZ-TH']!.id,
        rectification: 'Fix the cell',
      });
      const [r] = await rectsOf(c.id);
      expect(
        (await refused(verifyRectification(e.env, as('gd.legal'), r!.id, { approve: true }))).code,
      ).toBe('INVALID_TRANSITION'); // not DONE yet
      await completeRectification(e.env, as('th.handler'), r!.id, { measures: 'Done' });
      expect(
        (await refused(verifyRectification(e.env, as('th.leader'), r!.id, { approve: true }))).code,
      ).toBe('FORBIDDEN'); // its own unit, not above
      expect(
        (await refused(verifyRectification(e.env, as('gz.handler'), r!.id, { approve: true })))
          .code,
      ).toBe('FORBIDDEN'); // role kind
      expect(
        (await refused(verifyRectification(e.env, as('sz.leader'), r!.id, { approve: true }))).code,
      ).toBe('NOT_FOUND');
      const v = await verifyRectification(e.env, as('gz.leader'), r!.id, { approve: true });
      expect(v).toMatchObject({ status: 'VERIFIED', verifiedBy: as('gz.leader').id });
      const c2 = await resolvedWith({
        responsibleUnitId: w.units['GD-GZ-TH']!.id,
        rectification: 'Another',
      });
      const [r2] = await rectsOf(c2.id);
      await completeRectification(e.env, as('th.handler'), r2!.id, { measures: 'Done' });
      expect(
        (await verifyRectification(e.env, as('gd.legal'), r2!.id, { approve: true })).status,
      ).toBe('VERIFIED');
    }));

  it('D75: reopening needs a note and restarts the work with a new RECTIFY due date', () =>
    world().tx(async (db) => {
      const w = world();
      const { resolvedWith, rectsOf, as, refused, e } = kit(w, db);
      const c = await resolvedWith({ rectification: 'Fix the cell' });
      const [r] = await rectsOf(c.id);
      await completeRectification(e.env, as('gz.handler'), r!.id, { measures: 'Done' });
      const noNote = await refused(
        verifyRectification(e.env, as('gd.legal'), r!.id, { approve: false }),
      );
      expect([noNote.code, noNote.field]).toEqual(['VALIDATION', ['input', 'note']]);
      w.clock.advance(10 * DAY);
      const reopened = await verifyRectification(e.env, as('gd.legal'), r!.id, {
        approve: false,
        note: 'The cell still drops calls',
      });
      expect(reopened.status).toBe('REOPENED');
      expect(reopened.dueAt.getTime()).toBeGreaterThan(r!.dueAt.getTime());
      const clocks = await db
        .select()
        .from(slaClocks)
        .where(eq(slaClocks.rectificationId, r!.id))
        .orderBy(slaClocks.startedAt);
      expect(clocks.map((k) => k.state)).toEqual(['MET', 'RUNNING']);
      expect(clocks[1]!.dueAt!.getTime()).toBe(reopened.dueAt.getTime());
      expect(
        (
          await completeRectification(e.env, as('gz.handler'), r!.id, {
            measures: 'Second antenna',
          })
        ).status,
      ).toBe('DONE');
    }));
});

describe('D15, D75: retention', () => {
  it('D15 D75: anonymising an expired case erases what people wrote on its rectifications, keeping status and times', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, resolvedWith, rectsOf, as } = kit(w, db);
      let c = await resolvedWith({ rectification: 'Retrain 张三 at the Tianhe hall' });
      const [r] = await rectsOf(c.id);
      await completeRectification(e.env, as('gz.handler'), r!.id, { measures: 'Talked to 张三' });
      c = await e.act('gd.agent', 'REPLY_TO_CUSTOMER', c, { method: 'PHONE', content: 'Done' });
      await e.act('gd.agent', 'RECORD_CALLBACK', c, { result: 'SATISFIED' });
      const later = new Date(w.clock.now().getTime() + 4 * 366 * DAY);
      expect(await anonymiseExpired(db, later, 3, w.lines)).toBe(1);
      const [after] = await rectsOf(c.id);
      expect(after).toMatchObject({
        what: ANONYMISED,
        measures: ANONYMISED,
        status: 'DONE',
        doneAt: r!.openedAt,
      });
    }));
});

describe('D75: reading and listing', () => {
  const LIST = `query($filter: RectificationFilter, $first: Int, $after: String) {
    rectifications(filter: $filter, first: $first, after: $after) {
      totalCount edges { cursor node { id what status overdue responsibleUnit { code } } } pageInfo { hasNextPage endCursor }
    } }`;

  it('D75: rectifications lists what the responsible unit and its ancestors read, newest first, by subtree, status and overdue, keyset-paged', () =>
    world().tx(async (db) => {
      const w = world();
      const { resolvedWith, rectsOf, as, e } = kit(w, db);
      const _a = await resolvedWith({
        responsibleUnitId: w.units['GD-GZ-TH']!.id,
        rectification: 'A',
      });
      w.clock.advance(60_000);
      const b = await resolvedWith({ rectification: 'B' });
      w.clock.advance(60_000);
      const c = await resolvedWith({ responsibleUnitId: w.units['GD-SZ']!.id, rectification: 'C' });
      const [rb] = await rectsOf(b.id);
      await completeRectification(e.env, as('gz.handler'), rb!.id, { measures: 'Done' });
      const app = w.app(db);
      const list = async (user: string, vars: Record<string, unknown> = {}) => {
        const r = await gql(app, LIST, vars, { token: await w.token(user) });
        if (!r.data) throw new Error(JSON.stringify(r.errors));
        return r.data.rectifications;
      };
      expect((await list('gd.legal')).edges.map((x: any) => x.node.what)).toEqual(['C', 'B', 'A']);
      expect((await list('gz.handler')).edges.map((x: any) => x.node.what)).toEqual(['B', 'A']);
      expect((await list('th.handler')).edges.map((x: any) => x.node.what)).toEqual(['A']);
      expect((await list('sz.handler')).edges.map((x: any) => x.node.what)).toEqual(['C']);
      expect(
        (
          await list('gd.legal', {
            filter: { unitId: toGlobalId('OrgUnit', w.units['GD-GZ']!.id) },
          })
        ).totalCount,
      ).toBe(2);
      expect(
        (await list('gd.legal', { filter: { status: ['DONE'] } })).edges.map(
          (x: any) => x.node.what,
        ),
      ).toEqual(['B']);
      const page1 = await list('gd.legal', { first: 2 });
      expect([page1.edges.length, page1.pageInfo.hasNextPage, page1.totalCount]).toEqual([
        2,
        true,
        3,
      ]);
      const page2 = await list('gd.legal', { first: 2, after: page1.pageInfo.endCursor });
      expect(page2.edges.map((x: any) => x.node.what)).toEqual(['A']);
      expect((await list('gd.legal', { filter: { overdue: true } })).totalCount).toBe(0);
      w.clock.advance(60 * DAY);
      const overdue = await list('gd.legal', { filter: { overdue: true } });
      expect(overdue.edges.map((x: any) => [x.node.what, x.node.overdue])).toEqual([
        ['C', true],
        ['A', true],
      ]);
      const withCase = await gql(
        app,
        `{ rectifications(first: 1) { edges { node { complaint { number } } } } }`,
        {},
        { token: await w.token('gd.legal') },
      );
      expect(withCase.data.rectifications.edges[0].node.complaint.number).toBe(c.number);
    }));

  it('D75: Complaint.rectifications shows those the viewer reads', () =>
    world().tx(async (db) => {
      const w = world();
      const { resolvedWith } = kit(w, db);
      const c = await resolvedWith({ rectification: 'Fix the cell' });
      const app = w.app(db);
      const q = `query($id: ID!) { node(id: $id) { ... on Complaint { rectifications { what status } } } }`;
      const r = await gql(
        app,
        q,
        { id: toGlobalId('Complaint', c.id) },
        { token: await w.token('gz.leader') },
      );
      expect(r.data.node.rectifications).toEqual([{ what: 'Fix the cell', status: 'OPEN' }]);
      // A finding naming another unit (GD-SZ): GD-GZ's staff read the case but not SZ's rectification; the province reads it.
      const other = await resolvedWith({
        responsibleUnitId: w.units['GD-SZ']!.id,
        rectification: 'Shenzhen must fix it',
      });
      const gzView = await gql(
        app,
        q,
        { id: toGlobalId('Complaint', other.id) },
        { token: await w.token('gz.leader') },
      );
      expect(gzView.data.node.rectifications).toEqual([]);
      const gdView = await gql(
        app,
        q,
        { id: toGlobalId('Complaint', other.id) },
        { token: await w.token('gd.legal') },
      );
      expect(gdView.data.node.rectifications).toEqual([
        { what: 'Shenzhen must fix it', status: 'OPEN' },
      ]);
    }));

  it('D75: completeRectification and verifyRectification through the API answer userErrors for refusals', () =>
    world().tx(async (db) => {
      const w = world();
      const { resolvedWith, rectsOf } = kit(w, db);
      const c = await resolvedWith({ rectification: 'Fix the cell' });
      const [r] = await rectsOf(c.id);
      const app = w.app(db);
      const id = toGlobalId('Rectification', r!.id);
      const done = await gql(
        app,
        `mutation($i: CompleteRectificationInput!) { completeRectification(input: $i) { rectification { status measures } userErrors { code } } }`,
        { i: { id, measures: 'Rebuilt' } },
        { token: await w.token('gz.handler') },
      );
      expect(done.data.completeRectification).toEqual({
        rectification: { status: 'DONE', measures: 'Rebuilt' },
        userErrors: [],
      });
      const no = await gql(
        app,
        `mutation($i: ReportDecisionInput!) { verifyRectification(input: $i) { rectification { status } userErrors { code } } }`,
        { i: { id, approve: true } },
        { token: await w.token('gz.leader') },
      );
      expect(no.data.verifyRectification).toEqual({
        rectification: null,
        userErrors: [{ code: 'FORBIDDEN' }],
      });
      const yes = await gql(
        app,
        `mutation($i: ReportDecisionInput!) { verifyRectification(input: $i) { rectification { status verifiedBy { username } } userErrors { code } } }`,
        { i: { id, approve: true } },
        { token: await w.token('gd.legal') },
      );
      expect(yes.data.verifyRectification).toEqual({
        rectification: { status: 'VERIFIED', verifiedBy: { username: 'gd.legal' } },
        userErrors: [],
      });
    }));
});
