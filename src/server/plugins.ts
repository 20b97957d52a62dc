import { randomUUID } from 'node:crypto';
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { type CredentialsProblem, PROBLEM_MESSAGES } from '../auth/viewer.js';
import type { Availability } from '../db/availability.js';
import type { Database } from '../db/client.js';
import { type ReadRouting, viewerKeyOf } from '../db/replica.js';

/**
 * D55: without valid credentials only `login`, `{ __typename }` and (outside
 * production) introspection run; anything else is UNAUTHENTICATED with no data.
 */
export function useAuthGuard(opts: {
  allowIntrospection: boolean;
}): Plugin<{ viewer?: unknown; credentialsProblem?: CredentialsProblem }> {
  const open = new Set([
    'login',
    '__typename',
    ...(opts.allowIntrospection ? ['__schema', '__type'] : []),
  ]);
  return refusing(
    ({ contextValue, document, operationName }) =>
      contextValue.viewer || rootFieldNames(document, operationName).every((name) => open.has(name))
        ? undefined
        : unauthenticated(contextValue.credentialsProblem),
    { subscriptions: true },
  );
}

/** An operation as a plugin's check sees it, about to execute (or a subscription to start). */
export type OperationArgs<Ctx> = {
  contextValue: Ctx;
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Record<string, unknown> | null;
};

/**
 * A plugin that checks each operation before it executes (with `subscriptions`, also before a
 * subscription starts): `refuse` answers the error that stops it, with no data, or nothing to let it run.
 */
export function refusing<Ctx extends Record<string, unknown>>(
  refuse: (args: OperationArgs<Ctx>) => GraphQLError | undefined,
  on: { subscriptions: boolean },
): Plugin<Ctx> {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: OperationArgs<Ctx>;
    setResultAndStopExecution: (r: never) => void;
  }) => {
    const error = refuse(args);
    if (error) setResultAndStopExecution({ errors: [error] } as never);
  };
  return on.subscriptions
    ? { onExecute: check as never, onSubscribe: check as never }
    : { onExecute: check as never };
}

/**
 * graphql-js's hints are always the end of the message (`didYouMean` is appended to it):
 * ` Did you mean "orgUnits"?`, ` Did you mean "a", "b", or "c"?`, ` Did you mean the enum value "PHONE"?`,
 * ` Did you mean to use an inline fragment on "User"?`.
 */
const SUGGESTION = ' Did you mean ';

/**
 * Issue 19: the message repeats the caller's input (a string given where an enum value goes, a variable's value), so
 * it is never scanned with a backtracking pattern: a regular expression over a 1 MiB hostile message froze the
 * process for minutes before sign-in. One `lastIndexOf` from the end, linear: the hint's own text holds schema names
 * only, so the last marker is the hint's, if the message ends with one.
 */
export function withoutSuggestion(message: string): string {
  if (!message.endsWith('?')) return message;
  const at = message.lastIndexOf(SUGGESTION);
  return at < 0 ? message : message.slice(0, at);
}

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
    for (const e of errors ?? []) e.message = withoutSuggestion(e.message);
  };
  const onResult = ({ result }: { result: ExecutionResult }) => strip(result.errors);
  return {
    onValidate:
      () =>
      ({ valid, result }) => {
        if (!valid) strip(result as readonly GraphQLError[]);
      },
    onExecute: () => ({
      onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, onResult),
    }),
    onSubscribe: () => ({
      onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, onResult),
    }),
  };
}

/**
 * UNAUTHENTICATED (HTTP 401), with `reason`: CREDENTIALS_MISSING when none were given, else why the given ones
 * were refused (TOKEN_EXPIRED, TOKEN_INVALID, USER_UNKNOWN, API_KEY_UNKNOWN), so a client knows to sign in again
 * rather than to send what it forgot (issue 19).
 */
export const unauthenticated = (problem?: CredentialsProblem) =>
  new GraphQLError(
    problem
      ? `${PROBLEM_MESSAGES[problem]}: send valid credentials`
      : 'Sign in first: send Authorization: Bearer <token> or X-API-Key: <key>',
    {
      extensions: {
        code: 'UNAUTHENTICATED',
        reason: problem ?? 'CREDENTIALS_MISSING',
        http: { status: 401 },
      },
    },
  );

/** The root field names an operation selects, through fragments. */
export function rootFieldNames(document: DocumentNode, operationName?: string | null): string[] {
  const ops = document.definitions.filter(
    (d: DocumentNode['definitions'][number]): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op) return [];
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [],
    ),
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
export function useHealth(
  database: Database,
  warnings?: () => Promise<string[]>,
  draining: () => boolean = () => false,
): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/healthz') {
        endResponse(new fetchAPI.Response('ok\n', { status: 200 }));
      } else if (url.pathname === '/readyz') {
        // Shutting down: load balancers take the instance out while in-flight requests finish.
        if (draining()) return endResponse(new fetchAPI.Response('draining\n', { status: 503 }));
        const ok = await Promise.race([
          database.ping().then(
            () => true,
            () => false,
          ),
          new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref()),
        ]);
        if (!ok)
          return endResponse(new fetchAPI.Response('database unavailable\n', { status: 503 }));
        const notes = warnings ? await warnings().catch(() => [] as string[]) : [];
        endResponse(
          new fetchAPI.Response(`${['ready', ...notes.map((w) => `warning: ${w}`)].join('\n')}\n`, {
            status: 200,
          }),
        );
      }
    },
  };
}

type Rate = { perSecond: number; burst: number };

export type RateLimiter = {
  /** Takes one request of the viewer's budget: null when it may go on, else the seconds to wait. */
  take(
    viewer: { kind: string; id: string } | null | undefined,
  ): { retryAfter: number; perSecond: number } | null;
};

/**
 * Per-viewer token buckets on this instance: partners at their rate (D40:
 * PARTNER_RATE_PER_SECOND, burst PARTNER_RATE_BURST), staff at theirs
 * (STAFF_RATE_*). One limiter serves GraphQL operations and the CSV exports
 * alike (issue 19), so an export costs what a query does.
 */
export function createRateLimiter(opts: {
  partner: Rate;
  staff?: Rate;
  now?: () => number;
}): RateLimiter {
  const now = opts.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(viewer) {
      const rate = viewer?.kind === 'partner' ? opts.partner : viewer ? opts.staff : undefined;
      if (!viewer || !rate) return null;
      const key = `${viewer.kind}:${viewer.id}`;
      const t = now();
      const b = buckets.get(key) ?? { tokens: rate.burst, at: t };
      b.tokens = Math.min(rate.burst, b.tokens + ((t - b.at) / 1000) * rate.perSecond);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return null;
      }
      return {
        retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / rate.perSecond)),
        perSecond: rate.perSecond,
      };
    },
  };
}

/**
 * The limiter on GraphQL operations. Over the limit: RATE_LIMITED with HTTP
 * 429, a Retry-After header and `extensions.retryAfter` in seconds.
 */
export function useRateLimit(
  opts: { partner: Rate; staff?: Rate; now?: () => number } | RateLimiter,
): Plugin<{ viewer?: { kind: string; id: string } | null }> {
  const limiter = 'take' in opts ? opts : createRateLimiter(opts);
  const take = ({
    args,
    setResultAndStopExecution,
  }: {
    args: { contextValue: { viewer?: { kind: string; id: string } | null } };
    setResultAndStopExecution: (r: never) => void;
  }) => {
    const refused = limiter.take(args.contextValue.viewer);
    if (!refused) return;
    const { retryAfter, perSecond } = refused;
    setResultAndStopExecution({
      errors: [
        new GraphQLError(
          `Rate limit of ${perSecond} requests per second exceeded; retry in ${retryAfter} s`,
          {
            extensions: {
              code: 'RATE_LIMITED',
              retryAfter,
              http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
            },
          },
        ),
      ],
    } as never);
  };
  return { onExecute: take as never, onSubscribe: take as never };
}

/** D57: the largest request body accepted, in bytes (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** D57: the longest list and the deepest nesting a request's variables may hold. */
export const VARIABLE_LIMITS = { list: 1_000, depth: 32 };

/**
 * Issue 19: variables are checked for size before anything walks them (coercion, the domain's rules, a
 * hash): a list over VARIABLE_LIMITS.list entries or a value nested deeper than VARIABLE_LIMITS.depth is a
 * VALIDATION error of the request (HTTP 400), on HTTP and WebSocket alike. The walk keeps its own stack,
 * so a value nested 20,000 deep is measured without recursion. Narrower limits (a filter's 100 values,
 * details' depth) are the domain's.
 */
export function useInputLimits(limits = VARIABLE_LIMITS): Plugin {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: { variableValues?: unknown };
    setResultAndStopExecution: (r: never) => void;
  }) => {
    const problem = oversized(args.variableValues, limits);
    if (problem)
      setResultAndStopExecution({
        errors: [
          new GraphQLError(problem, { extensions: { code: 'VALIDATION', http: { status: 400 } } }),
        ],
      } as never);
  };
  return { onExecute: check as never, onSubscribe: check as never };
}

function oversized(value: unknown, limits: { list: number; depth: number }): string | null {
  const stack: [unknown, number, string][] = [[value, 0, '$']];
  while (stack.length) {
    const [v, d, path] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= limits.depth)
      return `Variables nest deeper than ${limits.depth} levels (at ${path.slice(0, 200)})`;
    if (Array.isArray(v)) {
      if (v.length > limits.list)
        return `A list in the variables has more than ${limits.list} entries (${path.slice(0, 200)})`;
      v.forEach((x, i) => stack.push([x, d + 1, `${path}[${i}]`]));
    } else {
      for (const [k, x] of Object.entries(v)) stack.push([x, d + 1, `${path}.${k.slice(0, 50)}`]);
    }
  }
  return null;
}

/**
 * D52: a request holding more than one `login` field (aliases, fragments) is refused before any password is
 * checked: 15 aliases were 15 guesses (and 15 scrypt hashes) in one request. A VALIDATION error of the
 * request (HTTP 400), logged like every refusal of a login.
 */
export function useSingleLogin(log?: {
  warn(fields: Record<string, unknown>, message: string): void;
}): Plugin<{ requestId?: string; clientAddress?: string | null }> {
  return refusing(
    ({ contextValue, document, operationName }) => {
      const logins = rootFieldNames(document, operationName).filter((n) => n === 'login').length;
      if (logins <= 1) return undefined;
      log?.warn(
        {
          event: 'login_refused',
          reason: 'SEVERAL_LOGINS',
          fields: logins,
          address: contextValue.clientAddress ?? null,
          requestId: contextValue.requestId,
        },
        'login refused: several login fields in one request (D52)',
      );
      return new GraphQLError('One login per request', {
        extensions: { code: 'VALIDATION', http: { status: 400 } },
      });
    },
    { subscriptions: false },
  );
}

/**
 * D57 for multipart bodies: yoga's multipart parser reports a streamed body over maxRequestBodySize as a 400
 * ("invalid multipart data"). The platform takes no file uploads, so a multipart request is read here: its
 * `operations` field is the request (GraphQL multipart request spec), a body over the limit is 413 like any other.
 */
export function useMultipartLimit(max = MAX_BODY_BYTES): Plugin {
  const fail = (message: string, status: number, code: string) =>
    new GraphQLError(message, { extensions: { code, http: { status } } });
  return {
    onRequestParse({ request, setRequestParser }) {
      if (
        request.method !== 'POST' ||
        !/^multipart\/form-data\b/i.test(request.headers.get('content-type') ?? '')
      )
        return;
      setRequestParser(async (req) => {
        let form: FormData;
        try {
          form = await req.formData();
        } catch (e) {
          if (/too large/i.test(String((e as Error)?.message)))
            throw fail(`Request body over ${max} bytes`, 413, 'PAYLOAD_TOO_LARGE');
          throw fail('POST body sent invalid multipart data', 400, 'BAD_REQUEST');
        }
        const operations = form.get('operations');
        if (typeof operations !== 'string')
          throw fail('Multipart form field "operations" must be a string', 400, 'BAD_REQUEST');
        try {
          return JSON.parse(operations);
        } catch {
          throw fail(
            'Multipart form field "operations" must be a valid JSON string',
            400,
            'BAD_REQUEST',
          );
        }
      });
    },
  };
}

/** Issue 19: the answer while the database is away: retryable, HTTP 503 with Retry-After. */
export const databaseUnavailable = () =>
  new GraphQLError('The database is unavailable for a moment: retry shortly', {
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      retryAfter: 1,
      http: { status: 503, headers: { 'Retry-After': '1' } },
    },
  });

/**
 * Issue 19: while the database is known to be away (a statement failed for want of it, and the probe has not
 * yet had an answer), GraphQL requests are answered at once with SERVICE_UNAVAILABLE (HTTP 503, retryable)
 * instead of queueing behind connection attempts and running long after their client gave up; the health
 * and metrics endpoints still answer. Over WebSocket the same per operation.
 */
export function useDatabaseGate(availability: Availability, endpoint = '/graphql'): Plugin {
  const refuse = ({
    setResultAndStopExecution,
  }: {
    setResultAndStopExecution: (r: never) => void;
  }) => {
    if (!availability.available)
      setResultAndStopExecution({ errors: [databaseUnavailable()] } as never);
  };
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (availability.available || url.pathname !== endpoint) return;
      const e = databaseUnavailable();
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [
              {
                message: e.message,
                extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, retryAfter: 1 },
              },
            ],
          }),
          {
            status: 503,
            headers: { 'content-type': 'application/json', 'retry-after': '1' },
          },
        ),
      );
    },
    onExecute: refuse as never,
    onSubscribe: refuse as never,
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

/**
 * Issue 25: once a signed-in viewer's mutation has run, its next lag-tolerant reads (lists, statistics,
 * exports, reports) must see it: the primary's WAL position is noted for the viewer (src/db/replica.ts).
 * Only when a replica is configured; a failed note is logged, never the mutation's answer.
 */
export function useReadYourWrites(
  reads: ReadRouting,
  log?: { warn(fields: Record<string, unknown>, message: string): void },
): Plugin<{ viewer?: { kind: string; id: string } | null }> {
  return {
    onExecute({ args }) {
      const op = getOperationAST(args.document, args.operationName);
      const viewer = args.contextValue.viewer;
      if (op?.operation !== 'mutation' || !viewer) return;
      return {
        async onExecuteDone() {
          await reads
            .wrote(viewerKeyOf(viewer))
            .catch((err: unknown) =>
              log?.warn({ err }, 'could not note a write for read-your-writes'),
            );
        },
      };
    },
  };
}
