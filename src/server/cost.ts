import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { refusing } from './plugins.js';

/** D57's cost limit and the weights graphql-armor's costLimit uses (so both agree on a literal page size). */
export const COST = { maxCost: 50_000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 };

/** A page size the schema does not default: the larger of the lists' own defaults (complaints 20, events 50). */
const IMPLICIT_PAGE = 50;

/**
 * Issue 19: graphql-armor's cost multiplies a selection by `first`/`last` only when written as a literal, so a
 * page size in a variable or a variable's default cost 1. This is the same cost with the page size the field
 * will actually get: the literal, else the variable's value, else the variable's default, else the argument's
 * default in the schema, else IMPLICIT_PAGE. Checked once the variables are known (before execution, on HTTP and
 * WebSocket alike); over COST.maxCost is QUERY_TOO_COMPLEX, HTTP 400, like armor's refusals.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): number {
  const ops = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op) return 0;
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const defaults = new Map(
    op.variableDefinitions?.map((v) => [
      v.variable.name.value,
      v.defaultValue ? valueFromASTUntyped(v.defaultValue) : undefined,
    ]) ?? [],
  );
  const root =
    op.operation === 'mutation'
      ? schema.getMutationType()
      : op.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return 0;
  const visiting = new Set<string>();

  const pageOf = (value: unknown): number => {
    const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : 1;
    return Math.max(1, n);
  };

  // As graphql-armor counts (flattenFragments off): a scalar costs scalarCost; a field with a selection
  // objectCost plus depthCostFactor × each child's cost, times its page size; a fragment spread scalarCost
  // plus depthCostFactor × its fragment's cost (objectCost plus its children's); an operation the sum of its fields.
  const children = (set: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const s of set.selections) total += COST.depthCostFactor * nodeCost(s, parent);
    return total;
  };
  const nodeCost = (
    s: SelectionSetNode['selections'][number],
    parent: GraphQLCompositeType,
  ): number => {
    if (s.kind === Kind.FIELD) {
      if (s.name.value === '__schema') return 0; // introspection is not counted (armor: ignoreIntrospection)
      if (!s.selectionSet) return COST.scalarCost;
      const def =
        isObjectType(parent) || isInterfaceType(parent)
          ? parent.getFields()[s.name.value]
          : undefined;
      let multiplier = 1;
      const pageArg = def?.args.find((a) => a.name === 'first' || a.name === 'last');
      if (def && pageArg) {
        const given = s.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
        if (given?.value.kind === Kind.VARIABLE) {
          const name = given.value.name.value;
          const value = variables[name] != null ? variables[name] : defaults.get(name);
          multiplier = pageOf(value ?? pageArg.defaultValue ?? IMPLICIT_PAGE);
        } else if (given) {
          multiplier = pageOf(valueFromASTUntyped(given.value));
        } else {
          multiplier = pageOf(pageArg.defaultValue ?? IMPLICIT_PAGE);
        }
      }
      const type = def ? getNamedType(def.type) : undefined;
      return (
        (COST.objectCost + (type && isCompositeType(type) ? children(s.selectionSet, type) : 0)) *
        multiplier
      );
    }
    if (s.kind === Kind.INLINE_FRAGMENT) {
      const type = s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent;
      return (
        COST.objectCost + children(s.selectionSet, type && isCompositeType(type) ? type : parent)
      );
    }
    const f: FragmentDefinitionNode | undefined = fragments.get(s.name.value);
    if (!f || visiting.has(f.name.value)) return COST.scalarCost;
    visiting.add(f.name.value);
    const type = schema.getType(f.typeCondition.name.value);
    const cost =
      COST.scalarCost +
      COST.depthCostFactor *
        (COST.objectCost + children(f.selectionSet, type && isCompositeType(type) ? type : parent));
    visiting.delete(f.name.value);
    return cost;
  };
  let total = 0;
  for (const s of op.selectionSet.selections) total += nodeCost(s, root);
  return total;
}

export function usePageCost(maxCost = COST.maxCost): Plugin {
  return refusing(
    ({ schema, document, operationName, variableValues }) => {
      const cost = operationCost(schema, document, operationName, variableValues ?? {});
      if (cost <= maxCost) return undefined;
      return new GraphQLError(
        `Query Cost limit of ${maxCost} exceeded, found ${Math.round(cost)} (page sizes counted as given, in variables too).`,
        {
          extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
        },
      );
    },
    { subscriptions: true },
  );
}
