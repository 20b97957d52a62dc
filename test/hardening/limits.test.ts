import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../../src/server/app.js';
import { type Listening, listen } from '../../src/server/http.js';
import { gql } from '../support/gql.js';
import { useWorld } from '../support/world.js';

/**
 * D57's request limits, checked before execution on HTTP and on WebSocket
 * alike, and the masking of internal errors.
 */
const world = useWorld();

let server: Listening;
let token: string;
beforeAll(async () => {
  server = await listen(world().app(world().database.db), { port: 0, host: '127.0.0.1' });
  token = await world().token('gz.handler');
});
afterAll(() => server?.close());

/** `{ orgUnits { parent { parent { … id } } } }` with `levels` nested selection sets in all. */
const deep = (levels: number) =>
  `{ orgUnits ${'{ parent '.repeat(levels - 2)}{ id }${' }'.repeat(levels - 2)} }`;
const aliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { __typename }`).join(' ')} }`;
const tokens = (n: number) => `{ ${Array.from({ length: n }, () => '__typename').join(' ')} }`;

const codeOf = (r: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) =>
  r.errors?.[0]?.message ?? null;

const clients: Client[] = [];
afterAll(() => Promise.all(clients.map((c) => c.dispose())));
async function overSocket(query: string) {
  const client = createClient({
    url: server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  for await (const result of client.iterate({ query })) return result;
  throw new Error('no result');
}
async function overSocketError(query: string): Promise<string> {
  try {
    const r = await overSocket(query);
    return r.errors?.[0]?.message ?? 'no error';
  } catch (e) {
    return Array.isArray(e) ? String(e[0]?.message) : String((e as Error).message ?? e);
  }
}

describe('D57: query limits before execution', () => {
  it('D57: depth 10 runs, depth 11 is refused over HTTP', async () => {
    const ok = await gql(world().app(world().database.db), deep(10), {}, { token });
    expect(ok.errors).toBeUndefined();
    const refused = await gql(world().app(world().database.db), deep(11), {}, { token });
    expect(refused.status).toBe(400);
    expect(codeOf(refused)).toMatch(/depth/i);
    expect(refused.data).toBeUndefined();
  });

  it('D57: fragments count towards depth once expanded', async () => {
    const q = `query { orgUnits { ...A } } fragment A on OrgUnit { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } }`;
    const r = await gql(world().app(world().database.db), q, {}, { token });
    expect(codeOf(r)).toMatch(/depth/i);
  });

  it('D57: 15 aliases run, 16 are refused', async () => {
    expect(
      (await gql(world().app(world().database.db), aliases(15), {}, { token })).errors,
    ).toBeUndefined();
    expect(codeOf(await gql(world().app(world().database.db), aliases(16), {}, { token }))).toMatch(
      /alias/i,
    );
  });

  it('D57: over 2,000 tokens are refused', async () => {
    const refused = await gql(world().app(world().database.db), tokens(2100), {}, { token });
    expect(codeOf(refused)).toMatch(/token/i);
    expect(refused.status).toBe(400);
  });

  it('D57: the same limits hold over WebSocket', async () => {
    expect((await overSocket(deep(10))).errors).toBeUndefined();
    expect(await overSocketError(deep(11))).toMatch(/depth/i);
    expect(await overSocketError(aliases(16))).toMatch(/alias/i);
    expect(await overSocketError(tokens(2100))).toMatch(/token/i);
  });

  it('D57: a body over 1 MiB is refused with 413 before parsing, with or without Content-Length', async () => {
    const big = JSON.stringify({
      query: '{ __typename }',
      variables: { pad: 'x'.repeat(1024 * 1024 + 10) },
    });
    const withLength = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: big,
    });
    expect(withLength.status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < big.length; i += 65536)
          c.enqueue(new TextEncoder().encode(big.slice(i, i + 65536)));
        c.close();
      },
    });
    const chunked = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    // A streamed body under the limit still works.
    const small = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(JSON.stringify({ query: '{ __typename }' })));
        c.close();
      },
    });
    const ok = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: small,
      duplex: 'half',
    } as RequestInit);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('issue 19: bodies of every type, streamed', () => {
  const chunked = (text: string) =>
    new ReadableStream({
      start(c) {
        for (let i = 0; i < text.length; i += 65536)
          c.enqueue(new TextEncoder().encode(text.slice(i, i + 65536)));
        c.close();
      },
    });
  const post = (contentType: string, body: ReadableStream) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      body,
      duplex: 'half',
    } as RequestInit);

  it('D57: a chunked form POST over 1 MiB is 413 (it was a 500), and one under the limit runs', async () => {
    const big = `query=${encodeURIComponent('{ __typename }')}&pad=${'x'.repeat(1024 * 1024 + 10)}`;
    const refused = await post('application/x-www-form-urlencoded', chunked(big));
    expect(refused.status).toBe(413);
    const small = await post(
      'application/x-www-form-urlencoded',
      chunked(`query=${encodeURIComponent('{ __typename }')}`),
    );
    expect(small.status).toBe(200);
    expect(await small.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('D57: chunked multipart and text bodies over 1 MiB are 413 too', async () => {
    const boundary = 'xyzzy';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1024 * 1024 + 10) } })}\r\n--${boundary}--\r\n`;
    const m = await post(`multipart/form-data; boundary=${boundary}`, chunked(multipart));
    const g = await post(
      'application/graphql',
      chunked(`{ __typename ${' '.repeat(1024 * 1024 + 10)} }`),
    );
    expect([m.status, g.status]).toEqual([413, 413]);
    // Under the limit a multipart request runs.
    const ok = await post(
      `multipart/form-data; boundary=${boundary}`,
      chunked(
        `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: '{ __typename }' })}\r\n--${boundary}--\r\n`,
      ),
    );
    expect(await ok.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('internal errors are masked', () => {
  it('an unexpected failure reaches the client as "Unexpected error." with an error id and no stack', async () => {
    const w = world();
    const services = w.services(w.database.db);
    // A database handle that fails every statement: an internal error, not the client's.
    const broken = new Proxy(services.db, {
      get(target, prop, receiver) {
        if (prop === 'select')
          return () => {
            throw new Error('boom: secret internals');
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    const app = createApp({ ...services, db: broken as typeof services.db });
    const r = await gql(app, '{ orgUnits { code } }', {}, { token });
    expect(r.errors?.[0]?.message).toBe('Unexpected error.');
    expect(r.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(r.errors?.[0]?.extensions?.errorId).toEqual(expect.any(String));
    expect(JSON.stringify(r)).not.toMatch(/boom|secret|stack/);
  });
});
