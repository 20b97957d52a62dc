import { describe, expect, it } from 'vitest';
import { HEADERS_TEMPLATE, LOGIN_TAB, MY_CASES_TAB } from '../../src/server/graphiql.js';
import { PASSWORD, useWorld } from '../support/world.js';

// Issue 26: GraphiQL for a newcomer (a login tab that says where the token
// goes, a headers template, `/` leading to it) and X-Request-Id on every
// response. In-process, over the fixture database; nothing here writes.
const world = useWorld();
const app = () => world().app(world().database.db);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const post = (query: string, headers: Record<string, string> = {}, variables?: unknown) =>
  app().yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });

describe('GraphiQL for a newcomer', () => {
  it('/ redirects to /graphql', async () => {
    const res = await app().yoga.fetch('http://localhost/', { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphql');
  });

  it('opens with a login tab that says the token goes in the Authorization header as Bearer …, and a headers template', async () => {
    const res = await app().yoga.fetch('http://localhost/graphql', {
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>Complaint platform</title>');
    expect(LOGIN_TAB).toMatch(
      /^# 3\. Every other operation needs it in the Authorization header, as\n#\s+\{ "Authorization": "Bearer <token>" \}/m,
    );
    expect(JSON.parse(HEADERS_TEMPLATE)).toEqual({
      Authorization: 'Bearer <paste the token from the Login tab>',
    });
    // the page carries the options (JSON inside the page's script)
    expect(html).toContain(JSON.stringify(LOGIN_TAB).slice(1, 60));
    expect(html).toContain('defaultHeaders');
  });

  it("the two tabs' operations run as written: login, then the cases with the token in the header", async () => {
    const login = await (
      await post(
        LOGIN_TAB.replace('password: "demo-password"', `password: ${JSON.stringify(PASSWORD)}`),
      )
    ).json();
    expect(login.errors).toBeUndefined();
    expect(login.data.login.userErrors).toEqual([]);
    expect(login.data.login.viewer.username).toBe('gd.agent');
    const cases = await (
      await post(MY_CASES_TAB, { authorization: `Bearer ${login.data.login.token}` })
    ).json();
    expect(cases.errors).toBeUndefined();
    expect(cases.data.me.username).toBe('gd.agent');
    expect(cases.data.complaints.totalCount).toEqual(expect.any(Number));
  });
});

describe('X-Request-Id', () => {
  it("echoes the caller's id on the response (and the log line uses it: test/hardening/logs.test.ts)", async () => {
    const res = await post('{ __typename }', { 'x-request-id': 'lb-7f3a9c:42' });
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a9c:42');
  });

  it('makes one up when none is given, or when the given one is not a short plain token', async () => {
    expect((await post('{ __typename }')).headers.get('x-request-id')).toMatch(UUID);
    expect(
      (await post('{ __typename }', { 'x-request-id': 'has spaces and "quotes"' })).headers.get(
        'x-request-id',
      ),
    ).toMatch(UUID);
    expect(
      (await post('{ __typename }', { 'x-request-id': 'x'.repeat(129) })).headers.get(
        'x-request-id',
      ),
    ).toMatch(UUID);
  });

  it('is on every response: health, refusals and errors too', async () => {
    const health = await app().yoga.fetch('http://localhost/healthz', {
      headers: { 'x-request-id': 'probe-1' },
    });
    expect(health.headers.get('x-request-id')).toBe('probe-1');
    const unauthenticated = await post('{ me { __typename } complaints { totalCount } }', {
      'x-request-id': 'anon-1',
    });
    expect(unauthenticated.headers.get('x-request-id')).toBe('anon-1');
    const tooLarge = await app().yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'big-1' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('x-request-id')).toBe('big-1');
  });
});
