import { AbilityBuilder, createMongoAbility, type MongoAbility, subject } from '@casl/ability';
import { rulesToAST } from '@casl/ability/extra';
import { describe, expect, it } from 'vitest';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { astToSql, complaintsWhere } from '../../src/auth/sql.js';
import type { Db } from '../../src/db/client.js';
import { STATUSES } from '../../src/domain/enums.js';
import type { ComplaintRow } from '../../src/domain/lifecycle.js';
import { iterations, prng, type Rng } from '../support/random.js';
import { idsAmong, insertRows, type RowSpec } from '../support/rows.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * src/auth/sql.ts compiles the CASL rules of 'read' to SQL so that lists,
 * totals, timelines and feeds filter in the database. It must decide every
 * row exactly as `ability.can('read', row)` does: random rule sets (seeded,
 * reproducible) over random rows, compared row set against row set; and it
 * must fail closed on anything it does not know.
 */

const world = useWorld();

/** A uuid no row holds. */
const FOREIGN = '00000000-0000-4000-8000-00000000f00d';

type Pools = {
  units: string[];
  users: (string | null)[];
  partners: (string | null)[];
  provinces: string[];
};

function pools(w: World): Pools {
  return {
    units: Object.values(w.units).map((u) => u.id),
    users: [
      w.staff['gd.agent']!.id,
      w.staff['th.handler']!.id,
      w.staff['gz.handler']!.id,
      null,
      null,
    ],
    partners: [w.partner.id, w.zjPartner.id, null, null],
    provinces: [w.units.GD!.id, w.units.ZJ!.id],
  };
}

const SCALARS = [
  'firstResponderId',
  'partnerId',
  'provinceId',
  'handlingUnitId',
  'status',
] as const;
type Field = 'readerUnits' | (typeof SCALARS)[number];

/** The values a field's condition may name: real ones, a foreign one, null. */
function valuesOf(p: Pools, field: Field): (string | null)[] {
  switch (field) {
    case 'readerUnits':
    case 'handlingUnitId':
      return [...p.units, FOREIGN, null];
    case 'firstResponderId':
      return [...p.users, FOREIGN];
    case 'partnerId':
      return [...p.partners, FOREIGN];
    case 'provinceId':
      return [...p.provinces, FOREIGN, null];
    case 'status':
      return [...STATUSES, null];
  }
}

/** One field's condition: a plain value ($eq), or $eq, $ne, $in, $nin (lists may be empty or hold null). */
function fieldCondition(r: Rng, p: Pools, field: Field): unknown {
  const values = valuesOf(p, field);
  switch (r.int(5)) {
    case 0:
      return r.pick(values);
    case 1:
      return { $eq: r.pick(values) };
    case 2:
      return { $ne: r.pick(values) };
    case 3:
      return { $in: r.chance(0.15) ? [] : r.some(values, 4) };
    default:
      return { $nin: r.chance(0.15) ? [] : r.some(values, 4) };
  }
}

const FIELDS: Field[] = ['readerUnits', ...SCALARS];

function conditions(r: Rng, p: Pools): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = 1 + r.int(2);
  for (let i = 0; i < n; i++) {
    const f = r.pick(FIELDS);
    out[f] = fieldCondition(r, p, f);
  }
  return out;
}

type RuleSpec = { inverted: boolean; action: string; conditions?: Record<string, unknown> };

function randomRules(r: Rng, p: Pools): RuleSpec[] {
  const n = 1 + r.int(5);
  const rules: RuleSpec[] = [];
  for (let i = 0; i < n; i++) {
    const inverted = r.chance(0.35);
    const unconditional = r.chance(0.06);
    rules.push({
      inverted,
      // now and then a rule of another action, which must not leak into 'read'
      action: r.chance(0.1) ? 'update' : r.chance(0.05) ? 'manage' : 'read',
      conditions: unconditional ? undefined : conditions(r, p),
    });
  }
  return rules;
}

function build(rules: RuleSpec[]): MongoAbility {
  const b = new AbilityBuilder<MongoAbility>(createMongoAbility);
  for (const rule of rules) {
    const add = rule.inverted ? b.cannot : b.can;
    if (rule.conditions) add(rule.action, 'Complaint', rule.conditions);
    else add(rule.action, 'Complaint');
  }
  return b.build();
}

function randomRows(r: Rng, p: Pools, n: number): RowSpec[] {
  const out: RowSpec[] = [];
  for (let i = 0; i < n; i++) {
    const readerUnits: (string | null)[] = r.chance(0.1) ? [] : r.some(p.units, 4);
    // The application never stores a NULL reader unit; the SQL must still agree with CASL if one were there.
    if (r.chance(0.08)) readerUnits.push(null);
    out.push({
      readerUnits,
      firstResponderId: r.pick(p.users),
      partnerId: r.pick(p.partners),
      provinceId: r.pick(p.provinces),
      handling: r.pick(['GD', 'GD-GZ', 'GD-GZ-TH', 'GD-SZ', 'GD-BC', 'ZJ', 'ZJ-HZ']),
      status: r.pick(STATUSES),
    });
  }
  return out;
}

/** Ids the ability reads, row by row in JavaScript. */
const byCasl = (ability: MongoAbility, rows: ComplaintRow[], action = 'read') =>
  rows
    .filter((row) => ability.can(action, subject('Complaint', { ...row })))
    .map((row) => row.id)
    .sort();

/** Ids the compiled condition selects in the database, among `rows`. */
const bySql = (db: Db, rows: ComplaintRow[], where: ReturnType<typeof astToSql>) =>
  idsAmong(db, rows, where);

/** 100 random rule sets in `npm test`, 400 in `npm run test:full`; PARITY_SEED reproduces a failing run. */
const SEED = Number(process.env.PARITY_SEED ?? 20261123);
const RULE_SETS = iterations(100, 400);

describe('CASL → SQL parity (src/auth/sql.ts)', () => {
  it(`random rule sets over random rows: the database selects exactly the rows ability.can reads (PARITY_SEED=${SEED})`, () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const r = prng(SEED);
      const p = pools(w);
      const rows = (await insertRows(w, db, randomRows(r, p, 48))) as ComplaintRow[];
      // The generator reaches the edges: empty reader lists, null first responders and partners.
      expect(rows.some((x) => x.readerUnits.length === 0)).toBe(true);
      expect(rows.some((x) => x.firstResponderId === null)).toBe(true);
      expect(rows.some((x) => x.partnerId === null)).toBe(true);
      expect(rows.some((x) => x.readerUnits.includes(null as never))).toBe(true);

      let nonTrivial = 0;
      for (let i = 0; i < RULE_SETS; i++) {
        const rules = randomRules(r, p);
        const ability = build(rules);
        const expected = byCasl(ability, rows);
        const actual = await bySql(
          db,
          rows,
          astToSql(rulesToAST(ability, 'read', 'Complaint') as never),
        );
        expect(actual, `rule set #${i}: ${JSON.stringify(rules)}`).toEqual(expected);
        expect(
          await bySql(db, rows, complaintsWhere(ability, 'read')),
          `rule set #${i} via complaintsWhere`,
        ).toEqual(expected);
        if (expected.length > 0 && expected.length < rows.length) nonTrivial++;
      }
      // Most rule sets split the rows: the comparison is not all-or-nothing.
      expect(nonTrivial).toBeGreaterThan(RULE_SETS * 0.375);
    }));

  it("every fixture viewer's real rules, for 'read' and 'readPersonalData', over random rows", () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const r = prng(7);
      const p = pools(w);
      const rows = (await insertRows(w, db, randomRows(r, p, 60))) as ComplaintRow[];
      const viewers = [...Object.values(w.staff), w.admin, w.partner, w.zjPartner];
      for (const viewer of viewers) {
        const ability = defineAbilityFor(viewer);
        for (const action of ['read', 'readPersonalData'] as const) {
          const name = `${viewer.kind === 'user' ? viewer.username : viewer.name} ${action}`;
          expect(await bySql(db, rows, complaintsWhere(ability, action)), name).toEqual(
            byCasl(ability, rows, action),
          );
        }
      }
    }));

  it('no rule at all, or rules of other actions only, or cannot only: nothing', () =>
    world().tx(async (db) => {
      const w = world();
      const rows = (await insertRows(w, db, randomRows(prng(1), pools(w), 10))) as ComplaintRow[];
      expect(astToSql(null)).toBeDefined();
      expect(await bySql(db, rows, astToSql(null))).toEqual([]);
      expect(await bySql(db, rows, complaintsWhere(build([]), 'read'))).toEqual([]);
      expect(
        await bySql(
          db,
          rows,
          complaintsWhere(build([{ inverted: false, action: 'update' }]), 'read'),
        ),
      ).toEqual([]);
      const cannotOnly = build([
        { inverted: true, action: 'read', conditions: { status: 'ACCEPTED' } },
      ]);
      expect(await bySql(db, rows, complaintsWhere(cannotOnly, 'read'))).toEqual([]);
      expect(byCasl(cannotOnly, rows)).toEqual([]);
    }));

  it('an unconditional can reads every row; a later unconditional cannot reads none', () =>
    world().tx(async (db) => {
      const w = world();
      const rows = (await insertRows(w, db, randomRows(prng(2), pools(w), 10))) as ComplaintRow[];
      const all = rows.map((x) => x.id).sort();
      expect(
        await bySql(
          db,
          rows,
          complaintsWhere(build([{ inverted: false, action: 'read' }]), 'read'),
        ),
      ).toEqual(all);
      const none = build([
        { inverted: false, action: 'read' },
        { inverted: true, action: 'read' },
      ]);
      expect(await bySql(db, rows, complaintsWhere(none, 'read'))).toEqual([]);
      expect(byCasl(none, rows)).toEqual([]);
    }));

  it('a list holding only null on the array field is a condition, never dropped (it used to render as nothing: fail open)', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const rows = (await insertRows(w, db, [
        { status: 'ACCEPTED' },
        { status: 'ACCEPTED' },
        { status: 'CLOSED' },
      ])) as ComplaintRow[];
      for (const conds of [
        { readerUnits: { $in: [null] }, status: 'ACCEPTED' },
        { readerUnits: { $in: [null] } },
        { readerUnits: null },
      ]) {
        const ability = build([{ inverted: false, action: 'read', conditions: conds }]);
        expect(byCasl(ability, rows), JSON.stringify(conds)).toEqual([]);
        expect(
          await bySql(db, rows, complaintsWhere(ability, 'read')),
          JSON.stringify(conds),
        ).toEqual([]);
      }
      // …and as a cannot: `$nin: [null]` holds for every stored row, so the cannot takes them all away.
      const ability = build([
        { inverted: false, action: 'read', conditions: { status: 'ACCEPTED' } },
        { inverted: true, action: 'read', conditions: { readerUnits: { $nin: [null] } } },
      ]);
      expect(byCasl(ability, rows)).toEqual([]);
      expect(await bySql(db, rows, complaintsWhere(ability, 'read'))).toEqual([]);
    }));

  describe('fails closed: anything the interpreter does not know throws', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['$regex', { status: { $regex: '^RE' } }],
      ['$gt', { status: { $gt: 'A' } }],
      ['$lte', { handlingUnitId: { $lte: FOREIGN } }],
      ['$exists', { partnerId: { $exists: true } }],
      ['$all', { readerUnits: { $all: [FOREIGN] } }],
      ['$size', { readerUnits: { $size: 1 } }],
      ['$elemMatch', { readerUnits: { $elemMatch: { $eq: FOREIGN } } }],
      ['a field not in the map', { title: 'x' }],
      ['a nested field', { 'seats.holder': { $in: ['HANDLER@x'] } }],
      [
        'an unknown field inside $or',
        { $or: [{ status: 'ACCEPTED' }, { customerPhone: '13800000000' }] },
      ],
    ];
    it.each(cases)('%s (on a can rule)', (_, conds) => {
      expect(() =>
        complaintsWhere(build([{ inverted: false, action: 'read', conditions: conds }]), 'read'),
      ).toThrow(/casl→sql/);
    });
    it.each(cases)('%s (on a cannot rule: never ignored)', (_, conds) => {
      const ability = build([
        { inverted: false, action: 'read', conditions: { status: 'ACCEPTED' } },
        { inverted: true, action: 'read', conditions: conds },
      ]);
      expect(() => complaintsWhere(ability, 'read')).toThrow(/casl→sql/);
    });
  });
});
