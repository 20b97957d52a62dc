import { afterAll, beforeAll } from 'vitest';
import { signToken } from '../../src/auth/tokens.js';
import { type Instance, startInstance, stopInstance } from '../support/instances.js';
import type { World } from '../support/world.js';
import { type LiveClient, wsClient } from './support.js';

/**
 * Two server processes (test/live/instance.ts) on the file's PostgreSQL database, started before
 * the enclosing describe's tests and stopped after them, with the graphql-ws clients opened to them.
 */
export function useTwoInstances(world: () => World) {
  const up: { a?: Instance; b?: Instance } = {};
  const clients: LiveClient[] = [];
  beforeAll(async () => {
    const w = world();
    [up.a, up.b] = await Promise.all([
      startInstance(w.database.url!, w.config),
      startInstance(w.database.url!, w.config),
    ]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all([stopInstance(up.a), stopInstance(up.b)]);
  });
  return {
    get a() {
      return up.a!;
    },
    get b() {
      return up.b!;
    },
    /** The instances run on the system clock: a fixture user's token is signed now. */
    token: (username: string) =>
      signToken(world().config.jwtSecret, world().staff[username]!.id, new Date()),
    /** A graphql-ws client of `at` signed in with `token`, disposed after the tests. */
    connect(at: Instance, token: string) {
      const client = wsClient(at.url, { authorization: `Bearer ${token}` });
      clients.push(client);
      return client;
    },
  };
}
