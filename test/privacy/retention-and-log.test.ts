import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { complaintsWhere } from '../../src/auth/sql.js';
import { rowsOf } from '../../src/db/client.js';
import { personalDataReads } from '../../src/db/schema.js';
import { ANONYMISED, anonymiseExpired } from '../../src/domain/retention.js';
import { assessment, complaintStats } from '../../src/domain/stats.js';
import { verifyChain } from '../../src/events/append.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { DAY, engine } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

const world = useWorld();
const YEAR = 365 * DAY;

const CUSTOMER = `query ($id: ID!) { complaint(id: $id) { number customer { name phone masked } } }`;
const READS = `query ($unitId: ID, $complaintId: ID, $first: Int, $after: String) {
  personalDataReads(unitId: $unitId, complaintId: $complaintId, first: $first, after: $after) {
    edges { cursor node { viewer { ... on User { username } } complaint { number } fields at } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('D15 retention and anonymisation', () => {
  it('D15: an archived case past retention loses its personal data, gains an ANONYMISE event, and the chain still verifies', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const archived = await e.archived();
      const before = await e.reload(archived);
      // Not yet: 3 years less a day after the archive.
      expect(
        await anonymiseExpired(db, new Date(T0.getTime() + 3 * YEAR - DAY), 3, world().lines),
      ).toBe(0);
      expect(
        await anonymiseExpired(db, new Date(T0.getTime() + 3 * YEAR + 2 * DAY), 3, world().lines),
      ).toBe(1);
      const after = await e.reload(archived);
      expect(after.customerName).toBe(ANONYMISED);
      expect(after.customerPhone).toBe(ANONYMISED);
      expect(after.customerAddress).toBeNull();
      expect(after.customerAccount).toBeNull();
      expect(after.anonymisedAt).not.toBeNull();
      // Nothing else changed: state, version, classification, the repeat flag used by statistics (D31).
      // (D15 also replaces the free text: title and description; the line's personal details.)
      const {
        customerName,
        customerPhone,
        customerAddress,
        customerAccount,
        anonymisedAt,
        lastEventHash,
        title,
        description,
        details,
        ...restAfter
      } = after;
      const {
        customerName: _n,
        customerPhone: _p,
        customerAddress: _a,
        customerAccount: _c,
        anonymisedAt: _t,
        lastEventHash: _h,
        title: _ti,
        description: _d,
        details: _de,
        ...restBefore
      } = before;
      expect(restAfter).toEqual(restBefore);
      const [last] = rowsOf<{
        action: string;
        actor_user_id: string | null;
        from_status: string;
        to_status: string;
        payload: unknown;
      }>(
        await db.execute(
          sql`select action, actor_user_id, from_status, to_status, payload from complaint_events where complaint_id = ${archived.id} order by position desc limit 1`,
        ),
      );
      expect(last).toEqual({
        action: 'ANONYMISE',
        actor_user_id: null,
        from_status: 'ARCHIVED',
        to_status: 'ARCHIVED',
        payload: null,
      });
      expect((await verifyChain(db, archived.id)).ok).toBe(true);
      // A second run finds nothing more.
      expect(await anonymiseExpired(db, new Date(T0.getTime() + 4 * YEAR), 3, world().lines)).toBe(
        0,
      );
    }));

  it('D15: open cases are never anonymised; recently ended ones not yet; a closed one (never archived) once retention has passed', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const open = await e.accepted();
      const closed = await e.closed();
      expect(await anonymiseExpired(db, new Date(T0.getTime() + 2 * YEAR), 3, world().lines)).toBe(
        0,
      );
      expect((await e.reload(closed)).anonymisedAt).toBeNull();
      expect(await anonymiseExpired(db, new Date(T0.getTime() + 10 * YEAR), 3, world().lines)).toBe(
        1,
      );
      expect((await e.reload(open)).customerName).not.toBe(ANONYMISED);
      expect((await e.reload(open)).anonymisedAt).toBeNull();
      expect((await e.reload(closed)).anonymisedAt).not.toBeNull();
    }));

  it('D50 D15: an anonymised case reads as masked for everyone and logs no read', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const archived = await e.archived();
      await anonymiseExpired(db, new Date(T0.getTime() + 4 * YEAR), 3, world().lines);
      const r = await gql(
        world().app(db),
        CUSTOMER,
        { id: toGlobalId('Complaint', archived.id) },
        { token: await world().token('gd.agent') },
      );
      expect(r.data.complaint.customer).toEqual({
        name: ANONYMISED,
        phone: ANONYMISED,
        masked: true,
      });
      expect(
        await db
          .select()
          .from(personalDataReads)
          .where(eq(personalDataReads.complaintId, archived.id)),
      ).toEqual([]);
    }));
});

describe('D15 D31: statistics survive anonymisation', () => {
  it('D15 D31: stats and assessment give the same numbers before and after, repeat complaints included', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      await e.archived(); // 13812345678 on mobile
      world().clock.set(new Date(T0.getTime() + DAY));
      await e.archived(); // the same customer and line a day later: a repeat (D31)
      await e.accepted({ customer: { name: '王五', phone: '13900000000' } });
      const who = e.who('gd.agent');
      const read = complaintsWhere(who.ability, 'read');
      const gd = world().units.GD!;
      const from = new Date(T0.getTime() - DAY);
      const to = new Date(T0.getTime() + 2 * DAY);
      const figures = async (now: Date) => ({
        stats: await complaintStats(db, read, gd, from, to, ['UNIT', 'STATUS', 'BUSINESS_LINE']),
        unit: await assessment(db, read, gd, from, to, 'UNIT', now),
        person: await assessment(db, read, gd, from, to, 'PERSON', now),
      });
      const later = new Date(T0.getTime() + 4 * YEAR);
      const before = await figures(later);
      expect(before.unit.reduce((n, r) => n + (r.repeatRate ?? 0) * r.received, 0)).toBeCloseTo(1);
      expect(await anonymiseExpired(db, later, 3, world().lines)).toBe(2);
      expect(await figures(later)).toEqual(before);
    }));
});

describe('D50 the personal-data access log', () => {
  it('D50: unmasked reads are listed for the auditor of the subtree, newest first, with who, case, fields and time', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const c = await e.investigating('city');
      const app = world().app(db);
      const id = toGlobalId('Complaint', c.id);
      await gql(app, CUSTOMER, { id }, { token: await world().token('gz.handler') });
      world().clock.advance(60_000);
      await gql(app, CUSTOMER, { id }, { token: await world().token('gd.agent') });
      // Masked readers leave no entry (D50).
      const masked = await gql(app, CUSTOMER, { id }, { token: await world().token('gz.duty') });
      expect(masked.data.complaint.customer.masked).toBe(true);

      const r = await gql(
        app,
        READS,
        { unitId: toGlobalId('OrgUnit', world().units['GD-GZ']!.id) },
        { token: await world().token('gz.auditor') },
      );
      expect(r.errors).toBeUndefined();
      const nodes = r.data.personalDataReads.edges.map((x: any) => x.node);
      expect(nodes.map((n: any) => n.viewer.username)).toEqual(['gd.agent', 'gz.handler']);
      expect(nodes.every((n: any) => n.complaint.number === c.number)).toBe(true);
      expect(nodes[0].fields).toEqual(['name', 'phone']);

      // Paging: one at a time, newest first, `after` exclusive.
      const p1 = await gql(app, READS, { first: 1 }, { token: await world().token('gz.auditor') });
      const p2 = await gql(
        app,
        READS,
        { first: 1, after: p1.data.personalDataReads.pageInfo.endCursor },
        { token: await world().token('gz.auditor') },
      );
      expect(p1.data.personalDataReads.edges[0].node.viewer.username).toBe('gd.agent');
      expect(p2.data.personalDataReads.edges[0].node.viewer.username).toBe('gz.handler');
      expect(p2.data.personalDataReads.pageInfo.hasNextPage).toBe(false);
    }));

  it('D50: only AUDITORs of the subtree read the log (others FORBIDDEN, another subtree empty or FORBIDDEN)', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const c = await e.investigating('city');
      const app = world().app(db);
      await gql(
        app,
        CUSTOMER,
        { id: toGlobalId('Complaint', c.id) },
        { token: await world().token('gz.handler') },
      );
      for (const user of ['gz.handler', 'gd.duty', 'gd.agent', 'admin']) {
        const r = await gql(app, READS, {}, { token: await world().token(user) });
        expect(r.errors?.[0]?.extensions?.code, user).toBe('FORBIDDEN');
        expect(r.data ?? null).toBeNull();
      }
      // gz.auditor may not audit the SZ subtree.
      const sz = await gql(
        app,
        READS,
        { unitId: toGlobalId('OrgUnit', world().units['GD-SZ']!.id) },
        { token: await world().token('gz.auditor') },
      );
      expect(sz.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // The province auditor sees the GZ read.
      const gd = await gql(app, READS, {}, { token: await world().token('gd.auditor') });
      expect(gd.data.personalDataReads.edges).toHaveLength(1);
      // The partner's key is not an auditor either.
      const partner = await gql(app, READS, {}, { apiKey: world().partnerKey });
      expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }));

  it('D51: the access log is append-only in the database', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const c = await e.investigating('city');
      await gql(
        world().app(db),
        CUSTOMER,
        { id: toGlobalId('Complaint', c.id) },
        { token: await world().token('gz.handler') },
      );
      await expect(
        db.transaction(async (tx) => tx.execute(sql`update personal_data_reads set at = now()`)),
      ).rejects.toThrow();
      await expect(
        db.transaction(async (tx) => tx.execute(sql`delete from personal_data_reads`)),
      ).rejects.toThrow();
      expect(
        (await db.select().from(personalDataReads).where(eq(personalDataReads.complaintId, c.id)))
          .length,
      ).toBe(1);
    }));
});
