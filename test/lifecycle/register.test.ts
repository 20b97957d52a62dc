import { describe, expect, it } from 'vitest';
import { canRead } from '../../src/auth/complaint-rules.js';
import type { RegisterInput } from '../../src/domain/complaints.js';
import { DomainError } from '../../src/domain/errors.js';
import { aComplaint, DAY, HOUR } from '../support/cases.js';
import { T0, useWorld } from '../support/world.js';
import { type Kit, kit, totals } from './kit.js';

const world = useWorld();

const seq = (number: string) => Number(number.slice(-6));

describe('registration: the first row of the lifecycle table', () => {
  it('D5: case numbers are GD + the Shanghai date + a 6-digit sequence, consecutive within the day', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      const a = await k.register('gd.agent');
      const b = await k.register('gd.agent2');
      const c = await k.register('gz.handler', { channel: 'VISIT' });
      for (const x of [a, b, c]) expect(x.number).toMatch(/^GD20261123\d{6}$/);
      expect(seq(b.number)).toBe(seq(a.number) + 1);
      expect(seq(c.number)).toBe(seq(b.number) + 1);
      expect(new Set([a.number, b.number, c.number]).size).toBe(3);
    }));

  it('D5: the date is the Shanghai day: 23:30 UTC is already the next day, and its sequence starts again at 000001', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      await k.register();
      world().clock.set(new Date('2026-11-23T15:59:59Z')); // 23:59:59 in Shanghai
      const late = await k.register();
      expect(late.number.slice(0, 10)).toBe('GD20261123');
      world().clock.set(new Date('2026-11-23T23:30:00Z')); // 2026-11-24 07:30 in Shanghai
      const next = await k.register();
      expect(next.number).toBe('GD20261124000001');
      const after = await k.register();
      expect(after.number).toBe('GD20261124000002');
    }));

  it('D5: each province numbers its own cases with its own code and sequence', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      await k.register('gd.agent');
      await k.register('gd.agent');
      const zj = await k.register('zj.agent');
      expect(zj.number).toBe('ZJ20261123000001');
      expect(zj.provinceId).toBe(k.unit('ZJ'));
      expect(zj.handlingUnitId).toBe(k.unit('ZJ'));
    }));

  it('D53 D56 D10: a new case is RECEIVED, version 1, held by the province, the registering user its first responder, with one REGISTER event from null', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      const c = await k.register('gd.agent');
      const stored = await k.reload(c);
      expect(stored).toMatchObject({
        status: 'RECEIVED',
        version: 1,
        handlingUnitId: k.unit('GD'),
        handlingLevel: 'PROVINCE',
        provinceId: k.unit('GD'),
        firstResponderId: k.uid('gd.agent'),
        source: 'CUSTOMER',
        channel: 'PHONE',
        legalOwned: false,
        suspended: false,
        escalationLevel: 0,
        reopenCount: 0,
        dispatchChain: [],
        readerUnits: [k.unit('GD')],
      });
      expect(stored.registeredAt).toEqual(T0);
      expect(stored.contactAt).toEqual(T0);
      const events = await k.events(c);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'REGISTER',
        fromStatus: null,
        toStatus: 'RECEIVED',
        actorUserId: k.uid('gd.agent'),
      });
      expect(events[0]!.hash).toBe(stored.lastEventHash);
    }));

  it('D10 D53: a HANDLER registers a walk-in (VISIT or BUSINESS_HALL): the province holds it, the handler is its first responder and reads it', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      for (const [as, channel] of [
        ['gz.handler', 'VISIT'],
        ['th.handler', 'BUSINESS_HALL'],
      ] as const) {
        const c = await k.register(as, { channel });
        expect(c).toMatchObject({
          status: 'RECEIVED',
          channel,
          firstResponderId: k.uid(as),
          handlingUnitId: k.unit('GD'),
          handlingLevel: 'PROVINCE',
        });
        expect(c.readerUnits).toEqual([k.unit('GD')]);
        expect(canRead(k.who(as).ability, c)).toBe(true); // D10: only as its first responder
        expect(canRead(k.who('yx.handler').ability, c)).toBe(false);
      }
    }));

  it('D54: a row is judged as it is: after a dispatch (a new row) the handler reads the new row and still not the old one, however often asked', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      const accepted = await k.accepted();
      const dispatched = await k.act('gd.agent', 'DISPATCH', accepted, {
        toUnitId: k.unit('GD-GZ'),
        deadline: k.deadline(),
      });
      const gz = k.who('gz.handler').ability;
      for (let i = 0; i < 2; i++) {
        expect(canRead(gz, accepted)).toBe(false);
        expect(canRead(gz, dispatched)).toBe(true);
        expect(canRead(gz, { ...accepted })).toBe(false);
        expect(
          canRead(gz, { ...accepted, readerUnits: [...accepted.readerUnits, k.unit('GD-GZ')] }),
        ).toBe(true);
      }
    }));

  it('D53: a HANDLER registering anything but a walk-in (PHONE, EMAIL) is FORBIDDEN and writes nothing', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      const before = await totals(db);
      for (const channel of ['PHONE', 'EMAIL'] as const) {
        await expect(k.register('gz.handler', { channel })).rejects.toMatchObject({
          code: 'FORBIDDEN',
        });
      }
      expect(await totals(db)).toEqual(before);
    }));

  it('D9: transfers from above are registered by a LEGAL_OFFICER and owned by legal affairs; an agent or a handler is FORBIDDEN', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      for (const source of [
        'REGULATOR_TRANSFER',
        'GROUP_TRANSFER',
        'GOVERNMENT_TRANSFER',
      ] as const) {
        const c = await k.register('gd.legal', { source });
        expect(c).toMatchObject({
          source,
          legalOwned: true,
          status: 'RECEIVED',
          handlingUnitId: k.unit('GD'),
          firstResponderId: k.uid('gd.legal'),
        });
        const before = await totals(db);
        await expect(k.register('gd.agent', { source })).rejects.toMatchObject({
          code: 'FORBIDDEN',
        });
        await expect(k.register('gz.handler', { source, channel: 'VISIT' })).rejects.toMatchObject({
          code: 'FORBIDDEN',
        });
        expect(await totals(db)).toEqual(before);
      }
      // A LEGAL_OFFICER may also register what an agent registers (D53): a customer complaint, not legal-owned.
      const own = await k.register('gd.legal');
      expect(own).toMatchObject({ source: 'CUSTOMER', legalOwned: false });
    }));

  it('D9 D20 D57: externalDeadline is kept on a transfer, refused on a customer complaint, and must lie in the future', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      const due = new Date(T0.getTime() + 7 * DAY);
      const t = await k.register('gd.legal', {
        source: 'REGULATOR_TRANSFER',
        externalDeadline: due,
      });
      expect(t.externalDeadline).toEqual(due);
      const before = await totals(db);
      for (const [as, over] of [
        ['gd.agent', { externalDeadline: due }],
        ['gd.legal', { externalDeadline: due }],
        ['gd.legal', { source: 'GROUP_TRANSFER', externalDeadline: new Date(T0.getTime() - HOUR) }],
        ['gd.legal', { source: 'GROUP_TRANSFER', externalDeadline: T0 }],
      ] as [string, Partial<RegisterInput>][]) {
        await expect(k.register(as, over)).rejects.toMatchObject({
          code: 'VALIDATION',
          field: ['input', 'externalDeadline'],
        });
      }
      expect(await totals(db)).toEqual(before);
    }));

  it('D41 D53: an interconnection complaint is registered by a LEGAL_OFFICER (legal-owned); an agent is FORBIDDEN', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      const before = await totals(db);
      await expect(
        k.register('gd.agent', { businessLine: 'interconnection' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(
        k.register('gz.handler', { businessLine: 'interconnection', channel: 'VISIT' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await totals(db)).toEqual(before);
      const c = await k.register('gd.legal', {
        businessLine: 'interconnection',
        category: 'CALL_COMPLETION',
      });
      expect(c).toMatchObject({
        businessLine: 'interconnection',
        category: 'CALL_COMPLETION',
        legalOwned: true,
      });
    }));

  it('D3 D53: AUDITOR, DUTY_MANAGER, DEPARTMENT_LEADER and ADMIN do not register: FORBIDDEN, nothing written', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      const before = await totals(db);
      for (const as of [
        'gd.auditor',
        'gz.auditor',
        'gd.duty',
        'th.duty',
        'gz.leader',
        'gd.admin',
      ]) {
        for (const channel of ['PHONE', 'VISIT'] as const) {
          await expect(k.register(as, { channel })).rejects.toMatchObject({ code: 'FORBIDDEN' });
        }
      }
      await expect(k.register(world().admin)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await totals(db)).toEqual(before);
    }));

  it('D55: a viewer that may not register is FORBIDDEN before its input is looked at (unknown line, blank title)', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      await expect(
        k.register('gz.auditor', { businessLine: 'no-such-line' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(k.register('gz.auditor', { title: '  ' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(
        k.register('gz.handler', { channel: 'PHONE', businessLine: 'no-such-line' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      // ... and one that may is told about its input.
      await expect(k.register('gd.agent', { businessLine: 'no-such-line' })).rejects.toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'businessLine'],
      });
    }));
});

describe('registration input (D57, D58): VALIDATION with the field path, nothing written', () => {
  const refusedWith = async (
    k: Kit,
    over: Partial<RegisterInput>,
    field: string[],
    as = 'gd.agent',
  ) => {
    const before = await totals(k.env.db);
    const err = await k.register(as, over).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, `expected a refusal at ${field.join('.')}`).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'VALIDATION', field });
    expect(await totals(k.env.db)).toEqual(before);
  };
  const run = (fn: (k: Kit) => Promise<void>) =>
    world().tx(async (db) => {
      world().clock.set(T0);
      await fn(kit(world(), db));
    });

  it('D57: a blank (whitespace-only) title or description is missing; text is trimmed', () =>
    run(async (k) => {
      await refusedWith(k, { title: ' \t\n ' }, ['input', 'title']);
      await refusedWith(k, { title: '' }, ['input', 'title']);
      await refusedWith(k, { description: '   ' }, ['input', 'description']);
      await refusedWith(k, { customer: { name: '  ', phone: '13812345678' } }, [
        'input',
        'customer',
        'name',
      ]);
      const c = await k.register('gd.agent', {
        title: '  Slow line  ',
        description: '\n It is slow. \n',
      });
      expect(c.title).toBe('Slow line');
      expect(c.description).toBe('It is slow.');
    }));

  it('D57: title is 1–200 characters (200 passes, 201 is refused; characters, not UTF-16 units)', () =>
    run(async (k) => {
      expect((await k.register('gd.agent', { title: 'a'.repeat(200) })).title).toHaveLength(200);
      expect([...(await k.register('gd.agent', { title: '😀'.repeat(200) })).title]).toHaveLength(
        200,
      );
      expect((await k.register('gd.agent', { title: `  ${'b'.repeat(200)}  ` })).title).toBe(
        'b'.repeat(200),
      );
      await refusedWith(k, { title: 'a'.repeat(201) }, ['input', 'title']);
      await refusedWith(k, { title: '投'.repeat(201) }, ['input', 'title']);
    }));

  it('D57: description is 1–10,000 characters (10,000 passes, 10,001 is refused)', () =>
    run(async (k) => {
      expect(
        (await k.register('gd.agent', { description: 'd'.repeat(10_000) })).description,
      ).toHaveLength(10_000);
      await refusedWith(k, { description: 'd'.repeat(10_001) }, ['input', 'description']);
    }));

  it('D57: a phone is 5–15 digits after removing spaces and hyphens, with an optional leading +', () =>
    run(async (k) => {
      const customer = (phone: string) => ({ customer: { name: '李四', phone } });
      expect((await k.register('gd.agent', customer('138 1234-5678'))).customerPhone).toBe(
        '13812345678',
      );
      expect((await k.register('gd.agent', customer('+86 138-1234 5678'))).customerPhone).toBe(
        '+8613812345678',
      );
      expect((await k.register('gd.agent', customer('12345'))).customerPhone).toBe('12345');
      expect((await k.register('gd.agent', customer('123456789012345'))).customerPhone).toBe(
        '123456789012345',
      );
      for (const bad of [
        '1234',
        '1234567890123456',
        '138-1234-567x',
        '++8613812345678',
        '86+13812345678',
        '(020) 12345678',
        '   ',
      ]) {
        await refusedWith(k, customer(bad), ['input', 'customer', 'phone']);
      }
    }));

  it('D58: details need a business line; an unknown line is refused on businessLine', () =>
    run(async (k) => {
      await refusedWith(k, { details: { imei: '123456789012345' } }, ['input', 'details']);
      await refusedWith(k, { businessLine: 'telegraph' }, ['input', 'businessLine']);
    }));

  it("D58: an unknown details key is refused at ['input','details','<key>']", () =>
    run(async (k) => {
      await refusedWith(
        k,
        { businessLine: 'mobile', details: { imei: '123456789012345', colour: 'red' } },
        ['input', 'details', 'colour'],
      );
      await refusedWith(k, { businessLine: 'broadband', details: { msisdn: '13812345678' } }, [
        'input',
        'details',
        'msisdn',
      ]);
    }));

  it('D58: a wrong type is refused with its path (mobile imei 15 digits, broadband planMbps a positive integer, billing period YYYY-MM, amount 2 decimals)', () =>
    run(async (k) => {
      for (const imei of [
        '12345678901234',
        '1234567890123456',
        '12345678901234a',
        123456789012345,
      ]) {
        await refusedWith(k, { businessLine: 'mobile', details: { imei } }, [
          'input',
          'details',
          'imei',
        ]);
      }
      for (const planMbps of [1.5, 0, -100, '100']) {
        await refusedWith(k, { businessLine: 'broadband', details: { planMbps } }, [
          'input',
          'details',
          'planMbps',
        ]);
      }
      await refusedWith(
        k,
        { businessLine: 'billing-dispute', details: { billingPeriod: '2026-13' } },
        ['input', 'details', 'billingPeriod'],
      );
      await refusedWith(
        k,
        { businessLine: 'billing-dispute', details: { disputedAmount: 1.005 } },
        ['input', 'details', 'disputedAmount'],
      );
      await refusedWith(k, { businessLine: 'enterprise', details: { slaTier: 'PLATINUM' } }, [
        'input',
        'details',
        'slaTier',
      ]);
      await refusedWith(k, { businessLine: 'mobile', details: 'imei=1' as unknown }, [
        'input',
        'details',
      ]);
      const ok = await k.register('gd.agent', {
        businessLine: 'mobile',
        details: { imei: ' 123456789012345 ', cellId: 'GZ-0042' },
      });
      expect(ok.details).toEqual({ imei: '123456789012345', cellId: 'GZ-0042' });
    }));

  it('D6 D57: contactAt defaults to now, may lie in the past, never in the future', () =>
    run(async (k) => {
      const past = new Date(T0.getTime() - 5 * 60 * 1000);
      expect((await k.register('gd.agent', { contactAt: past })).contactAt).toEqual(past);
      await refusedWith(k, { contactAt: new Date(T0.getTime() + 60 * 1000) }, [
        'input',
        'contactAt',
      ]);
    }));

  it('D4: the API channel is the partners’ own; a category must be one of the line’s', () =>
    run(async (k) => {
      await refusedWith(k, { channel: 'API' }, ['input', 'channel']);
      await refusedWith(k, { businessLine: 'mobile', category: 'CALL_COMPLETION' }, [
        'input',
        'category',
      ]);
      await refusedWith(k, { category: 'NETWORK_TECHNICAL' }, ['input', 'category']);
    }));

  it('D5 D55: refused registrations consume no case number: the next one follows the last that succeeded', () =>
    run(async (k) => {
      const first = await k.register('gd.agent');
      await refusedWith(k, { title: '' }, ['input', 'title']);
      await refusedWith(k, { businessLine: 'mobile', details: { imei: '1' } }, [
        'input',
        'details',
        'imei',
      ]);
      await expect(k.register('gd.auditor')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const second = await k.register('gd.agent');
      expect(seq(second.number)).toBe(seq(first.number) + 1);
      expect(aComplaint().title).toBe(second.title);
    }));
});
