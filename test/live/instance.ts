import { systemClock } from '../../src/config/clock.js';
import { loadConfig } from '../../src/config/index.js';
import { createApp } from '../../src/server/app.js';
import { startBackgroundJobs } from '../../src/server/background.js';
import { boot } from '../../src/server/boot.js';
import { listen } from '../../src/server/http.js';
import { createLogger } from '../../src/server/logger.js';
import { guardProcess } from '../../src/server/process-guard.js';

/**
 * One server instance as a process of its own, for test/live/multi-instance.test.ts and
 * test/resilience/faults.test.ts: what `npm start` does (validated environment, migrate, bootstrap, serve,
 * the process guard), without the SLA scanner and the demo seed, printing one JSON line `{ url, pid }` once
 * it listens. SIGTERM closes it.
 *
 * INSTANCE_WATCHERS=1 (test/scale/three-instances.test.ts) also runs what src/server/main.ts runs beside the
 * API on every instance (startBackgroundJobs in src/server/background.ts): the SLA scanner (SLA_SCAN_INTERVAL_MS),
 * the hotspot watcher (HOTSPOT_*) and the retention job, there hourly, here every RETENTION_INTERVAL_MS.
 */
const config = loadConfig();
const logger = createLogger(config, process.stderr as never);
guardProcess(logger);
const services = await boot(config, systemClock);
const server = await listen(createApp(services, { logger }), {
  port: config.port,
  host: config.host,
});
// Errors go to stderr, which the test keeps. Without main.ts's rollup compaction and chain verification.
const watchers =
  process.env.INSTANCE_WATCHERS === '1'
    ? startBackgroundJobs(services, config, logger, {
        retentionIntervalMs: Number(process.env.RETENTION_INTERVAL_MS ?? 3_600_000),
        rollup: false,
        chainVerification: false,
      })
    : null;
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  await watchers?.stop();
  await services.reads.close();
  await services.database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
