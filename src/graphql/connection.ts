import type { ObjectRef } from '@pothos/core';
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { pageSize } from '../domain/input.js';
import { builder, exposeAll, exposeNullable, type Types } from './builder.js';
import { badArgument, refusalsAsErrors } from './errors.js';

export type PageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
};

export const PageInfoRef = builder.objectRef<PageInfo>('PageInfo').implement({
  description:
    'Where a page of a cursor-paged list starts and ends. Cursors are opaque; `after` and `before` are exclusive (D56).',
  fields: (t) => ({
    ...exposeAll(t, 'Boolean', {
      hasNextPage: 'True when more items follow this page: pass `endCursor` as `after`.',
      hasPreviousPage:
        'True when items come before this page: pass `startCursor` as `before` where the list pages backwards.',
    }),
    ...exposeNullable(t, 'String', {
      startCursor: 'The cursor of the first item; null for an empty page.',
      endCursor: 'The cursor of the last item; null for an empty page.',
    }),
  }),
});

/** The names of the fields a resolver's selection asks for, fragments included (not their own selections). */
export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const asked = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) asked.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (sel.kind === Kind.FRAGMENT_SPREAD)
        walk(info.fragments[sel.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  return asked;
}

/**
 * Whether a connection's selection asks for its page (`edges`, `nodes`, `pageInfo`…), not only for `totalCount`:
 * a request for the count alone (a portal's badge) need not read the page.
 */
export const asksPage = (info: GraphQLResolveInfo) =>
  [...selectedFields(info)].some((f) => f !== 'totalCount' && f !== '__typename');

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
      const m =
        cursor.length <= 64
          ? new RegExp(`^${prefix}:(\\d{1,19})$`).exec(Buffer.from(cursor, 'base64url').toString())
          : null;
      // A position is a bigint column: 19 digits go past it (issue 19: a 500 from the database's cast).
      if (!m || BigInt(m[1]!) > MAX_BIGINT)
        throw badArgument(`${field} is not a cursor of this list`, field);
      return BigInt(m[1]!);
    },
  };
}

/** A newest-first list paged by position (D56): `first`/`after`, no backwards paging. */
export type KeysetConnection<Row> = { edges: { cursor: string; node: Row }[]; pageInfo: PageInfo };

/**
 * The Edge and Connection types of a keyset list (`<name>Edge`, `<name>Connection`),
 * its cursor (`base64url("<prefix>:<position>")`) and its page: the rows read
 * newest first below `after`, one more than `first` to tell whether there is a next page.
 */
export function keysetConnection<Row extends { position: bigint | null }>(
  name: string,
  nodeRef: ObjectRef<Types, Row>,
  prefix: string,
  /** What one item is, for the types' descriptions, e.g. 'audit record' (many: 'audit records'). */
  item: string,
) {
  const words = { one: item, many: `${item}s` };
  const cursor = positionCursor(prefix);
  type Connection = KeysetConnection<Row>;
  const EdgeRef = builder.objectRef<Connection['edges'][number]>(`${name}Edge`).implement({
    description: `One ${words.one} in a page, with its cursor.`,
    fields: (t) => ({
      cursor: t.exposeString('cursor', {
        description: `Opaque; pass it as \`after\` for the older ${words.many}.`,
      }),
      node: t.field({
        type: nodeRef,
        description: `The ${words.one}.`,
        resolve: (e) => e.node as never,
      }),
    }),
  });
  const ConnectionRef = builder.objectRef<Connection>(`${name}Connection`).implement({
    description: `A page of ${words.many}, newest first.`,
    fields: (t) => ({
      edges: t.field({
        type: [EdgeRef],
        description: `The ${words.many} of this page.`,
        resolve: (c) => c.edges,
      }),
      pageInfo: t.field({
        type: PageInfoRef,
        description: `Whether older ${words.many} follow (\`hasNextPage\`, \`endCursor\`).`,
        resolve: (c) => c.pageInfo,
      }),
    }),
  });
  return {
    ConnectionRef,
    /** D57's checks of `first` (default 50) and `after`: the page size and the position to read below (null: from the newest). */
    window: (first: number | null | undefined, after: string | null | undefined) => ({
      limit: size(first, 50, 'first'),
      after: cursor.decode(after, 'after'),
    }),
    /** The connection of `rows` (at most `limit + 1`, newest first) read below `after`. */
    page(rows: Row[], limit: number, after: bigint | null): Connection {
      const edges = rows
        .slice(0, limit)
        .map((node) => ({ cursor: cursor.encode(node.position!), node }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > limit,
          hasPreviousPage: after !== null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  };
}
