import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { CountTimeout, countComplaints } from '../../src/domain/complaint-list.js';
import { engine } from '../support/cases.js';
import { onPostgres } from '../support/db.js';
import { useWorld } from '../support/world.js';

/**
 * Issue 25: `totalCount` for a filter no index serves is bounded by a statement timeout of its own
 * (COUNT_TIMEOUT_MS) and answered with a clear error, not an unbounded scan.
 */
const world = useWorld();

describe('count timeout (issue 25)', () => {
  it('a count within its time answers the count, and leaves the setting as it was', () =>
    world().tx(async (db) => {
      const e = engine(world(), db);
      await e.register('gd.agent');
      await e.register('gd.agent');
      const setting = async () =>
        rowsOf<{ t: string }>(
          await db.execute(sql`select current_setting('statement_timeout') as t`),
        )[0]!.t;
      const before = await setting();
      expect(await countComplaints(db, sql`true`, { timeoutMs: 5000 })).toBe(
        await countComplaints(db, sql`true`),
      );
      expect(await setting()).toBe(before);
    }));

  it.skipIf(!onPostgres)(
    'a count that runs past its time is cut off and answered as CountTimeout naming the limit (PostgreSQL)',
    () =>
      world().tx(async (db) => {
        await engine(world(), db).register('gd.agent');
        // A filter that takes 300 ms per row: far past a 50 ms limit.
        const slow = sql`pg_sleep(0.3) is not null`;
        const err = await countComplaints(db, slow, { timeoutMs: 50 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(CountTimeout);
        expect((err as CountTimeout).message).toMatch(/longer than 50 ms/);
      }),
  );
});
