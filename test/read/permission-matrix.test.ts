import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents } from '../../src/db/schema.js';
import type { ComplaintRow } from '../../src/domain/lifecycle.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { engine } from '../support/cases.js';
import { type As, data, gid, q } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D54 (who reads a case) and D50 (who sees it unmasked, customer and the
 * line's personal-data fields of details alike) as one explicit
 * table: every fixture viewer against seven cases, on every read path
 * (complaint by id and by number, node, nodes, the list and its total, the
 * timeline and the event queries) and on the mutations, which answer
 * NOT_FOUND and write nothing where the case is absent.
 */

const world = useWorld();

const CASES = ['gzCity', 'thCounty', 'szNs', 'bcCentre', 'province', 'partner', 'walkIn'] as const;
type CaseName = (typeof CASES)[number];

/**
 * The expected table, written out by hand from D50/D54 (never computed by
 * the code under test). Columns in CASES order:
 *   gzCity   INVESTIGATING at GD-GZ (city), first responder gd.agent
 *   thCounty INVESTIGATING at GD-GZ-TH, delegated by GD-GZ
 *   szNs     INVESTIGATING at GD-SZ-NS, delegated by GD-SZ
 *   bcCentre INVESTIGATING at the centre GD-BC
 *   province ACCEPTED, still at GD
 *   partner  RECEIVED, submitted by the GD partner (interconnection)
 *   walkIn   registered by th.handler (VISIT), DISPATCHED to GD-SZ
 * U = reads it, personal data unmasked; M = reads it masked; - = absent.
 */
const EXPECTED: Record<As, string> = {
  //             gzCity thCounty szNs bcCentre province partner walkIn
  'gd.agent': 'U      U        U    U        U        U       U',
  'gd.legal': 'U      U        U    U        U        U       U',
  'gd.duty': 'M      M        M    M        M        M       M',
  'gd.auditor': 'M      M        M    M        M        M       M',
  'gd.admin': '-      -        -    -        -        -       -',
  admin: '-      -        -    -        -        -       -',
  'gz.handler': 'U      U        -    -        -        -       -',
  'gz.leader': 'U      U        -    -        -        -       -',
  'gz.duty': 'M      M        -    -        -        -       -',
  'gz.auditor': 'M      M        -    -        -        -       -',
  'th.handler': '-      U        -    -        -        -       U',
  'th.leader': '-      U        -    -        -        -       -',
  'th.duty': '-      M        -    -        -        -       -',
  'yx.handler': '-      -        -    -        -        -       -',
  'sz.handler': '-      -        U    -        -        -       U',
  'sz.duty': '-      -        M    -        -        -       M',
  'bc.handler': '-      -        -    U        -        -       -',
  'zj.agent': '-      -        -    -        -        -       -',
  partner: '-      -        -    -        -        U       -',
  zjPartner: '-      -        -    -        -        -       -',
};

const cell = (viewer: As, c: CaseName) =>
  EXPECTED[viewer]!.split(/\s+/)[CASES.indexOf(c)] as 'U' | 'M' | '-';

type Fixture = { row: ComplaintRow; events: string[] };
const cases = {} as Record<CaseName, Fixture>;

/** The seven cases, committed once for the file (its database is dropped after it). */
beforeAll(async () => {
  const w = world();
  w.clock.set(T0);
  const db = w.database.db;
  const e = engine(w, db);
  const step = () => w.clock.advance(60_000);

  const rows = {} as Record<CaseName, ComplaintRow>;
  // D50 (issue 18): every case carries a personal-data field in its details, masked like the customer's.
  const mobile = { businessLine: 'mobile', details: { msisdn: '13812345678' } };
  rows.gzCity = await e.investigating('city', mobile);
  step();
  rows.thCounty = await e.investigating('county', mobile);
  step();
  rows.szNs = await e.atNanshan(await e.accepted(mobile));
  step();
  rows.bcCentre = await e.investigating('centre', mobile);
  step();
  rows.province = await e.accepted(mobile);
  step();
  rows.partner = await e.register(w.partner, {
    channel: 'API',
    businessLine: 'interconnection',
    category: 'CALL_COMPLETION',
    title: 'Calls to our subscribers fail',
    details: { callingNumber: '13812345678' },
  });
  step();
  rows.walkIn = await e.walkIn({ msisdn: '13812345678' });

  // The set-up is what the table's columns say it is.
  const unitOf = (c: ComplaintRow) =>
    Object.values(w.units).find((u) => u.id === c.handlingUnitId)!.code;
  expect(Object.fromEntries(CASES.map((n) => [n, [rows[n].status, unitOf(rows[n])]]))).toEqual({
    gzCity: ['INVESTIGATING', 'GD-GZ'],
    thCounty: ['INVESTIGATING', 'GD-GZ-TH'],
    szNs: ['INVESTIGATING', 'GD-SZ-NS'],
    bcCentre: ['INVESTIGATING', 'GD-BC'],
    province: ['ACCEPTED', 'GD'],
    partner: ['RECEIVED', 'GD'],
    walkIn: ['DISPATCHED', 'GD-SZ'],
  });
  expect(rows.partner.partnerId).toBe(w.partner.id);
  expect(rows.partner.firstResponderId).toBeNull();
  expect(rows.walkIn.firstResponderId).toBe(w.staff['th.handler']!.id);

  for (const n of CASES) {
    const events = await db
      .select({ id: complaintEvents.id })
      .from(complaintEvents)
      .where(eq(complaintEvents.complaintId, rows[n].id))
      .orderBy(asc(complaintEvents.position));
    cases[n] = { row: rows[n], events: events.map((x) => x.id) };
  }
});

const READ = `query ($id: ID!, $number: String!, $event: ID!) {
  byId: complaint(id: $id) { id number customer { name phone masked } details timeline { edges { node { id action } } } }
  byNumber: complaint(number: $number) { id }
  node(id: $id) { id ... on Complaint { number } }
  nodes(ids: [$id]) { id }
  list: complaints(filter: { search: $number }) { totalCount nodes { id } }
  events: complaintEvents(filter: { complaintId: $id }, first: 100) { edges { node { id } } }
  event: node(id: $event) { id }
}`;

const WITHDRAW = `mutation ($id: ID!) { withdrawComplaint(input: { id: $id, note: "Matrix probe" }) { complaint { id } userErrors { code } } }`;
const SUPERVISE = `mutation ($id: ID!) { addSupervisionNote(input: { id: $id, note: "Matrix probe" }) { complaint { id } userErrors { code } } }`;

const VIEWERS = Object.keys(EXPECTED);

describe('D54 D50: the read matrix, every viewer × every case', () => {
  it('the table covers every fixture role and both partners', () => {
    expect(VIEWERS).toHaveLength(20);
    for (const v of VIEWERS) expect(EXPECTED[v]!.split(/\s+/)).toHaveLength(CASES.length);
  });

  it.each(VIEWERS)('%s', (viewer) =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const isPartner = viewer === 'partner' || viewer === 'zjPartner';
      for (const name of CASES) {
        const { row, events } = cases[name];
        const expected = cell(viewer, name);
        const visible = expected !== '-';
        const where = `${viewer} × ${name}`;
        const d = await data(w, db, viewer, READ, {
          id: gid(row),
          number: row.number,
          event: toGlobalId('ComplaintEvent', events.at(-1)!),
        });

        // complaint(id), complaint(number), node, nodes: all or nothing (D54).
        if (visible) {
          expect(d.byId?.id, where).toBe(gid(row));
          expect(d.byNumber, where).toEqual({ id: gid(row) });
          expect(d.node, where).toEqual({ id: gid(row), number: row.number });
          expect(d.nodes, where).toEqual([{ id: gid(row) }]);
        } else {
          expect([d.byId, d.byNumber, d.node, d.nodes], where).toEqual([null, null, null, [null]]);
        }

        // The list and its total, narrowed to this case by its number.
        expect(d.list, where).toEqual(
          visible ? { totalCount: 1, nodes: [{ id: gid(row) }] } : { totalCount: 0, nodes: [] },
        );

        // The timeline, the event query and an event node.
        const eventIds = events.map((id) => toGlobalId('ComplaintEvent', id));
        if (visible) {
          expect(
            d.byId.timeline.edges.map((x: any) => x.node.id),
            where,
          ).toEqual(eventIds);
          expect(
            d.events.edges.map((x: any) => x.node.id),
            where,
          ).toEqual(eventIds);
          expect(d.event, where).toEqual({ id: eventIds.at(-1) });
        } else {
          expect(d.events.edges, where).toEqual([]);
          expect(d.event, where).toBeNull();
        }

        // D50: masked or not, decided per case and role.
        if (visible) {
          const masked = expected === 'M';
          expect(d.byId.customer.masked, where).toBe(masked);
          expect(d.byId.customer.name, where).toBe(masked ? '张*' : '张三');
          expect(d.byId.customer.phone, where).toBe(masked ? '138****5678' : '13812345678');
          // The line's personal-data field in details, exactly like the customer's phone (issue 18).
          const detail = d.byId.details.msisdn ?? d.byId.details.callingNumber;
          expect(detail, `${where}: details`).toBe(masked ? '138****5678' : '13812345678');
        }
      }

      // Mutations last (each test is rolled back): NOT_FOUND where absent, and nothing written.
      for (const name of CASES) {
        const { row, events } = cases[name];
        const visible = cell(viewer, name) !== '-';
        const where = `${viewer} × ${name}`;
        const probes = isPartner ? [WITHDRAW] : [WITHDRAW, SUPERVISE];
        for (const probe of probes) {
          const res = await q(w, db, viewer, probe, { id: gid(row) });
          expect(res.errors, where).toBeUndefined();
          const payload = Object.values(res.data)[0] as {
            complaint: unknown;
            userErrors: { code: string }[];
          };
          if (!visible) {
            expect(payload, where).toEqual({
              complaint: null,
              userErrors: [{ code: 'NOT_FOUND' }],
            });
            const after = await db
              .select({ id: complaintEvents.id })
              .from(complaintEvents)
              .where(eq(complaintEvents.complaintId, row.id));
            expect(after.length, `${where}: a refused mutation writes nothing`).toBe(events.length);
          } else {
            // A case the viewer reads is never NOT_FOUND: refused for another reason, or done.
            expect(
              payload.userErrors.map((e) => e.code),
              where,
            ).not.toContain('NOT_FOUND');
          }
        }
      }
    }),
  );

  it('D40 D55: a partner may not call a staff mutation, even on its own case (FORBIDDEN as a GraphQL error)', () =>
    world().tx(async (db) => {
      const w = world();
      const res = await q(w, db, 'partner', SUPERVISE, { id: gid(cases.partner.row) });
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }));
});
