import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditRecords, complaints } from '../../src/db/schema.js';
import { ANONYMISED } from '../../src/domain/retention.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { type App, createApp } from '../../src/server/app.js';
import { engine } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * Issue 18 and the export points of issue 19: every export is one audit
 * record (who, filter, rows, when) that the scope's AUDITORs read; rows are
 * capped (EXPORT_MAX_ROWS) with a trailer line saying so; the CSV starts with
 * a UTF-8 BOM; the filter is validated like the GraphQL input (400, nothing
 * logged); exports are rate-limited by the same per-viewer limiter as
 * GraphQL operations.
 */
const world = useWorld();

const get = async (app: App, path: string, token?: string) => {
  const res = await app.yoga.fetch(`http://test${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return {
    status: res.status,
    headers: res.headers,
    bytes: new Uint8Array(await res.clone().arrayBuffer()),
    text: await res.text(),
  };
};
const filterParam = (f: unknown) => `filter=${encodeURIComponent(JSON.stringify(f))}`;
const AUDIT = `{ auditRecords { edges { node { action actor { username } unit { code } detail at } } } }`;

describe('exports: BOM, cap, one audit record (issue 18, issue 19)', () => {
  it('issue 18: the CSV starts with a UTF-8 BOM so spreadsheets show Chinese', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      await engine(world(), db).investigating('city', { title: '家里没有信号' });
      const r = await get(
        world().app(db),
        '/exports/complaints.csv',
        await world().token('gz.handler'),
      );
      expect(r.status).toBe(200);
      expect([...r.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(r.bytes)).toContain(
        '家里没有信号',
      );
      const stats = await get(
        world().app(db),
        '/exports/stats.csv?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00&groupBy=STATUS',
        await world().token('gz.handler'),
      );
      expect([...stats.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    }));

  it('D50 issue 19: an export is ONE audit record (who, filter, rows, when), read by the scope’s auditors; no access-log row per row', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      await e.investigating('city');
      await e.investigating('city');
      await e.investigating('city');
      const app = w.app(db);
      const before = (await db.select().from(auditRecords)).length;
      const f = { status: ['INVESTIGATING'], registeredFrom: '2026-01-01T00:00:00+08:00' };
      const r = await get(
        app,
        `/exports/complaints.csv?${filterParam(f)}`,
        await w.token('gz.handler'),
      );
      expect(r.status).toBe(200);
      expect(r.text.trim().split('\r\n')).toHaveLength(4);
      const records = await db.select().from(auditRecords);
      expect(records.length).toBe(before + 1);
      const a = await gql(app, AUDIT, {}, { token: await w.token('gz.auditor') });
      expect(a.data.auditRecords.edges[0].node).toMatchObject({
        action: 'EXPORT_COMPLAINTS',
        actor: { username: 'gz.handler' },
        unit: { code: 'GD-GZ' },
        detail: { filter: f, rows: 3, unmaskedRows: 3, truncated: false },
        at: '2026-11-23T10:00:00.000+08:00',
      });
      // A customer phone in the filter is logged masked (D50: no personal data in the audit log).
      await get(
        app,
        `/exports/complaints.csv?${filterParam({ customerPhone: '13812345678' })}`,
        await w.token('gz.handler'),
      );
      const p = await gql(app, AUDIT, {}, { token: await w.token('gz.auditor') });
      expect(p.data.auditRecords.edges[0].node.detail.filter).toEqual({
        customerPhone: '138****5678',
      });
      expect(JSON.stringify(p.data)).not.toContain('13812345678');
      // A masked export is logged too.
      await get(app, '/exports/complaints.csv', await w.token('gz.duty'));
      const b = await gql(app, AUDIT, {}, { token: await w.token('gd.auditor') });
      expect(b.data.auditRecords.edges[0].node).toMatchObject({
        action: 'EXPORT_COMPLAINTS',
        actor: { username: 'gz.duty' },
        detail: { rows: 3, unmaskedRows: 0 },
      });
      // And the stats export.
      await get(
        app,
        '/exports/stats.csv?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00&groupBy=UNIT',
        await w.token('gz.duty'),
      );
      const c = await gql(app, AUDIT, {}, { token: await w.token('gz.auditor') });
      expect(c.data.auditRecords.edges[0].node).toMatchObject({
        action: 'EXPORT_STATS',
        actor: { username: 'gz.duty' },
        detail: { groupBy: ['UNIT'] },
      });
    }));

  it('issue 18: rows are capped (EXPORT_MAX_ROWS), a trailer line reports the cap, and the record says it was truncated', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      for (let i = 0; i < 3; i++) await e.investigating('city');
      const app = createApp({ ...w.services(db), config: { ...w.config, exportMaxRows: 2 } });
      const r = await get(app, '/exports/complaints.csv', await w.token('gz.handler'));
      const lines = r.text.trim().split('\r\n');
      expect(lines).toHaveLength(4); // header, 2 rows, trailer
      expect(lines[3]).toBe(
        '# truncated: this export stops at 2 rows (EXPORT_MAX_ROWS); narrow the filter for the rest',
      );
      const a = await gql(app, AUDIT, {}, { token: await w.token('gz.auditor') });
      expect(a.data.auditRecords.edges[0].node.detail).toMatchObject({
        rows: 2,
        truncated: true,
        cap: 2,
      });
      // Exactly at the cap: no trailer.
      const exact = createApp({ ...w.services(db), config: { ...w.config, exportMaxRows: 3 } });
      const full = (await get(exact, '/exports/complaints.csv', await w.token('gz.handler'))).text
        .trim()
        .split('\r\n');
      expect(full).toHaveLength(4);
      expect(full.at(-1)).not.toMatch(/^#/);
      expect(w.config.exportMaxRows).toBe(100_000);
    }));
});

describe('exports: the customer as the API shows it (issue 20: one D50 view)', () => {
  const CUSTOMER = `query ($id: ID!) { complaint(id: $id) { customer { name phone masked } } }`;
  /** The customer cells of a case's CSV row, as the API's `customer` would read. */
  const csvCustomer = (text: string, number: string) => {
    const row = text
      .split('\r\n')
      .find((l) => l.startsWith(`${number},`))!
      .split(',');
    return { name: row.at(-3), phone: row.at(-2), masked: row.at(-1) === 'true' };
  };

  it('D50 D15: the CSV shows each reader the customer the API shows them: in full, masked, or anonymised', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const open = await e.investigating('county');
      const gone = await e.investigating('county');
      await db
        .update(complaints)
        .set({ customerName: ANONYMISED, customerPhone: ANONYMISED, anonymisedAt: T0 })
        .where(eq(complaints.id, gone.id));
      const app = w.app(db);
      for (const as of ['th.handler', 'gd.duty']) {
        const r = await get(app, '/exports/complaints.csv', await w.token(as));
        expect(r.status).toBe(200);
        for (const c of [open, gone]) {
          const api = await gql(
            app,
            CUSTOMER,
            { id: toGlobalId('Complaint', c.id) },
            { token: await w.token(as) },
          );
          expect(csvCustomer(r.text, c.number), `${as} ${c.number}`).toEqual(
            api.data.complaint.customer,
          );
        }
      }
    }));
});

describe('exports: the filter is validated like the GraphQL input (issue 18)', () => {
  it('D57: a DateTime with an offset works; bad dates, unknown fields and bad enum values are 400 naming the field, and nothing is logged', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      await engine(w, db).investigating('city');
      const app = w.app(db);
      const token = await w.token('gz.handler');
      const ok = await get(
        app,
        `/exports/complaints.csv?${filterParam({ registeredFrom: '2026-01-01T00:00:00+08:00' })}`,
        token,
      );
      expect(ok.status).toBe(200);
      expect(ok.text.trim().split('\r\n')).toHaveLength(2);
      const before = (await db.select().from(auditRecords)).length;
      const bad: [string, RegExp][] = [
        [filterParam({ registeredFrom: 'yesterday' }), /filter\.registeredFrom/],
        [filterParam({ registeredFrom: '2026-01-01T00:00:00' }), /filter\.registeredFrom/],
        [filterParam({ status: ['NOT_A_STATUS'] }), /filter\.status/],
        [filterParam({ nope: 1 }), /nope/],
        [filterParam([1, 2]), /filter/],
        [
          `orderBy=${encodeURIComponent(JSON.stringify({ field: 'TITLE', direction: 'ASC' }))}`,
          /orderBy\.field/,
        ],
        ['filter={', /filter is not JSON/],
      ];
      for (const [q, message] of bad) {
        const r = await get(app, `/exports/complaints.csv?${q}`, token);
        expect(r.status, q).toBe(400);
        expect(JSON.parse(r.text).errors[0].message, q).toMatch(message);
      }
      const stats = await get(
        app,
        '/exports/stats.csv?from=2026-01-01&to=2027-01-01T00:00:00%2B08:00',
        token,
      );
      expect(stats.status).toBe(400);
      expect((await db.select().from(auditRecords)).length).toBe(before);
    }));
});

describe('exports: rate-limited like queries (issue 19)', () => {
  it('issue 19: exports take from the same per-viewer bucket as GraphQL operations: over it, 429 with Retry-After', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const app = createApp({
        ...w.services(db),
        config: { ...w.config, staffRate: { perSecond: 0.01, burst: 3 } },
      });
      const token = await w.token('gz.handler');
      expect((await gql(app, '{ me { __typename } }', {}, { token })).errors).toBeUndefined();
      expect((await get(app, '/exports/complaints.csv', token)).status).toBe(200);
      expect(
        (
          await get(
            app,
            '/exports/stats.csv?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00&groupBy=STATUS',
            token,
          )
        ).status,
      ).toBe(200);
      const limited = await get(app, '/exports/complaints.csv', token);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.parse(limited.text).errors[0].extensions.code).toBe('RATE_LIMITED');
      // The bucket is shared: the next GraphQL operation is limited too; another viewer is not.
      expect(
        (await gql(app, '{ me { __typename } }', {}, { token })).errors?.[0]?.extensions?.code,
      ).toBe('RATE_LIMITED');
      expect((await get(app, '/exports/complaints.csv', await w.token('gz.duty'))).status).toBe(
        200,
      );
      // 20 parallel exports of one viewer: none beyond its bucket is answered.
      const other = await w.token('sz.handler');
      const statuses = await Promise.all(
        Array.from({ length: 20 }, () =>
          get(app, '/exports/complaints.csv', other).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 200).length).toBe(3);
      expect(statuses.filter((s) => s === 429).length).toBe(17);
      void toGlobalId;
    }));
});
