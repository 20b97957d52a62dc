import { and, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { complaints } from '../../src/db/schema.js';
import type { Channel, Severity, Source, Status } from '../../src/domain/enums.js';
import type { World } from './world.js';

/**
 * Rows of `complaints` with controlled column values, inserted directly (for
 * the read side: the list, its filters and orders, which read nothing but that
 * table).
 */

export type RowSpec = {
  number?: string;
  status?: Status;
  channel?: Channel;
  source?: Source;
  businessLine?: string | null;
  category?: string | null;
  severity?: Severity | null;
  title?: string;
  description?: string;
  customerName?: string;
  customerPhone?: string;
  registeredAt?: Date;
  dueAt?: Date | null;
  escalationLevel?: number;
  /** Unit code of the handling unit (default GD); reader units are its ancestors and itself, plus `chain`'s. */
  handling?: string;
  /** Unit codes of the dispatch chain. */
  chain?: string[];
  /** Overrides the computed reader units (unit ids, as stored; a NULL element only to probe the rules' SQL). */
  readerUnits?: (string | null)[];
  /** Overrides the province (default: the handling unit's). */
  provinceId?: string;
  firstResponderId?: string | null;
  partnerId?: string | null;
};

let serial = 0;

/** A province's code by id; GD's for a province the world does not hold (a test's own, whose rows give numbers). */
const provinceCode = (w: World, id: string) =>
  Object.values(w.units).find((u) => u.id === id)?.code ?? 'GD';

/** The ids of a unit's materialised path: its ancestors and itself. */
export const pathIds = (w: World, code: string) => w.units[code]!.path.split('/').filter(Boolean);

/**
 * Inserts minimal complaint rows in one statement: required columns get
 * dummy values, the rest what the spec says. Numbers are unique per call
 * (the province's code + a serial) unless given. Returns the rows as stored.
 */
export async function insertRows(w: World, db: Db, specs: RowSpec[]) {
  if (!specs.length) return [];
  const values = specs.map((s) => {
    const unit = w.units[s.handling ?? 'GD']!;
    const readers = s.readerUnits ?? [
      ...new Set([...pathIds(w, unit.code), ...(s.chain ?? []).flatMap((c) => pathIds(w, c))]),
    ];
    const at = s.registeredAt ?? w.clock.now();
    const provinceId = s.provinceId ?? pathIds(w, unit.code)[0]!;
    serial++;
    return {
      // D5's shape (the province's code, then digits), on a date no case is registered on: the search reads numbers so.
      number: s.number ?? `${provinceCode(w, provinceId)}${String(serial).padStart(14, '0')}`,
      status: s.status ?? 'ACCEPTED',
      channel: s.channel ?? 'PHONE',
      source: s.source ?? 'CUSTOMER',
      businessLine: s.businessLine === undefined ? 'mobile' : s.businessLine,
      category: s.category === undefined ? 'NETWORK_TECHNICAL' : s.category,
      severity: s.severity === undefined ? 'ORDINARY' : s.severity,
      title: s.title ?? `Row ${serial}`,
      description: s.description ?? 'A row of the read-side tests.',
      customerName: s.customerName ?? '李四',
      customerPhone: s.customerPhone ?? '13900000000',
      contactAt: at,
      registeredAt: at,
      dueAt: s.dueAt === undefined ? null : s.dueAt,
      escalationLevel: s.escalationLevel ?? 0,
      provinceId,
      handlingUnitId: unit.id,
      handlingPath: unit.path,
      handlingLevel: unit.level,
      dispatchChain: (s.chain ?? []).map((c) => w.units[c]!.id),
      readerUnits: readers as string[],
      firstResponderId: s.firstResponderId ?? null,
      partnerId: s.partnerId ?? null,
    } satisfies typeof complaints.$inferInsert;
  });
  const rows = [];
  // PGlite and PostgreSQL both take a few hundred rows per statement comfortably.
  for (let i = 0; i < values.length; i += 200)
    rows.push(
      ...(await db
        .insert(complaints)
        .values(values.slice(i, i + 200))
        .returning()),
    );
  // drizzle's array parser on postgres-js reads a NULL element back as the string 'NULL' (PGlite: null); no uuid is 'NULL'.
  for (const r of rows)
    r.readerUnits = r.readerUnits.map((u) => (u === 'NULL' ? (null as never) : u));
  return rows;
}

/** The ids, sorted, of those of `rows` that `where` selects in the database. */
export async function idsAmong(db: Db, rows: readonly { id: string }[], where: SQL | undefined) {
  const found = await db
    .select({ id: complaints.id })
    .from(complaints)
    .where(
      and(
        inArray(
          complaints.id,
          rows.map((x) => x.id),
        ),
        where,
      ),
    );
  return found.map((x) => x.id).sort();
}
