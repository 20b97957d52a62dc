import { and, asc, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { complaintsWhere } from '../../src/auth/sql.js';
import type { Db } from '../../src/db/client.js';
import {
  complaints,
  customerContacts,
  extensions,
  progressReports,
  slaClocks,
  supervisions,
  transferFeedback,
} from '../../src/db/schema.js';
import { sha256Hex } from '../../src/domain/canonical-json.js';
import { convertToComplaint, viewerActions } from '../../src/domain/complaints.js';
import { dutyBriefing } from '../../src/domain/stats.js';
import { supervisedComplaints } from '../../src/domain/supervision.js';
import { scanAll } from '../../src/sla/scanner.js';
import { DAY, HOUR, MOBILE } from '../support/cases.js';
import { T0 } from '../support/world.js';
import { eventsOf, NOTE, useKitWorld } from './kit.js';

/**
 * DOMAIN §10 through the lifecycle engine: every contact is a case of a kind
 * (D70), consultations, queries and requests (D71), fault reports (D72), the
 * supervision ledger (D73), transfers' feedback (D74), extensions and
 * promised times (D78). One row test per new action and its refusals (D55);
 * each success appends exactly one event named after it (D56, `k.step`).
 */

const { world, run } = useKitWorld();

const clocksOf = (db: Db, id: string) =>
  db
    .select()
    .from(slaClocks)
    .where(eq(slaClocks.complaintId, id))
    .orderBy(asc(slaClocks.startedAt), asc(slaClocks.kind));
const running = async (db: Db, id: string, kind: string) =>
  (
    await db
      .select()
      .from(slaClocks)
      .where(and(eq(slaClocks.complaintId, id), isNull(slaClocks.stoppedAt)))
  ).filter((c) => c.kind === kind);
const ANSWER = { method: 'PHONE', content: 'The 5G plan costs 129 yuan a month.' } as const;

describe('D70: every contact is a case of a kind', () => {
  it(
    'D70 D10: any staff member of any unit registers a consultation through any channel, and is its first responder',
    run(async (k, db) => {
      for (const [as, channel] of [
        ['th.duty', 'ONLINE'],
        ['gz.leader', 'PHONE'],
        ['bc.handler', 'BUSINESS_HALL'],
        ['gd.agent', 'APP'],
      ] as const) {
        const c = await k.register(as, { kind: 'CONSULTATION', channel });
        expect(c).toMatchObject({
          kind: 'CONSULTATION',
          status: 'RECEIVED',
          firstResponderId: k.uid(as),
          handlingUnitId: k.unit('GD'),
        });
        // D71: ANSWER 4 hours for a consultation; ACCEPT does not run.
        const clocks = await clocksOf(db, c.id);
        expect(clocks.find((x) => x.kind === 'ACCEPT')).toBeUndefined();
        expect(clocks.find((x) => x.kind === 'ANSWER')!.dueAt).toEqual(
          new Date(T0.getTime() + 4 * HOUR),
        );
        const [register] = await eventsOf(db, c.id);
        expect(register).toMatchObject({
          action: 'REGISTER',
          fromStatus: null,
          toStatus: 'RECEIVED',
          payload: { kind: 'CONSULTATION' },
        });
      }
      for (const kind of ['QUERY', 'BUSINESS_REQUEST'] as const) {
        const c = await k.register('gz.handler', { kind, channel: 'PHONE' });
        expect((await running(db, c.id, 'ANSWER'))[0]!.dueAt).toEqual(
          new Date(T0.getTime() + 24 * HOUR),
        );
      }
      // An AUDITOR only reads; a complaint keeps D53's registrars (a HANDLER registers walk-ins only).
      await expect(k.register('gd.auditor', { kind: 'QUERY' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(k.register('gz.handler', { channel: 'PHONE' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }),
  );

  it(
    'D70 D71 D60: a consultation offers exactly answer, forward and convert (and contact, withdraw); complaint actions are INVALID_TRANSITION',
    run(async (k) => {
      const c = await k.register('th.duty', { kind: 'CONSULTATION', channel: 'PHONE' });
      const fr = viewerActions(k.who('th.duty'), c);
      expect(fr).toEqual(
        expect.arrayContaining(['ANSWER_CONTACT', 'FORWARD_CONTACT', 'CONVERT_TO_COMPLAINT']),
      );
      for (const a of [
        'ACCEPT',
        'REJECT',
        'RESOLVE_ON_SPOT',
        'DISPATCH',
        'ESCALATE',
        'OPEN_SUPERVISION',
        'RECORD_CALLBACK',
      ] as const) {
        expect(viewerActions(k.who('gd.agent'), c)).not.toContain(a);
      }
      await k.refuse('gd.agent', 'ACCEPT', c, MOBILE, 'INVALID_TRANSITION');
      await k.refuse('gd.agent', 'RESOLVE_ON_SPOT', c, { answer: 'x' }, 'INVALID_TRANSITION');
      // And a complaint is never answered as a contact.
      const complaint = await k.register('gd.agent');
      await k.refuse('gd.agent', 'ANSWER_CONTACT', complaint, ANSWER, 'INVALID_TRANSITION');
      await k.refuse(
        'gd.agent',
        'FORWARD_CONTACT',
        complaint,
        { toUnitId: k.unit('GD-GZ'), deadline: k.deadline(1) },
        'INVALID_TRANSITION',
      );
    }),
  );
});

describe('D71: consultations, queries and requests', () => {
  it(
    'D71 D23 D56: the first responder answers: CLOSED, a substantive final contact, ANSWER met, one ANSWER_CONTACT event; archived like a complaint',
    run(async (k, db) => {
      const c = await k.register('th.duty', { kind: 'CONSULTATION', channel: 'BUSINESS_HALL' });
      world().clock.advance(HOUR);
      await k.refuse(
        'th.duty',
        'ANSWER_CONTACT',
        c,
        { method: 'PHONE', content: '  ' },
        'VALIDATION',
        { field: ['input', 'content'] },
      );
      const { after, event } = await k.step('th.duty', 'ANSWER_CONTACT', c, ANSWER);
      expect(after).toMatchObject({ status: 'CLOSED', answeredAt: world().clock.now() });
      expect(event).toMatchObject({
        fromStatus: 'RECEIVED',
        toStatus: 'CLOSED',
        payload: { method: 'PHONE', final: true },
      });
      const [contact] = await db
        .select()
        .from(customerContacts)
        .where(eq(customerContacts.complaintId, c.id));
      expect(contact).toMatchObject({ content: ANSWER.content, substantive: true, final: true });
      const clocks = await clocksOf(db, c.id);
      expect(clocks.find((x) => x.kind === 'ANSWER')!.state).toBe('MET');
      expect(clocks.find((x) => x.kind === 'ARCHIVE')!.stoppedAt).toBeNull();
      // Never called back; archived by the centre.
      await k.refuse(
        'gd.agent',
        'RECORD_CALLBACK',
        after,
        { result: 'SATISFIED' },
        'INVALID_TRANSITION',
      );
      await k.refuse('gd.agent', 'ANSWER_CONTACT', after, ANSWER, 'INVALID_TRANSITION');
      await k.step('gd.agent', 'ARCHIVE', after, {});
    }),
  );

  it(
    'D71 D53 D10: forwarded to a unit with a deadline it stays RECEIVED, held there: its HANDLERs answer (ASSIGNMENT met), the first responder still reads it',
    run(async (k, db) => {
      const c = await k.register('th.duty', { kind: 'QUERY', channel: 'PHONE' });
      const deadline = new Date(T0.getTime() + 2 * DAY);
      const { after, event } = await k.step('gd.agent', 'FORWARD_CONTACT', c, {
        toUnitId: k.unit('GD-SZ'),
        deadline,
        note: 'Billing system is theirs',
      });
      expect(after).toMatchObject({ status: 'RECEIVED', handlingUnitId: k.unit('GD-SZ') });
      expect(event).toMatchObject({
        fromStatus: 'RECEIVED',
        toStatus: 'RECEIVED',
        payload: { toUnit: 'GD-SZ', noteSha256: sha256Hex('Billing system is theirs') },
        note: 'Billing system is theirs',
      });
      expect((await running(db, c.id, 'ASSIGNMENT'))[0]!.dueAt).toEqual(deadline);
      expect(viewerActions(k.who('sz.handler'), after)).toContain('ANSWER_CONTACT');
      expect(viewerActions(k.who('th.duty'), after)).toContain('ANSWER_CONTACT'); // the first responder chases and may answer
      await k.refuse('gz.handler', 'ANSWER_CONTACT', after, ANSWER, 'NOT_FOUND'); // another unit does not read it (D54)
      world().clock.advance(5 * HOUR);
      await k.step('sz.handler', 'ANSWER_CONTACT', after, ANSWER);
      const clocks = await clocksOf(db, c.id);
      expect(clocks.find((x) => x.kind === 'ASSIGNMENT')!.state).toBe('MET');
      expect(clocks.find((x) => x.kind === 'ANSWER')!.state).toBe('MET');
    }),
  );

  it(
    'D71: an answer after the forward deadline leaves its ASSIGNMENT MISSED; a new forward cancels the open one',
    run(async (k, db) => {
      const c = await k.register('gd.agent', { kind: 'BUSINESS_REQUEST' });
      await k.step('gd.agent', 'FORWARD_CONTACT', c, {
        toUnitId: k.unit('GD-GZ'),
        deadline: new Date(T0.getTime() + HOUR),
      });
      await k.step('gd.agent', 'FORWARD_CONTACT', c, {
        toUnitId: k.unit('GD-SZ'),
        deadline: new Date(T0.getTime() + 2 * HOUR),
      });
      world().clock.advance(3 * HOUR);
      await k.step('sz.handler', 'ANSWER_CONTACT', c, ANSWER);
      const states = (await clocksOf(db, c.id))
        .filter((x) => x.kind === 'ASSIGNMENT')
        .map((x) => x.state);
      expect(states.sort()).toEqual(['CANCELLED', 'MISSED']);
    }),
  );

  it(
    'D71 D55 D57: forward refusals: a handler is FORBIDDEN; a deadline past or over 15 days VALIDATION; another province FORBIDDEN on toUnitId',
    run(async (k) => {
      const c = await k.register('gd.agent', { kind: 'QUERY' });
      const fwd = (deadline: Date, to = 'GD-GZ') => ({ toUnitId: k.unit(to), deadline });
      await k.refuse('gz.handler', 'FORWARD_CONTACT', c, fwd(k.deadline(1)), 'NOT_FOUND');
      const walkIn = await k.register('th.handler', { kind: 'QUERY', channel: 'VISIT' });
      await k.refuse('gd.duty', 'FORWARD_CONTACT', walkIn, fwd(k.deadline(1)), 'FORBIDDEN'); // reads it, holds no role that forwards
      await k.refusals('FORWARD_CONTACT', c, [
        ['gd.agent', fwd(new Date(T0.getTime() - HOUR)), 'VALIDATION', ['input', 'deadline']],
        ['gd.agent', fwd(k.deadline(16)), 'VALIDATION', ['input', 'deadline']],
        ['gd.agent', fwd(k.deadline(1), 'ZJ-HZ'), 'FORBIDDEN', ['input', 'toUnitId']],
        [
          'gd.agent',
          { toUnitId: null, deadline: k.deadline(1) },
          'VALIDATION',
          ['input', 'toUnitId'],
        ],
      ]);
      await k.step('th.handler', 'FORWARD_CONTACT', walkIn, fwd(k.deadline(15))); // the first responder forwards
    }),
  );

  it(
    'D71 D10: converting registers a new COMPLAINT with the same customer, first responder and contact time; both linked; the contact CLOSED',
    run(async (k, db) => {
      const contactAt = new Date(T0.getTime() - 5 * 60 * 1000);
      const c = await k.register('th.duty', { kind: 'QUERY', channel: 'BUSINESS_HALL', contactAt });
      world().clock.advance(HOUR);
      await k.refusals('CONVERT_TO_COMPLAINT', c, [
        ['gz.handler', {}, 'NOT_FOUND'],
        ['th.handler', {}, 'NOT_FOUND'],
      ]);
      const { after, event } = await k.step('th.duty', 'CONVERT_TO_COMPLAINT', c, {
        note: 'The bill is wrong: a complaint',
      });
      expect(after.status).toBe('CLOSED');
      const [created] = await db
        .select()
        .from(complaints)
        .where(eq(complaints.convertedFromId, c.id));
      expect(after.convertedToId).toBe(created!.id);
      expect(event.payload).toMatchObject({ convertedTo: created!.number });
      expect(created).toMatchObject({
        kind: 'COMPLAINT',
        status: 'RECEIVED',
        firstResponderId: k.uid('th.duty'),
        contactAt,
        customerPhone: c.customerPhone,
        customerName: c.customerName,
        registeredAt: world().clock.now(),
      });
      const [register] = await eventsOf(db, created!.id);
      expect(register).toMatchObject({
        action: 'REGISTER',
        fromStatus: null,
        toStatus: 'RECEIVED',
        payload: { convertedFrom: c.id },
      });
      expect((await running(db, created!.id, 'ACCEPT')).length).toBe(1);
      expect(await running(db, c.id, 'ANSWER')).toEqual([]);
      // The engine's entry point answers the new complaint.
      const q = await k.register('gd.agent', { kind: 'CONSULTATION' });
      const made = await convertToComplaint(k.env, k.who('gd.agent'), q.id, {});
      expect(made).toMatchObject({ kind: 'COMPLAINT', convertedFromId: q.id });
    }),
  );
});

describe('D72: fault reports', () => {
  it(
    'D72 D20: accepted, a fault report runs REPAIR in place of RESOLVE: 4 hours on the enterprise line (its plugin), 24 on others; supervised by the province',
    run(async (k, db) => {
      for (const [line, hours] of [
        ['enterprise', 4],
        ['broadband', 24],
      ] as const) {
        const c = await k.register('bc.handler', { kind: 'FAULT_REPORT', channel: 'PHONE' });
        expect((await running(db, c.id, 'ACCEPT')).length).toBe(1);
        const { after } = await k.step('gd.agent', 'ACCEPT', c, {
          businessLine: line,
          category: 'NETWORK_TECHNICAL',
          severity: 'ORDINARY',
        });
        expect((await running(db, c.id, 'REPAIR'))[0]!.dueAt).toEqual(
          new Date(T0.getTime() + hours * HOUR),
        );
        expect(await running(db, c.id, 'RESOLVE')).toEqual([]);
        expect(after).toMatchObject({ supervisingUnitId: k.unit('GD'), supervisorId: null });
        const [ledger] = await db
          .select()
          .from(supervisions)
          .where(eq(supervisions.complaintId, c.id));
        expect(ledger).toMatchObject({
          reason: 'FAULT_REPORT',
          supervisingUnitId: k.unit('GD'),
          endedAt: null,
        });
        expect((await running(db, c.id, 'PROGRESS')).length).toBe(1);
      }
    }),
  );

  it(
    'D72 D73 D24: a fault report is dispatched (never past REPAIR), repaired and resolved like a complaint: REPAIR met, the supervision ends',
    run(async (k, db) => {
      let c = await k.register('bc.handler', { kind: 'FAULT_REPORT', channel: 'PHONE' });
      c = await k.act('gd.agent', 'ACCEPT', c, {
        businessLine: 'broadband',
        category: 'NETWORK_TECHNICAL',
        severity: 'ORDINARY',
      });
      await k.refuse(
        'gd.agent',
        'DISPATCH',
        c,
        { toUnitId: k.unit('GD-GZ'), deadline: k.deadline(2) },
        'VALIDATION',
        { field: ['input', 'deadline'] },
      );
      c = await k.act('gd.agent', 'DISPATCH', c, {
        toUnitId: k.unit('GD-GZ'),
        deadline: new Date(T0.getTime() + 20 * HOUR),
      });
      c = await k.act('gz.handler', 'ACKNOWLEDGE', c, {});
      c = await k.report(c, 'gz.handler', { kind: 'SERVICE_RESTORED' });
      c = await k.act('gz.leader', 'CONFIRM_REPORT', c, { approve: true });
      world().clock.advance(3 * HOUR);
      const { after } = await k.step('gd.agent', 'REVIEW_REPORT', c, { approve: true });
      expect(after.status).toBe('RESOLVED');
      const clocks = await clocksOf(db, c.id);
      expect(clocks.find((x) => x.kind === 'REPAIR')!.state).toBe('MET');
      expect(clocks.find((x) => x.kind === 'RESOLVE')).toBeUndefined();
      expect(clocks.find((x) => x.kind === 'PROGRESS')!.state).toBe('CANCELLED');
      expect(after.supervisingUnitId).toBeNull();
      const [ledger] = await db
        .select()
        .from(supervisions)
        .where(eq(supervisions.complaintId, c.id));
      expect(ledger!.endedAt).toEqual(world().clock.now());
      const replied = await k.act('gd.agent', 'REPLY_TO_CUSTOMER', after, {
        method: 'PHONE',
        content: 'Repaired.',
      });
      expect(viewerActions(k.who('gd.agent'), replied)).toContain('RECORD_CALLBACK'); // called back like a complaint
    }),
  );
});

describe('D73: the supervision ledger', () => {
  it(
    'D73: a MAJOR acceptance opens a province ledger without supervisor; a province DUTY_MANAGER takes it (to themselves only); the supervisor hands it to a LEGAL_OFFICER',
    run(async (k) => {
      /** The input handing the supervision to this user. */
      const to = (username: string) => ({ toUserId: k.uid(username) });
      const c = await k.accepted({}, 'mobile', 'MAJOR');
      expect(c).toMatchObject({ supervisingUnitId: k.unit('GD'), supervisorId: null });
      await k.refusals('HAND_OVER_SUPERVISION', c, [
        ['gz.duty', to('gz.duty'), 'NOT_FOUND'], // the city does not read it yet
        ['gd.auditor', to('gd.duty'), 'FORBIDDEN'],
        ['gd.duty', to('gd.legal'), 'FORBIDDEN', ['input', 'toUserId']],
      ]);
      const { after, event } = await k.step('gd.duty', 'HAND_OVER_SUPERVISION', c, to('gd.duty'));
      expect(after.supervisorId).toBe(k.uid('gd.duty'));
      expect(event.payload).toMatchObject({ toUser: 'gd.duty' });
      await k.refuse('gd.duty', 'HAND_OVER_SUPERVISION', after, to('gz.duty'), 'VALIDATION', {
        field: ['input', 'toUserId'],
      });
      const { after: handed } = await k.step('gd.duty', 'HAND_OVER_SUPERVISION', after, {
        toUserId: k.uid('gd.legal'),
        note: 'Legal takes it',
      });
      expect(handed.supervisorId).toBe(k.uid('gd.legal'));
      // Now a duty manager who is not the supervisor holds no seat of the ledger.
      await k.refuse('gd.duty', 'HAND_OVER_SUPERVISION', handed, to('gd.duty'), 'FORBIDDEN');
      await k.refuse('gd.legal', 'OPEN_SUPERVISION', handed, {}, 'INVALID_TRANSITION'); // already supervised
    }),
  );

  it(
    'D73 D51 D56: the holder reports progress with a note; PROGRESS is due 2 working days after the later of the opening and the last report',
    run(async (k, db) => {
      const c = await k.accepted({}, 'mobile', 'URGENT'); // Mon 2026-11-23 10:00
      const first = (await running(db, c.id, 'PROGRESS'))[0]!;
      expect(first.dueAt).toEqual(new Date('2026-11-26T00:00:00+08:00')); // end of Wednesday
      await k.refusals('REPORT_PROGRESS', c, [
        ['gd.agent', { note: ' ' }, 'VALIDATION', ['input', 'note']],
        ['gz.handler', { note: NOTE }, 'NOT_FOUND'],
        ['gd.duty', { note: NOTE }, 'FORBIDDEN'],
      ]);
      world().clock.set(new Date('2026-11-24T15:00:00+08:00'));
      const { event } = await k.step('gd.agent', 'REPORT_PROGRESS', c, {
        note: 'Engineer dispatched',
      });
      expect(event).toMatchObject({
        payload: { noteSha256: sha256Hex('Engineer dispatched') },
        note: 'Engineer dispatched',
      });
      const clocks = (await clocksOf(db, c.id)).filter((x) => x.kind === 'PROGRESS');
      expect(clocks.map((x) => x.state)).toEqual(['MET', 'RUNNING']);
      expect(clocks[1]!.dueAt).toEqual(new Date('2026-11-27T00:00:00+08:00')); // end of Thursday
      const reports = await db
        .select()
        .from(progressReports)
        .where(eq(progressReports.complaintId, c.id));
      expect(reports).toMatchObject([{ note: 'Engineer dispatched', byUserId: k.uid('gd.agent') }]);
      const ordinary = await k.accepted();
      await k.refuse('gd.agent', 'REPORT_PROGRESS', ordinary, { note: NOTE }, 'INVALID_TRANSITION'); // not supervised
    }),
  );

  it(
    'D73: openSupervision by a DUTY_MANAGER of the handling unit or above (the ledger is their unit) or the province LEGAL_OFFICER; an AUDITOR is FORBIDDEN',
    run(async (k, db) => {
      const c = await k.investigating('city');
      await k.refusals('OPEN_SUPERVISION', c, [
        ['gd.auditor', {}, 'FORBIDDEN'],
        ['gz.handler', {}, 'FORBIDDEN'],
      ]);
      const { after } = await k.step('gz.duty', 'OPEN_SUPERVISION', c, { note: 'Watch this one' });
      expect(after).toMatchObject({
        supervisingUnitId: k.unit('GD-GZ'),
        supervisorId: k.uid('gz.duty'),
      });
      const [ledger] = await db
        .select()
        .from(supervisions)
        .where(eq(supervisions.complaintId, c.id));
      expect(ledger).toMatchObject({ reason: 'OPENED', openedBy: k.uid('gz.duty') });
      const other = await k.investigating('city');
      const { after: byLegal } = await k.step('gd.legal', 'OPEN_SUPERVISION', other, {});
      expect(byLegal.supervisingUnitId).toBe(k.unit('GD'));
    }),
  );

  it(
    'D73 D13: an approved escalation opens a ledger of the deciding unit; a declined one does not',
    run(async (k) => {
      const c = await k.investigating('county');
      await k.act('th.handler', 'ESCALATE', c, { note: 'Many customers' });
      const { after } = await k.step('gz.leader', 'DECIDE_ESCALATION', c, { approve: true });
      expect(after).toMatchObject({ supervisingUnitId: k.unit('GD-GZ'), supervisorId: null });
      const d = await k.investigating('county');
      await k.act('th.handler', 'ESCALATE', d, { note: 'Many customers' });
      const { after: declined } = await k.step('gz.leader', 'DECIDE_ESCALATION', d, {
        approve: false,
        note: 'Not yet',
      });
      expect(declined.supervisingUnitId).toBeNull();
    }),
  );

  it(
    'D73 D21 D32: an overdue progress report raises alerts, counts in the briefing, and supervisedComplaints lists it first',
    run(async (k, db) => {
      const late = await k.investigating('city');
      await k.act('gz.duty', 'OPEN_SUPERVISION', late, {});
      world().clock.set(new Date('2026-11-24T10:00:00+08:00'));
      const fresh = await k.investigating('city');
      await k.act('gz.duty', 'OPEN_SUPERVISION', fresh, {});
      world().clock.set(new Date('2026-11-26T09:00:00+08:00')); // the first's PROGRESS (due Wed 24:00) has breached
      await scanAll(db, world().clock.now());
      const alerts = (await eventsOf(db, late.id)).filter(
        (e) => e.action === 'SLA_BREACH' || e.action === 'SLA_WARNING',
      );
      expect(
        alerts.some(
          (e) => e.action === 'SLA_BREACH' && (e.payload as { clock: string }).clock === 'PROGRESS',
        ),
      ).toBe(true);
      const who = k.who('gz.duty');
      const page = await supervisedComplaints(
        db,
        k.uid('gz.duty'),
        complaintsWhere(who.ability, 'read'),
        10,
      );
      expect(page.rows.map((r) => r.id)).toEqual([late.id, fresh.id]);
      const two = await supervisedComplaints(
        db,
        k.uid('gz.duty'),
        complaintsWhere(who.ability, 'read'),
        1,
      );
      const rest = await supervisedComplaints(
        db,
        k.uid('gz.duty'),
        complaintsWhere(who.ability, 'read'),
        1,
        two.cursors[0],
      );
      expect(rest.rows.map((r) => r.id)).toEqual([fresh.id]);
      const gz = world().units['GD-GZ']!;
      const briefing = await dutyBriefing(
        db,
        complaintsWhere(who.ability, 'read'),
        gz as never,
        world().clock.now(),
      );
      expect(briefing.supervisedOverdue).toBe(1);
    }),
  );
});

describe('D74: feedback to whoever transferred a case', () => {
  it(
    'D74 D9: transferredBy at registration; FEEDBACK due at the own deadline (fixed); the LEGAL_OFFICER records feedback (MET); an agent is FORBIDDEN',
    run(async (k, db) => {
      const deadline = new Date(T0.getTime() + 10 * DAY);
      const t = await k.register('gd.legal', {
        source: 'REGULATOR_TRANSFER',
        transferredBy: '广东省通信管理局',
        externalRef: 'GDCA-1',
        externalDeadline: deadline,
      });
      expect(t.transferredBy).toBe('广东省通信管理局');
      const fb = (await running(db, t.id, 'FEEDBACK'))[0]!;
      expect(fb).toMatchObject({ dueAt: deadline, fixed: true });
      await expect(k.register('gd.agent', { transferredBy: 'Someone' })).rejects.toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'transferredBy'],
      });
      await k.refusals('RECORD_TRANSFER_FEEDBACK', t, [
        ['gd.agent', { method: 'LETTER', content: 'x' }, 'FORBIDDEN'],
        ['gd.legal', { method: 'LETTER', content: ' ' }, 'VALIDATION', ['input', 'content']],
      ]);
      const { after, event } = await k.step('gd.legal', 'RECORD_TRANSFER_FEEDBACK', t, {
        method: 'LETTER',
        content: 'Accepted and being handled.',
      });
      expect(after.transferFeedbackAt).toEqual(T0);
      expect(event.payload).toEqual({ method: 'LETTER' });
      expect((await clocksOf(db, t.id)).find((x) => x.kind === 'FEEDBACK')!.state).toBe('MET');
      expect(
        await db.select().from(transferFeedback).where(eq(transferFeedback.complaintId, t.id)),
      ).toHaveLength(1);
      const ordinary = await k.register('gd.agent');
      await k.refuse(
        'gd.legal',
        'RECORD_TRANSFER_FEEDBACK',
        ordinary,
        { method: 'LETTER', content: 'x' },
        'INVALID_TRANSITION',
      );
    }),
  );

  it(
    'D74 D60: a transfer cannot close before its feedback: SATISFIED is INVALID_TRANSITION, UNSATISFIED reopens; RECORD_CALLBACK stays listed',
    run(async (k) => {
      const t = await k.replied('city', {
        source: 'GOVERNMENT_TRANSFER',
        transferredBy: '市政府热线',
      });
      expect(viewerActions(k.who('gd.legal'), t)).toContain('RECORD_CALLBACK');
      await k.refusals('RECORD_CALLBACK', t, [
        ['gd.legal', { result: 'SATISFIED' }, 'INVALID_TRANSITION', ['input', 'result']],
        ['gd.legal', { result: 'UNREACHABLE' }, 'INVALID_TRANSITION'],
      ]);
      const { after } = await k.step('gd.legal', 'RECORD_CALLBACK', t, {
        result: 'UNSATISFIED',
        note: 'Still broken',
      });
      expect(after.status).toBe('INVESTIGATING');
      const u = await k.replied('city', { source: 'GROUP_TRANSFER' });
      await k.step('gd.legal', 'RECORD_TRANSFER_FEEDBACK', u, {
        method: 'EMAIL',
        content: 'Resolved.',
      });
      const { after: closed } = await k.step('gd.legal', 'RECORD_CALLBACK', await k.reload(u), {
        result: 'SATISFIED',
      });
      expect(closed.status).toBe('CLOSED');
    }),
  );
});

describe('D78: promised times and extensions', () => {
  it(
    'D78 D24: a city handler asks to extend its ASSIGNMENT; the province centre decides; approved the due moves, promisedAt is set and a contact names the time',
    run(async (k, db) => {
      const c = await k.investigating('city');
      const before = (await running(db, c.id, 'ASSIGNMENT'))[0]!;
      const resolveDue = (await running(db, c.id, 'RESOLVE'))[0]!.dueAt!;
      const to = new Date(before.dueAt!.getTime() + DAY);
      await k.refusals('REQUEST_EXTENSION', c, [
        [
          'gz.handler',
          { clock: 'ASSIGNMENT', dueAt: to, note: ' ' },
          'VALIDATION',
          ['input', 'note'],
        ],
        [
          'gz.handler',
          { clock: 'ASSIGNMENT', dueAt: new Date(resolveDue.getTime() + HOUR), note: NOTE },
          'VALIDATION',
          ['input', 'dueAt'],
        ],
        [
          'gz.handler',
          { clock: 'ASSIGNMENT', dueAt: new Date(before.dueAt!.getTime() - HOUR), note: NOTE },
          'VALIDATION',
          ['input', 'dueAt'],
        ],
        ['gz.handler', { clock: 'REPLY', dueAt: to, note: NOTE }, 'VALIDATION', ['input', 'clock']],
        ['gd.agent', { clock: 'ASSIGNMENT', dueAt: to, note: NOTE }, 'FORBIDDEN'],
      ]); // not the holder now
      await k.refuse('gd.agent', 'DECIDE_EXTENSION', c, { approve: true }, 'INVALID_TRANSITION'); // nothing pending
      const { event } = await k.step('gz.handler', 'REQUEST_EXTENSION', c, {
        clock: 'ASSIGNMENT',
        dueAt: to,
        note: 'Waiting for the vendor',
      });
      expect(event).toMatchObject({
        payload: {
          clock: 'ASSIGNMENT',
          dueAt: to.toISOString(),
          noteSha256: sha256Hex('Waiting for the vendor'),
        },
        note: 'Waiting for the vendor',
      });
      await k.refuse(
        'gz.handler',
        'REQUEST_EXTENSION',
        c,
        { clock: 'ASSIGNMENT', dueAt: to, note: NOTE },
        'INVALID_TRANSITION',
        { field: ['input', 'clock'] },
      ); // one pending per clock
      await k.refusals('DECIDE_EXTENSION', c, [
        ['gz.leader', { approve: true }, 'FORBIDDEN'],
        ['gd.agent', { approve: false }, 'VALIDATION', ['input', 'note']],
      ]);
      world().clock.advance(HOUR);
      const { after } = await k.step('gd.agent', 'DECIDE_EXTENSION', c, { approve: true });
      expect(after.promisedAt).toEqual(to);
      expect(after.extensionDeciders).toBeNull();
      expect((await running(db, c.id, 'ASSIGNMENT'))[0]!.dueAt).toEqual(to);
      const contacts = await db
        .select()
        .from(customerContacts)
        .where(eq(customerContacts.complaintId, c.id));
      const shanghai = new Date(to.getTime() + 8 * HOUR)
        .toISOString()
        .slice(0, 16)
        .replace('T', ' ');
      expect(contacts.at(-1)!.content).toContain(shanghai);
      const [x] = await db.select().from(extensions).where(eq(extensions.complaintId, c.id));
      expect(x).toMatchObject({
        status: 'APPROVED',
        decidedBy: k.uid('gd.agent'),
        fromDueAt: before.dueAt,
        toDueAt: to,
      });
    }),
  );

  it(
    "D78: a county's request is decided by its city's DEPARTMENT_LEADER, the province's own by the LEGAL_OFFICER; declined, the due stays",
    run(async (k, db) => {
      const c = await k.investigating('county');
      const due = (await running(db, c.id, 'CLOSE'))[0]!.dueAt!;
      await k.act('th.handler', 'REQUEST_EXTENSION', c, {
        clock: 'CLOSE',
        dueAt: new Date(due.getTime() + 3 * DAY),
        note: NOTE,
      });
      await k.refusals('DECIDE_EXTENSION', c, [
        ['th.leader', { approve: true }, 'FORBIDDEN'],
        ['gd.agent', { approve: true }, 'FORBIDDEN'],
      ]);
      const { after } = await k.step('gz.leader', 'DECIDE_EXTENSION', c, {
        approve: false,
        note: 'Finish it on time',
      });
      expect(after.promisedAt).toBeNull();
      expect((await running(db, c.id, 'CLOSE'))[0]!.dueAt).toEqual(due);
      const p = await k.accepted();
      const answer = (await running(db, p.id, 'ANSWER'))[0]!.dueAt!;
      await k.act('gd.agent', 'REQUEST_EXTENSION', p, {
        clock: 'ANSWER',
        dueAt: new Date(answer.getTime() + DAY),
        note: NOTE,
      });
      await k.refuse('gd.agent2', 'DECIDE_EXTENSION', p, { approve: true }, 'FORBIDDEN');
      await k.step('gd.legal', 'DECIDE_EXTENSION', p, { approve: true });
    }),
  );

  it(
    "D78 D24: a transfer's fixed deadline cannot be extended (INVALID_TRANSITION)",
    run(async (k) => {
      const t = await k.accepted({
        source: 'REGULATOR_TRANSFER',
        externalDeadline: new Date(T0.getTime() + 10 * DAY),
      });
      await k.refusals('REQUEST_EXTENSION', t, [
        [
          'gd.legal',
          { clock: 'RESOLVE', dueAt: new Date(T0.getTime() + 20 * DAY), note: NOTE },
          'INVALID_TRANSITION',
          ['input', 'clock'],
        ],
        [
          'gd.legal',
          { clock: 'FEEDBACK', dueAt: new Date(T0.getTime() + 20 * DAY), note: NOTE },
          'INVALID_TRANSITION',
        ],
      ]);
    }),
  );
});
