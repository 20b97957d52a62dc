import { and, asc, count, desc, eq, gt, inArray, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { assignments, complaintEvents, complaints, slaClocks } from '../../src/db/schema.js';
import { type Env, registerComplaint, transition } from '../../src/domain/complaints.js';
import { DomainError } from '../../src/domain/errors.js';
import { LineRegistry } from '../../src/domain/lines.js';
import type { BusinessLinePlugin } from '../../src/domain/plugin.js';
import { verifyChain } from '../../src/events/append.js';
import { aComplaint, engine } from '../support/cases.js';
import { T0, useWorld } from '../support/world.js';

/**
 * What only real commits show (D5, D51, D55, D56): these tests write to the
 * file's own database outside any rolled-back transaction (it is dropped
 * with the file), so that racing transactions really race on PostgreSQL
 * (TEST_DATABASE_URL) and serialise on PGlite.
 */
const world = useWorld();

const committed = () => world().database.db;
/** The world's clock set to T0 and the engine on the committed database. */
const atT0 = () => {
  const w = world();
  w.clock.set(T0);
  const db = committed();
  return { w, db, e: engine(w, db) };
};
const ACCEPT_INPUT = {
  businessLine: 'mobile',
  category: 'NETWORK_TECHNICAL',
  severity: 'ORDINARY',
} as const;

const eventsOf = (db: Db, id: string) =>
  db
    .select()
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, id))
    .orderBy(asc(complaintEvents.position));
const codeOf = (r: PromiseSettledResult<unknown>) =>
  r.status === 'rejected'
    ? r.reason instanceof DomainError
      ? r.reason.code
      : `not a DomainError: ${String(r.reason)}`
    : 'OK';

describe('D55 D56: racing changes to one case', () => {
  it('D55: two agents accepting the same RECEIVED case at once: exactly one wins, the other is INVALID_TRANSITION or CONFLICT; 2 events', async () => {
    const { e } = atT0();
    for (let round = 0; round < 5; round++) {
      const c = await e.register('gd.agent');
      const results = await Promise.allSettled([
        e.act('gd.agent', 'ACCEPT', c, ACCEPT_INPUT),
        e.act('gd.agent2', 'ACCEPT', c, ACCEPT_INPUT),
      ]);
      const codes = results.map(codeOf).sort();
      expect(
        codes.filter((x) => x === 'OK'),
        `round ${round}: ${codes}`,
      ).toHaveLength(1);
      expect(['INVALID_TRANSITION', 'CONFLICT']).toContain(codes.find((x) => x !== 'OK'));
      const after = await e.reload(c);
      expect(after).toMatchObject({ status: 'ACCEPTED', version: 2 });
      expect(await eventsOf(committed(), c.id)).toHaveLength(2);
      expect(await verifyChain(committed(), c.id)).toEqual({ ok: true, checked: 2 });
    }
  });

  it('D55: with expectedVersion 1 on both, the loser is CONFLICT', async () => {
    const { e } = atT0();
    for (let round = 0; round < 5; round++) {
      const c = await e.register('gd.agent');
      const results = await Promise.allSettled([
        e.act('gd.agent', 'ACCEPT', c, ACCEPT_INPUT, 1),
        e.act('gd.agent2', 'ACCEPT', c, ACCEPT_INPUT, 1),
      ]);
      expect(results.map(codeOf).sort(), `round ${round}`).toEqual(['CONFLICT', 'OK']);
      expect(await eventsOf(committed(), c.id)).toHaveLength(2);
    }
  });

  it('D55: accept racing reject: one of them wins, the case is ACCEPTED or REJECTED with one event for the winner', async () => {
    const { e } = atT0();
    const c = await e.register('gd.agent');
    const results = await Promise.allSettled([
      e.act('gd.agent', 'ACCEPT', c, ACCEPT_INPUT),
      e.act('gd.agent2', 'REJECT', c, { reason: 'INSUFFICIENT_INFORMATION', note: 'No details' }),
    ]);
    expect(results.map(codeOf).filter((x) => x === 'OK')).toHaveLength(1);
    const after = await e.reload(c);
    const winner = results[0]!.status === 'fulfilled' ? 'ACCEPT' : 'REJECT';
    expect(after.status).toBe(winner === 'ACCEPT' ? 'ACCEPTED' : 'REJECTED');
    expect((await eventsOf(committed(), c.id)).map((x) => x.action)).toEqual(['REGISTER', winner]);
  });

  it('D51 D56: ten concurrent same-state actions on one case all apply, one version and one chained event each', async () => {
    const { e } = atT0();
    const c = await e.register('gd.agent');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        e.act(i % 2 ? 'gd.agent' : 'gd.agent2', 'CONTACT_CUSTOMER', c, {
          method: 'PHONE',
          content: `Call ${i}`,
        }),
      ),
    );
    expect(results.map(codeOf)).toEqual(Array(10).fill('OK'));
    const versions = results
      .map((r) => (r.status === 'fulfilled' ? r.value.version : 0))
      .sort((a, b) => a - b);
    expect(versions).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect((await e.reload(c)).version).toBe(11);
    expect(await eventsOf(committed(), c.id)).toHaveLength(11);
    expect(await verifyChain(committed(), c.id)).toEqual({ ok: true, checked: 11 });
  });
});

describe('D5 D56: parallel registrations', () => {
  it('D5: 100 parallel registrations get 100 distinct numbers from consecutive sequence values, and 100 REGISTER events at distinct positions', async () => {
    const { e } = atT0();
    const agents = ['gd.agent', 'gd.agent2', 'gd.legal'];
    const rows = await Promise.all(
      Array.from({ length: 100 }, (_, i) => e.register(agents[i % 3]!, { title: `Parallel ${i}` })),
    );
    const numbers = rows.map((r) => r.number);
    expect(new Set(numbers).size).toBe(100);
    for (const n of numbers) expect(n).toMatch(/^GD20261123\d{6}$/);
    const seq = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(seq.at(-1)! - seq[0]!).toBe(99); // distinct and consecutive: no value skipped or taken twice
    const events = await committed()
      .select()
      .from(complaintEvents)
      .where(
        inArray(
          complaintEvents.complaintId,
          rows.map((r) => r.id),
        ),
      );
    expect(events).toHaveLength(100);
    expect(
      events.every(
        (x) => x.action === 'REGISTER' && x.fromStatus === null && x.toStatus === 'RECEIVED',
      ),
    ).toBe(true);
    expect(new Set(events.map((x) => x.position)).size).toBe(100);
    for (const r of rows.slice(0, 10))
      expect(await verifyChain(committed(), r.id)).toEqual({ ok: true, checked: 1 });
  });
});

describe('D5: numbers taken last (issue 25), still unique, never reused and in registration order', () => {
  it('D5: 60 parallel registrations in two provinces: per province and day the numbers are gap-free from the last one taken, in the order of their REGISTER events, stored as returned, none left unnumbered; every chain verifies', async () => {
    const { db, e } = atT0();
    const agents = ['gd.agent', 'zj.agent', 'gd.agent2', 'zj.legal', 'gd.legal'];
    const rows = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        e.register(agents[i % agents.length]!, { title: `Numbered last ${i}` }),
      ),
    );
    const ids = rows.map((r) => r.id);
    const stored = await db
      .select({
        id: complaints.id,
        number: complaints.number,
        position: complaintEvents.position,
        payload: complaintEvents.payload,
      })
      .from(complaints)
      .innerJoin(
        complaintEvents,
        and(eq(complaintEvents.complaintId, complaints.id), eq(complaintEvents.action, 'REGISTER')),
      )
      .where(inArray(complaints.id, ids))
      .orderBy(asc(complaintEvents.position));
    expect(stored).toHaveLength(60);
    const returned = new Map(rows.map((r) => [r.id, r.number]));
    for (const s of stored) {
      expect(s.number).toBe(returned.get(s.id)); // the row the engine returns carries the number it stored
      expect(s.payload).toMatchObject({ number: s.number }); // and the event hashed it
    }
    for (const province of ['GD', 'ZJ']) {
      const mine = stored.filter((s) => s.number.startsWith(`${province}20261123`));
      expect(mine.length, province).toBeGreaterThanOrEqual(24);
      const serials = mine.map((s) => Number(s.number.slice(-6))); // in event-position order
      const first = serials[0]!;
      expect(serials, `${province}: in the order of the REGISTER events, consecutive`).toEqual(
        serials.map((_, i) => first + i),
      );
    }
    expect(
      await db
        .select({ id: complaints.id })
        .from(complaints)
        .where(like(complaints.number, 'unnumbered:%')),
    ).toEqual([]);
    for (const id of ids) expect(await verifyChain(db, id)).toEqual({ ok: true, checked: 1 });
  });

  it('D5: registrations racing dispatches keep their numbers consecutive (a transition takes no number)', async () => {
    const { w, e } = atT0();
    const accepted = await Promise.all([e.accepted(), e.accepted(), e.accepted()]);
    const before = await e.register('gd.agent');
    const racing = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) =>
        e.register(i % 2 ? 'gd.agent' : 'gd.agent2', { title: `Racing ${i}` }),
      ),
      ...accepted.map((c) =>
        e.act('gd.agent', 'DISPATCH', c, {
          toUnitId: w.units['GD-GZ']!.id,
          deadline: e.deadline(),
        }),
      ),
    ]);
    const numbers = racing
      .slice(0, 12)
      .map((r) => Number(r.number.slice(-6)))
      .sort((a, b) => a - b);
    const base = Number(before.number.slice(-6));
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => base + 1 + i));
    for (const c of racing.slice(12)) expect(c.status).toBe('DISPATCHED');
  });
});

// ---------------------------------------------------------------- failure injection

/** The mobile line with a beforeTransition hook that fails (a plain Error, a bug in a plugin) on one action. */
function linesFailingOn(action: string): LineRegistry {
  const plugins = world()
    .lines.all()
    .map(
      (p): BusinessLinePlugin =>
        p.code === 'mobile'
          ? {
              ...p,
              hooks: {
                beforeTransition(ctx) {
                  if (ctx.action === action)
                    throw new Error(`injected: the mobile plugin fails on ${action}`);
                },
              },
            }
          : p,
    );
  return new LineRegistry(plugins);
}

/**
 * A database handle whose transactions fail on the insert into
 * complaint_events, the last statement of every change, and note whether
 * the complaint row had been updated (or inserted) by then.
 */
function failingEventInsert(db: Db) {
  const seen = { complaintWritten: false, eventInsertTried: false };
  const wrap = (h: Db): Db =>
    new Proxy(h, {
      get(target, prop) {
        if (prop === 'insert' || prop === 'update') {
          return (table: unknown) => {
            if (table === complaints) seen.complaintWritten = true;
            if (prop === 'insert' && table === complaintEvents) {
              seen.eventInsertTried = true;
              throw new Error('injected: the event insert fails');
            }
            return (target as any)[prop](table);
          };
        }
        if (prop === 'transaction')
          return (fn: (tx: Db) => Promise<unknown>, cfg?: unknown) =>
            target.transaction((tx) => fn(wrap(tx as Db)), cfg as never);
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  return { db: wrap(db), seen };
}

async function stateOf(db: Db, id: string) {
  const [c] = await db.select().from(complaints).where(eq(complaints.id, id));
  const [ev] = await db
    .select({ n: count() })
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, id));
  const as = await db
    .select()
    .from(assignments)
    .where(eq(assignments.complaintId, id))
    .orderBy(asc(assignments.assignedAt));
  const clocks = await db
    .select()
    .from(slaClocks)
    .where(eq(slaClocks.complaintId, id))
    .orderBy(asc(slaClocks.kind));
  return { complaint: c!, events: ev!.n, assignments: as, clocks };
}

describe('§3: a change commits whole or not at all', () => {
  it('a plugin hook throwing on SUBMIT_REPORT leaves nothing behind: no event, no report time on the assignment, the ASSIGNMENT clock running, the version unchanged', async () => {
    const { w, db, e } = atT0();
    const c = await e.investigating('city');
    await e.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
      nature: 'VALID',
      rootCause: 'Cell down',
      remedy: { kind: 'APOLOGY' },
    });
    const before = await stateOf(db, c.id);
    expect(before.assignments).toHaveLength(1);
    expect(before.assignments[0]!.reportedAt).toBeNull();
    expect(before.clocks.find((k) => k.kind === 'ASSIGNMENT')!.stoppedAt).toBeNull();

    w.clock.advance(60 * 60 * 1000);
    const broken: Env = { ...e.env, lines: linesFailingOn('SUBMIT_REPORT') };
    await expect(
      transition(broken, e.who('gz.handler'), 'SUBMIT_REPORT', c.id, {}),
    ).rejects.toThrow(/injected/);
    expect(await stateOf(db, c.id)).toEqual(before);
    expect(await verifyChain(db, c.id)).toEqual({ ok: true, checked: before.complaint.version });

    // The case is not left locked or half-changed: the same action then goes through.
    const submitted = await e.act('gz.handler', 'SUBMIT_REPORT', c, {});
    expect(submitted).toMatchObject({
      status: 'PENDING_APPROVAL',
      version: before.complaint.version + 1,
    });
    expect((await stateOf(db, c.id)).assignments[0]!.reportedAt).not.toBeNull();
  });

  it('an event insert failing after the state update rolls the update back (ACKNOWLEDGE: no acknowledgement, still DISPATCHED)', async () => {
    const { w, db, e } = atT0();
    const accepted = await e.accepted();
    const c = await e.act('gd.agent', 'DISPATCH', accepted, {
      toUnitId: w.units['GD-GZ']!.id,
      deadline: e.deadline(),
    });
    const before = await stateOf(db, c.id);

    const failing = failingEventInsert(db);
    const env: Env = { ...e.env, db: failing.db };
    await expect(transition(env, e.who('gz.handler'), 'ACKNOWLEDGE', c.id, {})).rejects.toThrow(
      /injected/,
    );
    expect(failing.seen).toEqual({ complaintWritten: true, eventInsertTried: true });
    const after = await stateOf(db, c.id);
    expect(after).toEqual(before);
    expect(after.complaint.status).toBe('DISPATCHED');
    expect(after.assignments[0]!.acknowledgedAt).toBeNull();
    expect(await verifyChain(db, c.id)).toEqual({ ok: true, checked: before.complaint.version });
  });

  it('D5: a registration whose event insert fails leaves no case, and its number is not burnt', async () => {
    const { db, e } = atT0();
    const first = await e.register('gd.agent');
    const [before] = await db.select({ n: count() }).from(complaints);
    const failing = failingEventInsert(db);
    await expect(
      registerComplaint(
        { ...e.env, db: failing.db },
        e.who('gd.agent'),
        aComplaint({ title: 'Doomed' }),
      ),
    ).rejects.toThrow(/injected/);
    expect(failing.seen).toEqual({ complaintWritten: true, eventInsertTried: true });
    const [after] = await db.select({ n: count() }).from(complaints);
    expect(after!.n).toBe(before!.n);
    expect(await db.select().from(complaints).where(eq(complaints.title, 'Doomed'))).toEqual([]);
    const next = await e.register('gd.agent');
    expect(Number(next.number.slice(-6))).toBe(Number(first.number.slice(-6)) + 1);
  });
});

// ---------------------------------------------------------------- D56: commit order

describe('D56: event positions follow commit order', () => {
  it('D56: concurrent changes to different cases get strictly increasing positions with no gap, and a reader resuming after its last position misses none', async () => {
    const { db, e } = atT0();
    const cases = [];
    for (let i = 0; i < 12; i++) cases.push(await e.register(i % 2 ? 'gd.agent' : 'gd.agent2'));
    const [top] = await db
      .select({ p: complaintEvents.position })
      .from(complaintEvents)
      .orderBy(desc(complaintEvents.position))
      .limit(1);
    const start = top!.p;

    // A reader polls `position > last` the way the feed and `complaintEvents(after:)` resume.
    const seen: bigint[] = [];
    let writersDone = false;
    const reader = (async () => {
      let last = start;
      for (;;) {
        const finalRound = writersDone;
        const rows = await db
          .select({ p: complaintEvents.position })
          .from(complaintEvents)
          .where(gt(complaintEvents.position, last))
          .orderBy(asc(complaintEvents.position));
        for (const r of rows) seen.push(r.p);
        if (rows.length) last = rows.at(-1)!.p;
        if (finalRound) return;
        await new Promise((r) => setTimeout(r, 1));
      }
    })();

    const writes = [
      ...cases.map((c, i) => e.act(i % 2 ? 'gd.agent' : 'gd.agent2', 'ACCEPT', c, ACCEPT_INPUT)),
      ...Array.from({ length: 6 }, (_, i) =>
        e.register('gd.legal', { source: 'REGULATOR_TRANSFER', title: `Transfer ${i}` }),
      ),
    ];
    const results = await Promise.allSettled(writes);
    writersDone = true;
    await reader;
    expect(results.map(codeOf)).toEqual(Array(writes.length).fill('OK'));

    const all = (
      await db
        .select({ p: complaintEvents.position })
        .from(complaintEvents)
        .where(gt(complaintEvents.position, start))
        .orderBy(asc(complaintEvents.position))
    ).map((r) => r.p);
    expect(all).toHaveLength(writes.length);
    all.forEach((p, i) => expect(p).toBe(all[0]! + BigInt(i))); // strictly increasing, no gap
    expect(seen).toEqual(all); // the reader saw every event once, in order, never one behind its cursor
    const accepted = await db
      .select({ n: count() })
      .from(complaintEvents)
      .where(and(gt(complaintEvents.position, start), eq(complaintEvents.action, 'ACCEPT')));
    expect(accepted[0]!.n).toBe(12);
  });
});
