import { randomUUID } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { defineAbilityFor } from '../auth/abilities.js';
import { authenticate, credentialsFrom, type Viewer } from '../auth/viewer.js';
import type { Context, Services } from '../graphql/context.js';
import { createLoaders } from '../graphql/loaders.js';
import { getSchema } from '../graphql/schema.js';
import type { Logger } from './logger.js';
import { createMetrics, useObservability, type Metrics } from './metrics.js';
import { refreshGauges } from './gauges.js';
import { useExports } from './exports.js';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import { useAuthGuard, useBodyLimit, useHealth, useRateLimit } from './plugins.js';
import { useSharedSubscriptionExecution } from './shared-subscriptions.js';

type InitialContext = {
  request?: Request;
  /** Set by the WebSocket server after connection_init. */
  socketViewer?: Viewer | null;
  /** Set by the WebSocket server: closes this socket. */
  closeSocket?: (code: number, reason: string) => void;
};

export type App = {
  yoga: YogaServerInstance<InitialContext, Context>;
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
      ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } })),
  ],
};

/** A request's context: the viewer, its abilities and fresh per-request loaders. */
export function contextFor(services: Services, viewer: Viewer | null, requestId: string, closeSocket?: Context['closeSocket']): Context {
  return {
    services,
    db: services.db,
    viewer,
    ability: defineAbilityFor(viewer, services.lines.abilities),
    loaders: createLoaders(services.db),
    requestId,
    closeSocket,
  };
}

export function createApp(services: Services, opts: { logger?: Logger } = {}): App {
  const { config } = services;
  const metrics = createMetrics();
  const yoga = createYoga<InitialContext, Context>({
    schema: getSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.production ? false : { title: 'Complaint platform' },
    renderGraphiQL,
    logging: opts.logger
      ? {
          debug: (...a) => opts.logger!.debug(a.map(String).join(' ')),
          info: (...a) => opts.logger!.info(a.map(String).join(' ')),
          warn: (...a) => opts.logger!.warn(a.map(String).join(' ')),
          error: (...a) => opts.logger!.error(a.map((x) => (x instanceof Error ? x.stack : String(x))).join(' ')),
        }
      : false,
    context: async (initial): Promise<Context> => {
      const viewer =
        initial.socketViewer !== undefined
          ? initial.socketViewer
          : await authenticate(
              services.db,
              config.jwtSecret,
              credentialsFrom((name) => initial.request?.headers.get(name) ?? null),
              services.clock.now(),
            );
      return contextFor(services, viewer ?? null, initial.request?.headers.get('x-request-id') ?? randomUUID(), initial.closeSocket);
    },
    // Unexpected errors reach clients as "Unexpected error." with an id, never a stack; the log line carries the id.
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const masked = maskError(error, message, isDev);
        if (masked.message !== message) return masked; // the client's own error (GraphQLError): passes as it is
        const errorId = randomUUID();
        opts.logger?.error({ err: (error as { originalError?: unknown }).originalError ?? error, errorId }, 'internal error');
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } });
      },
    },
    plugins: [
      useHealth(services.database),
      useObservability(metrics, opts.logger, () => refreshGauges(services, metrics)),
      useExports(services),
      useBodyLimit(),
      // D57: depth, aliases, tokens, directives and cost are checked before execution, on HTTP and WebSocket alike.
      EnvelopArmorPlugin({
        maxDepth: { n: 10, flattenFragments: true, ignoreIntrospection: true, ...refuse },
        maxAliases: { n: 15, ...refuse },
        maxTokens: { n: 2000 },
        maxDirectives: { n: 50, ...refuse },
        costLimit: { maxCost: 50_000, ignoreIntrospection: true, ...refuse },
        blockFieldSuggestion: { enabled: config.production },
      }),
      useAuthGuard({ allowIntrospection: !config.production }),
      useRateLimit({ partner: config.partnerRate, staff: config.staffRate }),
      useSharedSubscriptionExecution({ executed: metrics.liveResults.labels('executed'), shared: metrics.liveResults.labels('shared') }),
    ],
  });
  return { yoga, services, metrics };
}
