import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { users } from '../../src/db/schema.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { engine } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { PASSWORD, T0, useWorld, type World } from '../support/world.js';

/**
 * D1a, D52 (issue 18): accounts. A disabled or reset user's tokens stop at
 * once; a password an ADMIN sets only lets its owner set a new one; the
 * password policy; partner keys rotate; every change is an audit record the
 * unit's AUDITORs read.
 */
const world = useWorld();

const ERRORS = 'userErrors { code field message }';
const LOGIN = `mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token ${ERRORS} } }`;
const DISABLE = `mutation ($id: ID!) { disableUser(id: $id) { user { username disabled } ${ERRORS} } }`;
const RESET = `mutation ($id: ID!, $p: String!) { resetPassword(userId: $id, newPassword: $p) { user { username } ${ERRORS} } }`;
const CHANGE = `mutation ($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { user { username } ${ERRORS} } }`;
const ROTATE = `mutation ($id: ID!) { rotatePartnerKey(partnerId: $id) { apiKey partner { carrierCode } ${ERRORS} } }`;
const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id username } ${ERRORS} } }`;
const CASE = `query ($id: ID!) { complaint(id: $id) { number customer { name masked } } complaints { totalCount } }`;
const ME = `{ me { ... on User { username disabled } } }`;
const AUDIT = `query ($unitId: ID) { auditRecords(unitId: $unitId) { edges { node { action actor { username } unit { code } targetUser { username } targetPartner { carrierCode } targetUnit { code } detail at } } } }`;

const uid = (w: World, username: string) => toGlobalId('User', w.staff[username]!.id);
const login = async (w: World, db: Db, u: string, p: string) =>
  (await gql(w.app(db), LOGIN, { u, p })).data.login;

describe('D1a D52: disabling a user', () => {
  it('D1a D52: a disabled user’s token stops at once, they cannot log in, and the unit’s auditors read the record', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const app = w.app(db);
      const token = await w.token('gz.handler');
      expect((await gql(app, ME, {}, { token })).data.me.username).toBe('gz.handler');
      const r = await gql(
        app,
        DISABLE,
        { id: uid(w, 'gz.handler') },
        { token: await w.token('gd.admin') },
      );
      expect(r.data.disableUser).toEqual({
        user: { username: 'gz.handler', disabled: true },
        userErrors: [],
      });
      const after = await gql(app, ME, {}, { token });
      expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(after.data ?? null).toBeNull();
      expect(await login(w, db, 'gz.handler', PASSWORD)).toEqual({
        token: null,
        userErrors: [{ code: 'VALIDATION', field: null, message: 'Wrong username or password' }],
      });
      for (const auditor of ['gz.auditor', 'gd.auditor']) {
        const a = await gql(app, AUDIT, {}, { token: await w.token(auditor) });
        expect(a.data.auditRecords.edges[0].node, auditor).toMatchObject({
          action: 'DISABLE_USER',
          actor: { username: 'gd.admin' },
          unit: { code: 'GD-GZ' },
          targetUser: { username: 'gz.handler' },
        });
      }
    }));

  it('D3 D55: only an ADMIN over the user’s unit disables; a partner gets FORBIDDEN; nothing changes', () =>
    world().tx(async (db) => {
      const w = world();
      const app = w.app(db);
      const byHandler = await gql(
        app,
        DISABLE,
        { id: uid(w, 'sz.handler') },
        { token: await w.token('gz.handler') },
      );
      expect(byHandler.data.disableUser.userErrors[0].code).toBe('FORBIDDEN');
      const outside = await gql(
        app,
        DISABLE,
        { id: uid(w, 'zj.agent') },
        { token: await w.token('gd.admin') },
      );
      expect(outside.data.disableUser.userErrors[0].code).toBe('FORBIDDEN');
      const partner = await gql(app, DISABLE, { id: uid(w, 'zj.agent') }, { apiKey: w.partnerKey });
      expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const malformed = await gql(
        app,
        DISABLE,
        { id: 'nope' },
        { token: await w.token('gd.admin') },
      );
      expect(malformed.data.disableUser.userErrors[0]).toMatchObject({
        code: 'VALIDATION',
        field: ['id'],
      });
      const rows = await db
        .select({ disabled: users.disabled })
        .from(users)
        .where(eq(users.disabled, true));
      expect(rows).toEqual([]);
    }));
});

describe('D52: a password an ADMIN sets', () => {
  it('D52: after a reset the old token stops; the new password reads nothing until its owner changes it', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await engine(w, db).investigating('city');
      const app = w.app(db);
      const id = toGlobalId('Complaint', c.id);
      const oldToken = await w.token('gz.handler');
      expect((await gql(app, CASE, { id }, { token: oldToken })).data.complaint.number).toBe(
        c.number,
      );

      const adminSet = 'admin-chose-this-1';
      const reset = await gql(
        app,
        RESET,
        { id: uid(w, 'gz.handler'), p: adminSet },
        { token: await w.token('gd.admin') },
      );
      expect(reset.data.resetPassword.userErrors).toEqual([]);
      expect(
        (await gql(app, CASE, { id }, { token: oldToken })).errors?.[0]?.extensions?.code,
      ).toBe('UNAUTHENTICATED');

      // The ADMIN's password signs in, but the account reads nothing and does nothing.
      const temp = (await login(w, db, 'gz.handler', adminSet)).token;
      const blind = await gql(app, CASE, { id }, { token: temp });
      expect(blind.errors).toBeUndefined();
      expect(blind.data).toEqual({ complaint: null, complaints: { totalCount: 0 } });
      const act = await gql(
        app,
        `mutation ($id: ID!) { recordInvestigation(input: { id: $id, kind: INITIAL, findings: "x" }) { ${ERRORS} } }`,
        { id },
        { token: temp },
      );
      expect(act.data.recordInvestigation.userErrors[0].code).toBe('NOT_FOUND');

      // Its owner sets their own: the temporary token stops, the new password reads again.
      const changed = await gql(
        app,
        CHANGE,
        { c: adminSet, n: 'my-own-secret-42' },
        { token: temp },
      );
      expect(changed.data.changePassword).toEqual({
        user: { username: 'gz.handler' },
        userErrors: [],
      });
      expect((await gql(app, CASE, { id }, { token: temp })).errors?.[0]?.extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
      const mine = (await login(w, db, 'gz.handler', 'my-own-secret-42')).token;
      const read = await gql(app, CASE, { id }, { token: mine });
      expect(read.data.complaint).toEqual({
        number: c.number,
        customer: { name: '张三', masked: false },
      });
      expect(await login(w, db, 'gz.handler', adminSet)).toMatchObject({ token: null });
    }));

  it('D52 D54: an account an ADMIN creates with an ACCEPTANCE_AGENT grant reads no case with the ADMIN’s password', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await engine(w, db).accepted();
      const app = w.app(db);
      const gd = toGlobalId('OrgUnit', w.units.GD!.id);
      const created = await gql(
        app,
        CREATE_USER,
        {
          input: {
            username: 'gd.puppet',
            password: 'admin-knows-this-1',
            displayName: 'Puppet',
            unitId: gd,
            roles: [{ role: 'ACCEPTANCE_AGENT', unitId: gd }],
          },
        },
        { token: await w.token('gd.admin') },
      );
      expect(created.data.createUser.userErrors).toEqual([]);
      const token = (await login(w, db, 'gd.puppet', 'admin-knows-this-1')).token;
      const r = await gql(app, CASE, { id: toGlobalId('Complaint', c.id) }, { token });
      expect(r.data).toEqual({ complaint: null, complaints: { totalCount: 0 } });
      const exported = await app.yoga.fetch('http://test/exports/complaints.csv', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(exported.status).toBe(403);
      // The record says who created whom with which roles, never the password.
      const a = await gql(app, AUDIT, {}, { token: await w.token('gd.auditor') });
      const rec = a.data.auditRecords.edges[0].node;
      expect(rec).toMatchObject({
        action: 'CREATE_USER',
        actor: { username: 'gd.admin' },
        targetUser: { username: 'gd.puppet' },
        detail: { roles: [{ role: 'ACCEPTANCE_AGENT', unit: 'GD' }] },
      });
      expect(JSON.stringify(rec)).not.toContain('admin-knows-this-1');
    }));
});

describe('D52: the password policy', () => {
  it('D52: at least 12 characters, not blank, not the username, not a common one — at creation, reset and change', () =>
    world().tx(async (db) => {
      const w = world();
      const app = w.app(db);
      const admin = await w.token('gd.admin');
      const gd = toGlobalId('OrgUnit', w.units.GD!.id);
      const bad = [
        'short-pass',
        '               ',
        'gd.newcomer',
        'gd.newcomer!!',
        'password1234',
        'aaaaaaaaaaaaaaaa',
      ];
      for (const p of bad) {
        const r = await gql(
          app,
          CREATE_USER,
          {
            input: {
              username: 'gd.newcomer',
              password: p,
              displayName: 'N',
              unitId: gd,
              roles: [{ role: 'AUDITOR', unitId: gd }],
            },
          },
          { token: admin },
        );
        expect(r.data.createUser.userErrors[0], JSON.stringify(p)).toMatchObject({
          code: 'VALIDATION',
          field: ['input', 'password'],
        });
        const reset = await gql(
          app,
          RESET,
          { id: uid(w, 'gz.handler'), p: p.replace('gd.newcomer', 'gz.handler') },
          { token: admin },
        );
        expect(reset.data.resetPassword.userErrors[0], JSON.stringify(p)).toMatchObject({
          code: 'VALIDATION',
          field: ['newPassword'],
        });
      }
      const token = await w.token('gz.handler');
      const wrong = await gql(
        app,
        CHANGE,
        { c: 'not-my-password', n: 'a-fine-new-secret' },
        { token },
      );
      expect(wrong.data.changePassword.userErrors[0]).toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'currentPassword'],
      });
      const weak = await gql(app, CHANGE, { c: PASSWORD, n: '123456789012' }, { token });
      expect(weak.data.changePassword.userErrors[0]).toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'newPassword'],
      });
      // Refused changes changed nothing: the old token and password still work.
      expect((await gql(app, ME, {}, { token })).data.me.username).toBe('gz.handler');
      expect((await login(w, db, 'gz.handler', PASSWORD)).token).toBeTruthy();
    }));
});

describe('D40 D52: rotating a partner key', () => {
  it('D52: the new key works at once and the old one stops; the province’s auditors read the record', () =>
    world().tx(async (db) => {
      const w = world();
      const app = w.app(db);
      const me = `{ me { ... on Partner { carrierCode } } }`;
      expect((await gql(app, me, {}, { apiKey: w.partnerKey })).data.me.carrierCode).toBe('PGD');
      const r = await gql(
        app,
        ROTATE,
        { id: toGlobalId('Partner', w.partner.id) },
        { token: await w.token('gd.admin') },
      );
      const key = r.data.rotatePartnerKey.apiKey;
      expect(key).toMatch(/^cpk_/);
      expect((await gql(app, me, {}, { apiKey: w.partnerKey })).errors?.[0]?.extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
      expect((await gql(app, me, {}, { apiKey: key })).data.me.carrierCode).toBe('PGD');
      const a = await gql(app, AUDIT, {}, { token: await w.token('gd.auditor') });
      expect(a.data.auditRecords.edges[0].node).toMatchObject({
        action: 'ROTATE_PARTNER_KEY',
        targetPartner: { carrierCode: 'PGD' },
        unit: { code: 'GD' },
      });
      expect(JSON.stringify(a.data)).not.toContain(key);
      const zj = await gql(
        app,
        ROTATE,
        { id: toGlobalId('Partner', w.zjPartner.id) },
        { token: await w.token('gd.admin') },
      );
      expect(zj.data.rotatePartnerKey.userErrors[0].code).toBe('FORBIDDEN');
    }));
});

describe('D52: who reads the audit records', () => {
  it('D52: AUDITORs of the unit and above only; others FORBIDDEN; an auditor of another subtree sees nothing of it', () =>
    world().tx(async (db) => {
      const w = world();
      const app = w.app(db);
      await gql(app, DISABLE, { id: uid(w, 'sz.handler') }, { token: await w.token('gd.admin') });
      for (const who of ['gd.admin', 'gd.duty', 'gz.handler']) {
        const r = await gql(app, AUDIT, {}, { token: await w.token(who) });
        expect(r.errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
      }
      expect(
        (await gql(app, AUDIT, {}, { apiKey: w.partnerKey })).errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');
      const gz = await gql(app, AUDIT, {}, { token: await w.token('gz.auditor') });
      expect(
        gz.data.auditRecords.edges.filter((e: any) => e.node.targetUser?.username === 'sz.handler'),
      ).toEqual([]);
      const sz = await gql(
        app,
        AUDIT,
        { unitId: toGlobalId('OrgUnit', w.units['GD-SZ']!.id) },
        { token: await w.token('gz.auditor') },
      );
      expect(sz.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const gd = await gql(
        app,
        AUDIT,
        { unitId: toGlobalId('OrgUnit', w.units['GD-SZ']!.id) },
        { token: await w.token('gd.auditor') },
      );
      expect(gd.data.auditRecords.edges[0].node).toMatchObject({
        action: 'DISABLE_USER',
        targetUser: { username: 'sz.handler' },
      });
    }));
});
