import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, rowsOf } from '../../src/db/client.js';
import { verifyChain } from '../../src/events/append.js';
import { type Engine, engine } from '../support/cases.js';
import { rollback } from '../support/db.js';
import { T0, useWorld } from '../support/world.js';
import { eventsOf } from './kit.js';

const world = useWorld();

/** Runs a test body with the engine in its rolled-back transaction, at T0. */
const run = (fn: (e: Engine, db: Db) => Promise<void>) => () =>
  world().tx(async (db) => {
    world().clock.set(T0);
    await fn(engine(world(), db), db);
  });

/** Runs `statement` in a savepoint and returns the error it fails with (the test fails if it succeeds). */
async function refused(db: Db, statement: ReturnType<typeof sql>): Promise<Error> {
  try {
    await db.transaction(async (sp) => {
      await sp.execute(statement);
    });
  } catch (e) {
    return e as Error;
  }
  throw new Error(`expected the database to refuse: ${JSON.stringify(statement)}`);
}

/** The database error's own text (drivers wrap it differently). */
const reasonOf = (e: Error) => `${e.message} ${(e as { cause?: Error }).cause?.message ?? ''}`;

/**
 * Lets a test play the attacker with database access: disables the
 * append-only triggers for the rest of the (rolled-back) transaction.
 * `session_replication_role = replica` needs a superuser on PostgreSQL;
 * the table owner may instead disable the two triggers by name.
 */
async function disableGuards(db: Db) {
  try {
    await db.transaction(async (sp) => {
      await sp.execute(sql`set local session_replication_role = replica`);
    });
    const [row] = rowsOf<{ role: string }>(
      await db.execute(sql`select current_setting('session_replication_role') as role`),
    );
    if (row?.role === 'replica') return;
  } catch {
    // not a superuser: fall through
  }
  await db.execute(sql`alter table complaint_events disable trigger complaint_events_append_only`);
  await db.execute(sql`alter table complaint_events disable trigger complaint_events_no_truncate`);
}

describe('D51: the event log is append-only in the database', () => {
  it(
    'D51: UPDATE, DELETE and TRUNCATE on complaint_events are refused, and the events stay as they were',
    run(async (e, db) => {
      const c = await e.investigating('city');
      const before = await eventsOf(db, c.id);
      expect(before).toHaveLength(4);
      const first = before[0]!;

      const statements = [
        sql`update complaint_events set payload = '{"tampered":true}'::jsonb where id = ${first.id}`,
        sql`update complaint_events set hash = 'x' where complaint_id = ${c.id}`,
        sql`update complaint_events set at = at + interval '1 hour'`,
        sql`delete from complaint_events where id = ${before.at(-1)!.id}`,
        sql`delete from complaint_events`,
        sql`truncate complaint_events`,
      ];
      for (const statement of statements) {
        expect(reasonOf(await refused(db, statement))).toMatch(/append-only/);
      }
      expect(await eventsOf(db, c.id)).toEqual(before);
      expect(await verifyChain(db, c.id)).toEqual({ ok: true, checked: 4 });
    }),
  );

  it(
    'D51: a new event can still be appended after a refused change (the log stays usable)',
    run(async (e, db) => {
      const c = await e.register();
      await refused(db, sql`delete from complaint_events where complaint_id = ${c.id}`);
      const accepted = await e.act('gd.agent', 'ACCEPT', c, {
        businessLine: 'mobile',
        category: 'PROCESS',
        severity: 'ORDINARY',
      });
      expect(await eventsOf(db, c.id)).toHaveLength(2);
      expect(await verifyChain(db, c.id)).toEqual({ ok: true, checked: accepted.version });
    }),
  );
});

describe('D51: verifyChain detects tampering done behind the triggers', () => {
  it(
    'D51: a changed payload breaks the chain at that very event',
    run(async (e, db) => {
      const c = await e.reported('county');
      expect(await verifyChain(db, c.id)).toEqual({ ok: true, checked: c.version });
      const events = await eventsOf(db, c.id);
      const victim = events.find((x) => x.action === 'DETERMINE_RESPONSIBILITY')!;
      await disableGuards(db);
      await db.execute(
        sql`update complaint_events set payload = jsonb_set(payload, '{amount}', '0'::jsonb) where id = ${victim.id}`,
      );
      const report = await verifyChain(db, c.id);
      expect(report.ok).toBe(false);
      if (report.ok) return;
      expect(report.brokenAt.position).toBe(victim.position);
      expect(report.brokenAt.eventId).toBe(victim.id);
      expect(report.checked).toBe(events.indexOf(victim));
    }),
  );

  it('D51: a changed time, status or actor is detected too', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const c = await e.investigating('city');
      const events = await eventsOf(db, c.id);
      await disableGuards(db);
      const tampering = [
        sql`update complaint_events set at = at - interval '1 second' where id = ${events[1]!.id}`,
        sql`update complaint_events set to_status = 'REJECTED' where id = ${events[1]!.id}`,
        sql`update complaint_events set actor_user_id = ${w.staff['gd.agent2']!.id} where id = ${events[1]!.id}`,
        sql`update complaint_events set action = 'REJECT' where id = ${events[1]!.id}`,
      ];
      for (const statement of tampering) {
        await rollback(db, async (sp) => {
          await sp.execute(statement);
          const report = await verifyChain(sp, c.id);
          expect(report.ok).toBe(false);
          if (!report.ok) expect(report.brokenAt.position).toBe(events[1]!.position);
        });
      }
      expect(await verifyChain(db, c.id)).toEqual({ ok: true, checked: events.length });
    }));

  for (const { what, victim, brokenAt, endsEarly, reason } of [
    {
      what: 'the last event is detected: the chain ends before the case’s last recorded hash',
      victim: -1,
      brokenAt: -2, // the last event left: the case's recorded hash names a removed one
      endsEarly: true,
      reason: /removed/,
    },
    {
      what: 'an event in the middle breaks the chain at its successor',
      victim: 1,
      brokenAt: 2, // the successor: its previous hash names the removed event
      endsEarly: false,
    },
  ])
    it(
      `D51: deleting ${what}`,
      run(async (e, db) => {
        const c = await e.investigating('city');
        const events = await eventsOf(db, c.id);
        await disableGuards(db);
        await db.execute(sql`delete from complaint_events where id = ${events.at(victim)!.id}`);
        const report = await verifyChain(db, c.id);
        expect(report.ok).toBe(false);
        if (report.ok) return;
        if (endsEarly) expect(report.checked).toBe(events.length - 1);
        expect(report.brokenAt.position).toBe(events.at(brokenAt)!.position);
        if (reason) expect(report.brokenAt.reason).toMatch(reason);
      }),
    );
});

describe('D51: payloads never hold personal data', () => {
  const CUSTOMER = {
    name: '欧阳娜娜',
    phone: '+86 139-8765-4321',
    address: '广东省深圳市南山区科技园路88号',
    accountNumber: 'ACCT-778899001122',
  };
  /** Fragments of the customer's data that must appear in no payload. */
  const SECRETS = [
    '欧阳',
    '娜娜',
    '8613987654321',
    '13987654321',
    '98765',
    '87654321',
    '科技园',
    '南山区',
    '778899001122',
    'ACCT-7788',
  ];

  it('D51 D50: across full lifecycles (city, county, centre, reopened, partner), no payload contains the customer’s name, phone, address or account', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const ids: string[] = [];
      for (const route of ['city', 'county', 'centre'] as const) {
        const c = await e.closed(route, { customer: CUSTOMER });
        ids.push((await e.act('gd.agent', 'ARCHIVE', c, {})).id);
      }
      // Reopened by an UNSATISFIED callback, contacted, suspended and resumed, escalated, supervised.
      const replied = await e.replied('city', { customer: CUSTOMER });
      await e.act('gd.agent', 'RECORD_CALLBACK', replied, {
        result: 'UNSATISFIED',
        note: 'Still no signal',
      });
      await e.act('gz.handler', 'CONTACT_CUSTOMER', replied, {
        method: 'SMS',
        content: 'We will visit tomorrow.',
      });
      await e.act('gz.handler', 'SUSPEND', replied, {
        note: 'Waiting for the customer to be home',
      });
      await e.act('gz.handler', 'RESUME', replied, {});
      await e.act('gz.handler', 'ESCALATE', replied, { note: 'Repeated outage' });
      await e.act('gd.legal', 'DECIDE_ESCALATION', replied, { approve: true });
      await e.act('gd.legal', 'ADD_SUPERVISION_NOTE', replied, { note: 'Fix this week' });
      ids.push(replied.id);
      // Resolved on the spot, rejected, withdrawn; a walk-in; a transfer; a partner's case.
      ids.push(
        (
          await e.act(
            'gd.agent',
            'RESOLVE_ON_SPOT',
            await e.register('gd.agent', { customer: CUSTOMER }),
            { answer: 'Restart the phone.' },
          )
        ).id,
      );
      ids.push(
        (
          await e.act('gd.agent', 'REJECT', await e.register('gd.agent', { customer: CUSTOMER }), {
            reason: 'NO_DIRECT_INTEREST',
            note: 'A neighbour called',
          })
        ).id,
      );
      ids.push(
        (
          await e.act(
            'gz.handler',
            'WITHDRAW',
            await e.register('gz.handler', { channel: 'VISIT', customer: CUSTOMER }),
            { note: 'Solved' },
          )
        ).id,
      );
      ids.push((await e.accepted({ source: 'REGULATOR_TRANSFER', customer: CUSTOMER })).id);
      const own = await e.register(w.partner, {
        channel: 'API',
        businessLine: 'interconnection',
        category: 'CALL_COMPLETION',
        customer: CUSTOMER,
      });
      await e.act('gd.legal', 'ACCEPT', own, {
        businessLine: 'interconnection',
        category: 'CALL_COMPLETION',
        severity: 'ORDINARY',
      });
      ids.push(own.id);

      let checked = 0;
      for (const id of ids) {
        for (const ev of await eventsOf(db, id)) {
          const text = JSON.stringify(ev.payload);
          for (const secret of SECRETS)
            expect(text, `${ev.action} payload ${text}`).not.toContain(secret);
          checked++;
        }
        expect(await verifyChain(db, id)).toMatchObject({ ok: true });
      }
      expect(checked).toBeGreaterThan(60);
    }));
});
