import { GraphQLError } from 'graphql';
import { type Guard, partner as partnerGuard, staff as staffGuard } from '../auth/guards.js';
import { ERROR_CODES, type ErrorCode } from '../domain/enums.js';
import { DomainError } from '../domain/errors.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { documented, ERROR_CODE_DOCS } from './enum-docs.js';

/**
 * Issue 26: the errors a client sees, in one place a portal team reads in GraphiQL (the ErrorCode type).
 * Keep it in step with docs/domain.md#errors and src/server/plugins.ts.
 */
export const ERRORS_DESCRIPTION = [
  'Errors. Two kinds reach a client (D55).',
  '',
  '**User errors** are answers: a mutation returns `userErrors { code field message }` with one of these codes, and a refused mutation changed nothing. A complaint mutation checks from the coarsest to the finest and reports the first failure: VALIDATION (a malformed ID) → NOT_FOUND → ARCHIVED → FORBIDDEN (roles that never do this step) → CONFLICT → INVALID_TRANSITION → FORBIDDEN (not this viewer or target now) → VALIDATION (the input, with its `field` path).',
  '',
  '**GraphQL errors** refuse the whole operation: they come in `errors` with `extensions.code`, and no data:',
  '- UNAUTHENTICATED (HTTP 401): no valid token or partner API key (`extensions.reason` says why, e.g. CREDENTIALS_MISSING); only `login`, `{ __typename }` and, outside production, introspection run without one. Send the token from `login` as `Authorization: Bearer <token>`.',
  '- FORBIDDEN: an operation this kind of viewer may never use: a partner calling a staff mutation, statistics, exports or `personalDataReads`, or the `complaints` filters `unitId`, `escalated`, `overdue`; staff calling `submitInterconnectionComplaint`.',
  '- RATE_LIMITED (HTTP 429, a `Retry-After` header and `extensions.retryAfter` in seconds): too many operations per second for this partner key or user, on this server instance.',
  '- VALIDATION (HTTP 400 when before execution): a request outside the input limits: a page size (`first`, `last`) outside 1–100, `nodes` with more than 100 IDs, a `login` repeated in one request, variables holding a list over 1,000 entries or nested deeper than 32 (D57).',
  '- QUERY_TOO_COMPLEX (HTTP 400): a document deeper than 10 levels, with more than 15 aliases, over 2,000 tokens or over the cost limit, refused before it runs, over HTTP and WebSocket alike (D57).',
  '- PAYLOAD_TOO_LARGE (HTTP 413): a request body over 1 MiB (D57).',
  '- TOO_MANY_SUBSCRIPTIONS: over 20 subscriptions on one WebSocket, or over the per-viewer limit of live subscriptions on one instance.',
  '- SLOW_CONSUMER: a subscriber that does not read fast enough: the subscription ends; reconnect and resume with `after` from the last cursor.',
  '- SERVICE_UNAVAILABLE (HTTP 503, `extensions.retryable`, `retryAfter` 1 s): the database is away for a moment; retry shortly.',
  '- INTERNAL_SERVER_ERROR: a fault of ours; `extensions.errorId` is also in the server log: quote it.',
].join('\n');

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: ERRORS_DESCRIPTION,
  values: documented(ERROR_CODES, ERROR_CODE_DOCS),
});

export type UserError = { code: ErrorCode; message: string; field: string[] | null };

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description:
    'Why a mutation was refused; the mutation changed nothing. See ErrorCode for the codes and the order they are checked in (D55).',
  fields: (t) => ({
    code: t.field({
      type: ErrorCodeEnum,
      description: 'What kind of refusal; a client branches on this, not on the message.',
      resolve: (e) => e.code,
    }),
    message: t.exposeString('message', {
      description: 'A sentence for a person, in English; its wording may change.',
    }),
    field: t.exposeStringList('field', {
      nullable: true,
      description:
        'The path of the input at fault, e.g. ["input", "details", "imei"]; null when the refusal is not about one input.',
    }),
  }),
});

/**
 * The one place a DomainError becomes a `userErrors` entry. Anything else
 * propagates and is masked by the server (an internal error with an id).
 */
export async function asPayload<K extends string, T>(
  key: K,
  run: () => Promise<T>,
): Promise<{ [P in K]: T | null } & { userErrors: UserError[] }> {
  try {
    return { [key]: await run(), userErrors: [] } as never;
  } catch (e) {
    if (e instanceof DomainError) {
      return {
        [key]: null,
        userErrors: [{ code: e.code, message: e.message, field: e.field ?? null }],
      } as never;
    }
    throw e;
  }
}

/** D55: a whole kind of viewer may never use this operation: a GraphQL error, not a userError. */
export function forbidden(message: string) {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** A query's bad argument: a GraphQL error with code VALIDATION (D57), not a silent cut. */
export const badArgument = (message: string, field: string) =>
  new GraphQLError(message, { extensions: { code: 'VALIDATION', field: [field] } });

/**
 * The one place a DomainError becomes a GraphQL error, for queries (they have no `userErrors`):
 * FORBIDDEN stays FORBIDDEN (D55); any other refusal is VALIDATION naming the argument, the last
 * segment of the error's field, else `argument` (D57). Anything else propagates unchanged.
 */
export function asGraphQLError(e: unknown, argument: string): unknown {
  if (!(e instanceof DomainError)) return e;
  return e.code === 'FORBIDDEN'
    ? forbidden(e.message)
    : badArgument(e.message, e.field?.at(-1) ?? argument);
}

/** Runs a query's domain call (sync or async), its DomainErrors mapped by `asGraphQLError`. */
export function refusalsAsErrors<T>(argument: string, run: () => T): T {
  let result: T;
  try {
    result = run();
  } catch (e) {
    throw asGraphQLError(e, argument);
  }
  if (result instanceof Promise) {
    return result.catch((e: unknown) => {
      throw asGraphQLError(e, argument);
    }) as T;
  }
  return result;
}

/** Asks a guard of src/auth/guards.ts; a refusal is D55's FORBIDDEN GraphQL error. */
export function guard(ctx: Context, g: Guard) {
  const refused = g(ctx.viewer);
  if (refused) throw forbidden(refused);
}

export function requireStaff(ctx: Context) {
  guard(ctx, staffGuard);
  return ctx.viewer as Extract<Context['viewer'], { kind: 'user' }>;
}

export function requirePartner(ctx: Context) {
  guard(ctx, partnerGuard);
  return ctx.viewer as Extract<Context['viewer'], { kind: 'partner' }>;
}
