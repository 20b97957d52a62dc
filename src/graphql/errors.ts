import { GraphQLError } from 'graphql';
import { partner as partnerGuard, staff as staffGuard, type Guard } from '../auth/guards.js';
import { DomainError } from '../domain/errors.js';
import type { ErrorCode } from '../domain/enums.js';
import { builder } from './builder.js';
import type { Context } from './context.js';

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  values: ['VALIDATION', 'NOT_FOUND', 'FORBIDDEN', 'INVALID_TRANSITION', 'CONFLICT', 'IDEMPOTENCY_MISMATCH', 'ARCHIVED'] as const,
});

export type UserError = { code: ErrorCode; message: string; field: string[] | null };

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
    field: t.exposeStringList('field', { nullable: true }),
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
      return { [key]: null, userErrors: [{ code: e.code, message: e.message, field: e.field ?? null }] } as never;
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
  return e.code === 'FORBIDDEN' ? forbidden(e.message) : badArgument(e.message, e.field?.at(-1) ?? argument);
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
