import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS, canRead } from '../../src/auth/complaint-rules.js';
import type { Viewer } from '../../src/auth/viewer.js';
import type { Db } from '../../src/db/client.js';
import { extensions, slaClocks } from '../../src/db/schema.js';
import {
  type CaseAction,
  type Inputs,
  transition,
  viewerActions,
} from '../../src/domain/complaints.js';
import { TRANSFER_SOURCES } from '../../src/domain/enums.js';
import { DomainError } from '../../src/domain/errors.js';
import type { ComplaintRow } from '../../src/domain/lifecycle.js';
import { validInputs } from '../lifecycle/kit.js';
import { DAY, type Engine, engine } from '../support/cases.js';
import { STAFF, T0, useWorld } from '../support/world.js';

/**
 * D60 as a property: for cases in every state (and the flags that change
 * what is allowed: suspended, an escalation pending, a second callback owed)
 * and for every fixture viewer, each action `viewerActions` lists succeeds
 * when tried, and each one it leaves out is refused. Tries run in savepoints
 * that are rolled back.
 */
const world = useWorld();
const UNDONE = Symbol('undone');

/** Valid input for the case at hand: a target unit that D7 allows from where the case is. */
function inputsFor(c: ComplaintRow): { [A in CaseAction]: Inputs[A] } {
  const w = world();
  const inputs = validInputs(w);
  const county = Object.values(w.units).find(
    (u) => u.parentId === c.handlingUnitId && u.level === 'COUNTY',
  );
  // D72, D24: a fault report's deadlines lie within its REPAIR (24 hours here); D74: until a transfer's feedback is
  // recorded the callback that is valid input is the one that does not close it.
  const soon = new Date(w.clock.now().getTime() + 60 * 60 * 1000);
  const fault = c.kind === 'FAULT_REPORT';
  const feedbackOwed = TRANSFER_SOURCES.includes(c.source) && !c.transferFeedbackAt;
  return {
    ...inputs,
    DISPATCH: fault ? { ...inputs.DISPATCH, deadline: soon } : inputs.DISPATCH,
    DELEGATE: {
      ...inputs.DELEGATE,
      toUnitId: county?.id ?? null,
      ...(fault && { deadline: soon }),
    },
    RECORD_CALLBACK: feedbackOwed
      ? { result: 'UNSATISFIED', note: 'Still broken' }
      : inputs.RECORD_CALLBACK,
  };
}

/**
 * Valid input for this viewer and case where it depends on them: the supervision taken by the viewer
 * themselves (D73), an extension of a clock that runs, is not fixed and has none pending (D78).
 */
async function inputFor(
  db: Db,
  viewer: Viewer,
  c: ComplaintRow,
  action: CaseAction,
): Promise<unknown> {
  if (action === 'HAND_OVER_SUPERVISION') return { toUserId: viewer.id };
  if (action !== 'REQUEST_EXTENSION') return inputsFor(c)[action];
  const pending = new Set(
    (
      await db
        .select()
        .from(extensions)
        .where(and(eq(extensions.complaintId, c.id), eq(extensions.status, 'PENDING')))
    ).map((x) => x.clockId),
  );
  const clocks = await db
    .select()
    .from(slaClocks)
    .where(
      and(eq(slaClocks.complaintId, c.id), isNull(slaClocks.stoppedAt), eq(slaClocks.fixed, false)),
    );
  const clock = clocks.find(
    (k) => !pending.has(k.id) && k.kind !== 'REGISTER' && k.kind !== 'ASSIGNMENT',
  );
  return {
    clock: clock?.kind ?? 'ANSWER',
    dueAt: new Date(world().clock.now().getTime() + 400 * DAY),
    note: 'The vendor needs more time.',
  };
}

async function succeeds(e: Engine, db: Db, viewer: Viewer, c: ComplaintRow, action: CaseAction) {
  const input = await inputFor(db, viewer, c, action);
  try {
    await db.transaction(async (sp) => {
      await transition({ ...e.env, db: sp }, e.who(viewer), action, c.id, input as never);
      throw UNDONE;
    });
  } catch (err) {
    if (err === UNDONE) return true;
    if (err instanceof DomainError) return false;
    throw err;
  }
  return false;
}

type Setup = [string, (e: Engine) => Promise<{ id: string }>];
const SETUPS: Setup[] = [
  ['RECEIVED', (e) => e.register()],
  ['RECEIVED transfer', (e) => e.register('gd.legal', { source: 'GOVERNMENT_TRANSFER' })],
  [
    'RECEIVED partner',
    (e) =>
      e.register('partner', {
        channel: 'API',
        businessLine: 'interconnection',
        category: 'SMS_BLOCKING',
      }),
  ],
  ['ACCEPTED', (e) => e.accepted()],
  [
    'ACCEPTED suspended',
    async (e) => e.act('gd.agent', 'SUSPEND', await e.accepted(), { note: 'Waiting' }),
  ],
  [
    'DISPATCHED',
    async (e) =>
      e.act('gd.agent', 'DISPATCH', await e.accepted(), {
        toUnitId: world().units['GD-SZ']!.id,
        deadline: e.deadline(),
      }),
  ],
  ['INVESTIGATING city', (e) => e.investigating('city')],
  [
    'INVESTIGATING county, escalation pending',
    async (e) =>
      e.act('th.handler', 'ESCALATE', await e.investigating('county'), { note: 'Outage' }),
  ],
  ['INVESTIGATING centre', (e) => e.investigating('centre')],
  ['PENDING_APPROVAL', (e) => e.reported('city')],
  ['PENDING_REVIEW county', (e) => e.reported('county')],
  ['PENDING_REVIEW centre', (e) => e.reported('centre')],
  ['RESOLVED', (e) => e.resolved('county')],
  ['REPLIED county', (e) => e.replied('county')],
  ['REPLIED billing', (e) => e.replied('county', {}, 'billing-dispute')],
  ['CLOSED second callback owed', (e) => e.closed('city', {}, 'broadband')],
  [
    'REJECTED',
    async (e) =>
      e.act('gd.agent', 'REJECT', await e.register(), { reason: 'EXPIRED', note: 'Too old' }),
  ],
  [
    'WITHDRAWN',
    async (e) => e.act('gd.agent', 'WITHDRAW', await e.accepted(), { note: 'Customer withdrew' }),
  ],
  ['ARCHIVED', (e) => e.archived()],
  // D70: every kind (D71 contacts, D72 fault reports) and the ledgers of D73, D74, D78.
  [
    'RECEIVED consultation by a county duty manager',
    (e) => e.register('th.duty', { kind: 'CONSULTATION', channel: 'ONLINE' }),
  ],
  [
    'RECEIVED query forwarded to a city',
    async (e) =>
      e.act(
        'gd.agent',
        'FORWARD_CONTACT',
        await e.register('th.handler', { kind: 'QUERY', channel: 'BUSINESS_HALL' }),
        { toUnitId: world().units['GD-SZ']!.id, deadline: e.deadline(2) },
      ),
  ],
  [
    'CLOSED request (answered)',
    async (e) =>
      e.act(
        'gz.handler',
        'ANSWER_CONTACT',
        await e.register('gz.handler', { kind: 'BUSINESS_REQUEST', channel: 'PHONE' }),
        { method: 'PHONE', content: 'Done.' },
      ),
  ],
  [
    'CLOSED query (converted)',
    async (e) =>
      e.act(
        'gd.agent',
        'CONVERT_TO_COMPLAINT',
        await e.register('gd.agent', { kind: 'QUERY' }),
        {},
      ),
  ],
  [
    'RECEIVED fault report',
    (e) => e.register('bc.handler', { kind: 'FAULT_REPORT', channel: 'PHONE' }),
  ],
  [
    'ACCEPTED fault report, supervised without supervisor',
    (e) => e.accepted({ kind: 'FAULT_REPORT' }, 'enterprise'),
  ],
  [
    'ACCEPTED MAJOR, supervised by a province duty manager',
    async (e) =>
      e.act('gd.duty', 'HAND_OVER_SUPERVISION', await e.accepted({}, 'mobile', 'MAJOR'), {
        toUserId: world().staff['gd.duty']!.id,
      }),
  ],
  [
    'INVESTIGATING city, supervised by the city duty manager',
    async (e) => e.act('gz.duty', 'OPEN_SUPERVISION', await e.investigating('city'), {}),
  ],
  [
    'INVESTIGATING county, extension pending',
    async (e) => {
      const c = await e.investigating('county');
      return e.act('th.handler', 'REQUEST_EXTENSION', c, {
        clock: 'CLOSE',
        dueAt: new Date(world().clock.now().getTime() + 100 * DAY),
        note: 'Vendor',
      });
    },
  ],
  [
    'REPLIED transfer without feedback',
    (e) =>
      e.replied('city', {
        source: 'REGULATOR_TRANSFER',
        externalDeadline: new Date(T0.getTime() + 20 * DAY),
      }),
  ],
];

describe('D60 D70: viewerActions lists exactly what succeeds, for every kind, state and viewer', () => {
  for (const [label, setup] of SETUPS) {
    it(`D60 D55: ${label}`, { timeout: 120_000 }, () =>
      world().tx(async (db) => {
        world().clock.set(T0);
        const e = engine(world(), db);
        const made = await setup(e);
        const c = await e.reload(made);
        const viewers: [string, Viewer][] = [
          ...STAFF.map((s) => [s.username, world().staff[s.username]!] as [string, Viewer]),
          ['admin', world().admin],
          ['partner', world().partner],
          ['zj partner', world().zjPartner],
        ];
        let listedTotal = 0;
        for (const [name, viewer] of viewers) {
          const listed = viewerActions(e.who(viewer), c);
          expect(listed as string[]).not.toContain('REGISTER');
          listedTotal += listed.length;
          // A viewer that cannot read the case is refused everything with NOT_FOUND (proven for every
          // read path by test/read/permission-matrix.test.ts); one try stands for all its actions.
          const actions = canRead(e.who(viewer).ability, c)
            ? CASE_ACTIONS
            : ['ADD_SUPERVISION_NOTE' as const];
          for (const action of actions) {
            const ok = await succeeds(e, db, viewer, c, action);
            expect(ok, `${name} ${action} on ${label}: listed ${listed.includes(action)}`).toBe(
              listed.includes(action),
            );
          }
        }
        // Every state but the final one offers someone something.
        if (c.status !== 'ARCHIVED') expect(listedTotal).toBeGreaterThan(0);
        else expect(listedTotal).toBe(0);
        // The tries changed nothing.
        expect((await e.reload(c)).version).toBe(c.version);
      }),
    );
  }
});
