import { and, desc, eq, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import {
  COMPLETE_RECTIFICATION_ROLES,
  holdsAnyRole,
  mayCompleteRectification,
  mayVerifyRectification,
  readsRectification,
  rectificationReadPaths,
  VERIFY_RECTIFICATION_ROLES,
} from '../auth/centre-rules.js';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { orgUnits, rectifications, responsibilityFindings, slaClocks } from '../db/schema.js';
import {
  budgetFor,
  type ClockCtx,
  lazyCalendar,
  startClocks,
  stopRectifyClock,
} from '../sla/clocks.js';
import type { Env } from './complaint-env.js';
import type { RectificationStatus } from './enums.js';
import { DomainError, validation } from './errors.js';
import { LIMITS, text } from './input.js';
import type { ComplaintRow } from './lifecycle.js';
import { BASE_ROOT_CAUSES, type LineRegistry } from './lines.js';
import { escapeLike } from './org.js';

/**
 * D79 root causes and D75 rectification (整改). A rectification is opened by
 * the lifecycle engine when a case becomes RESOLVED with a VALID or
 * PARTIALLY_VALID finding that carries a suggestion; it is then worked by the
 * responsible unit and checked from above, apart from the case (the case may
 * close and archive meanwhile). Its RECTIFY clock is a row of `sla_clocks`
 * tagged with its id, so the scanner raises its warnings and breaches on the
 * case's alert feed (D21) like any clock, and the case's own stops, pauses and
 * archive leave it alone.
 */

export type RectificationRow = typeof rectifications.$inferSelect;

/** D79: the finding's root-cause code: the base list or the case's line's own; OTHER when not given. */
export function causeCode(
  lines: LineRegistry,
  lineCode: string | null,
  value: string | null | undefined,
): string {
  const code = text(value, ['input', 'cause'], { max: 64 }) ?? 'OTHER';
  const own = lineCode ? (lines.get(lineCode)?.rootCauses ?? []) : [];
  if (![...BASE_ROOT_CAUSES, ...own].some((c) => c.code === code)) {
    throw validation(
      ['input', 'cause'],
      `cause ${code} is not a root cause of ${lineCode ?? 'the base list'} (rootCauses, D79)`,
    );
  }
  return code;
}

/**
 * D75: called inside the transaction that makes the case RESOLVED. Opens one
 * rectification for the latest finding when it is VALID or PARTIALLY_VALID
 * with a suggestion (once per finding: a case resolved again on the same
 * finding opens nothing new), for its responsible unit or else the handling
 * unit, with a RECTIFY clock of 30 working days. Returns it, or null.
 */
export async function openRectification(
  tx: Db,
  c: ComplaintRow,
  clocks: ClockCtx,
): Promise<RectificationRow | null> {
  const [f] = await tx
    .select()
    .from(responsibilityFindings)
    .where(eq(responsibilityFindings.complaintId, c.id))
    .orderBy(desc(responsibilityFindings.determinedAt), desc(responsibilityFindings.id))
    .limit(1);
  if (!f || f.nature === 'INVALID' || !f.rectification) return null;
  const unitId = f.responsibleUnitId ?? c.handlingUnitId;
  const [unit] = await tx
    .select({ id: orgUnits.id, path: orgUnits.path })
    .from(orgUnits)
    .where(eq(orgUnits.id, unitId));
  const [r] = await tx
    .insert(rectifications)
    .values({
      complaintId: c.id,
      findingId: f.id,
      responsibleUnitId: unit!.id,
      responsiblePath: unit!.path,
      what: f.rectification,
      status: 'OPEN',
      openedAt: clocks.at,
      dueAt: clocks.at, // set from the clock just below
    })
    .onConflictDoNothing()
    .returning();
  if (!r) return null;
  return startRectify(tx, r, clocks.at, clocks.warnRatio, clocks.calendar);
}

/** Starts a RECTIFY clock for the rectification (never paused: the case's suspension is not the unit's). */
async function startRectify(
  tx: Db,
  r: RectificationRow,
  at: Date,
  warnRatio: number,
  calendar: ClockCtx['calendar'],
) {
  const ctx: ClockCtx = { tx, calendar, complaintId: r.complaintId, at, warnRatio };
  await startClocks(ctx, [
    { kind: 'RECTIFY', budget: budgetFor('RECTIFY'), rectificationId: r.id },
  ]);
  const [clock] = await tx
    .select({ dueAt: slaClocks.dueAt })
    .from(slaClocks)
    .where(and(eq(slaClocks.rectificationId, r.id), isNull(slaClocks.stoppedAt)));
  const dueAt = clock!.dueAt!;
  const [updated] = await tx
    .update(rectifications)
    .set({ dueAt })
    .where(eq(rectifications.id, r.id))
    .returning();
  return updated!;
}

const notFound = () => new DomainError('NOT_FOUND', 'No such rectification');

async function lockRectification(tx: Db, viewer: Viewer, id: string | null) {
  if (!id) throw validation(['input', 'id'], 'id is not a rectification ID');
  const [r] = await tx.select().from(rectifications).where(eq(rectifications.id, id)).for('update');
  if (!r || !readsRectification(viewer, r.responsiblePath)) throw notFound();
  return r;
}

/**
 * D75: the responsible unit's HANDLER or DEPARTMENT_LEADER reports it done,
 * with the measures taken; its RECTIFY clock stops (MET, or MISSED when late).
 * Checks in D55's order: NOT_FOUND, FORBIDDEN (role kind), INVALID_TRANSITION,
 * FORBIDDEN (not of the unit), VALIDATION.
 */
export async function completeRectification(
  env: Env,
  viewer: Viewer,
  id: string | null,
  input: { measures: string },
): Promise<RectificationRow> {
  return env.db.transaction(async (tx) => {
    const r = await lockRectification(tx, viewer, id);
    if (!holdsAnyRole(viewer, COMPLETE_RECTIFICATION_ROLES))
      throw new DomainError(
        'FORBIDDEN',
        'A HANDLER or DEPARTMENT_LEADER of the responsible unit completes a rectification (D75)',
      );
    if (r.status !== 'OPEN' && r.status !== 'REOPENED')
      throw new DomainError(
        'INVALID_TRANSITION',
        `The rectification is ${r.status}: only an OPEN or REOPENED one is completed (D75)`,
      );
    if (!mayCompleteRectification(viewer, r.responsibleUnitId))
      throw new DomainError(
        'FORBIDDEN',
        'Only the responsible unit completes its rectification (D75)',
      );
    const measures = text(input.measures, ['input', 'measures'], {
      required: true,
      max: LIMITS.note,
    });
    const now = env.clock.now();
    await stopRectifyClock(tx, r.id, now);
    const [done] = await tx
      .update(rectifications)
      .set({ status: 'DONE', measures, doneAt: now, doneBy: viewer.id })
      .where(eq(rectifications.id, r.id))
      .returning();
    return done!;
  });
}

/**
 * D75: a LEGAL_OFFICER of the province or a DEPARTMENT_LEADER of a unit above
 * the responsible unit checks a DONE rectification: VERIFIED, or REOPENED
 * (with a note saying why) and back to work with a new RECTIFY due date.
 */
export async function verifyRectification(
  env: Env,
  viewer: Viewer,
  id: string | null,
  input: { approve: boolean; note?: string | null },
): Promise<RectificationRow> {
  return env.db.transaction(async (tx) => {
    const r = await lockRectification(tx, viewer, id);
    if (!holdsAnyRole(viewer, VERIFY_RECTIFICATION_ROLES))
      throw new DomainError(
        'FORBIDDEN',
        "The province's LEGAL_OFFICER or a DEPARTMENT_LEADER above the responsible unit verifies (D75)",
      );
    if (r.status !== 'DONE')
      throw new DomainError(
        'INVALID_TRANSITION',
        `The rectification is ${r.status}: only a DONE one is verified (D75)`,
      );
    if (!mayVerifyRectification(viewer, r.responsiblePath))
      throw new DomainError(
        'FORBIDDEN',
        "Only the province's LEGAL_OFFICER or a DEPARTMENT_LEADER of a unit above verifies this rectification (D75)",
      );
    const note = input.approve
      ? text(input.note, ['input', 'note'], { max: LIMITS.note })
      : text(input.note, ['input', 'note'], { required: true, max: LIMITS.note }); // D57: a decision that sends back needs a note
    const now = env.clock.now();
    if (input.approve) {
      const [v] = await tx
        .update(rectifications)
        .set({ status: 'VERIFIED', verifiedAt: now, verifiedBy: viewer.id, verifyNote: note })
        .where(eq(rectifications.id, r.id))
        .returning();
      return v!;
    }
    const [reopened] = await tx
      .update(rectifications)
      .set({ status: 'REOPENED', verifyNote: note, doneAt: null, doneBy: null })
      .where(eq(rectifications.id, r.id))
      .returning();
    return startRectify(tx, reopened!, now, env.config.sla.warnRatio, lazyCalendar(tx));
  });
}

// ---------------------------------------------------------------- reading

/** D75: the viewer's readable rectifications as SQL (the responsible unit or an ancestor among its grants). */
export function rectificationsReadable(viewer: Viewer | null): SQL {
  const paths = rectificationReadPaths(viewer);
  if (!paths.length) return sql`false`;
  return or(
    ...paths.map((p) => sql`${rectifications.responsiblePath} like ${`${escapeLike(p)}%`}`),
  )!;
}

export const isOverdue = (r: Pick<RectificationRow, 'status' | 'dueAt'>, now: Date) =>
  (r.status === 'OPEN' || r.status === 'REOPENED') && r.dueAt.getTime() < now.getTime();

const overdueSql = (now: Date) =>
  sql`(${rectifications.status} in ('OPEN', 'REOPENED') and ${rectifications.dueAt} < ${now.toISOString()}::timestamptz)`;

export type RectificationFilter = {
  unitPath?: string | null;
  status?: readonly RectificationStatus[] | null;
  overdue?: boolean | null;
};

/** Keyset cursor: the opening time and id of the last row read. */
export const rectificationCursor = {
  encode: (r: Pick<RectificationRow, 'openedAt' | 'id'>) =>
    Buffer.from(`R:${r.openedAt.getTime()}:${r.id}`).toString('base64url'),
  decode(cursor: string): { at: Date; id: string } | null {
    const m = /^R:(\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString());
    return m ? { at: new Date(Number(m[1])), id: m[2]! } : null;
  },
};

/** D75: `rectifications`, newest first, keyset-paged, filtered by subtree, status and overdue. */
export async function listRectifications(
  db: Db,
  viewer: Viewer | null,
  filter: RectificationFilter,
  page: { first: number; after?: string | null },
  now: Date,
) {
  const conds: SQL[] = [rectificationsReadable(viewer)];
  if (filter.unitPath)
    conds.push(sql`${rectifications.responsiblePath} like ${`${escapeLike(filter.unitPath)}%`}`);
  if (filter.status?.length) conds.push(inArray(rectifications.status, [...filter.status]));
  if (filter.overdue != null)
    conds.push(filter.overdue ? overdueSql(now) : sql`not ${overdueSql(now)}`);
  const where = and(...conds)!;
  const after = page.after ? rectificationCursor.decode(page.after) : null;
  if (page.after && !after) throw validation(['after'], 'after is not a cursor of this list');
  const keyed = after
    ? and(
        where,
        or(
          lt(rectifications.openedAt, after.at),
          and(eq(rectifications.openedAt, after.at), lt(rectifications.id, after.id)),
        ),
      )
    : where;
  const rows = await db
    .select()
    .from(rectifications)
    .where(keyed)
    .orderBy(desc(rectifications.openedAt), desc(rectifications.id))
    .limit(page.first + 1);
  return {
    rows: rows.slice(0, page.first),
    hasNextPage: rows.length > page.first,
    hasPreviousPage: !!after,
    count: async () =>
      Number(
        (await db.select({ n: sql<number>`count(*)::int` }).from(rectifications).where(where))[0]!
          .n,
      ),
  };
}

/** The rectifications of one case the viewer reads, oldest first. */
export async function rectificationsOfCase(db: Db, viewer: Viewer | null, complaintId: string) {
  return db
    .select()
    .from(rectifications)
    .where(and(eq(rectifications.complaintId, complaintId), rectificationsReadable(viewer)))
    .orderBy(rectifications.openedAt, rectifications.id);
}

/** A rectification by id, when the viewer reads it. */
export async function rectificationById(db: Db, viewer: Viewer | null, id: string) {
  const [r] = await db.select().from(rectifications).where(eq(rectifications.id, id));
  return r && readsRectification(viewer, r.responsiblePath) ? r : null;
}
