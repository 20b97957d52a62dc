import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { callbacks } from '../../src/db/schema.js';
import { sha256Hex } from '../../src/domain/canonical-json.js';
import type { ErrorCode } from '../../src/domain/enums.js';
import type { Route } from '../support/cases.js';
import { T0, useWorld, type World } from '../support/world.js';
import { type Kit, kit } from './kit.js';

const world = useWorld();

/** A world whose configuration differs (the sample of D14's second callback). */
const withSample = (w: World, secondCallbackSample: number): World => ({
  ...w,
  config: { ...w.config, secondCallbackSample },
});

const run =
  (fn: (k: Kit, db: Db) => Promise<void>, w: () => World = world) =>
  () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      await fn(kit(w(), db), db);
    });

/** D14: no callback is owed any more, so recording one is an INVALID_TRANSITION. */
const noCallbackOwed = (k: Kit, c: { id: string }) =>
  k.refuse('gd.agent', 'RECORD_CALLBACK', c, { result: 'SATISFIED' }, 'INVALID_TRANSITION');

const callbacksOf = (db: Db, id: string) =>
  db.select().from(callbacks).where(eq(callbacks.complaintId, id)).orderBy(callbacks.at);

/** A report's climb to RESOLVED (D11): as reported, then stage by stage, each approved by `by`. */
type ReportClimb = {
  name: string;
  route: Route;
  reported: Record<string, string>;
  stages: {
    action: 'CONFIRM_REPORT' | 'REVIEW_REPORT';
    by: string;
    refused: [as: string, code: ErrorCode][];
    notYet?: [as: string, action: 'CONFIRM_REPORT' | 'REVIEW_REPORT'];
    after: Record<string, string>;
  }[];
};

describe('D11: reports climb the dispatch chain', () => {
  it.each<ReportClimb>([
    {
      name: "D11 D53: a city's report is confirmed by its DEPARTMENT_LEADER, then approved by the province: RESOLVED, still the city's",
      route: 'city',
      reported: { status: 'PENDING_APPROVAL', handlingUnitId: 'GD-GZ' },
      stages: [
        {
          action: 'CONFIRM_REPORT',
          by: 'gz.leader',
          refused: [
            ['gz.handler', 'FORBIDDEN'],
            ['gd.agent', 'FORBIDDEN'],
            ['sz.leader', 'NOT_FOUND'],
          ],
          notYet: ['gd.agent', 'REVIEW_REPORT'],
          after: { status: 'PENDING_REVIEW', handlingUnitId: 'GD-GZ' },
        },
        {
          action: 'REVIEW_REPORT',
          by: 'gd.agent2',
          refused: [['gz.handler', 'FORBIDDEN']], // the province reviews a city's report
          notYet: ['gz.leader', 'CONFIRM_REPORT'],
          after: { status: 'RESOLVED', handlingUnitId: 'GD-GZ', callerBackUnitId: 'GD' },
        },
      ],
    },
    {
      name: "D11 D14 D53: a county's report is reviewed by a HANDLER of its city; approved, it becomes the city's report (PENDING_APPROVAL) and the city calls back",
      route: 'county',
      reported: { status: 'PENDING_REVIEW', handlingUnitId: 'GD-GZ-TH' },
      stages: [
        {
          action: 'REVIEW_REPORT',
          by: 'gz.handler2',
          refused: [
            ['gd.agent', 'FORBIDDEN'],
            ['th.handler', 'FORBIDDEN'],
            ['gz.leader', 'FORBIDDEN'],
          ],
          notYet: ['th.leader', 'CONFIRM_REPORT'],
          after: {
            status: 'PENDING_APPROVAL',
            handlingUnitId: 'GD-GZ',
            handlingLevel: 'CITY',
            callerBackUnitId: 'GD-GZ',
          },
        },
        {
          action: 'CONFIRM_REPORT',
          by: 'gz.leader',
          // the county's leader reads it but does not confirm the city's report
          refused: [['th.leader', 'FORBIDDEN']],
          after: { status: 'PENDING_REVIEW', handlingUnitId: 'GD-GZ' },
        },
        {
          action: 'REVIEW_REPORT',
          by: 'gd.agent',
          refused: [],
          after: { status: 'RESOLVED', handlingUnitId: 'GD-GZ', callerBackUnitId: 'GD-GZ' },
        },
      ],
    },
  ])('$name', ({ route, reported, stages }) =>
    run(async (k) => {
      const units = (o: Record<string, string>) =>
        Object.fromEntries(
          Object.entries(o).map(([key, v]) => [key, key.endsWith('UnitId') ? k.unit(v) : v]),
        );
      const c = await k.reported(route);
      expect(c).toMatchObject(units(reported));
      for (const { action, by, refused, notYet, after: expected } of stages) {
        // D53: the next stage is not open yet, and only `by` decides this one.
        if (notYet)
          await k.refuse(notYet[0], notYet[1], c, { approve: true }, 'INVALID_TRANSITION');
        await k.refusals(
          action,
          c,
          refused.map(([as, code]) => [as, { approve: true }, code] as const),
        );
        const { after, event } = await k.step(by, action, c, { approve: true });
        expect(after).toMatchObject(units(expected));
        expect(event.payload).toMatchObject({ approve: true });
        if (after.status === 'RESOLVED') expect(after.resolvedAt).toEqual(T0);
      }
    })(),
  );

  it(
    'D11 D57: the leader sends a city report back with a required note: INVESTIGATING at the city, which reports again',
    run(async (k) => {
      const c = await k.reported('city');
      for (const note of [undefined, '', '  ']) {
        await k.refuse('gz.leader', 'CONFIRM_REPORT', c, { approve: false, note }, 'VALIDATION', {
          field: ['input', 'note'],
        });
      }
      const { after, event } = await k.step('gz.leader', 'CONFIRM_REPORT', c, {
        approve: false,
        note: 'Root cause is vague',
      });
      expect(after).toMatchObject({ status: 'INVESTIGATING', handlingUnitId: k.unit('GD-GZ') });
      expect(event).toMatchObject({
        fromStatus: 'PENDING_APPROVAL',
        toStatus: 'INVESTIGATING',
        payload: { approve: false, noteSha256: sha256Hex('Root cause is vague') },
        note: 'Root cause is vague',
      });
      expect((await k.step('gz.handler', 'SUBMIT_REPORT', c, {})).after.status).toBe(
        'PENDING_APPROVAL',
      );
    }),
  );

  it(
    "D11 D57: the city sends a county's report back (note required): INVESTIGATING at the county",
    run(async (k) => {
      const c = await k.reported('county');
      await k.refuse(
        'gz.handler',
        'REVIEW_REPORT',
        c,
        { approve: false, note: ' ' },
        'VALIDATION',
        { field: ['input', 'note'] },
      );
      const { after, event } = await k.step('gz.handler', 'REVIEW_REPORT', c, {
        approve: false,
        note: 'Call the customer first',
      });
      expect(after).toMatchObject({ status: 'INVESTIGATING', handlingUnitId: k.unit('GD-GZ-TH') });
      expect(event).toMatchObject({ fromStatus: 'PENDING_REVIEW', toStatus: 'INVESTIGATING' });
      await k.refuse('gz.handler', 'SUBMIT_REPORT', c, {}, 'FORBIDDEN');
      expect((await k.step('th.handler', 'SUBMIT_REPORT', c, {})).after.status).toBe(
        'PENDING_REVIEW',
      );
    }),
  );

  it(
    'D11 D57: the province sends a report back (note required) to INVESTIGATING at the unit whose report it was: the city, the centre, the city for a county case',
    run(async (k) => {
      for (const [route, unit] of [
        ['city', 'GD-GZ'],
        ['centre', 'GD-BC'],
        ['county', 'GD-GZ'],
      ] as const) {
        let c = await k.reported(route);
        if (route === 'county')
          c = await k.act('gz.handler', 'REVIEW_REPORT', c, { approve: true });
        if (route !== 'centre')
          c = await k.act('gz.leader', 'CONFIRM_REPORT', c, { approve: true });
        expect(c.status).toBe('PENDING_REVIEW');
        await k.refuse('gd.agent', 'REVIEW_REPORT', c, { approve: false }, 'VALIDATION', {
          field: ['input', 'note'],
        });
        const { after } = await k.step('gd.agent', 'REVIEW_REPORT', c, {
          approve: false,
          note: 'Compensation not justified',
        });
        expect(after).toMatchObject({ status: 'INVESTIGATING', handlingUnitId: k.unit(unit) });
      }
    }),
  );

  it(
    "D11: a centre's report goes straight to the province's review; a transfer's report is reviewed by the LEGAL_OFFICER",
    run(async (k) => {
      const c = await k.reported('centre');
      expect(c).toMatchObject({ status: 'PENDING_REVIEW', handlingUnitId: k.unit('GD-BC') });
      await k.refuse('bc.leader', 'CONFIRM_REPORT', c, { approve: true }, 'INVALID_TRANSITION');
      await k.refuse('bc.handler', 'REVIEW_REPORT', c, { approve: true }, 'FORBIDDEN');
      expect((await k.step('gd.legal', 'REVIEW_REPORT', c, { approve: true })).after).toMatchObject(
        { status: 'RESOLVED', handlingUnitId: k.unit('GD-BC') },
      );

      let t = await k.reported('city', { source: 'REGULATOR_TRANSFER' });
      t = await k.act('gz.leader', 'CONFIRM_REPORT', t, { approve: true });
      await k.refuse('gd.agent', 'REVIEW_REPORT', t, { approve: true }, 'FORBIDDEN');
      expect((await k.step('gd.legal', 'REVIEW_REPORT', t, { approve: true })).after.status).toBe(
        'RESOLVED',
      );
    }),
  );
});

describe('D14: callbacks', () => {
  it(
    'D14: a city case is called back by the province acceptance centre (any of its agents); SATISFIED closes it',
    run(async (k, db) => {
      const c = await k.replied('city');
      expect(c).toMatchObject({
        status: 'REPLIED',
        callerBackUnitId: k.unit('GD'),
        callbackOwed: true,
      });
      await k.refusals('RECORD_CALLBACK', c, [
        ['gz.handler', { result: 'SATISFIED' }, 'FORBIDDEN'],
        ['gz.leader', { result: 'SATISFIED' }, 'FORBIDDEN'],
        ['gd.duty', { result: 'SATISFIED' }, 'FORBIDDEN'],
      ]);
      const { after, event } = await k.step('gd.agent2', 'RECORD_CALLBACK', c, {
        result: 'SATISFIED',
        note: 'Happy',
      });
      expect(after).toMatchObject({ status: 'CLOSED', callbackOwed: false });
      expect(after.closedAt).toEqual(T0);
      expect(event).toMatchObject({
        fromStatus: 'REPLIED',
        toStatus: 'CLOSED',
        payload: { result: 'SATISFIED', second: false },
      });
      expect(await callbacksOf(db, c.id)).toEqual([
        expect.objectContaining({
          result: 'SATISFIED',
          second: false,
          byUserId: k.uid('gd.agent2'),
          note: 'Happy',
        }),
      ]);
    }),
  );

  it(
    'D14: a county case is called back by a HANDLER of its city (gz.handler), not the province, the county or the leader',
    run(async (k) => {
      const c = await k.replied('county');
      expect(c.callerBackUnitId).toBe(k.unit('GD-GZ'));
      for (const as of ['gd.agent', 'gd.legal', 'th.handler', 'gz.leader']) {
        await k.refuse(as, 'RECORD_CALLBACK', c, { result: 'SATISFIED' }, 'FORBIDDEN');
      }
      expect(
        (await k.step('gz.handler', 'RECORD_CALLBACK', c, { result: 'BASICALLY_SATISFIED' })).after
          .status,
      ).toBe('CLOSED');
    }),
  );

  it(
    'D14: a centre case and a case settled on the spot are called back by the province',
    run(async (k) => {
      const centre = await k.replied('centre');
      expect(centre.callerBackUnitId).toBe(k.unit('GD'));
      await k.refuse('bc.handler', 'RECORD_CALLBACK', centre, { result: 'SATISFIED' }, 'FORBIDDEN');
      await k.step('gd.agent', 'RECORD_CALLBACK', centre, { result: 'SATISFIED' });

      const spot = await k.register('th.handler', { channel: 'VISIT' });
      await k.act('th.handler', 'RESOLVE_ON_SPOT', spot, { answer: 'Explained' });
      await k.refuse('th.handler', 'RECORD_CALLBACK', spot, { result: 'SATISFIED' }, 'FORBIDDEN');
      await k.step('gd.agent', 'RECORD_CALLBACK', spot, { result: 'SATISFIED' });
    }),
  );

  it(
    'D14 D33: a billing dispute is called back by the handling city (话费争议除外), whether the city or its county handled it; other lines by the province',
    run(async (k) => {
      for (const route of ['city', 'county'] as const) {
        const billing = await k.replied(route, {}, 'billing-dispute');
        expect(billing.callerBackUnitId).toBe(k.unit('GD-GZ'));
        await k.refusals('RECORD_CALLBACK', billing, [
          ['gd.agent', { result: 'SATISFIED' }, 'FORBIDDEN'],
          ['th.handler', { result: 'SATISFIED' }, route === 'county' ? 'FORBIDDEN' : 'NOT_FOUND'],
        ]);
        await k.step('gz.handler', 'RECORD_CALLBACK', billing, { result: 'SATISFIED' });
      }
      const mobile = await k.replied('city', {}, 'mobile');
      expect(mobile.callerBackUnitId).toBe(k.unit('GD'));
      await k.refuse('gz.handler', 'RECORD_CALLBACK', mobile, { result: 'SATISFIED' }, 'FORBIDDEN');
    }),
  );

  it(
    'D9 D14: a transfer is called back by the LEGAL_OFFICER; an agent is FORBIDDEN',
    run(async (k) => {
      const t = await k.replied('city', { source: 'GROUP_TRANSFER' });
      await k.refuse('gd.agent', 'RECORD_CALLBACK', t, { result: 'SATISFIED' }, 'FORBIDDEN');
      await k.act('gd.legal', 'RECORD_TRANSFER_FEEDBACK', t, {
        method: 'LETTER',
        content: 'Reported back.',
      }); // D74
      await k.step('gd.legal', 'RECORD_CALLBACK', t, { result: 'SATISFIED' });
    }),
  );

  it(
    'D14: SATISFIED, BASICALLY_SATISFIED and UNREACHABLE close the case; the reply owed one callback and a second is not owed (sample 0)',
    run(
      async (k) => {
        for (const result of ['SATISFIED', 'BASICALLY_SATISFIED', 'UNREACHABLE'] as const) {
          const c = await k.replied('city');
          const { after, event } = await k.step('gd.agent', 'RECORD_CALLBACK', c, { result });
          expect(after).toMatchObject({
            status: 'CLOSED',
            callbackOwed: false,
            secondCallbackOwed: false,
            reopenCount: 0,
          });
          expect(event.payload).toMatchObject({ result, second: false });
          await noCallbackOwed(k, c);
        }
      },
      () => withSample(world(), 0),
    ),
  );

  it(
    'D14 D53: UNSATISFIED reopens the case INVESTIGATING where it was last handled, counter + 1; the next reply owes a callback again',
    run(async (k) => {
      const c = await k.replied('city');
      const { after, event } = await k.step('gd.agent', 'RECORD_CALLBACK', c, {
        result: 'UNSATISFIED',
        note: 'Still no signal',
      });
      expect(after).toMatchObject({
        status: 'INVESTIGATING',
        handlingUnitId: k.unit('GD-GZ'),
        reopenCount: 1,
        callbackOwed: false,
        repliedAt: null,
        resolvedAt: null,
      });
      expect(event).toMatchObject({
        fromStatus: 'REPLIED',
        toStatus: 'INVESTIGATING',
        payload: { result: 'UNSATISFIED' },
      });
      // Around the chain again: report, confirm, review, reply — then the callback is owed once more.
      await k.act('gz.handler', 'SUBMIT_REPORT', c, {});
      await k.act('gz.leader', 'CONFIRM_REPORT', c, { approve: true });
      await k.act('gd.agent', 'REVIEW_REPORT', c, { approve: true });
      await k.refuse(
        'gd.agent',
        'RECORD_CALLBACK',
        c,
        { result: 'SATISFIED' },
        'INVALID_TRANSITION',
      ); // RESOLVED: not replied yet
      await k.act('gd.agent', 'REPLY_TO_CUSTOMER', c, {
        method: 'PHONE',
        content: 'Replaced the antenna',
      });
      const again = await k.step('gd.agent', 'RECORD_CALLBACK', c, { result: 'UNSATISFIED' });
      expect(again.after).toMatchObject({ status: 'INVESTIGATING', reopenCount: 2 });
    }),
  );

  it(
    'D14 D53: an UNSATISFIED county case reopens at the city whose report was approved',
    run(async (k) => {
      const c = await k.replied('county');
      const { after } = await k.step('gz.handler', 'RECORD_CALLBACK', c, { result: 'UNSATISFIED' });
      expect(after).toMatchObject({
        status: 'INVESTIGATING',
        handlingUnitId: k.unit('GD-GZ'),
        reopenCount: 1,
      });
      await k.step('gz.handler', 'DELEGATE', c, {
        toUnitId: k.unit('GD-GZ-YX'),
        deadline: k.deadline(2),
      });
    }),
  );

  it(
    'D14 D53: an UNSATISFIED callback on a case settled on the spot reopens it at the province (ACCEPTED, the code’s reading)',
    run(async (k) => {
      const c = await k.accepted();
      await k.act('gd.agent', 'RESOLVE_ON_SPOT', c, { answer: 'Explained' });
      const { after } = await k.step('gd.agent2', 'RECORD_CALLBACK', c, { result: 'UNSATISFIED' });
      expect(after).toMatchObject({
        status: 'ACCEPTED',
        handlingUnitId: k.unit('GD'),
        reopenCount: 1,
      });
      await k.step('gd.agent', 'DISPATCH', c, {
        toUnitId: k.unit('GD-GZ'),
        deadline: k.deadline(3),
      });
    }),
  );

  it(
    'D14: fixed-line and broadband always owe a second callback, recorded on the CLOSED case; a third is an INVALID_TRANSITION',
    run(
      async (k, db) => {
        for (const line of ['broadband', 'fixed-line']) {
          const c = await k.closed('city', {}, line);
          expect(c).toMatchObject({ status: 'CLOSED', secondCallbackOwed: true });
          await k.refuse('gz.handler', 'RECORD_CALLBACK', c, { result: 'SATISFIED' }, 'FORBIDDEN');
          world().clock.advance(2 * 24 * 60 * 60 * 1000);
          const { after, event } = await k.step('gd.agent', 'RECORD_CALLBACK', c, {
            result: 'BASICALLY_SATISFIED',
          });
          expect(after).toMatchObject({ status: 'CLOSED', secondCallbackOwed: false });
          expect(event).toMatchObject({
            fromStatus: 'CLOSED',
            toStatus: 'CLOSED',
            payload: { second: true },
          });
          expect((await callbacksOf(db, c.id)).map((x) => x.second)).toEqual([false, true]);
          await noCallbackOwed(k, c);
        }
      },
      () => withSample(world(), 0),
    ),
  );

  it('D14: other lines owe a second callback only when the configured sample picks them: sample 0 never, sample 1 always', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const never = kit(withSample(world(), 0), db);
      for (const route of ['city', 'county', 'centre'] as const) {
        const c = await never.closed(route);
        expect(c.secondCallbackOwed).toBe(false);
        await never.refuse(
          route === 'county' ? 'gz.handler' : 'gd.agent',
          'RECORD_CALLBACK',
          c,
          { result: 'SATISFIED' },
          'INVALID_TRANSITION',
        );
      }
      const always = kit(withSample(world(), 1), db);
      const c = await always.closed('city');
      expect(c.secondCallbackOwed).toBe(true);
      await always.step('gd.agent', 'RECORD_CALLBACK', c, { result: 'UNREACHABLE' });
      await always.refuse(
        'gd.agent',
        'RECORD_CALLBACK',
        c,
        { result: 'SATISFIED' },
        'INVALID_TRANSITION',
      );
    }));

  it(
    "D14: the second callback is the county case's caller-back's (the city); UNSATISFIED reopens it, and the next closing owes a new one",
    run(async (k) => {
      const c = await k.closed('county', {}, 'broadband');
      await k.refuse('gd.agent', 'RECORD_CALLBACK', c, { result: 'UNSATISFIED' }, 'FORBIDDEN');
      const { after, event } = await k.step('gz.handler2', 'RECORD_CALLBACK', c, {
        result: 'UNSATISFIED',
      });
      expect(after).toMatchObject({
        status: 'INVESTIGATING',
        handlingUnitId: k.unit('GD-GZ'),
        reopenCount: 1,
        secondCallbackOwed: false,
        closedAt: null,
      });
      expect(event).toMatchObject({ fromStatus: 'CLOSED', toStatus: 'INVESTIGATING' });
      await k.act('gz.handler', 'SUBMIT_REPORT', c, {});
      await k.act('gz.leader', 'CONFIRM_REPORT', c, { approve: true });
      await k.act('gd.agent', 'REVIEW_REPORT', c, { approve: true });
      await k.act('gd.agent', 'REPLY_TO_CUSTOMER', c, { method: 'PHONE', content: 'Fixed again' });
      const closed = await k.step('gd.agent', 'RECORD_CALLBACK', c, { result: 'SATISFIED' }); // the city's own report now: the province calls back
      expect(closed.after).toMatchObject({ status: 'CLOSED', secondCallbackOwed: true });
    }),
  );

  it(
    'D14 D15: an owed second callback never blocks the archive; once archived it is ARCHIVED',
    run(async (k) => {
      const c = await k.closed('city', {}, 'broadband');
      expect(c.secondCallbackOwed).toBe(true);
      const { after } = await k.step('gd.agent', 'ARCHIVE', c, {});
      expect(after).toMatchObject({ status: 'ARCHIVED', secondCallbackOwed: false });
      await k.refuse('gd.agent', 'RECORD_CALLBACK', c, { result: 'SATISFIED' }, 'ARCHIVED');
    }),
  );

  it(
    'D14 D55: no callback before the reply (RESOLVED) nor on a case that was never replied',
    run(async (k) => {
      const resolved = await k.resolved('city');
      await k.refuse(
        'gd.agent',
        'RECORD_CALLBACK',
        resolved,
        { result: 'SATISFIED' },
        'INVALID_TRANSITION',
      );
      const inv = await k.investigating('county');
      await k.refuse(
        'gz.handler',
        'RECORD_CALLBACK',
        inv,
        { result: 'SATISFIED' },
        'INVALID_TRANSITION',
      );
    }),
  );
});
