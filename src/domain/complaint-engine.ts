import { keepPlans } from '../db/client.js';
import {
  type ClockCtx,
  capAssignments,
  dueAtOf,
  lazyCalendar,
  resumeClocks,
  stopClocks,
} from '../sla/clocks.js';
import { notFound, refusal } from './complaint-checks.js';
import { CLOSING_EFFECTS } from './complaint-closing.js';
import {
  afterCommitted,
  type CaseAction,
  commitChange,
  type Env,
  lockCase,
  type Who,
} from './complaint-env.js';
import { ESCALATION_EFFECTS } from './complaint-escalation.js';
import { HANDLING_EFFECTS } from './complaint-handling.js';
import type { Inputs } from './complaint-inputs.js';
import { INTAKE_EFFECTS } from './complaint-intake.js';
import type { Effect, Effects, Step } from './complaint-steps.js';
import { CONTACT_EFFECTS } from './contacts.js';
import { ENDED_STATUSES, OPEN_STATUSES, type Status } from './enums.js';
import { EXTENSION_EFFECTS } from './extensions.js';
import { CLOCK_EFFECTS, type ComplaintRow } from './lifecycle.js';
import { endLedger, SUPERVISION_EFFECTS, SUPERVISION_ENDS } from './supervision.js';
import { TRANSFER_EFFECTS } from './transfers.js';

/**
 * The lifecycle engine (DOMAIN §3, D53–D57). One entry point per kind of
 * change: `registerComplaint` (complaint-registration.ts) creates a case,
 * `transition` applies any other action of the lifecycle table. Both run in
 * one transaction: the case row (locked), its child rows, its clocks and its
 * event commit together or not at all. Nothing here knows GraphQL.
 */

/** Every action's effect, by the action's name (each group in its module). */
const EFFECTS: Effects<CaseAction> = {
  ...INTAKE_EFFECTS,
  ...HANDLING_EFFECTS,
  ...CLOSING_EFFECTS,
  ...ESCALATION_EFFECTS,
  ...CONTACT_EFFECTS,
  ...SUPERVISION_EFFECTS,
  ...TRANSFER_EFFECTS,
  ...EXTENSION_EFFECTS,
};

/** Actions after which a RESOLVE due time may have moved or restarted (resume moves and caps itself). */
const clocksMoved: ReadonlySet<CaseAction> = new Set([
  'RECORD_CALLBACK',
  'DISPATCH',
  'DELEGATE',
  'DECIDE_EXTENSION',
]);

/**
 * Applies one action of the lifecycle table to a case. Refusals are
 * DomainErrors (D55) and leave nothing behind; on success the case's new row.
 */
export async function transition<A extends CaseAction>(
  env: Env,
  who: Who,
  action: A,
  id: string,
  input: Inputs[A],
  expectedVersion?: number | null,
): Promise<ComplaintRow> {
  return (await apply(env, who, { action, id, input, expectedVersion })).row;
}

/** D71: converts a contact; answers the new COMPLAINT (the contact is CLOSED and linked). */
export async function convertToComplaint(
  env: Env,
  who: Who,
  id: string,
  input: Inputs['CONVERT_TO_COMPLAINT'],
  expectedVersion?: number | null,
) {
  const change = { action: 'CONVERT_TO_COMPLAINT' as const, id, input, expectedVersion };
  const { converted } = await apply(env, who, change);
  return converted!;
}

/** One action asked of one case, at the version the caller last read (D55's CONFLICT). */
type Change<A extends CaseAction> = {
  action: A;
  id: string;
  input: Inputs[A];
  expectedVersion?: number | null;
};

async function apply<A extends CaseAction>(
  env: Env,
  who: Who,
  { action, id, input, expectedVersion }: Change<A>,
): Promise<{ row: ComplaintRow; converted?: ComplaintRow }> {
  let converted: ComplaintRow | undefined;
  let registered: Step['registered'];
  const { row, event } = await env.db.transaction(async (tx) => {
    await keepPlans(tx);
    const c = await lockCase(tx, id);
    if (!c) throw notFound();
    const refused = refusal(who, c, action, expectedVersion, env.lines);
    if (refused) throw refused;

    const now = env.clock.now();
    const line = c.businessLine ? (env.lines.get(c.businessLine) ?? null) : null;
    const clocks: ClockCtx = {
      tx,
      calendar: lazyCalendar(tx),
      complaintId: c.id,
      at: now,
      warnRatio: env.config.sla.warnRatio,
      suspended: c.suspended, // D24: clocks started on a suspended case start PAUSED
    };
    const step: Step = {
      tx,
      env,
      viewer: who.viewer,
      c,
      now,
      line,
      clocks,
      actorUserId: who.viewer.kind === 'user' ? who.viewer.id : null,
    };
    const outcome = await (EFFECTS[action] as Effect<A>)(step, input);
    const to = outcome.to ?? c.status;

    const stops = CLOCK_EFFECTS[action]?.stop;
    if (stops) await stopClocks(clocks, stops);
    // D73: the supervision ends when the case is resolved, closed, withdrawn or rejected.
    const supervisedNow =
      outcome.set && 'supervisingUnitId' in outcome.set
        ? outcome.set.supervisingUnitId
        : c.supervisingUnitId;
    if (supervisedNow && (SUPERVISION_ENDS as readonly Status[]).includes(to)) {
      outcome.set = { ...outcome.set, ...(await endLedger(tx, clocks, c.id, now)) };
    }

    // A case that leaves the open states is no longer waiting for anyone: what still runs, runs.
    if (!OPEN_STATUSES.includes(to) && c.suspended) {
      await resumeClocks(clocks);
      outcome.set = { ...outcome.set, suspended: false, suspendedAt: null };
    }
    // D15: retention counts from when the case ended; a reopened case is no longer ended.
    const ended = (s: Status) => (ENDED_STATUSES as readonly Status[]).includes(s);
    if (ended(to) && !ended(c.status)) outcome.set = { ...outcome.set, endedAt: now };
    else if (!ended(to) && to !== 'ARCHIVED' && c.endedAt)
      outcome.set = { ...outcome.set, endedAt: null };
    const after = { ...c, ...outcome.set, status: to } as ComplaintRow;
    const hookLine = after.businessLine ? env.lines.get(after.businessLine) : undefined;
    await hookLine?.hooks?.beforeTransition?.({
      action,
      from: c.status,
      to,
      category: after.category,
      details: after.details,
    });

    if (clocksMoved.has(action)) await capAssignments(tx, c.id); // D24: RESOLVE restarted or moved
    converted = step.converted;
    registered = step.registered;
    return commitChange(tx, c, who.viewer, {
      action,
      to,
      set: { ...outcome.set, status: to, dueAt: dueAtOf(c.id) }, // due_at as refreshDueAt sets it
      at: now,
      payload: outcome.payload,
    });
  });
  await afterCommitted(env, row.businessLine, row.number, event);
  if (converted && registered)
    await afterCommitted(env, converted.businessLine, converted.number, registered);
  return { row, converted };
}
