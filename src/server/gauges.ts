import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/client.js';
import { lastChainVerification } from '../events/verify-schedule.js';
import type { Services } from '../graphql/context.js';
import { runningFeed } from '../live/feed.js';
import { calendarWarnings } from '../sla/calendar-years.js';
import type { Metrics } from './metrics.js';

/** Gauges read at scrape time: how far behind the SLA scanner and this instance's event relay are, and D27's calendar warnings. */
export async function refreshGauges(services: Services, metrics: Metrics) {
  const now = services.clock.now().toISOString();
  const [lag] = rowsOf<{ seconds: number | null; head: string }>(
    await services.db.execute(sql`
      select extract(epoch from (${now}::timestamptz - min(least(
          case when not warned then warn_at end,
          case when not breached then due_at end))))::float8 as seconds,
        (select coalesce(max(position), 0)::text from complaint_events) as head
      from sla_clocks
      where stopped_at is null and paused_at is null
        and ((not warned and warn_at <= ${now}::timestamptz) or (not breached and due_at <= ${now}::timestamptz))`),
  );
  metrics.scannerLag.set(Math.max(0, Number(lag?.seconds ?? 0)));
  for (const [line, n] of services.lines.hookFailures) metrics.hookFailures.labels(line).set(n);
  metrics.calendarWarnings.set((await calendarWarnings(services.db, services.clock.now())).length);
  const chains = await lastChainVerification(services.db);
  metrics.chainsVerifiedAt.set(chains ? chains.startedAt.getTime() / 1000 : 0);
  metrics.chainsBroken.set(chains?.broken.length ?? 0);
  const feed = runningFeed(services.database);
  metrics.relayLag.set(feed ? Number(BigInt(lag?.head ?? '0') - feed.position) : 0);
}
