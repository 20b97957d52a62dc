import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { type Db, rowsOf } from '../../src/db/client.js';
import {
  CHAIN_VERIFY_LOCK,
  startChainVerification,
  verifyChainsIfDue,
} from '../../src/events/verify-schedule.js';
import { refreshGauges } from '../../src/server/gauges.js';
import { engine } from '../support/cases.js';
import { onPostgres } from '../support/db.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

// Issue 26: every case's event chain verified on a schedule (D51, D56), one instance at a time; the last
// result is stored, in /metrics, in a log line, and readable by ADMINs and AUDITORs over the API.
const world = useWorld();

const QUERY = `{ chainVerification { lastRunAt finishedAt checked events broken { complaint { id number } number position eventId reason } } }`;

/** Plays the attacker with database access: one event of `complaintId` altered behind the append-only triggers (rolled back with the test). */
async function tamper(db: Db, complaintId: string): Promise<string> {
  await db.execute(sql`alter table complaint_events disable trigger complaint_events_append_only`);
  const [target] = rowsOf<{ id: string }>(
    await db.execute(
      sql`select id from complaint_events where complaint_id = ${complaintId} order by position offset 1 limit 1`,
    ),
  );
  await db.execute(
    sql`update complaint_events set at = at + interval '1 second' where id = ${target!.id}`,
  );
  return target!.id;
}

const HOUR = 3_600_000;

describe('scheduled chain verification', () => {
  it('D51, D56: a run stores what it checked and the broken case; an AUDITOR and an ADMIN read it, others are refused; /metrics has it', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const app = world().app(db);
      const auditor = await world().token('gd.auditor');
      const none = await gql(app, QUERY, {}, { token: auditor });
      expect(none.errors).toBeUndefined();
      expect(none.data.chainVerification).toBeNull(); // before the first run

      const e = engine(world(), db);
      const a = await e.accepted();
      const b = await e.accepted();
      const eventId = await tamper(db, b.id);
      const out = await verifyChainsIfDue(
        { kind: world().database.kind, db },
        world().clock,
        24 * HOUR,
      );
      expect('ran' in out && out.ran.broken.map((x) => x.number)).toEqual([b.number]);

      const seen = await gql(app, QUERY, {}, { token: auditor });
      expect(seen.errors).toBeUndefined();
      const v = seen.data.chainVerification;
      expect(new Date(v.lastRunAt).getTime()).toBe(T0.getTime());
      expect(v.checked).toBeGreaterThanOrEqual(2);
      expect(v.events).toBeGreaterThan(0);
      expect(v.broken).toHaveLength(1);
      expect(v.broken[0]).toMatchObject({
        number: b.number,
        eventId,
        complaint: { number: b.number },
      });
      expect(v.broken[0].reason).toMatch(/hash/);
      expect(v.broken.map((x: { number: string }) => x.number)).not.toContain(a.number);

      // An ADMIN reads the result, but no case through it (ADMIN grants read no cases, D54).
      const admin = await gql(app, QUERY, {}, { token: await world().token('gd.admin') });
      expect(admin.errors).toBeUndefined();
      expect(admin.data.chainVerification.broken[0]).toMatchObject({
        number: b.number,
        complaint: null,
      });

      for (const auth of [
        { token: await world().token('gd.agent') },
        { token: await world().token('gd.duty') },
        { apiKey: world().partnerKey },
      ]) {
        const r = await gql(app, QUERY, {}, auth);
        expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }

      const metrics = app.metrics;
      await refreshGauges(world().services(db), metrics);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(
        new RegExp(
          `^event_chain_verification_last_run_timestamp_seconds ${T0.getTime() / 1000}$`,
          'm',
        ),
      );
      expect(text).toMatch(/^event_chain_verification_broken_cases 1$/m);
    }));

  it('D51: a run is due only when none started within the interval', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const database = { kind: world().database.kind, db };
      expect('ran' in (await verifyChainsIfDue(database, world().clock, 24 * HOUR))).toBe(true);
      world().clock.advance(23 * HOUR);
      expect(await verifyChainsIfDue(database, world().clock, 24 * HOUR)).toEqual({
        skipped: 'recent',
      });
      world().clock.advance(2 * HOUR);
      const again = await verifyChainsIfDue(database, world().clock, 24 * HOUR);
      expect('ran' in again && again.ran.startedAt.getTime()).toBe(T0.getTime() + 25 * HOUR);
    }));

  it.skipIf(!onPostgres)(
    'D51: while another instance holds the verification lock, a run skips at once (no wait, nothing stored)',
    async () => {
      const { database, clock } = world();
      let release!: () => void;
      let held!: () => void;
      const holding = new Promise<void>((r) => (held = r));
      const holder = database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_VERIFY_LOCK}::bigint)`);
        held();
        await new Promise<void>((r) => (release = r));
      });
      await holding;
      try {
        const count = async () =>
          rowsOf<{ n: number }>(
            await database.db.execute(sql`select count(*)::int as n from chain_verifications`),
          )[0]!.n;
        const before = await count();
        expect(await verifyChainsIfDue(database, clock, 24 * HOUR)).toEqual({ skipped: 'locked' });
        expect(await count()).toBe(before);
      } finally {
        release();
        await holder;
      }
    },
  );

  it('the scheduler runs a due verification and logs one line (and one per broken chain); interval 0 starts nothing', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const b = await engine(world(), db).accepted();
      await tamper(db, b.id);
      const lines: { level: string; o: Record<string, unknown>; msg: string }[] = [];
      const logger = {
        info: (o: object, msg: string) =>
          lines.push({ level: 'info', o: o as Record<string, unknown>, msg }),
        warn: (o: object, msg: string) =>
          lines.push({ level: 'warn', o: o as Record<string, unknown>, msg }),
        error: (o: object, msg: string) =>
          lines.push({ level: 'error', o: o as Record<string, unknown>, msg }),
      };
      const database = { kind: world().database.kind, db };
      expect(
        startChainVerification({ database, clock: world().clock, intervalHours: 0, logger }),
      ).toBeNull();
      const job = startChainVerification({
        database,
        clock: world().clock,
        intervalHours: 24,
        logger,
        firstCheckMs: 1,
        checkEveryMs: 60_000,
      })!;
      for (let i = 0; i < 500 && !lines.some((l) => l.msg === 'event chains verified'); i++)
        await new Promise((r) => setTimeout(r, 20));
      await job.stop();
      expect(lines.find((l) => l.msg === 'event chain broken')?.o).toMatchObject({
        complaint: b.number,
      });
      const done = lines.find((l) => l.msg === 'event chains verified')!;
      expect(done.level).toBe('warn');
      expect(done.o).toMatchObject({ broken: 1 });
      // The case number and where its chain broke: nothing of the customer's.
      expect(Object.keys(lines.find((l) => l.msg === 'event chain broken')!.o).sort()).toEqual([
        'complaint',
        'eventId',
        'position',
        'reason',
      ]);
    }));

  it('CHAIN_VERIFY_INTERVAL_HOURS: 24 by default, 0 turns it off, negative is refused', () => {
    const server = {
      DATABASE_URL: 'postgres://a:b@h/db',
      JWT_SECRET: 'x'.repeat(40),
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: 'root-password-1',
    };
    expect(loadConfig(server).chainVerifyIntervalHours).toBe(24);
    expect(
      loadConfig({ ...server, CHAIN_VERIFY_INTERVAL_HOURS: '0' }).chainVerifyIntervalHours,
    ).toBe(0);
    expect(() => loadConfig({ ...server, CHAIN_VERIFY_INTERVAL_HOURS: '-1' })).toThrow(ConfigError);
  });
});
