import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { personalDataReads } from '../../src/db/schema.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { csvCell } from '../../src/server/exports.js';
import { engine } from '../support/cases.js';
import { T0, useWorld } from '../support/world.js';

const world = useWorld();

const get = async (
  app: ReturnType<ReturnType<typeof world>['app']>,
  path: string,
  token?: string,
) => {
  const res = await app.yoga.fetch(`http://test${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
const rowsOf = (csv: string) =>
  csv
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));

describe('CSV exports', () => {
  it('D50 D54: the complaints export has the list’s rows, masks per row for masked viewers and logs unmasked ones', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const gz = await e.investigating('city');
      await e.investigating('city', {}, 'mobile');
      await e.accepted(); // held by the province: not gz.handler's
      const app = world().app(db);

      const handler = await get(app, '/exports/complaints.csv', await world().token('gz.handler'));
      expect(handler.status).toBe(200);
      expect(handler.type).toMatch(/text\/csv/);
      const rows = rowsOf(handler.text);
      expect(rows[0]).toContain('customerPhone');
      expect(rows).toHaveLength(3); // header + the two GZ cases
      const phone = rows[0]!.indexOf('customerPhone');
      expect(rows.slice(1).every((r) => r[phone] === '13812345678')).toBe(true);
      // Issue 19: an export is one audit record (test/hardening/exports.test.ts), not one access-log row per unmasked row.
      expect(
        (await db.select().from(personalDataReads).where(eq(personalDataReads.complaintId, gz.id)))
          .length,
      ).toBe(0);

      const duty = rowsOf(
        (await get(app, '/exports/complaints.csv', await world().token('gz.duty'))).text,
      );
      expect(duty).toHaveLength(3);
      expect(duty.slice(1).every((r) => r[phone] === '138****5678')).toBe(true);

      const filtered = rowsOf(
        (
          await get(
            app,
            `/exports/complaints.csv?filter=${encodeURIComponent(JSON.stringify({ search: gz.number }))}`,
            await world().token('gz.handler'),
          )
        ).text,
      );
      expect(filtered.slice(1).map((r) => r[0])).toEqual([gz.number]);
    }));

  it('D54: an export without credentials is 401, an out-of-scope unit 403, bad JSON 400', () =>
    world().tx(async (db) => {
      const app = world().app(db);
      expect((await get(app, '/exports/complaints.csv')).status).toBe(401);
      const sz = toGlobalId('OrgUnit', world().units['GD-SZ']!.id);
      const out = await get(
        app,
        `/exports/complaints.csv?filter=${encodeURIComponent(JSON.stringify({ unitId: sz }))}`,
        await world().token('gz.handler'),
      );
      expect(out.status).toBe(403);
      expect(
        (await get(app, '/exports/complaints.csv?filter={', await world().token('gz.handler')))
          .status,
      ).toBe(400);
    }));

  it('D59: the stats export has the rows of complaintStats', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      await e.investigating('city');
      await e.accepted();
      const app = world().app(db);
      const q = `from=${encodeURIComponent('2026-11-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-12-01T00:00:00+08:00')}&groupBy=STATUS`;
      const r = await get(app, `/exports/stats.csv?${q}`, await world().token('gd.agent'));
      expect(r.status).toBe(200);
      expect(rowsOf(r.text)).toEqual([
        ['STATUS', 'count'],
        ['ACCEPTED', '1'],
        ['INVESTIGATING', '1'],
      ]);
    }));

  it('D59: without unitId the stats export counts what the list counts, cases returned out of the viewer’s subtree included', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      await e.investigating('city');
      const dispatched = await e.act('gd.agent', 'DISPATCH', await e.accepted(), {
        toUnitId: world().units['GD-GZ']!.id,
        deadline: e.deadline(),
      });
      await e.act('gz.handler', 'RETURN', dispatched, { note: 'Not ours' }); // back at the province, still readable by GZ
      const app = world().app(db);
      const token = await world().token('gz.handler');
      const q = `from=${encodeURIComponent('2026-11-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-12-01T00:00:00+08:00')}&groupBy=STATUS`;
      const csv = rowsOf((await get(app, `/exports/stats.csv?${q}`, token)).text);
      const total = csv.slice(1).reduce((n, r) => n + Number(r[1]), 0);
      expect(total).toBe(2);
      expect(csv.slice(1)).toEqual([
        ['ACCEPTED', '1'],
        ['INVESTIGATING', '1'],
      ]);
    }));

  it('CSV cells are quoted per RFC 4180 and never start a spreadsheet formula', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell(null)).toBe('');
  });
});

describe('metrics', () => {
  it('/metrics exposes operations, latency, errors, sockets, scanner and relay lag', () =>
    world().tx(async (db) => {
      const app = world().app(db);
      const token = await world().token('gz.handler');
      await app.yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'query orgUnits { orgUnits { code } }' }),
      });
      const m = await get(app, '/metrics');
      expect(m.status).toBe(200);
      for (const series of [
        'graphql_operations_total',
        'graphql_operation_duration_seconds',
        'graphql_errors_total',
        'graphql_ws_open_sockets',
        'sla_scanner_lag_seconds',
        'event_relay_lag_events',
      ]) {
        expect(m.text).toContain(series);
      }
      expect(m.text).toMatch(
        /graphql_operations_total\{operation="orgUnits",type="query",outcome="ok"\} 1/,
      ); // a known name (issue 19)
    }));
});
