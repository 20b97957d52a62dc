import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { orgUnits } from '../db/schema.js';
import type { ComplaintRow } from './lifecycle.js';
import type { LineRegistry } from './lines.js';
import type { DispatchSuggestion, RoutingUnit } from './plugin.js';

/**
 * D34: where a case's line suggests dispatching it, for the province desk. A
 * suggestion only (dispatch stays a person's decision), and only of a unit
 * the province could dispatch to: an open CITY or CENTER of the case's
 * province. The rule itself is the line's (`suggest` in its plugin).
 */

/** The open units of each province (the province itself and everything below), by province id. */
export async function unitsOfProvinces(
  db: Db,
  provinceIds: readonly string[],
): Promise<RoutingUnit[][]> {
  const rows = await db
    .select({
      id: orgUnits.id,
      code: orgUnits.code,
      name: orgUnits.name,
      level: orgUnits.level,
      parentId: orgUnits.parentId,
      path: orgUnits.path,
    })
    .from(orgUnits)
    .where(
      and(
        inArray(sql`split_part(${orgUnits.path}, '/', 2)`, [...provinceIds]),
        eq(orgUnits.closed, false),
      ),
    )
    .orderBy(orgUnits.code);
  return provinceIds.map((p) =>
    rows.filter((r) => r.path.split('/')[1] === p).map(({ path: _path, ...u }) => u),
  );
}

/** The suggestion for a case, or null (no line, no rule, no match, or a unit the province cannot dispatch to). */
export function suggestDispatch(
  lines: LineRegistry,
  c: ComplaintRow,
  units: readonly RoutingUnit[],
): DispatchSuggestion | null {
  const line = c.businessLine ? lines.get(c.businessLine) : undefined;
  const s = line?.suggest?.(
    {
      businessLine: c.businessLine,
      category: c.category,
      customerAddress: c.customerAddress,
      details: c.details,
    },
    units,
  );
  if (!s) return null;
  const unit = units.find((u) => u.id === s.unitId);
  return unit &&
    (unit.level === 'CITY' || unit.level === 'CENTER') &&
    unit.parentId === c.provinceId
    ? s
    : null;
}
