import { count } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { complaints } from '../../src/db/schema.js';
import { type App, createApp } from '../../src/server/app.js';
import { listen } from '../../src/server/http.js';
import { wsClient } from '../live/support.js';
import { gql } from '../support/gql.js';
import { PASSWORD, useWorld } from '../support/world.js';

/**
 * Issue 6: CSRF prevention. A page on another site can make a browser send a
 * "simple" request (a GET, or a POST as a form or text/plain) without a CORS
 * preflight; such a GraphQL request must carry Authorization, X-API-Key or
 * x-graphql-yoga-csrf, headers a browser sends cross-site only after a
 * preflight. JSON POSTs are always preflighted and pass as they are.
 */
const world = useWorld();

const LOGIN = `mutation Login { login(username: "gz.handler", password: "${PASSWORD}") { token } }`;
const REGISTER = `mutation Register { registerComplaint(input: { channel: PHONE, title: "t", description: "d", customer: { name: "张三", phone: "13812345678" } }) { complaint { id } } }`;

/** The app, counting these operations by name in its metrics (others are `other`, issue 19). */
const csrfApp = (db: Db) =>
  createApp({
    ...world().services(db),
    config: {
      ...world().config,
      metrics: { ...world().config.metrics, operations: ['Probe', 'Login', 'Register'] },
    },
  });
const fetchAt = (app: App, path: string, init: RequestInit = {}) =>
  app.yoga.fetch(`http://test${path}`, init);
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const multipart = (fields: Record<string, string>) => {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
};

/** Operations that reached execution (any outcome), by name. */
async function executed(app: App, operation: string): Promise<number> {
  const { values } = await app.metrics.operations.get();
  return values.filter((v) => v.labels.operation === operation).reduce((n, v) => n + v.value, 0);
}

async function refused(res: Response) {
  expect(res.status).toBe(403);
  const body = (await res.json()) as { data?: unknown; errors: { message: string }[] };
  expect(body.data).toBeUndefined();
  expect(body.errors[0]?.message).toBe('Required CSRF header(s) not present');
}

describe('issue 6: CSRF prevention', () => {
  it('issue 6: CSRF prevention: a GET without a CSRF header is refused with 403 before it runs', () =>
    world().tx(async (db) => {
      const app = csrfApp(db);
      await refused(
        await fetchAt(app, `/graphql?query=${encodeURIComponent('query Probe { __typename }')}`),
      );
      await refused(
        await fetchAt(app, `/graphql?query=${encodeURIComponent('query Probe { __typename }')}`, {
          headers: { accept: 'application/json' },
        }),
      );
      expect(await executed(app, 'Probe')).toBe(0);
    }));

  it('issue 6: CSRF prevention: form, multipart and text/plain POSTs without a CSRF header are refused with 403; the mutation does not run', () =>
    world().tx(async (db) => {
      const app = csrfApp(db);
      const [before] = await db.select({ n: count() }).from(complaints);
      for (const query of [LOGIN, REGISTER]) {
        await refused(
          await fetchAt(app, '/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form({ query }),
          }),
        );
        await refused(
          await fetchAt(app, '/graphql', {
            method: 'POST',
            body: multipart({ operations: JSON.stringify({ query }), map: '{}' }),
          }),
        );
        await refused(
          await fetchAt(app, '/graphql', {
            method: 'POST',
            headers: { 'content-type': 'text/plain;charset=UTF-8' },
            body: JSON.stringify({ query }),
          }),
        );
        // A body with no content type at all (fetch with a Blob of no type, no-cors) is not preflighted either.
        await refused(
          await fetchAt(app, '/graphql', {
            method: 'POST',
            body: new Blob([JSON.stringify({ query })]),
          }),
        );
      }
      expect(await executed(app, 'Login')).toBe(0);
      expect(await executed(app, 'Register')).toBe(0);
      const [after] = await db.select({ n: count() }).from(complaints);
      expect(after!.n).toBe(before!.n);
    }));

  it('issue 6: CSRF prevention: the same GET passes with Authorization, X-API-Key or x-graphql-yoga-csrf', () =>
    world().tx(async (db) => {
      const app = csrfApp(db);
      const me = `/graphql?query=${encodeURIComponent('{ me { __typename } }')}`;
      const asStaff = await fetchAt(app, me, {
        headers: { authorization: `Bearer ${await world().token('gz.handler')}` },
      });
      expect(asStaff.status).toBe(200);
      expect(await asStaff.json()).toEqual({ data: { me: { __typename: 'User' } } });
      const asPartner = await fetchAt(app, me, { headers: { 'x-api-key': world().partnerKey } });
      expect(await asPartner.json()).toEqual({ data: { me: { __typename: 'Partner' } } });
      const anonymous = await fetchAt(
        app,
        `/graphql?query=${encodeURIComponent('{ __typename }')}`,
        { headers: { 'x-graphql-yoga-csrf': '1' } },
      );
      expect(anonymous.status).toBe(200);
      expect(await anonymous.json()).toEqual({ data: { __typename: 'Query' } });
    }));

  it('issue 6: CSRF prevention: the same form POST passes with x-graphql-yoga-csrf (and then runs)', () =>
    world().tx(async (db) => {
      const app = csrfApp(db);
      const res = await fetchAt(app, '/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-graphql-yoga-csrf': '1',
        },
        body: form({ query: LOGIN }),
      });
      expect(res.status).toBe(200);
      expect(
        ((await res.json()) as { data: { login: { token: string } } }).data.login.token,
      ).toEqual(expect.any(String));
      expect(await executed(app, 'Login')).toBe(1);
    }));

  it('issue 6: CSRF prevention: a JSON POST (preflighted by browsers) needs no CSRF header: an anonymous login works as portals send it', () =>
    world().tx(async (db) => {
      const app = csrfApp(db);
      const login = await gql(app, LOGIN);
      expect(login.status).toBe(200);
      expect(login.data.login.token).toEqual(expect.any(String));
      const graphqlBody = await fetchAt(app, '/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/graphql' },
        body: '{ __typename }',
      });
      expect(await graphqlBody.json()).toEqual({ data: { __typename: 'Query' } });
    }));

  // Outside a transaction: /readyz pings the database, which a test's open transaction holds on PGlite.
  it('issue 6: CSRF prevention: GraphiQL, /healthz, /readyz, /metrics and the CSV export are not behind it', async () => {
    const app = world().app(world().database.db);
    const graphiql = await fetchAt(app, '/graphql', {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(graphiql.status).toBe(200);
    expect(graphiql.headers.get('content-type')).toMatch(/text\/html/);
    for (const path of ['/healthz', '/readyz', '/metrics'])
      expect((await fetchAt(app, path)).status, path).toBe(200);
    const csv = await fetchAt(app, '/exports/complaints.csv', {
      headers: { authorization: `Bearer ${await world().token('gz.handler')}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
  });
});

describe('issue 6: CSRF prevention and graphql-ws', () => {
  const closing: (() => unknown)[] = [];
  afterAll(async () => {
    for (const close of closing.reverse()) await close();
  });

  it('issue 6: CSRF prevention: WebSocket operations carry no HTTP headers and are not affected', async () => {
    const server = await listen(world().app(world().database.db), { port: 0, host: '127.0.0.1' });
    closing.push(() => server.close());
    const anonymous = wsClient(server);
    closing.push(() => anonymous.dispose());
    for await (const r of anonymous.iterate({ query: '{ __typename }' })) {
      expect(r).toEqual({ data: { __typename: 'Query' } });
      break;
    }
    const signedIn = wsClient(server, {
      authorization: `Bearer ${await world().token('gz.handler')}`,
    });
    closing.push(() => signedIn.dispose());
    for await (const r of signedIn.iterate({ query: '{ me { __typename } }' })) {
      expect(r).toEqual({ data: { me: { __typename: 'User' } } });
      break;
    }
  });
});
