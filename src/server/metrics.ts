import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from './logger.js';

/**
 * Prometheus metrics at GET /metrics, and one structured log line per
 * GraphQL operation (request id, viewer, operation name, duration, error
 * codes; never variables or results, so never personal data).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    operations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations by name, type and outcome',
      labelNames: ['operation', 'type', 'outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation latency',
      labelNames: ['operation', 'type'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors by operation and code',
      labelNames: ['operation', 'code'] as const,
      registers: [registry],
    }),
    sockets: new Gauge({
      name: 'graphql_ws_open_sockets',
      help: 'Open graphql-ws sockets',
      registers: [registry],
    }),
    scannerLag: new Gauge({
      name: 'sla_scanner_lag_seconds',
      help: 'Age of the oldest passed warning or due time not yet alerted',
      registers: [registry],
    }),
    hookFailures: new Gauge({
      name: 'plugin_after_hook_failures',
      help: "Business lines' after-commit hooks that failed on this instance since it started (D35), by line",
      labelNames: ['line'] as const,
      registers: [registry],
    }),
    calendarWarnings: new Gauge({
      name: 'sla_calendar_warnings',
      help: 'Statutory calendar years missing (D27): this year not loaded, or next year not loaded from 1 November; 0 when all is well',
      registers: [registry],
    }),
    liveResults: new Counter({
      name: 'graphql_subscription_results_total',
      help: 'Live event results by how they were made: executed, or shared with another subscription of the same audience',
      labelNames: ['how'] as const,
      registers: [registry],
    }),
    chainsVerifiedAt: new Gauge({
      name: 'event_chain_verification_last_run_timestamp_seconds',
      help: 'When the last scheduled verification of every case’s event chain started (Unix time); 0 when none has run',
      registers: [registry],
    }),
    chainsBroken: new Gauge({
      name: 'event_chain_verification_broken_cases',
      help: 'Cases whose event chain the last verification found broken (D51); 0 when all verify',
      registers: [registry],
    }),
    relayLag: new Gauge({
      name: 'event_relay_lag_events',
      help: 'Events committed but not yet offered to this instance’s subscribers',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

type Ctx = { requestId?: string; viewer?: { kind: string; id: string } | null };

/**
 * An error's code for the metrics and the log line. Errors are counted before they are masked: one thrown
 * inside (it wraps a non-GraphQL error) is INTERNAL_SERVER_ERROR; a GraphQLError without a code is the
 * request's own (variables of the wrong shape, an unknown operation name), BAD_REQUEST, so a client's
 * mistakes do not count as the server's failures.
 */
function codeOf(e: GraphQLError): string {
  if (e.extensions?.code !== undefined) return String(e.extensions.code);
  return e.originalError && !(e.originalError instanceof GraphQLError)
    ? 'INTERNAL_SERVER_ERROR'
    : 'BAD_REQUEST';
}

const errorIds = new WeakMap<object, string>();

/**
 * The id of an internal error: the same for the operation's log line (written before masking, with the
 * request id) and the masked error the client gets (with the error's own log line), so one finds the other.
 */
export function errorIdOf(error: unknown): string {
  const key = (
    typeof error === 'object' && error !== null
      ? ((error as GraphQLError).originalError ?? error)
      : { error }
  ) as object;
  let id = errorIds.get(key);
  if (!id) errorIds.set(key, (id = randomUUID()));
  return id;
}

export type ObservabilityOptions = {
  /** Operation names counted by name (besides the schema's root fields); any other name is `other`. */
  operations?: readonly string[];
  /** GET /metrics needs `Authorization: Bearer <token>` (else 401). */
  token?: string | null;
  /** GET /metrics is served on a port of its own (`metricsHandler`), not here: 404. */
  ownPort?: boolean;
  /** Without a token or an own port, /metrics is open outside production only (else 404). */
  production?: boolean;
};

/**
 * Issue 19: the `operation` label of the metrics is bounded: a name of the known list (the root fields of the
 * schema, and METRICS_OPERATIONS), `anonymous` for an operation without a name, else `other`. The log line
 * keeps the name the client sent (cut to 100 characters).
 */
export function operationLabel(
  name: string | null | undefined,
  known: ReadonlySet<string>,
): string {
  if (!name) return 'anonymous';
  return known.has(name) ? name : 'other';
}

/** GET /metrics: the registry, behind the bearer token when one is set (compared in constant time). */
export async function metricsResponse(
  metrics: Metrics,
  authorization: string | null | undefined,
  token: string | null | undefined,
  refresh?: () => Promise<void>,
): Promise<Response> {
  if (token) {
    const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '');
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return new Response('metrics need Authorization: Bearer <METRICS_TOKEN>\n', {
        status: 401,
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
  }
  await refresh?.().catch(() => {});
  return new Response(await metrics.registry.metrics(), {
    headers: { 'content-type': metrics.registry.contentType },
  });
}

export function useObservability(
  metrics: Metrics,
  logger?: Logger,
  refresh?: () => Promise<void>,
  opts: ObservabilityOptions = {},
): Plugin<Ctx> {
  let known: Set<string> | undefined;
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics') return;
      if (opts.ownPort || (!opts.token && opts.production))
        return endResponse(new fetchAPI.Response('not found\n', { status: 404 }));
      endResponse(
        await metricsResponse(metrics, request.headers.get('authorization'), opts.token, refresh),
      );
    },
    onExecute({ args }) {
      const started = performance.now();
      const op = (args.document as DocumentNode).definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      );
      const type = op?.operation ?? 'query';
      const sent = args.operationName ?? op?.name?.value ?? null;
      const schema = args.schema as GraphQLSchema;
      known ??= new Set([
        ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
        ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
        ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}),
        ...(opts.operations ?? []),
      ]);
      const operation = operationLabel(sent, known);
      const named = sent ? sent.slice(0, 100) : 'anonymous';
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result) && !('data' in result)) return; // a stream (subscription): counted at subscribe
          const seconds = (performance.now() - started) / 1000;
          const errors = 'errors' in result ? (result.errors ?? []) : [];
          const codes = errors.map(codeOf);
          metrics.operations.inc({ operation, type, outcome: codes.length ? 'error' : 'ok' });
          metrics.duration.observe({ operation, type }, seconds);
          for (const code of codes) metrics.errors.inc({ operation, code });
          const viewer = args.contextValue.viewer;
          const internal = errors
            .filter((_e, i) => codes[i] === 'INTERNAL_SERVER_ERROR')
            .map(errorIdOf);
          logger?.info(
            {
              requestId: args.contextValue.requestId,
              viewer: viewer ? `${viewer.kind}:${viewer.id}` : null,
              operation: named,
              type,
              ms: Math.round(seconds * 1000),
              errors: codes.length ? codes : undefined,
              errorIds: internal.length ? internal : undefined,
            },
            'graphql',
          );
        },
      };
    },
  };
}
