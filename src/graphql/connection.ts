import { GraphQLError } from 'graphql';
import { DomainError } from '../domain/errors.js';
import { pageSize } from '../domain/input.js';
import { builder } from './builder.js';

export type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };

export const PageInfoRef = builder.objectRef<PageInfo>('PageInfo').implement({
  description: 'Where a page of a cursor-paged list starts and ends. Cursors are opaque; `after` and `before` are exclusive (D56).',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'True when more items follow this page: pass `endCursor` as `after`.' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { description: 'True when items come before this page: pass `startCursor` as `before` where the list pages backwards.' }),
    startCursor: t.exposeString('startCursor', { nullable: true, description: 'The cursor of the first item; null for an empty page.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'The cursor of the last item; null for an empty page.' }),
  }),
});

/** A query's bad argument: a GraphQL error with code VALIDATION (D57), not a silent cut. */
export const badArgument = (message: string, field: string) =>
  new GraphQLError(message, { extensions: { code: 'VALIDATION', field: [field] } });

/** D57's page sizes as GraphQL errors. */
export function size(value: number | null | undefined, def: number, field: string): number {
  try {
    return pageSize(value, def, field);
  } catch (e) {
    if (e instanceof DomainError) throw badArgument(e.message, field);
    throw e;
  }
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
