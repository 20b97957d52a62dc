import { gt, sql } from 'drizzle-orm';
import { hotspotAlerts } from '../db/schema.js';
import { HOTSPOTS_CHANNEL, type HotspotAlertRow } from '../domain/hotspots.js';
import { feedsOf, type PositionFeed } from '../live/position-feed.js';

/** The relay of HOTSPOT alerts on one server instance (D76): the alerts table read by position (src/live/position-feed.ts). */
export type HotspotFeed = PositionFeed<HotspotAlertRow>;

/** The instance's hotspot relay for a database, started on first use. */
export const hotspotFeedFor = feedsOf<HotspotAlertRow>({
  channel: HOTSPOTS_CHANNEL,
  last: async (database) => {
    const [row] = await database.db
      .select({ last: sql<string>`coalesce(max(${hotspotAlerts.position}), 0)::text` })
      .from(hotspotAlerts);
    return BigInt(row!.last);
  },
  after: (database, position, limit) =>
    database.db
      .select()
      .from(hotspotAlerts)
      .where(gt(hotspotAlerts.position, position))
      .orderBy(hotspotAlerts.position)
      .limit(limit),
});
