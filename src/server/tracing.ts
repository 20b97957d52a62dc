import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Plugin } from 'graphql-yoga';

/**
 * Issue 26: OpenTelemetry tracing of GraphQL operations and SQL statements, off unless an OTLP endpoint is
 * configured (OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). Off, `startTracing`
 * returns null and nothing of OpenTelemetry is imported, no plugin is added and no query path is wrapped:
 * every import below is a type import or a dynamic one. On, it registers a Node tracer provider (its
 * AsyncLocalStorage context carries the operation's span into its SQL), exports in batches over OTLP/HTTP,
 * and gives the app its plugin (src/server/tracing-plugin.ts); SQL spans come from src/db/tracing.ts.
 */
export type TracingConfig = {
  /** OTLP/HTTP base URL; traces go to `<endpoint>/v1/traces`. Null: tracing off. */
  endpoint: string | null;
  /** The full traces URL, when it is not `<endpoint>/v1/traces`. */
  tracesEndpoint: string | null;
  serviceName: string;
};

export type Tracing = {
  /** The GraphQL operation span plugin, for createApp. */
  plugin: Plugin;
  /** Flushes what is buffered, stops exporting and unwraps the query path. */
  shutdown(): Promise<void>;
};

export async function startTracing(
  config: TracingConfig,
  opts: { exporter?: SpanExporter } = {},
): Promise<Tracing | null> {
  if (!config.endpoint && !config.tracesEndpoint && !opts.exporter) return null;
  const [
    api,
    { NodeTracerProvider },
    { BatchSpanProcessor, SimpleSpanProcessor },
    { resourceFromAttributes },
    { useOperationTracing },
    { traceStatements },
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('./tracing-plugin.js'),
    import('../db/tracing.js'),
  ]);
  let processor: InstanceType<typeof SimpleSpanProcessor> | InstanceType<typeof BatchSpanProcessor>;
  if (opts.exporter) {
    processor = new SimpleSpanProcessor(opts.exporter); // tests: each span as it ends
  } else {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const url = config.tracesEndpoint ?? `${config.endpoint!.replace(/\/+$/, '')}/v1/traces`;
    processor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [processor],
  });
  provider.register();
  const tracer = provider.getTracer('complaint-platform');
  const unwrap = await traceStatements(api, tracer);
  return {
    plugin: useOperationTracing(api, tracer),
    async shutdown() {
      unwrap();
      await provider.shutdown();
      api.trace.disable();
      api.context.disable();
    },
  };
}
