import type { SQL } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import type { complaints } from '../db/schema.js';
import type { appendEvent } from '../events/append.js';
import { budgetFor, type ClockCtx, type ClockStart } from '../sla/clocks.js';
import type { CaseAction, Env } from './complaint-env.js';
import type { Inputs } from './complaint-inputs.js';
import type { Status } from './enums.js';
import type { ComplaintRow } from './lifecycle.js';
import type { OrgUnit } from './org.js';
import type { BusinessLinePlugin } from './plugin.js';

/** An action's effect (one per action of the lifecycle table), and what several effects share. */

export type NewComplaint = typeof complaints.$inferInsert;

/** What an action does, once its input is valid: the new state, fields, and the event payload. */
export type Outcome = {
  to?: Status;
  set?: Partial<Omit<NewComplaint, 'isRepeat'>> & { isRepeat?: boolean | SQL };
  payload: Record<string, unknown> | null;
};

export type Step = {
  tx: Db;
  env: Env;
  viewer: Viewer;
  c: ComplaintRow;
  now: Date;
  line: BusinessLinePlugin | null;
  clocks: ClockCtx;
  actorUserId: string | null;
  /** D71: the complaint a conversion registered (the mutation answers it). */
  converted?: ComplaintRow;
  registered?: Awaited<ReturnType<typeof appendEvent>>;
};

export type Effect<A extends CaseAction> = (s: Step, input: Inputs[A]) => Promise<Outcome>;

/** The effects of a group of actions, one per action. */
export type Effects<K extends CaseAction> = { [A in K]: Effect<A> };

/** The unit a case moves to, as the complaint's copied columns. */
export const handledBy = (u: OrgUnit) => ({
  handlingUnitId: u.id,
  handlingPath: u.path,
  handlingLevel: u.level,
});

/**
 * RESOLVE as the case's line counts it, or the transfer's own deadline, fixed
 * (D9, D20, D24); a fault report's REPAIR in its place (D72).
 */
export const resolveClock = (c: ComplaintRow, line: BusinessLinePlugin | null): ClockStart => {
  const kind = c.kind === 'FAULT_REPORT' ? 'REPAIR' : 'RESOLVE';
  return c.externalDeadline
    ? { kind, dueAt: c.externalDeadline, fixed: true }
    : { kind, budget: budgetFor(kind, line) };
};
