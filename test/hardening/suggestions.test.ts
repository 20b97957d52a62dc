import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/server/app.js';
import { type Listening, listen } from '../../src/server/http.js';
import { type LiveClient, wsClient } from '../live/support.js';
import { gql } from '../support/gql.js';
import { useWorld } from '../support/world.js';

/**
 * Issue 6: with introspection closed in production (D55), error messages must
 * not hand the schema out piece by piece either: no "Did you mean …?" for a
 * misspelled field, argument, type, input field or enum value, over HTTP and
 * WebSocket. Outside production the suggestions stay, for developers.
 */
const world = useWorld();

let production: App;
let development: App;
const servers: Listening[] = [];
const clients: LiveClient[] = [];
beforeAll(async () => {
  const w = world();
  production = createApp({
    ...w.services(w.database.db),
    config: { ...w.config, production: true, nodeEnv: 'production' },
  });
  development = w.app(w.database.db);
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  for (const s of servers) await s.close();
});

/** Misspellings graphql-js answers with a suggestion, each with the word it would suggest. */
const MISSPELLED: {
  what: string;
  query: string;
  variables?: Record<string, unknown>;
  suggests: string;
}[] = [
  { what: 'a field', query: '{ orgUnitz { code } }', suggests: 'orgUnits' },
  { what: 'a field of an object', query: '{ orgUnits { cod } }', suggests: 'code' },
  { what: 'an argument', query: '{ complaints(firts: 1) { totalCount } }', suggests: 'first' },
  {
    what: 'a type',
    query: 'query ($f: ComplaintFiltr) { complaints(filter: $f) { totalCount } }',
    suggests: 'ComplaintFilter',
  },
  {
    what: 'an enum value in the document',
    query: '{ complaints(filter: { channel: [PHON] }) { totalCount } }',
    suggests: 'PHONE',
  },
  {
    what: 'an input field in the document',
    query: '{ complaints(filter: { customerPhon: "1" }) { totalCount } }',
    suggests: 'customerPhone',
  },
  {
    what: 'an enum value in variables',
    query: 'query ($f: ComplaintFilter) { complaints(filter: $f) { totalCount } }',
    variables: { f: { channel: ['PHON'] } },
    suggests: 'PHONE',
  },
  {
    what: 'an input field in variables',
    query: 'query ($f: ComplaintFilter) { complaints(filter: $f) { totalCount } }',
    variables: { f: { customerPhon: '1' } },
    suggests: 'customerPhone',
  },
];

async function overSocket(
  app: App,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<string> {
  const server = await listen(app, { port: 0, host: '127.0.0.1' });
  servers.push(server);
  const client = wsClient(server, { authorization: `Bearer ${token}` });
  clients.push(client);
  try {
    for await (const r of client.iterate({ query, variables }))
      return r.errors?.map((e) => e.message).join('\n') ?? 'no error';
    return 'no result';
  } catch (e) {
    return Array.isArray(e)
      ? e.map((x: { message: string }) => x.message).join('\n')
      : String((e as Error).message ?? e);
  }
}

const messages = (r: { errors?: { message: string }[] }) =>
  r.errors?.map((e) => e.message).join('\n') ?? 'no error';

describe('issue 6: field suggestions off in production', () => {
  for (const m of MISSPELLED) {
    it(`issue 6: field suggestions off in production: ${m.what} misspelled gets an error without "Did you mean", over HTTP`, async () => {
      const token = await world().token('gz.handler');
      const prod = messages(await gql(production, m.query, m.variables, { token }));
      expect(prod).not.toBe('no error');
      expect(prod).not.toMatch(/did you mean/i);
      expect(prod).not.toContain(`"${m.suggests}"`);
      // The same request outside production: the suggestion is there.
      const dev = messages(await gql(development, m.query, m.variables, { token }));
      expect(dev).toMatch(/Did you mean/);
      expect(dev).toContain(`"${m.suggests}"`);
    });
  }

  it('issue 6: field suggestions off in production: the same over WebSocket', async () => {
    const token = await world().token('gz.handler');
    for (const m of MISSPELLED) {
      const prod = await overSocket(production, token, m.query, m.variables);
      expect(prod, m.what).not.toMatch(/^no (error|result)$/);
      expect(prod, m.what).not.toMatch(/did you mean/i);
      expect(prod, m.what).not.toContain(`"${m.suggests}"`);
    }
    // A subscription's variables are checked when it subscribes, not when it executes.
    const subscription = {
      query: 'subscription ($f: ComplaintEventFilter) { complaintEvents(filter: $f) { cursor } }',
      variables: { f: { severity: ['URGNET'] } },
    };
    const prod = await overSocket(production, token, subscription.query, subscription.variables);
    expect(prod).toMatch(/does not exist in "Severity" enum/);
    expect(prod).not.toMatch(/did you mean|"URGENT"/i);
    expect(
      await overSocket(development, token, subscription.query, subscription.variables),
    ).toMatch(/Did you mean the enum value "URGENT"\?/);
    const dev = await overSocket(development, token, MISSPELLED[0]!.query);
    expect(dev).toMatch(/Did you mean "orgUnit" or "orgUnits"\?/);
  });
});
