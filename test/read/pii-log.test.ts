import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { personalDataReads } from '../../src/db/schema.js';
import { engine } from '../support/cases.js';
import { data, gid } from '../support/gql.js';
import { insertRows } from '../support/rows.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D50: every unmasked read of personal data is recorded — who, which case,
 * which fields, when — once per case per request, in one INSERT per request;
 * masked reads and reads that serve no personal field record nothing.
 */

const world = useWorld();

const log = (db: Db) =>
  db
    .select({
      viewerUserId: personalDataReads.viewerUserId,
      viewerPartnerId: personalDataReads.viewerPartnerId,
      complaintId: personalDataReads.complaintId,
      fields: personalDataReads.fields,
      at: personalDataReads.at,
    })
    .from(personalDataReads)
    .orderBy(asc(personalDataReads.position));

describe('D50: the personal-data read log', () => {
  it('an unmasked read of customer { name } appends one row per request, even when the case appears several times', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await engine(w, db).investigating('city');
      w.clock.set(new Date(T0.getTime() + 60_000));
      const d = await data(
        w,
        db,
        'gz.handler',
        `query ($id: ID!, $n: String!) {
          a: complaint(id: $id) { customer { name } }
          b: complaint(number: $n) { customer { name } }
          node(id: $id) { ... on Complaint { customer { ...Who } } }
          complaints(filter: { search: $n }) { nodes { customer { name masked } } }
        }
        fragment Who on Customer { name }`,
        { id: gid(c), n: c.number },
      );
      expect(d.a.customer.name).toBe('张三');
      expect(d.complaints.nodes).toEqual([{ customer: { name: '张三', masked: false } }]);
      expect(await log(db)).toEqual([
        {
          viewerUserId: w.staff['gz.handler']!.id,
          viewerPartnerId: null,
          complaintId: c.id,
          fields: ['name'],
          at: w.clock.now(),
        },
      ]);

      // Another request: another row. More fields: named in the row.
      await data(
        w,
        db,
        'gz.handler',
        `query ($id: ID!) { complaint(id: $id) { customer { phone name address accountNumber } } }`,
        { id: gid(c) },
      );
      const rows = await log(db);
      expect(rows).toHaveLength(2);
      expect(rows[1]!.fields).toEqual(['name', 'phone', 'address', 'accountNumber']);
    }));

  it('a masked read, or a selection of `masked` only, appends nothing', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await engine(w, db).investigating('county');
      const query = `query ($id: ID!) { complaint(id: $id) { number customer { name phone masked } } }`;
      for (const as of ['gd.auditor', 'gd.duty', 'gz.duty', 'gz.auditor', 'th.duty']) {
        const d = await data(w, db, as, query, { id: gid(c) });
        expect(d.complaint.customer, as).toEqual({
          name: '张*',
          phone: '138****5678',
          masked: true,
        });
      }
      // Unmasked viewers asking only whether it is masked (or for nothing personal) read no personal data.
      for (const as of ['gd.agent', 'gz.handler', 'th.handler']) {
        const d = await data(
          w,
          db,
          as,
          `query ($id: ID!) { complaint(id: $id) { number customer { masked __typename } } }`,
          { id: gid(c) },
        );
        expect(d.complaint.customer.masked, as).toBe(false);
      }
      // Invisible viewers: nothing either.
      expect((await data(w, db, 'sz.handler', query, { id: gid(c) })).complaint).toBeNull();
      expect(await log(db)).toEqual([]);
    }));

  it('the first responder and the submitting partner are logged as themselves', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const walkIn = await e.register('th.handler', { channel: 'VISIT' });
      const submitted = await e.register(w.partner, {
        channel: 'API',
        businessLine: 'interconnection',
        category: 'SMS_BLOCKING',
      });
      await data(
        w,
        db,
        'th.handler',
        `query ($id: ID!) { complaint(id: $id) { customer { address } } }`,
        { id: gid(walkIn) },
      );
      await data(
        w,
        db,
        'partner',
        `query ($id: ID!) { complaint(id: $id) { customer { name phone } } }`,
        { id: gid(submitted) },
      );
      expect((await log(db)).map(({ at: _at, ...r }) => r)).toEqual([
        {
          viewerUserId: w.staff['th.handler']!.id,
          viewerPartnerId: null,
          complaintId: walkIn.id,
          fields: ['address'],
        },
        {
          viewerUserId: null,
          viewerPartnerId: w.partner.id,
          complaintId: submitted.id,
          fields: ['name', 'phone'],
        },
      ]);
    }));

  it('a list of 50 unmasked rows is logged with one INSERT statement', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const rows = await insertRows(
        w,
        db,
        Array.from({ length: 50 }, (_, i) => ({
          handling: i % 2 ? 'GD-GZ' : 'GD-GZ-TH',
          chain: ['GD-GZ'],
          registeredAt: new Date(T0.getTime() - i * 1000),
        })),
      );
      const counter = w.database.statements;
      const list = (selection: string) =>
        `{ complaints(first: 50) { nodes { number customer { ${selection} } } } }`;

      // The same list without a personal field: the baseline.
      let before = counter.count;
      await data(w, db, 'gz.handler', list('masked'));
      const baseline = counter.count - before;
      expect(await log(db)).toEqual([]);

      before = counter.count;
      const d = await data(w, db, 'gz.handler', list('name masked'));
      const withLog = counter.count - before;
      expect(d.complaints.nodes).toHaveLength(50);
      expect(d.complaints.nodes.every((n: any) => n.customer.masked === false)).toBe(true);
      expect(withLog - baseline, 'one INSERT for the whole page').toBe(1);

      const logged = await log(db);
      expect(logged).toHaveLength(50);
      expect(new Set(logged.map((r) => r.complaintId))).toEqual(new Set(rows.map((r) => r.id)));
      expect(
        logged.every(
          (r) => r.viewerUserId === w.staff['gz.handler']!.id && r.fields.join() === 'name',
        ),
      ).toBe(true);

      // An auditor's page of the same 50: masked, nothing logged, no INSERT.
      before = counter.count;
      await data(w, db, 'gz.auditor', list('name masked'));
      expect(counter.count - before).toBe(baseline);
      expect(await log(db)).toHaveLength(50);
    }));

  it('the log is append-only: an UPDATE or DELETE is refused by the database', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await engine(w, db).register();
      await data(
        w,
        db,
        'gd.agent',
        `query ($id: ID!) { complaint(id: $id) { customer { name } } }`,
        { id: gid(c) },
      );
      expect(await log(db)).toHaveLength(1);
      // Each attempt in a savepoint of its own, so the test's transaction survives the refusal.
      await expect(
        db.transaction((tx) =>
          tx
            .update(personalDataReads)
            .set({ fields: [] })
            .where(eq(personalDataReads.complaintId, c.id)),
        ),
      ).rejects.toThrow();
      await expect(
        db.transaction((tx) =>
          tx.delete(personalDataReads).where(eq(personalDataReads.complaintId, c.id)),
        ),
      ).rejects.toThrow();
      expect(await log(db)).toHaveLength(1);
    }));
});
