import SchemaBuilder, { type ObjectFieldBuilder, type ObjectRef } from '@pothos/core';
import type { Context } from './context.js';

/** The builder and its plugins; no type is defined here (src/graphql/schema.ts imports them all). */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
});

/** The schema types of our builder, to name its refs. */
export type Types = typeof builder extends {
  objectRef: (...a: never[]) => ObjectRef<infer T, never>;
}
  ? T
  : never;

/**
 * Fields of `type` exposed as the parent holds them, each with its description:
 * `{ field: 'description' }` (a run of same-typed fields as one table); nullable ones with
 * `exposeNullable`.
 */
export function exposeAll<Parent, const K extends keyof Parent & string>(
  t: ObjectFieldBuilder<Types, Parent>,
  type: 'String' | 'Float' | 'Boolean',
  docs: Record<K, string>,
  nullable = false,
) {
  const fields = Object.entries<string>(docs).map(([name, description]) => [
    name,
    t.expose(name as never, { type, nullable, description } as never),
  ]);
  return Object.fromEntries(fields) as Record<K, ReturnType<typeof t.expose>>;
}

/** `exposeAll` for nullable fields. */
export const exposeNullable = <Parent, const K extends keyof Parent & string>(
  t: ObjectFieldBuilder<Types, Parent>,
  type: 'String' | 'Float',
  docs: Record<K, string>,
) => exposeAll(t, type, docs, true);

builder.queryType({
  description:
    "What a portal, a partner's integrator, a duty manager or an auditor reads. Every query needs credentials: a staff token from `login` as `Authorization: Bearer <token>`, or a partner's `X-API-Key` (UNAUTHENTICATED otherwise). A case a viewer may not read is absent everywhere: null, missing from lists and counts (D54). Times are served in +08:00 (Asia/Shanghai). See ErrorCode for the errors a client sees.",
});
builder.mutationType({
  description:
    "Changes. Every complaint mutation appends exactly one event to the case (D56) and answers `{ complaint, userErrors }`: a refusal is a userError and changes nothing; an operation your kind of viewer may never use (a partner calling a staff mutation) is a FORBIDDEN GraphQL error (D55). Pass `expectedVersion` to be refused with CONFLICT instead of overwriting someone else's change. Only `login` runs without credentials. The error codes, and the limits of a request (page sizes, depth, aliases, tokens, body size, rate), are described on ErrorCode.",
});
