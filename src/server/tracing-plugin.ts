import type * as Api from '@opentelemetry/api';
import {
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  getOperationAST,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Issue 26: one span per GraphQL operation, `<type> <name>` (e.g. `query PortalList`), with the operation's
 * type and name and, when it failed, the error codes; never its variables or results (personal data). The
 * operation runs inside the span's context, so the spans of its SQL statements (src/db/tracing.ts) are its
 * children. A subscription's span covers setting it up. Built by src/server/tracing.ts only when tracing is
 * configured: this module's import of @opentelemetry/api is a type import.
 */
export function useOperationTracing(api: typeof Api, tracer: Api.Tracer): Plugin {
  const start = (document: DocumentNode, operationName: string | null | undefined) => {
    const op = getOperationAST(document, operationName ?? undefined);
    const type = op?.operation ?? 'query';
    const name = op?.name?.value ?? operationName ?? 'anonymous';
    return tracer.startSpan(`${type} ${name}`, {
      kind: api.SpanKind.SERVER,
      attributes: { 'graphql.operation.type': type, 'graphql.operation.name': name },
    });
  };
  const finish = (span: Api.Span, result: unknown) => {
    const errors = (result as ExecutionResult | null)?.errors;
    if (errors?.length) {
      const codes = [
        ...new Set(
          errors.map((e: GraphQLError) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')),
        ),
      ];
      span.setAttribute('graphql.error.codes', codes);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: codes.join(',') });
    }
    span.end();
  };
  const failed = (span: Api.Span, e: unknown) => {
    span.recordException(e instanceof Error ? e : String(e));
    span.setStatus({ code: api.SpanStatusCode.ERROR });
    span.end();
  };
  const traced =
    <A extends { document: DocumentNode; operationName?: string | null }>(
      fn: (args: A) => unknown,
    ) =>
    (args: A) => {
      const span = start(args.document, args.operationName);
      const ctx = api.trace.setSpan(api.context.active(), span);
      return api.context.with(ctx, async () => {
        try {
          const result = await fn(args);
          finish(span, result);
          return result;
        } catch (e) {
          failed(span, e);
          throw e;
        }
      });
    };
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(traced(executeFn as never) as never);
    },
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      setSubscribeFn(traced(subscribeFn as never) as never);
    },
  };
}
