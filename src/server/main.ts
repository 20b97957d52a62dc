import { createServer } from 'node:http';
import { seedDemoComplaints } from '../../demo/complaints.js';
import { seedDemo } from '../../demo/org.js';
import { systemClock } from '../config/clock.js';
import { loadConfigOrExit } from '../config/index.js';
import { reportCalendarWarnings } from '../sla/calendar-years.js';
import { createApp } from './app.js';
import { startBackgroundJobs } from './background.js';
import { boot } from './boot.js';
import { refreshGauges } from './gauges.js';
import { listen, listenOn } from './http.js';
import { createLogger } from './logger.js';
import { metricsResponse } from './metrics.js';
import { guardProcess } from './process-guard.js';
import { startupProblem } from './startup.js';
import { startTracing } from './tracing.js';

// `npm start`: validate the environment, migrate, bootstrap, (demo) seed, serve.
async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config);
  guardProcess(logger);
  // The port first, then the database, then seeding (issue 19): either failing is one line and a non-zero exit
  // before anything is written. Until the app is ready the port answers 503.
  const httpServer = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end('starting\n');
  });
  await listenOn(httpServer, config.port, config.host).catch(fatal);
  const metricsServer = config.metrics.port !== null ? createServer() : null;
  if (metricsServer) await listenOn(metricsServer, config.metrics.port!, config.host).catch(fatal);
  const services = await boot(config, systemClock).catch(fatal);
  // D35: a failed after-commit hook is logged (and counted in /metrics); the event stands.
  services.lines.onHookError = (err, where) =>
    logger.error({ err, ...where }, 'after-commit hook failed');
  const demo = config.seedDemo ? await seedDemo(services) : null;
  if (demo) {
    const started = Date.now();
    const seeded = await seedDemoComplaints(services, {
      onStart: (n) =>
        console.log(
          `Seeding the demo data (${n} complaints through the lifecycle, about a minute on first start)…`,
        ),
    });
    if (seeded)
      logger.info({ complaints: seeded, ms: Date.now() - started }, 'demo complaints seeded');
  }
  // D27: say at start what the calendar lacks (also in /readyz, /metrics and dutyBriefing.warnings).
  await reportCalendarWarnings(services.db, services.clock.now(), (w) =>
    logger.warn({ calendar: true }, w),
  );
  // Issue 26: OpenTelemetry only when an OTLP endpoint is configured (nothing of it is loaded otherwise).
  const tracing = await startTracing(config.tracing);
  if (tracing)
    logger.info(
      {
        endpoint: config.tracing.tracesEndpoint ?? config.tracing.endpoint,
        service: config.tracing.serviceName,
      },
      'tracing to OTLP',
    );
  const app = createApp(services, { logger, plugins: tracing ? [tracing.plugin] : [] });
  // D76, D15, issues 25 and 26: the scanner, hotspot watcher, retention, rollup and chain verification.
  const jobs = startBackgroundJobs(services, config, logger);
  const server = await listen(app, { port: config.port, host: config.host, server: httpServer });
  if (metricsServer) {
    // GET /metrics on its own port (METRICS_PORT), for a scraper on the inside network; METRICS_TOKEN still applies.
    metricsServer.on('request', (req, res) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/metrics')
        return void res.writeHead(404).end('not found\n');
      void metricsResponse(app.metrics, req.headers.authorization, config.metrics.token, () =>
        refreshGauges(services, app.metrics),
      ).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers)).end(await r.text());
      });
    });
  }

  logger.info({ url: server.url, database: services.database.kind }, 'listening');
  const lines = [
    '',
    `  Complaint platform on ${server.url}  (${services.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
    config.production ? '' : `  GraphiQL:   open ${server.url} in a browser`,
    `  Duty board: open ${server.url.replace('/graphql', '/board')} in a browser`,
    `  Health:     ${server.url.replace('/graphql', '/healthz')}  ${server.url.replace('/graphql', '/readyz')}`,
  ];
  if (config.admin.isDemo)
    lines.push(`  Admin:      ${config.admin.username} / ${config.admin.password}`);
  if (demo) {
    lines.push(`  Demo staff (password "${demo.password}"):`);
    for (const u of demo.users) lines.push(`    ${u.username.padEnd(16)} ${u.role} @ ${u.unit}`);
    if (demo.partnerKey)
      lines.push(`  Demo partner ${demo.partnerCode}: X-API-Key: ${demo.partnerKey}`);
  }
  console.log(`${lines.filter(Boolean).join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, drainSeconds: config.drainSeconds }, 'shutting down');
    // /readyz answers 503 first, so that a load balancer stops sending before the port closes.
    app.drain();
    if (config.drainSeconds > 0)
      await new Promise((r) => setTimeout(r, config.drainSeconds * 1000));
    await server.close();
    metricsServer?.close();
    await jobs.stop();
    await services.reads.close();
    await services.database.close();
    await tracing
      ?.shutdown()
      .catch((err: unknown) => logger.warn({ err }, 'tracing shutdown failed'));
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * A start-up failure the operator can act on (port taken, database unreachable or refusing us): one line on
 * stderr and exit 1, no stack. Anything else is a bug: its stack, exit 1.
 */
function fatal(e: unknown): never {
  const line = startupProblem(e);
  if (line) {
    console.error(line);
    process.exit(1);
  }
  throw e;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
