import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, rowsOf } from '../../src/db/client.js';
import { engine } from '../support/cases.js';
import { onPostgres } from '../support/db.js';
import { T0, useWorld } from '../support/world.js';

/**
 * Issue 25 (P6): the round trips of the writes, counted on the Database's
 * `statements` counter (every statement drizzle sends, inside transactions
 * too; here, inside the test's rolled-back transaction, each change's own
 * transaction is a savepoint: two of the counted statements, SAVEPOINT and
 * RELEASE, which are BEGIN and COMMIT in production and not counted there).
 * Before the issue a registration took 11 statements of its own, an accept
 * 11 and a dispatch 13 (`npm run bench:writes` prints them); these
 * bounds keep what was removed from coming back: the counter and number in
 * one statement with the case's insert, its clocks and the hotspot minute's count (the case written
 * once, numbered), the event in one, the REGISTER clock started stopped, the
 * calendar read only for working-day budgets, the repeat check inside the
 * case's own insert or update, due_at inside the version update.
 */
const world = useWorld();

/** SAVEPOINT and RELEASE of the change's transaction nested in the test's, and its `set local plan_cache_mode`
 * (`keepPlans`: a statement, but no table read or written, and it saves planning every other one). */
const FRAME = 3;

async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; statements: number }> {
  const before = world().database.statements.count;
  const value = await fn();
  return { value, statements: world().database.statements.count - before };
}

describe('issue 25: statements per write', () => {
  it("P6: a write's transaction keeps its statements' plans (keepPlans)", async () => {
    const w = world();
    w.clock.set(T0);
    const mode = async (db: Db) =>
      rowsOf<{ plan_cache_mode: string }>(await db.execute(sql`show plan_cache_mode`))[0]!
        .plan_cache_mode;
    // the connections' own setting: custom plans on PostgreSQL (src/db/client.ts), PGlite's default on PGlite
    const outside = await mode(w.database.db);
    expect(outside).toBe(onPostgres ? 'force_custom_plan' : 'auto');
    await w.tx(async (db) => {
      const e = engine(w, db);
      // the change's transaction is a savepoint here, and a SET LOCAL lasts to the end of the test's transaction:
      // each write starts from the connections' setting, forced for the test on PGlite too
      const custom = () => db.execute(sql`set local plan_cache_mode = force_custom_plan`);
      await custom();
      const c = await e.register('gd.agent');
      expect(await mode(db)).toBe('auto'); // the registration's transaction
      await custom();
      expect(await mode(db)).toBe('force_custom_plan');
      await e.act('gd.agent', 'ACCEPT', c, {
        businessLine: 'mobile',
        category: 'NETWORK_TECHNICAL',
        severity: 'ORDINARY',
      });
      expect(await mode(db)).toBe('auto'); // the engine's
    });
  });

  it("D5 D56 D76: a registration is at most 4 statements of its own (province, the hotspot key's unit, the numbered case with its clocks, counter and hotspot minute, event)", async () => {
    const w = world();
    w.clock.set(T0);
    await w.tx(async (db) => {
      const e = engine(w, db);
      await e.register('gd.agent'); // the first may prepare what the next reuses
      const { value, statements } = await counted(() => e.register('gd.agent'));
      expect(value.number).toMatch(/^GD20261123\d{6}$/);
      expect(statements - FRAME).toBeLessThanOrEqual(4);
    });
  });

  it('D8 D31 D56: an accept is at most 6 statements of its own (the calendar known), a dispatch at most 8', async () => {
    const w = world();
    w.clock.set(T0);
    await w.tx(async (db) => {
      const e = engine(w, db);
      await e.accepted(); // the calendar is read once per process (then only its revision)
      const c = await e.register('gd.agent');
      const accepted = await counted(() =>
        e.act('gd.agent', 'ACCEPT', c, {
          businessLine: 'mobile',
          category: 'NETWORK_TECHNICAL',
          severity: 'ORDINARY',
        }),
      );
      expect(accepted.value.status).toBe('ACCEPTED');
      expect(accepted.statements - FRAME).toBeLessThanOrEqual(6);
      const dispatched = await counted(() =>
        e.act('gd.agent', 'DISPATCH', accepted.value, {
          toUnitId: w.units['GD-GZ']!.id,
          deadline: e.deadline(),
        }),
      );
      expect(dispatched.value.status).toBe('DISPATCHED');
      expect(dispatched.statements - FRAME).toBeLessThanOrEqual(8);
    });
  });

  it('D31: the repeat check still counts a second complaint of the same customer and line within 30 days', async () => {
    const w = world();
    w.clock.set(T0);
    await w.tx(async (db) => {
      const e = engine(w, db);
      const input = {
        businessLine: 'mobile',
        category: 'NETWORK_TECHNICAL',
        severity: 'ORDINARY',
      } as const;
      const first = await e.act(
        'gd.agent',
        'ACCEPT',
        await e.register('gd.agent', { customer: { name: '王伟', phone: '13900001111' } }),
        input,
      );
      w.clock.advance(24 * 60 * 60 * 1000);
      const second = await e.act(
        'gd.agent',
        'ACCEPT',
        await e.register('gd.agent', { customer: { name: '王伟', phone: '13900001111' } }),
        input,
      );
      const other = await e.act(
        'gd.agent',
        'ACCEPT',
        await e.register('gd.agent', { customer: { name: '李娜', phone: '13900002222' } }),
        input,
      );
      expect([first.isRepeat, second.isRepeat, other.isRepeat]).toEqual([false, true, false]);
    });
  });
});
