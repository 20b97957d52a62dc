import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { complaints, orgUnits } from '../../src/db/schema.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { engine } from '../support/cases.js';
import { type As, q } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D1a (issue 18): moving and closing units. After a move, who reads a case
 * (D54) follows the new tree at once, re-derived in the move's transaction;
 * a closed unit receives no dispatch or delegation and keeps its cases.
 */
const world = useWorld();

const ERRORS = 'userErrors { code field message }';
const MOVE = `mutation ($id: ID!, $parentId: ID!) { moveOrgUnit(input: { id: $id, parentId: $parentId }) { orgUnit { code parent { code } ancestors { code } } ${ERRORS} } }`;
const UPDATE = `mutation ($input: UpdateOrgUnitInput!) { updateOrgUnit(input: $input) { orgUnit { code name closed } ${ERRORS} } }`;
const READ = `query ($id: ID!) { complaint(id: $id) { number } }`;
const AUDIT = `{ auditRecords { edges { node { action unit { code } targetUnit { code } detail } } } }`;
const unit = (code: string) => toGlobalId('OrgUnit', world().units[code]!.id);

/** Every test's set-up: the world at T0, its engine, and requests as a fixture viewer; `reads` whether one reads a case (D54). */
function scene(db: Db) {
  const w = world();
  w.clock.set(T0);
  const ask = (as: As, query: string, variables: Record<string, unknown> = {}) =>
    q(w, db, as, query, variables);
  const reads = async (as: As, c: { id: string }) =>
    (await ask(as, READ, { id: toGlobalId('Complaint', c.id) })).data.complaint !== null;
  const e = engine(w, db);
  /** A DISPATCH or DELEGATE input sending a case to `code`. */
  const to = (code: string, days?: number) => ({
    toUnitId: w.units[code]!.id,
    deadline: e.deadline(days),
  });
  /** Whether a GD agent, the GD auditor, an SZ handler and a ZJ agent read the case, in that order. */
  const readers = (c: { id: string }) =>
    Promise.all(['gd.agent2', 'gd.auditor', 'sz.handler', 'zj.agent'].map((u) => reads(u, c)));
  return { w, e, ask, reads, to, readers };
}

describe('D1a: moving a unit', () => {
  it('D1a D54: a city with only ended cases moves to another province: the old province loses its cases, the new one gains them', () =>
    world().tx(async (db) => {
      const { w, e, ask, reads, to, readers } = scene(db);
      let c = await e.accepted();
      c = await e.act('gd.agent', 'DISPATCH', c, to('GD-SZ'));
      c = await e.act('gd.agent', 'WITHDRAW', c, { note: 'Customer solved it' });
      expect(await readers(c)).toEqual([true, true, true, false]);

      const r = await ask('admin', MOVE, { id: unit('GD-SZ'), parentId: unit('ZJ') });
      expect(r.data.moveOrgUnit).toEqual({
        orgUnit: { code: 'GD-SZ', parent: { code: 'ZJ' }, ancestors: [{ code: 'ZJ' }] },
        userErrors: [],
      });
      // The subtree moved with it, and the case's copied path and reader set follow the new tree.
      const [ns] = await db.select().from(orgUnits).where(eq(orgUnits.code, 'GD-SZ-NS'));
      expect(ns!.path).toBe(`/${w.units.ZJ!.id}/${w.units['GD-SZ']!.id}/${ns!.id}/`);
      const [row] = await db.select().from(complaints).where(eq(complaints.id, c.id));
      expect(new Set(row!.readerUnits)).toEqual(new Set([w.units.ZJ!.id, w.units['GD-SZ']!.id]));
      expect(await readers(c)).toEqual([false, false, true, true]);
      // The first responder still reads it (D10), and its history stays as it was.
      expect(await reads('gd.agent', c)).toBe(true);
      expect(row!.provinceId).toBe(w.units.GD!.id);
      const a = await ask('gd.auditor', AUDIT, {});
      expect(a.data.auditRecords.edges[0].node).toMatchObject({
        action: 'MOVE_ORG_UNIT',
        unit: { code: 'GD' },
        targetUnit: { code: 'GD-SZ' },
        detail: { from: 'GD', to: 'ZJ' },
      });
    }));

  it('D1a: a city with an open case does not move to another province, and nothing changes', () =>
    world().tx(async (db) => {
      const { e, ask, to } = scene(db);
      let c = await e.accepted();
      c = await e.act('gd.agent', 'DISPATCH', c, to('GD-SZ'));
      const before = await db.select().from(orgUnits);
      const r = await ask('admin', MOVE, { id: unit('GD-SZ'), parentId: unit('ZJ') });
      expect(r.data.moveOrgUnit.userErrors[0]).toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'id'],
      });
      expect(await db.select().from(orgUnits)).toEqual(before);
      expect((await e.reload(c)).readerUnits).toEqual(c.readerUnits);
    }));

  it('D1a D54: a county moves to another city of its province at any time; its open case is read by the new city', () =>
    world().tx(async (db) => {
      const { e, ask, reads } = scene(db);
      // A walk-in at the county, dispatched by the province to the county's city and delegated to the county.
      const c = await e.investigating('county');
      expect(await reads('sz.handler', c)).toBe(false);
      const r = await ask('gd.admin', MOVE, { id: unit('GD-GZ-TH'), parentId: unit('GD-SZ') });
      expect(r.data.moveOrgUnit.userErrors).toEqual([]);
      expect(await reads('sz.handler', c)).toBe(true); // the new ancestor
      expect(await reads('th.handler', c)).toBe(true);
      expect(await reads('gz.handler', c)).toBe(true); // GD-GZ stays: it is in the case's dispatch chain (D54)
      // Across provinces a county may not move; a county under a province neither.
      const zj = await ask('admin', MOVE, { id: unit('GD-GZ-YX'), parentId: unit('ZJ-HZ') });
      expect(zj.data.moveOrgUnit.userErrors[0]).toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'parentId'],
      });
      const level = await ask('admin', MOVE, { id: unit('GD-GZ-YX'), parentId: unit('GD') });
      expect(level.data.moveOrgUnit.userErrors[0]).toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'parentId'],
      });
      const foreign = await ask('gz.handler', MOVE, {
        id: unit('GD-GZ-YX'),
        parentId: unit('GD-SZ'),
      });
      expect(foreign.data.moveOrgUnit.userErrors[0].code).toBe('FORBIDDEN');
    }));
});

describe('D1a: renaming and closing a unit', () => {
  it('D1a D7: a closed unit receives no dispatch or delegation (FORBIDDEN) and keeps its cases; reopened, it does again', () =>
    world().tx(async (db) => {
      const { e, ask, reads, to } = scene(db);
      const held = await e.investigating('city');
      const r = await ask('gd.admin', UPDATE, {
        input: { id: unit('GD-GZ'), name: '广州市分公司', closed: true },
      });
      expect(r.data.updateOrgUnit).toEqual({
        orgUnit: { code: 'GD-GZ', name: '广州市分公司', closed: true },
        userErrors: [],
      });
      const c = await e.accepted();
      const refused = await e.refused('gd.agent', 'DISPATCH', c, to('GD-GZ'));
      expect(refused.code).toBe('FORBIDDEN');
      await ask('gd.admin', UPDATE, { input: { id: unit('GD-GZ-TH'), closed: true } });
      expect((await e.refused('gz.handler', 'DELEGATE', held, to('GD-GZ-TH', 2))).code).toBe(
        'FORBIDDEN',
      );
      // Its cases stay with it.
      expect(await reads('gz.handler', held)).toBe(true);
      await ask('gd.admin', UPDATE, { input: { id: unit('GD-GZ'), closed: false } });
      expect((await e.act('gd.agent', 'DISPATCH', c, to('GD-GZ'))).status).toBe('DISPATCHED');
      const blank = await ask('gd.admin', UPDATE, { input: { id: unit('GD-GZ'), name: '   ' } });
      expect(blank.data.updateOrgUnit.userErrors[0]).toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'name'],
      });
      const a = await ask('gz.auditor', AUDIT, {});
      expect(a.data.auditRecords.edges.map((x: any) => x.node.action)).toContain('UPDATE_ORG_UNIT');
    }));
});
