import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS } from '../../src/auth/complaint-rules.js';
import { DomainError } from '../../src/domain/errors.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { gql } from '../support/gql.js';
import { T0 } from '../support/world.js';
import { type Kit, kit, NOTE, useKitWorld, validInputs } from './kit.js';

const { world, run } = useKitWorld();

/** Every action, with an input valid for it, refused with `code` for `as` (and nothing changed). */
async function everyAction(
  k: Kit,
  as: string,
  c: { id: string },
  code: string,
  expectedVersion?: number,
) {
  const inputs = validInputs(world());
  for (const action of CASE_ACTIONS) {
    await k.refuse(as, action, c, inputs[action] as never, code as never, { expectedVersion });
  }
}

describe('D54 D55: NOT_FOUND comes first', () => {
  it(
    'D55: an absent case is NOT_FOUND for everyone, ADMIN included',
    run(async (k) => {
      const ghost = { id: randomUUID() };
      const inputs = validInputs(world());
      for (const as of ['gd.agent', 'gd.legal', 'gd.admin']) {
        for (const action of CASE_ACTIONS) {
          const err = await k.refused(as, action, ghost, inputs[action] as never);
          expect(err.code).toBe('NOT_FOUND');
        }
      }
      const err = await k.refused(world().admin, 'ARCHIVE', ghost, {});
      expect(err.code).toBe('NOT_FOUND');
    }),
  );

  it(
    'D54 D55: ADMIN reads no cases: every action on an existing case is NOT_FOUND, whatever its version',
    run(async (k) => {
      const c = await k.investigating('city');
      await everyAction(k, 'gd.admin', c, 'NOT_FOUND');
      await everyAction(k, 'gd.admin', c, 'NOT_FOUND', c.version + 7);
      const { RECORD_INVESTIGATION } = validInputs(world());
      const err = await k.refused(world().admin, 'RECORD_INVESTIGATION', c, RECORD_INVESTIGATION);
      expect(err.code).toBe('NOT_FOUND');
    }),
  );

  it(
    "D54: another province's staff find nothing of a GD case (NOT_FOUND for every action); neither does an unrelated unit",
    run(async (k) => {
      const received = await k.register('gd.agent');
      await everyAction(k, 'zj.agent', received, 'NOT_FOUND');
      await everyAction(k, 'zj.legal', received, 'NOT_FOUND');
      const inv = await k.investigating('city');
      await everyAction(k, 'hz.handler', inv, 'NOT_FOUND');
      await everyAction(k, 'sz.handler', inv, 'NOT_FOUND');
      await everyAction(k, 'th.handler', inv, 'NOT_FOUND'); // not delegated to TH (yet)
      await everyAction(k, 'bc.handler', inv, 'NOT_FOUND');
    }),
  );

  it('D55 (API): a malformed ID is a VALIDATION error on input.id, an absent one NOT_FOUND — for ADMIN as for anyone', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const k = kit(world(), db);
      const c = await k.register('gd.agent');
      const app = world().app(db);
      const WITHDRAW = `mutation($input: ComplaintActionInput!) { withdrawComplaint(input: $input) { complaint { id status } userErrors { code field } } }`;
      const send = async (username: string, id: string) =>
        (
          await gql(
            app,
            WITHDRAW,
            { input: { id, note: NOTE } },
            { token: await world().token(username) },
          )
        ).data.withdrawComplaint;
      for (const username of ['gd.admin', 'gd.agent']) {
        for (const bad of [
          'not-an-id',
          c.id,
          toGlobalId('User', c.id),
          toGlobalId('Complaint', 'x').slice(0, 5),
        ]) {
          expect(await send(username, bad)).toEqual({
            complaint: null,
            userErrors: [{ code: 'VALIDATION', field: ['input', 'id'] }],
          });
        }
        expect(await send(username, toGlobalId('Complaint', randomUUID()))).toEqual({
          complaint: null,
          userErrors: [{ code: 'NOT_FOUND', field: null }],
        });
      }
      expect(await send('gd.admin', toGlobalId('Complaint', c.id))).toEqual({
        complaint: null,
        userErrors: [{ code: 'NOT_FOUND', field: null }],
      });
      expect((await k.reload(c)).version).toBe(1);
      expect(await send('gd.agent', toGlobalId('Complaint', c.id))).toMatchObject({
        complaint: { status: 'WITHDRAWN' },
        userErrors: [],
      });
    }));

  it(
    'D54 D55: NOT_FOUND beats ARCHIVED: who cannot read an archived case is told it does not exist',
    run(async (k) => {
      const c = await k.archived();
      for (const as of ['sz.handler', 'zj.agent', 'gd.admin', 'th.handler']) {
        await k.refuse(as, 'ARCHIVE', c, {}, 'NOT_FOUND');
        await k.refuse(as, 'CONTACT_CUSTOMER', c, { method: 'PHONE', content: 'x' }, 'NOT_FOUND');
      }
    }),
  );
});

describe('D55: the order ARCHIVED → FORBIDDEN (role kind) → CONFLICT → INVALID_TRANSITION → FORBIDDEN (this viewer) → VALIDATION', () => {
  it(
    'D15 D55: ARCHIVED beats FORBIDDEN and CONFLICT: an auditor who reads an archived case is told it is archived',
    run(async (k) => {
      const c = await k.archived(); // dispatched to GD-GZ on its way
      await k.refuse(
        'gz.auditor',
        'DISPATCH',
        c,
        { toUnitId: k.unit('GD-SZ'), deadline: k.deadline(3) },
        'ARCHIVED',
      );
      await k.refuse('gz.auditor', 'ARCHIVE', c, {}, 'ARCHIVED', { expectedVersion: 1 });
      await k.refuse('gz.handler', 'ACCEPT', c, validInputs(world()).ACCEPT, 'ARCHIVED', {
        expectedVersion: c.version - 3,
      });
    }),
  );

  it(
    'D55: FORBIDDEN for the role kind beats CONFLICT and INVALID_TRANSITION: an auditor dispatching, a HANDLER accepting, an agent acknowledging',
    run(async (k) => {
      const c = await k.investigating('city');
      const stale = c.version - 1;
      await k.refuse(
        'gz.auditor',
        'DISPATCH',
        c,
        { toUnitId: k.unit('GD-SZ'), deadline: k.deadline(3) },
        'FORBIDDEN',
        { expectedVersion: stale },
      );
      await k.refuse('gz.handler', 'ACCEPT', c, validInputs(world()).ACCEPT, 'FORBIDDEN', {
        expectedVersion: stale,
      });
      await k.refuse('gd.agent', 'ACKNOWLEDGE', c, {}, 'FORBIDDEN', { expectedVersion: stale });
      await k.refuse('gz.duty', 'CONFIRM_REPORT', c, { approve: true }, 'FORBIDDEN', {
        expectedVersion: stale,
      });
      await k.refuse('gd.duty', 'ARCHIVE', c, {}, 'FORBIDDEN', { expectedVersion: stale });
    }),
  );

  it(
    'D55: CONFLICT (a stale expectedVersion) beats INVALID_TRANSITION, the second FORBIDDEN and VALIDATION; the current version passes',
    run(async (k) => {
      const c = await k.accepted();
      expect(c.version).toBe(2);
      await k.refuse('gd.agent', 'ACCEPT', c, validInputs(world()).ACCEPT, 'CONFLICT', {
        expectedVersion: 1,
      });
      await k.refuse('gd.agent', 'ACCEPT', c, validInputs(world()).ACCEPT, 'INVALID_TRANSITION', {
        expectedVersion: 2,
      });
      await k.refuse(
        'gd.agent',
        'DISPATCH',
        c,
        { toUnitId: k.unit('GD-GZ-TH'), deadline: T0 },
        'CONFLICT',
        { expectedVersion: 3 },
      );
      const t = await k.register('gd.legal', { source: 'REGULATOR_TRANSFER' });
      await k.refuse('gd.agent', 'REJECT', t, { reason: 'EXPIRED', note: '' }, 'CONFLICT', {
        expectedVersion: 2,
      });
      await k.refuse('gd.legal', 'REJECT', t, { reason: 'EXPIRED', note: '' }, 'CONFLICT', {
        expectedVersion: 0,
      });
      const { after } = await k.step(
        'gd.agent',
        'DISPATCH',
        c,
        { toUnitId: k.unit('GD-GZ'), deadline: k.deadline(3) },
        2,
      );
      expect(after.version).toBe(3);
      await k.refuse('gz.handler', 'ACKNOWLEDGE', c, {}, 'CONFLICT', { expectedVersion: 2 });
    }),
  );

  it(
    'D55: INVALID_TRANSITION (state or stored facts) beats the second FORBIDDEN; the second FORBIDDEN applies when the state allows the action',
    run(async (k) => {
      const county = await k.investigating('county'); // the city reads it but no longer handles it
      await k.refuse('gz.handler', 'ACKNOWLEDGE', county, {}, 'INVALID_TRANSITION');
      await k.refuse('gz.handler', 'RETURN', county, { note: NOTE }, 'INVALID_TRANSITION');
      await k.refuse('gz.handler', 'SUBMIT_REPORT', county, {}, 'INVALID_TRANSITION'); // no finding yet (a stored fact)
      await k.refuse('gz.handler', 'RESUME', county, {}, 'INVALID_TRANSITION'); // not suspended
      await k.refuse(
        'gz.leader',
        'DECIDE_ESCALATION',
        county,
        { approve: true },
        'INVALID_TRANSITION',
      ); // nothing pending
      await k.refuse(
        'gz.handler',
        'RECORD_INVESTIGATION',
        county,
        { kind: 'INITIAL', findings: 'x' },
        'FORBIDDEN',
      );
      await k.act('th.handler', 'DETERMINE_RESPONSIBILITY', county, {
        nature: 'VALID',
        rootCause: 'Outage',
        remedy: { kind: 'APOLOGY' },
      });
      await k.refuse('gz.handler', 'SUBMIT_REPORT', county, {}, 'FORBIDDEN');
      await k.refuse('gz.handler2', 'ACKNOWLEDGE', county, {}, 'INVALID_TRANSITION');

      const t = await k.register('gd.legal', { source: 'REGULATOR_TRANSFER' });
      await k.refuse(
        'gd.agent',
        'DISPATCH',
        t,
        { toUnitId: k.unit('GD-GZ'), deadline: k.deadline(3) },
        'INVALID_TRANSITION',
      );
      await k.refuse('gd.agent', 'ACCEPT', t, validInputs(world()).ACCEPT, 'FORBIDDEN');
    }),
  );

  it(
    'D40 D55: an agent on a partner case is FORBIDDEN; the partner may only withdraw it; another partner finds nothing',
    run(async (k) => {
      const c = await k.register('partner', {
        channel: 'API',
        businessLine: 'interconnection',
        category: 'SMS_BLOCKING',
      });
      expect(c).toMatchObject({
        source: 'PARTNER_CARRIER',
        legalOwned: true,
        firstResponderId: null,
        handlingUnitId: k.unit('GD'),
      });
      await k.refuse(
        'gd.agent',
        'ACCEPT',
        c,
        { businessLine: 'interconnection', category: 'SMS_BLOCKING', severity: 'ORDINARY' },
        'FORBIDDEN',
      );
      await k.refuse('gd.agent', 'WITHDRAW', c, { note: NOTE }, 'FORBIDDEN');
      await k.refuse(
        'partner',
        'ACCEPT',
        c,
        { businessLine: 'interconnection', category: 'SMS_BLOCKING', severity: 'ORDINARY' },
        'FORBIDDEN',
      );
      await k.refuse(
        'partner',
        'CONTACT_CUSTOMER',
        c,
        { method: 'EMAIL', content: 'x' },
        'FORBIDDEN',
      );
      await k.refuse(world().zjPartner, 'WITHDRAW', c, { note: NOTE }, 'NOT_FOUND');
      const { event } = await k.step('partner', 'WITHDRAW', c, {
        note: 'Resolved between carriers',
      });
      expect(event).toMatchObject({
        toStatus: 'WITHDRAWN',
        actorUserId: null,
        actorPartnerId: world().partner.id,
      });
      await k.refuse('partner', 'WITHDRAW', c, { note: NOTE }, 'INVALID_TRANSITION');
    }),
  );

  it(
    'D55: the second FORBIDDEN beats VALIDATION; VALIDATION is last and names the field',
    run(async (k) => {
      const t = await k.register('gd.legal', { source: 'REGULATOR_TRANSFER' });
      await k.refuse('gd.agent', 'REJECT', t, { reason: 'EXPIRED', note: '   ' }, 'FORBIDDEN');
      await k.refuse(
        'gd.agent',
        'ACCEPT',
        t,
        { businessLine: 'nope', category: 'X', severity: 'ORDINARY' },
        'FORBIDDEN',
      );
      await k.refuse('gd.legal', 'REJECT', t, { reason: 'EXPIRED', note: '   ' }, 'VALIDATION', {
        field: ['input', 'note'],
      });
      const inv = await k.investigating('city');
      await k.refuse('gd.agent', 'SUSPEND', inv, { note: '' }, 'FORBIDDEN');
      await k.refuse('gz.handler', 'SUSPEND', inv, { note: '' }, 'VALIDATION', {
        field: ['input', 'note'],
      });
      await k.refuse('gz.handler', 'WITHDRAW', inv, { note: ' \n ' }, 'VALIDATION', {
        field: ['input', 'note'],
      });
      await k.refuse(
        'gz.handler',
        'DELEGATE',
        inv,
        { toUnitId: k.unit('GD-GZ-TH'), deadline: T0 },
        'VALIDATION',
        { field: ['input', 'deadline'] },
      );
    }),
  );

  it(
    'D55 D56: a run of refusals changes nothing (version, events, child rows); the next success appends exactly one event',
    run(async (k) => {
      const c = await k.investigating('city');
      const before = await k.footprint(c);
      const inputs = validInputs(world());
      for (const as of ['gd.agent', 'gz.auditor', 'gz.leader', 'sz.handler']) {
        for (const action of CASE_ACTIONS) {
          if (as === 'gd.agent' && ['CONTACT_CUSTOMER', 'WITHDRAW'].includes(action)) continue; // its first responder may
          const err = await k.refused(as, action, c, inputs[action] as never);
          expect(err).toBeInstanceOf(DomainError);
        }
      }
      expect(await k.footprint(c)).toEqual(before);
      const { after } = await k.step(
        'gz.handler',
        'RECORD_INVESTIGATION',
        c,
        inputs.RECORD_INVESTIGATION,
      );
      expect(after.version).toBe(c.version + 1);
      expect((await k.events(c)).length).toBe(c.version + 1);
    }),
  );
});

describe('D15: an archived case is final', () => {
  it(
    'D15: after ARCHIVE every action is ARCHIVED for everyone who reads it; the case, its events and child rows are unchanged',
    run(async (k) => {
      const c = await k.archived();
      const before = await k.footprint(c);
      const inputs = validInputs(world());
      for (const as of [
        'gd.agent',
        'gd.legal',
        'gz.handler',
        'gz.leader',
        'gz.duty',
        'gd.duty',
        'gz.auditor',
        'gd.auditor',
      ]) {
        for (const action of CASE_ACTIONS) {
          await k.refuse(as, action, c, inputs[action] as never, 'ARCHIVED');
          await k.refuse(as, action, c, inputs[action] as never, 'ARCHIVED', {
            expectedVersion: c.version,
          });
        }
      }
      expect(await k.footprint(c)).toEqual(before);
    }),
  );

  it(
    'D15: archived REJECTED and WITHDRAWN cases are as final (the first responder included)',
    run(async (k) => {
      const rejected = await k.register('gd.agent');
      await k.act('gd.agent', 'REJECT', rejected, { reason: 'NO_DIRECT_INTEREST', note: NOTE });
      await k.act('gd.agent', 'CONTACT_CUSTOMER', rejected, {
        method: 'PHONE',
        content: 'Why we cannot accept it',
        substantive: true,
      }); // D10
      const withdrawn = await k.register('gz.handler', { channel: 'VISIT' });
      await k.act('gz.handler', 'WITHDRAW', withdrawn, { note: NOTE });
      const inputs = validInputs(world());
      for (const [c, firstResponder] of [
        [rejected, 'gd.agent'],
        [withdrawn, 'gz.handler'],
      ] as const) {
        await k.act('gd.agent', 'ARCHIVE', c, {});
        for (const action of CASE_ACTIONS)
          await k.refuse(firstResponder, action, c, inputs[action] as never, 'ARCHIVED');
      }
    }),
  );
});

describe('D10 D54: the first responder reads the case wherever it travels', () => {
  it(
    'D10: a walk-in’s first responder (a county handler) still reads and contacts about a case handled by another city, but cannot work it',
    run(async (k) => {
      const c = await k.register('th.handler', { channel: 'VISIT' });
      await k.act('gd.agent', 'ACCEPT', c, validInputs(world()).ACCEPT);
      await k.act('gd.agent', 'DISPATCH', c, {
        toUnitId: k.unit('GD-SZ'),
        deadline: k.deadline(3),
      });
      await k.act('sz.handler', 'ACKNOWLEDGE', c, {});
      await k.step('th.handler', 'CONTACT_CUSTOMER', c, {
        method: 'PHONE',
        content: 'Shenzhen is on it',
      });
      await k.refuse(
        'th.handler',
        'RECORD_INVESTIGATION',
        c,
        { kind: 'INITIAL', findings: 'x' },
        'FORBIDDEN',
      );
      await k.refuse(
        'yx.handler',
        'CONTACT_CUSTOMER',
        c,
        { method: 'PHONE', content: 'x' },
        'NOT_FOUND',
      );
    }),
  );
});
