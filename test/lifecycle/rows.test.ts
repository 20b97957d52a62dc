import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import {
  assignments,
  customerContacts,
  investigations,
  responsibilityFindings,
  slaClocks,
  supervisionNotes,
} from '../../src/db/schema.js';
import { sha256Hex } from '../../src/domain/canonical-json.js';
import { formatDateTime } from '../../src/wire/datetime.js';
import { DAY, HOUR, MOBILE } from '../support/cases.js';
import { T0 } from '../support/world.js';
import { NOTE, useKitWorld } from './kit.js';

const { world, run } = useKitWorld();

const resolveDue = async (db: Db, id: string) =>
  (
    await db
      .select()
      .from(slaClocks)
      .where(
        and(
          eq(slaClocks.complaintId, id),
          eq(slaClocks.kind, 'RESOLVE'),
          isNull(slaClocks.stoppedAt),
        ),
      )
  )[0]!.dueAt!;

describe('RECEIVED → ACCEPTED: accept (classify)', () => {
  it(
    '§3 D56: the province acceptance centre accepts a RECEIVED case: line, category, severity set, one ACCEPT event',
    run(async (k) => {
      for (const as of ['gd.agent', 'gd.agent2', 'gd.legal']) {
        const c = await k.register('gd.agent');
        const { after, event } = await k.step(as, 'ACCEPT', c, {
          businessLine: 'broadband',
          category: 'SERVICE_QUALITY',
          severity: 'MAJOR',
        });
        expect(after).toMatchObject({
          status: 'ACCEPTED',
          businessLine: 'broadband',
          category: 'SERVICE_QUALITY',
          severity: 'MAJOR',
          handlingUnitId: k.unit('GD'),
        });
        expect(after.acceptedAt).toEqual(T0);
        expect(event).toMatchObject({
          fromStatus: 'RECEIVED',
          toStatus: 'ACCEPTED',
          payload: { businessLine: 'broadband', category: 'SERVICE_QUALITY', severity: 'MAJOR' },
        });
      }
    }),
  );

  it(
    '§3 D55: accept only from RECEIVED (INVALID_TRANSITION otherwise); a HANDLER or AUDITOR is FORBIDDEN',
    run(async (k) => {
      const c = await k.accepted();
      await k.refuse('gd.agent', 'ACCEPT', c, MOBILE, 'INVALID_TRANSITION');
      const fresh = await k.register('gd.agent');
      await k.refusals('ACCEPT', fresh, [
        ['gd.auditor', MOBILE, 'FORBIDDEN'],
        ['gd.duty', MOBILE, 'FORBIDDEN'],
      ]);
      const walkIn = await k.register('gz.handler', { channel: 'VISIT' });
      await k.refuse('gz.handler', 'ACCEPT', walkIn, MOBILE, 'FORBIDDEN'); // its first responder, but not the acceptance centre
    }),
  );

  it(
    'D9 D53: a transfer is accepted by the LEGAL_OFFICER; an agent is FORBIDDEN',
    run(async (k) => {
      const c = await k.register('gd.legal', { source: 'GOVERNMENT_TRANSFER' });
      await k.refuse('gd.agent', 'ACCEPT', c, MOBILE, 'FORBIDDEN');
      const { after } = await k.step('gd.legal', 'ACCEPT', c, MOBILE);
      expect(after).toMatchObject({ status: 'ACCEPTED', legalOwned: true });
    }),
  );

  it(
    'D58: acceptance merges its details over those registered and validates the whole against the line it sets',
    run(async (k) => {
      const c = await k.register('gd.agent', {
        businessLine: 'mobile',
        details: { msisdn: '13812345678', cellId: 'OLD' },
      });
      const { after } = await k.step('gd.agent', 'ACCEPT', c, {
        ...MOBILE,
        details: { imei: '123456789012345', cellId: 'GZ-0042' },
      });
      expect(after.details).toEqual({
        msisdn: '13812345678',
        imei: '123456789012345',
        cellId: 'GZ-0042',
      });

      // Registered mobile details do not fit broadband: the merged whole is refused with the path of the stray key.
      const d = await k.register('gd.agent', {
        businessLine: 'mobile',
        details: { imei: '123456789012345' },
      });
      await k.refusals('ACCEPT', d, [
        [
          'gd.agent',
          {
            businessLine: 'broadband',
            category: 'SERVICE_QUALITY',
            severity: 'ORDINARY',
            details: { planMbps: 100 },
          },
          'VALIDATION',
          ['input', 'details', 'imei'],
        ],
        [
          'gd.agent',
          { ...MOBILE, details: { imei: '42' } },
          'VALIDATION',
          ['input', 'details', 'imei'],
        ],
        [
          'gd.agent',
          { ...MOBILE, details: { colour: 'red' } },
          'VALIDATION',
          ['input', 'details', 'colour'],
        ],
      ]);
    }),
  );

  it(
    'D4 D58: the category must belong to the line being set; the line must exist (VALIDATION)',
    run(async (k) => {
      const c = await k.register('gd.agent');
      await k.refusals('ACCEPT', c, [
        [
          'gd.agent',
          { businessLine: 'mobile', category: 'CALL_COMPLETION', severity: 'ORDINARY' },
          'VALIDATION',
          ['input', 'category'],
        ],
        [
          'gd.agent',
          { businessLine: 'mobile', category: 'NOPE', severity: 'ORDINARY' },
          'VALIDATION',
          ['input', 'category'],
        ],
        [
          'gd.agent',
          { businessLine: 'telegraph', category: 'PROCESS', severity: 'ORDINARY' },
          'VALIDATION',
          ['input', 'businessLine'],
        ],
      ]);
      const t = await k.register('gd.legal', { businessLine: 'interconnection' });
      const { after } = await k.step('gd.legal', 'ACCEPT', t, {
        businessLine: 'interconnection',
        category: 'SMS_BLOCKING',
        severity: 'ORDINARY',
      });
      expect(after.category).toBe('SMS_BLOCKING');
    }),
  );

  it(
    'D8: the acceptance window is 5 months for billing disputes and 2 years otherwise',
    run(async (k) => {
      const sixMonthsAgo = new Date(T0.getTime() - 183 * DAY);
      const c = await k.register('gd.agent', { contactAt: sixMonthsAgo });
      await k.refuse(
        'gd.agent',
        'ACCEPT',
        c,
        { businessLine: 'billing-dispute', category: 'BILLING_DISPUTE', severity: 'ORDINARY' },
        'VALIDATION',
      );
      await k.step('gd.agent', 'ACCEPT', c, MOBILE);
    }),
  );
});

describe('RECEIVED → REJECTED: reject with a reason (D8)', () => {
  it(
    '§3 D57: the centre rejects a RECEIVED case with a reason and a required note',
    run(async (k) => {
      const c = await k.register('gd.agent');
      for (const note of [undefined, null, '', '   ']) {
        await k.refuse(
          'gd.agent',
          'REJECT',
          c,
          { reason: 'INSUFFICIENT_INFORMATION', note },
          'VALIDATION',
          { field: ['input', 'note'] },
        );
      }
      await k.refuse(
        'gd.agent',
        'REJECT',
        c,
        { reason: 'EXPIRED', note: 'x'.repeat(5001) },
        'VALIDATION',
        { field: ['input', 'note'] },
      );
      const { after, event } = await k.step('gd.agent2', 'REJECT', c, {
        reason: 'OUT_OF_SCOPE',
        note: `  ${NOTE}  `,
      });
      expect(after).toMatchObject({ status: 'REJECTED', rejectionReason: 'OUT_OF_SCOPE' });
      // D51: the note beside the event, its SHA-256 in the payload
      expect(event.payload).toMatchObject({ reason: 'OUT_OF_SCOPE', noteSha256: sha256Hex(NOTE) });
      expect(event.note).toBe(NOTE);
      await k.refuse(
        'gd.agent',
        'REJECT',
        c,
        { reason: 'EXPIRED', note: NOTE },
        'INVALID_TRANSITION',
      );
      const accepted = await k.accepted();
      await k.refusals('REJECT', accepted, [
        ['gd.agent', { reason: 'EXPIRED', note: NOTE }, 'INVALID_TRANSITION'],
        ['gd.duty', { reason: 'EXPIRED', note: NOTE }, 'FORBIDDEN'],
      ]);
    }),
  );

  it(
    'D8 D41: an interconnection complaint (registered by legal affairs or submitted by a partner) may be rejected for any reason but OUT_OF_SCOPE',
    run(async (k) => {
      const c = await k.register('gd.legal', {
        businessLine: 'interconnection',
        category: 'CALL_COMPLETION',
      });
      await k.refusals('REJECT', c, [
        ['gd.legal', { reason: 'OUT_OF_SCOPE', note: NOTE }, 'VALIDATION', ['input', 'reason']],
        ['gd.agent', { reason: 'EXPIRED', note: NOTE }, 'FORBIDDEN'],
      ]); // D41: the legal officer holds it
      const { after } = await k.step('gd.legal', 'REJECT', c, {
        reason: 'DUPLICATE_CONCLUDED',
        note: NOTE,
      });
      expect(after.rejectionReason).toBe('DUPLICATE_CONCLUDED');
      // A partner carrier's own submission, likewise.
      const p = await k.register('partner', {
        channel: 'API',
        businessLine: 'interconnection',
        category: 'SETTLEMENT',
      });
      await k.refuse(
        'gd.legal',
        'REJECT',
        p,
        { reason: 'OUT_OF_SCOPE', note: NOTE },
        'VALIDATION',
        { field: ['input', 'reason'] },
      );
      expect(
        (await k.step('gd.legal', 'REJECT', p, { reason: 'INSUFFICIENT_INFORMATION', note: NOTE }))
          .after.status,
      ).toBe('REJECTED');
    }),
  );
});

describe('RECEIVED, ACCEPTED → REPLIED: resolve on the spot (D10)', () => {
  it(
    '§3 D10 D14: the first responder resolves on the spot from RECEIVED or ACCEPTED; the answer is the reply; the province calls back',
    run(async (k, db) => {
      const received = await k.register('gd.agent');
      const { after, event } = await k.step('gd.agent', 'RESOLVE_ON_SPOT', received, {
        answer: '  Restart the phone.  ',
      });
      expect(after).toMatchObject({
        status: 'REPLIED',
        callerBackUnitId: k.unit('GD'),
        callbackOwed: true,
        handlingUnitId: k.unit('GD'),
      });
      expect(after.repliedAt).toEqual(T0);
      expect(event).toMatchObject({ fromStatus: 'RECEIVED', toStatus: 'REPLIED' });
      const contacts = await db
        .select()
        .from(customerContacts)
        .where(eq(customerContacts.complaintId, received.id));
      expect(contacts).toEqual([
        expect.objectContaining({
          final: true,
          content: 'Restart the phone.',
          byUserId: k.uid('gd.agent'),
        }),
      ]);

      const accepted = await k.accepted();
      expect(
        (await k.step('gd.agent', 'RESOLVE_ON_SPOT', accepted, { answer: 'Done.' })).event
          .fromStatus,
      ).toBe('ACCEPTED');

      const walkIn = await k.register('th.handler', { channel: 'BUSINESS_HALL' });
      expect(
        (await k.step('th.handler', 'RESOLVE_ON_SPOT', walkIn, { answer: 'Explained the tariff.' }))
          .after.status,
      ).toBe('REPLIED');
    }),
  );

  it(
    'D10 D55: only the first responder: another agent or the legal officer is FORBIDDEN; a blank answer VALIDATION; DISPATCHED is too late',
    run(async (k) => {
      const c = await k.register('gd.agent');
      await k.refusals('RESOLVE_ON_SPOT', c, [
        ['gd.agent2', { answer: 'Done.' }, 'FORBIDDEN'],
        ['gd.legal', { answer: 'Done.' }, 'FORBIDDEN'],
        ['gd.auditor', { answer: 'Done.' }, 'FORBIDDEN'],
        ['gd.agent', { answer: '  ' }, 'VALIDATION', ['input', 'answer']],
      ]);
      const d = await k.investigating('city');
      await k.refuse('gd.agent', 'RESOLVE_ON_SPOT', d, { answer: 'Done.' }, 'INVALID_TRANSITION');
    }),
  );
});

describe('ACCEPTED → DISPATCHED: dispatch to a CITY or CENTER (D7)', () => {
  it(
    '§3 D53: the centre dispatches to a city or a centre with a deadline: the unit holds it, an assignment is recorded',
    run(async (k, db) => {
      for (const [as, to] of [
        ['gd.agent', 'GD-GZ'],
        ['gd.legal', 'GD-BC'],
        ['gd.agent2', 'GD-SZ'],
      ] as const) {
        const c = await k.accepted();
        const deadline = k.deadline(3);
        const { after, event } = await k.step(as, 'DISPATCH', c, {
          toUnitId: k.unit(to),
          deadline,
          note: 'Cell site issue',
        });
        expect(after).toMatchObject({
          status: 'DISPATCHED',
          handlingUnitId: k.unit(to),
          dispatchChain: [k.unit(to)],
        });
        expect(after.readerUnits).toEqual(expect.arrayContaining([k.unit('GD'), k.unit(to)]));
        // Issue 20: payload times in the served format (+08:00), like the event's own `at`.
        expect(event.payload).toMatchObject({ toUnit: to, deadline: formatDateTime(deadline) });
        const rows = await db.select().from(assignments).where(eq(assignments.complaintId, c.id));
        expect(rows).toEqual([
          expect.objectContaining({
            fromUnitId: k.unit('GD'),
            toUnitId: k.unit(to),
            deadline,
            returnedAt: null,
          }),
        ]);
      }
    }),
  );

  it(
    "D7: an agent never dispatches to a county, nor to another province's city, nor to the province itself (FORBIDDEN on toUnitId)",
    run(async (k) => {
      const c = await k.accepted();
      for (const to of ['GD-GZ-TH', 'GD-SZ-NS', 'ZJ-HZ', 'GD', 'ZJ']) {
        await k.refuse(
          'gd.agent',
          'DISPATCH',
          c,
          { toUnitId: k.unit(to), deadline: k.deadline(3) },
          'FORBIDDEN',
          { field: ['input', 'toUnitId'] },
        );
      }
      // D55: the target's FORBIDDEN comes before the input's VALIDATION.
      await k.refusals('DISPATCH', c, [
        [
          'gd.agent',
          { toUnitId: k.unit('GD-GZ-TH'), deadline: new Date(T0.getTime() - DAY) },
          'FORBIDDEN',
        ],
        [
          'gd.agent',
          { toUnitId: null, deadline: k.deadline(3) },
          'VALIDATION',
          ['input', 'toUnitId'],
        ],
        [
          'gd.agent',
          { toUnitId: '00000000-0000-4000-8000-000000000000', deadline: k.deadline(3) },
          'VALIDATION',
          ['input', 'toUnitId'],
        ],
      ]);
    }),
  );

  it(
    'D57 D20: the deadline lies in the future and not after the RESOLVE due time (a later one is refused, not cut)',
    run(async (k, db) => {
      const c = await k.accepted();
      const due = await resolveDue(db, c.id);
      expect(due).toEqual(new Date('2026-12-15T00:00:00+08:00')); // 15 working days after Monday 2026-11-23
      for (const deadline of [
        new Date(T0.getTime() - HOUR),
        T0,
        new Date(due.getTime() + 1000),
        k.deadline(30),
      ]) {
        await k.refuse(
          'gd.agent',
          'DISPATCH',
          c,
          { toUnitId: k.unit('GD-GZ'), deadline },
          'VALIDATION',
          { field: ['input', 'deadline'] },
        );
      }
      const { after } = await k.step('gd.agent', 'DISPATCH', c, {
        toUnitId: k.unit('GD-GZ'),
        deadline: due,
      });
      expect(after.status).toBe('DISPATCHED');

      // A transfer's own deadline replaces RESOLVE (D20).
      const external = new Date(T0.getTime() + 2 * DAY);
      const t = await k.accepted({ source: 'REGULATOR_TRANSFER', externalDeadline: external });
      expect(await resolveDue(db, t.id)).toEqual(external);
      await k.refuse(
        'gd.legal',
        'DISPATCH',
        t,
        { toUnitId: k.unit('GD-GZ'), deadline: k.deadline(3) },
        'VALIDATION',
        { field: ['input', 'deadline'] },
      );
      await k.step('gd.legal', 'DISPATCH', t, { toUnitId: k.unit('GD-GZ'), deadline: external });
    }),
  );

  it(
    '§3 D55: dispatch only from ACCEPTED; a handler is FORBIDDEN',
    run(async (k) => {
      const received = await k.register('gd.agent');
      await k.refuse(
        'gd.agent',
        'DISPATCH',
        received,
        { toUnitId: k.unit('GD-GZ'), deadline: k.deadline(3) },
        'INVALID_TRANSITION',
      );
      const inv = await k.investigating('city');
      await k.refusals('DISPATCH', inv, [
        ['gd.agent', { toUnitId: k.unit('GD-SZ'), deadline: k.deadline(3) }, 'INVALID_TRANSITION'],
        ['gz.handler', { toUnitId: k.unit('GD-SZ'), deadline: k.deadline(3) }, 'FORBIDDEN'],
      ]);
    }),
  );
});

describe('DISPATCHED → INVESTIGATING / ACCEPTED: acknowledge and return', () => {
  it(
    '§3 D53: a HANDLER of the receiving unit acknowledges: INVESTIGATING there, assignment acknowledged',
    run(async (k, db) => {
      const c = await k.accepted();
      await k.act('gd.agent', 'DISPATCH', c, {
        toUnitId: k.unit('GD-GZ'),
        deadline: k.deadline(3),
      });
      await k.refusals('ACKNOWLEDGE', c, [
        ['gd.agent', {}, 'FORBIDDEN'], // not a HANDLER
        ['sz.handler', {}, 'NOT_FOUND'], // cannot read it (D54)
        ['gz.leader', {}, 'FORBIDDEN'],
      ]);
      const { after, event } = await k.step('gz.handler2', 'ACKNOWLEDGE', c, { note: 'On it' });
      expect(after).toMatchObject({ status: 'INVESTIGATING', handlingUnitId: k.unit('GD-GZ') });
      expect(event).toMatchObject({ fromStatus: 'DISPATCHED', toStatus: 'INVESTIGATING' });
      const [a] = await db.select().from(assignments).where(eq(assignments.complaintId, c.id));
      expect(a!.acknowledgedAt).toEqual(T0);
      await k.refuse('gz.handler', 'ACKNOWLEDGE', c, {}, 'INVALID_TRANSITION');
    }),
  );

  it(
    '§3 D53 D57: a city returns a dispatch (note required): ACCEPTED at the province, which may dispatch elsewhere',
    run(async (k, db) => {
      const c = await k.accepted();
      await k.act('gd.agent', 'DISPATCH', c, {
        toUnitId: k.unit('GD-GZ'),
        deadline: k.deadline(3),
      });
      await k.refusals('RETURN', c, [
        ['gz.handler', { note: '   ' }, 'VALIDATION', ['input', 'note']],
        ['gz.handler', {}, 'VALIDATION', ['input', 'note']],
        ['gd.agent', { note: NOTE }, 'FORBIDDEN'],
      ]);
      const { after, event } = await k.step('gz.handler', 'RETURN', c, { note: 'Not our area' });
      expect(after).toMatchObject({
        status: 'ACCEPTED',
        handlingUnitId: k.unit('GD'),
        handlingLevel: 'PROVINCE',
      });
      expect(event.payload).toMatchObject({ toUnit: 'GD', noteSha256: sha256Hex('Not our area') });
      expect(event.note).toBe('Not our area');
      const [a] = await db.select().from(assignments).where(eq(assignments.complaintId, c.id));
      expect(a!.returnedAt).toEqual(T0);
      const again = await k.step('gd.agent', 'DISPATCH', c, {
        toUnitId: k.unit('GD-SZ'),
        deadline: k.deadline(3),
      });
      expect(again.after.dispatchChain).toEqual([k.unit('GD-GZ'), k.unit('GD-SZ')]);
      const inv = await k.investigating('city');
      await k.refuse('gz.handler', 'RETURN', inv, { note: NOTE }, 'INVALID_TRANSITION');
    }),
  );

  it(
    '§3 D53: a county returns a delegation: INVESTIGATING at the delegating city, which may delegate again',
    run(async (k) => {
      const c = await k.investigating('city');
      await k.act('gz.handler', 'DELEGATE', c, {
        toUnitId: k.unit('GD-GZ-TH'),
        deadline: k.deadline(2),
      });
      await k.refuse('gz.handler', 'RETURN', c, { note: NOTE }, 'FORBIDDEN'); // the city is not the receiving unit
      const { after, event } = await k.step('th.handler', 'RETURN', c, {
        note: 'Belongs to Yuexiu',
      });
      expect(after).toMatchObject({
        status: 'INVESTIGATING',
        handlingUnitId: k.unit('GD-GZ'),
        handlingLevel: 'CITY',
      });
      expect(event.payload).toMatchObject({ toUnit: 'GD-GZ' });
      const { after: yx } = await k.step('gz.handler', 'DELEGATE', c, {
        toUnitId: k.unit('GD-GZ-YX'),
        deadline: k.deadline(2),
      });
      expect(yx.handlingUnitId).toBe(k.unit('GD-GZ-YX'));
    }),
  );
});

describe('INVESTIGATING → DISPATCHED: delegate to a county (D7)', () => {
  it(
    '§3 D7 D53: a city HANDLER delegates to its own county with a deadline: DISPATCHED there, the county HANDLER acknowledges',
    run(async (k) => {
      const c = await k.investigating('city');
      const { after, event } = await k.step('gz.handler', 'DELEGATE', c, {
        toUnitId: k.unit('GD-GZ-TH'),
        deadline: k.deadline(2),
      });
      expect(after).toMatchObject({
        status: 'DISPATCHED',
        handlingUnitId: k.unit('GD-GZ-TH'),
        handlingLevel: 'COUNTY',
        dispatchChain: [k.unit('GD-GZ'), k.unit('GD-GZ-TH')],
      });
      expect(event).toMatchObject({
        fromStatus: 'INVESTIGATING',
        toStatus: 'DISPATCHED',
        payload: { toUnit: 'GD-GZ-TH' },
      });
      const ack = await k.step('th.handler', 'ACKNOWLEDGE', c, {});
      expect(ack.after).toMatchObject({
        status: 'INVESTIGATING',
        handlingUnitId: k.unit('GD-GZ-TH'),
      });
    }),
  );

  it(
    "D7: only to the city's own counties: another city's county, a city or a centre is FORBIDDEN",
    run(async (k) => {
      const c = await k.investigating('city');
      for (const to of ['GD-SZ-NS', 'GD-GZ', 'GD-SZ', 'GD-BC', 'GD']) {
        await k.refuse(
          'gz.handler',
          'DELEGATE',
          c,
          { toUnitId: k.unit(to), deadline: k.deadline(2) },
          'FORBIDDEN',
          { field: ['input', 'toUnitId'] },
        );
      }
      await k.refusals('DELEGATE', c, [
        ['gz.leader', { toUnitId: k.unit('GD-GZ-TH'), deadline: k.deadline(2) }, 'FORBIDDEN'],
        ['gd.agent', { toUnitId: k.unit('GD-GZ-TH'), deadline: k.deadline(2) }, 'FORBIDDEN'],
      ]);
    }),
  );

  it(
    'D7: a centre or a county never delegates (INVALID_TRANSITION)',
    run(async (k) => {
      const centre = await k.investigating('centre');
      await k.refuse(
        'bc.handler',
        'DELEGATE',
        centre,
        { toUnitId: k.unit('GD-GZ-TH'), deadline: k.deadline(2) },
        'INVALID_TRANSITION',
      );
      const county = await k.investigating('county');
      await k.refuse(
        'th.handler',
        'DELEGATE',
        county,
        { toUnitId: k.unit('GD-GZ-YX'), deadline: k.deadline(2) },
        'INVALID_TRANSITION',
      );
    }),
  );

  it(
    'D57: a delegation deadline lies in the future and not after the RESOLVE due time',
    run(async (k, db) => {
      const c = await k.investigating('city');
      const due = await resolveDue(db, c.id);
      for (const deadline of [new Date(T0.getTime() - 1), new Date(due.getTime() + 1)]) {
        await k.refuse(
          'gz.handler',
          'DELEGATE',
          c,
          { toUnitId: k.unit('GD-GZ-TH'), deadline },
          'VALIDATION',
          { field: ['input', 'deadline'] },
        );
      }
      await k.step('gz.handler', 'DELEGATE', c, { toUnitId: k.unit('GD-GZ-TH'), deadline: due });
    }),
  );
});

describe('INVESTIGATING → INVESTIGATING: investigation and responsibility (D12)', () => {
  it(
    '§3 D56: a HANDLER of the handling unit records an investigation: a row, and an event that keeps the state',
    run(async (k, db) => {
      const c = await k.investigating('county');
      await k.refusals('RECORD_INVESTIGATION', c, [
        ['gz.handler', { kind: 'INITIAL', findings: 'x' }, 'FORBIDDEN'], // the city no longer handles it
        ['th.handler', { kind: 'INITIAL', findings: '  ' }, 'VALIDATION', ['input', 'findings']],
        [
          'th.handler',
          { kind: 'INITIAL', findings: 'f'.repeat(5001) },
          'VALIDATION',
          ['input', 'findings'],
        ],
      ]);
      const { after, event } = await k.step('th.handler', 'RECORD_INVESTIGATION', c, {
        kind: 'DETAILED',
        findings: ' Fibre cut at the cabinet. ',
      });
      expect(after.status).toBe('INVESTIGATING');
      expect(event).toMatchObject({
        fromStatus: 'INVESTIGATING',
        toStatus: 'INVESTIGATING',
        payload: { kind: 'DETAILED' },
      });
      const rows = await db
        .select()
        .from(investigations)
        .where(eq(investigations.complaintId, c.id));
      expect(rows).toEqual([
        expect.objectContaining({
          kind: 'DETAILED',
          findings: 'Fibre cut at the cabinet.',
          recordedBy: k.uid('th.handler'),
        }),
      ]);
      const dispatched = await k.accepted();
      await k.act('gd.agent', 'DISPATCH', dispatched, {
        toUnitId: k.unit('GD-GZ'),
        deadline: k.deadline(3),
      });
      await k.refuse(
        'gz.handler',
        'RECORD_INVESTIGATION',
        dispatched,
        { kind: 'INITIAL', findings: 'x' },
        'INVALID_TRANSITION',
      );
    }),
  );

  it(
    'D12: a finding records nature, unit, person, root cause, remedy and rectification; the state is kept',
    run(async (k, db) => {
      const c = await k.investigating('city');
      const { after, event } = await k.step('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
        nature: 'PARTIALLY_VALID',
        responsibleUnitId: k.unit('GD-GZ-TH'),
        responsiblePerson: '  王五  ',
        rootCause: 'Maintenance without notice',
        remedy: { kind: 'BILL_ADJUSTED', amount: 19.99 },
        rectification: 'Announce maintenance 48 hours ahead',
      });
      expect(after).toMatchObject({ status: 'INVESTIGATING', hasFinding: true });
      expect(event).toMatchObject({
        fromStatus: 'INVESTIGATING',
        toStatus: 'INVESTIGATING',
        payload: { nature: 'PARTIALLY_VALID', remedy: 'BILL_ADJUSTED', amount: 19.99 },
      });
      const [f] = await db
        .select()
        .from(responsibilityFindings)
        .where(eq(responsibilityFindings.complaintId, c.id));
      expect(f).toMatchObject({
        responsibleUnitId: k.unit('GD-GZ-TH'),
        responsiblePerson: '王五',
        remedyKind: 'BILL_ADJUSTED',
        remedyAmount: '19.99',
        determinedBy: k.uid('gz.handler'),
      });
      // Remedies without an amount need none.
      await k.step('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
        nature: 'INVALID',
        rootCause: 'Customer misread the bill',
        remedy: { kind: 'EXPLANATION' },
      });
    }),
  );

  it(
    'D12 D57: an amount is ≥ 0 with at most 2 decimals, and COMPENSATION or BILL_ADJUSTED need one (VALIDATION)',
    run(async (k) => {
      const c = await k.investigating('city');
      const base = { nature: 'VALID' as const, rootCause: 'Outage' };
      for (const amount of [
        -0.01,
        -5,
        1.005,
        0.001,
        12.345,
        Number.NaN,
        Number.POSITIVE_INFINITY,
      ]) {
        await k.refuse(
          'gz.handler',
          'DETERMINE_RESPONSIBILITY',
          c,
          { ...base, remedy: { kind: 'COMPENSATION', amount } },
          'VALIDATION',
          { field: ['input', 'remedy', 'amount'] },
        );
      }
      for (const kind of ['COMPENSATION', 'BILL_ADJUSTED'] as const) {
        for (const amount of [undefined, null]) {
          await k.refuse(
            'gz.handler',
            'DETERMINE_RESPONSIBILITY',
            c,
            { ...base, remedy: { kind, amount } },
            'VALIDATION',
            { field: ['input', 'remedy', 'amount'] },
          );
        }
      }
      await k.refusals('DETERMINE_RESPONSIBILITY', c, [
        [
          'gz.handler',
          { ...base, rootCause: ' ', remedy: { kind: 'APOLOGY' } },
          'VALIDATION',
          ['input', 'rootCause'],
        ],
        [
          'gz.handler',
          { ...base, responsibleUnitId: null, remedy: { kind: 'APOLOGY' } },
          'VALIDATION',
          ['input', 'responsibleUnitId'],
        ],
      ]);
      expect((await k.reload(c)).hasFinding).toBe(false);
      for (const amount of [0, 0.1, 20, 19.99]) {
        await k.step('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
          ...base,
          remedy: { kind: 'COMPENSATION', amount },
        });
      }
    }),
  );
});

describe('INVESTIGATING → PENDING_APPROVAL / PENDING_REVIEW: submit report (D11)', () => {
  it(
    'D12 D55: a report without a responsibility finding is an INVALID_TRANSITION; investigation alone is not enough',
    run(async (k) => {
      const c = await k.investigating('city');
      await k.refuse('gz.handler', 'SUBMIT_REPORT', c, {}, 'INVALID_TRANSITION');
      await k.act('gz.handler', 'RECORD_INVESTIGATION', c, {
        kind: 'INITIAL',
        findings: 'Looked at it',
      });
      await k.refuse('gz.handler', 'SUBMIT_REPORT', c, {}, 'INVALID_TRANSITION');
      await k.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
        nature: 'VALID',
        rootCause: 'Outage',
        remedy: { kind: 'APOLOGY' },
      });
      await k.refuse('gz.leader', 'SUBMIT_REPORT', c, {}, 'FORBIDDEN');
      expect((await k.step('gz.handler2', 'SUBMIT_REPORT', c, {})).after.status).toBe(
        'PENDING_APPROVAL',
      );
    }),
  );

  it(
    'D11: a city report goes to PENDING_APPROVAL; a county or a centre report to PENDING_REVIEW; the assignment is reported',
    run(async (k, db) => {
      for (const [route, to, unit] of [
        ['city', 'PENDING_APPROVAL', 'GD-GZ'],
        ['county', 'PENDING_REVIEW', 'GD-GZ-TH'],
        ['centre', 'PENDING_REVIEW', 'GD-BC'],
      ] as const) {
        const c = await k.investigating(route);
        const h = k.handlerOf(route);
        await k.act(h, 'DETERMINE_RESPONSIBILITY', c, {
          nature: 'VALID',
          rootCause: 'Outage',
          remedy: { kind: 'SERVICE_RESTORED' },
        });
        const { after, event } = await k.step(h, 'SUBMIT_REPORT', c, { note: 'Fixed' });
        expect(after).toMatchObject({ status: to, handlingUnitId: k.unit(unit) });
        expect(event).toMatchObject({ fromStatus: 'INVESTIGATING', toStatus: to });
        const open = (
          await db.select().from(assignments).where(eq(assignments.complaintId, c.id))
        ).filter((a) => a.toUnitId === k.unit(unit));
        expect(open.map((a) => a.reportedAt)).toEqual([T0]);
      }
    }),
  );
});

describe('RESOLVED → REPLIED: reply to the customer', () => {
  it(
    '§3 D53: the province acceptance centre replies to a RESOLVED case (PHONE, SMS, EMAIL, LETTER); a callback is then owed',
    run(async (k, db) => {
      const c = await k.resolved('city');
      await k.refusals('REPLY_TO_CUSTOMER', c, [
        ['gz.handler', { method: 'SMS', content: 'Fixed' }, 'FORBIDDEN'],
        ['gz.leader', { method: 'SMS', content: 'Fixed' }, 'FORBIDDEN'],
        ['gd.agent', { method: 'SMS', content: '  ' }, 'VALIDATION', ['input', 'content']],
      ]);
      const { after, event } = await k.step('gd.agent2', 'REPLY_TO_CUSTOMER', c, {
        method: 'SMS',
        content: 'Your line is fixed.',
      });
      expect(after).toMatchObject({ status: 'REPLIED', callbackOwed: true });
      expect(event).toMatchObject({
        fromStatus: 'RESOLVED',
        toStatus: 'REPLIED',
        payload: { method: 'SMS', final: true },
      });
      const contacts = await db
        .select()
        .from(customerContacts)
        .where(eq(customerContacts.complaintId, c.id));
      expect(contacts).toEqual([
        expect.objectContaining({ method: 'SMS', final: true, content: 'Your line is fixed.' }),
      ]);
      await k.refuse(
        'gd.agent',
        'REPLY_TO_CUSTOMER',
        c,
        { method: 'SMS', content: 'Again' },
        'INVALID_TRANSITION',
      );
      const t = await k.resolved('city', { source: 'REGULATOR_TRANSFER' });
      await k.refuse(
        'gd.agent',
        'REPLY_TO_CUSTOMER',
        t,
        { method: 'LETTER', content: 'Fixed' },
        'FORBIDDEN',
      );
      await k.step('gd.legal', 'REPLY_TO_CUSTOMER', t, { method: 'LETTER', content: 'Fixed' });
    }),
  );
});

describe('any open state, REJECTED → same: contact the customer', () => {
  it(
    '§3 D10 D53 D56: the holder and the first responder contact the customer; the state is kept',
    run(async (k, db) => {
      const c = await k.investigating('city');
      for (const as of ['gz.handler', 'gd.agent']) {
        const { event } = await k.step(as, 'CONTACT_CUSTOMER', c, {
          method: 'PHONE',
          content: 'We are on it.',
        });
        expect(event).toMatchObject({
          fromStatus: 'INVESTIGATING',
          toStatus: 'INVESTIGATING',
          payload: { final: false },
        });
      }
      expect(
        await db.select().from(customerContacts).where(eq(customerContacts.complaintId, c.id)),
      ).toHaveLength(2);
      await k.refusals('CONTACT_CUSTOMER', c, [
        ['gd.agent2', { method: 'PHONE', content: 'x' }, 'FORBIDDEN'], // neither holder nor first responder
        ['gz.leader', { method: 'PHONE', content: 'x' }, 'FORBIDDEN'],
        ['gz.auditor', { method: 'PHONE', content: 'x' }, 'FORBIDDEN'],
        ['gz.handler', { method: 'PHONE', content: '' }, 'VALIDATION', ['input', 'content']],
      ]);

      const rejected = await k.register('gd.agent');
      await k.act('gd.agent', 'REJECT', rejected, { reason: 'OUT_OF_SCOPE', note: NOTE });
      expect(
        (
          await k.step('gd.agent2', 'CONTACT_CUSTOMER', rejected, {
            method: 'LETTER',
            content: 'Who to ask instead',
          })
        ).event.toStatus,
      ).toBe('REJECTED');
      const closed = await k.closed('city');
      await k.refuse(
        'gd.agent',
        'CONTACT_CUSTOMER',
        closed,
        { method: 'PHONE', content: 'x' },
        'INVALID_TRANSITION',
      );
    }),
  );
});

describe('CLOSED, REJECTED, WITHDRAWN → ARCHIVED: archive', () => {
  it(
    '§3 D15: the centre archives a CLOSED, REJECTED or WITHDRAWN case; clocks stop',
    run(async (k, db) => {
      const closed = await k.closed('city');
      const rejected = await k.register('gd.agent');
      await k.act('gd.agent', 'REJECT', rejected, { reason: 'EXPIRED', note: NOTE });
      // D10: a rejected case is archived only once the customer was answered on the substance (D23).
      await k.refuse('gd.agent', 'ARCHIVE', rejected, {}, 'INVALID_TRANSITION');
      await k.act('gd.agent', 'CONTACT_CUSTOMER', rejected, {
        method: 'PHONE',
        content: 'Past the time bar',
        substantive: false,
      });
      await k.refuse('gd.agent', 'ARCHIVE', rejected, {}, 'INVALID_TRANSITION');
      await k.act('gd.agent', 'CONTACT_CUSTOMER', rejected, {
        method: 'PHONE',
        content: 'Past the time bar: why',
        substantive: true,
      });
      const withdrawn = await k.investigating('city');
      await k.act('gz.handler', 'WITHDRAW', withdrawn, { note: 'Customer withdrew' });
      for (const [c, from, as] of [
        [closed, 'CLOSED', 'gd.agent'],
        [rejected, 'REJECTED', 'gd.legal'],
        [withdrawn, 'WITHDRAWN', 'gd.agent2'],
      ] as const) {
        await k.refusals('ARCHIVE', c, [
          ['gd.auditor', {}, 'FORBIDDEN'],
          ['gd.duty', {}, 'FORBIDDEN'],
        ]);
        if (from !== 'REJECTED') await k.refuse('gz.handler', 'ARCHIVE', c, {}, 'FORBIDDEN');
        else await k.refuse('gz.handler', 'ARCHIVE', c, {}, 'NOT_FOUND'); // never dispatched: GZ cannot read it
        const { after, event } = await k.step(as, 'ARCHIVE', c, {});
        expect(after.status).toBe('ARCHIVED');
        expect(after.archivedAt).toEqual(T0);
        expect(event).toMatchObject({ fromStatus: from, toStatus: 'ARCHIVED' });
        const running = await db
          .select()
          .from(slaClocks)
          .where(and(eq(slaClocks.complaintId, c.id), isNull(slaClocks.stoppedAt)));
        expect(running).toEqual([]);
      }
    }),
  );

  it(
    '§3 D9: archive only from CLOSED, REJECTED, WITHDRAWN; a transfer only by the LEGAL_OFFICER',
    run(async (k) => {
      const replied = await k.replied('city');
      await k.refuse('gd.agent', 'ARCHIVE', replied, {}, 'INVALID_TRANSITION');
      const received = await k.register('gd.agent');
      await k.refuse('gd.agent', 'ARCHIVE', received, {}, 'INVALID_TRANSITION');
      const t = await k.closed('city', { source: 'REGULATOR_TRANSFER' });
      await k.refuse('gd.agent', 'ARCHIVE', t, {}, 'FORBIDDEN');
      await k.step('gd.legal', 'ARCHIVE', t, {});
    }),
  );
});

describe('any open state → WITHDRAWN: withdraw', () => {
  it(
    '§3 D10 D53 D57: the holder or the first responder withdraws with a note; clocks stop',
    run(async (k, db) => {
      for (const as of ['gz.handler', 'gd.agent']) {
        const c = await k.investigating('city');
        await k.refuse(as, 'WITHDRAW', c, { note: ' ' }, 'VALIDATION', {
          field: ['input', 'note'],
        });
        const { after, event } = await k.step(as, 'WITHDRAW', c, { note: 'Customer withdrew' });
        expect(after.status).toBe('WITHDRAWN');
        expect(event).toMatchObject({
          fromStatus: 'INVESTIGATING',
          toStatus: 'WITHDRAWN',
          payload: { noteSha256: sha256Hex('Customer withdrew') },
          note: 'Customer withdrew',
        });
        expect(
          await db
            .select()
            .from(slaClocks)
            .where(and(eq(slaClocks.complaintId, c.id), isNull(slaClocks.stoppedAt))),
        ).toEqual([]);
      }
      // The walk-in's first responder (a county handler) withdraws it while a city investigates it.
      const walkIn = await k.register('th.handler', { channel: 'VISIT' });
      await k.act('gd.agent', 'ACCEPT', walkIn, MOBILE);
      await k.act('gd.agent', 'DISPATCH', walkIn, {
        toUnitId: k.unit('GD-SZ'),
        deadline: k.deadline(3),
      });
      await k.step('th.handler', 'WITHDRAW', walkIn, { note: 'Customer withdrew' });
    }),
  );

  it(
    '§3 D55: withdraw only from an open state; neither holder nor first responder is FORBIDDEN',
    run(async (k) => {
      const c = await k.investigating('city');
      await k.refusals('WITHDRAW', c, [
        ['gd.agent2', { note: NOTE }, 'FORBIDDEN'],
        ['gz.leader', { note: NOTE }, 'FORBIDDEN'],
        ['gz.duty', { note: NOTE }, 'FORBIDDEN'],
      ]);
      const closed = await k.closed('city');
      await k.refuse('gd.agent', 'WITHDRAW', closed, { note: NOTE }, 'INVALID_TRANSITION');
      const rejected = await k.register('gd.agent');
      await k.act('gd.agent', 'REJECT', rejected, { reason: 'EXPIRED', note: NOTE });
      await k.refuse('gd.agent', 'WITHDRAW', rejected, { note: NOTE }, 'INVALID_TRANSITION');
    }),
  );
});

describe('any open state: suspend / resume', () => {
  it(
    '§3 D56: the holder suspends (note required) and resumes: same state, flag and clocks paused, then running',
    run(async (k, db) => {
      const c = await k.investigating('city');
      await k.refuse('gz.handler', 'SUSPEND', c, { note: '' }, 'VALIDATION', {
        field: ['input', 'note'],
      });
      const s = await k.step('gz.handler', 'SUSPEND', c, { note: 'Waiting for the customer' });
      expect(s.after).toMatchObject({ status: 'INVESTIGATING', suspended: true });
      expect(s.event).toMatchObject({
        action: 'SUSPEND',
        fromStatus: 'INVESTIGATING',
        toStatus: 'INVESTIGATING',
      });
      const clocks = await db
        .select()
        .from(slaClocks)
        .where(and(eq(slaClocks.complaintId, c.id), isNull(slaClocks.stoppedAt)));
      expect(clocks.length).toBeGreaterThan(0);
      expect(clocks.every((x) => x.pausedAt !== null && x.state === 'PAUSED')).toBe(true);
      world().clock.advance(HOUR);
      const r = await k.step('gz.handler2', 'RESUME', c, {});
      expect(r.after).toMatchObject({
        status: 'INVESTIGATING',
        suspended: false,
        suspendedAt: null,
      });
      const resumed = await db
        .select()
        .from(slaClocks)
        .where(and(eq(slaClocks.complaintId, c.id), isNull(slaClocks.stoppedAt)));
      expect(resumed.every((x) => x.pausedAt === null)).toBe(true);
    }),
  );

  it(
    '§3 D55: suspending twice or resuming an unsuspended case is an INVALID_TRANSITION; only the holder may',
    run(async (k) => {
      const c = await k.accepted();
      await k.refuse('gd.agent', 'RESUME', c, {}, 'INVALID_TRANSITION');
      await k.refuse('gz.handler', 'SUSPEND', c, { note: NOTE }, 'NOT_FOUND'); // not yet dispatched to GZ
      await k.act('gd.agent', 'SUSPEND', c, { note: NOTE });
      await k.refuse('gd.agent', 'SUSPEND', c, { note: NOTE }, 'INVALID_TRANSITION');
      await k.refuse('gd.duty', 'RESUME', c, {}, 'FORBIDDEN');
      await k.step('gd.legal', 'RESUME', c, {});
      const inv = await k.investigating('city');
      await k.refuse('gd.agent', 'SUSPEND', inv, { note: NOTE }, 'FORBIDDEN'); // the city holds it now
      const closed = await k.closed('city');
      await k.refuse('gd.agent', 'SUSPEND', closed, { note: NOTE }, 'INVALID_TRANSITION');
    }),
  );
});

describe('any open state: supervision note (督办)', () => {
  it(
    '§3: the province LEGAL_OFFICER, a DUTY_MANAGER of the handling unit or above, a DEPARTMENT_LEADER above add notes; the state is kept',
    run(async (k, db) => {
      const city = await k.investigating('city');
      for (const as of ['gd.legal', 'gz.duty', 'gd.duty']) {
        const { event } = await k.step(as, 'ADD_SUPERVISION_NOTE', city, {
          note: `Chase it (${as})`,
        });
        expect(event).toMatchObject({ fromStatus: 'INVESTIGATING', toStatus: 'INVESTIGATING' });
      }
      const notes = await db
        .select()
        .from(supervisionNotes)
        .where(eq(supervisionNotes.complaintId, city.id));
      expect(notes.map((n) => n.byUserId).sort()).toEqual(
        [k.uid('gd.legal'), k.uid('gz.duty'), k.uid('gd.duty')].sort(),
      );
      const county = await k.investigating('county');
      for (const as of ['th.duty', 'gz.leader', 'gz.duty', 'gd.duty', 'gd.legal']) {
        await k.step(as, 'ADD_SUPERVISION_NOTE', county, { note: NOTE });
      }
      const received = await k.register('gd.agent');
      await k.step('gd.duty', 'ADD_SUPERVISION_NOTE', received, { note: NOTE });
    }),
  );

  it(
    '§3 D54 D55: AUDITORs only read (FORBIDDEN); a leader of the handling unit itself is not above it (FORBIDDEN); an unrelated duty manager cannot read it (NOT_FOUND); a note is required',
    run(async (k) => {
      const c = await k.investigating('city');
      await k.refusals('ADD_SUPERVISION_NOTE', c, [
        ['gz.auditor', { note: NOTE }, 'FORBIDDEN'],
        ['gd.auditor', { note: NOTE }, 'FORBIDDEN'],
        ['gd.agent', { note: NOTE }, 'FORBIDDEN'],
        ['gz.handler', { note: NOTE }, 'FORBIDDEN'],
        ['gz.leader', { note: NOTE }, 'FORBIDDEN'],
        ['sz.duty', { note: NOTE }, 'NOT_FOUND'],
        ['th.duty', { note: NOTE }, 'NOT_FOUND'],
        ['gz.duty', { note: '   ' }, 'VALIDATION', ['input', 'note']],
      ]);
      const county = await k.investigating('county');
      await k.refuse('th.leader', 'ADD_SUPERVISION_NOTE', county, { note: NOTE }, 'FORBIDDEN');
      const closed = await k.closed('city');
      await k.refuse(
        'gd.legal',
        'ADD_SUPERVISION_NOTE',
        closed,
        { note: NOTE },
        'INVALID_TRANSITION',
      );
    }),
  );
});
