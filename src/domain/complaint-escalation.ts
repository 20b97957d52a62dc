import { and, eq, isNull } from 'drizzle-orm';
import { selfApprovesEscalation } from '../auth/complaint-rules.js';
import { escalations, supervisionNotes } from '../db/schema.js';
import { pauseClocks, resumeClocks } from '../sla/clocks.js';
import { note } from './complaint-inputs.js';
import type { Effects } from './complaint-steps.js';
import { parentIdOf } from './lifecycle.js';
import { openLedger } from './supervision.js';

/**
 * What holds or raises a case wherever it stands (D24, D53, D73): suspended
 * and resumed, escalated and the escalation decided, and supervision notes.
 */

export const ESCALATION_EFFECTS: Effects<
  'SUSPEND' | 'RESUME' | 'ESCALATE' | 'DECIDE_ESCALATION' | 'ADD_SUPERVISION_NOTE'
> = {
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
};
