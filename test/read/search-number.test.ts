import { and, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { complaintsWhere } from '../../src/auth/sql.js';
import type { Db } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/client.js';
import { numberShaped, searchWhere } from '../../src/domain/complaint-list.js';
import { provinceCodes, unitByCode } from '../../src/domain/org.js';
import { data } from '../support/gql.js';
import { idsAmong, insertRows } from '../support/rows.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * Issue 25 (P8), D5: a term shaped like the start of a case number (letters, then digits) is found through the
 * numbers' btree (a province's code ending in its letters, then its digits: a prefix) and through a trigram index
 * of the titles and descriptions that hold a digit (migration 0032), not through the trigram index of the whole
 * text, whose posting lists for such a term cover nearly every case. It must select exactly what the plain ILIKE
 * over number, title and description selects.
 */
const world = useWorld();

/** A province whose code ends with GD's: its numbers hold `GD2026…` past their first letter. */
async function addProvinceXgd(w: World, db: Db) {
  await data(
    w,
    db,
    'admin',
    'mutation { createOrgUnit(input: { level: PROVINCE, code: "XGD", name: "X" }) { orgUnit { id } } }',
  );
  return (await unitByCode(db, 'XGD'))!.id;
}

async function seed(w: World, db: Db) {
  w.clock.set(T0);
  const xgd = await addProvinceXgd(w, db);
  return insertRows(w, db, [
    { number: 'GD20261123000001', title: '宽带断网' },
    { number: 'GD20261123000002', title: '手机欠费', handling: 'GD-GZ-TH' },
    { number: 'GD20261124000001', title: '网速慢', handling: 'GD-GZ-TH' },
    { number: 'XGD20261123000001', title: '资费', provinceId: xgd },
    { number: 'ZJ20261123000001', title: '信号差', handling: 'ZJ' },
    // The term in a description, or a title, of a case numbered otherwise: found through the texts' index.
    {
      number: 'GD20251123000009',
      description: '回访转自 GD20261123000001 的客户',
      handling: 'GD-GZ-TH',
    },
    { number: 'GD20250101000001', title: '客户报 gd2026112 号码' },
    { number: 'ZJ20250101000002', title: 'AD20261 型号光猫', handling: 'ZJ' },
    { number: 'GD20250101000003', title: 'No digits here: GD' },
  ]);
}

const TERMS = [
  'GD20261123',
  'gd20261123',
  'D20261123', // in GD's and XGD's numbers, past their first letter
  'XGD2026',
  'GD2026112300000',
  'GD20261123000001', // a whole number, and in a description
  'ZJ2026',
  'D2026', // also in a title (AD20261)
  'GD2',
  'Q2026', // no province's code ends with Q: the texts alone
  'J20250101000002',
];

describe('search for a case number (issue 25, P8, D5)', () => {
  it('D5 P8: a term shaped like a number’s start selects exactly what the ILIKE over number, title and description selects, for every staff viewer', () =>
    world().tx(async (db) => {
      const w = world();
      const rows = await seed(w, db);
      const codes = await provinceCodes(db);
      expect(codes.sort()).toEqual(['GD', 'XGD', 'ZJ']);
      const byNumber = (...ns: string[]) =>
        rows
          .filter((r) => ns.includes(r.number))
          .map((r) => r.id)
          .sort();
      for (const username of ['gd.agent', 'gd.auditor', 'gz.handler', 'th.handler', 'zj.agent']) {
        const rule = complaintsWhere(defineAbilityFor(w.staff[username]!), 'read');
        for (const term of TERMS) {
          expect(numberShaped(term), term).toBe(true);
          const plain = await idsAmong(db, rows, and(rule, ...searchWhere(term))!);
          const numbered = await idsAmong(db, rows, and(rule, ...searchWhere(term, null, codes))!);
          expect(numbered, `${username} ${term}`).toEqual(plain);
        }
      }
      // What the comparison rests on, without a read rule.
      const found = (term: string) => idsAmong(db, rows, and(...searchWhere(term, null, codes))!);
      expect(await found('D20261123')).toEqual(
        byNumber('GD20261123000001', 'GD20261123000002', 'XGD20261123000001', 'GD20251123000009'),
      );
      expect(await found('GD20261123000001')).toEqual(
        byNumber('GD20261123000001', 'XGD20261123000001', 'GD20251123000009'),
      );
      expect(await found('D2026')).toEqual(
        byNumber(
          'GD20261123000001',
          'GD20261123000002',
          'GD20261124000001',
          'XGD20261123000001',
          'ZJ20250101000002',
          'GD20250101000001',
          'GD20251123000009',
        ),
      );
      expect(await found('Q2026')).toEqual([]);
    }));

  it('D5 P8: the statement of such a term reads the numbers’ btree and the digit texts’ trigram index, not the whole text’s', () =>
    world().tx(async (db) => {
      await db.execute(sql`set local enable_seqscan = off`);
      const plan = async (term: string) =>
        rowsOf<Record<string, string>>(
          await db.execute(
            sql`explain select count(*) from complaints where ${and(...searchWhere(term, null, ['GD', 'XGD', 'ZJ']))!}`,
          ),
        )
          .map((r) => Object.values(r)[0])
          .join('\n');
      const day = await plan('GD20261123');
      // PGlite and CI's PostgreSQL use the C collation, where the unique btree serves a LIKE prefix.
      expect(day, day).toMatch(/complaints_number_key/);
      expect(day, day).toMatch(/complaints_text_digits_trgm_idx/);
      expect(day, day).not.toMatch(/complaints_search_trgm_idx/);
      // One prefix per code ending with the letters: GD's and XGD's.
      expect(day.match(/Index Cond: \(number ~>=~/g) ?? day.match(/number >= /g), day).toHaveLength(
        2,
      );
      // Without the codes, or for another shape, the whole text's trigram index as before.
      const other = rowsOf<Record<string, string>>(
        await db.execute(
          sql`explain select count(*) from complaints where ${and(...searchWhere('GD20261123'))!}`,
        ),
      )
        .map((r) => Object.values(r)[0])
        .join('\n');
      expect(other, other).toMatch(/complaints_search_trgm_idx/);
      expect(numberShaped('2026112')).toBe(false);
      expect(numberShaped('GD-2026')).toBe(false);
      expect(numberShaped('GD2026X')).toBe(false);
    }));

  it('D5 P8: through the API, the count and the page of a day’s prefix agree with the cases listed, for a province and a county', () =>
    world().tx(async (db) => {
      const w = world();
      await seed(w, db);
      const list = async (as: string, s: string) => {
        const d = await data(
          w,
          db,
          as,
          `query ($s: String) { complaints(first: 100, filter: { search: $s }) { totalCount nodes { number } } }`,
          { s },
        );
        expect(d.complaints.totalCount).toBe(d.complaints.nodes.length);
        return (d.complaints.nodes as { number: string }[]).map((n) => n.number).sort();
      };
      // The XGD case is handled in GD here (a row written for the read side), so GD's agent reads it.
      expect(await list('gd.agent', 'gd20261123')).toEqual([
        'GD20251123000009',
        'GD20261123000001',
        'GD20261123000002',
        'XGD20261123000001',
      ]);
      expect(await list('th.handler', 'GD20261123')).toEqual([
        'GD20251123000009',
        'GD20261123000002',
      ]);
      expect(await list('zj.agent', 'D2026')).toEqual(['ZJ20250101000002']);
    }));
});
