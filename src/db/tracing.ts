import type * as Api from '@opentelemetry/api';

/**
 * Issue 26: one span per SQL statement, on either driver, in one place: drizzle sends every statement
 * through its prepared-query classes' `execute` and `all` (queries, raw `db.execute(sql…)`, inside
 * transactions too), so those two methods are wrapped. The span carries the statement's text as drizzle
 * wrote it, with `$1`… placeholders: never the values (personal data). It is a child of whatever span is
 * active (the GraphQL operation's, src/server/tracing-plugin.ts). Installed by src/server/tracing.ts only
 * when tracing is configured; until then nothing here is loaded or wrapped. Returns the undo.
 */
export async function traceStatements(api: typeof Api, tracer: Api.Tracer): Promise<() => void> {
  const [{ PostgresJsPreparedQuery }, { PglitePreparedQuery }] = await Promise.all([
    import('drizzle-orm/postgres-js/session'),
    import('drizzle-orm/pglite/session'),
  ]);
  const undo: (() => void)[] = [];
  for (const proto of [
    PostgresJsPreparedQuery.prototype,
    PglitePreparedQuery.prototype,
  ] as unknown as Record<string, unknown>[]) {
    for (const method of ['execute', 'all']) {
      const original = proto[method];
      if (typeof original !== 'function' || (original as { traced?: boolean }).traced) continue;
      const wrapped = function (this: { queryString: string }, ...args: unknown[]) {
        const text = this.queryString;
        const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
        const span = tracer.startSpan(operation, {
          kind: api.SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'postgresql',
            'db.operation.name': operation,
            'db.query.text': text,
          },
        });
        const ctx = api.trace.setSpan(api.context.active(), span);
        return api.context
          .with(ctx, () => (original as (...a: unknown[]) => Promise<unknown>).apply(this, args))
          .then(
            (result) => {
              span.end();
              return result;
            },
            (e: unknown) => {
              span.recordException(
                e instanceof Error
                  ? { name: e.name, message: (e as { code?: string }).code ?? e.name }
                  : 'error',
              );
              span.setStatus({ code: api.SpanStatusCode.ERROR });
              span.end();
              throw e;
            },
          );
      };
      wrapped.traced = true;
      proto[method] = wrapped;
      undo.push(() => {
        proto[method] = original;
      });
    }
  }
  return () => undo.forEach((u) => u());
}
