import { afterEach, describe, expect, it } from 'vitest';
import { signToken, TOKEN_TTL_SECONDS } from '../../src/auth/tokens.js';
import { createApp } from '../../src/server/app.js';
import { type GqlResult, gql } from '../support/gql.js';
import { HOUR } from '../support/time.js';
import { PASSWORD, T0, useWorld } from '../support/world.js';

const world = useWorld();
afterEach(() => world().clock.set(T0));

const LOGIN = `mutation ($username: String!, $password: String!) {
  login(username: $username, password: $password) {
    token
    viewer { __typename ... on User { username } }
    userErrors { code message field }
  }
}`;
const ME =
  '{ me { __typename ... on User { username } ... on Partner { name carrierCode province { code } } } }';
const ORG_UNITS = '{ orgUnits { code } }';

/** D55: refused for want of valid credentials: HTTP 401, UNAUTHENTICATED, and no `data` at all. */
function expectUnauthenticated(res: GqlResult) {
  expect(res.status).toBe(401);
  expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect('data' in res).toBe(false);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => token.split('.') as [string, string, string];
const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
/** Replaces the character at `i` with another base64url character. */
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

describe('login', () => {
  it('D55: login works without credentials and its token authenticates `me`', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const res = await gql(app, LOGIN, { username: 'gz.handler', password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.data.login.userErrors).toEqual([]);
      expect(res.data.login.viewer).toEqual({ __typename: 'User', username: 'gz.handler' });
      const token = res.data.login.token as string;
      expect(token.split('.')).toHaveLength(3);

      const me = await gql(app, ME, {}, { token });
      expect(me.data.me).toEqual({ __typename: 'User', username: 'gz.handler' });
    });
  });

  it('the bootstrap administrator logs in with the configured password', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(w.app(db), LOGIN, {
        username: w.config.admin.username,
        password: w.config.admin.password,
      });
      expect(res.data.login.userErrors).toEqual([]);
      expect(res.data.login.viewer).toEqual({ __typename: 'User', username: 'admin' });
    });
  });

  it('the username is trimmed', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(w.app(db), LOGIN, { username: '  gz.handler ', password: PASSWORD });
      expect(res.data.login.token).toEqual(expect.any(String));
    });
  });

  it('the token carries the subject and a 12 h lifetime from the services clock', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(w.app(db), LOGIN, { username: 'gz.handler', password: PASSWORD });
      const payload = decode(parts(res.data.login.token)[1]);
      expect(payload.sub).toBe(w.staff['gz.handler']!.id);
      expect(payload.iat).toBe(T0.getTime() / 1000);
      expect(payload.exp - payload.iat).toBe(TOKEN_TTL_SECONDS);
      expect(TOKEN_TTL_SECONDS).toBe(12 * 60 * 60);
    });
  });

  it('D52: a wrong password and an unknown username get the same userError and no token', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const wrongPassword = await gql(app, LOGIN, {
        username: 'gz.handler',
        password: 'not-the-password',
      });
      const unknownUser = await gql(app, LOGIN, { username: 'nobody.here', password: PASSWORD });
      for (const res of [wrongPassword, unknownUser]) {
        expect(res.status).toBe(200);
        expect(res.errors).toBeUndefined();
        expect(res.data.login.token).toBeNull();
        expect(res.data.login.viewer).toBeNull();
        expect(res.data.login.userErrors).toHaveLength(1);
      }
      expect(unknownUser.data.login.userErrors).toEqual(wrongPassword.data.login.userErrors);
      expect(wrongPassword.data.login.userErrors[0]).toEqual({
        code: 'VALIDATION',
        message: 'Wrong username or password',
        field: null,
      });
    });
  });

  it('an empty password is refused like a wrong one', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(w.app(db), LOGIN, { username: 'gz.handler', password: '' });
      expect(res.data.login.token).toBeNull();
      expect(res.data.login.userErrors[0].message).toBe('Wrong username or password');
    });
  });
});

describe('JWT lifetime and integrity', () => {
  it('D55: a token signed at T0 works until just before 12 h and is refused after (services clock)', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const token = await w.token('gz.handler');

      w.clock.set(new Date(T0.getTime() + 12 * HOUR - 60_000));
      expect((await gql(app, ME, {}, { token })).data.me.username).toBe('gz.handler');

      w.clock.set(new Date(T0.getTime() + 12 * HOUR + 60_000));
      expectUnauthenticated(await gql(app, ORG_UNITS, {}, { token }));
      expectUnauthenticated(await gql(app, ME, {}, { token }));
    });
  });

  it('D55: a token whose payload was changed (another user as subject) is refused', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const [header, payload, signature] = parts(await w.token('gz.handler'));
      const forged = b64({ ...decode(payload), sub: w.admin.id });
      expectUnauthenticated(
        await gql(app, ORG_UNITS, {}, { token: `${header}.${forged}.${signature}` }),
      );
      // one character of the payload
      expectUnauthenticated(
        await gql(app, ORG_UNITS, {}, { token: `${header}.${flip(payload, 10)}.${signature}` }),
      );
    });
  });

  it('D55: a token whose signature was changed is refused', async () => {
    const w = world();
    await w.tx(async (db) => {
      const [header, payload, signature] = parts(await w.token('gz.handler'));
      expectUnauthenticated(
        await gql(
          w.app(db),
          ORG_UNITS,
          {},
          { token: `${header}.${payload}.${flip(signature, 10)}` },
        ),
      );
      expectUnauthenticated(
        await gql(w.app(db), ORG_UNITS, {}, { token: `${header}.${payload}.` }),
      );
    });
  });

  it('D55: a well-formed token signed with another secret is refused', async () => {
    const w = world();
    await w.tx(async (db) => {
      const token = await signToken(
        'another-secret-another-secret-another',
        w.staff['gz.handler']!.id,
        w.clock.now(),
      );
      expectUnauthenticated(await gql(w.app(db), ORG_UNITS, {}, { token }));
    });
  });

  it('D55: an unsigned token (alg none) is refused', async () => {
    const w = world();
    await w.tx(async (db) => {
      const [, payload] = parts(await w.token('gz.handler'));
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      expectUnauthenticated(await gql(w.app(db), ORG_UNITS, {}, { token: none }));
    });
  });

  it('D55: a validly signed token for a user that does not exist is refused', async () => {
    const w = world();
    await w.tx(async (db) => {
      const token = await signToken(
        w.config.jwtSecret,
        '00000000-0000-4000-8000-000000000000',
        w.clock.now(),
      );
      expectUnauthenticated(await gql(w.app(db), ORG_UNITS, {}, { token }));
    });
  });

  it('D55: a bearer that is not a JWT at all is refused', async () => {
    const w = world();
    await w.tx(async (db) => {
      expectUnauthenticated(await gql(w.app(db), ORG_UNITS, {}, { token: 'garbage' }));
    });
  });
});

describe('partner API keys', () => {
  it('D41: X-API-Key of the fixture partner makes `me` the Partner with its province', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const gd = await gql(app, ME, {}, { apiKey: w.partnerKey });
      expect(gd.data.me).toEqual({
        __typename: 'Partner',
        name: 'Partner GD',
        carrierCode: 'PGD',
        province: { code: 'GD' },
      });
      const zj = await gql(app, ME, {}, { apiKey: w.zjPartnerKey });
      expect(zj.data.me.province).toEqual({ code: 'ZJ' });
    });
  });

  it('D55: a wrong API key is UNAUTHENTICATED', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      expectUnauthenticated(await gql(app, ORG_UNITS, {}, { apiKey: 'cpk_not-a-real-key' }));
      expectUnauthenticated(await gql(app, ORG_UNITS, {}, { apiKey: w.partnerKey.slice(0, -1) }));
    });
  });

  it('D55: a wrong API key is refused even beside a valid bearer token', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const res = await app.yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await w.token('gz.handler')}`,
          'x-api-key': 'cpk_wrong',
        },
        body: JSON.stringify({ query: ORG_UNITS }),
      });
      expect(res.status).toBe(401);
    });
  });
});

describe('UNAUTHENTICATED paths over HTTP (D55)', () => {
  it('D55: an unauthenticated query is UNAUTHENTICATED with HTTP 401 and no data', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(w.app(db), ORG_UNITS);
      expectUnauthenticated(res);
      expect(res.errors).toHaveLength(1);
    });
  });

  it('D55: an unauthenticated mutation is UNAUTHENTICATED and writes nothing', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      const res = await gql(
        app,
        'mutation { createOrgUnit(input: { level: PROVINCE, code: "HN", name: "Hunan" }) { orgUnit { code } } }',
      );
      expectUnauthenticated(res);
      const check = await gql(
        app,
        '{ orgUnit(code: "HN") { code } }',
        {},
        { token: await w.token('admin') },
      );
      expect(check.data.orgUnit).toBeNull();
    });
  });

  it('D55: `{ __typename }` works without credentials', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(w.app(db), '{ __typename }');
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ __typename: 'Query' });
    });
  });

  it('D55: `me` without credentials is refused, not null', async () => {
    const w = world();
    await w.tx(async (db) => expectUnauthenticated(await gql(w.app(db), ME)));
  });

  it('D55: an open field beside a closed one does not open it (aliases and fragments included)', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = w.app(db);
      expectUnauthenticated(await gql(app, '{ __typename orgUnits { code } }'));
      expectUnauthenticated(await gql(app, '{ __typename: __typename units: orgUnits { code } }'));
      expectUnauthenticated(await gql(app, '{ ...F } fragment F on Query { orgUnits { code } }'));
      expectUnauthenticated(await gql(app, '{ ... on Query { me { __typename } } }'));
      expectUnauthenticated(
        await gql(
          app,
          `mutation { login(username: "x", password: "y") { token } createOrgUnit(input: { level: PROVINCE, code: "HN", name: "H" }) { orgUnit { code } } }`,
        ),
      );
    });
  });

  it('D55: introspection works without credentials outside production', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(
        w.app(db),
        '{ __schema { queryType { name } } __type(name: "OrgUnit") { name } }',
      );
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        __schema: { queryType: { name: 'Query' } },
        __type: { name: 'OrgUnit' },
      });
    });
  });

  it('D55: in production introspection needs credentials, while `{ __typename }` and login still work', async () => {
    const w = world();
    await w.tx(async (db) => {
      const app = createApp({
        ...w.services(db),
        config: { ...w.config, production: true, nodeEnv: 'production' },
      });
      expectUnauthenticated(await gql(app, '{ __schema { queryType { name } } }'));
      expectUnauthenticated(await gql(app, '{ __type(name: "OrgUnit") { name } }'));
      expect((await gql(app, '{ __typename }')).data).toEqual({ __typename: 'Query' });
      const login = await gql(app, LOGIN, { username: 'gz.handler', password: PASSWORD });
      expect(login.data.login.token).toEqual(expect.any(String));
      const signedIn = await gql(
        app,
        '{ __schema { queryType { name } } }',
        {},
        { token: login.data.login.token },
      );
      expect(signedIn.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    });
  });

  it('a non-Bearer Authorization header counts as no credentials', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await w.app(db).yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`gz.handler:${PASSWORD}`).toString('base64')}`,
        },
        body: JSON.stringify({ query: ORG_UNITS }),
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as GqlResult;
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
