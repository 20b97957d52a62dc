import DataLoader from 'dataloader';
import { type AnyColumn, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { anyId } from '../db/any-id.js';
import type { Db } from '../db/client.js';
import { rowReader } from '../db/rows.js';
import {
  assignments,
  callbacks,
  complaints,
  customerContacts,
  extensions,
  investigations,
  orgUnits,
  partners,
  progressReports,
  responsibilityFindings,
  roleGrants,
  slaClocks,
  supervisionNotes,
  supervisions,
  transferFeedback,
  users,
} from '../db/schema.js';
import { unitsOfProvinces } from '../domain/routing.js';

/** Groups rows by a key, in the order of the keys asked for. */
export function groupBy<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

export function byId<T extends { id: string }>(keys: readonly string[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return keys.map((k) => map.get(k) ?? null);
}

/** A user as requests see one: never the password hash (only login reads it, by username). */
export type UserRow = Omit<typeof users.$inferSelect, 'passwordHash'>;

const read = {
  unit: rowReader(orgUnits),
  user: rowReader(users, ['passwordHash']),
  grant: rowReader(roleGrants),
  partner: rowReader(partners),
  complaint: rowReader(complaints, ['searchGrams']),
};

/**
 * Per-request batching: every relation resolves through one of these, so a
 * page of 100 complaints costs the same number of statements as a page of 10.
 */
export function createLoaders(db: Db) {
  const unit = new DataLoader(async (ids: readonly string[]) =>
    byId(ids, await read.unit.select(db, anyId(orgUnits.id, ids))),
  );
  return {
    unit,
    unitChildren: new DataLoader(async (ids: readonly string[]) =>
      groupBy(
        ids,
        await read.unit.select(db, anyId(orgUnits.parentId, ids), sql`order by ${orgUnits.code}`),
        (u) => u.parentId!,
      ),
    ),
    user: new DataLoader(async (ids: readonly string[]) =>
      byId(ids, await read.user.select(db, anyId(users.id, ids))),
    ),
    grants: new DataLoader(async (ids: readonly string[]) =>
      groupBy(ids, await read.grant.select(db, anyId(roleGrants.userId, ids)), (g) => g.userId),
    ),
    partner: new DataLoader(async (ids: readonly string[]) =>
      byId(ids, await read.partner.select(db, anyId(partners.id, ids))),
    ),
    /** D34: the open units of a province, for the lines' routing. */
    provinceUnits: new DataLoader((ids: readonly string[]) => unitsOfProvinces(db, ids)),
    ...createComplaintLoaders(db),
  };
}

/** How a child table of complaints is read: its rows, in `order` (built once, not per request). */
function childTable<T extends PgTable & { complaintId: AnyColumn }>(
  table: T,
  ...order: AnyColumn[]
) {
  return { table, reader: rowReader(table), orderBy: sql`order by ${sql.join(order, sql`, `)}` };
}

const CHILDREN = {
  assignments: childTable(assignments, assignments.assignedAt, assignments.id),
  investigations: childTable(investigations, investigations.recordedAt, investigations.id),
  findings: childTable(
    responsibilityFindings,
    responsibilityFindings.determinedAt,
    responsibilityFindings.id,
  ),
  contacts: childTable(customerContacts, customerContacts.at, customerContacts.id),
  callbacks: childTable(callbacks, callbacks.at, callbacks.id),
  supervisionNotes: childTable(supervisionNotes, supervisionNotes.at, supervisionNotes.id),
  clocks: childTable(slaClocks, slaClocks.startedAt, slaClocks.kind),
  // DOMAIN §10: supervision ledgers (D73), transfers' feedback (D74), extensions (D78).
  supervisions: childTable(supervisions, supervisions.openedAt, supervisions.id),
  progressReports: childTable(progressReports, progressReports.at, progressReports.id),
  transferFeedback: childTable(transferFeedback, transferFeedback.at, transferFeedback.id),
  extensions: childTable(extensions, extensions.requestedAt, extensions.id),
};

/** Rows of a child table of complaints, grouped by complaint. */
function children<T extends PgTable & { complaintId: AnyColumn }>(
  db: Db,
  child: ReturnType<typeof childTable<T>>,
) {
  type Row = T['$inferSelect'] & { complaintId: string };
  return new DataLoader(async (ids: readonly string[]) =>
    groupBy(
      ids,
      (await child.reader.select(db, anyId(child.table.complaintId, ids), child.orderBy)) as Row[],
      (r) => r.complaintId,
    ),
  );
}

/** Complaint rows and their children. Rows only: whether the viewer may read them is decided by the caller (src/graphql/complaint.ts). */
export function createComplaintLoaders(db: Db) {
  return {
    complaint: new DataLoader(async (ids: readonly string[]) =>
      byId(ids, await read.complaint.select(db, anyId(complaints.id, ids))),
    ),
    assignments: children(db, CHILDREN.assignments),
    investigations: children(db, CHILDREN.investigations),
    findings: children(db, CHILDREN.findings),
    contacts: children(db, CHILDREN.contacts),
    callbacks: children(db, CHILDREN.callbacks),
    supervisionNotes: children(db, CHILDREN.supervisionNotes),
    clocks: children(db, CHILDREN.clocks),
    supervisions: children(db, CHILDREN.supervisions),
    progressReports: children(db, CHILDREN.progressReports),
    transferFeedback: children(db, CHILDREN.transferFeedback),
    extensions: children(db, CHILDREN.extensions),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** After a case changed: the request forgets what it had loaded of it and learns its new row. */
export function relearnCase(l: Loaders, row: { id: string } & Record<string, unknown>) {
  for (const loader of [
    l.assignments,
    l.investigations,
    l.findings,
    l.contacts,
    l.callbacks,
    l.supervisionNotes,
    l.clocks,
    l.supervisions,
    l.progressReports,
    l.transferFeedback,
    l.extensions,
  ])
    loader.clear(row.id);
  l.complaint.clear(row.id).prime(row.id, row as never);
}
