import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/graphql/global-id.js';
import { type GqlResult, gql } from '../support/gql.js';
import { ORG, useWorld } from '../support/world.js';

const world = useWorld();

/** See org.test.ts: under vitest yoga masks src's GraphQLErrors, so their codes can only be checked once `graphql` loads once. */

const FIELDS = `__typename id
  ... on OrgUnit { code level }
  ... on User { username unit { code } }
  ... on Partner { carrierCode }`;
const NODE = `query ($id: ID!) { node(id: $id) { ${FIELDS} } }`;
const NODES = `query ($ids: [ID!]!) { nodes(ids: $ids) { ${FIELDS} } }`;

const b64 = (s: string) => Buffer.from(s).toString('base64url');

/** `node(id)` as `viewer` (staff username, or `{ apiKey }`). */
async function node(id: string, viewer: string | { apiKey: string } = 'gz.handler') {
  const w = world();
  return w.tx(async (db) => {
    const auth = typeof viewer === 'string' ? { token: await w.token(viewer) } : viewer;
    const res = await gql(w.app(db), NODE, { id }, auth);
    expect(res.errors).toBeUndefined();
    return res.data.node;
  });
}

async function nodes(ids: string[], username = 'gz.handler'): Promise<GqlResult> {
  const w = world();
  return w.tx(async (db) => gql(w.app(db), NODES, { ids }, { token: await w.token(username) }));
}

describe('Node global IDs', () => {
  it('node(id) round-trips an OrgUnit', async () => {
    const w = world();
    const id = toGlobalId('OrgUnit', w.units['GD-GZ-TH']!.id);
    expect(await node(id)).toEqual({
      __typename: 'OrgUnit',
      id,
      code: 'GD-GZ-TH',
      level: 'COUNTY',
    });
  });

  it('node(id) round-trips a User, with the id `me` gives', async () => {
    const w = world();
    const id = await w.tx(
      async (db) =>
        (
          await gql(
            w.app(db),
            '{ me { ... on User { id } } }',
            {},
            { token: await w.token('sz.leader') },
          )
        ).data.me.id,
    );
    expect(fromGlobalId(id)).toEqual({ type: 'User', id: w.staff['sz.leader']!.id });
    expect(await node(id)).toEqual({
      __typename: 'User',
      id,
      username: 'sz.leader',
      unit: { code: 'GD-SZ' },
    });
  });

  it('every id orgUnits serves loads back through nodes, in order', async () => {
    const w = world();
    const listed = await w.tx(
      async (db) =>
        (
          await gql(
            w.app(db),
            '{ orgUnits { id code } }',
            {},
            { token: await w.token('gd.auditor') },
          )
        ).data.orgUnits,
    );
    expect(listed).toHaveLength(ORG.length);
    const res = await nodes(listed.map((u: { id: string }) => u.id));
    expect(
      res.data.nodes.map((n: { id: string; code: string }) => ({ id: n.id, code: n.code })),
    ).toEqual(listed);
  });

  it('D40: a partner reads itself as a node but neither another partner nor any staff', async () => {
    const w = world();
    const self = toGlobalId('Partner', w.partner.id);
    const other = toGlobalId('Partner', w.zjPartner.id);
    expect(await node(self, { apiKey: w.partnerKey })).toEqual({
      __typename: 'Partner',
      id: self,
      carrierCode: 'PGD',
    });
    expect(await node(other, { apiKey: w.partnerKey })).toBeNull();
    expect(
      await node(toGlobalId('User', w.staff['gd.legal']!.id), { apiKey: w.partnerKey }),
    ).toBeNull();
    // staff read both partners
    expect(await node(other, 'gd.legal')).toEqual({
      __typename: 'Partner',
      id: other,
      carrierCode: 'PZJ',
    });
  });

  it('nodes(ids) keeps the order of the ids, with null for those that name nothing', async () => {
    const w = world();
    const gd = toGlobalId('OrgUnit', w.units.GD!.id);
    const hz = toGlobalId('OrgUnit', w.units['ZJ-HZ']!.id);
    const user = toGlobalId('User', w.staff['gz.handler']!.id);
    const res = await nodes([
      hz,
      toGlobalId('OrgUnit', randomUUID()),
      user,
      'garbage',
      gd,
      hz,
      toGlobalId('User', w.units.GD!.id),
    ]);
    expect(res.errors).toBeUndefined();
    expect(
      res.data.nodes.map(
        (n: { __typename: string; code?: string; username?: string } | null) =>
          n && (n.code ?? n.username),
      ),
    ).toEqual(['ZJ-HZ', null, 'gz.handler', null, 'GD', 'ZJ-HZ', null]);
  });

  it('nodes([]) is an empty list', async () => {
    expect((await nodes([])).data).toEqual({ nodes: [] });
  });
});

describe('D57: an id that names nothing is null in a query, not an error', () => {
  const garbage = [
    '',
    'garbage',
    '!!!',
    'T3JnVW5pdDo=', // base64 padding is not base64url
    b64('OrgUnit:not-a-uuid'),
    b64('OrgUnit'),
    b64(`Nothing:${randomUUID()}`),
    b64(`orgunit:${randomUUID()}`),
    b64(`OrgUnit:${randomUUID().toUpperCase()}`),
    `OrgUnit:${randomUUID()}`, // not encoded
    b64(`OrgUnit:${randomUUID()}`) + 'A'.repeat(60), // over 100 characters
  ];

  it('malformed ids', async () => {
    for (const id of garbage) expect(await node(id), id).toBeNull();
    const res = await nodes(garbage);
    expect(res.errors).toBeUndefined();
    expect(res.data.nodes).toEqual(garbage.map(() => null));
  });

  it('a well-formed id with the wrong type prefix', async () => {
    const w = world();
    expect(await node(toGlobalId('User', w.units['GD-GZ']!.id))).toBeNull();
    expect(await node(toGlobalId('OrgUnit', w.staff['gz.handler']!.id))).toBeNull();
    expect(await node(toGlobalId('Partner', w.units.GD!.id), 'gd.legal')).toBeNull();
    // a type with no loader yet names nothing either
    expect(await node(toGlobalId('Complaint', w.units.GD!.id))).toBeNull();
  });

  it('a valid-looking id of a row that does not exist', async () => {
    for (const type of ['OrgUnit', 'User', 'Partner'] as const) {
      const id = toGlobalId(type, randomUUID());
      expect(fromGlobalId(id)).toEqual({ type, id: expect.any(String) });
      expect(await node(id, 'gd.legal')).toBeNull();
    }
  });
});

describe('nodes takes at most 100 ids', () => {
  const ids = (n: number) =>
    Array.from({ length: n }, () => toGlobalId('OrgUnit', world().units.GD!.id));

  it('100 ids are served', async () => {
    const res = await nodes(ids(100));
    expect(res.errors).toBeUndefined();
    expect(res.data.nodes).toHaveLength(100);
    expect(res.data.nodes.every((n: { code: string }) => n.code === 'GD')).toBe(true);
  });

  it('101 ids are a GraphQL error and no data', async () => {
    const res = await nodes(ids(101));
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['nodes'] });
    expect(res.data ?? null).toBeNull();
  });

  it('101 ids: the error is VALIDATION and says why', async () => {
    const res = await nodes(ids(101));
    expect(res.errors![0]).toMatchObject({
      message: 'nodes takes at most 100 ids',
      extensions: { code: 'VALIDATION' },
    });
  });
});

describe('D55: node needs credentials', () => {
  it('D55: node and nodes without credentials are UNAUTHENTICATED', async () => {
    const w = world();
    await w.tx(async (db) => {
      const id = toGlobalId('OrgUnit', w.units.GD!.id);
      for (const res of [
        await gql(w.app(db), NODE, { id }),
        await gql(w.app(db), NODES, { ids: [id] }),
      ]) {
        expect(res.status).toBe(401);
        expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect('data' in res).toBe(false);
      }
    });
  });
});
