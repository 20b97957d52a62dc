import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The runtime contract: every setting a deployment may give, read and
 * validated once at start. An invalid environment fails with one message
 * listing every problem, before anything else happens.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** Issue 25: a streaming replica of DATABASE_URL for lists, statistics, exports and reports. */
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_USERNAME: z.string().min(1).optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters (D52)').optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SEED_DEMO: z.enum(['0', '1']).optional(),
  SLA_SCAN_INTERVAL_MS: z.coerce.number().int().positive().default(15_000),
  SLA_WARN_RATIO: z.coerce.number().gt(0).lt(1).default(0.8),
  HOTSPOT_MIN_COUNT: z.coerce.number().int().positive().default(10),
  HOTSPOT_RATIO: z.coerce.number().positive().default(3),
  HOTSPOT_SCAN_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  RETENTION_YEARS: z.coerce.number().int().positive().default(3),
  ACCEPTANCE_WINDOW_MONTHS: z.coerce.number().int().positive().default(24),
  ACCEPTANCE_WINDOW_MONTHS_BY_LINE: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
          .every((x) => /^[a-z][a-z0-9-]*=[1-9]\d*$/.test(x)),
      'must be a comma-separated list of line=months, e.g. some-line=5',
    ),
  SECOND_CALLBACK_SAMPLE: z.coerce.number().min(0).max(1).default(0.1),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  /** Issue 25: PostgreSQL's JIT compilation for this platform's statements (off: it costs more than it saves here). */
  DATABASE_JIT: z.enum(['on', 'off']).default('off'),
  /** Issue 25: the longest `totalCount` may take on PostgreSQL before it answers QUERY_TIMEOUT (0: no limit of its own). */
  COUNT_TIMEOUT_MS: z.coerce.number().int().min(0).default(2000),
  DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(0),
  CHAIN_VERIFY_INTERVAL_HOURS: z.coerce.number().min(0).default(24),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url('must be a URL such as http://otel-collector:4318')
    .optional()
    .or(z.literal('')),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .string()
    .url('must be a URL such as http://otel-collector:4318/v1/traces')
    .optional()
    .or(z.literal('')),
  OTEL_SERVICE_NAME: z.string().min(1).default('complaint-platform'),
  MAX_SUBSCRIPTIONS_PER_VIEWER: z.coerce.number().int().positive().default(50),
  PARTNER_RATE_PER_SECOND: z.coerce.number().positive().default(10),
  PARTNER_RATE_BURST: z.coerce.number().int().positive().default(50),
  STAFF_RATE_PER_SECOND: z.coerce.number().positive().default(50),
  STAFF_RATE_BURST: z.coerce.number().int().positive().default(200),
  LOGIN_MAX_FAILURES_PER_USERNAME: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  WS_MAX_SOCKETS: z.coerce.number().int().positive().default(10_000),
  WS_ANONYMOUS_MAX: z.coerce.number().int().positive().default(500),
  WS_ANONYMOUS_PER_ADDRESS: z.coerce.number().int().positive().default(10),
  WS_ANONYMOUS_IDLE_MS: z.coerce.number().int().positive().default(30_000),
  LIVE_FAST_PATH: z.enum(['0', '1']).default('1'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_OPERATIONS: z.string().optional(),
  EXPORT_MAX_ROWS: z.coerce.number().int().positive().default(100_000),
  CORS_ORIGINS: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)
          .every((o) => (o === '*' ? false : /^https?:\/\/[^/\s]+$/.test(o))),
      'must be a comma-separated list of origins such as https://portal.example.com (no paths, no *)',
    ),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | null;
  /** A streaming replica for lag-tolerant reads (issue 25); null: everything reads the primary. */
  databaseReplicaUrl: string | null;
  dataDir: string;
  jwtSecret: string;
  admin: { username: string; password: string; isDemo: boolean };
  production: boolean;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: (typeof LOG_LEVELS)[number];
  seedDemo: boolean;
  sla: { scanIntervalMs: number; warnRatio: number };
  /** D76: a key is hot when its last 60 minutes hold at least `minCount` cases and `ratio` times its 4-week average; the watcher's period. */
  hotspot: { minCount: number; ratio: number; scanIntervalMs: number };
  retentionYears: number;
  /** D8: months back from acceptance; `byLine` overrides what a line's plugin declares. */
  acceptanceWindowMonths: { default: number; byLine: Readonly<Record<string, number>> };
  secondCallbackSample: number;
  /** PostgreSQL: connections per instance, and the longest a statement may run (0: no limit). */
  database: { poolMax: number; statementTimeoutMs: number; jit: boolean; countTimeoutMs: number };
  /** On SIGTERM, how long /readyz answers 503 (draining) before the server stops accepting. */
  drainSeconds: number;
  /** Issue 26: how often every case's event chain is verified (one instance at a time); 0: never (on schedule). */
  chainVerifyIntervalHours: number;
  /** Issue 26: OpenTelemetry tracing (src/server/tracing.ts); off while both endpoints are null. */
  tracing: { endpoint: string | null; tracesEndpoint: string | null; serviceName: string };
  maxSubscriptionsPerViewer: number;
  partnerRate: { perSecond: number; burst: number };
  staffRate: { perSecond: number; burst: number };
  /** D52: failed logins before a lock-out, per username and per client address, within the window (also the lock-out's length). */
  login: { maxPerUsername: number; maxPerAddress: number; windowMinutes: number };
  /** Issue 19: sockets in all, anonymous ones (before or without credentials) in all and per address, and their idle time-out. */
  ws: {
    maxSockets: number;
    anonymousMax: number;
    anonymousPerAddress: number;
    anonymousIdleMs: number;
  };
  /** Live feeds (src/live): `fastPath` shares executions per audience and writes frames directly; off (LIVE_FAST_PATH=0), plain graphql-ws, for diagnosis. */
  live: { fastPath: boolean };
  /** GET /metrics: a bearer token it needs, a port of its own (then not on PORT), operation names it labels by name. */
  metrics: { token: string | null; port: number | null; operations: string[] };
  /** Issue 18: the most rows one CSV export writes (a trailer line says when it stopped there). */
  exportMaxRows: number;
  /** Origins (scheme://host[:port]) a browser may call the API from besides the server's own; default none. */
  corsOrigins: string[];
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEMO_ADMIN = { username: 'admin', password: 'admin-demo-password' };

/** Reads the environment. Embedded mode (no DATABASE_URL) fills in what a new user should not have to set. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const embedded = !e.DATABASE_URL;
  const problems: string[] = [];
  if (!embedded) {
    if (!e.JWT_SECRET) problems.push('  JWT_SECRET: required when DATABASE_URL is set');
    if (!e.ADMIN_USERNAME) problems.push('  ADMIN_USERNAME: required when DATABASE_URL is set');
    if (!e.ADMIN_PASSWORD) problems.push('  ADMIN_PASSWORD: required when DATABASE_URL is set');
  }
  if (embedded && e.DATABASE_REPLICA_URL)
    problems.push(
      '  DATABASE_REPLICA_URL: needs DATABASE_URL (the embedded database has no replica)',
    );
  if (e.NODE_ENV === 'production' && embedded) {
    problems.push(
      '  DATABASE_URL: required in production (the embedded database is for trying the platform out)',
    );
  }
  if (problems.length) throw new ConfigError(`Invalid environment:\n${problems.join('\n')}`);

  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    databaseReplicaUrl: e.DATABASE_REPLICA_URL ?? null,
    dataDir,
    jwtSecret: e.JWT_SECRET ?? (embedded ? embeddedSecret(dataDir) : ''),
    admin: {
      username: e.ADMIN_USERNAME ?? DEMO_ADMIN.username,
      password: e.ADMIN_PASSWORD ?? DEMO_ADMIN.password,
      isDemo: !e.ADMIN_PASSWORD,
    },
    production: e.NODE_ENV === 'production',
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    seedDemo: embedded ? e.SEED_DEMO !== '0' : e.SEED_DEMO === '1',
    sla: { scanIntervalMs: e.SLA_SCAN_INTERVAL_MS, warnRatio: e.SLA_WARN_RATIO },
    hotspot: {
      minCount: e.HOTSPOT_MIN_COUNT,
      ratio: e.HOTSPOT_RATIO,
      scanIntervalMs: e.HOTSPOT_SCAN_INTERVAL_MS,
    },
    retentionYears: e.RETENTION_YEARS,
    acceptanceWindowMonths: {
      default: e.ACCEPTANCE_WINDOW_MONTHS,
      byLine: Object.fromEntries(
        e.ACCEPTANCE_WINDOW_MONTHS_BY_LINE.split(',')
          .map((x) => x.trim())
          .filter(Boolean)
          .map((x) => [x.split('=')[0]!, Number(x.split('=')[1])]),
      ),
    },
    secondCallbackSample: e.SECOND_CALLBACK_SAMPLE,
    database: {
      poolMax: e.DATABASE_POOL_MAX,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      jit: e.DATABASE_JIT === 'on',
      countTimeoutMs: e.COUNT_TIMEOUT_MS,
    },
    drainSeconds: e.DRAIN_SECONDS,
    chainVerifyIntervalHours: e.CHAIN_VERIFY_INTERVAL_HOURS,
    tracing: {
      endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT || null,
      tracesEndpoint: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || null,
      serviceName: e.OTEL_SERVICE_NAME,
    },
    maxSubscriptionsPerViewer: e.MAX_SUBSCRIPTIONS_PER_VIEWER,
    partnerRate: { perSecond: e.PARTNER_RATE_PER_SECOND, burst: e.PARTNER_RATE_BURST },
    staffRate: { perSecond: e.STAFF_RATE_PER_SECOND, burst: e.STAFF_RATE_BURST },
    login: {
      maxPerUsername: e.LOGIN_MAX_FAILURES_PER_USERNAME,
      maxPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMinutes: e.LOGIN_WINDOW_MINUTES,
    },
    live: { fastPath: e.LIVE_FAST_PATH === '1' },
    ws: {
      maxSockets: e.WS_MAX_SOCKETS,
      anonymousMax: e.WS_ANONYMOUS_MAX,
      anonymousPerAddress: e.WS_ANONYMOUS_PER_ADDRESS,
      anonymousIdleMs: e.WS_ANONYMOUS_IDLE_MS,
    },
    metrics: {
      token: e.METRICS_TOKEN ?? null,
      port: e.METRICS_PORT ?? null,
      operations: (e.METRICS_OPERATIONS ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    },
    exportMaxRows: e.EXPORT_MAX_ROWS,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean),
  };
}

/** In embedded mode the signing secret is generated once and kept beside the data. */
function embeddedSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** A configuration for tests: embedded-style defaults, nothing written to disk. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({
      DATABASE_URL: 'postgres://unused',
      JWT_SECRET: 'test-secret-test-secret-test-secret-42',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'admin-test-password',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
    }),
    databaseUrl: null,
    ...overrides,
  };
}

/** A command's start: the validated configuration, or the one message listing every problem and exit code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}
