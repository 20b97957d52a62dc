import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { escalations } from '../../src/db/schema.js';
import { sha256Hex } from '../../src/domain/canonical-json.js';
import { T0 } from '../support/world.js';
import { NOTE, useKitWorld } from './kit.js';

const { run } = useKitWorld();

const escalationsOf = (db: Db, id: string) =>
  db.select().from(escalations).where(eq(escalations.complaintId, id));

describe('D13 D53: escalation, asked by the holder and decided by the parent of the handling unit', () => {
  it(
    'D53: a LEGAL_OFFICER escalating a province-held case is approved at once: level 1, nothing pending',
    run(async (k, db) => {
      for (const c of [
        await k.accepted(),
        await k.register('gd.legal', { source: 'REGULATOR_TRANSFER' }),
      ]) {
        const { after, event } = await k.step('gd.legal', 'ESCALATE', c, {
          note: 'Outage affecting a district',
        });
        expect(after).toMatchObject({ escalationLevel: 1, escalationPending: false });
        expect(event).toMatchObject({
          fromStatus: after.status,
          toStatus: after.status,
          payload: { approved: true },
        });
        expect(await escalationsOf(db, c.id)).toEqual([
          expect.objectContaining({
            requestedBy: k.uid('gd.legal'),
            decidedBy: k.uid('gd.legal'),
            approved: true,
            note: 'Outage affecting a district',
          }),
        ]);
        await k.refuse('gd.legal', 'DECIDE_ESCALATION', c, { approve: true }, 'INVALID_TRANSITION');
        expect(
          (await k.step('gd.legal', 'ESCALATE', c, { note: 'Worse now' })).after.escalationLevel,
        ).toBe(2);
      }
    }),
  );

  it(
    'D53: an agent escalating a province-held case waits for the LEGAL_OFFICER, who approves it (level + 1)',
    run(async (k, db) => {
      const c = await k.accepted({}, 'mobile', 'MAJOR');
      const asked = await k.step('gd.agent', 'ESCALATE', c, { note: 'Many customers affected' });
      expect(asked.after).toMatchObject({ escalationLevel: 0, escalationPending: true });
      expect(asked.event.payload).toMatchObject({ approved: null });
      await k.refuse('gd.agent2', 'DECIDE_ESCALATION', c, { approve: true }, 'FORBIDDEN'); // an agent holds no deciding role
      const { after, event } = await k.step('gd.legal', 'DECIDE_ESCALATION', c, { approve: true });
      expect(after).toMatchObject({
        escalationLevel: 1,
        escalationPending: false,
        status: 'ACCEPTED',
      });
      expect(event).toMatchObject({
        fromStatus: 'ACCEPTED',
        toStatus: 'ACCEPTED',
        payload: { approve: true },
      });
      expect(await escalationsOf(db, c.id)).toEqual([
        expect.objectContaining({ decidedBy: k.uid('gd.legal'), approved: true, decidedAt: T0 }),
      ]);
    }),
  );

  it(
    "D53: a county's escalation is decided by its city's DEPARTMENT_LEADER, not the province, nor the county's own leader",
    run(async (k) => {
      const c = await k.investigating('county');
      await k.step('th.handler', 'ESCALATE', c, { note: 'Needs the city network team' });
      await k.refuse('gd.legal', 'DECIDE_ESCALATION', c, { approve: true }, 'FORBIDDEN');
      await k.refuse('th.leader', 'DECIDE_ESCALATION', c, { approve: true }, 'FORBIDDEN');
      await k.refuse('gz.handler', 'DECIDE_ESCALATION', c, { approve: true }, 'FORBIDDEN');
      await k.refuse('sz.leader', 'DECIDE_ESCALATION', c, { approve: true }, 'NOT_FOUND');
      const { after } = await k.step('gz.leader', 'DECIDE_ESCALATION', c, {
        approve: true,
        note: 'Agreed',
      });
      expect(after).toMatchObject({ escalationLevel: 1, escalationPending: false });
    }),
  );

  it(
    "D53: a city's or a centre's escalation is decided by the province LEGAL_OFFICER, not the unit's own leader",
    run(async (k) => {
      for (const route of ['city', 'centre'] as const) {
        const c = await k.investigating(route);
        await k.step(k.handlerOf(route), 'ESCALATE', c, { note: 'Several departments involved' });
        await k.refuse(
          route === 'city' ? 'gz.leader' : 'bc.leader',
          'DECIDE_ESCALATION',
          c,
          { approve: true },
          'FORBIDDEN',
        );
        await k.refuse('gd.agent', 'DECIDE_ESCALATION', c, { approve: true }, 'FORBIDDEN');
        expect(
          (await k.step('gd.legal', 'DECIDE_ESCALATION', c, { approve: true })).after
            .escalationLevel,
        ).toBe(1);
      }
    }),
  );

  it(
    'D53 D57: a decline needs a note, keeps the level and clears the pending escalation; a new one may then be asked',
    run(async (k, db) => {
      const c = await k.investigating('city');
      await k.act('gz.handler', 'ESCALATE', c, { note: NOTE });
      for (const note of [undefined, null, '  ']) {
        await k.refuse('gd.legal', 'DECIDE_ESCALATION', c, { approve: false, note }, 'VALIDATION', {
          field: ['input', 'note'],
        });
      }
      const { after, event } = await k.step('gd.legal', 'DECIDE_ESCALATION', c, {
        approve: false,
        note: 'Not major',
      });
      expect(after).toMatchObject({ escalationLevel: 0, escalationPending: false });
      expect(event.payload).toMatchObject({ approve: false, noteSha256: sha256Hex('Not major') });
      expect(event.note).toBe('Not major');
      expect(await escalationsOf(db, c.id)).toEqual([
        expect.objectContaining({ approved: false, decisionNote: 'Not major' }),
      ]);
      expect(
        (await k.step('gz.handler2', 'ESCALATE', c, { note: 'Now it is' })).after.escalationPending,
      ).toBe(true);
    }),
  );

  it(
    'D53 D55: one escalation pending at a time; deciding with none pending is an INVALID_TRANSITION; asking needs a note',
    run(async (k) => {
      const c = await k.investigating('city');
      await k.refuse('gd.legal', 'DECIDE_ESCALATION', c, { approve: true }, 'INVALID_TRANSITION');
      await k.refuse('gz.handler', 'ESCALATE', c, { note: '' }, 'VALIDATION', {
        field: ['input', 'note'],
      });
      await k.act('gz.handler', 'ESCALATE', c, { note: NOTE });
      await k.refuse('gz.handler2', 'ESCALATE', c, { note: NOTE }, 'INVALID_TRANSITION');
      await k.refuse('gz.handler', 'ESCALATE', c, { note: NOTE }, 'INVALID_TRANSITION');
    }),
  );

  it(
    'D53 D55: only the holder asks: a non-holder agent, a leader below its own stage, an auditor are refused; closed cases are not escalated',
    run(async (k) => {
      const c = await k.investigating('city');
      await k.refuse('gd.agent', 'ESCALATE', c, { note: NOTE }, 'FORBIDDEN');
      await k.refuse('gz.leader', 'ESCALATE', c, { note: NOTE }, 'FORBIDDEN');
      await k.refuse('gz.auditor', 'ESCALATE', c, { note: NOTE }, 'FORBIDDEN');
      await k.refuse('gz.duty', 'ESCALATE', c, { note: NOTE }, 'FORBIDDEN');
      // In PENDING_APPROVAL the leader holds it and may ask; the province decides.
      const p = await k.reported('city');
      await k.refuse('gz.handler', 'ESCALATE', p, { note: NOTE }, 'FORBIDDEN');
      await k.step('gz.leader', 'ESCALATE', p, { note: NOTE });
      await k.step('gd.legal', 'DECIDE_ESCALATION', p, { approve: true });
      const closed = await k.closed('city');
      await k.refuse('gd.agent', 'ESCALATE', closed, { note: NOTE }, 'INVALID_TRANSITION');
    }),
  );

  it(
    'D53: a withdrawal clears a pending escalation',
    run(async (k) => {
      const c = await k.investigating('county');
      await k.act('th.handler', 'ESCALATE', c, { note: NOTE });
      const { after } = await k.step('th.handler', 'WITHDRAW', c, { note: 'Customer withdrew' });
      expect(after).toMatchObject({ status: 'WITHDRAWN', escalationPending: false });
      await k.refuse('gz.leader', 'DECIDE_ESCALATION', c, { approve: true }, 'INVALID_TRANSITION');
    }),
  );
});
