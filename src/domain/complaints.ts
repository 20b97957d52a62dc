import { createHash } from 'node:crypto';
import { and, desc, eq, gte, isNull, lte, ne, type SQL, sql } from 'drizzle-orm';
import type { AppAbility } from '../auth/abilities.js';
import {
  complaintSubject,
  holdsRoleKind,
  registrarOf,
  selfApprovesEscalation,
} from '../auth/complaint-rules.js';
import type { Viewer } from '../auth/viewer.js';
import type { Clock } from '../config/clock.js';
import type { Config } from '../config/index.js';
import { type Db, rowsOf } from '../db/client.js';
import { rowReader } from '../db/rows.js';
import {
  assignments,
  callbacks,
  caseNumberSequences,
  complaints,
  customerContacts,
  escalations,
  investigations,
  orgUnits,
  responsibilityFindings,
  supervisionNotes,
} from '../db/schema.js';
import { type Actor, appendEvent } from '../events/append.js';
import { shanghaiDate, shanghaiMidnight } from '../sla/calendar.js';
import {
  budgetFor,
  type ClockCtx,
  type ClockStart,
  capAssignments,
  dueAtOf,
  lazyCalendar,
  pauseClocks,
  resolveDueAt,
  resumeClocks,
  startClocks,
  stopClocks,
} from '../sla/clocks.js';
import { formatDateTime } from '../wire/datetime.js';
import { answerBudget, CONTACT_EFFECTS, type ContactInputs } from './contacts.js';
import {
  type Action,
  ANSWERED_KINDS,
  type CallbackResult,
  type Channel,
  type ContactKind,
  type ContactMethod,
  ENDED_STATUSES,
  type FindingNature,
  type InvestigationKind,
  OPEN_STATUSES,
  type RejectionReason,
  type RemedyKind,
  type Severity,
  type Source,
  type Status,
  TRANSFER_SOURCES,
} from './enums.js';
import { DomainError, validation } from './errors.js';
import { EXTENSION_EFFECTS, type ExtensionInputs } from './extensions.js';
import { countRegistration } from './hotspots.js';
import { amount, futureDeadline, LIMITS, pastInstant, phone, text } from './input.js';
import { CLOCK_EFFECTS, type ComplaintRow, kindsOf, LIFECYCLE, parentIdOf } from './lifecycle.js';
import type { LineRegistry } from './lines.js';
import { mergeDetails } from './lines.js';
import type { OrgUnit } from './org.js';
import type { BusinessLinePlugin } from './plugin.js';
import { causeCode, openRectification } from './rectification.js';
import {
  endLedger,
  openLedger,
  SUPERVISION_EFFECTS,
  SUPERVISION_ENDS,
  type SupervisionInputs,
} from './supervision.js';
import { closingBlocked, TRANSFER_EFFECTS, type TransferInputs } from './transfers.js';

/**
 * The lifecycle engine (DOMAIN §3, D53–D57). One entry point per kind of
 * change: `registerComplaint` creates a case, `transition` applies any other
 * action of the lifecycle table. Both run in one transaction: the case row
 * (locked), its child rows, its clocks and its event commit together or not
 * at all. Nothing here knows GraphQL.
 */

export type Env = {
  db: Db;
  clock: Clock;
  lines: LineRegistry;
  config: Config;
  /**
   * D35: set when `db` is an enclosing transaction: after-commit hooks are
   * queued here for its owner to run once it commits (see `afterCommitted`).
   */
  afterCommit?: (() => Promise<void>)[];
};

/** D35: runs (or, inside an enclosing transaction, queues) the line's after-hook of a committed event. */
export async function afterCommitted(
  env: Env,
  lineCode: string | null,
  number: string,
  e: {
    complaintId: string;
    action: string;
    fromStatus: Status | null;
    toStatus: Status | null;
    at: Date;
    position: bigint;
  },
) {
  const job = () =>
    env.lines.afterCommit(lineCode, {
      complaintId: e.complaintId,
      number,
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus ?? e.fromStatus!,
      at: e.at,
      position: e.position,
    });
  if (env.afterCommit) env.afterCommit.push(job);
  else await job();
}

/** Runs `fn` in a transaction whose after-commit hooks (D35) run once it has committed. */
export async function withAfterCommit<T>(env: Env, fn: (env: Env) => Promise<T>): Promise<T> {
  const queue: (() => Promise<void>)[] = [];
  const result = await env.db.transaction((tx) => fn({ ...env, db: tx, afterCommit: queue }));
  for (const job of queue) await job();
  return result;
}
export type Who = { viewer: Viewer; ability: AppAbility };
export type CaseAction = Exclude<Action, 'REGISTER'>;

const INPUT = (name: string) => ['input', name];
const note = (v: string | null | undefined, required: boolean) =>
  required
    ? text(v, INPUT('note'), { required: true, max: LIMITS.note })
    : text(v, INPUT('note'), { max: LIMITS.note });

// ---------------------------------------------------------------- checks

type Refusal = { code: DomainError['code']; message: string };

/**
 * D55's order, from the coarsest to the finest, up to (not including) the
 * action's own input: NOT_FOUND → ARCHIVED → FORBIDDEN (role kind) →
 * CONFLICT → INVALID_TRANSITION → FORBIDDEN (this viewer, now). The one
 * check behind both the mutations (`refusal`) and `viewerActions` (D60); it
 * returns plain data, so listing actions builds no Error objects.
 */
function check(
  who: Who,
  c: ComplaintRow,
  action: CaseAction,
  expectedVersion: number | null | undefined,
  subject: ReturnType<typeof complaintSubject>,
  lines?: LineRegistry,
): Refusal | null {
  if (!who.ability.can('read', subject)) return { code: 'NOT_FOUND', message: 'No such complaint' };
  if (c.status === 'ARCHIVED')
    return {
      code: 'ARCHIVED',
      message: `Case ${c.number} is archived and can no longer change (D15)`,
    };
  if (!holdsRoleKind(who.viewer, c, action))
    return { code: 'FORBIDDEN', message: `Your roles do not allow ${action} (D53)` };
  if (expectedVersion != null && expectedVersion !== c.version) {
    return {
      code: 'CONFLICT',
      message: `Case ${c.number} is at version ${c.version}, not ${expectedVersion}: reload it`,
    };
  }
  const rule = LIFECYCLE[action];
  if (!rule.from.includes(c.status))
    return { code: 'INVALID_TRANSITION', message: `${action} is not allowed from ${c.status}` };
  if (!kindsOf(rule).includes(c.kind))
    return { code: 'INVALID_TRANSITION', message: `${action} does not apply to a ${c.kind} (D70)` };
  const blocked =
    rule.guard?.(c) ??
    (c.businessLine
      ? lines
          ?.get(c.businessLine)
          ?.hooks?.refuse?.({ action, status: c.status, category: c.category, details: c.details })
      : null);
  if (blocked) return { code: 'INVALID_TRANSITION', message: blocked };
  if (!who.ability.can(action, subject))
    return {
      code: 'FORBIDDEN',
      message: `You do not hold case ${c.number} for ${action} now (D53)`,
    };
  return null;
}

/** The first of D55's refusals for this action now, as the error a mutation answers with; null when allowed. */
export function refusal(
  who: Who,
  c: ComplaintRow,
  action: CaseAction,
  expectedVersion?: number | null,
  lines?: LineRegistry,
): DomainError | null {
  const r = check(who, c, action, expectedVersion, complaintSubject(c), lines);
  return r && new DomainError(r.code, r.message);
}

export const notFound = () => new DomainError('NOT_FOUND', 'No such complaint');

/** D60: exactly the actions that pass every check but the input's. */
export function viewerActions(who: Who, c: ComplaintRow, lines?: LineRegistry): CaseAction[] {
  const subject = complaintSubject(c); // the seats once, not once per action
  if (!who.ability.can('read', subject)) return [];
  return (Object.keys(LIFECYCLE) as CaseAction[]).filter(
    (a) => check(who, c, a, null, subject, lines) === null,
  );
}

// ---------------------------------------------------------------- inputs

export type Inputs = {
  ACCEPT: {
    businessLine: string;
    category: string;
    severity: Severity;
    details?: unknown;
    occurredAt?: Date | null;
  };
  REJECT: { reason: RejectionReason; note?: string | null };
  RESOLVE_ON_SPOT: { answer: string };
  /** `toUnitId` null: the ID given was malformed (a VALIDATION error, checked last). */
  DISPATCH: { toUnitId: string | null; deadline: Date; note?: string | null };
  ACKNOWLEDGE: { note?: string | null };
  RETURN: { note?: string | null };
  DELEGATE: { toUnitId: string | null; deadline: Date; note?: string | null };
  RECORD_INVESTIGATION: { kind: InvestigationKind; findings: string };
  DETERMINE_RESPONSIBILITY: {
    nature: FindingNature;
    /** undefined: not given; null: malformed. */
    responsibleUnitId?: string | null;
    responsiblePerson?: string | null;
    rootCause: string;
    /** D79: a root-cause code of the base list or the case's line; default OTHER. */
    cause?: string | null;
    remedy: { kind: RemedyKind; amount?: number | null };
    rectification?: string | null;
  };
  SUBMIT_REPORT: { note?: string | null };
  CONFIRM_REPORT: { approve: boolean; note?: string | null };
  REVIEW_REPORT: { approve: boolean; note?: string | null };
  /** `substantive`: it answers the customer's request (D23), which stops ANSWER. */
  CONTACT_CUSTOMER: { method: ContactMethod; content: string; substantive?: boolean | null };
  REPLY_TO_CUSTOMER: { method: ContactMethod; content: string };
  RECORD_CALLBACK: { result: CallbackResult; note?: string | null };
  ARCHIVE: { note?: string | null };
  WITHDRAW: { note?: string | null };
  SUSPEND: { note?: string | null };
  RESUME: { note?: string | null };
  ESCALATE: { note?: string | null };
  DECIDE_ESCALATION: { approve: boolean; note?: string | null };
  ADD_SUPERVISION_NOTE: { note?: string | null };
} & ContactInputs &
  SupervisionInputs &
  TransferInputs &
  ExtensionInputs;

type NewComplaint = typeof complaints.$inferInsert;

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

// ---------------------------------------------------------------- helpers

const unitIdsOf = (path: string) => path.split('/').filter(Boolean);
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

async function unitRow(tx: Db, id: string) {
  const [u] = await tx.select().from(orgUnits).where(eq(orgUnits.id, id));
  return u ?? null;
}

/** The unit a case moves to, as the complaint's copied columns. */
const handledBy = (u: OrgUnit) => ({
  handlingUnitId: u.id,
  handlingPath: u.path,
  handlingLevel: u.level,
});

/** The latest assignment of the case to `unitId` (default: its handling unit) that was not sent back. */
async function openAssignment(tx: Db, c: ComplaintRow, unitId = c.handlingUnitId) {
  const [a] = await tx
    .select()
    .from(assignments)
    .where(
      and(
        eq(assignments.complaintId, c.id),
        eq(assignments.toUnitId, unitId),
        isNull(assignments.returnedAt),
      ),
    )
    .orderBy(desc(assignments.assignedAt))
    .limit(1);
  return a ?? null;
}

/** A unit's report answers its assignment: reported now, its ASSIGNMENT clock stopped (§4). */
async function answerAssignment(s: Step, unitId = s.c.handlingUnitId) {
  const a = await openAssignment(s.tx, s.c, unitId);
  if (!a) return;
  await s.tx.update(assignments).set({ reportedAt: s.now }).where(eq(assignments.id, a.id));
  await stopClocks(s.clocks, ['ASSIGNMENT'], { assignmentId: a.id });
}

/** D31: the report sent back is the handling unit's, answering its assignment: counted there (the return rate's rework). */
async function sentBack(s: Step) {
  const a = await openAssignment(s.tx, s.c);
  if (a)
    await s.tx
      .update(assignments)
      .set({ sentBack: sql`${assignments.sentBack} + 1` })
      .where(eq(assignments.id, a.id));
}

/** D14: whether this closing owes a second callback: lines that declare ALWAYS, others by a stable sample. */
function secondCallbackFor(c: ComplaintRow, line: BusinessLinePlugin | null, sample: number) {
  if (line?.secondCallback === 'ALWAYS') return true;
  const h = createHash('sha256').update(`${c.id}:${c.reopenCount}`).digest();
  return h.readUInt32BE(0) / 2 ** 32 < sample;
}

// ---------------------------------------------------------------- the actions

async function dispatchTo(
  s: Step,
  input: Inputs['DISPATCH'],
  kind: 'DISPATCH' | 'DELEGATE',
): Promise<Outcome> {
  const { tx, c, now } = s;
  const target = input.toUnitId ? await unitRow(tx, input.toUnitId) : null;
  if (!target)
    throw validation(
      INPUT('toUnitId'),
      input.toUnitId ? 'No such unit' : 'toUnitId is not a valid unit ID',
    );
  if (target.closed)
    throw new DomainError(
      'FORBIDDEN',
      `${target.code} is closed: it receives no dispatch or delegation (D1a)`,
      INPUT('toUnitId'),
    );
  if (kind === 'DISPATCH') {
    if (target.level === 'COUNTY') {
      throw new DomainError(
        'FORBIDDEN',
        'The province dispatches to a city or a centre; only a city delegates to its counties (D7)',
        INPUT('toUnitId'),
      );
    }
    if (!['CITY', 'CENTER'].includes(target.level) || parentIdOf(target.path) !== c.provinceId) {
      throw new DomainError(
        'FORBIDDEN',
        `Dispatch goes to a city or centre of this case's province (D7)`,
        INPUT('toUnitId'),
      );
    }
  } else if (target.level !== 'COUNTY' || target.parentId !== c.handlingUnitId) {
    throw new DomainError(
      'FORBIDDEN',
      'A city delegates only to its own counties (D7)',
      INPUT('toUnitId'),
    );
  }
  const latest = (await resolveDueAt(tx, c.id)) ?? c.externalDeadline;
  const deadline = futureDeadline(input.deadline, now, latest, INPUT('deadline'));
  const n = note(input.note, false);
  const [a] = await tx
    .insert(assignments)
    .values({
      complaintId: c.id,
      fromUnitId: c.handlingUnitId,
      toUnitId: target.id,
      deadline,
      assignedAt: now,
    })
    .returning();
  await startClocks(s.clocks, [{ kind: 'ASSIGNMENT', dueAt: deadline, assignmentId: a!.id }]);
  return {
    to: 'DISPATCHED',
    set: {
      ...handledBy(target),
      dispatchChain: [...c.dispatchChain, target.id],
      readerUnits: union(c.readerUnits, unitIdsOf(target.path)),
    },
    payload: { toUnit: target.code, deadline: formatDateTime(deadline), note: n },
  };
}

/**
 * RESOLVE as the case's line counts it, or the transfer's own deadline, fixed
 * (D9, D20, D24); a fault report's REPAIR in its place (D72).
 */
const resolveClock = (c: ComplaintRow, line: BusinessLinePlugin | null): ClockStart => {
  const kind = c.kind === 'FAULT_REPORT' ? 'REPAIR' : 'RESOLVE';
  return c.externalDeadline
    ? { kind, dueAt: c.externalDeadline, fixed: true }
    : { kind, budget: budgetFor(kind, line) };
};

/**
 * D8: how far back an event may lie when the case is accepted, and when it
 * occurred: `occurredAt` as given; for a billing dispute without it, the first
 * day of its billing period; else the contact.
 */
export function acceptanceWindow(
  env: Env,
  lineCode: string,
  c: Pick<ComplaintRow, 'occurredAt' | 'contactAt' | 'details'>,
) {
  const windows = env.config.acceptanceWindowMonths;
  const months =
    windows.byLine[lineCode] ?? env.lines.get(lineCode)?.acceptanceWindowMonths ?? windows.default;
  const now = env.clock.now();
  const oldest = new Date(now);
  oldest.setUTCMonth(oldest.getUTCMonth() - months);
  // A line whose details carry the disputed bill's month (`billingPeriod`, YYYY-MM) dates the event by it.
  const period =
    typeof c.details?.billingPeriod === 'string' && /^\d{4}-\d{2}$/.test(c.details.billingPeriod)
      ? c.details.billingPeriod
      : null;
  const [occurred, basis] = c.occurredAt
    ? [c.occurredAt, 'occurredAt']
    : period
      ? [shanghaiMidnight(`${period}-01`), `billing period ${period}`]
      : [c.contactAt, 'the contact'];
  return { months, oldest, occurred, basis };
}

/** Back to INVESTIGATING at the unit whose report it was (D11), or to the province's desk (ACCEPTED). */
const reopenAt = (c: ComplaintRow): Status =>
  c.handlingLevel === 'PROVINCE' ? 'ACCEPTED' : 'INVESTIGATING';

const EFFECTS: { [A in CaseAction]: Effect<A> } = {
  async ACCEPT(s, input) {
    const { env, c, now } = s;
    const line = env.lines.require(input.businessLine, INPUT('businessLine'));
    if (!env.lines.hasCategory(line.code, input.category)) {
      throw validation(
        INPUT('category'),
        `Category ${input.category} is not one of ${line.code}'s`,
      );
    }
    const details = env.lines.validateDetails(
      line.code,
      mergeDetails(c.details, input.details),
      INPUT('details'),
    );
    const occurredAt =
      input.occurredAt != null
        ? pastInstant(input.occurredAt, now, INPUT('occurredAt'))
        : c.occurredAt;
    const window = acceptanceWindow(env, line.code, { ...c, occurredAt, details });
    if (window.occurred < window.oldest) {
      throw validation(
        INPUT('occurredAt'),
        `The event (${shanghaiDate(window.occurred)}, ${window.basis}) is outside the ${window.months}-month acceptance window (D8): reject it as EXPIRED`,
      );
    }
    await startClocks(s.clocks, [
      { kind: 'INITIAL_INVESTIGATION', budget: budgetFor('INITIAL_INVESTIGATION', line) },
      { kind: 'INITIAL_RESULT', budget: budgetFor('INITIAL_RESULT', line) },
      resolveClock(c, line),
      { kind: 'CLOSE', budget: budgetFor('CLOSE', line) },
    ]);
    // D72, D73: a fault report, or a MAJOR or URGENT case, is supervised by the province from acceptance.
    const reason =
      c.kind === 'FAULT_REPORT'
        ? 'FAULT_REPORT'
        : input.severity !== 'ORDINARY'
          ? 'SEVERITY'
          : null;
    const ledger = reason
      ? await openLedger(s.tx, s.clocks, line, c, {
          unitId: c.provinceId,
          supervisorId: null,
          reason,
          openedBy: null,
          at: now,
        })
      : {};
    return {
      to: 'ACCEPTED',
      set: {
        ...ledger,
        businessLine: line.code,
        category: input.category,
        severity: input.severity,
        details,
        occurredAt,
        acceptedAt: now,
        legalOwned: c.legalOwned || line.heldBy === 'LEGAL_OFFICER', // D41
        isRepeat: isRepeat(c.customerPhone, line.code, c.registeredAt, c.id),
      },
      payload: { businessLine: line.code, category: input.category, severity: input.severity },
    };
  },

  async REJECT(s, input) {
    const { c } = s;
    // D8: a partner's complaint, or one of a line that declares itself always in scope.
    if (
      input.reason === 'OUT_OF_SCOPE' &&
      (c.source === 'PARTNER_CARRIER' || s.line?.alwaysInScope)
    ) {
      throw validation(
        INPUT('reason'),
        `${s.line?.name ?? 'Partner carriers'}' complaints are always in scope (D8)`,
      );
    }
    const n = note(input.note, true);
    return {
      to: 'REJECTED',
      set: { rejectionReason: input.reason },
      payload: { reason: input.reason, note: n },
    };
  },

  async RESOLVE_ON_SPOT(s, input) {
    const answer = text(input.answer, INPUT('answer'), { required: true, max: LIMITS.note });
    await s.tx.insert(customerContacts).values({
      complaintId: s.c.id,
      method: 'PHONE',
      content: answer,
      final: true,
      substantive: true,
      at: s.now,
      byUserId: s.actorUserId,
    });
    return {
      to: 'REPLIED',
      set: {
        resolvedAt: s.now,
        repliedAt: s.now,
        answeredAt: s.c.answeredAt ?? s.now,
        callerBackUnitId: s.c.provinceId,
        callbackOwed: true,
      },
      payload: { final: true },
    };
  },

  DISPATCH: (s, input) => dispatchTo(s, input, 'DISPATCH'),
  DELEGATE: (s, input) => dispatchTo(s, input, 'DELEGATE'),

  async ACKNOWLEDGE(s, input) {
    const n = note(input.note, false);
    const a = await openAssignment(s.tx, s.c);
    if (a)
      await s.tx.update(assignments).set({ acknowledgedAt: s.now }).where(eq(assignments.id, a.id));
    return { to: 'INVESTIGATING', payload: { note: n } };
  },

  async RETURN(s, input) {
    const { tx, c, now } = s;
    const n = note(input.note, true);
    const a = await openAssignment(tx, c);
    if (!a) throw new DomainError('INVALID_TRANSITION', 'The case has no assignment to return');
    const back = (await unitRow(tx, a.fromUnitId))!;
    await tx.update(assignments).set({ returnedAt: now }).where(eq(assignments.id, a.id));
    await stopClocks(s.clocks, ['ASSIGNMENT'], { assignmentId: a.id, cancel: true }); // D26: returned, not reported

    return {
      to: back.level === 'PROVINCE' ? 'ACCEPTED' : 'INVESTIGATING',
      set: handledBy(back),
      payload: { toUnit: back.code, note: n },
    };
  },

  async RECORD_INVESTIGATION(s, input) {
    const findings = text(input.findings, INPUT('findings'), { required: true, max: LIMITS.note });
    await s.tx.insert(investigations).values({
      complaintId: s.c.id,
      kind: input.kind,
      findings,
      recordedAt: s.now,
      recordedBy: s.actorUserId!,
    });
    return { payload: { kind: input.kind } };
  },

  async DETERMINE_RESPONSIBILITY(s, input) {
    let responsibleUnitId: string | null = null;
    if (input.responsibleUnitId !== undefined) {
      const u = input.responsibleUnitId ? await unitRow(s.tx, input.responsibleUnitId) : null;
      if (!u) throw validation(INPUT('responsibleUnitId'), 'No such unit');
      responsibleUnitId = u.id;
    }
    const responsiblePerson = text(input.responsiblePerson, INPUT('responsiblePerson'), {
      max: LIMITS.name,
    });
    const rootCause = text(input.rootCause, INPUT('rootCause'), {
      required: true,
      max: LIMITS.note,
    });
    const cause = causeCode(s.env.lines, s.c.businessLine, input.cause);
    const remedyAmount = amount(input.remedy.amount, ['input', 'remedy', 'amount']);
    if (
      (input.remedy.kind === 'COMPENSATION' || input.remedy.kind === 'BILL_ADJUSTED') &&
      remedyAmount === null
    ) {
      throw validation(
        ['input', 'remedy', 'amount'],
        `amount is required for ${input.remedy.kind} (D12)`,
      );
    }
    const rectification = text(input.rectification, INPUT('rectification'), { max: LIMITS.note });
    await s.tx.insert(responsibilityFindings).values({
      complaintId: s.c.id,
      nature: input.nature,
      responsibleUnitId,
      responsiblePerson,
      rootCause,
      cause,
      remedyKind: input.remedy.kind,
      remedyAmount: remedyAmount === null ? null : remedyAmount.toFixed(2),
      rectification,
      determinedAt: s.now,
      determinedBy: s.actorUserId!,
    });
    return {
      set: { hasFinding: true },
      payload: { nature: input.nature, cause, remedy: input.remedy.kind, amount: remedyAmount },
    };
  },

  async SUBMIT_REPORT(s, input) {
    const { c } = s;
    const n = note(input.note, false);
    await answerAssignment(s);
    // A city's or a centre's own report: no county's work decides the caller-back (D14).
    const set: Partial<NewComplaint> =
      c.handlingLevel === 'COUNTY' ? {} : { callerBackUnitId: null };
    return {
      to: c.handlingLevel === 'CITY' ? 'PENDING_APPROVAL' : 'PENDING_REVIEW',
      set,
      payload: { note: n },
    };
  },

  async CONFIRM_REPORT(s, input) {
    const n = note(input.note, !input.approve);
    if (!input.approve) await sentBack(s);
    return {
      to: input.approve ? 'PENDING_REVIEW' : 'INVESTIGATING',
      payload: { approve: input.approve, note: n },
    };
  },

  async REVIEW_REPORT(s, input) {
    const { tx, c, line, now } = s;
    const n = note(input.note, !input.approve);
    const payload = { approve: input.approve, note: n };
    if (!input.approve) {
      await sentBack(s);
      return { to: 'INVESTIGATING', payload };
    }
    if (c.handlingLevel === 'COUNTY') {
      // D11: the county's report becomes the city's; the city will call back (D14).
      const city = (await unitRow(tx, parentIdOf(c.handlingPath)!))!;
      await answerAssignment(s, city.id); // the city's own assignment is answered by this report
      return {
        to: 'PENDING_APPROVAL',
        set: { ...handledBy(city), callerBackUnitId: city.id },
        payload,
      };
    }
    await stopClocks(s.clocks, ['RESOLVE', 'REPAIR']);
    await startClocks(s.clocks, [{ kind: 'REPLY', budget: budgetFor('REPLY', line) }]);
    const countyWork = c.callerBackUnitId !== null && c.callerBackUnitId !== c.provinceId;
    // D14: a county's work is called back by its city; a city's by the province, unless its line leaves it to the city.
    const cityCallsBack = c.handlingLevel === 'CITY' && line?.callback === 'HANDLING_CITY';
    const callerBackUnitId = countyWork
      ? c.callerBackUnitId
      : cityCallsBack
        ? c.handlingUnitId
        : c.provinceId;
    await openRectification(tx, c, s.clocks); // D75
    return { to: 'RESOLVED', set: { resolvedAt: now, callerBackUnitId }, payload };
  },

  async CONTACT_CUSTOMER(s, input) {
    const content = text(input.content, INPUT('content'), { required: true, max: LIMITS.note });
    const substantive = input.substantive === true;
    await s.tx.insert(customerContacts).values({
      complaintId: s.c.id,
      method: input.method,
      content,
      final: false,
      substantive,
      at: s.now,
      byUserId: s.actorUserId,
    });
    if (!substantive) return { payload: { method: input.method, final: false, substantive } };
    // D23: an answer on the substance stops ANSWER, even if the case goes on; a progress note does not.
    await stopClocks(s.clocks, ['ANSWER']);
    return {
      set: { answeredAt: s.c.answeredAt ?? s.now },
      payload: { method: input.method, final: false, substantive },
    };
  },

  async REPLY_TO_CUSTOMER(s, input) {
    const content = text(input.content, INPUT('content'), { required: true, max: LIMITS.note });
    await s.tx.insert(customerContacts).values({
      complaintId: s.c.id,
      method: input.method,
      content,
      final: true,
      substantive: true,
      at: s.now,
      byUserId: s.actorUserId,
    });
    return {
      to: 'REPLIED',
      set: { repliedAt: s.now, answeredAt: s.c.answeredAt ?? s.now, callbackOwed: true },
      payload: { method: input.method, final: true },
    };
  },

  async RECORD_CALLBACK(s, input) {
    const { tx, c, now, line, env } = s;
    const n = note(input.note, false);
    const second = c.status === 'CLOSED';
    const blocked = closingBlocked(c, input.result); // D74
    if (blocked) throw new DomainError('INVALID_TRANSITION', blocked, INPUT('result'));
    await tx.insert(callbacks).values({
      complaintId: c.id,
      result: input.result,
      note: n,
      second,
      at: now,
      byUserId: s.actorUserId!,
    });
    const payload = { result: input.result, second, note: n };
    if (input.result === 'UNSATISFIED') {
      // D14: reopened where it was last handled, counted, and the customer is owed a new contact.
      // D25: the work's clocks start again from the reopening; a CLOSE (or ARCHIVE) still running
      // ends here CANCELLED (MISSED if it had breached), and the earlier clocks keep their ends.
      await stopClocks(s.clocks, ['CLOSE', 'ARCHIVE', 'REPLY'], { cancel: true });
      await startClocks(s.clocks, [
        { kind: 'RECONTACT', budget: budgetFor('RECONTACT', line) },
        resolveClock(c, line),
        { kind: 'CLOSE', budget: budgetFor('CLOSE', line) },
      ]);
      return {
        to: reopenAt(c),
        set: {
          reopenCount: c.reopenCount + 1,
          callbackOwed: false,
          secondCallbackOwed: false,
          closedAt: null,
          resolvedAt: null,
          repliedAt: null,
        },
        payload,
      };
    }
    if (second) return { set: { secondCallbackOwed: false }, payload };
    await stopClocks(s.clocks, ['CLOSE']);
    await startClocks(s.clocks, [{ kind: 'ARCHIVE', budget: budgetFor('ARCHIVE', line) }]);
    return {
      to: 'CLOSED',
      set: {
        closedAt: now,
        callbackOwed: false,
        secondCallbackOwed: secondCallbackFor(c, line, env.config.secondCallbackSample),
      },
      payload,
    };
  },

  async ARCHIVE(s, input) {
    const n = note(input.note, false);
    await stopClocks(s.clocks, ['ARCHIVE']);
    await stopClocks(s.clocks, 'ALL', { cancel: true }); // D26: whatever else runs can no longer be met
    return {
      to: 'ARCHIVED',
      set: { archivedAt: s.now, secondCallbackOwed: false },
      payload: { note: n },
    };
  },

  async WITHDRAW(s, input) {
    const n = note(input.note, true);
    await stopClocks(s.clocks, 'ALL', { cancel: true }); // D26: the customer withdrew; no step is owed any more
    return {
      to: 'WITHDRAWN',
      set: { suspended: false, suspendedAt: null, escalationPending: false },
      payload: { note: n },
    };
  },

  async SUSPEND(s, input) {
    const n = note(input.note, true);
    await pauseClocks(s.clocks);
    return { set: { suspended: true, suspendedAt: s.now }, payload: { note: n } };
  },

  async RESUME(s, input) {
    const n = note(input.note, false);
    await resumeClocks(s.clocks);
    return { set: { suspended: false, suspendedAt: null }, payload: { note: n } };
  },

  async ESCALATE(s, input) {
    const { tx, c, viewer, now } = s;
    const n = note(input.note, true);
    // D53: at the province the LEGAL_OFFICER decides, so their own request is approved at once (src/auth).
    const selfApproved = selfApprovesEscalation(viewer, c);
    await tx.insert(escalations).values({
      complaintId: c.id,
      requestedBy: s.actorUserId,
      requestedAt: now,
      note: n!,
      ...(selfApproved ? { decidedBy: s.actorUserId, decidedAt: now, approved: true } : {}),
    });
    // D73: an approved escalation opens a supervision, the province's when the province approved it.
    const ledger = selfApproved
      ? await openLedger(tx, s.clocks, s.line, c, {
          unitId: c.provinceId,
          supervisorId: null,
          reason: 'ESCALATION',
          openedBy: null,
          at: now,
        })
      : {};
    return {
      set: selfApproved
        ? { ...ledger, escalationLevel: c.escalationLevel + 1 }
        : { escalationPending: true },
      payload: { note: n, approved: selfApproved ? true : null },
    };
  },

  async DECIDE_ESCALATION(s, input) {
    const { tx, c, now } = s;
    const n = note(input.note, !input.approve);
    await tx
      .update(escalations)
      .set({ decidedBy: s.actorUserId, decidedAt: now, approved: input.approve, decisionNote: n })
      .where(and(eq(escalations.complaintId, c.id), isNull(escalations.decidedAt)));
    // D73: approved, the case is supervised by the deciding unit (the parent of the handling unit, D53).
    const decidingUnit = c.handlingLevel === 'COUNTY' ? parentIdOf(c.handlingPath)! : c.provinceId;
    const ledger = input.approve
      ? await openLedger(tx, s.clocks, s.line, c, {
          unitId: decidingUnit,
          supervisorId: null,
          reason: 'ESCALATION',
          openedBy: null,
          at: now,
        })
      : {};
    return {
      set: {
        ...ledger,
        escalationPending: false,
        escalationLevel: c.escalationLevel + (input.approve ? 1 : 0),
      },
      payload: { approve: input.approve, note: n },
    };
  },

  async ADD_SUPERVISION_NOTE(s, input) {
    const n = note(input.note, true)!;
    await s.tx
      .insert(supervisionNotes)
      .values({ complaintId: s.c.id, note: n, byUserId: s.actorUserId, at: s.now });
    return { payload: { note: n } };
  },

  ...CONTACT_EFFECTS,
  ...SUPERVISION_EFFECTS,
  ...TRANSFER_EFFECTS,
  ...EXTENSION_EFFECTS,

  // D71: the contact turns out to be a complaint: a new COMPLAINT with the same customer, first responder and contact time.
  async CONVERT_TO_COMPLAINT(s, input) {
    const { tx, c, now } = s;
    const n = note(input.note, false);
    const province = (await unitRow(tx, c.provinceId))!;
    const { row, event } = await insertCase(
      s.env,
      tx,
      province,
      now,
      {
        kind: 'COMPLAINT',
        channel: c.channel,
        source: c.source,
        businessLine: c.businessLine,
        category: c.category,
        title: c.title,
        description: c.description,
        customerName: c.customerName,
        customerPhone: c.customerPhone,
        customerAddress: c.customerAddress,
        customerAccount: c.customerAccount,
        details: c.details,
        contactAt: c.contactAt,
        occurredAt: c.occurredAt,
        firstResponderId: c.firstResponderId,
        partnerId: c.partnerId,
        externalRef: c.externalRef,
        externalDeadline:
          c.externalDeadline && c.externalDeadline > now ? c.externalDeadline : null,
        transferredBy: c.transferredBy,
        legalOwned: c.legalOwned,
        convertedFromId: c.id,
      },
      s.viewer,
    );
    s.converted = row;
    s.registered = event;
    await stopClocks(s.clocks, 'ALL', { cancel: true }); // D26: the contact's own clocks end with it
    await startClocks(s.clocks, [{ kind: 'ARCHIVE', budget: budgetFor('ARCHIVE', s.line) }]);
    return {
      to: 'CLOSED',
      set: { closedAt: now, convertedToId: row.id },
      payload: { convertedTo: row.number, note: n },
    };
  },
};

// ---------------------------------------------------------------- engine

/** Actions after which a RESOLVE due time may have moved or restarted (resume moves and caps itself). */
const clocksMoved: ReadonlySet<CaseAction> = new Set([
  'RECORD_CALLBACK',
  'DISPATCH',
  'DELEGATE',
  'DECIDE_EXTENSION',
]);

export const actorOf = (viewer: Viewer): Actor => ({ kind: viewer.kind, id: viewer.id });

export async function lockCase(tx: Db, id: string) {
  const [c] = await tx.select().from(complaints).where(eq(complaints.id, id)).for('update');
  return c ?? null;
}

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
  return (await apply(env, who, action, id, input, expectedVersion)).row;
}

/** D71: converts a contact; answers the new COMPLAINT (the contact is CLOSED and linked). */
export async function convertToComplaint(
  env: Env,
  who: Who,
  id: string,
  input: Inputs['CONVERT_TO_COMPLAINT'],
  expectedVersion?: number | null,
) {
  const { converted } = await apply(env, who, 'CONVERT_TO_COMPLAINT', id, input, expectedVersion);
  return converted!;
}

async function apply<A extends CaseAction>(
  env: Env,
  who: Who,
  action: A,
  id: string,
  input: Inputs[A],
  expectedVersion?: number | null,
): Promise<{ row: ComplaintRow; converted?: ComplaintRow }> {
  let converted: ComplaintRow | undefined;
  let registered: Step['registered'];
  const { row, event } = await env.db.transaction(async (tx) => {
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
    const [updated] = await tx
      .update(complaints)
      .set({ ...outcome.set, status: to, version: c.version + 1, dueAt: dueAtOf(c.id) }) // due_at as refreshDueAt sets it
      .where(and(eq(complaints.id, c.id), eq(complaints.version, c.version)))
      .returning();
    if (!updated)
      throw new DomainError('CONFLICT', `Case ${c.number} changed meanwhile: reload it`);
    const event = await appendEvent(tx, {
      complaintId: c.id,
      prevHash: c.lastEventHash,
      action,
      fromStatus: c.status,
      toStatus: to,
      actor: actorOf(who.viewer),
      at: now,
      payload: outcome.payload,
    });
    converted = step.converted;
    registered = step.registered;
    return { row: { ...updated, lastEventHash: event.hash }, event };
  });
  await afterCommitted(env, row.businessLine, row.number, event);
  if (converted && registered)
    await afterCommitted(env, converted.businessLine, converted.number, registered);
  return { row, converted };
}

// ---------------------------------------------------------------- registration

export type RegisterInput = {
  channel: Channel;
  source?: Source | null;
  businessLine?: string | null;
  /** Partners name a category at submission. */
  category?: string | null;
  title: string;
  description: string;
  customer: { name: string; phone: string; address?: string | null; accountNumber?: string | null };
  details?: unknown;
  contactAt?: Date | null;
  /** D8: when the event happened; the acceptance window is measured back to it. */
  occurredAt?: Date | null;
  externalDeadline?: Date | null;
  externalRef?: string | null;
  /** D70: what the contact is (default COMPLAINT). */
  kind?: ContactKind | null;
  /** D74: for transfers, the body that transferred the case. */
  transferredBy?: string | null;
};

const REPEAT_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * D31: the same customer and line within 30 days before this registration.
 * An expression the case's own insert or update computes (issue 25: no round
 * trip of its own); `false` when there is no line yet.
 */
function isRepeat(
  phoneNumber: string,
  line: string | null,
  at: Date,
  exceptId?: string,
): SQL | boolean {
  if (!line) return false;
  const conds = [
    eq(complaints.customerPhone, phoneNumber),
    eq(complaints.businessLine, line),
    gte(complaints.registeredAt, new Date(at.getTime() - REPEAT_WINDOW_MS)),
    lte(complaints.registeredAt, at),
  ];
  if (exceptId) conds.push(ne(complaints.id, exceptId));
  return sql`exists (select 1 from ${complaints} where ${and(...conds)})`;
}

/** A new case's number until `numberCase` gives it its own: unique, and never seen outside the registration's transaction. */
const unnumbered = () => sql`'unnumbered:' || gen_random_uuid()`;

const readComplaint = rowReader(complaints);

/**
 * D5: `<PROVINCE><YYYYMMDD><000001>`, numbered per province and Shanghai day.
 * The counter row's lock serialises a province's registrations until they
 * commit, so it is taken LAST (issue 25): the case is inserted unnumbered,
 * and this one statement bumps the counter, gives the case its number and
 * sets its due time (as `refreshDueAt`); only the event and the commit follow
 * while the row is locked. Numbers stay unique and never reused (a rollback
 * takes the counter back with the case, so a day's numbers have no gaps),
 * and within a province and day they follow the order in which the
 * registrations commit, which is their REGISTER events' order. Returns the
 * numbered row.
 */
async function numberCase(
  tx: Db,
  complaintId: string,
  provinceCode: string,
  at: Date,
): Promise<ComplaintRow> {
  const day = shanghaiDate(at).replaceAll('-', '');
  const s = caseNumberSequences;
  const [row] = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      with counter as (
        insert into ${s} as s (${sql.identifier(s.provinceCode.name)}, ${sql.identifier(s.day.name)}, ${sql.identifier(s.last.name)})
        values (${provinceCode}, ${day}, 1)
        on conflict (${sql.identifier(s.provinceCode.name)}, ${sql.identifier(s.day.name)}) do update set ${sql.identifier(s.last.name)} = s.${sql.identifier(s.last.name)} + 1
        returning s.${sql.identifier(s.last.name)} as serial)
      update ${complaints} set
        ${sql.identifier(complaints.number.name)} = ${`${provinceCode}${day}`} || lpad(counter.serial::text, greatest(6, length(counter.serial::text)), '0'),
        ${sql.identifier(complaints.dueAt.name)} = ${dueAtOf(complaintId)}
      from counter
      where ${complaints.id} = ${complaintId}
      returning ${readComplaint.columns}`),
  );
  return readComplaint.map(row!);
}

/** Who registers, for which province (D53, D9, D41), or a FORBIDDEN refusal: decided in src/auth. */
function registrar(viewer: Viewer, input: RegisterInput, line: BusinessLinePlugin | null) {
  return registrarOf(viewer, {
    source: input.source ?? 'CUSTOMER',
    channel: input.channel,
    partnerOnlyLine: line?.registeredBy === 'PARTNERS_AND_LEGAL',
    kind: input.kind ?? 'COMPLAINT',
  });
}

/** The table's first row: a new case, RECEIVED, held by its province (D53), numbered (D5), with its first responder (D10). */
export async function registerComplaint(
  env: Env,
  who: Who,
  input: RegisterInput,
): Promise<ComplaintRow> {
  const { viewer } = who;
  // D55: FORBIDDEN (who may register) before VALIDATION (the input): an unknown line is reported after the registrar check.
  const line = input.businessLine ? (env.lines.get(input.businessLine) ?? null) : null;
  const { provinceId, legal } = registrar(viewer, input, line);
  if (input.businessLine && !line) env.lines.require(input.businessLine, INPUT('businessLine'));
  const source: Source =
    viewer.kind === 'partner' ? 'PARTNER_CARRIER' : (input.source ?? 'CUSTOMER');
  const kind: ContactKind = viewer.kind === 'partner' ? 'COMPLAINT' : (input.kind ?? 'COMPLAINT');
  const now = env.clock.now();

  // Input (VALIDATION), in the order of the input type's fields.
  if (viewer.kind === 'user' && input.channel === 'API')
    throw validation(INPUT('channel'), 'API is the channel of partner submissions');
  const title = text(input.title, INPUT('title'), { required: true, max: LIMITS.title });
  const description = text(input.description, INPUT('description'), {
    required: true,
    max: LIMITS.description,
  });
  const customerName = text(input.customer.name, ['input', 'customer', 'name'], {
    required: true,
    max: LIMITS.name,
  });
  const customerPhone = phone(input.customer.phone, ['input', 'customer', 'phone']);
  const customerAddress = text(input.customer.address, ['input', 'customer', 'address'], {
    max: LIMITS.address,
  });
  const customerAccount = text(
    input.customer.accountNumber,
    ['input', 'customer', 'accountNumber'],
    { max: LIMITS.accountNumber },
  );
  if (input.category != null && (!line || !env.lines.hasCategory(line.code, input.category))) {
    throw validation(
      INPUT('category'),
      `Category ${input.category} is not one of ${line?.code ?? 'the line'}'s`,
    );
  }
  const details = env.lines.validateDetails(line?.code ?? null, input.details, INPUT('details'));
  const contactAt = input.contactAt ?? now;
  if (Number.isNaN(contactAt.getTime()) || contactAt.getTime() > now.getTime()) {
    throw validation(INPUT('contactAt'), 'contactAt must not lie in the future');
  }
  const occurredAt =
    input.occurredAt != null ? pastInstant(input.occurredAt, now, INPUT('occurredAt')) : null;
  let externalDeadline: Date | null = null;
  if (input.externalDeadline != null) {
    if (!TRANSFER_SOURCES.includes(source)) {
      throw validation(
        INPUT('externalDeadline'),
        'Only a transfer from above carries its own deadline (D9)',
      );
    }
    externalDeadline = futureDeadline(input.externalDeadline, now, null, INPUT('externalDeadline'));
  }
  const externalRef = text(input.externalRef, INPUT('externalRef'), { max: LIMITS.externalRef });
  const transferredBy = text(input.transferredBy, INPUT('transferredBy'), { max: LIMITS.name });
  if (transferredBy && !TRANSFER_SOURCES.includes(source))
    throw validation(
      INPUT('transferredBy'),
      'Only a transfer from above has a transferring body (D74)',
    );

  const { row, event } = await env.db.transaction(async (tx) => {
    const province = (await unitRow(tx, provinceId))!;
    await line?.hooks?.beforeTransition?.({
      action: 'REGISTER',
      from: null,
      to: 'RECEIVED',
      category: input.category ?? null,
      details,
    });
    return insertCase(
      env,
      tx,
      province,
      now,
      {
        kind,
        channel: input.channel,
        source,
        businessLine: line?.code ?? null,
        category: input.category ?? null,
        title,
        description,
        customerName,
        customerPhone,
        customerAddress,
        customerAccount,
        details,
        contactAt,
        occurredAt,
        firstResponderId: viewer.kind === 'user' ? viewer.id : null,
        partnerId: viewer.kind === 'partner' ? viewer.id : null,
        externalRef,
        externalDeadline,
        transferredBy,
        legalOwned: legal,
        convertedFromId: null,
      },
      viewer,
    );
  });
  await afterCommitted(env, row.businessLine, row.number, event);
  return row;
}

type CaseFacts = Pick<
  NewComplaint,
  | 'kind'
  | 'channel'
  | 'source'
  | 'businessLine'
  | 'category'
  | 'title'
  | 'description'
  | 'customerName'
  | 'customerPhone'
  | 'customerAddress'
  | 'customerAccount'
  | 'details'
  | 'contactAt'
  | 'occurredAt'
  | 'firstResponderId'
  | 'partnerId'
  | 'externalRef'
  | 'externalDeadline'
  | 'transferredBy'
  | 'legalOwned'
  | 'convertedFromId'
>;

/**
 * Writes a new case, RECEIVED at its province, with its first clocks and its
 * REGISTER event, in the caller's transaction: a registration, or the
 * complaint a contact is converted into (D71).
 */
async function insertCase(
  env: Env,
  tx: Db,
  province: OrgUnit,
  now: Date,
  f: CaseFacts,
  viewer: Viewer,
) {
  const line = f.businessLine ? (env.lines.get(f.businessLine) ?? null) : null;
  const kind = f.kind ?? 'COMPLAINT';
  const [c] = await tx
    .insert(complaints)
    .values({
      ...f,
      number: unnumbered(), // D5: numbered last, below, so the province's counter row is held briefly
      status: 'RECEIVED',
      registeredAt: now,
      provinceId: province.id,
      ...handledBy(province),
      readerUnits: [province.id],
      isRepeat: isRepeat(f.customerPhone, line?.code ?? null, now),
    })
    .returning();
  const clocks: ClockCtx = {
    tx,
    calendar: lazyCalendar(tx),
    complaintId: c!.id,
    at: now,
    warnRatio: env.config.sla.warnRatio,
  };
  const contactAt = f.contactAt ?? now;
  await startClocks(clocks, [
    { kind: 'REGISTER', startedAt: contactAt, budget: budgetFor('REGISTER', line), stopped: true }, // D6: measured, never alerted
    // D71: consultations, queries and requests are answered, never accepted: no ACCEPT clock.
    ...(ANSWERED_KINDS.includes(kind)
      ? []
      : [{ kind: 'ACCEPT' as const, budget: budgetFor('ACCEPT', line) }]),
    { kind: 'ANSWER', budget: answerBudget(kind, line) },
    // D74: the feedback to the transferring body is due at its own deadline.
    ...(f.externalDeadline && TRANSFER_SOURCES.includes(f.source)
      ? [{ kind: 'FEEDBACK' as const, dueAt: f.externalDeadline, fixed: true }]
      : []),
  ]);
  // D76: the hotspot rollup, in the registration's transaction; like the D5 counter, its row is shared by
  // every registration of the key and minute, so it is taken late and held only to the commit.
  await countRegistration(tx, c!);
  const numbered = await numberCase(tx, c!.id, province.code, now); // D5, and the case's due time
  const { number } = numbered;
  const event = await appendEvent(tx, {
    complaintId: c!.id,
    prevHash: null,
    action: 'REGISTER',
    fromStatus: null,
    toStatus: 'RECEIVED',
    actor: actorOf(viewer),
    at: now,
    payload: {
      number,
      channel: f.channel,
      source: f.source,
      businessLine: line?.code ?? null,
      category: f.category ?? null,
      ...(kind !== 'COMPLAINT' && { kind }),
      ...(f.convertedFromId && { convertedFrom: f.convertedFromId }),
    },
  });
  return { row: { ...numbered, lastEventHash: event.hash }, event };
}

/** Loads a case by id, or null. */
export async function complaintById(db: Db, id: string): Promise<ComplaintRow | null> {
  const [c] = await db.select().from(complaints).where(eq(complaints.id, id));
  return c ?? null;
}
