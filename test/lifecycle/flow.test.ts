import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/events/append.js';
import { engine } from '../support/cases.js';
import { T0, useWorld } from '../support/world.js';

const world = useWorld();

describe('the main road through the lifecycle table', () => {
  for (const route of ['city', 'county', 'centre'] as const) {
    it(`D11 D14: a ${route} case goes RECEIVED → … → ARCHIVED with one event per step and a valid chain`, () =>
      world().tx(async (db) => {
        world().clock.set(T0);
        const e = engine(world(), db);
        const closed = await e.closed(route);
        expect(closed.status).toBe('CLOSED');
        const archived = await e.act('gd.agent', 'ARCHIVE', closed, {});
        expect(archived.status).toBe('ARCHIVED');
        const chain = await verifyChain(db, archived.id);
        expect(chain).toEqual({ ok: true, checked: archived.version });
      }));
  }
});
