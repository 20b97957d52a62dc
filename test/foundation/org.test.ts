import { createHash } from 'node:crypto';
import { asc, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import type { Db } from '../../src/db/client.js';
import { orgUnits, partners, roleGrants, users } from '../../src/db/schema.js';
import type { OrgLevel, Role } from '../../src/domain/enums.js';
import { createOrgUnit, createPartner, createUser, inSubtree } from '../../src/domain/org.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import type { App } from '../../src/server/app.js';
import { type GqlResult, gql } from '../support/gql.js';
import { ORG, PASSWORD, useWorld, type World } from '../support/world.js';

const world = useWorld();

const USER_ERRORS = 'userErrors { code message field }';
const CREATE_UNIT = `mutation ($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) { orgUnit { id code name level parent { code } } ${USER_ERRORS} }
}`;
const CREATE_USER = `mutation ($input: CreateUserInput!) {
  createUser(input: $input) { user { id username displayName unit { code } roles { role unit { code } } } ${USER_ERRORS} }
}`;
const CREATE_PARTNER = `mutation ($input: CreatePartnerInput!) {
  createPartner(input: $input) { partner { id name carrierCode province { code } } apiKey ${USER_ERRORS} }
}`;
const LOGIN = `mutation ($username: String!, $password: String!) { login(username: $username, password: $password) { token ${USER_ERRORS} } }`;
const ME =
  '{ me { __typename ... on User { username } ... on Partner { name carrierCode province { code } } } }';

const unitGid = (code: string) => toGlobalId('OrgUnit', world().units[code]!.id);

/** Rows of every table these mutations write: a refused mutation must leave all four unchanged. */
async function counts(db: Db) {
  const n = async (table: typeof orgUnits | typeof users | typeof roleGrants | typeof partners) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    units: await n(orgUnits),
    users: await n(users),
    grants: await n(roleGrants),
    partners: await n(partners),
  };
}

type Mutation = 'createOrgUnit' | 'createUser' | 'createPartner';
const RESULT_KEY: Record<Mutation, string> = {
  createOrgUnit: 'orgUnit',
  createUser: 'user',
  createPartner: 'partner',
};
const DOCUMENT: Record<Mutation, string> = {
  createOrgUnit: CREATE_UNIT,
  createUser: CREATE_USER,
  createPartner: CREATE_PARTNER,
};

/** Runs a mutation that must be refused with one userError of `code` (on `field` when given) and write nothing. */
async function expectRefused(
  db: Db,
  mutation: Mutation,
  send: () => Promise<GqlResult>,
  code: string,
  field?: string[],
) {
  const before = await counts(db);
  const res = await send();
  expect(res.errors).toBeUndefined();
  const payload = res.data[mutation];
  expect(payload[RESULT_KEY[mutation]]).toBeNull();
  if (mutation === 'createPartner') expect(payload.apiKey).toBeNull();
  expect(payload.userErrors).toHaveLength(1);
  expect(payload.userErrors[0].code).toBe(code);
  if (field) expect(payload.userErrors[0].field).toEqual(field);
  expect(await counts(db)).toEqual(before);
  return payload.userErrors[0] as { code: string; message: string; field: string[] | null };
}

/**
 * Under vitest, src's `import 'graphql'` resolves to graphql's ESM build while yoga loads the CommonJS one,
 * so yoga does not recognise src's GraphQLErrors and masks them (FORBIDDEN becomes INTERNAL_SERVER_ERROR).
 * Under tsx/node there is one copy and the code comes through. Checks of such codes run once the test
 * config resolves `graphql` to a single build.
 */

/** A mutation refused as a GraphQL error at its root field (a viewer kind that may never use it, D55), writing nothing. */
async function expectGraphQLError(db: Db, mutation: Mutation, send: () => Promise<GqlResult>) {
  const before = await counts(db);
  const res = await send();
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0]).toMatchObject({ path: [mutation] });
  expect(res.data ?? null).toBeNull();
  expect(await counts(db)).toEqual(before);
  return res.errors![0]!;
}

/** One viewer sending the organisation mutations inside a test's rolled-back transaction. */
type Session = {
  w: World;
  db: Db;
  app: App;
  /** Sends any query or mutation as this viewer. */
  query(document: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  /** Sends `mutation` with `input` as this viewer. */
  send(mutation: Mutation, input: object): Promise<GqlResult>;
  /** Sends `mutation`, which must be refused with `code` (on `field`) and write nothing. */
  refused(
    mutation: Mutation,
    input: object,
    code: string,
    field?: string[],
  ): ReturnType<typeof expectRefused>;
};

function session(w: World, db: Db, auth: { token?: string; apiKey?: string }): Session {
  const app = w.app(db);
  const query = (document: string, variables: Record<string, unknown> = {}) =>
    gql(app, document, variables, auth);
  const send = (mutation: Mutation, input: object) => query(DOCUMENT[mutation], { input });
  return {
    w,
    db,
    app,
    query,
    send,
    refused: (mutation, input, code, field) =>
      expectRefused(db, mutation, () => send(mutation, input), code, field),
  };
}

/** A test body run in a rolled-back transaction as the signed-in staff user `username`. */
const as = (username: string, body: (s: Session) => Promise<void>) => async () => {
  const w = world();
  await w.tx(async (db) => body(session(w, db, { token: await w.token(username) })));
};

/** A test body run in a rolled-back transaction, calling the domain functions directly. */
const inTx = (body: (w: World, db: Db) => Promise<void>) => async () => {
  const w = world();
  await w.tx((db) => body(w, db));
};

const unitInput = (level: OrgLevel, code: string, parent?: string) => ({
  level,
  code,
  name: `Unit ${code}`,
  ...(parent ? { parentId: unitGid(parent) } : {}),
});

const userInput = (username: string, unit: string, roles: [Role, string][]) => ({
  username,
  password: 'a-good-password',
  displayName: `Name of ${username}`,
  unitId: unitGid(unit),
  roles: roles.map(([role, u]) => ({ role, unitId: unitGid(u) })),
});

const ROLE_0 = ['input', 'roles', '0', 'role'];

const partnerInput = (province: string) => ({
  name: 'P',
  carrierCode: 'PNEW',
  provinceId: unitGid(province),
});

/** Futian, a county of Shenzhen, created through the domain function by the bootstrap admin. */
const createFutian = (w: World, db: Db) =>
  createOrgUnit(db, defineAbilityFor(w.admin), {
    level: 'COUNTY',
    code: 'GD-SZ-FT',
    name: 'Futian',
    parentId: w.units['GD-SZ']!.id,
  });

describe('D1: the unit tree through createOrgUnit', () => {
  it(
    'D1: the bootstrap admin builds province → city → county and a centre under the province',
    as('admin', async ({ db, query, send }) => {
      const create = async (input: object) => {
        const res = await send('createOrgUnit', input);
        expect(res.data.createOrgUnit.userErrors).toEqual([]);
        return res.data.createOrgUnit.orgUnit;
      };
      const made: Record<string, { id: string }> = {};
      for (const [level, code, name, parent] of [
        ['PROVINCE', 'HN', 'Hunan', null],
        ['CITY', 'HN-CS', 'Changsha', 'HN'],
        ['COUNTY', 'HN-CS-YL', 'Yuelu', 'HN-CS'],
        ['CENTER', 'HN-BC', 'Big customers', 'HN'],
      ] as const) {
        const parentId = parent ? { parentId: made[parent]!.id } : {};
        const unit = await create({ level, code, name, ...parentId });
        expect(unit).toMatchObject({ code, name, level, parent: parent ? { code: parent } : null });
        made[code] = unit;
      }

      const tree = await query('{ orgUnit(code: "HN") { children { code children { code } } } }');
      expect(tree.data.orgUnit.children).toEqual([
        { code: 'HN-BC', children: [] },
        { code: 'HN-CS', children: [{ code: 'HN-CS-YL' }] },
      ]);
      // the materialised path is the parent's path plus the unit's own id
      const [county] = await db.select().from(orgUnits).where(eq(orgUnits.code, 'HN-CS-YL'));
      const [city] = await db.select().from(orgUnits).where(eq(orgUnits.code, 'HN-CS'));
      expect(county!.path).toBe(`${city!.path}${county!.id}/`);
      expect(county!.parentId).toBe(city!.id);
    }),
  );

  it(
    'D1: a province has no parent',
    as('admin', async ({ refused }) => {
      const err = await refused('createOrgUnit', unitInput('PROVINCE', 'HN', 'GD'), 'VALIDATION', [
        'input',
        'parentId',
      ]);
      expect(err.message).toBe('A PROVINCE has no parent');
    }),
  );

  it(
    'D1: a city and a centre must have a province as their parent',
    as('admin', async ({ refused }) => {
      for (const level of ['CITY', 'CENTER'] as const) {
        for (const parent of ['GD-GZ', 'GD-GZ-TH', 'GD-BC', undefined]) {
          const input = unitInput(level, 'GD-NEW', parent);
          const err = await refused('createOrgUnit', input, 'VALIDATION', ['input', 'parentId']);
          expect(err.message).toBe(`A ${level} must have a PROVINCE as its parent`);
        }
      }
    }),
  );

  it(
    'D1: a county must have a city as its parent',
    as('admin', async ({ refused }) => {
      for (const parent of ['GD', 'GD-BC', 'GD-GZ-TH', undefined]) {
        const input = unitInput('COUNTY', 'GD-NEW', parent);
        const err = await refused('createOrgUnit', input, 'VALIDATION', ['input', 'parentId']);
        expect(err.message).toBe('A COUNTY must have a CITY as its parent');
      }
    }),
  );

  it(
    'D1: the same rules hold when the domain function is called directly',
    inTx(async (w, db) => {
      const ability = defineAbilityFor(w.admin);
      const refused = (level: OrgLevel, parent: string | null) =>
        expect(
          createOrgUnit(db, ability, {
            level,
            code: level === 'PROVINCE' ? 'HN' : 'GD-NEW',
            name: 'New',
            parentId: parent ? w.units[parent]!.id : null,
          }),
        ).rejects.toMatchObject({ code: 'VALIDATION', field: ['input', 'parentId'] });
      await refused('PROVINCE', 'GD');
      await refused('CITY', null);
      await refused('CITY', 'GD-GZ');
      await refused('CENTER', 'GD-BC');
      await refused('COUNTY', 'GD');
      await refused('COUNTY', 'GD-BC');
      const before = await counts(db);
      await refused('COUNTY', 'GD-GZ-TH');
      expect(await counts(db)).toEqual(before);

      const county = await createFutian(w, db);
      expect(county).toMatchObject({
        level: 'COUNTY',
        parentId: w.units['GD-SZ']!.id,
        path: `${w.units['GD-SZ']!.path}${county.id}/`,
      });
      expect((await counts(db)).units).toBe(before.units + 1);
    }),
  );

  it(
    'D57: a duplicate code is a VALIDATION userError, whatever its case and spacing',
    as('admin', async ({ w, db, refused }) => {
      for (const code of ['GD-SZ', ' gd-sz ', 'GD-GZ-TH']) {
        const input = unitInput('CITY', code, 'GD');
        const err = await refused('createOrgUnit', input, 'VALIDATION', ['input', 'code']);
        expect(err.message).toMatch(/already used/);
      }
      await refused('createOrgUnit', unitInput('PROVINCE', 'zj'), 'VALIDATION', ['input', 'code']);
      await expect(
        createOrgUnit(db, defineAbilityFor(w.admin), {
          level: 'CITY',
          code: 'ZJ-HZ',
          name: 'Again',
          parentId: w.units.ZJ!.id,
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION', field: ['input', 'code'] });
    }),
  );

  it(
    'D57: a code is stored trimmed and upper-cased',
    as('admin', async ({ db, send }) => {
      const res = await send('createOrgUnit', unitInput('CITY', '  gd-fs ', 'GD'));
      expect(res.data.createOrgUnit.orgUnit.code).toBe('GD-FS');
      const rows = await db
        .select({ code: orgUnits.code })
        .from(orgUnits)
        .where(eq(orgUnits.code, 'GD-FS'));
      expect(rows).toHaveLength(1);
    }),
  );

  it(
    'D57: codes are 2–32 of A–Z, 0–9 and "-", a province code letters only; a name is required',
    as('admin', async ({ send, refused }) => {
      const badCode = ['input', 'code'];
      for (const code of ['G', 'GD_FS', 'GD FS', 'GD-广州', 'X'.repeat(33), '']) {
        await refused('createOrgUnit', unitInput('CITY', code, 'GD'), 'VALIDATION', badCode);
      }
      for (const code of ['H1', 'H-N', 'H']) {
        await refused('createOrgUnit', unitInput('PROVINCE', code), 'VALIDATION', badCode);
      }
      const unnamed = { ...unitInput('CITY', 'GD-FS', 'GD'), name: '   ' };
      await refused('createOrgUnit', unnamed, 'VALIDATION', ['input', 'name']);
      // and the longest valid code passes
      const ok = await send('createOrgUnit', unitInput('CITY', 'G'.repeat(32), 'GD'));
      expect(ok.data.createOrgUnit.userErrors).toEqual([]);
    }),
  );

  it(
    'an unknown or malformed parentId is a VALIDATION userError',
    as('admin', async ({ w, refused }) => {
      for (const parentId of [
        toGlobalId('OrgUnit', '00000000-0000-4000-8000-000000000000'),
        'not-an-id',
        toGlobalId('User', w.units.GD!.id),
      ]) {
        const input = { level: 'CITY', code: 'GD-FS', name: 'Foshan', parentId };
        await refused('createOrgUnit', input, 'VALIDATION', ['input', 'parentId']);
      }
    }),
  );
});

describe('D3: who may manage the organisation', () => {
  it(
    'D3: staff without ADMIN are FORBIDDEN to create units, users and partners',
    inTx(async (w, db) => {
      for (const username of [
        'gz.handler',
        'gz.leader',
        'gd.agent',
        'gd.legal',
        'gd.duty',
        'gd.auditor',
      ]) {
        const { refused } = session(w, db, { token: await w.token(username) });
        await refused('createOrgUnit', unitInput('COUNTY', 'GD-GZ-BY', 'GD-GZ'), 'FORBIDDEN');
        await refused('createOrgUnit', unitInput('PROVINCE', 'HN'), 'FORBIDDEN');
        const user = userInput('new.user', 'GD-GZ', [['HANDLER', 'GD-GZ']]);
        await refused('createUser', user, 'FORBIDDEN');
        await refused('createPartner', partnerInput('GD'), 'FORBIDDEN');
      }
    }),
  );

  const partnerCalls = ({ send }: Session) =>
    (
      [
        ['createOrgUnit', unitInput('CITY', 'GD-FS', 'GD')],
        ['createUser', userInput('new.user', 'GD-GZ', [['HANDLER', 'GD-GZ']])],
        ['createPartner', partnerInput('GD')],
      ] as const
    ).map(([mutation, input]) => [mutation, () => send(mutation, input)] as const);

  it(
    'D55: a partner calling an organisation mutation gets a GraphQL error, no payload, and nothing is written',
    inTx(async (w, db) => {
      for (const [mutation, send] of partnerCalls(session(w, db, { apiKey: w.partnerKey })))
        await expectGraphQLError(db, mutation, send);
    }),
  );

  it(
    'D55: that GraphQL error is FORBIDDEN',
    inTx(async (w, db) => {
      for (const [mutation, send] of partnerCalls(session(w, db, { apiKey: w.partnerKey }))) {
        expect((await expectGraphQLError(db, mutation, send)).extensions?.code).toBe('FORBIDDEN');
      }
    }),
  );

  it(
    'D3: the GD admin creates units anywhere under GD',
    as('gd.admin', async ({ send }) => {
      for (const input of [
        unitInput('CITY', 'GD-FS', 'GD'),
        unitInput('CENTER', 'GD-VIP', 'GD'),
        unitInput('COUNTY', 'GD-GZ-BY', 'GD-GZ'),
      ]) {
        const res = await send('createOrgUnit', input);
        expect(res.data.createOrgUnit.userErrors).toEqual([]);
        expect(res.data.createOrgUnit.orgUnit.code).toBe(input.code);
      }
    }),
  );

  it(
    'D3: the GD admin is FORBIDDEN under ZJ, and nothing is written',
    as('gd.admin', async ({ w, db, refused }) => {
      await refused('createOrgUnit', unitInput('CITY', 'ZJ-NB', 'ZJ'), 'FORBIDDEN');
      await refused('createOrgUnit', unitInput('COUNTY', 'ZJ-HZ-XH', 'ZJ-HZ'), 'FORBIDDEN');
      await expect(
        createOrgUnit(db, defineAbilityFor(w.staff['gd.admin']!), {
          level: 'CITY',
          code: 'ZJ-NB',
          name: 'Ningbo',
          parentId: w.units.ZJ!.id,
        }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }),
  );

  it(
    'D3: an ADMIN bound to a province may not create another province (outside its subtree)',
    as('gd.admin', async ({ refused }) => {
      await refused('createOrgUnit', unitInput('PROVINCE', 'HN'), 'FORBIDDEN');
    }),
  );

  it(
    'D3: an ADMIN bound to a city manages that city only',
    inTx(async (w, db) => {
      const gzAdmin = await createUser(db, defineAbilityFor(w.admin), {
        username: 'gz.admin',
        password: PASSWORD,
        displayName: 'GZ admin',
        unitId: w.units['GD-GZ']!.id,
        roles: [{ role: 'ADMIN', unitId: w.units['GD-GZ']!.id }],
      });
      // D52: as if gz.admin had set their own password (an ADMIN-set one only lets them change it).
      await db.update(users).set({ mustChangePassword: false }).where(eq(users.id, gzAdmin.id));
      const login = await gql(w.app(db), LOGIN, { username: gzAdmin.username, password: PASSWORD });
      const { send, refused } = session(w, db, { token: login.data.login.token });
      const ok = await send('createOrgUnit', unitInput('COUNTY', 'GD-GZ-BY', 'GD-GZ'));
      expect(ok.data.createOrgUnit.orgUnit.code).toBe('GD-GZ-BY');
      await refused('createOrgUnit', unitInput('COUNTY', 'GD-SZ-FT', 'GD-SZ'), 'FORBIDDEN');
      await refused('createOrgUnit', unitInput('CITY', 'GD-FS', 'GD'), 'FORBIDDEN');
      await refused('createUser', userInput('gd.x', 'GD', [['AUDITOR', 'GD']]), 'FORBIDDEN');
    }),
  );

  it(
    'D3: the bootstrap admin manages every province',
    as('admin', async ({ send }) => {
      const city = await send('createOrgUnit', unitInput('CITY', 'ZJ-NB', 'ZJ'));
      expect(city.data.createOrgUnit.orgUnit).toMatchObject({
        code: 'ZJ-NB',
        parent: { code: 'ZJ' },
      });
      const province = await send('createOrgUnit', unitInput('PROVINCE', 'HN'));
      expect(province.data.createOrgUnit.orgUnit).toMatchObject({ code: 'HN', parent: null });
      const user = await send(
        'createUser',
        userInput('hz.leader', 'ZJ-HZ', [['DEPARTMENT_LEADER', 'ZJ-HZ']]),
      );
      expect(user.data.createUser.user).toMatchObject({
        username: 'hz.leader',
        unit: { code: 'ZJ-HZ' },
      });
      const partner = await send('createPartner', {
        name: 'Partner HN',
        carrierCode: 'PHN',
        provinceId: province.data.createOrgUnit.orgUnit.id,
      });
      expect(partner.data.createPartner.partner).toMatchObject({
        carrierCode: 'PHN',
        province: { code: 'HN' },
      });
    }),
  );
});

describe('D3: createUser', () => {
  it(
    'D3: a user is created with its roles, can sign in, and only a hash of the password is stored (D52)',
    as('gd.admin', async ({ db, app, send }) => {
      const input = userInput('gz.new', 'GD-GZ', [
        ['HANDLER', 'GD-GZ'],
        ['DUTY_MANAGER', 'GD-GZ-TH'],
      ]);
      const res = await send('createUser', input);
      expect(res.data.createUser.userErrors).toEqual([]);
      expect(res.data.createUser.user).toMatchObject({
        username: 'gz.new',
        displayName: 'Name of gz.new',
        unit: { code: 'GD-GZ' },
      });
      expect(res.data.createUser.user.roles).toEqual(
        expect.arrayContaining([
          { role: 'HANDLER', unit: { code: 'GD-GZ' } },
          { role: 'DUTY_MANAGER', unit: { code: 'GD-GZ-TH' } },
        ]),
      );
      expect(res.data.createUser.user.roles).toHaveLength(2);

      const [row] = await db.select().from(users).where(eq(users.username, 'gz.new'));
      expect(row!.passwordHash).toMatch(/^scrypt\$/);
      expect(row!.passwordHash).not.toContain(input.password);

      const login = await gql(app, LOGIN, { username: 'gz.new', password: input.password });
      const me = await gql(app, ME, {}, { token: login.data.login.token });
      expect(me.data.me).toEqual({ __typename: 'User', username: 'gz.new' });
    }),
  );

  it(
    'D3: ACCEPTANCE_AGENT and LEGAL_OFFICER are bound to a province only',
    as('admin', async ({ send, refused }) => {
      for (const role of ['ACCEPTANCE_AGENT', 'LEGAL_OFFICER'] as const) {
        for (const unit of ['GD-GZ', 'GD-GZ-TH', 'GD-BC']) {
          const input = userInput('x.user', 'GD', [[role, unit]]);
          const err = await refused('createUser', input, 'VALIDATION', ROLE_0);
          expect(err.message).toContain('PROVINCE');
        }
        const ok = await send(
          'createUser',
          userInput(`ok.${role.toLowerCase()}`, 'GD', [[role, 'GD']]),
        );
        expect(ok.data.createUser.userErrors).toEqual([]);
      }
    }),
  );

  it(
    'D3: HANDLER and DEPARTMENT_LEADER are bound to a city, county or centre, never a province',
    as('admin', async ({ send, refused }) => {
      for (const role of ['HANDLER', 'DEPARTMENT_LEADER'] as const) {
        await refused(
          'createUser',
          userInput('x.user', 'GD', [[role, 'GD']]),
          'VALIDATION',
          ROLE_0,
        );
        for (const unit of ['GD-GZ', 'GD-GZ-TH', 'GD-BC']) {
          const username = `${role}.${unit}`.toLowerCase();
          const ok = await send('createUser', userInput(username, unit, [[role, unit]]));
          expect(ok.data.createUser.userErrors).toEqual([]);
        }
      }
    }),
  );

  it(
    'D3: ADMIN, DUTY_MANAGER and AUDITOR may be bound to a unit of any level',
    as('admin', async ({ send }) => {
      for (const unit of ['GD', 'GD-GZ', 'GD-GZ-TH', 'GD-BC']) {
        const res = await send(
          'createUser',
          userInput(`multi.${unit}`.toLowerCase(), unit, [
            ['ADMIN', unit],
            ['DUTY_MANAGER', unit],
            ['AUDITOR', unit],
          ]),
        );
        expect(res.data.createUser.userErrors).toEqual([]);
        expect(res.data.createUser.user.roles).toHaveLength(3);
      }
    }),
  );

  it(
    'D3: a second, invalid role refuses the whole user',
    as('admin', async ({ refused }) => {
      const input = userInput('x.user', 'GD-GZ', [
        ['HANDLER', 'GD-GZ'],
        ['ACCEPTANCE_AGENT', 'GD-GZ'],
      ]);
      await refused('createUser', input, 'VALIDATION', ['input', 'roles', '1', 'role']);
    }),
  );

  it(
    'D3: the role-level rules hold for the domain function too',
    inTx(async (w, db) => {
      const ability = defineAbilityFor(w.admin);
      const make = (role: Role, unit: string) =>
        createUser(db, ability, {
          username: 'd.user',
          password: PASSWORD,
          displayName: 'D',
          unitId: w.units[unit]!.id,
          roles: [{ role, unitId: w.units[unit]!.id }],
        });
      const before = await counts(db);
      for (const [role, unit] of [
        ['LEGAL_OFFICER', 'GD-SZ'],
        ['HANDLER', 'ZJ'],
      ] as const) {
        await expect(make(role, unit)).rejects.toMatchObject({ code: 'VALIDATION', field: ROLE_0 });
      }
      expect(await counts(db)).toEqual(before);
      await make('HANDLER', 'ZJ-HZ');
      expect(await counts(db)).toEqual({
        ...before,
        users: before.users + 1,
        grants: before.grants + 1,
      });
    }),
  );

  it(
    'a repeated role grant is stored once',
    as('admin', async ({ db, send }) => {
      const res = await send(
        'createUser',
        userInput('twice', 'GD-GZ', [
          ['HANDLER', 'GD-GZ'],
          ['HANDLER', 'GD-GZ'],
        ]),
      );
      expect(res.data.createUser.user.roles).toEqual([
        { role: 'HANDLER', unit: { code: 'GD-GZ' } },
      ]);
      const [user] = await db.select().from(users).where(eq(users.username, 'twice'));
      expect(
        await db.select().from(roleGrants).where(eq(roleGrants.userId, user!.id)),
      ).toHaveLength(1);
    }),
  );

  it(
    'invalid user input is a VALIDATION userError on its field',
    as('admin', async ({ refused }) => {
      const base = userInput('fine.user', 'GD-GZ', [['HANDLER', 'GD-GZ']]);
      const unknownUnit = toGlobalId('OrgUnit', '00000000-0000-4000-8000-000000000000');
      const cases: [object, string[]][] = [
        [{ username: 'gz.handler' }, ['username']],
        [{ username: ' gz.handler ' }, ['username']],
        [{ username: 'has space' }, ['username']],
        [{ username: 'x' }, ['username']],
        [{ password: 'short' }, ['password']],
        [{ password: 'p'.repeat(257) }, ['password']],
        [{ displayName: ' ' }, ['displayName']],
        [{ roles: [] }, ['roles']],
        [{ unitId: 'garbage' }, ['unitId']],
        [{ unitId: unknownUnit }, ['unitId']],
        [{ roles: [{ role: 'HANDLER', unitId: 'garbage' }] }, ['roles', '0', 'unitId']],
      ];
      for (const [change, field] of cases) {
        await refused('createUser', { ...base, ...change }, 'VALIDATION', ['input', ...field]);
      }
    }),
  );

  it(
    'D3: the GD admin adds users in GD but is FORBIDDEN to add them to ZJ or grant roles there',
    as('gd.admin', async ({ send, refused }) => {
      const ok = await send(
        'createUser',
        userInput('th.new', 'GD-GZ-TH', [['HANDLER', 'GD-GZ-TH']]),
      );
      expect(ok.data.createUser.user.username).toBe('th.new');
      await refused(
        'createUser',
        userInput('hz.new', 'ZJ-HZ', [['HANDLER', 'ZJ-HZ']]),
        'FORBIDDEN',
      );
      const input = userInput('gz.new', 'GD-GZ', [
        ['HANDLER', 'GD-GZ'],
        ['HANDLER', 'ZJ-HZ'],
      ]);
      await refused('createUser', input, 'FORBIDDEN');
    }),
  );
});

describe('createPartner (D40, D41, D52)', () => {
  it(
    'D52: the API key is returned once, only its hash is stored, and the key then authenticates',
    as('gd.admin', async ({ db, app, send }) => {
      const res = await send('createPartner', {
        name: ' Partner Two ',
        carrierCode: 'p2',
        provinceId: unitGid('GD'),
      });
      const { partner, apiKey, userErrors } = res.data.createPartner;
      expect(userErrors).toEqual([]);
      expect(partner).toMatchObject({
        name: 'Partner Two',
        carrierCode: 'P2',
        province: { code: 'GD' },
      });
      expect(apiKey).toMatch(/^cpk_[A-Za-z0-9_-]{32,}$/);

      const [row] = await db.select().from(partners).where(eq(partners.carrierCode, 'P2'));
      expect(row!.apiKeyHash).toBe(createHash('sha256').update(apiKey).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(apiKey);
      expect(JSON.stringify(row)).not.toContain(apiKey.slice(4));

      // no field of Partner gives the key back
      const type = await gql(app, '{ __type(name: "Partner") { fields { name } } }');
      expect(
        type.data.__type.fields
          .map((f: { name: string }) => f.name)
          .filter((n: string) => /key|hash/i.test(n)),
      ).toEqual([]);

      const me = await gql(app, ME, {}, { apiKey });
      expect(me.status).toBe(200);
      expect(me.data.me).toEqual({
        __typename: 'Partner',
        name: 'Partner Two',
        carrierCode: 'P2',
        province: { code: 'GD' },
      });
      // the stored hash is not itself a key
      expect((await gql(app, ME, {}, { apiKey: row!.apiKeyHash })).status).toBe(401);
    }),
  );

  it(
    'D52: each partner gets its own key',
    inTx(async (w, db) => {
      const ability = defineAbilityFor(w.admin);
      const make = (name: string) =>
        createPartner(db, ability, { name, carrierCode: `P${name}`, provinceId: w.units.GD!.id });
      const a = await make('A');
      const b = await make('B');
      expect(a.apiKey).not.toBe(b.apiKey);
      expect(a.partner.apiKeyHash).not.toBe(b.partner.apiKeyHash);
    }),
  );

  it(
    'D41: a partner belongs to a province: without provinceId and with two provinces, or with a non-province, it is refused',
    as('admin', async ({ refused }) => {
      const cases: [object, string][] = [
        [{}, 'provinceId'],
        [{ provinceId: unitGid('GD-GZ') }, 'provinceId'],
        [{ provinceId: 'garbage' }, 'provinceId'],
        [{ provinceId: unitGid('GD'), carrierCode: 'pgd' }, 'carrierCode'],
        [{ provinceId: unitGid('GD'), name: '' }, 'name'],
      ];
      for (const [input, field] of cases) {
        const partner = { name: 'P', carrierCode: 'PNEW', ...input };
        await refused('createPartner', partner, 'VALIDATION', ['input', field]);
      }
    }),
  );

  it(
    'D41: the GD admin is FORBIDDEN to create a partner of ZJ',
    as('gd.admin', async ({ refused }) => {
      await refused('createPartner', partnerInput('ZJ'), 'FORBIDDEN');
    }),
  );
});

describe('inSubtree', () => {
  const codesIn = (db: Db, path: string) =>
    db
      .select({ code: orgUnits.code })
      .from(orgUnits)
      .where(inSubtree(path))
      .orderBy(asc(orgUnits.code))
      .then((rows) => rows.map((r) => r.code));

  it(
    'a unit is in its own subtree, with its descendants, not its siblings or parent',
    inTx(async (w, db) => {
      const gz = await codesIn(db, w.units['GD-GZ']!.path);
      expect(gz).toEqual(['GD-GZ', 'GD-GZ-TH', 'GD-GZ-YX']);
      expect(gz).not.toContain('GD-SZ');
      expect(gz).not.toContain('GD');
      expect(await codesIn(db, w.units['GD-GZ-TH']!.path)).toEqual(['GD-GZ-TH']);
      expect(await codesIn(db, w.units.GD!.path)).toEqual(
        ORG.filter((u) => u.code.startsWith('GD'))
          .map((u) => u.code)
          .sort(),
      );
      expect(await codesIn(db, w.units.ZJ!.path)).toEqual(['ZJ', 'ZJ-HZ']);
    }),
  );

  it(
    'a unit created later falls in its ancestors’ subtrees',
    inTx(async (w, db) => {
      const county = await createFutian(w, db);
      expect(await codesIn(db, w.units['GD-SZ']!.path)).toContain(county.code);
      expect(await codesIn(db, w.units.GD!.path)).toContain(county.code);
      expect(await codesIn(db, w.units['GD-GZ']!.path)).not.toContain(county.code);
    }),
  );

  it(
    'LIKE wildcards in the path are matched literally',
    inTx(async (_w, db) => {
      expect(await codesIn(db, '/%')).toEqual([]);
      expect(await codesIn(db, '/_')).toEqual([]);
      expect(await codesIn(db, '/')).toHaveLength(ORG.length);
    }),
  );
});

describe('D1: reading the tree', () => {
  it(
    'D1: orgUnit(code) serves a unit with its parent, children and ancestors',
    as('th.handler', async (s) => {
      const res = await s.query(
        '{ orgUnit(code: " gd-gz ") { id code name level parent { code level } children { code parent { code } } ancestors { code } } }',
      );
      expect(res.data.orgUnit).toEqual({
        id: unitGid('GD-GZ'),
        code: 'GD-GZ',
        name: 'Unit GD-GZ',
        level: 'CITY',
        parent: { code: 'GD', level: 'PROVINCE' },
        children: [
          { code: 'GD-GZ-TH', parent: { code: 'GD-GZ' } },
          { code: 'GD-GZ-YX', parent: { code: 'GD-GZ' } },
        ],
        ancestors: [{ code: 'GD' }],
      });
      const gd = await s.query(
        '{ orgUnit(code: "GD") { parent { code } ancestors { code } children { code } } }',
      );
      expect(gd.data.orgUnit).toEqual({
        parent: null,
        ancestors: [],
        children: [{ code: 'GD-BC' }, { code: 'GD-GZ' }, { code: 'GD-SZ' }],
      });
    }),
  );

  it(
    'orgUnit by id matches orgUnit by code; an unknown code or id is null',
    as('gz.handler', async (s) => {
      const byId = await s.query('query ($id: ID) { orgUnit(id: $id) { code } }', {
        id: unitGid('ZJ-HZ'),
      });
      expect(byId.data.orgUnit).toEqual({ code: 'ZJ-HZ' });
      const missing = await s.query(
        '{ a: orgUnit(code: "NOPE") { code } b: orgUnit(id: "garbage") { code } c: orgUnit { code } }',
      );
      expect(missing.errors).toBeUndefined();
      expect(missing.data).toEqual({ a: null, b: null, c: null });
    }),
  );

  it(
    'D1: orgUnits lists every unit, each parent before its children',
    as('hz.handler', async (s) => {
      const res = await s.query('{ orgUnits { code level parent { code } } }');
      const list: { code: string; level: string; parent: { code: string } | null }[] =
        res.data.orgUnits;
      expect(list.map((u) => u.code).sort()).toEqual(ORG.map((u) => u.code).sort());
      const index = new Map(list.map((u, i) => [u.code, i]));
      for (const u of ORG) {
        const row = list[index.get(u.code)!]!;
        expect(row.level).toBe(u.level);
        expect(row.parent?.code ?? null).toBe(u.parent ?? null);
        if (u.parent) expect(index.get(u.parent)!).toBeLessThan(index.get(u.code)!);
      }
    }),
  );

  it(
    'a unit created in a transaction shows up in orgUnits and under its parent',
    as('gd.admin', async (s) => {
      await s.send('createOrgUnit', unitInput('COUNTY', 'GD-SZ-FT', 'GD-SZ'));
      const res = await s.query(
        '{ orgUnits { code } orgUnit(code: "GD-SZ") { children { code } } }',
      );
      expect(res.data.orgUnits.map((u: { code: string }) => u.code)).toContain('GD-SZ-FT');
      expect(res.data.orgUnit.children).toEqual([{ code: 'GD-SZ-FT' }, { code: 'GD-SZ-NS' }]);
    }),
  );
});
