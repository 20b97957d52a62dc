import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS } from '../../src/auth/complaint-rules.js';
import type { Viewer } from '../../src/auth/viewer.js';
import type { Db } from '../../src/db/client.js';
import { slaClocks } from '../../src/db/schema.js';
import { type CaseAction, transition, viewerActions } from '../../src/domain/complaints.js';
import { DomainError } from '../../src/domain/errors.js';
import { useWorld } from '../support/world.js';
import { type Kit, NOTE, runner, validInputs } from './kit.js';

const world = useWorld();

/** What whoever holds an open case may do besides the actions of its stage (D60). */
const HOLDER: CaseAction[] = [
  'CONTACT_CUSTOMER',
  'WITHDRAW',
  'SUSPEND',
  'ESCALATE',
  'REQUEST_EXTENSION',
];

const UNDONE = Symbol('undone');

/** The actions that really succeed for `as` on the case now, each tried with a valid input in a savepoint that is rolled back. */
async function succeeding(k: Kit, db: Db, as: string | Viewer, c: { id: string }) {
  const inputs = validInputs(world());
  // D73, D78: where the valid input depends on the case and the viewer: the supervision taken by the
  // viewer themselves; an extension of a clock that runs and is not fixed.
  const viewer = k.who(as).viewer;
  const clocks = await db
    .select()
    .from(slaClocks)
    .where(
      and(eq(slaClocks.complaintId, c.id), isNull(slaClocks.stoppedAt), eq(slaClocks.fixed, false)),
    );
  const clock =
    clocks.find((x) => x.kind !== 'REGISTER' && x.kind !== 'ASSIGNMENT')?.kind ?? 'ANSWER';
  const perCase: Partial<typeof inputs> = {
    HAND_OVER_SUPERVISION: { toUserId: viewer.id },
    REQUEST_EXTENSION: { ...inputs.REQUEST_EXTENSION, clock },
  };
  const ok: CaseAction[] = [];
  for (const action of CASE_ACTIONS) {
    try {
      await db.transaction(async (sp) => {
        await transition(
          { ...k.env, db: sp as unknown as Db },
          k.who(as),
          action,
          c.id,
          (perCase[action] ?? inputs[action]) as never,
        );
        throw UNDONE;
      });
    } catch (e) {
      if (e === UNDONE) ok.push(action);
      else if (!(e instanceof DomainError)) throw e;
    }
  }
  return ok;
}

/** D60: viewerActions lists exactly what succeeds (and what we expect), never REGISTER; trying changed nothing. */
async function check(
  k: Kit,
  db: Db,
  as: string | Viewer,
  c: { id: string },
  expected: CaseAction[],
) {
  const before = await k.footprint(c);
  const row = await k.reload(c);
  const listed = viewerActions(k.who(as), row);
  const label = typeof as === 'string' ? as : as.kind;
  expect(listed as string[], `${label} on ${row.status}`).not.toContain('REGISTER');
  expect([...listed].sort(), `${label} on ${row.status}: listed vs. succeeding`).toEqual(
    (await succeeding(k, db, as, c)).sort(),
  );
  expect([...listed].sort(), `${label} on ${row.status}: listed vs. expected`).toEqual(
    [...expected].sort(),
  );
  expect(await k.footprint(c)).toEqual(before);
}

const run = runner(world);

describe('D60: viewerActions is exactly the set of actions that succeed', () => {
  it(
    'D60 D10 D53: on a RECEIVED customer case: its first responder, another agent, the legal officer, a duty manager, an auditor',
    run(async (k, db) => {
      const c = await k.register('gd.agent');
      await check(k, db, 'gd.agent', c, ['ACCEPT', 'REJECT', 'RESOLVE_ON_SPOT', ...HOLDER]);
      await check(k, db, 'gd.agent2', c, ['ACCEPT', 'REJECT', ...HOLDER]);
      await check(k, db, 'gd.legal', c, [
        'ACCEPT',
        'REJECT',
        'ADD_SUPERVISION_NOTE',
        'OPEN_SUPERVISION',
        ...HOLDER,
      ]);
      await check(k, db, 'gd.duty', c, ['ADD_SUPERVISION_NOTE', 'OPEN_SUPERVISION']);
      await check(k, db, 'gd.auditor', c, []);
      await check(k, db, 'gd.admin', c, []);
      await check(k, db, 'zj.agent', c, []);
    }),
  );

  it(
    'D60 D9 D40: a transfer is the legal officer’s (an agent gets nothing); a partner may only withdraw its own',
    run(async (k, db) => {
      const t = await k.register('gd.legal', { source: 'REGULATOR_TRANSFER' });
      await check(k, db, 'gd.agent', t, []);
      await check(k, db, 'gd.legal', t, [
        'ACCEPT',
        'REJECT',
        'RESOLVE_ON_SPOT',
        'ADD_SUPERVISION_NOTE',
        'OPEN_SUPERVISION',
        'RECORD_TRANSFER_FEEDBACK',
        ...HOLDER,
      ]);
      const p = await k.register('partner', {
        channel: 'API',
        businessLine: 'interconnection',
        category: 'CALL_COMPLETION',
      });
      await check(k, db, 'partner', p, ['WITHDRAW']);
      await check(k, db, world().zjPartner, p, []);
      await check(k, db, 'gd.agent', p, []);
    }),
  );

  it(
    'D60: an ACCEPTED case, suspended: the centre may dispatch and resume, no longer suspend',
    run(async (k, db) => {
      const c = await k.accepted();
      await k.act('gd.agent2', 'SUSPEND', c, { note: NOTE });
      await check(k, db, 'gd.agent', c, [
        'RESOLVE_ON_SPOT',
        'DISPATCH',
        'CONTACT_CUSTOMER',
        'WITHDRAW',
        'RESUME',
        'ESCALATE',
        'REQUEST_EXTENSION',
      ]);
      await check(k, db, 'gz.handler', c, []);
    }),
  );

  it(
    'D60 D53: DISPATCHED and INVESTIGATING at a city: its handler, the first responder, the leader, the auditor',
    run(async (k, db) => {
      const c = await k.accepted();
      await k.act('gd.agent', 'DISPATCH', c, {
        toUnitId: k.unit('GD-GZ'),
        deadline: k.deadline(3),
      });
      await check(k, db, 'gz.handler', c, ['ACKNOWLEDGE', 'RETURN', ...HOLDER]);
      await k.act('gz.handler', 'ACKNOWLEDGE', c, {});
      await check(k, db, 'gz.handler2', c, [
        'DELEGATE',
        'RECORD_INVESTIGATION',
        'DETERMINE_RESPONSIBILITY',
        ...HOLDER,
      ]);
      await check(k, db, 'gd.agent', c, ['CONTACT_CUSTOMER', 'WITHDRAW']);
      await check(k, db, 'gz.leader', c, []);
      await check(k, db, 'gz.duty', c, ['ADD_SUPERVISION_NOTE', 'OPEN_SUPERVISION']);
      await check(k, db, 'gz.auditor', c, []);
      await k.act(
        'gz.handler',
        'DETERMINE_RESPONSIBILITY',
        c,
        validInputs(world()).DETERMINE_RESPONSIBILITY,
      );
      await check(k, db, 'gz.handler', c, [
        'DELEGATE',
        'RECORD_INVESTIGATION',
        'DETERMINE_RESPONSIBILITY',
        'SUBMIT_REPORT',
        ...HOLDER,
      ]);
    }),
  );

  it(
    'D60 D11 D53: the report stages: the leader on PENDING_APPROVAL, the city on a county’s PENDING_REVIEW',
    run(async (k, db) => {
      const city = await k.reported('city');
      await check(k, db, 'gz.leader', city, ['CONFIRM_REPORT', ...HOLDER]);
      await check(k, db, 'gz.handler', city, []);
      const county = await k.reported('county');
      await check(k, db, 'gz.handler', county, ['REVIEW_REPORT', ...HOLDER]);
      await check(k, db, 'th.handler', county, []);
      await check(k, db, 'gz.leader', county, ['ADD_SUPERVISION_NOTE']);
    }),
  );

  it(
    'D60 D13: a pending escalation of a county case: the city leader decides, the holder may not ask again',
    run(async (k, db) => {
      const c = await k.investigating('county');
      await k.act('th.handler', 'ESCALATE', c, { note: NOTE });
      await check(k, db, 'gz.leader', c, ['DECIDE_ESCALATION', 'ADD_SUPERVISION_NOTE']);
      await check(k, db, 'th.handler', c, [
        'RECORD_INVESTIGATION',
        'DETERMINE_RESPONSIBILITY',
        'CONTACT_CUSTOMER',
        'WITHDRAW',
        'SUSPEND',
        'REQUEST_EXTENSION',
      ]);
      await check(k, db, 'gd.legal', c, ['ADD_SUPERVISION_NOTE', 'OPEN_SUPERVISION']);
    }),
  );

  it(
    'D60 D14: REPLIED and CLOSED: the caller-back calls back; a CLOSED broadband case may be archived or called back a second time',
    run(async (k, db) => {
      const city = await k.replied('city');
      await check(k, db, 'gd.agent', city, ['RECORD_CALLBACK', ...HOLDER]);
      await check(k, db, 'gz.handler', city, []);
      const county = await k.replied('county');
      await check(k, db, 'gz.handler', county, ['RECORD_CALLBACK', ...HOLDER]);
      await check(k, db, 'gd.agent', county, ['CONTACT_CUSTOMER', 'WITHDRAW']);
      const closed = await k.closed('county', {}, 'broadband');
      await check(k, db, 'gd.agent', closed, ['ARCHIVE']);
      await check(k, db, 'gz.handler', closed, ['RECORD_CALLBACK']);
    }),
  );

  it(
    'D60 D15: nothing on an ARCHIVED case, for anyone',
    run(async (k, db) => {
      const c = await k.archived();
      for (const as of ['gd.agent', 'gd.legal', 'gz.handler', 'gz.leader', 'gd.duty', 'gz.auditor'])
        await check(k, db, as, c, []);
    }),
  );
});
