import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, rowsOf } from '../../src/db/client.js';
import { verifyAllChains } from '../../src/events/verify.js';
import { engine } from '../support/cases.js';
import { T0, useWorld } from '../support/world.js';

// What `npm run verify:chains` runs (docs/operations.md, "Verifying the audit
// chain"): every case's chain, and the broken ones named by case number.
const world = useWorld();

/** Plays the attacker with database access: the append-only triggers off for the rest of the rolled-back transaction. */
async function disableGuards(db: Db) {
  await db.execute(sql`alter table complaint_events disable trigger complaint_events_append_only`);
  await db.execute(sql`alter table complaint_events disable trigger complaint_events_no_truncate`);
}

describe('verifyAllChains (npm run verify:chains)', () => {
  it('D51: every chain verifies, then a case whose event was altered behind the triggers is named with its first bad event', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const a = await e.investigating('city');
      const b = await e.accepted();
      const before = await verifyAllChains(db);
      expect(before.broken).toEqual([]);
      expect(before.cases).toBeGreaterThanOrEqual(2);
      expect(before.events).toBeGreaterThanOrEqual(6);

      await disableGuards(db);
      const [target] = rowsOf<{ id: string }>(
        await db.execute(
          sql`select id from complaint_events where complaint_id = ${b.id} order by position offset 1 limit 1`,
        ),
      );
      await db.execute(
        sql`update complaint_events set at = at + interval '1 second' where id = ${target!.id}`,
      );
      const heard: string[] = [];
      const after = await verifyAllChains(db, (x) => heard.push(x.number));
      expect(after.broken.map((x) => x.number)).toEqual([b.number]);
      expect(after.broken[0]!.brokenAt.eventId).toBe(target!.id);
      expect(heard).toEqual([b.number]);
      expect(after.broken.map((x) => x.number)).not.toContain(a.number);
    }));
});
