import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, openPostgres, rowsOf } from '../../src/db/client.js';
import { complaints, escalations, supervisionNotes } from '../../src/db/schema.js';
import { verifyChain } from '../../src/events/append.js';
import { scanAll, scanOnce } from '../../src/sla/scanner.js';
import { type Engine, engine, MOBILE } from '../support/cases.js';
import { onPostgres, openTestDatabase } from '../support/db.js';
import { gql } from '../support/gql.js';
import { buildWorld, T0, useWorld } from '../support/world.js';
import { clockOf, DAY, eventsOf, HOUR, served, sh } from './helpers.js';

/**
 * D21, D22: the scanner turns passed warning (80 %) and due times into
 * SLA_WARNING / SLA_BREACH events, once per clock and threshold, and
 * escalates a breached RESOLVE of a MAJOR or URGENT case (D13). Time is the
 * `now` handed to scanOnce/scanAll, never a sleep. Each test runs in a
 * rolled-back transaction at T0 (Mon 2026-11-23 10:00 +08:00); the fixture
 * world holds no clock, so a scan sees exactly the test's cases.
 */

const world = useWorld();

const run = (fn: (e: Engine, db: Db) => Promise<void>) => () =>
  world().tx(async (db) => {
    world().clock.set(T0);
    await fn(engine(world(), db), db);
  });

const NONE = { warnings: 0, breaches: 0, escalated: 0 };

/** The SLA events of a case, as (action, clock) pairs in commit order. */
async function alerts(db: Db, id: string) {
  return (await eventsOf(db, id))
    .filter((ev) => ev.action.startsWith('SLA_'))
    .map((ev) => [ev.action, (ev.payload as { clock: string }).clock]);
}

describe('scanOnce / scanAll: one alert per clock and threshold', () => {
  it(
    'nothing before 80 %; one SLA_WARNING at 80 %, one SLA_BREACH at 100 %, never twice on rescans',
    run(async (e, db) => {
      const c = await e.register(); // ACCEPT due Tue 11-24 10:00, warning at 05:12
      const warnAt = sh('2026-11-24 05:12');
      expect(await scanAll(db, new Date(warnAt.getTime() - 1))).toEqual(NONE);
      expect(await clockOf(db, c.id, 'ACCEPT')).toMatchObject({
        warned: false,
        breached: false,
        state: 'RUNNING',
      });

      expect(await scanAll(db, warnAt)).toEqual({ warnings: 1, breaches: 0, escalated: 0 });
      expect(await clockOf(db, c.id, 'ACCEPT')).toMatchObject({
        warned: true,
        breached: false,
        state: 'WARNING',
      });
      expect(await scanAll(db, warnAt)).toEqual(NONE);
      expect(await scanAll(db, sh('2026-11-24 09:59'))).toEqual(NONE);

      expect(await scanAll(db, sh('2026-11-24 10:00'))).toEqual({
        warnings: 0,
        breaches: 1,
        escalated: 0,
      });
      expect(await clockOf(db, c.id, 'ACCEPT')).toMatchObject({
        warned: true,
        breached: true,
        state: 'BREACHED',
        stoppedAt: null,
      });
      expect(await scanAll(db, sh('2026-11-24 10:00'))).toEqual(NONE);
      expect(await scanAll(db, sh('2026-11-25 10:00'))).toEqual(NONE); // ANSWER warns only on 12-05

      const events = await eventsOf(db, c.id);
      expect(events.map((ev) => ev.action)).toEqual(['REGISTER', 'SLA_WARNING', 'SLA_BREACH']);
      // D56: system events have no actor and keep the state; the payload names the clock and its due time.
      for (const [ev, when] of [
        [events[1]!, warnAt],
        [events[2]!, sh('2026-11-24 10:00')],
      ] as const) {
        expect(ev).toMatchObject({
          actorUserId: null,
          actorPartnerId: null,
          fromStatus: 'RECEIVED',
          toStatus: 'RECEIVED',
          at: when,
          payload: { clock: 'ACCEPT', dueAt: served('2026-11-24 10:00') },
        });
        expect(Object.keys(ev.payload!).sort()).toEqual(['clock', 'dueAt']);
      }
      expect(await verifyChain(db, c.id)).toEqual({ ok: true, checked: 3 });
    }),
  );

  it(
    'a deadline that passed while no scanner ran is alerted on the next run: WARNING then BREACH per clock, then nothing',
    run(async (e, db) => {
      const c = await e.accepted(); // at T0
      // Due: INITIAL_INVESTIGATION 11-25 10:00, INITIAL_RESULT 11-26 10:00, ANSWER 12-08 10:00,
      // RESOLVE 12-15 00:00 (warning at 80 % of 518 h = 414 h 24 min → 12-10 16:24), CLOSE 2027-01-05
      // (warning 12-27 11:36). First scan on 12-13 10:00: four warnings, three breaches.
      const now = sh('2026-12-13 10:00');
      expect(await scanAll(db, now)).toEqual({ warnings: 4, breaches: 3, escalated: 0 });
      expect(await alerts(db, c.id)).toEqual([
        ['SLA_WARNING', 'INITIAL_INVESTIGATION'],
        ['SLA_BREACH', 'INITIAL_INVESTIGATION'],
        ['SLA_WARNING', 'INITIAL_RESULT'],
        ['SLA_BREACH', 'INITIAL_RESULT'],
        ['SLA_WARNING', 'ANSWER'],
        ['SLA_BREACH', 'ANSWER'],
        ['SLA_WARNING', 'RESOLVE'],
      ]);
      for (const ev of (await eventsOf(db, c.id)).slice(2)) {
        expect(ev).toMatchObject({
          at: now,
          actorUserId: null,
          fromStatus: 'ACCEPTED',
          toStatus: 'ACCEPTED',
        });
      }
      expect(
        (await eventsOf(db, c.id)).find(
          (ev) =>
            ev.action === 'SLA_WARNING' && (ev.payload as { clock: string }).clock === 'RESOLVE',
        )!.payload,
      ).toEqual({
        clock: 'RESOLVE',
        dueAt: served('2026-12-15 00:00'),
      });
      expect(await scanAll(db, now)).toEqual(NONE);
      expect(await scanAll(db, sh('2026-12-15 00:00'))).toEqual({
        warnings: 0,
        breaches: 1,
        escalated: 0,
      }); // RESOLVE; ORDINARY: no escalation
      expect(await e.reload(c)).toMatchObject({ escalationLevel: 0 });
      expect(await db.select().from(escalations).where(eq(escalations.complaintId, c.id))).toEqual(
        [],
      );
      expect(await scanAll(db, sh('2027-01-05 00:00'))).toEqual({
        warnings: 1,
        breaches: 1,
        escalated: 0,
      }); // CLOSE
      expect(await scanAll(db, sh('2027-06-01 00:00'))).toEqual(NONE);
      expect(await verifyChain(db, c.id)).toMatchObject({ ok: true, checked: 2 + 7 + 1 + 2 });
    }),
  );

  it(
    'passes of a limited batch share the work; the chain stays valid with scanner and user events interleaved',
    run(async (e, db) => {
      const a = await e.register();
      const b = await e.register();
      world().clock.advance(HOUR);
      const now = sh('2026-11-24 12:00'); // both ACCEPT clocks: warning and breach due
      expect(await scanOnce(db, now, 1)).toEqual({ warnings: 1, breaches: 1, escalated: 0 });
      expect(await scanOnce(db, now, 1)).toEqual({ warnings: 1, breaches: 1, escalated: 0 });
      expect(await scanOnce(db, now, 1)).toEqual(NONE);
      world().clock.set(now);
      await e.act('gd.agent', 'ACCEPT', a, MOBILE); // after the scanner's events: the chain continues from them
      expect(await clockOf(db, a.id, 'ACCEPT')).toMatchObject({
        state: 'MISSED',
        warned: true,
        breached: true,
      });
      world().clock.set(sh('2026-11-26 12:00'));
      await e.act('gd.agent', 'CONTACT_CUSTOMER', a, { method: 'PHONE', content: 'On it' });
      expect(await scanAll(db, sh('2026-11-26 12:00'))).toEqual({
        warnings: 1,
        breaches: 1,
        escalated: 0,
      }); // a's INITIAL_INVESTIGATION
      for (const c of [a, b]) expect((await verifyChain(db, c.id)).ok).toBe(true);
      expect((await eventsOf(db, a.id)).map((ev) => ev.action)).toEqual([
        'REGISTER',
        'SLA_WARNING',
        'SLA_BREACH',
        'ACCEPT',
        'CONTACT_CUSTOMER',
        'SLA_WARNING',
        'SLA_BREACH',
      ]);
    }),
  );

  it(
    'stopped clocks are never alerted; paused ones not while paused, and after resuming at their moved times',
    run(async (e, db) => {
      const stopped = await e.register();
      world().clock.advance(HOUR);
      await e.act('gd.agent', 'ACCEPT', stopped, MOBILE); // ACCEPT stopped before its warning
      const paused = await e.register(); // 11:00: ACCEPT due 11-24 11:00, warning 06:12
      world().clock.set(sh('2026-11-23 12:00'));
      await e.act('gd.agent', 'SUSPEND', paused, { note: 'Waiting for the customer' });

      // Nothing is due: `stopped`'s earliest warning is its INITIAL_INVESTIGATION's, 11-25 01:24.
      expect(await scanAll(db, sh('2026-11-24 23:00'))).toEqual(NONE);
      expect(await alerts(db, paused.id)).toEqual([]);
      expect((await alerts(db, stopped.id)).filter(([, k]) => k === 'ACCEPT')).toEqual([]);

      // Resumed after 35 h paused: ACCEPT now due 11-25 22:00, warning 11-25 17:12.
      world().clock.set(sh('2026-11-24 23:00'));
      await e.act('gd.agent', 'RESUME', paused, {});
      expect(await clockOf(db, paused.id, 'ACCEPT')).toMatchObject({
        dueAt: sh('2026-11-25 22:00'),
        warnAt: sh('2026-11-25 17:12'),
      });
      await scanAll(db, sh('2026-11-25 17:11'));
      expect(await alerts(db, paused.id)).toEqual([]);
      await scanAll(db, sh('2026-11-25 17:12'));
      expect(await alerts(db, paused.id)).toEqual([['SLA_WARNING', 'ACCEPT']]);

      // Warned, then paused: no breach while paused; the breach comes at the due time moved by the pause.
      world().clock.set(sh('2026-11-25 18:00'));
      await e.act('gd.agent', 'SUSPEND', paused, { note: 'Waiting again' });
      await scanAll(db, sh('2026-11-26 12:00'));
      expect(await alerts(db, paused.id)).toEqual([['SLA_WARNING', 'ACCEPT']]);
      world().clock.set(sh('2026-11-26 12:00'));
      await e.act('gd.agent', 'RESUME', paused, {}); // 18 h paused: due 11-26 16:00
      expect(await clockOf(db, paused.id, 'ACCEPT')).toMatchObject({
        dueAt: sh('2026-11-26 16:00'),
        state: 'WARNING',
      });
      await scanAll(db, sh('2026-11-26 15:59'));
      expect(await alerts(db, paused.id)).toEqual([['SLA_WARNING', 'ACCEPT']]);
      await scanAll(db, sh('2026-11-26 16:00'));
      expect(await alerts(db, paused.id)).toEqual([
        ['SLA_WARNING', 'ACCEPT'],
        ['SLA_BREACH', 'ACCEPT'],
      ]);
      expect((await verifyChain(db, paused.id)).ok).toBe(true);
    }),
  );
});

describe('D13: a breached RESOLVE of a MAJOR or URGENT case escalates it', () => {
  it(
    'MAJOR: level +1, an approved escalations row and a supervision note, once; the breach event carries the new level',
    run(async (e, db) => {
      const c = await e.accepted({}, 'mobile', 'MAJOR'); // RESOLVE due 12-15 00:00
      // Other clocks breaching (INITIAL_INVESTIGATION, ANSWER…) do not escalate.
      expect(await scanAll(db, sh('2026-12-14 23:59'))).toMatchObject({ escalated: 0 });
      expect(await e.reload(c)).toMatchObject({ escalationLevel: 0 });

      const now = sh('2026-12-15 00:00');
      expect(await scanAll(db, now)).toEqual({ warnings: 0, breaches: 1, escalated: 1 });
      expect(await e.reload(c)).toMatchObject({
        escalationLevel: 1,
        escalationPending: false,
        status: 'ACCEPTED',
      });
      const [esc, ...moreEsc] = await db
        .select()
        .from(escalations)
        .where(eq(escalations.complaintId, c.id));
      expect(moreEsc).toEqual([]);
      expect(esc).toMatchObject({
        requestedBy: null,
        requestedAt: now,
        decidedBy: null,
        decidedAt: now,
        approved: true,
      });
      expect(esc!.note).toContain('RESOLVE');
      expect(esc!.note).toContain(served('2026-12-15 00:00'));
      const notes = await db
        .select()
        .from(supervisionNotes)
        .where(eq(supervisionNotes.complaintId, c.id));
      expect(notes).toEqual([
        expect.objectContaining({ byUserId: expect.any(String), at: now, note: esc!.note }),
      ]);
      const breach = (await eventsOf(db, c.id)).at(-1)!;
      expect(breach).toMatchObject({
        action: 'SLA_BREACH',
        actorUserId: null,
        payload: { clock: 'RESOLVE', dueAt: served('2026-12-15 00:00'), escalationLevel: 1 },
      });

      expect(await scanAll(db, now)).toEqual(NONE);
      await scanAll(db, sh('2026-12-31 00:00')); // CLOSE warns; nothing escalates again
      expect(await e.reload(c)).toMatchObject({ escalationLevel: 1 });
      expect(
        await db.select().from(escalations).where(eq(escalations.complaintId, c.id)),
      ).toHaveLength(1);
      expect(
        await db.select().from(supervisionNotes).where(eq(supervisionNotes.complaintId, c.id)),
      ).toHaveLength(1);
      expect((await verifyChain(db, c.id)).ok).toBe(true);
    }),
  );

  it(
    'URGENT, already escalated once by hand: the breach takes it to level 2; ORDINARY is never escalated',
    run(async (e, db) => {
      const urgent = await e.accepted({}, 'mobile', 'URGENT');
      await e.act('gd.legal', 'ESCALATE', urgent, { note: 'Outage across the district' }); // approved at once (D53)
      expect(await e.reload(urgent)).toMatchObject({ escalationLevel: 1 });
      const ordinary = await e.accepted({}, 'mobile', 'ORDINARY');

      expect(await scanAll(db, sh('2026-12-15 00:00'))).toMatchObject({ escalated: 1 });
      expect(await e.reload(urgent)).toMatchObject({ escalationLevel: 2 });
      expect((await eventsOf(db, urgent.id)).at(-1)!.payload).toEqual({
        clock: 'RESOLVE',
        dueAt: served('2026-12-15 00:00'),
        escalationLevel: 2,
      });
      expect(
        await db.select().from(escalations).where(eq(escalations.complaintId, urgent.id)),
      ).toHaveLength(2);

      expect(await e.reload(ordinary)).toMatchObject({ escalationLevel: 0 });
      expect(
        await db.select().from(escalations).where(eq(escalations.complaintId, ordinary.id)),
      ).toEqual([]);
      expect(
        await db
          .select()
          .from(supervisionNotes)
          .where(eq(supervisionNotes.complaintId, ordinary.id)),
      ).toEqual([]);
      expect((await eventsOf(db, ordinary.id)).at(-1)!.payload).toEqual({
        clock: 'RESOLVE',
        dueAt: served('2026-12-15 00:00'),
      });
    }),
  );

  it(
    'a RESOLVE stopped before its due, or paused over it, does not escalate',
    run(async (e, db) => {
      const onSpot = await e.accepted({}, 'mobile', 'MAJOR');
      await e.act('gd.agent', 'RESOLVE_ON_SPOT', onSpot, {
        answer: 'Explained the tariff on the phone.',
      }); // RESOLVE stopped, MET
      const c = await e.accepted({}, 'mobile', 'URGENT');
      await e.act('gd.agent', 'SUSPEND', c, { note: 'Waiting for the customer' });
      expect(await scanAll(db, sh('2027-01-10 00:00'))).toMatchObject({ escalated: 0 });
      expect(await alerts(db, onSpot.id)).toEqual([
        ['SLA_WARNING', 'CLOSE'],
        ['SLA_BREACH', 'CLOSE'],
      ]); // only the still running CLOSE
      for (const x of [onSpot, c]) expect(await e.reload(x)).toMatchObject({ escalationLevel: 0 });
      expect(await alerts(db, c.id)).toEqual([]);
    }),
  );

  // The automatic supervision note is written by the platform's `system` user (SupervisionNote.by is `User!`).
  it(
    'the supervision ledger of an automatically escalated case reads over GraphQL',
    run(async (e, db) => {
      const c = await e.accepted({}, 'mobile', 'MAJOR');
      await scanAll(db, sh('2026-12-15 00:00'));
      world().clock.set(sh('2026-12-15 09:00'));
      const res = await gql(
        world().app(db),
        `query ($n: String!) { complaint(number: $n) { escalationLevel supervisionNotes { note at by { username } } } }`,
        { n: c.number },
        {
          token: await world().token('gd.legal'),
        },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.complaint).toMatchObject({
        escalationLevel: 1,
        supervisionNotes: [
          expect.objectContaining({ at: served('2026-12-15 00:00'), by: { username: 'system' } }),
        ],
      });
    }),
  );
});

// D22 for real: two instances, two connections, real commits. PGlite is a single connection in
// one process, so this runs only on PostgreSQL (TEST_DATABASE_URL), in a database of its own.
describe.skipIf(!onPostgres)('two scanners at once on PostgreSQL (D22)', () => {
  it('exactly one SLA_WARNING and one SLA_BREACH per clock, whichever instance claims it', async () => {
    const database = await openTestDatabase();
    const instances = [] as Awaited<ReturnType<typeof openPostgres>>[];
    try {
      const w = await buildWorld(database);
      w.clock.set(T0);
      const e = engine(w, database.db);
      const N = 50;
      const ids: string[] = [];
      for (let i = 0; i < N; i++) ids.push((await e.register()).id); // committed: ACCEPT due T0 + 24 h, ANSWER T0 + 15 days
      instances.push(
        await openPostgres(database.url!, { max: 3 }),
        await openPostgres(database.url!, { max: 3 }),
      );
      const [one, two] = instances.map((i) => i.db) as [Db, Db];

      const count = async () =>
        rowsOf<{ complaint_id: string; action: string; clock: string; n: number }>(
          await database.db.execute(sql`select complaint_id, action, payload->>'clock' as clock, count(*)::int as n
            from complaint_events where action like 'SLA_%' group by 1, 2, 3`),
        );

      // Small batches, so that the two instances interleave and skip each other's claimed rows.
      const drain = async (db: Db, now: Date) => {
        const total = { warnings: 0, breaches: 0 };
        for (;;) {
          const r = await scanOnce(db, now, 3);
          total.warnings += r.warnings;
          total.breaches += r.breaches;
          if (r.warnings + r.breaches === 0) return total;
        }
      };
      const t1 = new Date(T0.getTime() + 25 * HOUR); // every ACCEPT: warning and breach
      const [ra, rb] = await Promise.all([drain(one, t1), drain(two, t1)]);
      expect(ra.warnings + rb.warnings).toBe(N);
      expect(ra.breaches + rb.breaches).toBe(N);
      let rows = await count();
      expect(rows).toHaveLength(2 * N);
      expect(rows.every((r) => r.n === 1 && r.clock === 'ACCEPT')).toBe(true);
      expect(new Set(rows.map((r) => r.complaint_id))).toEqual(new Set(ids));

      // Again with full batches (scanAll), both at once, for the ANSWER clocks 16 days later; then nothing is left.
      const t2 = new Date(T0.getTime() + 16 * DAY);
      const [sa, sb] = await Promise.all([scanAll(one, t2), scanAll(two, t2)]);
      expect(sa.warnings + sb.warnings).toBe(N);
      expect(sa.breaches + sb.breaches).toBe(N);
      expect(await Promise.all([scanAll(one, t2), scanAll(two, t2)])).toEqual([
        { warnings: 0, breaches: 0, escalated: 0 },
        { warnings: 0, breaches: 0, escalated: 0 },
      ]);
      rows = await count();
      expect(rows).toHaveLength(4 * N);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      for (const id of ids)
        expect(await verifyChain(database.db, id)).toEqual({ ok: true, checked: 5 });

      const [{ n }] = rowsOf<{ n: number }>(
        await database.db.execute(
          sql`select count(*)::int as n from sla_clocks where kind in ('ACCEPT', 'ANSWER') and not (warned and breached)`,
        ),
      ) as [{ n: number }];
      expect(n).toBe(0);

      // A case whose row a transition holds (locked, not yet committed) is skipped, not waited on:
      // its clocks are alerted by the first pass after the transition ends.
      const busy = await e.register();
      const free = await e.register();
      await one.transaction(async (tx) => {
        await tx
          .select({ id: complaints.id })
          .from(complaints)
          .where(eq(complaints.id, busy.id))
          .for('update');
        expect(await scanAll(two, t1)).toEqual({ warnings: 1, breaches: 1, escalated: 0 });
      });
      expect((await count()).filter((r) => r.complaint_id === free.id)).toHaveLength(2);
      expect((await count()).filter((r) => r.complaint_id === busy.id)).toEqual([]);
      expect(await scanAll(two, t1)).toEqual({ warnings: 1, breaches: 1, escalated: 0 });
      expect((await count()).filter((r) => r.complaint_id === busy.id)).toHaveLength(2);
      expect((await verifyChain(database.db, busy.id)).ok).toBe(true);
    } finally {
      for (const i of instances) await i.close();
      await database.drop();
    }
  }, 120_000);
});
