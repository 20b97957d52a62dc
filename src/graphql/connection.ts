import { pageSize } from '../domain/input.js';
import { builder } from './builder.js';
import { badArgument, refusalsAsErrors } from './errors.js';

export type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };

export const PageInfoRef = builder.objectRef<PageInfo>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

/** D57's page sizes as GraphQL errors. */
export function size(value: number | null | undefined, def: number, field: string): number {
  return refusalsAsErrors(field, () => pageSize(value, def, field));
}

/** PostgreSQL's bigint. */
export const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Opaque cursors over a bigint position (D56): `base64url("<prefix>:<position>")`. */
export function positionCursor(prefix: string) {
  return {
    encode: (position: bigint) => Buffer.from(`${prefix}:${position}`).toString('base64url'),
    decode(cursor: string | null | undefined, field: string): bigint | null {
      if (cursor == null) return null;
      const m = cursor.length <= 64 ? new RegExp(`^${prefix}:(\\d{1,19})$`).exec(Buffer.from(cursor, 'base64url').toString()) : null;
      // A position is a bigint column: 19 digits go past it (issue 19: a 500 from the database's cast).
      if (!m || BigInt(m[1]!) > MAX_BIGINT) throw badArgument(`${field} is not a cursor of this list`, field);
      return BigInt(m[1]!);
    },
  };
}
