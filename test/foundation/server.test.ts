import { ClientError, GraphQLClient } from 'graphql-request';
import { type Client, createClient, type ExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../../src/server/app.js';
import { type Listening, listen } from '../../src/server/http.js';
import { openTestDatabase } from '../support/db.js';
import { serveWorld } from '../support/serve.js';
import { PASSWORD, useWorld } from '../support/world.js';

/**
 * End to end: the app on a real port (HTTP and graphql-ws on one path), over
 * the committed fixture database. Nothing here writes.
 */
const world = useWorld();

let server: Listening;
beforeAll(async () => {
  server = await serveWorld(world());
});
afterAll(() => server?.close());

const LOGIN = `mutation ($username: String!, $password: String!) {
  login(username: $username, password: $password) { token userErrors { code } }
}`;
const ME = '{ me { __typename ... on User { username } } }';

const base = () => server.url.replace(/\/graphql$/, '');
const wsUrl = (s: Listening = server) => s.url.replace(/^http/, 'ws');

const clients: Client[] = [];
/** A graphql-ws client that never retries, so a close reaches the test. */
function wsClient(connectionParams: Record<string, unknown> = {}, s: Listening = server) {
  const client = createClient({
    url: wsUrl(s),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    shouldRetry: () => false,
  });
  clients.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
});

/** The first result of an operation over the socket (or what it was refused with). */
async function first(client: Client, query: string) {
  for await (const result of client.iterate({ query }))
    return result as ExecutionResult<any, unknown>;
  throw new Error('the operation completed without a result');
}

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('HTTP', () => {
  it('D55: login and me through graphql-request', async () => {
    const anonymous = new GraphQLClient(server.url);
    const login = await anonymous.request<{
      login: { token: string | null; userErrors: unknown[] };
    }>(LOGIN, { username: 'gz.handler', password: PASSWORD });
    expect(login.login.userErrors).toEqual([]);
    expect(login.login.token).toEqual(expect.any(String));

    const signedIn = new GraphQLClient(server.url, {
      headers: { authorization: `Bearer ${login.login.token}` },
    });
    expect(await signedIn.request(ME)).toEqual({
      me: { __typename: 'User', username: 'gz.handler' },
    });

    const refused = await anonymous.request(ME).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClientError);
    expect((refused as ClientError).response.status).toBe(401);
    expect((refused as ClientError).response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('GET /healthz answers 200', async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it('GET /readyz answers 200 while the database answers', async () => {
    const res = await fetch(`${base()}/readyz`);
    expect(res.status).toBe(200);
    // D27: below "ready", what an operator must act on (e.g. next year's calendar), one line each.
    const [first, ...rest] = (await res.text()).trimEnd().split('\n');
    expect(first).toBe('ready');
    for (const line of rest) expect(line).toMatch(/^warning: /);
  });

  it('a malformed JSON body is HTTP 400', async () => {
    const res = await post('{"query": "{ __typename }"');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it('a syntax error is HTTP 400 with a GraphQL error', async () => {
    const res = await post(JSON.stringify({ query: '{ me { ' }), {
      accept: 'application/graphql-response+json',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { data?: unknown; errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/Syntax Error/);
    expect(body.data).toBeUndefined();
  });

  // A GET carries a CSRF header (issue 6; without one it is 403 before anything else, test/hardening/csrf.test.ts).
  it('a mutation sent with GET is HTTP 405 and does not run', async () => {
    const query = encodeURIComponent(
      `mutation { login(username: "gz.handler", password: "${PASSWORD}") { token } }`,
    );
    const res = await fetch(`${server.url}?query=${query}`, {
      headers: { accept: 'application/graphql-response+json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(res.status).toBe(405);
    const body = (await res.json()) as { data?: unknown; errors: unknown[] };
    expect(body.data).toBeUndefined();
    // a query with GET is fine
    const ok = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(ok.status).toBe(200);
  });

  it('the response is application/graphql-response+json when Accept asks for it', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const modern = await post(body, { accept: 'application/graphql-response+json' });
    expect(modern.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(await modern.json()).toEqual({ data: { __typename: 'Query' } });
    const legacy = await post(body, { accept: 'application/json' });
    expect(legacy.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('graphql-ws', () => {
  it('D55: a bad token in connectionParams closes the socket with 4403', async () => {
    const closed: number[] = [];
    const client = createClient({
      url: wsUrl(),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: 'Bearer not-a-token' },
      retryAttempts: 0,
      shouldRetry: () => false,
      on: { closed: (event) => closed.push((event as { code: number }).code) },
    });
    clients.push(client);
    const refused = await first(client, ME).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 4403 });
    expect(closed).toEqual([4403]);
  });

  it('D55: a bad API key in connectionParams closes the socket with 4403', async () => {
    const refused = await first(wsClient({ apiKey: 'cpk_wrong' }), ME).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 4403 });
  });

  it('a socket that sends no connection_init is closed with 4408 after about 3 s', {
    timeout: 10_000,
  }, async () => {
    const started = Date.now();
    const socket = new WebSocket(wsUrl(), 'graphql-transport-ws');
    const code = await new Promise<number>((resolve, reject) => {
      socket.on('close', (c) => resolve(c));
      socket.on('error', reject);
    });
    expect(code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
  });

  // There is no Subscription type yet: queries over the socket stand in for it.
  it('D55: a valid token in connectionParams runs operations over the socket', async () => {
    const w = world();
    const result = await first(
      wsClient({ authorization: `Bearer ${await w.token('gz.handler')}` }),
      ME,
    );
    expect(result).toEqual({ data: { me: { __typename: 'User', username: 'gz.handler' } } });
  });

  it('D41: a partner API key in connectionParams authenticates the socket', async () => {
    const w = world();
    const result = await first(wsClient({ apiKey: w.partnerKey }), '{ me { __typename } }');
    expect(result).toEqual({ data: { me: { __typename: 'Partner' } } });
  });

  it('D55: without credentials the socket opens but operations are UNAUTHENTICATED, with no data', async () => {
    const client = wsClient();
    const result = await first(client, ME);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
    expect(await first(client, '{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  });

  it('a syntax error over the socket is an error message for that operation; the socket stays open', async () => {
    const w = world();
    const closes: number[] = [];
    const client = createClient({
      url: wsUrl(),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await w.token('gz.handler')}` },
      retryAttempts: 0,
      lazy: false, // one socket for the whole test, closed only by dispose()
      onNonLazyError: () => {},
      on: { closed: (event) => closes.push((event as { code: number }).code) },
    });
    clients.push(client);
    expect(await first(client, ME)).toEqual({
      data: { me: { __typename: 'User', username: 'gz.handler' } },
    });
    const refused = await first(client, '{ me { ').catch((e: unknown) => e);
    expect(refused).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Syntax Error/) }),
    ]);
    expect(closes).toEqual([]);
    expect(await first(client, ME)).toEqual({
      data: { me: { __typename: 'User', username: 'gz.handler' } },
    });
    expect(closes).toEqual([]);
  });
});

describe('shutdown and readiness', () => {
  it('close() closes open sockets and stops answering', async () => {
    const w = world();
    const own = await listen(w.app(w.database.db), { port: 0, host: '127.0.0.1' });
    const socket = new WebSocket(wsUrl(own), 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${await w.token('gz.handler')}` },
      }),
    );
    await new Promise((resolve) => socket.once('message', resolve)); // connection_ack
    expect(own.sockets()).toBe(1);
    expect((await fetch(own.url.replace(/\/graphql$/, '/healthz'))).status).toBe(200);

    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await own.close();
    expect(await closed).toBe(1001);
    expect(own.sockets()).toBe(0);
    expect(own.httpServer.listening).toBe(false);
    await expect(fetch(own.url.replace(/\/graphql$/, '/healthz'))).rejects.toThrow();
  });

  it('GET /readyz is 503 while the instance drains on shutdown (draining), /healthz stays 200, requests are still served', async () => {
    const w = world();
    const database = await openTestDatabase();
    const app = createApp({
      config: w.config,
      clock: w.clock,
      database,
      db: database.db,
      lines: w.lines,
    });
    const own = await listen(app, { port: 0, host: '127.0.0.1' });
    const at = (path: string, init?: RequestInit) =>
      fetch(own.url.replace(/\/graphql$/, path), init);
    try {
      expect((await at('/readyz')).status).toBe(200);
      app.drain();
      const res = await at('/readyz');
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('draining\n');
      expect((await at('/healthz')).status).toBe(200);
      const q = await at('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(q.status).toBe(200); // in-flight and new requests still answered until the port closes
    } finally {
      await own.close();
      await database.close().catch(() => {});
      if (database.url) await database.drop();
    }
  });

  it('GET /readyz is 503 once the database is closed, while /healthz stays 200', async () => {
    const w = world();
    const database = await openTestDatabase();
    const own = await listen(
      createApp({ config: w.config, clock: w.clock, database, db: database.db, lines: w.lines }),
      { port: 0, host: '127.0.0.1' },
    );
    const at = (path: string) => fetch(own.url.replace(/\/graphql$/, path));
    try {
      expect((await at('/readyz')).status).toBe(200);
      await database.close();
      const res = await at('/readyz');
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('database unavailable\n');
      expect((await at('/healthz')).status).toBe(200);
    } finally {
      await own.close();
      if (database.url) await database.drop(); // PostgreSQL: drop the file's database; PGlite is gone with close()
    }
  });
});
