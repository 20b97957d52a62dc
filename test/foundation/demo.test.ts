import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoComplaints } from '../../demo/complaints.js';
import { seedDemo } from '../../demo/org.js';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { loadStaffViewer } from '../../src/auth/viewer.js';
import { ManualClock } from '../../src/config/clock.js';
import { testConfig } from '../../src/config/index.js';
import { rowsOf } from '../../src/db/client.js';
import { loadPlugins } from '../../src/domain/lines.js';
import { createPartner, ensureBootstrapAdmin } from '../../src/domain/org.js';
import { verifyChain } from '../../src/events/append.js';
import type { Services } from '../../src/graphql/context.js';
import { openTestDatabase, rollback, type TestDatabase } from '../support/db.js';
import { T0 } from '../support/world.js';

/**
 * The demo data set (`npm start` on an empty embedded database): the org
 * tree, one user per role, a partner, and complaints driven through the
 * lifecycle engine, not inserted raw.
 */
let database: TestDatabase;
let services: Services;
let dir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'demo-'));
  const config = testConfig({ dataDir: dir });
  services = {
    config,
    clock: new ManualClock(T0),
    database,
    db: database.db,
    lines: await loadPlugins(),
  };
  await ensureBootstrapAdmin(database.db, config.admin.username, config.admin.password);
  await seedDemo(services);
}, 120_000);
afterAll(async () => {
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('D41 with a single province', () => {
  it('D41: createPartner without provinceId takes the only province', async () => {
    const [admin] = rowsOf<{ id: string }>(
      await database.db.execute(sql`select id from users where username = 'admin'`),
    );
    const viewer = (await loadStaffViewer(database.db, admin!.id, null))!;
    await rollback(database.db, async (tx) => {
      const { partner } = await createPartner(tx, defineAbilityFor(viewer), {
        name: 'Unicom GD',
        carrierCode: 'CU-GD',
        provinceId: null,
      });
      const [gd] = rowsOf<{ id: string }>(
        await tx.execute(sql`select id from org_units where code = 'GD'`),
      );
      expect(partner.provinceId).toBe(gd!.id);
    });
  });
});

describe('demo data', () => {
  it('seeds complaints through the engine: many states, lines and units, each with a verifiable chain, and only once', {
    timeout: 120_000,
  }, async () => {
    const told: number[] = [];
    const n = await seedDemoComplaints(services, {
      count: 50,
      now: T0,
      onStart: (c) => told.push(c),
    });
    expect(told).toEqual([50]); // said before seeding, once
    expect(n).toBeGreaterThan(40);
    const states = rowsOf<{ status: string }>(
      await database.db.execute(sql`select distinct status::text as status from complaints`),
    ).map((r) => r.status);
    expect(states.length).toBeGreaterThanOrEqual(5);
    expect(states).toEqual(expect.arrayContaining(['RECEIVED', 'INVESTIGATING', 'ARCHIVED']));
    const lines = rowsOf<{ l: string }>(
      await database.db.execute(
        sql`select distinct business_line as l from complaints where business_line is not null`,
      ),
    );
    expect(lines.length).toBeGreaterThanOrEqual(4);
    // Cases went to every level: cities, the centre, and counties by delegation.
    const levels = rowsOf<{ l: string }>(
      await database.db.execute(
        sql`select distinct u.level::text as l from assignments a join org_units u on u.id = a.to_unit_id`,
      ),
    ).map((r) => r.l);
    expect(levels).toEqual(expect.arrayContaining(['CITY', 'COUNTY', 'CENTER']));
    // Driven through the engine: every case has a REGISTER event first and a valid chain, version = events.
    const cases = rowsOf<{ id: string; version: number; events: number }>(
      await database.db.execute(
        sql`select c.id, c.version, (select count(*)::int from complaint_events e where e.complaint_id = c.id and e.action not like 'SLA_%') as events from complaints c`,
      ),
    );
    for (const c of cases) {
      expect(c.events).toBe(c.version);
      expect((await verifyChain(database.db, c.id)).ok).toBe(true);
    }
    // DOMAIN §10 (D70-D74, D78): every kind, played through the engine like the rest.
    const kinds = rowsOf<{ k: string }>(
      await database.db.execute(sql`select distinct kind::text as k from complaints`),
    ).map((r) => r.k);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'COMPLAINT',
        'CONSULTATION',
        'QUERY',
        'BUSINESS_REQUEST',
        'FAULT_REPORT',
      ]),
    );
    const [centre] = rowsOf<Record<string, number>>(
      await database.db.execute(sql`select
        (select count(*)::int from complaint_events where action = 'ANSWER_CONTACT') as answered,
        (select count(*)::int from complaint_events where action = 'FORWARD_CONTACT') as forwarded,
        (select count(*)::int from complaints where converted_from_id is not null) as converted,
        (select count(*)::int from sla_clocks where kind = 'REPAIR' and state = 'MET') as repaired,
        (select count(*)::int from complaints c where c.supervisor_id is not null and exists (select 1 from sla_clocks k where k.complaint_id = c.id
           and k.kind = 'PROGRESS' and k.stopped_at is null and k.due_at < ${T0.toISOString()}::timestamptz)) as overdue_progress,
        (select count(*)::int from complaints where transferred_by is not null and transfer_feedback_at is not null) as fed_back,
        (select count(*)::int from complaints where transferred_by is not null and transfer_feedback_at is null) as feedback_owed,
        (select count(*)::int from extensions where status = 'APPROVED') as extended,
        (select count(*)::int from complaints where promised_at is not null) as promised`),
    );
    for (const [what, count] of Object.entries(centre!)) expect(count, what).toBeGreaterThan(0);
    // A second start seeds nothing more.
    expect(
      await seedDemoComplaints(services, { count: 50, now: T0, onStart: (c) => told.push(c) }),
    ).toBe(0);
    expect(told).toEqual([50]); // nothing to seed the second time: nothing said
  });
});
