import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchema } from '../../src/graphql/schema.js';
import { operationCost } from '../../src/server/cost.js';
import { type Listening, listen } from '../../src/server/http.js';
import { type LiveClient, wsClient } from '../live/support.js';
import { gql } from '../support/gql.js';
import { useWorld } from '../support/world.js';

/**
 * D57 / issue 19: the cost limit counts the page size a list will actually have, whether written in the
 * document, given in a variable, or left to a variable's default: before, only a literal `first` counted.
 */
const world = useWorld();

const literal = (n: number) =>
  `{ complaints(first: ${n}) { edges { node { id timeline(first: ${n}) { edges { node { id action at hash } } } } } } }`;
const VARIABLES =
  'query ($n: Int, $m: Int) { complaints(first: $n) { edges { node { id timeline(first: $m) { edges { node { id action at hash } } } } } } }';
const DEFAULTS =
  'query ($n: Int = 100, $m: Int = 100) { complaints(first: $n) { edges { node { id timeline(first: $m) { edges { node { id action at hash } } } } } } }';

let token: string;
let server: Listening;
const clients: LiveClient[] = [];
beforeAll(async () => {
  token = await world().token('gd.agent');
  server = await listen(world().app(world().database.db), { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await server?.close();
});

describe('D57: the cost of page sizes', () => {
  it('D57: the cost is graphql-armor’s for literal page sizes (both limits agree)', async () => {
    const refused = await gql(world().app(world().database.db), literal(100), {}, { token });
    expect(refused.status).toBe(400);
    const found = parseFloat(/found ([\d.]+)/.exec(refused.errors![0]!.message)![1]!);
    expect(operationCost(getSchema(), parse(literal(100)), null, {})).toBeCloseTo(found, 6);
    expect(operationCost(getSchema(), parse(VARIABLES), null, { n: 100, m: 100 })).toBeCloseTo(
      found,
      6,
    );
  });

  it('D57: page sizes given in variables are counted: 100 × 100 is refused before execution, 5 × 5 runs', async () => {
    const app = world().app(world().database.db);
    const refused = await gql(app, VARIABLES, { n: 100, m: 100 }, { token });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(refused.errors?.[0]?.message).toMatch(/^Query Cost limit of 50000 exceeded/);
    expect(refused.data).toBeUndefined();
    const ok = await gql(app, VARIABLES, { n: 5, m: 5 }, { token });
    expect(ok.errors).toBeUndefined();
  });

  it('D57: a variable’s default page size is counted, and a given value overrides it', async () => {
    const app = world().app(world().database.db);
    const refused = await gql(app, DEFAULTS, {}, { token });
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect((await gql(app, DEFAULTS, { n: 2, m: 2 }, { token })).errors).toBeUndefined();
  });

  it('D57: an absent page size counts as the list’s default', () => {
    const absent = operationCost(
      getSchema(),
      parse('{ complaintEvents { edges { node { id } } } }'),
      null,
      {},
    );
    const fifty = operationCost(
      getSchema(),
      parse('{ complaintEvents(first: 50) { edges { node { id } } } }'),
      null,
      {},
    );
    expect(absent).toBe(fifty);
  });

  it('D57: the same over WebSocket', async () => {
    const client = wsClient(server, { authorization: `Bearer ${token}` });
    clients.push(client);
    let message = 'no error';
    try {
      for await (const r of client.iterate({ query: VARIABLES, variables: { n: 100, m: 100 } })) {
        message = r.errors?.[0]?.message ?? 'no error';
        break;
      }
    } catch (e) {
      message = Array.isArray(e) ? String(e[0]?.message) : String((e as Error).message ?? e);
    }
    expect(message).toMatch(/^Query Cost limit of 50000 exceeded/);
  });
});
