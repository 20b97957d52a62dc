import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { complaints, orgUnits } from '../../src/db/schema.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { engine } from '../support/cases.js';
import { gql } from '../support/gql.js';
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

describe('D1a: moving a unit', () => {
  it('D1a D54: a city with only ended cases moves to another province: the old province loses its cases, the new one gains them', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      let c = await e.accepted();
      c = await e.act('gd.agent', 'DISPATCH', c, { toUnitId: w.units['GD-SZ']!.id, deadline: e.deadline() });
      c = await e.act('gd.agent', 'WITHDRAW', c, { note: 'Customer solved it' });
      const app = w.app(db);
      const id = toGlobalId('Complaint', c.id);
      const reads = async (who: string) => (await gql(app, READ, { id }, { token: await w.token(who) })).data.complaint !== null;
      expect([await reads('gd.agent2'), await reads('gd.auditor'), await reads('sz.handler'), await reads('zj.agent')]).toEqual([true, true, true, false]);

      const r = await gql(app, MOVE, { id: unit('GD-SZ'), parentId: unit('ZJ') }, { token: await w.token('admin') });
      expect(r.data.moveOrgUnit).toEqual({ orgUnit: { code: 'GD-SZ', parent: { code: 'ZJ' }, ancestors: [{ code: 'ZJ' }] }, userErrors: [] });
      // The subtree moved with it, and the case's copied path and reader set follow the new tree.
      const [ns] = await db.select().from(orgUnits).where(eq(orgUnits.code, 'GD-SZ-NS'));
      expect(ns!.path).toBe(`/${w.units.ZJ!.id}/${w.units['GD-SZ']!.id}/${ns!.id}/`);
      const [row] = await db.select().from(complaints).where(eq(complaints.id, c.id));
      expect(new Set(row!.readerUnits)).toEqual(new Set([w.units.ZJ!.id, w.units['GD-SZ']!.id]));
      expect([await reads('gd.agent2'), await reads('gd.auditor'), await reads('sz.handler'), await reads('zj.agent')]).toEqual([false, false, true, true]);
      // The first responder still reads it (D10), and its history stays as it was.
      expect(await reads('gd.agent')).toBe(true);
      expect(row!.provinceId).toBe(w.units.GD!.id);
      const a = await gql(app, AUDIT, {}, { token: await w.token('gd.auditor') });
      expect(a.data.auditRecords.edges[0].node).toMatchObject({ action: 'MOVE_ORG_UNIT', unit: { code: 'GD' }, targetUnit: { code: 'GD-SZ' }, detail: { from: 'GD', to: 'ZJ' } });
    }));

  it('D1a: a city with an open case does not move to another province, and nothing changes', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      let c = await e.accepted();
      c = await e.act('gd.agent', 'DISPATCH', c, { toUnitId: w.units['GD-SZ']!.id, deadline: e.deadline() });
      const before = await db.select().from(orgUnits);
      const r = await gql(w.app(db), MOVE, { id: unit('GD-SZ'), parentId: unit('ZJ') }, { token: await w.token('admin') });
      expect(r.data.moveOrgUnit.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'id'] });
      expect(await db.select().from(orgUnits)).toEqual(before);
      expect((await e.reload(c)).readerUnits).toEqual(c.readerUnits);
    }));

  it('D1a D54: a county moves to another city of its province at any time; its open case is read by the new city', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      // A walk-in at the county, dispatched by the province to the county's city and delegated to the county.
      const c = await e.investigating('county');
      const app = w.app(db);
      const id = toGlobalId('Complaint', c.id);
      const reads = async (who: string) => (await gql(app, READ, { id }, { token: await w.token(who) })).data.complaint !== null;
      expect(await reads('sz.handler')).toBe(false);
      const r = await gql(app, MOVE, { id: unit('GD-GZ-TH'), parentId: unit('GD-SZ') }, { token: await w.token('gd.admin') });
      expect(r.data.moveOrgUnit.userErrors).toEqual([]);
      expect(await reads('sz.handler')).toBe(true); // the new ancestor
      expect(await reads('th.handler')).toBe(true);
      expect(await reads('gz.handler')).toBe(true); // GD-GZ stays: it is in the case's dispatch chain (D54)
      // Across provinces a county may not move; a county under a province neither.
      const zj = await gql(app, MOVE, { id: unit('GD-GZ-YX'), parentId: unit('ZJ-HZ') }, { token: await w.token('admin') });
      expect(zj.data.moveOrgUnit.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'parentId'] });
      const level = await gql(app, MOVE, { id: unit('GD-GZ-YX'), parentId: unit('GD') }, { token: await w.token('admin') });
      expect(level.data.moveOrgUnit.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'parentId'] });
      const foreign = await gql(app, MOVE, { id: unit('GD-GZ-YX'), parentId: unit('GD-SZ') }, { token: await w.token('gz.handler') });
      expect(foreign.data.moveOrgUnit.userErrors[0].code).toBe('FORBIDDEN');
    }));
});

describe('D1a: renaming and closing a unit', () => {
  it('D1a D7: a closed unit receives no dispatch or delegation (FORBIDDEN) and keeps its cases; reopened, it does again', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const held = await e.investigating('city');
      const app = w.app(db);
      const admin = await w.token('gd.admin');
      const r = await gql(app, UPDATE, { input: { id: unit('GD-GZ'), name: '广州市分公司', closed: true } }, { token: admin });
      expect(r.data.updateOrgUnit).toEqual({ orgUnit: { code: 'GD-GZ', name: '广州市分公司', closed: true }, userErrors: [] });
      const c = await e.accepted();
      const refused = await e.refused('gd.agent', 'DISPATCH', c, { toUnitId: w.units['GD-GZ']!.id, deadline: e.deadline() });
      expect(refused.code).toBe('FORBIDDEN');
      await gql(app, UPDATE, { input: { id: unit('GD-GZ-TH'), closed: true } }, { token: admin });
      expect((await e.refused('gz.handler', 'DELEGATE', held, { toUnitId: w.units['GD-GZ-TH']!.id, deadline: e.deadline(2) })).code).toBe('FORBIDDEN');
      // Its cases stay with it.
      expect((await gql(app, READ, { id: toGlobalId('Complaint', held.id) }, { token: await w.token('gz.handler') })).data.complaint.number).toBe(held.number);
      await gql(app, UPDATE, { input: { id: unit('GD-GZ'), closed: false } }, { token: admin });
      expect((await e.act('gd.agent', 'DISPATCH', c, { toUnitId: w.units['GD-GZ']!.id, deadline: e.deadline() })).status).toBe('DISPATCHED');
      const blank = await gql(app, UPDATE, { input: { id: unit('GD-GZ'), name: '   ' } }, { token: admin });
      expect(blank.data.updateOrgUnit.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'name'] });
      const a = await gql(app, AUDIT, {}, { token: await w.token('gz.auditor') });
      expect(a.data.auditRecords.edges.map((x: any) => x.node.action)).toContain('UPDATE_ORG_UNIT');
    }));
});
