import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { extensions, orgUnits, slaClocks } from '../db/schema.js';
import { warnAt } from '../sla/budget.js';
import { resolveDueAt } from '../sla/clocks.js';
import type { Inputs } from './complaint-inputs.js';
import { type Effect, recordContact } from './complaint-steps.js';
import type { ClockKind, ClockState } from './enums.js';
import { DomainError, validation } from './errors.js';
import { LIMITS, text } from './input.js';
import { type ComplaintRow, parentIdOf, seat, seatsOf } from './lifecycle.js';

/**
 * D78: promised times and extensions (告知预计的解决时间). The holder of a
 * running clock asks for a later due time with a reason; the unit above the
 * requester's decides (a county's request its city's DEPARTMENT_LEADER, a
 * city's or a centre's the province acceptance centre, the province's own
 * the province LEGAL_OFFICER). Approved, the clock's due time moves, the
 * case's `promisedAt` becomes it and a contact records the promise. A
 * transfer's fixed deadline is never extended. One request per clock may be
 * pending; `decideExtension` decides the oldest pending one.
 */

export type ExtensionInputs = {
  REQUEST_EXTENSION: { clock: ClockKind; dueAt: Date; note?: string | null };
  DECIDE_EXTENSION: { approve: boolean; note?: string | null };
};

const INPUT = (name: string) => ['input', name];

/** The seats that decide a request made from `unitId` (D78). */
export async function decidersOf(tx: Db, c: ComplaintRow, unitId: string): Promise<string[]> {
  if (unitId === c.provinceId) return [seat('LEGAL_OFFICER', c.provinceId)];
  const [u] = await tx.select().from(orgUnits).where(eq(orgUnits.id, unitId));
  if (u?.level === 'COUNTY') return [seat('DEPARTMENT_LEADER', parentIdOf(u.path) ?? u.parentId!)];
  return seatsOf(c).centre;
}

/** The unit of the holder seat the viewer acts from (D53), or null. */
function requesterUnit(s: Parameters<Effect<'REQUEST_EXTENSION'>>[0]): string | null {
  if (s.viewer.kind !== 'user') return null;
  const mine = new Set(s.viewer.grants.filter((g) => g.unitId).map((g) => seat(g.role, g.unitId!)));
  const held = seatsOf(s.c).holder.find((x) => mine.has(x));
  return held ? held.slice(held.indexOf('@') + 1) : null;
}

/** `2026-11-30 18:00` in Asia/Shanghai: how the promise reads to the customer. */
const shanghaiText = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

export const EXTENSION_EFFECTS: { [A in keyof ExtensionInputs]: Effect<A> } = {
  async REQUEST_EXTENSION(s, input: Inputs['REQUEST_EXTENSION']) {
    const { tx, c, now } = s;
    const [clock] = await tx
      .select()
      .from(slaClocks)
      .where(
        and(
          eq(slaClocks.complaintId, c.id),
          eq(slaClocks.kind, input.clock),
          isNull(slaClocks.stoppedAt),
        ),
      )
      .orderBy(desc(slaClocks.startedAt))
      .limit(1);
    // The clock named is the input's: one that does not run is a VALIDATION error on it; a fixed one is refused by D78.
    if (!clock || input.clock === 'REGISTER')
      throw validation(
        INPUT('clock'),
        `No ${input.clock} clock is running on case ${c.number} (D78)`,
      );
    if (clock.fixed)
      throw new DomainError(
        'INVALID_TRANSITION',
        "A transfer's own deadline cannot be extended (D24, D78)",
        INPUT('clock'),
      );
    const [pending] = await tx
      .select({ id: extensions.id })
      .from(extensions)
      .where(and(eq(extensions.clockId, clock.id), eq(extensions.status, 'PENDING')));
    if (pending)
      throw new DomainError(
        'INVALID_TRANSITION',
        `An extension of ${input.clock} is already pending (D78)`,
        INPUT('clock'),
      );
    const unitId = requesterUnit(s);
    if (!unitId) throw new DomainError('FORBIDDEN', `You do not hold case ${c.number} now (D53)`);
    // Input (VALIDATION), in the input type's order: dueAt, note.
    const due = input.dueAt;
    if (Number.isNaN(due.getTime()) || due.getTime() <= now.getTime())
      throw validation(INPUT('dueAt'), 'dueAt must lie in the future');
    if (clock.dueAt && due.getTime() <= clock.dueAt.getTime()) {
      throw validation(
        INPUT('dueAt'),
        `dueAt must be later than the current due time ${clock.dueAt.toISOString()} (D78)`,
      );
    }
    if (input.clock === 'ASSIGNMENT') {
      const resolve = await resolveDueAt(tx, c.id);
      if (resolve && due.getTime() > resolve.getTime()) {
        throw validation(
          INPUT('dueAt'),
          `An ASSIGNMENT is never extended past RESOLVE's due time ${resolve.toISOString()} (D24, D78)`,
        );
      }
    }
    const reason = text(input.note, INPUT('note'), { required: true, max: LIMITS.note });
    await tx.insert(extensions).values({
      complaintId: c.id,
      clockId: clock.id,
      clock: input.clock,
      fromDueAt: clock.dueAt,
      toDueAt: due,
      reason,
      requestedBy: s.actorUserId!,
      requesterUnitId: unitId,
      requestedAt: now,
    });
    const set = c.extensionDeciders?.length
      ? {}
      : { extensionDeciders: await decidersOf(tx, c, unitId) };
    return { set, payload: { clock: input.clock, dueAt: due.toISOString(), note: reason } };
  },

  async DECIDE_EXTENSION(s, input: Inputs['DECIDE_EXTENSION']) {
    const { tx, c, now } = s;
    const pendingAll = await tx
      .select()
      .from(extensions)
      .where(and(eq(extensions.complaintId, c.id), eq(extensions.status, 'PENDING')))
      .orderBy(asc(extensions.requestedAt));
    const x = pendingAll[0];
    if (!x) throw new DomainError('INVALID_TRANSITION', 'No extension request is pending (D78)');
    const n = input.approve
      ? text(input.note, INPUT('note'), { max: LIMITS.note })
      : text(input.note, INPUT('note'), { required: true, max: LIMITS.note });
    await tx
      .update(extensions)
      .set({
        status: input.approve ? 'APPROVED' : 'DECLINED',
        decidedBy: s.actorUserId,
        decidedAt: now,
        decisionNote: n,
      })
      .where(eq(extensions.id, x.id));
    const next = pendingAll[1];
    const set: Partial<ComplaintRow> = {
      extensionDeciders: next ? await decidersOf(tx, c, next.requesterUnitId) : null,
    };
    if (input.approve) {
      const [clock] = await tx.select().from(slaClocks).where(eq(slaClocks.id, x.clockId));
      if (clock && !clock.stoppedAt) {
        // The due time becomes the promised one, a set deadline from now on (a calendar change no longer recounts it).
        const warn = warnAt(clock.startedAt, x.toDueAt, s.clocks.warnRatio);
        const warned = clock.warned && warn.getTime() <= now.getTime();
        const state: ClockState = clock.pausedAt
          ? 'PAUSED'
          : clock.breached
            ? 'BREACHED'
            : warned
              ? 'WARNING'
              : 'RUNNING';
        await tx
          .update(slaClocks)
          .set({ dueAt: x.toDueAt, warnAt: warn, budget: null, pausedWorkdays: 0, warned, state })
          .where(eq(slaClocks.id, clock.id));
      }
      // D78: the customer is told the promised time.
      await recordContact(s, {
        method: 'PHONE',
        content: `已告知客户预计解决时间 ${shanghaiText(x.toDueAt)} (UTC+8) / The customer was promised ${shanghaiText(x.toDueAt)}`,
        final: false,
        substantive: false,
      });
      set.promisedAt = x.toDueAt;
    }
    return {
      set,
      payload: { approve: input.approve, clock: x.clock, dueAt: x.toDueAt.toISOString(), note: n },
    };
  },
};
