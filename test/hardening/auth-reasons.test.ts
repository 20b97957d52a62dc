import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signToken, TOKEN_TTL_SECONDS } from '../../src/auth/tokens.js';
import { type Listening, listen } from '../../src/server/http.js';
import { type LiveClient, waitFor, wsClient } from '../live/support.js';
import { type GqlResult, gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D55 / issue 19: a bad or expired credential is UNAUTHENTICATED like a missing one (HTTP 401, no data), but
 * says which it is in `extensions.reason`, so a client knows to sign in again rather than to add a header.
 */
const world = useWorld();
afterEach(() => world().clock.set(T0));

const ORG_UNITS = '{ orgUnits { code } }';

function refusedWith(res: GqlResult, reason: string) {
  expect(res.status).toBe(401);
  expect('data' in res).toBe(false);
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
}

describe('D55: UNAUTHENTICATED says why', () => {
  it('D55: no credentials: CREDENTIALS_MISSING', async () => {
    refusedWith(await gql(world().app(world().database.db), ORG_UNITS), 'CREDENTIALS_MISSING');
  });

  it('D55: an expired token: TOKEN_EXPIRED, with a message saying so', async () => {
    const w = world();
    const token = await w.token('gz.handler');
    w.clock.advance(TOKEN_TTL_SECONDS * 1000 + 1000);
    const res = await gql(w.app(w.database.db), ORG_UNITS, {}, { token });
    refusedWith(res, 'TOKEN_EXPIRED');
    expect(res.errors![0]!.message).toMatch(/expired/);
  });

  it('D55: a malformed token, a forged signature and another issuer’s token: TOKEN_INVALID', async () => {
    const w = world();
    const app = w.app(w.database.db);
    refusedWith(await gql(app, ORG_UNITS, {}, { token: 'not-a-jwt' }), 'TOKEN_INVALID');
    const forged = await signToken(
      'another-secret-another-secret-another-secret',
      w.staff['gz.handler']!.id,
      w.clock.now(),
    );
    refusedWith(await gql(app, ORG_UNITS, {}, { token: forged }), 'TOKEN_INVALID');
    // A forged token that has also expired is invalid, not expired: expiry is judged only once the signature holds.
    w.clock.advance(TOKEN_TTL_SECONDS * 1000 + 1000);
    refusedWith(await gql(app, ORG_UNITS, {}, { token: forged }), 'TOKEN_INVALID');
  });

  it('D55: a valid token of a user that no longer exists: USER_UNKNOWN; an unknown API key: API_KEY_UNKNOWN', async () => {
    const w = world();
    const app = w.app(w.database.db);
    refusedWith(
      await gql(
        app,
        ORG_UNITS,
        {},
        {
          token: await signToken(
            w.config.jwtSecret,
            '00000000-0000-4000-8000-000000000000',
            w.clock.now(),
          ),
        },
      ),
      'USER_UNKNOWN',
    );
    refusedWith(await gql(app, ORG_UNITS, {}, { apiKey: 'cpk_not-a-key' }), 'API_KEY_UNKNOWN');
  });

  describe('over WebSocket', () => {
    let server: Listening;
    const clients: LiveClient[] = [];
    beforeAll(async () => {
      server = await listen(world().app(world().database.db), { port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => {
      for (const c of clients) await c.dispose();
      await server?.close();
    });

    it('D55: refused credentials close the socket with 4403 and the reason', async () => {
      const w = world();
      const token = await w.token('gz.handler');
      w.clock.advance(TOKEN_TTL_SECONDS * 1000 + 1000);
      for (const [params, reason] of [
        [{ authorization: `Bearer ${token}` }, 'TOKEN_EXPIRED'],
        [{ authorization: 'Bearer nope' }, 'TOKEN_INVALID'],
        [{ apiKey: 'cpk_nope' }, 'API_KEY_UNKNOWN'],
      ] as const) {
        const client = wsClient(server, params);
        clients.push(client);
        void client
          .iterate({ query: '{ __typename }' })
          .next()
          .catch(() => {});
        await waitFor(() => client.closes.length > 0, `the socket with ${reason} to close`);
        expect(client.closes[0]).toEqual({ code: 4403, reason: `Forbidden: ${reason}` });
      }
    });
  });
});
