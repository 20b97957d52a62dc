import { asc, eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.js';
import { type Db, rowsOf } from '../../src/db/client.js';
import { complaintEvents } from '../../src/db/schema.js';
import type { CaseAction, Inputs } from '../../src/domain/complaints.js';
import type { ErrorCode } from '../../src/domain/enums.js';
import { engine } from '../support/cases.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * Shared assertions of the lifecycle tests: a step that succeeds appends
 * exactly one event (D56) and bumps the version; a refusal (D55) leaves the
 * case, its events and every child row exactly as they were.
 */

const CHILD_TABLES = [
  'complaint_events',
  'assignments',
  'investigations',
  'responsibility_findings',
  'customer_contacts',
  'callbacks',
  'supervision_notes',
  'escalations',
  'sla_clocks',
  'supervisions',
  'progress_reports',
  'transfer_feedback',
  'extensions',
] as const;

/** The case row and the full content of every child table, as the database holds them. */
export async function footprint(db: Db, id: string) {
  const cols = sql.join(
    CHILD_TABLES.map(
      (t) =>
        sql`(select coalesce(json_agg(x order by x.id), '[]'::json) from ${sql.identifier(t)} x where x.complaint_id = ${id}) as ${sql.identifier(t)}`,
    ),
    sql`, `,
  );
  const [children] = rowsOf<Record<string, unknown>>(await db.execute(sql`select ${cols}`));
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select row_to_json(c) as row from complaints c where c.id = ${id}`),
  );
  return { row: row?.row ?? null, children };
}

/** Totals across the whole database, for refusals of a registration (nothing to point at). */
export async function totals(db: Db) {
  const [r] = rowsOf<Record<string, number>>(
    await db.execute(sql`select
      (select count(*)::int from complaints) as complaints,
      (select count(*)::int from complaint_events) as events,
      (select count(*)::int from sla_clocks) as clocks,
      (select coalesce(sum(last), 0)::int from case_number_sequences) as numbers`),
  );
  return r!;
}

export const eventsOf = (db: Db, id: string) =>
  db
    .select()
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, id))
    .orderBy(asc(complaintEvents.position));

/** One refused call: who makes it, with what input, the code expected and (optionally) the field. */
export type Refusal<A extends CaseAction> = readonly [
  as: string | Viewer,
  input: Inputs[A],
  code: ErrorCode,
  field?: string[] | null,
];

export function kit(w: World, db: Db) {
  const e = engine(w, db);
  const unit = (code: string) => w.units[code]!.id;
  const codeOf = (unitId: string | null) =>
    Object.values(w.units).find((u) => u.id === unitId)?.code ?? null;
  const uid = (username: string) => w.staff[username]!.id;

  /** Applies an action that must succeed: one event named after it, from → to, by this actor; version + 1. */
  async function step<A extends CaseAction>(
    as: string,
    action: A,
    c: { id: string },
    input: Inputs[A],
    expectedVersion?: number,
  ) {
    const before = await e.reload(c);
    const eventsBefore = await eventsOf(db, c.id);
    const after = await e.act(as, action, c, input, expectedVersion);
    const events = await eventsOf(db, c.id);
    expect(events).toHaveLength(eventsBefore.length + 1);
    const event = events.at(-1)!;
    expect(event).toMatchObject({
      action,
      fromStatus: before.status,
      toStatus: after.status,
      actorUserId: as === 'partner' ? null : uid(as),
      actorPartnerId: as === 'partner' ? w.partner.id : null,
    });
    expect(after.version).toBe(before.version + 1);
    const stored = await e.reload(c);
    expect(stored.version).toBe(after.version);
    expect(stored.status).toBe(after.status);
    return { before, after: stored, event };
  }

  /** Applies an action that must be refused with `code` (and `field`, when given), and proves it changed nothing. */
  async function refuse<A extends CaseAction>(
    as: string | Viewer,
    action: A,
    c: { id: string },
    input: Inputs[A],
    code: ErrorCode,
    opts: { field?: string[] | null; expectedVersion?: number } = {},
  ) {
    const before = await footprint(db, c.id);
    const err = await e.refused(as, action, c, input, opts.expectedVersion);
    expect(err.code, `${action} by ${typeof as === 'string' ? as : as.id}: ${err.message}`).toBe(
      code,
    );
    if (opts.field !== undefined) expect(err.field ?? null).toEqual(opts.field);
    expect(await footprint(db, c.id)).toEqual(before);
    return err;
  }

  /**
   * Each row's call of `action` on the case must be refused with its code (and its field, when
   * the row names one: null for none), changing nothing: `refuse` for a table of refusals.
   */
  async function refusals<A extends CaseAction>(
    action: A,
    c: { id: string },
    rows: readonly Refusal<A>[],
  ) {
    for (const [as, input, code, field] of rows)
      await refuse(as, action, c, input, code, field === undefined ? {} : { field });
  }

  return {
    ...e,
    e,
    unit,
    codeOf,
    uid,
    step,
    refuse,
    refusals,
    footprint: (c: { id: string }) => footprint(db, c.id),
    events: (c: { id: string }) => eventsOf(db, c.id),
  };
}

export type Kit = ReturnType<typeof kit>;

/** `run(body)`: a test body run in its own rolled-back transaction, the clock at T0, with a kit. */
export const runner = (world: () => World) => (fn: (k: Kit, db: Db) => Promise<void>) => () =>
  world().tx(async (db) => {
    world().clock.set(T0);
    await fn(kit(world(), db), db);
  });

export const NOTE = 'Because the customer asked so.';

/** For every action, an input that passes its own VALIDATION wherever the action is allowed (D60: only the input is left out). */
export function validInputs(w: World): { [A in CaseAction]: Inputs[A] } {
  const later = (days: number) => new Date(w.clock.now().getTime() + days * 24 * 60 * 60 * 1000);
  return {
    ACCEPT: { businessLine: 'mobile', category: 'NETWORK_TECHNICAL', severity: 'ORDINARY' },
    REJECT: { reason: 'INSUFFICIENT_INFORMATION', note: NOTE },
    RESOLVE_ON_SPOT: { answer: 'Answered at first contact.' },
    DISPATCH: { toUnitId: w.units['GD-GZ']!.id, deadline: later(3) },
    ACKNOWLEDGE: {},
    RETURN: { note: NOTE },
    DELEGATE: { toUnitId: w.units['GD-GZ-TH']!.id, deadline: later(2) },
    RECORD_INVESTIGATION: { kind: 'INITIAL', findings: 'Checked the cell.' },
    DETERMINE_RESPONSIBILITY: { nature: 'VALID', rootCause: 'Outage', remedy: { kind: 'APOLOGY' } },
    SUBMIT_REPORT: {},
    CONFIRM_REPORT: { approve: true },
    REVIEW_REPORT: { approve: true },
    CONTACT_CUSTOMER: { method: 'PHONE', content: 'Progress: still on it.' },
    REPLY_TO_CUSTOMER: { method: 'PHONE', content: 'Fixed.' },
    RECORD_CALLBACK: { result: 'SATISFIED' },
    ARCHIVE: {},
    WITHDRAW: { note: NOTE },
    SUSPEND: { note: NOTE },
    RESUME: {},
    ESCALATE: { note: NOTE },
    DECIDE_ESCALATION: { approve: true },
    ADD_SUPERVISION_NOTE: { note: NOTE },
    ANSWER_CONTACT: { method: 'PHONE', content: 'The 5G plan costs 129 yuan a month.' },
    FORWARD_CONTACT: { toUnitId: w.units['GD-GZ']!.id, deadline: later(2) },
    CONVERT_TO_COMPLAINT: {},
    OPEN_SUPERVISION: {},
    // Valid for a viewer who may take the supervision themselves (tests that hand it to another person say so).
    HAND_OVER_SUPERVISION: { toUserId: null },
    REPORT_PROGRESS: { note: 'Engineer on site; fix expected tomorrow.' },
    RECORD_TRANSFER_FEEDBACK: { method: 'LETTER', content: 'Reported back to the regulator.' },
    REQUEST_EXTENSION: { clock: 'ANSWER', dueAt: later(400), note: 'Waiting for the vendor.' },
    DECIDE_EXTENSION: { approve: true },
  };
}

/** At file level: the file's world and its `run` (see runner). */
export function useKitWorld() {
  const world = useWorld();
  return { world, run: runner(world) };
}
