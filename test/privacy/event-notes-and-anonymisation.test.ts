import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, rowsOf } from '../../src/db/client.js';
import { complaintEvents, complaints } from '../../src/db/schema.js';
import { canonicalize, chainHash, sha256Hex } from '../../src/domain/canonical-json.js';
import { ANONYMISED, anonymiseExpired } from '../../src/domain/retention.js';
import { eventBody, moveNotesOutOfPayloads, verifyChain } from '../../src/events/append.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { DAY, engine } from '../support/cases.js';
import { chainProblem, servedTimeline } from '../support/chain.js';
import { gql } from '../support/gql.js';
import { accepted, contact, investigation } from '../support/inputs.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D51 (issue 18): free text is kept beside the event (`ComplaintEvent.note`),
 * the hashed payload holds only its noteSha256; D15: every ended case past
 * retention loses its personal data and free text everywhere, and its chain
 * still verifies through the API as an auditor recomputes it (D56); the
 * migration of events written before keeps the chain verifiable before and
 * after.
 */
const world = useWorld();
const YEAR = 365 * DAY;

/**
 * Everything stored about a case, as one text: the row and the rows of every table that refers to
 * a case (its children, its events and their notes), found in the catalogue so that none is missed.
 */
async function everythingAbout(db: Db, id: string): Promise<string> {
  const children = rowsOf<{ t: string }>(
    await db.execute(
      sql`select table_name as t from information_schema.columns where column_name = 'complaint_id' and table_schema = current_schema() order by table_name`,
    ),
  ).map((r) => r.t);
  const parts: unknown[] = [];
  for (const [t, col] of [['complaints', 'id'], ...children.map((t) => [t, 'complaint_id'])]) {
    parts.push(
      rowsOf(
        await db.execute(
          sql`select * from ${sql.identifier(t!)} where ${sql.identifier(col!)} = ${id}`,
        ),
      ),
    );
  }
  return JSON.stringify(parts);
}

const SECRETS = {
  title: 'T-SECRET-title',
  description: 'D-SECRET-description',
  name: '张秘密',
  phone: '13800001111',
  address: '广东省广州市天河区秘密路1号',
  account: 'ACC-SECRET-9876',
  msisdn: '13900002222',
};
const TEXTS = [
  'N-SECRET-supervision',
  'N-SECRET-escalate',
  'N-SECRET-decline',
  'N-SECRET-suspend',
  'N-SECRET-resume',
  'N-SECRET-dispatch',
  'N-SECRET-ack',
  'F-SECRET-findings',
  'R-SECRET-root',
  '王秘密',
  'X-SECRET-rect',
  'C-SECRET-contact',
  'N-SECRET-report',
  'N-SECRET-confirm',
  'N-SECRET-review',
  'C-SECRET-reply',
  'N-SECRET-callback',
];

/** A case written all over with personal data and free text, taken to CLOSED (ended, never archived). */
async function writtenAllOver(db: Db) {
  const w = world();
  const e = engine(w, db);
  let c = await e.register('gd.agent', {
    title: SECRETS.title,
    description: SECRETS.description,
    customer: {
      name: SECRETS.name,
      phone: SECRETS.phone,
      address: SECRETS.address,
      accountNumber: SECRETS.account,
    },
    businessLine: 'mobile',
    details: { msisdn: SECRETS.msisdn, cellId: 'CELL-7' },
  });
  c = await e.act('gd.agent', 'ACCEPT', c, accepted('ORDINARY'));
  c = await e.act('gd.legal', 'ADD_SUPERVISION_NOTE', c, { note: 'N-SECRET-supervision' });
  c = await e.act('gd.agent', 'ESCALATE', c, { note: 'N-SECRET-escalate' });
  c = await e.act('gd.legal', 'DECIDE_ESCALATION', c, { approve: false, note: 'N-SECRET-decline' });
  c = await e.act('gd.agent', 'SUSPEND', c, { note: 'N-SECRET-suspend' });
  c = await e.act('gd.agent', 'RESUME', c, { note: 'N-SECRET-resume' });
  c = await e.act('gd.agent', 'DISPATCH', c, {
    toUnitId: w.units['GD-GZ']!.id,
    deadline: e.deadline(),
    note: 'N-SECRET-dispatch',
  });
  c = await e.act('gz.handler', 'ACKNOWLEDGE', c, { note: 'N-SECRET-ack' });
  c = await e.act('gz.handler', 'RECORD_INVESTIGATION', c, investigation('F-SECRET-findings'));
  c = await e.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
    nature: 'VALID',
    rootCause: 'R-SECRET-root',
    responsiblePerson: '王秘密',
    rectification: 'X-SECRET-rect',
    remedy: { kind: 'COMPENSATION', amount: 20 },
  });
  c = await e.act('gz.handler', 'CONTACT_CUSTOMER', c, contact('PHONE', 'C-SECRET-contact'));
  c = await e.act('gz.handler', 'SUBMIT_REPORT', c, { note: 'N-SECRET-report' });
  c = await e.act('gz.leader', 'CONFIRM_REPORT', c, { approve: true, note: 'N-SECRET-confirm' });
  c = await e.act('gd.agent', 'REVIEW_REPORT', c, { approve: true, note: 'N-SECRET-review' });
  c = await e.act('gd.agent', 'REPLY_TO_CUSTOMER', c, contact('PHONE', 'C-SECRET-reply'));
  c = await e.act('gd.agent', 'RECORD_CALLBACK', c, {
    result: 'SATISFIED',
    note: 'N-SECRET-callback',
  });
  expect(c.status).toBe('CLOSED');
  return c;
}

describe('D51: notes beside the events', () => {
  it('D51 D56: a note is served as ComplaintEvent.note, the payload holds its noteSha256, never the text; the chain verifies through the API', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const c = await e.act('gd.agent', 'REJECT', await e.register(), {
        reason: 'OUT_OF_SCOPE',
        note: 'Not ours: a 张三 matter',
      });
      const events = await servedTimeline(world().app(db), toGlobalId('Complaint', c.id), {
        token: await world().token('gd.auditor'),
      });
      const reject = events.at(-1)!;
      expect(reject).toMatchObject({
        action: 'REJECT',
        note: 'Not ours: a 张三 matter',
        payload: { reason: 'OUT_OF_SCOPE', noteSha256: sha256Hex('Not ours: a 张三 matter') },
      });
      expect(JSON.stringify(reject.payload)).not.toContain('张三');
      const [stored] = await db
        .select()
        .from(complaintEvents)
        .where(eq(complaintEvents.hash, reject.hash));
      expect(JSON.stringify(stored!.payload)).not.toContain('张三');
      expect(chainProblem(events)).toBeNull();
      // A tampered note no longer matches its hash: the auditor sees it.
      expect(
        chainProblem(events.map((x) => (x === reject ? { ...x, note: 'Not ours' } : x))),
      ).toMatch(/noteSha256/);
      // The log stays append-only: anything but erasing a note is refused.
      await expect(
        db.transaction((tx) =>
          tx
            .update(complaintEvents)
            .set({ note: 'rewritten' })
            .where(eq(complaintEvents.hash, reject.hash)),
        ),
      ).rejects.toThrow();
      await expect(
        db.transaction((tx) =>
          tx
            .update(complaintEvents)
            .set({ note: null, payload: {} })
            .where(eq(complaintEvents.hash, reject.hash)),
        ),
      ).rejects.toThrow();
    }));
});

describe('D15: anonymisation of every ended case', () => {
  it('D15 D50 D51: a case CLOSED (never archived) past retention keeps no personal data nor free text in any column or event, and its chain verifies through the API', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await writtenAllOver(db);
      const before = await everythingAbout(db, c.id);
      for (const s of [...Object.values(SECRETS), ...TEXTS]) expect(before, s).toContain(s);
      const app = w.app(db);
      const id = toGlobalId('Complaint', c.id);
      expect(
        chainProblem(await servedTimeline(app, id, { token: await w.token('gd.auditor') })),
      ).toBeNull();

      expect(await anonymiseExpired(db, new Date(T0.getTime() + 3 * YEAR - DAY), 3, w.lines)).toBe(
        0,
      );
      expect(
        await anonymiseExpired(db, new Date(T0.getTime() + 3 * YEAR + 2 * DAY), 3, w.lines),
      ).toBe(1);

      const after = await everythingAbout(db, c.id);
      for (const s of [...Object.values(SECRETS), ...TEXTS]) expect(after, s).not.toContain(s);
      // The masked forms of the personal data are gone too.
      for (const s of ['138****1111', '139****2222', '张*']) expect(after).not.toContain(s);
      // The facts stay: state, codes, the line's other details.
      const [row] = await db.select().from(complaints).where(eq(complaints.id, c.id));
      expect(row).toMatchObject({
        status: 'CLOSED',
        businessLine: 'mobile',
        category: 'NETWORK_TECHNICAL',
        customerName: ANONYMISED,
        details: { msisdn: ANONYMISED, cellId: 'CELL-7' },
      });

      const events = await servedTimeline(app, id, { token: await w.token('gd.auditor') });
      expect(events.at(-1)).toMatchObject({ action: 'ANONYMISE', actor: null, note: null });
      expect(events.every((ev) => ev.note === null)).toBe(true);
      expect(events.filter((ev) => ev.payload?.noteSha256).length).toBe(11);
      expect(chainProblem(events)).toBeNull();
      expect((await verifyChain(db, c.id)).ok).toBe(true);
      // Read through the API: placeholders, masked, nothing logged as an unmasked read.
      const r = await gql(
        app,
        `query ($id: ID!) { complaint(id: $id) { title description details customer { name phone masked } investigations { findings } contacts { content } } }`,
        { id },
        { token: await w.token('gd.agent') },
      );
      expect(r.data.complaint).toMatchObject({
        title: ANONYMISED,
        description: ANONYMISED,
        customer: { name: ANONYMISED, masked: true },
      });
      expect(JSON.stringify(r.data)).not.toMatch(/SECRET|1380000|1390000/);
    }));

  it('D15: REJECTED and WITHDRAWN cases are anonymised too, counted from when they ended; open and recently ended ones are not', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const rejected = await e.act('gd.agent', 'REJECT', await e.register(), {
        reason: 'OUT_OF_SCOPE',
        note: 'no',
      });
      const withdrawn = await e.act('gd.agent', 'WITHDRAW', await e.accepted(), {
        note: 'customer withdrew',
      });
      w.clock.set(new Date(T0.getTime() + 2 * YEAR));
      const recent = await e.act('gd.agent', 'WITHDRAW', await e.accepted(), { note: 'later' });
      const open = await e.accepted();
      expect(
        await anonymiseExpired(db, new Date(T0.getTime() + 3 * YEAR + 2 * DAY), 3, w.lines),
      ).toBe(2);
      expect((await e.reload(rejected)).anonymisedAt).not.toBeNull();
      expect((await e.reload(withdrawn)).anonymisedAt).not.toBeNull();
      expect((await e.reload(recent)).anonymisedAt).toBeNull();
      expect((await e.reload(open)).anonymisedAt).toBeNull();
      expect((await verifyChain(db, withdrawn.id)).ok).toBe(true);
    }));
});

describe('D51: migrating events written with their text in the payload', () => {
  it('D51: a legacy chain that was tampered with is not rehashed by the migration: it still reports the break', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const c = await e.accepted();
      const prev = (await e.reload(c)).lastEventHash;
      const at = new Date(T0.getTime() + 60_000);
      const actor = { kind: 'user' as const, id: w.staff['gd.agent']!.id };
      const hashedWith = { note: 'L-SECRET-what was written' };
      const hash = chainHash(
        prev,
        eventBody({
          complaintId: c.id,
          action: 'SUSPEND',
          fromStatus: 'ACCEPTED',
          toStatus: 'ACCEPTED',
          actor,
          at,
          payload: hashedWith,
        }),
      );
      // Stored with other text than it was hashed with: tampered.
      await db.insert(complaintEvents).values({
        position: sql`nextval('complaint_event_position_seq')`,
        complaintId: c.id,
        action: 'SUSPEND',
        fromStatus: 'ACCEPTED',
        toStatus: 'ACCEPTED',
        actorUserId: actor.id,
        at,
        payload: { note: 'L-SECRET-what it says now' },
        hash,
      });
      await db.update(complaints).set({ lastEventHash: hash }).where(eq(complaints.id, c.id));
      expect((await verifyChain(db, c.id)).ok).toBe(false);
      expect(await moveNotesOutOfPayloads(db)).toBe(0);
      expect((await verifyChain(db, c.id)).ok).toBe(false);
      const events = await servedTimeline(w.app(db), toGlobalId('Complaint', c.id), {
        token: await w.token('gd.auditor'),
      });
      expect(chainProblem(events)).toMatch(/SUSPEND/);
      expect(events.map((x) => x.action)).not.toContain('MIGRATE_NOTES');
    }));

  it('D51 D56: the chain verifies through the API before and after; the text moves beside the event; a MIGRATE_NOTES event records the old head; anonymised later, it still verifies', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      let c = await e.accepted();
      c = await e.act('gd.agent', 'DISPATCH', c, {
        toUnitId: w.units['GD-GZ']!.id,
        deadline: e.deadline(),
      });
      // Two events as the platform wrote them before: the note inside the hashed payload.
      let prev = (await e.reload(c)).lastEventHash;
      const legacy = [
        {
          action: 'RETURN',
          fromStatus: 'DISPATCHED',
          toStatus: 'ACCEPTED',
          payload: { toUnit: 'GD', note: 'L-SECRET-wrong unit, 张三 lives elsewhere' },
        },
        {
          action: 'WITHDRAW',
          fromStatus: 'ACCEPTED',
          toStatus: 'WITHDRAWN',
          payload: { note: 'L-SECRET-customer withdrew' },
        },
      ] as const;
      for (const [i, l] of legacy.entries()) {
        const at = new Date(T0.getTime() + (i + 1) * 60_000);
        const actor = { kind: 'user' as const, id: w.staff['gd.agent']!.id };
        const hash = chainHash(
          prev,
          eventBody({
            complaintId: c.id,
            action: l.action,
            fromStatus: l.fromStatus,
            toStatus: l.toStatus,
            actor,
            at,
            payload: l.payload,
          }),
        );
        await db.insert(complaintEvents).values({
          position: sql`nextval('complaint_event_position_seq')`,
          complaintId: c.id,
          action: l.action,
          fromStatus: l.fromStatus,
          toStatus: l.toStatus,
          actorUserId: actor.id,
          at,
          payload: l.payload,
          hash,
        });
        prev = hash;
      }
      await db
        .update(complaints)
        .set({
          lastEventHash: prev,
          status: 'WITHDRAWN',
          endedAt: new Date(T0.getTime() + 120_000),
        })
        .where(eq(complaints.id, c.id));
      const app = w.app(db);
      const id = toGlobalId('Complaint', c.id);
      const auditor = { token: await w.token('gd.auditor') };

      const before = await servedTimeline(app, id, auditor);
      expect(chainProblem(before)).toBeNull();
      expect(before.at(-1)!.payload.note).toBe('L-SECRET-customer withdrew');

      expect(await moveNotesOutOfPayloads(db, new Date(T0.getTime() + 180_000))).toBe(1);
      expect(await moveNotesOutOfPayloads(db)).toBe(0); // idempotent

      const after = await servedTimeline(app, id, auditor);
      expect(chainProblem(after)).toBeNull();
      expect((await verifyChain(db, c.id)).ok).toBe(true);
      expect(after.length).toBe(before.length + 1);
      const migrate = after.at(-1)!;
      expect(migrate).toMatchObject({
        action: 'MIGRATE_NOTES',
        actor: null,
        payload: {
          previousHead: prev,
          rewritten: before.filter((x) => x.payload && 'note' in x.payload).length,
        },
      });
      const returned = after.find((x) => x.action === 'RETURN')!;
      expect(returned.note).toBe('L-SECRET-wrong unit, 张三 lives elsewhere');
      expect(returned.payload).toEqual({
        toUnit: 'GD',
        noteSha256: sha256Hex('L-SECRET-wrong unit, 张三 lives elsewhere'),
      });
      for (const x of after) expect(JSON.stringify(x.payload ?? {})).not.toMatch(/SECRET|"note"/);
      // The events are the same events, in the same order, with the same times and actors.
      expect(after.slice(0, -1).map((x) => [x.action, x.at, x.actor?.id ?? null])).toEqual(
        before.map((x) => [x.action, x.at, x.actor?.id ?? null]),
      );

      // Past retention the notes go; the chain, rehashed by the migration, still verifies.
      expect(await anonymiseExpired(db, new Date(T0.getTime() + 4 * YEAR), 3, w.lines)).toBe(1);
      const anonymised = await servedTimeline(app, id, auditor);
      expect(anonymised.every((x) => x.note === null)).toBe(true);
      expect(chainProblem(anonymised)).toBeNull();
      expect(await everythingAbout(db, c.id)).not.toContain('SECRET');
      void canonicalize;
    }));
});
