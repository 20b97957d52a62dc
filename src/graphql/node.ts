import { GraphQLError } from 'graphql';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { fromGlobalId, type NodeType } from './global-id.js';

/** Each node type registers how to load a batch of its ids as the viewer may see them (null when absent). */
type NodeLoader = (ids: string[], ctx: Context) => Promise<(object | null)[]>;
const loaders = new Map<NodeType, NodeLoader>();
const typeOf = new WeakMap<object, NodeType>();

export function registerNode(type: NodeType, load: NodeLoader) {
  loaders.set(type, load);
}

/** Marks a value with its GraphQL type, for `Node` and the `Viewer` union. */
export function tag<T extends object>(type: NodeType, value: T): T {
  typeOf.set(value, type);
  return value;
}
export const tagOf = (value: object) => typeOf.get(value);

export const NodeRef = builder.interfaceRef<object>('Node').implement({
  description:
    'Anything with a global ID that `node` and `nodes` fetch: a Complaint, ComplaintEvent, OrgUnit, User or Partner.',
  resolveType: (value) => typeOf.get(value) ?? null,
  fields: (t) => ({
    id: t.id({
      description: 'Global ID: opaque, stable, the same wherever the object appears.',
      resolve: () => '',
    }),
  }),
});

async function loadNodes(globalIds: readonly string[], ctx: Context): Promise<(object | null)[]> {
  const parsed = globalIds.map(fromGlobalId);
  const out: (object | null)[] = globalIds.map(() => null);
  const byType = new Map<NodeType, number[]>();
  parsed.forEach(
    (p, i) => p && loaders.has(p.type) && byType.set(p.type, [...(byType.get(p.type) ?? []), i]),
  );
  for (const [type, positions] of byType) {
    const rows = await loaders.get(type)!(
      positions.map((i) => parsed[i]!.id),
      ctx,
    );
    positions.forEach((pos, j) => {
      const row = rows[j];
      out[pos] = row ? tag(type, row) : null;
    });
  }
  return out;
}

builder.queryFields((t) => ({
  node: t.field({
    type: NodeRef,
    nullable: true,
    description: 'Any node by its global ID; null when absent, unreadable or malformed (D54, D57).',
    args: { id: t.arg.id({ required: true, description: 'A global ID.' }) },
    resolve: async (_, { id }, ctx) => (await loadNodes([id], ctx))[0] ?? null,
  }),
  nodes: t.field({
    type: [NodeRef],
    nullable: { list: false, items: true },
    description:
      'Many nodes by global ID, in the order asked; null in place of each one absent, unreadable or malformed. More than 100 IDs: a VALIDATION GraphQL error (D57).',
    args: { ids: t.arg.idList({ required: true, description: 'Up to 100 global IDs.' }) },
    resolve: async (_, { ids }, ctx) => {
      if (ids.length > 100)
        throw new GraphQLError('nodes takes at most 100 ids', {
          extensions: { code: 'VALIDATION' },
        });
      return loadNodes(ids, ctx);
    },
  }),
}));
