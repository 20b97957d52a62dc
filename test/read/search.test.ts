import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import type { ComplaintRow } from '../../src/domain/lifecycle.js';
import { engine } from '../support/cases.js';
import { data, q } from '../support/gql.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * `ComplaintFilter.search`: a case-number, title or description substring,
 * matched literally — LIKE's wildcards and escape, quotes and SQL fragments
 * in the search text are characters like any other — and case-insensitively.
 */

const world = useWorld();

const TITLES = {
  chinese: '天河区宽带频繁断网',
  chineseNoise: '天河区宽带资费咨询',
  quotes: 'He said "no signal" and it\'s true',
  percent: '100% 不满意',
  percentNoise: '100 percent unhappy',
  doublePercent: 'Literal %% twice',
  underscore: 'snake_case_title',
  underscoreNoise: 'snakeXcaseXtitle',
  backslash: 'Path C:\\temp\\log',
  backslashNoise: 'Path C:temp log',
  injection: "Name ' or 1=1 -- here",
  injectionNoise: 'Name or 1=1 here',
  boundaryTitle: 'Alpha',
} as const;
type Key = keyof typeof TITLES;

async function seed(w: World, db: Db) {
  const e = engine(w, db);
  const rows = {} as Record<Key, ComplaintRow>;
  for (const key of Object.keys(TITLES) as Key[]) {
    rows[key] = await e.register('gd.agent', {
      title: TITLES[key],
      description:
        key === 'boundaryTitle'
          ? 'Beta starts the description'
          : `Plain description of ${key.length} words`,
    });
    w.clock.advance(1000);
  }
  return rows;
}

async function search(w: World, db: Db, text: string, as = 'gd.agent') {
  const d = await data(
    w,
    db,
    as,
    `query ($s: String) { complaints(first: 100, filter: { search: $s }) { totalCount nodes { number } } }`,
    { s: text },
  );
  expect(d.complaints.totalCount).toBe(d.complaints.nodes.length);
  return (d.complaints.nodes as { number: string }[]).map((n) => n.number).sort();
}

const numbers = (rows: Record<Key, ComplaintRow>, ...keys: Key[]) =>
  keys.map((k) => rows[k].number).sort();

describe('search', () => {
  it('by case number: the whole number finds that case; a prefix finds the day', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const rows = await seed(w, db);
      expect(await search(w, db, rows.chinese.number)).toEqual([rows.chinese.number]);
      expect(await search(w, db, rows.injection.number.toLowerCase())).toEqual([
        rows.injection.number,
      ]);
      expect(await search(w, db, 'GD20261123')).toEqual(
        Object.values(rows)
          .map((r) => r.number)
          .sort(),
      );
      expect(await search(w, db, 'GD20261124')).toEqual([]);
    }));

  it('by a Chinese substring of the title', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const rows = await seed(w, db);
      expect(await search(w, db, '宽带频繁')).toEqual(numbers(rows, 'chinese'));
      expect(await search(w, db, '宽带')).toEqual(numbers(rows, 'chinese', 'chineseNoise'));
      expect(await search(w, db, '断网')).toEqual(numbers(rows, 'chinese'));
      expect(await search(w, db, '  断网  ')).toEqual(numbers(rows, 'chinese')); // trimmed
      expect(await search(w, db, '宽带断网')).toEqual([]);
    }));

  it('LIKE wildcards, escapes, quotes and SQL fragments match only themselves', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const rows = await seed(w, db);
      expect(await search(w, db, '%')).toEqual(numbers(rows, 'percent', 'doublePercent'));
      expect(await search(w, db, '%%')).toEqual(numbers(rows, 'doublePercent'));
      expect(await search(w, db, '100%')).toEqual(numbers(rows, 'percent'));
      expect(await search(w, db, '_')).toEqual(numbers(rows, 'underscore'));
      expect(await search(w, db, 'snake_case')).toEqual(numbers(rows, 'underscore'));
      expect(await search(w, db, 'SNAKE_CASE')).toEqual(numbers(rows, 'underscore')); // case-insensitive
      expect(await search(w, db, '\\')).toEqual(numbers(rows, 'backslash'));
      expect(await search(w, db, 'C:\\temp')).toEqual(numbers(rows, 'backslash'));
      expect(await search(w, db, '\\%')).toEqual([]);
      expect(await search(w, db, '"no signal"')).toEqual(numbers(rows, 'quotes'));
      expect(await search(w, db, "it's")).toEqual(numbers(rows, 'quotes'));
      expect(await search(w, db, "'")).toEqual(numbers(rows, 'quotes', 'injection'));
      expect(await search(w, db, "' or 1=1 --")).toEqual(numbers(rows, 'injection'));
      expect(await search(w, db, "x' or '1'='1")).toEqual([]);
      expect(await search(w, db, 'or 1=1')).toEqual(numbers(rows, 'injection', 'injectionNoise'));
    }));

  it('a match must lie inside the number, the title or the description, not across them', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const rows = await seed(w, db);
      expect(await search(w, db, 'Alpha')).toEqual(numbers(rows, 'boundaryTitle'));
      expect(await search(w, db, 'Beta starts')).toEqual(numbers(rows, 'boundaryTitle'));
      expect(await search(w, db, 'Alpha Beta')).toEqual([]);
      expect(await search(w, db, `${rows.boundaryTitle.number} Alpha`)).toEqual([]);
    }));

  it('only among the cases the viewer reads; a blank search is no filter; over 200 characters is refused', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const rows = await seed(w, db);
      expect(await search(w, db, '宽带', 'gz.handler')).toEqual([]);
      expect(await search(w, db, '宽带', 'zj.agent')).toEqual([]);
      expect(await search(w, db, '宽带', 'gd.auditor')).toEqual(
        numbers(rows, 'chinese', 'chineseNoise'),
      );
      expect(await search(w, db, '   ')).toHaveLength(Object.keys(rows).length);
      expect(await search(w, db, '长'.repeat(200))).toEqual([]);
      const res = await q(
        w,
        db,
        'gd.agent',
        `query ($s: String) { complaints(filter: { search: $s }) { totalCount } }`,
        { s: '长'.repeat(201) },
      );
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['VALIDATION']);
    }));

  it("P8 D54: a city's and a county's search (the grams asked within their read rule) finds what they read, their own first responses included", () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      await seed(w, db); // at the province: GD's staff read them, the city and the county do not
      const e = engine(w, db);
      const county = await e.investigating('county', { title: '宽带 at the county' });
      w.clock.advance(1000);
      const walkIn = await e.walkIn(); // th.handler's own first response, sent to GD-SZ
      expect(await search(w, db, '宽带', 'th.handler')).toEqual([county.number]);
      expect(await search(w, db, '宽带', 'gz.handler')).toEqual([county.number]);
      expect(await search(w, db, '宽', 'th.handler')).toEqual([county.number]);
      expect(await search(w, db, 'Wa', 'th.handler')).toEqual([walkIn.number]); // two ASCII characters: grams
      expect(await search(w, db, 'Wa', 'gz.handler')).toEqual([]);
      expect(await search(w, db, '宽带', 'gd.agent')).toContain(county.number);
    }));
});
