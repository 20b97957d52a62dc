import { and, desc, gte, lt, type SQL, sql } from 'drizzle-orm';
import { type Clock, repeatEvery } from '../config/clock.js';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { hotspotAlerts, registrationMinutes } from '../db/schema.js';
import { escapeLike } from './org.js';
import { cityNamedInAddress } from './plugin.js';
import { unitsOfProvinces } from './routing.js';

/**
 * D76 hotspots. A key is the city the customer's address names (D34's rule)
 * or else the province, and the business line given at registration ('' for
 * none). Registrations are counted per key and minute in
 * `registration_minutes`, in the registration's own transaction, so a pass of
 * the watcher reads the rollup (O(keys × 60) rows for the window, four index
 * ranges per hot key for its baseline), never the cases.
 *
 * The window is the 60 whole minutes up to now (the current minute and the 59
 * before it); the baseline is the average of the same window 1, 2, 3 and 4
 * weeks earlier (the same hour of the week). A hot key raises one alert per
 * clock hour: the unique key (unit, line, hour) decides between watchers on
 * any number of instances, and only the instance whose insert succeeded
 * announces it (NOTIFY), so every subscriber hears of it once.
 */

export const HOTSPOTS_CHANNEL = 'hotspot_alerts';

export type HotspotAlertRow = typeof hotspotAlerts.$inferSelect;
export type HotspotThresholds = { minCount: number; ratio: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WEEK = 7 * 24 * HOUR;

/** The key unit of a registration: the city the address names (D34's rule), else the province. */
export async function hotspotUnit(
  tx: Db,
  provinceId: string,
  address: string | null,
): Promise<string> {
  if (!address) return provinceId;
  const [units] = await unitsOfProvinces(tx, [provinceId]);
  return (
    cityNamedInAddress(
      { businessLine: null, category: null, customerAddress: address, details: {} },
      units ?? [],
    )?.unitId ?? provinceId
  );
}

/**
 * Counts one registration in its key's minute: an `insert … on conflict do update` for the caller to
 * run inside the registration's transaction. The key's row is shared by every registration of the key
 * and minute, so its lock serialises them until they commit: `numberCase` runs it as a CTE of its own
 * statement, the one that takes the D5 counter row (issue 25), so this row is held no longer than that
 * one and costs no round trip of its own.
 */
export async function registrationCount(
  tx: Db,
  c: {
    provinceId: string;
    customerAddress: string | null;
    businessLine: string | null;
    registeredAt: Date;
  },
): Promise<SQL> {
  const unitId = await hotspotUnit(tx, c.provinceId, c.customerAddress);
  const minute = new Date(Math.floor(c.registeredAt.getTime() / MINUTE) * MINUTE);
  const r = registrationMinutes;
  return sql`insert into ${r} (${sql.identifier(r.unitId.name)}, ${sql.identifier(r.line.name)}, ${sql.identifier(r.minute.name)}, ${sql.identifier(r.count.name)})
    values (${unitId}, ${c.businessLine ?? ''}, ${minute.toISOString()}::timestamptz, 1)
    on conflict (${sql.identifier(r.unitId.name)}, ${sql.identifier(r.line.name)}, ${sql.identifier(r.minute.name)})
    do update set ${sql.identifier(r.count.name)} = ${r}.${sql.identifier(r.count.name)} + 1`;
}

/** The window of a pass at `now`: the current minute and the 59 before it, as [start, end). */
export function windowAt(now: Date) {
  const end = Math.floor(now.getTime() / MINUTE) * MINUTE + MINUTE;
  return { start: new Date(end - HOUR), end: new Date(end) };
}

/** The clock hour an alert belongs to (Asia/Shanghai's offset is whole hours, so UTC's hour boundaries are its own). */
export const clockHour = (now: Date) => new Date(Math.floor(now.getTime() / HOUR) * HOUR);

/**
 * The watcher's one statement: the keys over `minCount` in the window, their
 * baseline from the four earlier windows, and the insert of those over
 * `ratio` × baseline, skipping keys already alerted this hour. Exported for
 * bench/hotspots-explain.ts.
 */
export function watchStatement(now: Date, t: HotspotThresholds): SQL {
  const { start, end } = windowAt(now);
  const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const past = [1, 2, 3, 4].map(
    (w) =>
      sql`(r.minute >= ${iso(new Date(start.getTime() - w * WEEK))} and r.minute < ${iso(new Date(end.getTime() - w * WEEK))})`,
  );
  return sql`
    with hot as (
      select unit_id, line, sum(count)::int as n
      from registration_minutes
      where minute >= ${iso(start)} and minute < ${iso(end)}
      group by unit_id, line
      having sum(count) >= ${t.minCount}
    ), judged as materialized (
      select hot.unit_id, hot.line, hot.n,
        coalesce((select sum(r.count) from registration_minutes r
          where r.unit_id = hot.unit_id and r.line = hot.line and (${sql.join(past, sql` or `)})), 0)::float8 / 4 as baseline
      from hot
    )
    insert into hotspot_alerts (unit_id, unit_path, line, hour, window_start, count, baseline, at)
    select j.unit_id, u.path, j.line, ${iso(clockHour(now))}, ${iso(start)}, j.n, round(j.baseline::numeric, 2), ${iso(now)}
    from judged j join org_units u on u.id = j.unit_id
    where j.n >= ${t.ratio} * j.baseline
    on conflict (unit_id, line, hour) do nothing
    returning id, position::text as position`;
}

/** One pass of the watcher: raises the alerts due now and announces them; returns how many it raised. */
export async function watchOnce(db: Db, now: Date, t: HotspotThresholds): Promise<number> {
  return db.transaction(async (tx) => {
    const raised = rowsOf<{ id: string; position: string }>(
      await tx.execute(watchStatement(now, t)),
    );
    if (raised.length) {
      const last = raised.map((r) => BigInt(r.position)).reduce((a, b) => (a > b ? a : b)); // bigint: no Math.max
      await tx.execute(sql`select pg_notify(${HOTSPOTS_CHANNEL}, ${String(last)})`);
    }
    return raised.length;
  });
}

/** The watcher of one server instance: a pass every `intervalMs`, never two at once. */
export function startHotspotWatcher(
  db: Db,
  clock: Clock,
  t: HotspotThresholds & { scanIntervalMs: number },
  onError: (e: unknown) => void,
) {
  return repeatEvery(t.scanIntervalMs, () => watchOnce(db, clock.now(), t), onError);
}

/** D76 `hotspots`: alerts raised in [from, to) for keys at or below `unitPaths` (any of them), newest first. */
export async function listHotspots(
  db: Db,
  from: Date,
  to: Date,
  unitPaths: readonly string[],
  within: string | null,
): Promise<HotspotAlertRow[]> {
  if (!unitPaths.length) return [];
  const conds = [
    gte(hotspotAlerts.at, from),
    lt(hotspotAlerts.at, to),
    sql`(${sql.join(
      unitPaths.map((p) => sql`${hotspotAlerts.unitPath} like ${`${escapeLike(p)}%`}`),
      sql` or `,
    )})`,
  ];
  if (within) conds.push(sql`${hotspotAlerts.unitPath} like ${`${escapeLike(within)}%`}`);
  return db
    .select()
    .from(hotspotAlerts)
    .where(and(...conds))
    .orderBy(desc(hotspotAlerts.at), desc(hotspotAlerts.position))
    .limit(500);
}
