import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, type ValidationContext } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { defineAbilityFor } from '../auth/abilities.js';
import { credentialsFrom, identify, type Viewer } from '../auth/viewer.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import type { Db } from '../db/client.js';
import { viewerKeyOf } from '../db/replica.js';
import type { Context, Services } from '../graphql/context.js';
import { createLoaders } from '../graphql/loaders.js';
import { getSchema } from '../graphql/schema.js';
import { learnEvent } from '../graphql/subscriptions.js';
import { useSharedSubscriptionExecution } from '../live/shared-subscriptions.js';
import type { OperationSocket } from '../live/socket.js';
import { calendarWarnings } from '../sla/calendar-years.js';
import { useBoard } from './board.js';
import { COST, usePageCost } from './cost.js';
import { useExports } from './exports.js';
import { refreshGauges } from './gauges.js';
import { graphiqlOptions } from './graphiql.js';
import type { Logger } from './logger.js';
import { createMetrics, errorIdOf, type Metrics, useObservability } from './metrics.js';
import {
  createRateLimiter,
  databaseUnavailable,
  MAX_BODY_BYTES,
  requestIdOf,
  useAuthGuard,
  useDatabaseGate,
  useHealth,
  useInputLimits,
  useMultipartLimit,
  useNoSuggestions,
  useRateLimit,
  useReadYourWrites,
  useRequestId,
  useRootRedirect,
  useSingleLogin,
} from './plugins.js';
import { useReportPages } from './report-page.js';
import { corsFor, useSecurityHeaders } from './security.js';

type InitialContext = {
  request?: Request;
  /** Set by the WebSocket server after connection_init. */
  socketViewer?: Viewer | null;
  /** Set by the WebSocket server: the socket, for this operation. */
  socket?: OperationSocket;
  /** Set by the WebSocket server: the client's address. */
  clientAddress?: string;
  /** Node's request, when yoga runs under node:http (the client's address). */
  req?: { socket?: { remoteAddress?: string } };
};

export type App = {
  yoga: YogaServerInstance<InitialContext, Context>;
  /** Shutting down: /readyz answers 503 from now on. */
  drain(): void;
  services: Services;
  metrics: Metrics;
};

/**
 * The GraphQL application, without a port: tests call `app.yoga.fetch(...)`
 * in-process; src/server/http.ts puts it on a port with graphql-ws beside it.
 * Every server concern is a named plugin in the one list below, and the
 * WebSocket server runs the same list through `yoga.getEnveloped`.
 */
/**
 * Armor's validation rules report a refusal as an ordinary validation error
 * (HTTP 400, like any invalid document) instead of throwing it.
 */
const refuse = {
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, error: GraphQLError) =>
      ctx?.reportError(
        new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
          extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
        }),
      ),
  ],
};

/**
 * Yoga's own log calls, into pino. An Error goes in as `err`, never as its message or stack in the text:
 * the logger's serializer (errorForLog) decides what of it is written, since a failed statement's error
 * carries the customer's data it was given. Yoga logs every error it masks; those already have their
 * "internal error" line with the errorId (`reported`), so they are not written twice.
 */
function yogaLogging(logger: Logger, reported: WeakSet<object>) {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const err = args.find((a) => a instanceof Error);
      if (err && reported.has(err)) return;
      const text = args
        .filter((a) => !(a instanceof Error))
        .map(String)
        .join(' ');
      if (err) logger[level]({ err }, text || 'yoga');
      else logger[level](text);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A request's context: the viewer, its abilities and fresh per-request loaders. */
export function contextFor(
  services: Services,
  viewer: Viewer | null,
  requestId: string,
  socket?: OperationSocket,
): Context {
  let reader: Promise<Db> | undefined;
  return {
    services,
    db: services.db,
    reader: () =>
      (reader ??= services.reads
        ? services.reads.readerFor(viewer ? viewerKeyOf(viewer) : null)
        : Promise.resolve(services.db)),
    viewer,
    ability: defineAbilityFor(viewer, services.lines.abilities),
    loaders: createLoaders(services.db),
    requestId,
    socket,
  };
}

export function createApp(
  services: Services,
  opts: {
    logger?: Logger /** Last in the list, e.g. tracing (src/server/tracing.ts). */;
    plugins?: Plugin[];
  } = {},
): App {
  const { config } = services;
  const metrics = createMetrics();
  const drainState = { draining: false };
  const reported = new WeakSet<object>();
  // One per-viewer limiter for GraphQL operations and the CSV exports (issue 19).
  const limiter = createRateLimiter({ partner: config.partnerRate, staff: config.staffRate });
  const yoga = createYoga<InitialContext, Context>({
    schema: getSchema(services.lines),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // D57: over 1 MiB is 413 before parsing: by Content-Length, or as the stream passes the limit (chunked bodies
    // of every type, forms and multipart included: a reader of our own parsed them all as JSON, issue 19).
    maxRequestBodySize: MAX_BODY_BYTES,
    graphiql: config.production ? false : graphiqlOptions,
    cors: corsFor(config),
    renderGraphiQL,
    logging: opts.logger ? yogaLogging(opts.logger, reported) : false,
    context: async (initial): Promise<Context> => {
      const { viewer, problem } =
        initial.socketViewer !== undefined
          ? { viewer: initial.socketViewer, problem: null }
          : await identify(
              services.db,
              config.jwtSecret,
              credentialsFrom((name) => initial.request?.headers.get(name) ?? null),
              services.clock.now(),
            );
      const ctx = contextFor(
        services,
        viewer ?? null,
        requestIdOf(initial.request),
        initial.socket,
      );
      ctx.clientAddress = initial.clientAddress ?? initial.req?.socket?.remoteAddress ?? null;
      if (opts.logger) ctx.log = opts.logger;
      return problem ? { ...ctx, credentialsProblem: problem } : ctx;
    },
    // Unexpected errors reach clients as "Unexpected error." with an id, never a stack; the error's log line and the
    // operation's (which has the request id) carry the id.
    maskedErrors: {
      maskError: (error, message, isDev) => {
        // The database went away under the request (a restart): a retryable 503, not an internal error (issue 19).
        if (isDatabaseUnavailable(error)) {
          services.database.availability.report(error);
          if (typeof error === 'object' && error) reported.add(error); // one warning, not yoga's error line too
          opts.logger?.warn(
            { code: (error as { originalError?: { code?: string } })?.originalError?.code ?? null },
            'database unavailable: answered 503',
          );
          return databaseUnavailable();
        }
        const masked = maskError(error, message, isDev);
        if (masked.message !== message) return masked; // the client's own error (GraphQLError): passes as it is
        const errorId = errorIdOf(error); // the operation's log line names it too, with the request id
        opts.logger?.error({ err: error, errorId }, 'internal error');
        if (typeof error === 'object' && error) reported.add(error);
        return new GraphQLError(message, {
          extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
        });
      },
    },
    plugins: [
      useRequestId(), // first: every response, early ones included, carries X-Request-Id
      useRootRedirect(),
      useSecurityHeaders(),
      useBoard(), // issue 24: the duty board's page and its allow-listed files under /board
      useHealth(
        services.database,
        () => calendarWarnings(services.db, services.clock.now()),
        () => drainState.draining,
      ),
      useDatabaseGate(services.database.availability),
      useObservability(metrics, opts.logger, () => refreshGauges(services, metrics), {
        operations: config.metrics.operations,
        token: config.metrics.token,
        ownPort: config.metrics.port !== null,
        production: config.production,
      }),
      useExports(services, limiter),
      useReportPages(services, limiter), // D77: a report's page and CSV, from signed links
      // Issue 6: a GraphQL request a browser could send cross-site without a CORS preflight (a GET, or a POST
      // as a form or text/plain) must carry one of these headers; a browser adds them only after a preflight.
      // Credentials are only ever headers (no cookies), so a signed-in request carries one already; an anonymous
      // GET sends x-graphql-yoga-csrf. JSON POSTs are preflighted anyway and pass as they are (login included).
      // Checked when the request is parsed: GraphiQL, /healthz, /readyz, /metrics, the exports and graphql-ws
      // never reach it.
      useCSRFPrevention({ requestHeaders: ['authorization', 'x-api-key', 'x-graphql-yoga-csrf'] }),
      useMultipartLimit(),
      // D57: depth, aliases, tokens, directives and cost are checked before execution, on HTTP and WebSocket alike.
      EnvelopArmorPlugin({
        maxDepth: { n: 10, flattenFragments: true, ignoreIntrospection: true, ...refuse },
        maxAliases: { n: 15, ...refuse },
        maxTokens: { n: 2000 },
        maxDirectives: { n: 50, ...refuse },
        costLimit: { maxCost: COST.maxCost, ignoreIntrospection: true, ...refuse },
        blockFieldSuggestion: { enabled: false }, // useNoSuggestions below: it also covers enum values and variables
      }),
      ...(config.production ? [useNoSuggestions()] : []),
      useInputLimits(),
      usePageCost(), // the cost again once the variables are known: page sizes given in variables or defaults count (issue 19)
      useSingleLogin(opts.logger),
      useAuthGuard({ allowIntrospection: !config.production }),
      useRateLimit(limiter),
      ...(services.reads?.replicated ? [useReadYourWrites(services.reads, opts.logger)] : []),
      // LIVE_FAST_PATH=0: no shared execution, every subscription executed by yoga and sent by graphql-ws (diagnosis).
      ...(config.live.fastPath
        ? [
            useSharedSubscriptionExecution({
              prepare: learnEvent,
              counters: {
                executed: metrics.liveResults.labels('executed'),
                shared: metrics.liveResults.labels('shared'),
              },
            }),
          ]
        : []),
      ...(opts.plugins ?? []),
    ],
  });
  return {
    yoga,
    services,
    metrics,
    drain() {
      drainState.draining = true;
    },
  };
}
