import DataLoader from 'dataloader';
import { asc, getTableColumns, type AnyColumn } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { anyId } from '../db/any-id.js';
import type { Db } from '../db/client.js';
import {
  assignments,
  callbacks,
  complaints,
  customerContacts,
  investigations,
  orgUnits,
  partners,
  responsibilityFindings,
  roleGrants,
  slaClocks,
  supervisionNotes,
  users,
} from '../db/schema.js';

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
const { passwordHash: _hash, ...USER_COLUMNS } = getTableColumns(users);
export type UserRow = Omit<typeof users.$inferSelect, 'passwordHash'>;

/**
 * Per-request batching: every relation resolves through one of these, so a
 * page of 100 complaints costs the same number of statements as a page of 10.
 */
export function createLoaders(db: Db) {
  const unit = new DataLoader(async (ids: readonly string[]) =>
    byId(ids, await db.select().from(orgUnits).where(anyId(orgUnits.id, ids))),
  );
  return {
    unit,
    unitChildren: new DataLoader(async (ids: readonly string[]) =>
      groupBy(
        ids,
        await db.select().from(orgUnits).where(anyId(orgUnits.parentId, ids)).orderBy(asc(orgUnits.code)),
        (u) => u.parentId!,
      ),
    ),
    user: new DataLoader(async (ids: readonly string[]) =>
      byId(ids, await db.select(USER_COLUMNS).from(users).where(anyId(users.id, ids))),
    ),
    grants: new DataLoader(async (ids: readonly string[]) =>
      groupBy(ids, await db.select().from(roleGrants).where(anyId(roleGrants.userId, ids)), (g) => g.userId),
    ),
    partner: new DataLoader(async (ids: readonly string[]) =>
      byId(ids, await db.select().from(partners).where(anyId(partners.id, ids))),
    ),
    ...createComplaintLoaders(db),
  };
}

/** Rows of a child table of complaints, grouped by complaint, in `order`. */
function children<T extends PgTable & { complaintId: AnyColumn }>(db: Db, table: T, ...order: AnyColumn[]) {
  type Row = T['$inferSelect'] & { complaintId: string };
  return new DataLoader(async (ids: readonly string[]) =>
    groupBy(
      ids,
      (await db
        .select()
        .from(table as PgTable)
        .where(anyId(table.complaintId, ids))
        .orderBy(...order.map((c) => asc(c)))) as Row[],
      (r) => r.complaintId,
    ),
  );
}

/** Complaint rows and their children. Rows only: whether the viewer may read them is decided by the caller (src/graphql/complaint.ts). */
export function createComplaintLoaders(db: Db) {
  return {
    complaint: new DataLoader(async (ids: readonly string[]) =>
      byId(ids, await db.select().from(complaints).where(anyId(complaints.id, ids))),
    ),
    assignments: children(db, assignments, assignments.assignedAt, assignments.id),
    investigations: children(db, investigations, investigations.recordedAt, investigations.id),
    findings: children(db, responsibilityFindings, responsibilityFindings.determinedAt, responsibilityFindings.id),
    contacts: children(db, customerContacts, customerContacts.at, customerContacts.id),
    callbacks: children(db, callbacks, callbacks.at, callbacks.id),
    supervisionNotes: children(db, supervisionNotes, supervisionNotes.at, supervisionNotes.id),
    clocks: children(db, slaClocks, slaClocks.startedAt, slaClocks.kind),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** After a case changed: the request forgets what it had loaded of it and learns its new row. */
export function relearnCase(l: Loaders, row: { id: string } & Record<string, unknown>) {
  for (const loader of [l.assignments, l.investigations, l.findings, l.contacts, l.callbacks, l.supervisionNotes, l.clocks]) loader.clear(row.id);
  l.complaint.clear(row.id).prime(row.id, row as never);
}
