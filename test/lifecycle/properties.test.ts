import { asc, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { canRead } from '../../src/auth/complaint-rules.js';
import type { Viewer } from '../../src/auth/viewer.js';
import type { Db } from '../../src/db/client.js';
import { complaintEvents } from '../../src/db/schema.js';
import {
  type CaseAction,
  type Inputs,
  type RegisterInput,
  refusal,
  viewerActions,
  type Who,
} from '../../src/domain/complaints.js';
import {
  CALLBACK_RESULTS,
  CONTACT_METHODS,
  FINDING_NATURES,
  OPEN_STATUSES,
  REJECTION_REASONS,
  REMEDY_KINDS,
  SEVERITIES,
  type Status,
} from '../../src/domain/enums.js';
import { DomainError } from '../../src/domain/errors.js';
import { type ComplaintRow, LIFECYCLE } from '../../src/domain/lifecycle.js';
import { verifyChain } from '../../src/events/append.js';
import { type Engine, engine } from '../support/cases.js';
import { iterations, prng, type Rng } from '../support/random.js';
import { DAY, MINUTE } from '../support/time.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * Property-style walks through the lifecycle table (§3, D53, D55, D56, D60):
 * random viewers of the whole fixture try random actions with plausible (and
 * now and then bad) input on a case; after every attempt the case must be in
 * a state the table allows, a refusal must have changed nothing, and
 * `viewerActions` must agree with the engine. Reproduce a failing walk with
 * PROPERTY_SEED=<seed printed in the test name>.
 */

const world = useWorld();

const BASE_SEED = Number(process.env.PROPERTY_SEED ?? 20261123);
/** 6 walks in `npm test`, 30 in `npm run test:full` (the generator check below needs 30). */
const CASES = iterations(6, 30, process.env.PROPERTY_CASES);
const STEPS = 25;

// ---------------------------------------------------------------- the table, written out again from DOMAIN §3

const OPEN = new Set<Status>(OPEN_STATUSES);

/** The states DOMAIN §3 lets `action` lead to from `from` (empty: not allowed from there). */
function tableTo(action: CaseAction, from: Status): Status[] {
  const when = (froms: Status[], tos: Status[]) => (froms.includes(from) ? tos : []);
  const same = (ok: boolean) => (ok ? [from] : []);
  switch (action) {
    case 'ACCEPT':
      return when(['RECEIVED'], ['ACCEPTED']);
    case 'REJECT':
      return when(['RECEIVED'], ['REJECTED']);
    case 'RESOLVE_ON_SPOT':
      return when(['RECEIVED', 'ACCEPTED'], ['REPLIED']);
    case 'DISPATCH':
      return when(['ACCEPTED'], ['DISPATCHED']);
    case 'ACKNOWLEDGE':
      return when(['DISPATCHED'], ['INVESTIGATING']);
    case 'RETURN':
      return when(['DISPATCHED'], ['ACCEPTED', 'INVESTIGATING']);
    case 'DELEGATE':
      return when(['INVESTIGATING'], ['DISPATCHED']);
    case 'RECORD_INVESTIGATION':
    case 'DETERMINE_RESPONSIBILITY':
      return when(['INVESTIGATING'], ['INVESTIGATING']);
    case 'SUBMIT_REPORT':
      return when(['INVESTIGATING'], ['PENDING_APPROVAL', 'PENDING_REVIEW']);
    case 'CONFIRM_REPORT':
      return when(['PENDING_APPROVAL'], ['PENDING_REVIEW', 'INVESTIGATING']);
    case 'REVIEW_REPORT':
      return when(['PENDING_REVIEW'], ['RESOLVED', 'PENDING_APPROVAL', 'INVESTIGATING']);
    case 'REPLY_TO_CUSTOMER':
      return when(['RESOLVED'], ['REPLIED']);
    case 'RECORD_CALLBACK':
      // Reopened "there" (D53): INVESTIGATING at a unit, ACCEPTED when the province held it (settled on the spot).
      return when(['REPLIED', 'CLOSED'], ['CLOSED', 'INVESTIGATING', 'ACCEPTED']);
    case 'ARCHIVE':
      return when(['CLOSED', 'REJECTED', 'WITHDRAWN'], ['ARCHIVED']);
    case 'WITHDRAW':
      return OPEN.has(from) ? ['WITHDRAWN'] : [];
    case 'CONTACT_CUSTOMER':
      return same(OPEN.has(from) || from === 'REJECTED');
    case 'SUSPEND':
    case 'RESUME':
    case 'ESCALATE':
    case 'DECIDE_ESCALATION':
    case 'ADD_SUPERVISION_NOTE':
    case 'OPEN_SUPERVISION':
    case 'HAND_OVER_SUPERVISION':
    case 'REPORT_PROGRESS':
    case 'REQUEST_EXTENSION':
    case 'DECIDE_EXTENSION':
      return same(OPEN.has(from));
    // D71: a consultation, query or request is answered or converted (CLOSED), or forwarded (still RECEIVED).
    case 'ANSWER_CONTACT':
    case 'CONVERT_TO_COMPLAINT':
      return when(['RECEIVED'], ['CLOSED']);
    case 'FORWARD_CONTACT':
      return when(['RECEIVED'], ['RECEIVED']);
    case 'RECORD_TRANSFER_FEEDBACK':
      return same(OPEN.has(from) || ['CLOSED', 'REJECTED', 'WITHDRAWN'].includes(from));
  }
}

/** Finer expectations of D11 where the input decides. */
function expectedTo(
  action: CaseAction,
  c: ComplaintRow,
  input: Record<string, unknown>,
): Status | null {
  if (action === 'SUBMIT_REPORT')
    return c.handlingLevel === 'CITY' ? 'PENDING_APPROVAL' : 'PENDING_REVIEW';
  if (action === 'CONFIRM_REPORT') return input.approve ? 'PENDING_REVIEW' : 'INVESTIGATING';
  if (action === 'REVIEW_REPORT')
    return !input.approve
      ? 'INVESTIGATING'
      : c.handlingLevel === 'COUNTY'
        ? 'PENDING_APPROVAL'
        : 'RESOLVED';
  if (action === 'RECORD_CALLBACK' && input.result !== 'UNSATISFIED') return 'CLOSED';
  return null;
}

// ---------------------------------------------------------------- viewers and inputs

type Actor = { name: string; viewer: Viewer; who: Who };

function actorsOf(w: World): Actor[] {
  const list: [string, Viewer][] = [
    ...Object.entries(w.staff),
    ['admin', w.admin],
    ['partner', w.partner],
    ['zjPartner', w.zjPartner],
  ];
  return list.map(([name, viewer]) => ({
    name,
    viewer,
    who: { viewer, ability: defineAbilityFor(viewer) },
  }));
}

const ACTIONS = Object.keys(LIFECYCLE) as CaseAction[];
const MOVING = new Set<CaseAction>(
  ACTIONS.filter(
    (a) =>
      ![
        'CONTACT_CUSTOMER',
        'SUSPEND',
        'RESUME',
        'ESCALATE',
        'DECIDE_ESCALATION',
        'ADD_SUPERVISION_NOTE',
        'RECORD_INVESTIGATION',
        'WITHDRAW',
      ].includes(a),
  ),
);
const LINES = ['mobile', 'broadband', 'fixed-line', 'billing-dispute', 'enterprise'] as const;

/** A plausible input for `action` on `c`; with `bad`, one that its input checks should refuse. */
function inputFor(
  rng: Rng,
  w: World,
  action: CaseAction,
  c: ComplaintRow,
  bad: boolean,
  actorId: string,
): Record<string, unknown> {
  const now = w.clock.now().getTime();
  const noteOr = (required: boolean) =>
    bad ? '   ' : required || rng.chance(0.5) ? `note ${rng.int(1000)}` : null;
  const unit = (codes: string[]) => w.units[rng.pick(codes)]!.id;
  const deadline = () => new Date(bad ? now - MINUTE : now + (1 + rng.int(4)) * DAY);
  switch (action) {
    case 'ACCEPT': {
      const line =
        c.source === 'PARTNER_CARRIER' || c.businessLine === 'interconnection'
          ? 'interconnection'
          : (c.businessLine ?? rng.pick(LINES));
      return {
        businessLine: line,
        category: bad
          ? 'NO_SUCH_CATEGORY'
          : rng.pick(['NETWORK_TECHNICAL', 'SERVICE_QUALITY', 'PROCESS']),
        severity: rng.pick(SEVERITIES),
      };
    }
    case 'REJECT':
      return { reason: rng.pick(REJECTION_REASONS), note: noteOr(true) };
    case 'RESOLVE_ON_SPOT':
      return { answer: bad ? '' : 'Answered at first contact.' };
    case 'DISPATCH':
      return {
        toUnitId: unit(['GD-GZ', 'GD-GZ', 'GD-SZ', 'GD-BC', 'GD-GZ-TH', 'ZJ-HZ']),
        deadline: deadline(),
        note: noteOr(false),
      };
    case 'DELEGATE':
      return {
        toUnitId: unit(['GD-GZ-TH', 'GD-GZ-YX', 'GD-SZ-NS', 'GD-BC']),
        deadline: deadline(),
        note: noteOr(false),
      };
    case 'ACKNOWLEDGE':
    case 'SUBMIT_REPORT':
    case 'ARCHIVE':
    case 'RESUME':
      return { note: bad ? 'x'.repeat(5001) : noteOr(false) };
    case 'RETURN':
    case 'WITHDRAW':
    case 'SUSPEND':
    case 'ESCALATE':
    case 'ADD_SUPERVISION_NOTE':
      return { note: noteOr(true) };
    case 'RECORD_INVESTIGATION':
      return {
        kind: rng.pick(['INITIAL', 'DETAILED']),
        findings: bad ? ' ' : 'Cell outage confirmed.',
      };
    case 'DETERMINE_RESPONSIBILITY': {
      const kind = rng.pick(REMEDY_KINDS);
      const needsAmount = kind === 'COMPENSATION' || kind === 'BILL_ADJUSTED';
      return {
        nature: rng.pick(FINDING_NATURES),
        rootCause: 'Maintenance without notice',
        remedy: {
          kind,
          amount: bad ? (needsAmount ? null : -1) : needsAmount ? rng.int(100) + 0.5 : null,
        },
      };
    }
    case 'CONFIRM_REPORT':
    case 'REVIEW_REPORT':
    case 'DECIDE_ESCALATION': {
      const approve = rng.chance(0.7);
      return { approve, note: approve ? noteOr(false) : noteOr(true) };
    }
    case 'CONTACT_CUSTOMER':
    case 'REPLY_TO_CUSTOMER':
      // D23: some contacts answer the request (stop ANSWER, let a rejected case be archived), some are progress notes.
      return {
        method: rng.pick(CONTACT_METHODS),
        content: bad ? '' : 'We called the customer.',
        substantive: rng.chance(0.5),
      };
    case 'RECORD_CALLBACK':
      return {
        result: rng.weighted(CALLBACK_RESULTS, (r) => (r === 'UNSATISFIED' ? 1 : 2)),
        note: bad ? 'x'.repeat(5001) : noteOr(false),
      };
    case 'ANSWER_CONTACT':
    case 'RECORD_TRANSFER_FEEDBACK':
      return {
        method: rng.pick(CONTACT_METHODS),
        content: bad ? ' ' : 'Answered: the plan costs 129 yuan.',
      };
    case 'FORWARD_CONTACT':
      return {
        toUnitId: unit(['GD-GZ', 'GD-GZ-TH', 'GD-SZ', 'GD-BC', 'ZJ-HZ']),
        deadline: deadline(),
        note: noteOr(false),
      };
    case 'CONVERT_TO_COMPLAINT':
    case 'OPEN_SUPERVISION':
      return { note: bad ? 'x'.repeat(5001) : noteOr(false) };
    case 'REPORT_PROGRESS':
      return { note: noteOr(true) };
    case 'HAND_OVER_SUPERVISION':
      // To oneself (taking it) or to another legal officer or duty manager, who may not belong to the supervising unit.
      return {
        toUserId: bad
          ? null
          : rng.chance(0.6)
            ? actorId
            : w.staff[rng.pick(['gd.legal', 'gd.duty', 'gz.duty', 'th.duty'])]!.id,
        note: noteOr(false),
      };
    case 'REQUEST_EXTENSION':
      return {
        clock: rng.pick([
          'ANSWER',
          'CLOSE',
          'RESOLVE',
          'REPAIR',
          'PROGRESS',
          'ACCEPT',
          'FEEDBACK',
        ] as const),
        dueAt: new Date(bad ? now - MINUTE : now + 400 * DAY),
        note: noteOr(true),
      };
    case 'DECIDE_EXTENSION': {
      const approve = rng.chance(0.7);
      return { approve, note: approve ? noteOr(false) : noteOr(true) };
    }
  }
}

/** A random new case: an agent's, a walk-in, a transfer or a partner's (§3's register row). */
async function start(rng: Rng, e: Engine, w: World): Promise<ComplaintRow> {
  const kind = rng.pick([
    'agent',
    'agent',
    'walk-in',
    'transfer',
    'partner',
    'contact',
    'fault',
  ] as const);
  const line = rng.chance(0.5) ? rng.pick(LINES) : null;
  const over: Partial<RegisterInput> = line ? { businessLine: line } : {};
  if (kind === 'agent') return e.register(rng.pick(['gd.agent', 'gd.agent2']), over);
  if (kind === 'walk-in')
    return e.register(rng.pick(['gz.handler', 'th.handler', 'sz.handler', 'bc.handler']), {
      ...over,
      channel: 'VISIT',
    });
  if (kind === 'transfer')
    return e.register('gd.legal', {
      ...over,
      source: rng.pick(['REGULATOR_TRANSFER', 'GROUP_TRANSFER', 'GOVERNMENT_TRANSFER']),
    });
  // D70: every kind walks the table; any staff member registers a contact, through any channel.
  if (kind === 'contact') {
    const by = rng.pick(['gd.agent', 'gz.handler', 'th.duty', 'gz.leader']);
    return e.register(by, {
      ...over,
      kind: rng.pick(['CONSULTATION', 'QUERY', 'BUSINESS_REQUEST'] as const),
      channel: rng.pick(['PHONE', 'BUSINESS_HALL', 'ONLINE'] as const),
    });
  }
  if (kind === 'fault')
    return e.register(rng.pick(['gd.agent', 'bc.handler']), {
      ...over,
      kind: 'FAULT_REPORT',
      channel: 'PHONE',
    });
  return e.register(w.partner, {
    channel: 'API',
    businessLine: 'interconnection',
    category: 'CALL_COMPLETION',
  });
}

const eventCount = async (db: Db, id: string) =>
  (
    await db.select({ n: count() }).from(complaintEvents).where(eq(complaintEvents.complaintId, id))
  )[0]!.n;
const lastEvent = async (db: Db, id: string) =>
  (
    await db
      .select()
      .from(complaintEvents)
      .where(eq(complaintEvents.complaintId, id))
      .orderBy(asc(complaintEvents.position))
  ).at(-1)!;

/** Invariants of who may act that hold in every state (D3, D40, D54, D60). */
function checkActionsEverywhere(actors: Actor[], c: ComplaintRow, where: string) {
  const byActor = new Map<Actor, CaseAction[]>();
  for (const a of actors) {
    // D54: a viewer who cannot read the case is answered NOT_FOUND for everything, so it has no buttons
    // (checked on one action; computing all of them for every non-reader would only slow the walk down).
    const reads = canRead(a.who.ability, c);
    if (a.name.startsWith('zj') || a.name === 'hz.handler' || a.name.endsWith('admin'))
      expect(reads, `${where}: ${a.name} reads a GD case`).toBe(false);
    if (a.viewer.kind === 'partner')
      expect(reads, `${where}: ${a.name} reads`).toBe(c.partnerId === a.viewer.id);
    if (!reads) {
      expect(
        refusal(a.who, c, ACTIONS[(c.version + a.name.length) % ACTIONS.length]!)?.code,
        `${where}: ${a.name}`,
      ).toBe('NOT_FOUND');
      byActor.set(a, []);
      continue;
    }
    const actions = viewerActions(a.who, c);
    byActor.set(a, actions);
    expect(actions, `${where}: ${a.name} lists REGISTER`).not.toContain('REGISTER');
    if (c.status === 'ARCHIVED')
      expect(actions, `${where}: ${a.name} acts on an ARCHIVED case (D15)`).toEqual([]);
    const roles = a.viewer.kind === 'user' ? a.viewer.grants.map((g) => g.role) : [];
    if (a.viewer.kind === 'user' && roles.every((r) => r === 'ADMIN' || r === 'AUDITOR')) {
      expect(actions, `${where}: ${a.name} (ADMIN/AUDITOR) acts`).toEqual([]);
    }
    if (a.name.startsWith('zj') || a.name === 'hz.handler')
      expect(actions, `${where}: ${a.name} acts on a GD case`).toEqual([]);
    if (a.viewer.kind === 'partner') {
      const own = c.partnerId === a.viewer.id && OPEN.has(c.status);
      expect(actions, `${where}: ${a.name}`).toEqual(own ? ['WITHDRAW'] : []);
    }
  }
  return byActor;
}

/** What the walks reached, for the coverage check after them. */
const reached = { walks: 0, statuses: new Set<Status>(), actions: new Set<CaseAction>() };

describe(`random walks through the lifecycle table (PROPERTY_SEED=${BASE_SEED})`, () => {
  for (let n = 0; n < CASES; n++) {
    const seed = (BASE_SEED + n * 7919) >>> 0;
    it(`§3 D53 D55 D56 D60: walk #${n + 1} (seed ${seed}) keeps the case in the table, refusals change nothing, viewerActions agrees, the chain verifies`, () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        const rng = prng(seed);
        const e = engine(w, db);
        const actors = actorsOf(w);
        let c = await start(rng, e, w);
        const trail: string[] = [`REGISTER → ${c.status}`];
        const where = () => `seed ${seed}, after ${trail.join('; ')}`;
        let cached: { version: number; actions: Map<Actor, CaseAction[]> } | undefined;

        for (let step = 0; step < STEPS; step++) {
          w.clock.advance((1 + rng.int(120)) * MINUTE);
          const before = await e.reload(c);
          const eventsBefore = await eventCount(db, c.id);
          expect(eventsBefore, where()).toBe(before.version);
          // After a refusal the row is unchanged (asserted below), and so are everyone's actions.
          if (cached?.version !== before.version)
            cached = {
              version: before.version,
              actions: checkActionsEverywhere(actors, before, where()),
            };
          const now = cached.actions;

          // Mostly an action somebody may take now (weighted towards those that move the case), sometimes anything by anyone.
          const allowed = actors.flatMap((a) => now.get(a)!.map((action) => ({ a, action })));
          const { a, action } =
            allowed.length && rng.chance(0.75)
              ? rng.weighted(allowed, (x) => (MOVING.has(x.action) ? 4 : 1))
              : { a: rng.pick(actors), action: rng.pick(ACTIONS) };
          const bad = rng.chance(0.1);
          const input = inputFor(rng, w, action, before, bad, a.viewer.id);
          const expected = refusal(a.who, before, action);

          // D60: the button is shown exactly when nothing but the input can refuse the action.
          expect(
            now.get(a)!.includes(action),
            `${where()}: viewerActions vs refusal for ${a.name} ${action}`,
          ).toBe(expected === null);

          let outcome: ComplaintRow | DomainError;
          try {
            outcome = await e.act(a.viewer, action, before, input as Inputs[typeof action]);
          } catch (err) {
            if (!(err instanceof DomainError))
              throw new Error(`${where()}: ${a.name} ${action} threw ${String(err)}`, {
                cause: err,
              });
            outcome = err;
          }
          const label = `${a.name} ${action}${bad ? ' (bad input)' : ''} on ${before.status}`;

          if (outcome instanceof DomainError) {
            if (expected) {
              expect(outcome.code, `${where()}: ${label}`).toBe(expected.code);
            } else {
              // Only the input's own checks are left (D55's last two steps): they name a field.
              expect(
                outcome.field,
                `${where()}: ${label} refused ${outcome.code} "${outcome.message}" without a field`,
              ).toBeDefined();
              // D74 (a callback that would close a transfer without feedback) and D78 (a fixed or already
              // pending clock) are INVALID_TRANSITIONs the input decides: they name the field.
              const inputDecides =
                (action === 'RECORD_CALLBACK' || action === 'REQUEST_EXTENSION') &&
                outcome.code === 'INVALID_TRANSITION';
              if (!inputDecides)
                expect(['VALIDATION', 'FORBIDDEN'], `${where()}: ${label}`).toContain(outcome.code);
            }
            // A refused mutation changes nothing.
            const after = await e.reload(c);
            expect(after, `${where()}: ${label} refused but changed the case`).toEqual(before);
            expect(await eventCount(db, c.id), `${where()}: ${label} refused but appended`).toBe(
              eventsBefore,
            );
            trail.push(`${label} ✗ ${outcome.code}`);
            continue;
          }

          expect(
            expected,
            `${where()}: ${label} succeeded though refusal() said ${expected?.code}`,
          ).toBeNull();
          expect(LIFECYCLE[action].from, `${where()}: ${label}`).toContain(before.status);
          expect(
            tableTo(action, before.status),
            `${where()}: ${label} → ${outcome.status}`,
          ).toContain(outcome.status);
          const finer = expectedTo(action, before, input);
          if (finer) expect(outcome.status, `${where()}: ${label}`).toBe(finer);
          // D56: exactly one event, recording the change.
          expect(outcome.version, where()).toBe(before.version + 1);
          expect(await eventCount(db, c.id), where()).toBe(eventsBefore + 1);
          const ev = await lastEvent(db, c.id);
          expect(
            { action: ev.action, fromStatus: ev.fromStatus, toStatus: ev.toStatus },
            where(),
          ).toEqual({
            action,
            fromStatus: before.status,
            toStatus: outcome.status,
          });
          expect(ev.actorUserId ?? ev.actorPartnerId, where()).toBe(a.viewer.id);
          trail.push(`${label} → ${outcome.status}`);
          reached.statuses.add(outcome.status);
          reached.actions.add(action);
          c = outcome;
        }

        const last = await e.reload(c);
        checkActionsEverywhere(actors, last, where());
        expect(await verifyChain(db, c.id), where()).toEqual({ ok: true, checked: last.version });
        expect(await eventCount(db, c.id), where()).toBe(last.version);
        reached.walks++;
      }));
  }

  it('the walks reach deep into the table (a check on the generator itself)', (ctx) => {
    if (reached.walks < CASES) ctx.skip(); // only meaningful after every walk of the file ran
    if (CASES < 30) ctx.skip();
    expect([...reached.statuses]).toEqual(
      expect.arrayContaining(['ACCEPTED', 'DISPATCHED', 'INVESTIGATING']),
    );
    expect(reached.statuses.size).toBeGreaterThanOrEqual(8);
    expect(reached.actions.size).toBeGreaterThanOrEqual(15);
  });
});
