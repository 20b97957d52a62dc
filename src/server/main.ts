import { systemClock } from '../config/clock.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { createApp } from './app.js';
import { boot } from './boot.js';
import { seedDemoComplaints } from './demo-complaints.js';
import { seedDemo } from './demo.js';
import { listen } from './http.js';
import { startScanner } from '../sla/scanner.js';
import { anonymiseExpired } from '../domain/retention.js';
import { createLogger } from './logger.js';

// `npm start`: validate the environment, migrate, bootstrap, (demo) seed, serve.
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config);
  const services = await boot(config, systemClock);
  const demo = config.seedDemo ? await seedDemo(services) : null;
  if (demo) {
    const started = Date.now();
    const seeded = await seedDemoComplaints(services);
    if (seeded) logger.info({ complaints: seeded, ms: Date.now() - started }, 'demo complaints seeded');
  }
  const app = createApp(services, { logger });
  const scanner = startScanner(services.db, services.clock, config.sla.scanIntervalMs, (e) => logger.error({ err: e }, 'SLA scan failed'));
  // D15: retention, hourly on every instance (work is claimed with SKIP LOCKED).
  const retention = setInterval(() => {
    void (async () => {
      while ((await anonymiseExpired(services.db, services.clock.now(), config.retentionYears, services.lines)) > 0);
    })().catch((e) => logger.error({ err: e }, 'anonymisation failed'));
  }, 3_600_000);
  retention.unref();
  const server = await listen(app, { port: config.port, host: config.host });

  logger.info({ url: server.url, database: services.database.kind }, 'listening');
  const lines = [
    '',
    `  Complaint platform on ${server.url}  (${services.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
    config.production ? '' : `  GraphiQL:   open ${server.url} in a browser`,
    `  Health:     ${server.url.replace('/graphql', '/healthz')}  ${server.url.replace('/graphql', '/readyz')}`,
  ];
  if (config.admin.isDemo) lines.push(`  Admin:      ${config.admin.username} / ${config.admin.password}`);
  if (demo) {
    lines.push(`  Demo staff (password "${demo.password}"):`);
    for (const u of demo.users) lines.push(`    ${u.username.padEnd(16)} ${u.role} @ ${u.unit}`);
    if (demo.partnerKey) lines.push(`  Demo partner ${demo.partnerCode}: X-API-Key: ${demo.partnerKey}`);
  }
  console.log(lines.filter(Boolean).join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    clearInterval(retention);
    await scanner.stop();
    await services.database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
