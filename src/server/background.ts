import type { Config } from '../config/index.js';
import { startHotspotWatcher } from '../domain/hotspots.js';
import { anonymiseExpired } from '../domain/retention.js';
import { compactMeasures } from '../domain/stats-measures.js';
import { compactStatsRollup } from '../domain/stats-rollup.js';
import { startChainVerification } from '../events/verify-schedule.js';
import type { Services } from '../graphql/context.js';
import { startScanner } from '../sla/scanner.js';
import type { Logger } from './logger.js';

export type BackgroundJobOptions = {
  /** How often the retention job runs (hourly in production). */
  retentionIntervalMs?: number;
  /** Issue 25: fold the statistics rollup's delta rows every minute. */
  rollup?: boolean;
  /** Issue 26: verify every case's event chain every CHAIN_VERIFY_INTERVAL_HOURS. */
  chainVerification?: boolean;
};

/**
 * The jobs every instance runs beside the API (src/server/main.ts; test/live/instance.ts with
 * INSTANCE_WATCHERS=1): the SLA scanner, the hotspot watcher, retention, and (unless turned off) the
 * statistics rollup compaction and the chain verification. Errors are logged; `stop()` ends them all.
 */
export function startBackgroundJobs(
  services: Services,
  config: Config,
  logger: Logger,
  {
    retentionIntervalMs = 3_600_000,
    rollup = true,
    chainVerification = true,
  }: BackgroundJobOptions = {},
): { stop(): Promise<void> } {
  const report = (what: string) => (err: unknown) => logger.error({ err }, what);
  const scanner = startScanner(
    services.db,
    services.clock,
    config.sla.scanIntervalMs,
    report('SLA scan failed'),
  );
  // D76: the hotspot watcher, on every instance (one alert per key and hour, decided by the alerts' unique key).
  const hotspots = startHotspotWatcher(
    services.db,
    services.clock,
    { ...config.hotspot },
    report('hotspot watch failed'),
  );
  // D15: retention, hourly on every instance (work is claimed with SKIP LOCKED).
  const retention = setInterval(() => {
    void (async () => {
      while (
        (await anonymiseExpired(
          services.db,
          services.clock.now(),
          config.retentionYears,
          services.lines,
        )) > 0
      );
    })().catch(report('anonymisation failed'));
  }, retentionIntervalMs);
  retention.unref();
  // Issue 25: fold the statistics rollup's delta rows every minute (one instance at a time; exact either way).
  const compaction = rollup
    ? setInterval(() => {
        compactStatsRollup(services.db).catch(report('statistics rollup compaction failed'));
        compactMeasures(services.db).catch(report('statistics measures compaction failed'));
      }, 60_000)
    : undefined;
  compaction?.unref();
  // Issue 26: every case's event chain verified every CHAIN_VERIFY_INTERVAL_HOURS, by one instance at a time.
  const chains = chainVerification
    ? startChainVerification({
        database: services.database,
        clock: services.clock,
        intervalHours: config.chainVerifyIntervalHours,
        logger,
      })
    : null;
  return {
    stop: async () => {
      clearInterval(retention);
      clearInterval(compaction);
      await scanner.stop();
      await chains?.stop();
      await hotspots.stop();
    },
  };
}
