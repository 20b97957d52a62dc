import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import {
  complaintColumns,
  complaints,
  progressReports,
  roleGrants,
  supervisions,
  users,
} from '../db/schema.js';
import { budgetFor, type ClockCtx, startClocks, stopClocks } from '../sla/clocks.js';
import type { Inputs } from './complaint-inputs.js';
import type { Effect, Step } from './complaint-steps.js';
import { DomainError, validation } from './errors.js';
import { LIMITS, text } from './input.js';
import type { BusinessLinePlugin } from './plugin.js';

/**
 * D73: the supervision ledger (督办台账). A case is supervised from an
 * approved escalation, an acceptance as MAJOR/URGENT or as a fault report,
 * or `openSupervision`; the holder reports progress (PROGRESS clock, 2
 * working days by default, restarted by each report); it ends when the case
 * is resolved, closed, withdrawn or rejected. The case row carries the
 * supervising unit and the supervisor, so permissions (D53's seats) and
 * `supervisedComplaints` need no join.
 */

export type SupervisionInputs = {
  OPEN_SUPERVISION: { note?: string | null };
  /** `toUserId` null: the ID given was malformed (a VALIDATION error, checked last). */
  HAND_OVER_SUPERVISION: { toUserId: string | null; note?: string | null };
  REPORT_PROGRESS: { note?: string | null };
};

export type SupervisionReason = 'ESCALATION' | 'SEVERITY' | 'FAULT_REPORT' | 'OPENED';

const INPUT = (name: string) => ['input', name];
const note = (v: string | null | undefined, required: boolean) =>
  required
    ? text(v, INPUT('note'), { required: true, max: LIMITS.note })
    : text(v, INPUT('note'), { max: LIMITS.note });

/** The states in which a supervision ends (D73): resolved (on the spot too), closed, withdrawn, rejected, archived. */
export const SUPERVISION_ENDS = [
  'RESOLVED',
  'REPLIED',
  'CLOSED',
  'WITHDRAWN',
  'REJECTED',
  'ARCHIVED',
] as const;

/** Opens a ledger on a case (in the transition's transaction): the row fields to set. */
export async function openLedger(
  tx: Db,
  clocks: ClockCtx,
  line: BusinessLinePlugin | null,
  c: { id: string; supervisingUnitId: string | null },
  opts: {
    unitId: string;
    supervisorId: string | null;
    reason: SupervisionReason;
    openedBy: string | null;
    at: Date;
  },
) {
  if (c.supervisingUnitId) return {}; // already supervised: the ledger goes on
  await tx.insert(supervisions).values({
    complaintId: c.id,
    supervisingUnitId: opts.unitId,
    supervisorId: opts.supervisorId,
    reason: opts.reason,
    openedBy: opts.openedBy,
    openedAt: opts.at,
  });
  await startClocks(clocks, [{ kind: 'PROGRESS', budget: budgetFor('PROGRESS', line) }]);
  return { supervisingUnitId: opts.unitId, supervisorId: opts.supervisorId };
}

/** Ends the open ledger (D73): the PROGRESS clock no longer runs (CANCELLED, or MISSED when it had breached, D26). */
export async function endLedger(tx: Db, clocks: ClockCtx, complaintId: string, at: Date) {
  await tx
    .update(supervisions)
    .set({ endedAt: at })
    .where(and(eq(supervisions.complaintId, complaintId), isNull(supervisions.endedAt)));
  await stopClocks(clocks, ['PROGRESS'], { cancel: true });
  return { supervisingUnitId: null, supervisorId: null };
}

async function openLedgerRow(tx: Db, complaintId: string) {
  const [row] = await tx
    .select()
    .from(supervisions)
    .where(and(eq(supervisions.complaintId, complaintId), isNull(supervisions.endedAt)));
  return row ?? null;
}

/**
 * D73: the unit a viewer opens supervision for: the province when they act
 * as a LEGAL_OFFICER of it or hold a province grant, otherwise the highest
 * unit of the case's handling path where they are a DUTY_MANAGER.
 */
function openerUnit(viewer: Viewer, c: Step['c']): string {
  if (viewer.kind !== 'user') throw new DomainError('FORBIDDEN', 'Partners do not supervise');
  const path = c.handlingPath.split('/').filter(Boolean);
  for (const unitId of path) {
    const held = viewer.grants.some(
      (g) =>
        g.unitId === unitId &&
        (g.role === 'DUTY_MANAGER' || (g.role === 'LEGAL_OFFICER' && unitId === c.provinceId)),
    );
    if (held) return unitId;
  }
  return c.provinceId; // unreachable: the 'overseer' seats admitted the viewer
}

export const SUPERVISION_EFFECTS: { [A in keyof SupervisionInputs]: Effect<A> } = {
  async OPEN_SUPERVISION(s, input: Inputs['OPEN_SUPERVISION']) {
    const n = note(input.note, false);
    const unitId = openerUnit(s.viewer, s.c);
    const set = await openLedger(s.tx, s.clocks, s.line, s.c, {
      unitId,
      supervisorId: s.actorUserId,
      reason: 'OPENED',
      openedBy: s.actorUserId,
      at: s.now,
    });
    return { set, payload: { reason: 'OPENED', note: n } };
  },

  async HAND_OVER_SUPERVISION(s, input: Inputs['HAND_OVER_SUPERVISION']) {
    const { tx, c, viewer } = s;
    const unitId = c.supervisingUnitId!;
    if (!input.toUserId) throw validation(INPUT('toUserId'), 'toUserId is not a valid user ID');
    // D73: while nobody supervises, a DUTY_MANAGER of the unit may take it, to themselves only.
    const legalHere =
      viewer.kind === 'user' &&
      viewer.grants.some((g) => g.role === 'LEGAL_OFFICER' && g.unitId === unitId);
    const isSupervisor = c.supervisorId !== null && c.supervisorId === s.actorUserId;
    if (!legalHere && !isSupervisor && input.toUserId !== s.actorUserId) {
      throw new DomainError(
        'FORBIDDEN',
        'A duty manager takes an unattended supervision to themselves only (D73)',
        INPUT('toUserId'),
      );
    }
    const [target] = await tx
      .select({ id: users.id, username: users.username, disabled: users.disabled })
      .from(users)
      .innerJoin(roleGrants, eq(roleGrants.userId, users.id))
      .where(
        and(
          eq(users.id, input.toUserId),
          eq(roleGrants.unitId, unitId),
          inArray(roleGrants.role, ['LEGAL_OFFICER', 'DUTY_MANAGER']),
        ),
      )
      .limit(1);
    if (!target || target.disabled) {
      throw validation(
        INPUT('toUserId'),
        'The supervisor must be a LEGAL_OFFICER or DUTY_MANAGER of the supervising unit (D73)',
      );
    }
    const n = note(input.note, false);
    await tx
      .update(supervisions)
      .set({ supervisorId: target.id })
      .where(and(eq(supervisions.complaintId, c.id), isNull(supervisions.endedAt)));
    return { set: { supervisorId: target.id }, payload: { toUser: target.username, note: n } };
  },

  async REPORT_PROGRESS(s, input: Inputs['REPORT_PROGRESS']) {
    const n = note(input.note, true)!;
    const ledger = await openLedgerRow(s.tx, s.c.id);
    if (!ledger) throw new DomainError('INVALID_TRANSITION', 'The case is not supervised (D73)');
    await s.tx.insert(progressReports).values({
      supervisionId: ledger.id,
      complaintId: s.c.id,
      note: n,
      byUserId: s.actorUserId!,
      at: s.now,
    });
    // D73: due 2 working days after the later of the opening and the last report.
    await stopClocks(s.clocks, ['PROGRESS']);
    await startClocks(s.clocks, [{ kind: 'PROGRESS', budget: budgetFor('PROGRESS', s.line) }]);
    return { payload: { note: n } };
  },
};

/** Supervised cases whose supervisor is `userId` (D73), for `supervisedComplaints`. */
export const supervisedBy = (userId: string) => eq(complaints.supervisorId, userId);

const PROGRESS_DUE = sql`(select min(k.due_at) from sla_clocks k where k.complaint_id = ${complaints.id} and k.kind = 'PROGRESS' and k.stopped_at is null)`;
const PROGRESS_KEY = sql`coalesce(${PROGRESS_DUE}, 'infinity'::timestamptz)`;

/**
 * D73: the cases `userId` supervises that the viewer reads (`readable`),
 * overdue progress first: ordered by the PROGRESS clock's due time (an
 * overdue one is due before any other), then id; keyset pages. `first` 0
 * reads nothing (the API's count alone) but still checks `after`.
 */
export async function supervisedComplaints(
  db: Db,
  userId: string,
  readable: SQL,
  first: number,
  after?: string | null,
) {
  const conds = [supervisedBy(userId), readable];
  if (after) {
    const [due, id] = decodeKey(after);
    conds.push(sql`(${PROGRESS_KEY}, ${complaints.id}) > (${due}::timestamptz, ${id}::uuid)`);
  }
  // A request for the count alone: its cursor checked, nothing read.
  if (first === 0) return { rows: [], cursors: [], hasNextPage: false };
  const rows = await db
    .select({ c: complaintColumns, key: sql<string>`${PROGRESS_KEY}::text` })
    .from(complaints)
    .where(and(...conds))
    .orderBy(PROGRESS_KEY, complaints.id)
    .limit(first + 1);
  const page = rows.slice(0, first);
  return {
    rows: page.map((r) => r.c),
    cursors: page.map((r) => Buffer.from(JSON.stringify([r.key, r.c.id])).toString('base64url')),
    hasNextPage: rows.length > first,
  };
}

/** How many cases `supervisedComplaints` pages through: one count, not the rows. */
export async function countSupervised(db: Db, userId: string, readable: SQL): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(complaints)
    .where(and(supervisedBy(userId), readable));
  return row?.n ?? 0;
}

function decodeKey(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(v[1])
    ) {
      return [v[0], v[1]];
    }
  } catch {
    /* below */
  }
  throw validation(['after'], 'after is not a cursor of this list');
}
