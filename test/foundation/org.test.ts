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
import { ORG, PASSWORD, useWorld } from '../support/world.js';

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

describe('D1: the unit tree through createOrgUnit', () => {
  it('D1: the bootstrap admin builds province → city → county and a centre under the province', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      const create = async (input: object) => {
        const res = await gql(app, CREATE_UNIT, { input }, { token });
        expect(res.data.createOrgUnit.userErrors).toEqual([]);
        return res.data.createOrgUnit.orgUnit;
      };
      const hn = await create({ level: 'PROVINCE', code: 'HN', name: 'Hunan' });
      expect(hn).toMatchObject({ code: 'HN', name: 'Hunan', level: 'PROVINCE', parent: null });
      const cs = await create({ level: 'CITY', code: 'HN-CS', name: 'Changsha', parentId: hn.id });
      expect(cs).toMatchObject({ level: 'CITY', parent: { code: 'HN' } });
      const yl = await create({
        level: 'COUNTY',
        code: 'HN-CS-YL',
        name: 'Yuelu',
        parentId: cs.id,
      });
      expect(yl).toMatchObject({ level: 'COUNTY', parent: { code: 'HN-CS' } });
      const bc = await create({
        level: 'CENTER',
        code: 'HN-BC',
        name: 'Big customers',
        parentId: hn.id,
      });
      expect(bc).toMatchObject({ level: 'CENTER', parent: { code: 'HN' } });

      const tree = await gql(
        app,
        '{ orgUnit(code: "HN") { children { code children { code } } } }',
        {},
        { token },
      );
      expect(tree.data.orgUnit.children).toEqual([
        { code: 'HN-BC', children: [] },
        { code: 'HN-CS', children: [{ code: 'HN-CS-YL' }] },
      ]);
      // the materialised path is the parent's path plus the unit's own id
      const [county] = await db.select().from(orgUnits).where(eq(orgUnits.code, 'HN-CS-YL'));
      const [city] = await db.select().from(orgUnits).where(eq(orgUnits.code, 'HN-CS'));
      expect(county!.path).toBe(`${city!.path}${county!.id}/`);
      expect(county!.parentId).toBe(city!.id);
    });
  });

  it('D1: a province has no parent', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      const err = await expectRefused(
        db,
        'createOrgUnit',
        () => gql(app, CREATE_UNIT, { input: unitInput('PROVINCE', 'HN', 'GD') }, { token }),
        'VALIDATION',
        ['input', 'parentId'],
      );
      expect(err.message).toBe('A PROVINCE has no parent');
    });
  });

  it('D1: a city and a centre must have a province as their parent', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      for (const level of ['CITY', 'CENTER'] as const) {
        for (const parent of ['GD-GZ', 'GD-GZ-TH', 'GD-BC', undefined]) {
          const err = await expectRefused(
            db,
            'createOrgUnit',
            () => gql(app, CREATE_UNIT, { input: unitInput(level, 'GD-NEW', parent) }, { token }),
            'VALIDATION',
            ['input', 'parentId'],
          );
          expect(err.message).toBe(`A ${level} must have a PROVINCE as its parent`);
        }
      }
    });
  });

  it('D1: a county must have a city as its parent', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      for (const parent of ['GD', 'GD-BC', 'GD-GZ-TH', undefined]) {
        const err = await expectRefused(
          db,
          'createOrgUnit',
          () => gql(app, CREATE_UNIT, { input: unitInput('COUNTY', 'GD-NEW', parent) }, { token }),
          'VALIDATION',
          ['input', 'parentId'],
        );
        expect(err.message).toBe('A COUNTY must have a CITY as its parent');
      }
    });
  });

  it('D1: the same rules hold when the domain function is called directly', async () => {
    const w = world();
    await w.tx(async (db) => {
      const ability = defineAbilityFor(w.admin);
      const refused = (level: OrgLevel, parent: string | null) =>
        expect(
          createOrgUnit(db, ability, {
            level,
            code: level === 'PROVINCE' ? 'HN' : 'GD-NEW',
            name: 'New',
            parentId: parent ? w.units[parent]!.id : null,
          }),
        ).rejects.toMatchObject({
          code: 'VALIDATION',
          field: ['input', 'parentId'],
        });
      await refused('PROVINCE', 'GD');
      await refused('CITY', null);
      await refused('CITY', 'GD-GZ');
      await refused('CENTER', 'GD-BC');
      await refused('COUNTY', 'GD');
      await refused('COUNTY', 'GD-BC');
      const before = await counts(db);
      await refused('COUNTY', 'GD-GZ-TH');
      expect(await counts(db)).toEqual(before);

      const county = await createOrgUnit(db, ability, {
        level: 'COUNTY',
        code: 'GD-SZ-FT',
        name: 'Futian',
        parentId: w.units['GD-SZ']!.id,
      });
      expect(county).toMatchObject({
        level: 'COUNTY',
        parentId: w.units['GD-SZ']!.id,
        path: `${w.units['GD-SZ']!.path}${county.id}/`,
      });
      expect((await counts(db)).units).toBe(before.units + 1);
    });
  });

  it('D57: a duplicate code is a VALIDATION userError, whatever its case and spacing', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      for (const code of ['GD-SZ', ' gd-sz ', 'GD-GZ-TH']) {
        const err = await expectRefused(
          db,
          'createOrgUnit',
          () => gql(app, CREATE_UNIT, { input: unitInput('CITY', code, 'GD') }, { token }),
          'VALIDATION',
          ['input', 'code'],
        );
        expect(err.message).toMatch(/already used/);
      }
      await expectRefused(
        db,
        'createOrgUnit',
        () => gql(app, CREATE_UNIT, { input: unitInput('PROVINCE', 'zj') }, { token }),
        'VALIDATION',
        ['input', 'code'],
      );
      await expect(
        createOrgUnit(db, defineAbilityFor(w.admin), {
          level: 'CITY',
          code: 'ZJ-HZ',
          name: 'Again',
          parentId: w.units.ZJ!.id,
        }),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'code'],
      });
    });
  });

  it('D57: a code is stored trimmed and upper-cased', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(
        w.app(db),
        CREATE_UNIT,
        { input: unitInput('CITY', '  gd-fs ', 'GD') },
        { token: await w.token('admin') },
      );
      expect(res.data.createOrgUnit.orgUnit.code).toBe('GD-FS');
      const rows = await db
        .select({ code: orgUnits.code })
        .from(orgUnits)
        .where(eq(orgUnits.code, 'GD-FS'));
      expect(rows).toHaveLength(1);
    });
  });

  it('D57: codes are 2–32 of A–Z, 0–9 and "-", a province code letters only; a name is required', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      const send = (input: object) => () => gql(app, CREATE_UNIT, { input }, { token });
      for (const code of ['G', 'GD_FS', 'GD FS', 'GD-广州', 'X'.repeat(33), '']) {
        await expectRefused(
          db,
          'createOrgUnit',
          send(unitInput('CITY', code, 'GD')),
          'VALIDATION',
          ['input', 'code'],
        );
      }
      for (const code of ['H1', 'H-N', 'H']) {
        await expectRefused(db, 'createOrgUnit', send(unitInput('PROVINCE', code)), 'VALIDATION', [
          'input',
          'code',
        ]);
      }
      await expectRefused(
        db,
        'createOrgUnit',
        send({ ...unitInput('CITY', 'GD-FS', 'GD'), name: '   ' }),
        'VALIDATION',
        ['input', 'name'],
      );
      // and the longest valid code passes
      const ok = await gql(
        app,
        CREATE_UNIT,
        { input: unitInput('CITY', 'G'.repeat(32), 'GD') },
        { token },
      );
      expect(ok.data.createOrgUnit.userErrors).toEqual([]);
    });
  });

  it('an unknown or malformed parentId is a VALIDATION userError', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      const send = (parentId: string) => () =>
        gql(
          app,
          CREATE_UNIT,
          { input: { level: 'CITY', code: 'GD-FS', name: 'Foshan', parentId } },
          { token },
        );
      await expectRefused(
        db,
        'createOrgUnit',
        send(toGlobalId('OrgUnit', '00000000-0000-4000-8000-000000000000')),
        'VALIDATION',
        ['input', 'parentId'],
      );
      await expectRefused(db, 'createOrgUnit', send('not-an-id'), 'VALIDATION', [
        'input',
        'parentId',
      ]);
      await expectRefused(
        db,
        'createOrgUnit',
        send(toGlobalId('User', w.units.GD!.id)),
        'VALIDATION',
        ['input', 'parentId'],
      );
    });
  });
});

describe('D3: who may manage the organisation', () => {
  it('D3: staff without ADMIN are FORBIDDEN to create units, users and partners', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      for (const username of [
        'gz.handler',
        'gz.leader',
        'gd.agent',
        'gd.legal',
        'gd.duty',
        'gd.auditor',
      ]) {
        const token = await w.token(username);
        await expectRefused(
          db,
          'createOrgUnit',
          () =>
            gql(app, CREATE_UNIT, { input: unitInput('COUNTY', 'GD-GZ-BY', 'GD-GZ') }, { token }),
          'FORBIDDEN',
        );
        await expectRefused(
          db,
          'createOrgUnit',
          () => gql(app, CREATE_UNIT, { input: unitInput('PROVINCE', 'HN') }, { token }),
          'FORBIDDEN',
        );
        await expectRefused(
          db,
          'createUser',
          () =>
            gql(
              app,
              CREATE_USER,
              { input: userInput('new.user', 'GD-GZ', [['HANDLER', 'GD-GZ']]) },
              { token },
            ),
          'FORBIDDEN',
        );
        await expectRefused(
          db,
          'createPartner',
          () =>
            gql(
              app,
              CREATE_PARTNER,
              { input: { name: 'P', carrierCode: 'PNEW', provinceId: unitGid('GD') } },
              { token },
            ),
          'FORBIDDEN',
        );
      }
    });
  });

  const partnerCalls = (app: App, apiKey: string) =>
    [
      [
        'createOrgUnit',
        () => gql(app, CREATE_UNIT, { input: unitInput('CITY', 'GD-FS', 'GD') }, { apiKey }),
      ],
      [
        'createUser',
        () =>
          gql(
            app,
            CREATE_USER,
            { input: userInput('new.user', 'GD-GZ', [['HANDLER', 'GD-GZ']]) },
            { apiKey },
          ),
      ],
      [
        'createPartner',
        () =>
          gql(
            app,
            CREATE_PARTNER,
            { input: { name: 'P', carrierCode: 'PNEW', provinceId: unitGid('GD') } },
            { apiKey },
          ),
      ],
    ] as const;

  it('D55: a partner calling an organisation mutation gets a GraphQL error, no payload, and nothing is written', async () => {
    const w = world();
    await w.tx(async (db) => {
      for (const [mutation, send] of partnerCalls(w.app(db), w.partnerKey))
        await expectGraphQLError(db, mutation, send);
    });
  });

  it('D55: that GraphQL error is FORBIDDEN', async () => {
    const w = world();
    await w.tx(async (db) => {
      for (const [mutation, send] of partnerCalls(w.app(db), w.partnerKey)) {
        expect((await expectGraphQLError(db, mutation, send)).extensions?.code).toBe('FORBIDDEN');
      }
    });
  });

  it('D3: the GD admin creates units anywhere under GD', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('gd.admin');
      for (const input of [
        unitInput('CITY', 'GD-FS', 'GD'),
        unitInput('CENTER', 'GD-VIP', 'GD'),
        unitInput('COUNTY', 'GD-GZ-BY', 'GD-GZ'),
      ]) {
        const res = await gql(app, CREATE_UNIT, { input }, { token });
        expect(res.data.createOrgUnit.userErrors).toEqual([]);
        expect(res.data.createOrgUnit.orgUnit.code).toBe(input.code);
      }
    });
  });

  it('D3: the GD admin is FORBIDDEN under ZJ, and nothing is written', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('gd.admin');
      await expectRefused(
        db,
        'createOrgUnit',
        () => gql(app, CREATE_UNIT, { input: unitInput('CITY', 'ZJ-NB', 'ZJ') }, { token }),
        'FORBIDDEN',
      );
      await expectRefused(
        db,
        'createOrgUnit',
        () => gql(app, CREATE_UNIT, { input: unitInput('COUNTY', 'ZJ-HZ-XH', 'ZJ-HZ') }, { token }),
        'FORBIDDEN',
      );
      await expect(
        createOrgUnit(db, defineAbilityFor(w.staff['gd.admin']!), {
          level: 'CITY',
          code: 'ZJ-NB',
          name: 'Ningbo',
          parentId: w.units.ZJ!.id,
        }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  it('D3: an ADMIN bound to a province may not create another province (outside its subtree)', async () => {
    const w = world();
    await w.tx(async (db) => {
      const token = await w.token('gd.admin');
      await expectRefused(
        db,
        'createOrgUnit',
        () => gql(w.app(db), CREATE_UNIT, { input: unitInput('PROVINCE', 'HN') }, { token }),
        'FORBIDDEN',
      );
    });
  });

  it('D3: an ADMIN bound to a city manages that city only', async () => {
    const w = world();
    await w.tx(async (db) => {
      const gzAdmin = await createUser(db, defineAbilityFor(w.admin), {
        username: 'gz.admin',
        password: PASSWORD,
        displayName: 'GZ admin',
        unitId: w.units['GD-GZ']!.id,
        roles: [{ role: 'ADMIN', unitId: w.units['GD-GZ']!.id }],
      });
      // D52: as if gz.admin had set their own password (an ADMIN-set one only lets them change it).
      await db.update(users).set({ mustChangePassword: false }).where(eq(users.id, gzAdmin.id));
      const app = w.app(db);
      const token = (await gql(app, LOGIN, { username: gzAdmin.username, password: PASSWORD })).data
        .login.token;
      const ok = await gql(
        app,
        CREATE_UNIT,
        { input: unitInput('COUNTY', 'GD-GZ-BY', 'GD-GZ') },
        { token },
      );
      expect(ok.data.createOrgUnit.orgUnit.code).toBe('GD-GZ-BY');
      await expectRefused(
        db,
        'createOrgUnit',
        () => gql(app, CREATE_UNIT, { input: unitInput('COUNTY', 'GD-SZ-FT', 'GD-SZ') }, { token }),
        'FORBIDDEN',
      );
      await expectRefused(
        db,
        'createOrgUnit',
        () => gql(app, CREATE_UNIT, { input: unitInput('CITY', 'GD-FS', 'GD') }, { token }),
        'FORBIDDEN',
      );
      await expectRefused(
        db,
        'createUser',
        () =>
          gql(app, CREATE_USER, { input: userInput('gd.x', 'GD', [['AUDITOR', 'GD']]) }, { token }),
        'FORBIDDEN',
      );
    });
  });

  it('D3: the bootstrap admin manages every province', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      const city = await gql(
        app,
        CREATE_UNIT,
        { input: unitInput('CITY', 'ZJ-NB', 'ZJ') },
        { token },
      );
      expect(city.data.createOrgUnit.orgUnit).toMatchObject({
        code: 'ZJ-NB',
        parent: { code: 'ZJ' },
      });
      const province = await gql(
        app,
        CREATE_UNIT,
        { input: unitInput('PROVINCE', 'HN') },
        { token },
      );
      expect(province.data.createOrgUnit.orgUnit).toMatchObject({ code: 'HN', parent: null });
      const user = await gql(
        app,
        CREATE_USER,
        { input: userInput('hz.leader', 'ZJ-HZ', [['DEPARTMENT_LEADER', 'ZJ-HZ']]) },
        { token },
      );
      expect(user.data.createUser.user).toMatchObject({
        username: 'hz.leader',
        unit: { code: 'ZJ-HZ' },
      });
      const partner = await gql(
        app,
        CREATE_PARTNER,
        {
          input: {
            name: 'Partner HN',
            carrierCode: 'PHN',
            provinceId: province.data.createOrgUnit.orgUnit.id,
          },
        },
        { token },
      );
      expect(partner.data.createPartner.partner).toMatchObject({
        carrierCode: 'PHN',
        province: { code: 'HN' },
      });
    });
  });
});

describe('D3: createUser', () => {
  it('D3: a user is created with its roles, can sign in, and only a hash of the password is stored (D52)', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const input = userInput('gz.new', 'GD-GZ', [
        ['HANDLER', 'GD-GZ'],
        ['DUTY_MANAGER', 'GD-GZ-TH'],
      ]);
      const res = await gql(app, CREATE_USER, { input }, { token: await w.token('gd.admin') });
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
    });
  });

  it('D3: ACCEPTANCE_AGENT and LEGAL_OFFICER are bound to a province only', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      for (const role of ['ACCEPTANCE_AGENT', 'LEGAL_OFFICER'] as const) {
        for (const unit of ['GD-GZ', 'GD-GZ-TH', 'GD-BC']) {
          const err = await expectRefused(
            db,
            'createUser',
            () =>
              gql(
                app,
                CREATE_USER,
                { input: userInput('x.user', 'GD', [[role, unit]]) },
                { token },
              ),
            'VALIDATION',
            ['input', 'roles', '0', 'role'],
          );
          expect(err.message).toContain('PROVINCE');
        }
        const ok = await gql(
          app,
          CREATE_USER,
          { input: userInput(`ok.${role.toLowerCase()}`, 'GD', [[role, 'GD']]) },
          { token },
        );
        expect(ok.data.createUser.userErrors).toEqual([]);
      }
    });
  });

  it('D3: HANDLER and DEPARTMENT_LEADER are bound to a city, county or centre, never a province', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      for (const role of ['HANDLER', 'DEPARTMENT_LEADER'] as const) {
        await expectRefused(
          db,
          'createUser',
          () =>
            gql(app, CREATE_USER, { input: userInput('x.user', 'GD', [[role, 'GD']]) }, { token }),
          'VALIDATION',
          ['input', 'roles', '0', 'role'],
        );
        for (const unit of ['GD-GZ', 'GD-GZ-TH', 'GD-BC']) {
          const ok = await gql(
            app,
            CREATE_USER,
            { input: userInput(`${role}.${unit}`.toLowerCase(), unit, [[role, unit]]) },
            { token },
          );
          expect(ok.data.createUser.userErrors).toEqual([]);
        }
      }
    });
  });

  it('D3: ADMIN, DUTY_MANAGER and AUDITOR may be bound to a unit of any level', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      for (const unit of ['GD', 'GD-GZ', 'GD-GZ-TH', 'GD-BC']) {
        const res = await gql(
          app,
          CREATE_USER,
          {
            input: userInput(`multi.${unit}`.toLowerCase(), unit, [
              ['ADMIN', unit],
              ['DUTY_MANAGER', unit],
              ['AUDITOR', unit],
            ]),
          },
          { token },
        );
        expect(res.data.createUser.userErrors).toEqual([]);
        expect(res.data.createUser.user.roles).toHaveLength(3);
      }
    });
  });

  it('D3: a second, invalid role refuses the whole user', async () => {
    const w = world();
    await w.tx(async (db) => {
      const token = await w.token('admin');
      await expectRefused(
        db,
        'createUser',
        () =>
          gql(
            w.app(db),
            CREATE_USER,
            {
              input: userInput('x.user', 'GD-GZ', [
                ['HANDLER', 'GD-GZ'],
                ['ACCEPTANCE_AGENT', 'GD-GZ'],
              ]),
            },
            { token },
          ),
        'VALIDATION',
        ['input', 'roles', '1', 'role'],
      );
    });
  });

  it('D3: the role-level rules hold for the domain function too', async () => {
    const w = world();
    await w.tx(async (db) => {
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
      await expect(make('LEGAL_OFFICER', 'GD-SZ')).rejects.toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'roles', '0', 'role'],
      });
      await expect(make('HANDLER', 'ZJ')).rejects.toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'roles', '0', 'role'],
      });
      expect(await counts(db)).toEqual(before);
      await make('HANDLER', 'ZJ-HZ');
      expect(await counts(db)).toEqual({
        ...before,
        users: before.users + 1,
        grants: before.grants + 1,
      });
    });
  });

  it('a repeated role grant is stored once', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(
        w.app(db),
        CREATE_USER,
        {
          input: userInput('twice', 'GD-GZ', [
            ['HANDLER', 'GD-GZ'],
            ['HANDLER', 'GD-GZ'],
          ]),
        },
        { token: await w.token('admin') },
      );
      expect(res.data.createUser.user.roles).toEqual([
        { role: 'HANDLER', unit: { code: 'GD-GZ' } },
      ]);
      const [user] = await db.select().from(users).where(eq(users.username, 'twice'));
      expect(
        await db.select().from(roleGrants).where(eq(roleGrants.userId, user!.id)),
      ).toHaveLength(1);
    });
  });

  it('invalid user input is a VALIDATION userError on its field', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      const send = (input: object) => () => gql(app, CREATE_USER, { input }, { token });
      const base = userInput('fine.user', 'GD-GZ', [['HANDLER', 'GD-GZ']]);
      await expectRefused(
        db,
        'createUser',
        send({ ...base, username: 'gz.handler' }),
        'VALIDATION',
        ['input', 'username'],
      );
      await expectRefused(
        db,
        'createUser',
        send({ ...base, username: ' gz.handler ' }),
        'VALIDATION',
        ['input', 'username'],
      );
      await expectRefused(
        db,
        'createUser',
        send({ ...base, username: 'has space' }),
        'VALIDATION',
        ['input', 'username'],
      );
      await expectRefused(db, 'createUser', send({ ...base, username: 'x' }), 'VALIDATION', [
        'input',
        'username',
      ]);
      await expectRefused(db, 'createUser', send({ ...base, password: 'short' }), 'VALIDATION', [
        'input',
        'password',
      ]);
      await expectRefused(
        db,
        'createUser',
        send({ ...base, password: 'p'.repeat(257) }),
        'VALIDATION',
        ['input', 'password'],
      );
      await expectRefused(db, 'createUser', send({ ...base, displayName: ' ' }), 'VALIDATION', [
        'input',
        'displayName',
      ]);
      await expectRefused(db, 'createUser', send({ ...base, roles: [] }), 'VALIDATION', [
        'input',
        'roles',
      ]);
      await expectRefused(db, 'createUser', send({ ...base, unitId: 'garbage' }), 'VALIDATION', [
        'input',
        'unitId',
      ]);
      await expectRefused(
        db,
        'createUser',
        send({ ...base, unitId: toGlobalId('OrgUnit', '00000000-0000-4000-8000-000000000000') }),
        'VALIDATION',
        ['input', 'unitId'],
      );
      await expectRefused(
        db,
        'createUser',
        send({ ...base, roles: [{ role: 'HANDLER', unitId: 'garbage' }] }),
        'VALIDATION',
        ['input', 'roles', '0', 'unitId'],
      );
    });
  });

  it('D3: the GD admin adds users in GD but is FORBIDDEN to add them to ZJ or grant roles there', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('gd.admin');
      const ok = await gql(
        app,
        CREATE_USER,
        { input: userInput('th.new', 'GD-GZ-TH', [['HANDLER', 'GD-GZ-TH']]) },
        { token },
      );
      expect(ok.data.createUser.user.username).toBe('th.new');
      await expectRefused(
        db,
        'createUser',
        () =>
          gql(
            app,
            CREATE_USER,
            { input: userInput('hz.new', 'ZJ-HZ', [['HANDLER', 'ZJ-HZ']]) },
            { token },
          ),
        'FORBIDDEN',
      );
      await expectRefused(
        db,
        'createUser',
        () =>
          gql(
            app,
            CREATE_USER,
            {
              input: userInput('gz.new', 'GD-GZ', [
                ['HANDLER', 'GD-GZ'],
                ['HANDLER', 'ZJ-HZ'],
              ]),
            },
            { token },
          ),
        'FORBIDDEN',
      );
    });
  });
});

describe('createPartner (D40, D41, D52)', () => {
  it('D52: the API key is returned once, only its hash is stored, and the key then authenticates', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const res = await gql(
        app,
        CREATE_PARTNER,
        { input: { name: ' Partner Two ', carrierCode: 'p2', provinceId: unitGid('GD') } },
        { token: await w.token('gd.admin') },
      );
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
    });
  });

  it('D52: each partner gets its own key', async () => {
    const w = world();
    await w.tx(async (db) => {
      const ability = defineAbilityFor(w.admin);
      const a = await createPartner(db, ability, {
        name: 'A',
        carrierCode: 'PA',
        provinceId: w.units.GD!.id,
      });
      const b = await createPartner(db, ability, {
        name: 'B',
        carrierCode: 'PB',
        provinceId: w.units.GD!.id,
      });
      expect(a.apiKey).not.toBe(b.apiKey);
      expect(a.partner.apiKeyHash).not.toBe(b.partner.apiKeyHash);
    });
  });

  it('D41: a partner belongs to a province: without provinceId and with two provinces, or with a non-province, it is refused', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('admin');
      const send = (input: object) => () =>
        gql(
          app,
          CREATE_PARTNER,
          { input: { name: 'P', carrierCode: 'PNEW', ...input } },
          { token },
        );
      await expectRefused(db, 'createPartner', send({}), 'VALIDATION', ['input', 'provinceId']);
      await expectRefused(
        db,
        'createPartner',
        send({ provinceId: unitGid('GD-GZ') }),
        'VALIDATION',
        ['input', 'provinceId'],
      );
      await expectRefused(db, 'createPartner', send({ provinceId: 'garbage' }), 'VALIDATION', [
        'input',
        'provinceId',
      ]);
      await expectRefused(
        db,
        'createPartner',
        send({ provinceId: unitGid('GD'), carrierCode: 'pgd' }),
        'VALIDATION',
        ['input', 'carrierCode'],
      );
      await expectRefused(
        db,
        'createPartner',
        send({ provinceId: unitGid('GD'), name: '' }),
        'VALIDATION',
        ['input', 'name'],
      );
    });
  });

  it('D41: the GD admin is FORBIDDEN to create a partner of ZJ', async () => {
    const w = world();
    await w.tx(async (db) => {
      const token = await w.token('gd.admin');
      await expectRefused(
        db,
        'createPartner',
        () =>
          gql(
            w.app(db),
            CREATE_PARTNER,
            { input: { name: 'P', carrierCode: 'PNEW', provinceId: unitGid('ZJ') } },
            { token },
          ),
        'FORBIDDEN',
      );
    });
  });
});

describe('inSubtree', () => {
  const codesIn = (db: Db, path: string) =>
    db
      .select({ code: orgUnits.code })
      .from(orgUnits)
      .where(inSubtree(path))
      .orderBy(asc(orgUnits.code))
      .then((rows) => rows.map((r) => r.code));

  it('a unit is in its own subtree, with its descendants, not its siblings or parent', async () => {
    const w = world();
    await w.tx(async (db) => {
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
    });
  });

  it('a unit created later falls in its ancestors’ subtrees', async () => {
    const w = world();
    await w.tx(async (db) => {
      const county = await createOrgUnit(db, defineAbilityFor(w.admin), {
        level: 'COUNTY',
        code: 'GD-SZ-FT',
        name: 'Futian',
        parentId: w.units['GD-SZ']!.id,
      });
      expect(await codesIn(db, w.units['GD-SZ']!.path)).toContain(county.code);
      expect(await codesIn(db, w.units.GD!.path)).toContain(county.code);
      expect(await codesIn(db, w.units['GD-GZ']!.path)).not.toContain(county.code);
    });
  });

  it('LIKE wildcards in the path are matched literally', async () => {
    const w = world();
    await w.tx(async (db) => {
      expect(await codesIn(db, '/%')).toEqual([]);
      expect(await codesIn(db, '/_')).toEqual([]);
      expect(await codesIn(db, '/')).toHaveLength(ORG.length);
    });
  });
});

describe('D1: reading the tree', () => {
  it('D1: orgUnit(code) serves a unit with its parent, children and ancestors', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('th.handler');
      const res = await gql(
        app,
        '{ orgUnit(code: " gd-gz ") { id code name level parent { code level } children { code parent { code } } ancestors { code } } }',
        {},
        { token },
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
      const gd = await gql(
        app,
        '{ orgUnit(code: "GD") { parent { code } ancestors { code } children { code } } }',
        {},
        { token },
      );
      expect(gd.data.orgUnit).toEqual({
        parent: null,
        ancestors: [],
        children: [{ code: 'GD-BC' }, { code: 'GD-GZ' }, { code: 'GD-SZ' }],
      });
    });
  });

  it('orgUnit by id matches orgUnit by code; an unknown code or id is null', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('gz.handler');
      const byId = await gql(
        app,
        'query ($id: ID) { orgUnit(id: $id) { code } }',
        { id: unitGid('ZJ-HZ') },
        { token },
      );
      expect(byId.data.orgUnit).toEqual({ code: 'ZJ-HZ' });
      const missing = await gql(
        app,
        '{ a: orgUnit(code: "NOPE") { code } b: orgUnit(id: "garbage") { code } c: orgUnit { code } }',
        {},
        { token },
      );
      expect(missing.errors).toBeUndefined();
      expect(missing.data).toEqual({ a: null, b: null, c: null });
    });
  });

  it('D1: orgUnits lists every unit, each parent before its children', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(
        w.app(db),
        '{ orgUnits { code level parent { code } } }',
        {},
        { token: await w.token('hz.handler') },
      );
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
    });
  });

  it('a unit created in a transaction shows up in orgUnits and under its parent', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('gd.admin');
      await gql(app, CREATE_UNIT, { input: unitInput('COUNTY', 'GD-SZ-FT', 'GD-SZ') }, { token });
      const res = await gql(
        app,
        '{ orgUnits { code } orgUnit(code: "GD-SZ") { children { code } } }',
        {},
        { token },
      );
      expect(res.data.orgUnits.map((u: { code: string }) => u.code)).toContain('GD-SZ-FT');
      expect(res.data.orgUnit.children).toEqual([{ code: 'GD-SZ-FT' }, { code: 'GD-SZ-NS' }]);
    });
  });
});
