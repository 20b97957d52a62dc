import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { AppAbility } from '../auth/abilities.js';
import {
  BATCH_REPLY_ROLES,
  coversUnit,
  holdsAnyRole,
  incidentReadPaths,
  managesIncident,
  mayBatchReply,
  OPEN_INCIDENT_ROLES,
  readsIncident,
} from '../auth/centre-rules.js';
import { complaintsWhere } from '../auth/sql.js';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import {
  complaintColumns,
  complaints,
  incidentComplaints,
  incidents,
  orgUnits,
} from '../db/schema.js';
import { dueAt as budgetDue } from '../sla/budget.js';
import { budgetFor, loadCalendar } from '../sla/clocks.js';
import { transition } from './complaint-engine.js';
import type { Env, Who } from './complaint-env.js';
import type { ContactMethod } from './enums.js';
import { DomainError, validation } from './errors.js';
import { LIMITS, pastInstant, text } from './input.js';
import type { ComplaintRow } from './lifecycle.js';
import { escapeLike } from './org.js';
import { suggestDispatch, unitsOfProvinces } from './routing.js';

/**
 * D76 incidents (重大问题): something many customers complain about at once,
 * opened by a LEGAL_OFFICER of the province or a DUTY_MANAGER for units their
 * grants cover. Cases are linked to it (one incident per case at most), its
 * written notice is due 2 hours after opening (clock NOTICE, kept on the
 * incident), and the province acceptance centre replies to its RESOLVED cases
 * in one action (`batchReply`), one REPLY_TO_CUSTOMER event per case, each in
 * its own transaction.
 */

export type IncidentRow = typeof incidents.$inferSelect;

const notFound = () => new DomainError('NOT_FOUND', 'No such incident');
const closedRefusal = (i: IncidentRow) =>
  new DomainError('INVALID_TRANSITION', `The incident "${i.title}" is closed`);

export type OpenIncidentInput = {
  title: string;
  category?: string | null;
  /** Decoded unit ids; null where the global ID was malformed. */
  unitIds: readonly (string | null)[];
  startedAt: Date;
};

/** D76: opens an incident. D55's order: FORBIDDEN (role kind), VALIDATION (malformed ids), FORBIDDEN (units not covered), VALIDATION (input). */
export async function openIncident(
  env: Env,
  viewer: Viewer,
  input: OpenIncidentInput,
): Promise<IncidentRow> {
  if (viewer.kind !== 'user' || !holdsAnyRole(viewer, OPEN_INCIDENT_ROLES)) {
    throw new DomainError(
      'FORBIDDEN',
      'A LEGAL_OFFICER of the province or a DUTY_MANAGER opens an incident (D76)',
    );
  }
  if (!input.unitIds.length)
    throw validation(['input', 'unitIds'], 'An incident concerns at least one unit');
  if (input.unitIds.length > 100) throw validation(['input', 'unitIds'], 'At most 100 units');
  input.unitIds.forEach((u, i) => {
    if (!u) throw validation(['input', 'unitIds', String(i)], 'not a unit ID');
  });
  const ids = [...new Set(input.unitIds as string[])];
  const units = await env.db.select().from(orgUnits).where(inArray(orgUnits.id, ids));
  if (units.length !== ids.length) throw validation(['input', 'unitIds'], 'No such unit');
  if (!units.every((u) => coversUnit(viewer, u.path))) {
    throw new DomainError(
      'FORBIDDEN',
      'Your grants do not cover every unit of the incident (D76)',
      ['input', 'unitIds'],
    );
  }
  const provinces = new Set(units.map((u) => u.path.split('/')[1]!));
  if (provinces.size > 1)
    throw validation(['input', 'unitIds'], "An incident's units lie in one province");
  const title = text(input.title, ['input', 'title'], { required: true, max: LIMITS.title });
  const category = text(input.category, ['input', 'category'], { max: 64 });
  if (
    category !== null &&
    !env.lines.all().some((l) => l.categories.some((c) => c.code === category))
  ) {
    throw validation(['input', 'category'], `Category ${category} is not one of any line's`);
  }
  const now = env.clock.now();
  const startedAt = pastInstant(input.startedAt, now, ['input', 'startedAt']);
  const noticeDueAt = budgetDue(now, budgetFor('NOTICE'), await loadCalendar(env.db));
  const ordered = ids.map((id) => units.find((u) => u.id === id)!);
  const [row] = await env.db
    .insert(incidents)
    .values({
      title,
      category,
      provinceId: [...provinces][0]!,
      unitIds: ordered.map((u) => u.id),
      unitPaths: ordered.map((u) => u.path),
      startedAt,
      openedBy: viewer.id,
      openedAt: now,
      noticeDueAt,
    })
    .returning();
  // D76, issue 23: reported at once on the feeds of those who read it (src/graphql/rectification-incidents.ts,
  // `incidentOpened`): a wake-up for every instance's relay, delivered when the insert commits.
  await env.db.execute(sql`select pg_notify(${INCIDENTS_CHANNEL}, '')`);
  return row!;
}

/** The LISTEN channel incidents opened are announced on (a wake-up: relays read the table by position). */
export const INCIDENTS_CHANNEL = 'incidents_opened';

async function lockIncident(tx: Db, viewer: Viewer, id: string | null, field = ['input', 'id']) {
  if (!id) throw validation(field, 'not an incident ID');
  const [i] = await tx.select().from(incidents).where(eq(incidents.id, id)).for('update');
  if (!i || !readsIncident(viewer, i.unitPaths)) throw notFound();
  return i;
}

/** D76: the checks of a change by whoever may open it: NOT_FOUND, FORBIDDEN (role kind), INVALID_TRANSITION (closed), FORBIDDEN (units). */
async function managed(tx: Db, viewer: Viewer, id: string | null, field?: string[]) {
  const i = await lockIncident(tx, viewer, id, field);
  if (!holdsAnyRole(viewer, OPEN_INCIDENT_ROLES))
    throw new DomainError('FORBIDDEN', 'A LEGAL_OFFICER or DUTY_MANAGER manages incidents (D76)');
  if (i.endedAt) throw closedRefusal(i);
  if (!managesIncident(viewer, i.unitPaths))
    throw new DomainError('FORBIDDEN', 'Your grants do not cover every unit of the incident (D76)');
  return i;
}

/**
 * D76: links cases to the incident. Each must be one the viewer reads
 * (NOT_FOUND otherwise) and not linked to another incident (a case belongs to
 * one at most: INVALID_TRANSITION naming its number); linking a case again to
 * the same incident changes nothing. All or nothing.
 */
export async function linkComplaints(
  env: Env,
  viewer: Viewer,
  ability: AppAbility,
  incidentId: string | null,
  complaintIds: readonly (string | null)[],
): Promise<IncidentRow> {
  return env.db.transaction(async (tx) => {
    const i = await managed(tx, viewer, incidentId, ['input', 'incidentId']);
    if (!complaintIds.length) throw validation(['input', 'complaintIds'], 'Name at least one case');
    if (complaintIds.length > 100)
      throw validation(['input', 'complaintIds'], 'At most 100 cases at once');
    complaintIds.forEach((c, n) => {
      if (!c) throw validation(['input', 'complaintIds', String(n)], 'not a complaint ID');
    });
    const ids = [...new Set(complaintIds as string[])];
    const rows = await tx
      .select({ id: complaints.id, number: complaints.number, provinceId: complaints.provinceId })
      .from(complaints)
      .where(and(inArray(complaints.id, ids), complaintsWhere(ability, 'read')))
      .for('update');
    if (rows.length !== ids.length) throw new DomainError('NOT_FOUND', 'No such complaint');
    const other = rows.find((r) => r.provinceId !== i.provinceId);
    if (other)
      throw validation(
        ['input', 'complaintIds'],
        `${other.number} is not a case of the incident's province`,
      );
    const linked = await tx
      .select()
      .from(incidentComplaints)
      .where(inArray(incidentComplaints.complaintId, ids));
    const elsewhere = linked.find((l) => l.incidentId !== i.id);
    if (elsewhere) {
      const n = rows.find((r) => r.id === elsewhere.complaintId)!.number;
      throw new DomainError('INVALID_TRANSITION', `${n} already belongs to another incident (D76)`);
    }
    const now = env.clock.now();
    await tx
      .insert(incidentComplaints)
      .values(
        ids.map((complaintId) => ({
          complaintId,
          incidentId: i.id,
          linkedAt: now,
          linkedBy: viewer.id,
        })),
      )
      .onConflictDoNothing();
    return i;
  });
}

/** D76: the written notice, which meets the NOTICE clock (due 2 hours after opening); recorded once. */
export async function recordIncidentNotice(
  env: Env,
  viewer: Viewer,
  id: string | null,
  notice: string,
): Promise<IncidentRow> {
  return env.db.transaction(async (tx) => {
    const i = await managed(tx, viewer, id);
    if (i.noticeAt) throw new DomainError('INVALID_TRANSITION', 'The notice was recorded already');
    const value = text(notice, ['input', 'notice'], { required: true, max: LIMITS.note });
    const [row] = await tx
      .update(incidents)
      .set({ notice: value, noticeAt: env.clock.now(), noticeBy: viewer.id })
      .where(eq(incidents.id, i.id))
      .returning();
    return row!;
  });
}

/** D76: closes the incident; it no longer counts as open. */
export async function closeIncident(
  env: Env,
  viewer: Viewer,
  id: string | null,
): Promise<IncidentRow> {
  return env.db.transaction(async (tx) => {
    const i = await managed(tx, viewer, id);
    const [row] = await tx
      .update(incidents)
      .set({ endedAt: env.clock.now(), closedBy: viewer.id })
      .where(eq(incidents.id, i.id))
      .returning();
    return row!;
  });
}

export type BatchReplyResult = { replied: ComplaintRow[]; skipped: DomainError[] };

/**
 * D76: replies to every linked case that is RESOLVED, one REPLY_TO_CUSTOMER
 * per case through the lifecycle engine, each in its own transaction (so one
 * refusal or failure never undoes the others). Every other linked case is
 * listed in `skipped`, its message beginning with the case's number. A retry
 * replies to nothing twice: a case replied to is REPLIED and so skipped.
 */
export async function batchReply(
  env: Env,
  who: Who,
  incidentId: string | null,
  input: { method: ContactMethod; content: string },
): Promise<BatchReplyResult> {
  const viewer = who.viewer;
  if (!incidentId) throw validation(['input', 'incidentId'], 'not an incident ID');
  const [i] = await env.db.select().from(incidents).where(eq(incidents.id, incidentId));
  if (!i || !readsIncident(viewer, i.unitPaths)) throw notFound();
  if (!holdsAnyRole(viewer, BATCH_REPLY_ROLES))
    throw new DomainError('FORBIDDEN', 'The province acceptance centre replies in batch (D76)');
  if (!mayBatchReply(viewer, i.provinceId))
    throw new DomainError(
      'FORBIDDEN',
      "Only the incident's province acceptance centre replies in batch (D76)",
    );
  const content = text(input.content, ['input', 'content'], { required: true, max: LIMITS.note });
  const linked = await env.db
    .select({ id: complaints.id, number: complaints.number, status: complaints.status })
    .from(incidentComplaints)
    .innerJoin(complaints, eq(complaints.id, incidentComplaints.complaintId))
    .where(eq(incidentComplaints.incidentId, i.id))
    .orderBy(incidentComplaints.linkedAt, complaints.number);
  const result: BatchReplyResult = { replied: [], skipped: [] };
  for (const c of linked) {
    if (c.status !== 'RESOLVED') {
      result.skipped.push(
        new DomainError(
          'INVALID_TRANSITION',
          `${c.number}: is ${c.status}, not RESOLVED: not replied to`,
        ),
      );
      continue;
    }
    try {
      result.replied.push(
        await transition(env, who, 'REPLY_TO_CUSTOMER', c.id, { method: input.method, content }),
      );
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      result.skipped.push(new DomainError(e.code, `${c.number}: ${e.message}`, e.field));
    }
  }
  return result;
}

// ---------------------------------------------------------------- reading

/** D76: the incidents the viewer reads, as SQL: one of its units lies in a subtree of the viewer's grants. */
export function incidentsReadable(viewer: Viewer | null): SQL {
  const paths = incidentReadPaths(viewer);
  if (!paths.length) return sql`false`;
  return or(
    ...paths.map(
      (p) =>
        sql`exists (select 1 from unnest(${incidents.unitPaths}) as u(path) where u.path like ${`${escapeLike(p)}%`})`,
    ),
  )!;
}

export const incidentCursor = {
  encode: (i: Pick<IncidentRow, 'openedAt' | 'id'>) =>
    Buffer.from(`I:${i.openedAt.getTime()}:${i.id}`).toString('base64url'),
  decode(cursor: string): { at: Date; id: string } | null {
    const m = /^I:(\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString());
    return m ? { at: new Date(Number(m[1])), id: m[2]! } : null;
  },
};

/** D76: `incidents(open:)`, newest first, keyset-paged. */
export async function listIncidents(
  db: Db,
  viewer: Viewer | null,
  open: boolean | null | undefined,
  page: { first: number; after?: string | null },
) {
  const conds: SQL[] = [incidentsReadable(viewer)];
  if (open === true) conds.push(isNull(incidents.endedAt));
  if (open === false) conds.push(isNotNull(incidents.endedAt));
  const after = page.after ? incidentCursor.decode(page.after) : null;
  if (page.after && !after) throw validation(['after'], 'after is not a cursor of this list');
  if (after)
    conds.push(
      or(
        lt(incidents.openedAt, after.at),
        and(eq(incidents.openedAt, after.at), lt(incidents.id, after.id)),
      )!,
    );
  const rows = await db
    .select()
    .from(incidents)
    .where(and(...conds))
    .orderBy(desc(incidents.openedAt), desc(incidents.id))
    .limit(page.first + 1);
  return {
    rows: rows.slice(0, page.first),
    hasNextPage: rows.length > page.first,
    hasPreviousPage: !!after,
  };
}

export async function incidentById(db: Db, viewer: Viewer | null, id: string) {
  const [i] = await db.select().from(incidents).where(eq(incidents.id, id));
  return i && readsIncident(viewer, i.unitPaths) ? i : null;
}

/** The incident a case is linked to, when the viewer reads it. */
export async function incidentOfCase(db: Db, viewer: Viewer | null, complaintId: string) {
  const [l] = await db
    .select({ incidentId: incidentComplaints.incidentId })
    .from(incidentComplaints)
    .where(eq(incidentComplaints.complaintId, complaintId));
  return l ? incidentById(db, viewer, l.incidentId) : null;
}

/** D76, D32: open incidents one of whose units is the scope unit or below it, that the viewer reads. */
export async function openIncidentCount(
  db: Db,
  viewer: Viewer | null,
  scopePath: string,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(incidents)
    .where(
      and(
        isNull(incidents.endedAt),
        incidentsReadable(viewer),
        sql`exists (select 1 from unnest(${incidents.unitPaths}) as u(path) where u.path like ${`${escapeLike(scopePath)}%`})`,
      ),
    );
  return Number(row!.n);
}

/** SQL: the ids of the cases linked to an incident. */
export const linkedTo = (incidentId: string): SQL =>
  sql`${complaints.id} in (select complaint_id from incident_complaints where incident_id = ${incidentId})`;

/** How many of the newest matching cases the candidate rule looks at (its JS part, the line's D34 routing, runs per case). */
const CANDIDATE_SCAN = 2000;

/**
 * D76: the candidates' ids: cases of the incident's province in its category,
 * registered since it started, not linked to any incident, that the viewer
 * reads, and handled in one of its units' subtrees or registered for one of
 * them (the city D34's routing names for the case).
 */
export async function candidateIds(
  db: Db,
  env: Pick<Env, 'lines'>,
  readable: SQL,
  i: IncidentRow,
): Promise<string[]> {
  const conds: SQL[] = [
    readable,
    eq(complaints.provinceId, i.provinceId),
    gte(complaints.registeredAt, i.startedAt),
    sql`not exists (select 1 from incident_complaints l where l.complaint_id = ${complaints.id})`,
  ];
  if (i.category) conds.push(eq(complaints.category, i.category));
  const rows = (await db
    .select(complaintColumns)
    .from(complaints)
    .where(and(...conds))
    .orderBy(desc(complaints.registeredAt))
    .limit(CANDIDATE_SCAN)) as ComplaintRow[];
  const [units] = await unitsOfProvinces(db, [i.provinceId]);
  const pathOf = new Map(
    (
      await db
        .select({ id: orgUnits.id, path: orgUnits.path })
        .from(orgUnits)
        .where(
          inArray(
            orgUnits.id,
            units!.map((u) => u.id),
          ),
        )
    ).map((u) => [u.id, u.path]),
  );
  const within = (path: string | undefined) =>
    !!path && i.unitPaths.some((p) => path.startsWith(p));
  return rows
    .filter(
      (c) =>
        within(c.handlingPath) ||
        within(pathOf.get(suggestDispatch(env.lines as never, c, units!)?.unitId ?? '')),
    )
    .map((c) => c.id);
}
