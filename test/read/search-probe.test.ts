import { and, type SQL, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, rowsOf } from '../../src/db/client.js';
import { complaints } from '../../src/db/schema.js';
import {
  listComplaints,
  type Order,
  probeFits,
  type SearchProbe,
  searchWhere,
} from '../../src/domain/complaint-list.js';
import { T0, useWorld } from '../support/world.js';

/**
 * Issue 25 (P8), D54: a search's page looks first among the newest cases of the list (`listComplaints`'s probe,
 * a walk of the registration index) and asks the search's index only when they do not fill the page. The probe
 * changes how a page is found, never which cases it holds: for frequent, rare and absent terms, every page
 * size, both registration orders and every page of a cursor walk, the pages with the probe (looking among 3,
 * 40 or SEARCH_PROBE_ROWS of the newest cases) are the pages without it.
 */
const world = useWorld();
const N = 240;

/** N cases of a new province, one a minute: every 7th holds 宽带, every 40th 被窃, none 不存在. */
async function writeCases(db: Db) {
  const [unit] = rowsOf<{ id: string; path: string }>(
    await db.execute(
      sql`insert into org_units (id, code, name, level, path) select id, 'PX', 'Probe province', 'PROVINCE', '/' || id || '/'
        from (select gen_random_uuid() as id) u returning id, path`,
    ),
  );
  await db.execute(sql`insert into complaints (number, status, channel, source, business_line, category, severity, title,
      description, customer_name, customer_phone, contact_at, registered_at, accepted_at, province_id, handling_unit_id, handling_path,
      handling_level, reader_units)
    select 'PX' || lpad(g::text, 14, '0'), 'ACCEPTED', 'PHONE', 'CUSTOMER', 'mobile', 'NETWORK_TECHNICAL', 'ORDINARY',
      '案例 ' || g || case when g % 7 = 0 then ' 宽带故障' else '' end || case when g % 40 = 0 then ' 设备被窃' else '' end,
      'search-probe.test.ts', 'Probe', '13800000000', ${T0.toISOString()}::timestamptz + g * interval '1 minute',
      -- half the cases share their registration time with the one before: the id breaks the tie
      ${T0.toISOString()}::timestamptz + (g - g % 10 % 2) * interval '1 minute',
      ${T0.toISOString()}::timestamptz + g * interval '1 minute',
      ${unit!.id}::uuid, ${unit!.id}::uuid, ${unit!.path}, 'PROVINCE', array[${unit!.id}::uuid]
    from generate_series(1, ${N}::int) g`);
  return unit!.path;
}

/** Every page of a forward cursor walk, as ids. */
async function walk(db: Db, where: SQL, order: Order, first: number, probe?: SearchProbe) {
  const pages: string[][] = [];
  let after: string | null = null;
  for (;;) {
    const page = await listComplaints(db, where, order, { first, after }, probe);
    pages.push(page.rows.map((r) => r.id));
    if (!page.hasNextPage) return pages;
    if (pages.length > N) throw new Error('the walk does not end: a page repeats');
    after = page.cursors.at(-1)!;
  }
}

describe('the search probe (issue 25, P8)', () => {
  it('P8 D54: with the probe a search lists the same pages as without it, for frequent, rare and absent terms, any page size, both orders and every page', () =>
    world().tx(async (db) => {
      const path = await writeCases(db);
      const rest = sql`${complaints.handlingPath} like ${`${path}%`}`;
      const counts = new Map<string, number>();
      for (const term of ['宽带', '被窃', '窃', '不存在']) {
        const matches = and(...searchWhere(term))!;
        const where = and(rest, matches)!;
        for (const direction of ['DESC', 'ASC'] as const) {
          const order: Order = { field: 'REGISTERED_AT', direction };
          for (const first of [1, 5, 20]) {
            const plain = await walk(db, where, order, first);
            counts.set(term, plain.flat().length);
            for (const rows of [3, 40, 20_000])
              expect(
                await walk(db, where, order, first, { rest, matches, rows }),
                `${term} ${direction} first ${first}, probe ${rows}`,
              ).toEqual(plain);
          }
        }
      }
      // the terms are what they were meant to be: frequent, rare, absent
      expect(Object.fromEntries(counts)).toEqual({
        宽带: Math.floor(N / 7),
        被窃: N / 40,
        窃: N / 40,
        不存在: 0,
      });
    }));

  it('P8: a frequent term whose page the newest cases fill is answered by the probe in one statement; a rare one falls back to the search index', () =>
    world().tx(async (db) => {
      const path = await writeCases(db);
      const rest = sql`${complaints.handlingPath} like ${`${path}%`}`;
      const order: Order = { field: 'REGISTERED_AT', direction: 'DESC' };
      const statements = async (term: string) => {
        const matches = and(...searchWhere(term))!;
        const sent: string[] = [];
        const recording = new Proxy(db, {
          get(target, prop, receiver) {
            if (prop === 'execute')
              return (...args: unknown[]) => {
                sent.push(String(prop));
                return (Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown).apply(
                  target,
                  args,
                );
              };
            return Reflect.get(target, prop, receiver);
          },
        });
        const page = await listComplaints(
          recording,
          and(rest, matches)!,
          order,
          { first: 5 },
          { rest, matches, rows: 100 },
        );
        return { n: page.rows.length, statements: sent.length };
      };
      expect(await statements('宽带')).toEqual({ n: 5, statements: 1 }); // 14 matches among the newest 100
      expect(await statements('被窃')).toEqual({ n: 5, statements: 2 }); // 2 there: the search index answers
    }));

  it("P8: the probe is for a viewer reading a whole province, its filter keeping to it; a city's, a county's or a narrower filter's search asks the search index", () => {
    const province = { level: 'PROVINCE' as const, path: '/gd/' };
    const city = { level: 'CITY' as const, path: '/gd/gz/' };
    const county = { level: 'COUNTY' as const, path: '/gd/gz/th/' };
    expect(probeFits([province], null)).toBe(true);
    expect(probeFits([province], '/gd/')).toBe(true);
    expect(probeFits([county, province], undefined)).toBe(true);
    expect(probeFits([province], '/gd/gz/')).toBe(false); // a province agent filtering to a city
    expect(probeFits([province], '/zj/')).toBe(false);
    expect(probeFits([province], false)).toBe(false); // a unit filter naming no unit
    expect(probeFits([city], null)).toBe(false);
    expect(probeFits([county], null)).toBe(false);
    expect(probeFits([], null)).toBe(false); // the first responder's own cases alone
    expect(probeFits(null, null)).toBe(true); // a rule the cover cannot describe (a partner's): as before
  });
});
