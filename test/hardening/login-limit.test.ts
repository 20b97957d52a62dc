import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginAttempts } from '../../src/db/schema.js';
import { type App, createApp } from '../../src/server/app.js';
import { type Listening, listen } from '../../src/server/http.js';
import { PASSWORD, useWorld } from '../support/world.js';

/**
 * D52: password guessing is limited. More than one `login` field in a request is refused before any password
 * is checked; after 5 failed logins for a username in 15 minutes, or 20 from one client address, every login
 * for it fails as a wrong password does (the right password included) for 15 minutes; the state is in the
 * database, so the limit holds across instances; every refusal is logged.
 */
const world = useWorld();

const LOGIN =
  'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token userErrors { code message field } } }';

type Line = { fields: Record<string, unknown>; message: string };
const logged: Line[] = [];
const logger = {
  warn: (fields: Record<string, unknown>, message: string) => logged.push({ fields, message }),
  info: () => {},
  error: () => {},
  debug: () => {},
};

let a: App;
let b: App;
beforeAll(() => {
  const w = world();
  // Two instances on one database: nothing of the limiter is kept in a process.
  a = createApp(w.services(w.database.db), { logger: logger as never });
  b = createApp(w.services(w.database.db), { logger: logger as never });
});

/** A login through `app` as if from `address` (the TCP peer node:http would give). */
async function login(app: App, username: string, password: string, address = '198.51.100.7') {
  const res = await app.yoga.fetch(
    'http://test/graphql',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOGIN, variables: { u: username, p: password } }),
    },
    { clientAddress: address } as never,
  );
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: { login: { token: string | null; userErrors: unknown[] } };
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    },
  };
}

const attempts = async (username: string, refused: boolean) => {
  const [r] = await world()
    .database.db.select({ n: count() })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.username, username), eq(loginAttempts.refused, refused)));
  return r!.n;
};

describe('D52: login limits', () => {
  it('D52: a request holding two login fields (aliases) is refused before any password is checked', async () => {
    const before = await attempts('gz.handler', false);
    const query = `mutation { a: login(username: "gz.handler", password: "${PASSWORD}") { token } b: login(username: "gz.handler", password: "guess") { token } }`;
    const res = await a.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      data?: unknown;
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]!.extensions.code).toBe('VALIDATION');
    expect(body.errors[0]!.message).toBe('One login per request');
    expect(JSON.stringify(body)).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./); // no token
    expect(await attempts('gz.handler', false)).toBe(before); // no password was checked
    // Through a fragment too.
    const viaFragment = `mutation { ...L login(username: "gz.handler", password: "x") { token } } fragment L on Mutation { other: login(username: "gz.handler", password: "y") { token } }`;
    const r2 = await a.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: viaFragment }),
    });
    expect(r2.status).toBe(400);
    expect(logged.some((l) => l.fields.reason === 'SEVERAL_LOGINS')).toBe(true);
    // One login still works.
    expect((await login(a, 'gz.handler', PASSWORD)).body.data!.login.token).toEqual(
      expect.any(String),
    );
  });

  it('D52: 20 parallel wrong passwords for one username: 5 are checked, 15 refused; then the right password fails the same way, on either instance', async () => {
    const w = world();
    const wrong = await login(a, 'th.handler', 'not-the-password', '203.0.113.1');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(i % 2 ? a : b, 'th.handler', `guess-${i}`, `203.0.113.${10 + i}`),
      ),
    );
    expect(results.every((r) => r.status === 200 && r.body.data!.login.token === null)).toBe(true);
    // Every answer is the wrong-password answer, word for word.
    for (const r of results) expect(r.body).toEqual(wrong.body);
    expect(await attempts('th.handler', false)).toBe(5); // the first failure plus 4 of the 20: checked
    expect(await attempts('th.handler', true)).toBe(16);
    // Locked out: the right password, from a fresh address, on the other instance, answers as a wrong one.
    const right = await login(b, 'th.handler', PASSWORD, '192.0.2.99');
    expect(right.body).toEqual(wrong.body);
    expect(
      logged.filter(
        (l) => l.fields.reason === 'USERNAME_LOCKED' && l.fields.username === 'th.handler',
      ).length,
    ).toBe(17);
    // 15 minutes later it works again.
    w.clock.advance(15 * 60_000 + 1);
    expect((await login(a, 'th.handler', PASSWORD, '192.0.2.99')).body.data!.login.token).toEqual(
      expect.any(String),
    );
  });

  it('D52: 20 failures from one address lock that address out, for every username, across instances', async () => {
    const address = '198.51.100.200';
    for (let i = 0; i < 20; i++) await login(i % 2 ? a : b, `ghost-${i}`, 'guess', address);
    const wrong = await login(a, 'ghost-x', 'guess', '198.51.100.201');
    const right = await login(b, 'sz.handler', PASSWORD, address);
    expect(right.body).toEqual(wrong.body);
    expect(
      logged.some((l) => l.fields.reason === 'ADDRESS_LOCKED' && l.fields.address === address),
    ).toBe(true);
    // Another address is not affected.
    expect(
      (await login(a, 'sz.handler', PASSWORD, '198.51.100.202')).body.data!.login.token,
    ).toEqual(expect.any(String));
  });

  it('D52: over real HTTP the client address is the TCP peer, on two listening instances', async () => {
    const servers: Listening[] = [
      await listen(a, { port: 0, host: '127.0.0.1' }),
      await listen(b, { port: 0, host: '127.0.0.1' }),
    ];
    try {
      const post = (s: Listening, u: string, p: string) =>
        fetch(s.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LOGIN, variables: { u, p } }),
        }).then((r) => r.json() as Promise<{ data: { login: { token: string | null } } }>);
      for (let i = 0; i < 5; i++) await post(servers[i % 2]!, 'ns.handler', `guess-${i}`);
      expect((await post(servers[0]!, 'ns.handler', PASSWORD)).data.login.token).toBeNull();
      expect(
        logged.some((l) => l.fields.username === 'ns.handler' && l.fields.address === '127.0.0.1'),
      ).toBe(true);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});
