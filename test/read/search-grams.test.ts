import { and, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/client.js';
import { filterWhere } from '../../src/domain/complaint-list.js';
import { engine } from '../support/cases.js';
import { data } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * Issue 25 (P8): every search term is index-backed, on PostgreSQL and PGlite alike: bigrams and single
 * non-ASCII characters of number, title and description in a GIN expression index (migration 0014), the
 * ILIKE after it keeping the match exact. A one-character Chinese term, the common two-character one, a
 * longer one and a case-number prefix all use it.
 */
const world = useWorld();

async function search(db: Db, text: string) {
  const w = world();
  const d = await data(
    w,
    db,
    'gd.agent',
    `query ($s: String) { complaints(first: 100, filter: { search: $s }) { totalCount nodes { title } } }`,
    { s: text },
  );
  expect(d.complaints.totalCount).toBe(d.complaints.nodes.length);
  return (d.complaints.nodes as { title: string }[]).map((n) => n.title).sort();
}

describe('search grams (issue 25, P8)', () => {
  it('search_grams gives the lower-cased bigrams and the non-ASCII characters of a text (repeats are left to the index)', () =>
    world().tx(async (db) => {
      const [r] = rowsOf<{ g: string[] }>(
        await db.execute(sql`select search_grams('AbC宽带') as g`),
      );
      const expected = ['ab', 'bc', 'c宽', '宽带', '宽', '带'];
      expect([...r!.g].sort()).toEqual([...expected].sort());
      // Migration 0023: repeats stay in the array (the GIN index keeps each key once); containment ignores them.
      const [rep] = rowsOf<{ g: string[]; holds: boolean }>(
        await db.execute(
          sql`select search_grams('宽带宽带') as g, search_grams('宽带宽带') @> search_grams('带宽') as holds`,
        ),
      );
      expect([...new Set(rep!.g)].sort()).toEqual(['宽', '宽带', '带', '带宽'].sort());
      expect(rep!.holds).toBe(true);
      const [one] = rowsOf<{ g: string[] }>(await db.execute(sql`select search_grams('x') as g`));
      expect(one!.g).toEqual([]);
    }));

  it('P8: one Chinese character, two, a longer term and a case-number prefix find exactly the cases holding them', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const titles = ['宽带断网', '宽带资费', '手机欠费停机', '网速很慢', 'Router LOST signal'];
      const rows = [];
      for (const title of titles) {
        rows.push(await e.register('gd.agent', { title, description: '客户来电' }));
        w.clock.advance(1000);
      }
      expect(await search(db, '网')).toEqual(['宽带断网', '网速很慢']);
      expect(await search(db, '宽带')).toEqual(['宽带断网', '宽带资费']);
      expect(await search(db, '欠费停机')).toEqual(['手机欠费停机']);
      expect(await search(db, '费停')).toEqual(['手机欠费停机']);
      expect(await search(db, '停费')).toEqual([]); // every gram present elsewhere is not enough: adjacency counts
      expect(await search(db, 'lost SIGNAL')).toEqual(['Router LOST signal']);
      expect(await search(db, rows[2]!.number.slice(0, 12))).toEqual([...titles].sort());
      expect(await search(db, '来')).toEqual([...titles].sort()); // in the description
    }));

  it('P8: the conditions of a search use the gram index for Chinese and two-character terms, the trigram index for longer ASCII ones', () =>
    world().tx(async (db) => {
      await db.execute(sql`set local enable_seqscan = off`);
      for (const [term, index] of [
        ['网', /complaints_search_grams_idx/],
        ['宽带', /complaints_search_grams_idx/],
        ['GD', /complaints_search_grams_idx/], // two ASCII characters: no trigram
        ['GD2026', /complaints_search_trgm_idx/], // ASCII, three or more: the trigram index alone
      ] as const) {
        const where = and(...filterWhere({ search: term }, T0))!; // the search's own conditions, on an empty table
        const plan = rowsOf<Record<string, string>>(
          await db.execute(sql`explain select id from complaints where ${where}`),
        )
          .map((r) => Object.values(r)[0])
          .join('\n');
        expect(plan, plan).toMatch(index);
        // Issue 25 (P8): no search_grams recomputed per row when the trigram index serves the term.
        const asciiOf3 = term.length >= 3 && [...term].every((c) => c.codePointAt(0)! <= 127);
        expect(plan.includes('search_grams'), plan).toBe(!asciiOf3);
      }
    }));
});
