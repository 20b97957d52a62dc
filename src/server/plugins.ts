import { randomUUID } from 'node:crypto';
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Database } from '../db/client.js';

/**
 * D55: without valid credentials only `login`, `{ __typename }` and (outside
 * production) introspection run; anything else is UNAUTHENTICATED with no data.
 */
export function useAuthGuard(opts: { allowIntrospection: boolean }): Plugin<{ viewer?: unknown }> {
  const open = new Set(['login', '__typename', ...(opts.allowIntrospection ? ['__schema', '__type'] : [])]);
  const guard = ({ args, setResultAndStopExecution }: { args: { contextValue: { viewer?: unknown }; document: DocumentNode; operationName?: string | null }; setResultAndStopExecution: (r: never) => void }) => {
    if (args.contextValue.viewer) return;
    if (rootFieldNames(args.document, args.operationName).every((name) => open.has(name))) return;
    setResultAndStopExecution({ errors: [unauthenticated()] } as never);
  };
  return { onExecute: guard as never, onSubscribe: guard as never };
}

/**
 * graphql-js's hints: ` Did you mean "orgUnits"?`, ` Did you mean "a", "b", or "c"?`,
 * ` Did you mean the enum value "PHONE"?`, ` Did you mean to use an inline fragment on "User"?`.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Issue 6: in production no error message names what the schema holds. With introspection closed (D55),
 * "Did you mean …?" is how a schema is pieced together one guess at a time. Covers validation errors
 * (fields, arguments, types, input fields and enum values written in the document) and the errors execution
 * and subscription report for variables (input fields and enum values given as variables), on HTTP and
 * WebSocket alike. graphql-armor's blockFieldSuggestion sees validation errors only and misses enum values.
 */
export function useNoSuggestions(): Plugin {
  // In place, as armor does: the errors are ours (fresh per request or already stripped in yoga's validation cache).
  const strip = (errors: readonly GraphQLError[] | undefined) => {
    for (const e of errors ?? []) e.message = e.message.replace(SUGGESTION, '');
  };
  const onResult = ({ result }: { result: ExecutionResult }) => strip(result.errors);
  return {
    onValidate: () => ({ valid, result }) => {
      if (!valid) strip(result as readonly GraphQLError[]);
    },
    onExecute: () => ({ onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, onResult) }),
    onSubscribe: () => ({ onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, onResult) }),
  };
}

export const unauthenticated = () =>
  new GraphQLError('Sign in first: send Authorization: Bearer <token> or X-API-Key: <key>', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

/** The root field names an operation selects, through fragments. */
export function rootFieldNames(document: DocumentNode, operationName?: string | null): string[] {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op) return [];
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])),
  );
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) walk(f);
      }
    }
  };
  walk(op.selectionSet);
  return names;
}

/**
 * GET /healthz: the process answers. GET /readyz: the database answers too;
 * its body then lists what an operator must act on without taking the
 * instance out of service (`warnings`, e.g. D27's missing calendar year),
 * one `warning: …` line each, still 200.
 */
export function useHealth(database: Database, warnings?: () => Promise<string[]>): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/healthz') {
        endResponse(new fetchAPI.Response('ok\n', { status: 200 }));
      } else if (url.pathname === '/readyz') {
        const ok = await Promise.race([
          database.ping().then(
            () => true,
            () => false,
          ),
          new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref()),
        ]);
        if (!ok) return endResponse(new fetchAPI.Response('database unavailable\n', { status: 503 }));
        const notes = warnings ? await warnings().catch(() => [] as string[]) : [];
        endResponse(new fetchAPI.Response(['ready', ...notes.map((w) => `warning: ${w}`)].join('\n') + '\n', { status: 200 }));
      }
    },
  };
}

type Rate = { perSecond: number; burst: number };

/**
 * Per-viewer token buckets on this instance: partners at their rate (D40:
 * PARTNER_RATE_PER_SECOND, burst PARTNER_RATE_BURST), staff at theirs
 * (STAFF_RATE_*). Over the limit: RATE_LIMITED with HTTP 429, a Retry-After
 * header and `extensions.retryAfter` in seconds.
 */
export function useRateLimit(opts: { partner: Rate; staff?: Rate; now?: () => number }): Plugin<{ viewer?: { kind: string; id: string } | null }> {
  const now = opts.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  const take = ({ args, setResultAndStopExecution }: { args: { contextValue: { viewer?: { kind: string; id: string } | null } }; setResultAndStopExecution: (r: never) => void }) => {
    const viewer = args.contextValue.viewer;
    const rate = viewer?.kind === 'partner' ? opts.partner : viewer ? opts.staff : undefined;
    if (!viewer || !rate) return;
    const key = `${viewer.kind}:${viewer.id}`;
    const t = now();
    const b = buckets.get(key) ?? { tokens: rate.burst, at: t };
    b.tokens = Math.min(rate.burst, b.tokens + ((t - b.at) / 1000) * rate.perSecond);
    b.at = t;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / rate.perSecond));
    setResultAndStopExecution({
      errors: [
        new GraphQLError(`Rate limit of ${rate.perSecond} requests per second exceeded; retry in ${retryAfter} s`, {
          extensions: { code: 'RATE_LIMITED', retryAfter, http: { status: 429, headers: { 'Retry-After': String(retryAfter) } } },
        }),
      ],
    } as never);
  };
  return { onExecute: take as never, onSubscribe: take as never };
}

/** D57: the largest request body accepted, in bytes (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * D57: a body over 1 MiB is refused before parsing with HTTP 413: by its
 * Content-Length, or, when it is streamed without one, as soon as the
 * stream passes the limit.
 */
export function useBodyLimit(max = MAX_BODY_BYTES): Plugin {
  const tooLarge = (fetchAPI: { Response: typeof Response }) =>
    new fetchAPI.Response(JSON.stringify({ errors: [{ message: `Request body over ${max} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }), {
      status: 413,
      headers: { 'content-type': 'application/json' },
    });
  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const length = Number(request.headers.get('content-length') ?? NaN);
      if (Number.isFinite(length)) {
        if (length > max) endResponse(tooLarge(fetchAPI));
        return;
      }
      if (!request.body) return;
      // Streamed: read at most max + 1 bytes, then hand the bytes on.
      const reader = request.body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > max) {
          await reader.cancel();
          return endResponse(tooLarge(fetchAPI));
        }
        chunks.push(value);
      }
      (request as { __limitedBody?: Uint8Array[] }).__limitedBody = chunks;
    },
    onRequestParse({ request, setRequestParser }) {
      const chunks = (request as { __limitedBody?: Uint8Array[] }).__limitedBody;
      if (!chunks) return;
      setRequestParser(async () => JSON.parse(Buffer.concat(chunks).toString('utf8')));
    },
  };
}

/** A caller's request id is used when it is short and plain; anything else gets a fresh one. */
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;
const requestIds = new WeakMap<Request, string>();

/** The request id of an HTTP request: the caller's `X-Request-Id` when usable (see useRequestId), else a UUID. */
export function requestIdOf(request: Request | undefined): string {
  if (!request) return randomUUID();
  let id = requestIds.get(request);
  if (!id) {
    const given = request.headers.get('x-request-id')?.trim();
    id = given && REQUEST_ID.test(given) ? given : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

/**
 * Issue 26: every HTTP response carries `X-Request-Id`: the caller's own (a
 * load balancer's or a portal's) when it sent a usable one, else a fresh
 * UUID; the operation's log line has the same id (the context takes it from
 * requestIdOf). First in the plugin list, so that /healthz, /readyz,
 * /metrics, the exports and refusals (413) carry it too.
 */
export function useRequestId(): Plugin {
  return {
    onRequest({ request }) {
      requestIdOf(request);
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}

/** Issue 26: `/` sends a browser (or curl -L) to the GraphQL endpoint, where GraphiQL is served outside production. */
export function useRootRedirect(endpoint = '/graphql'): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      endResponse(new fetchAPI.Response(null, { status: 302, headers: { location: endpoint } }));
    },
  };
}
