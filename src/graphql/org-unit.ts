import { ancestorIdsOf, createOrgUnit, listUnits, moveOrgUnit, unitByCode, updateOrgUnit, type OrgUnit } from '../domain/org.js';
import { ORG_LEVELS } from '../domain/enums.js';
import { validation as validationError } from '../domain/errors.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { asPayload, requireStaff, UserErrorRef } from './errors.js';
import { idOf, toGlobalId } from './global-id.js';
import { NodeRef, registerNode, tag } from './node.js';

export const OrgLevelEnum = builder.enumType('OrgLevel', { values: ORG_LEVELS });

export const OrgUnitRef = builder.objectRef<OrgUnit>('OrgUnit');

/** Units are public to every signed-in viewer: names and codes of the organisation are not secrets. */
registerNode('OrgUnit', (ids, ctx) => ctx.loaders.unit.loadMany(ids).then((rows) => rows.map((r) => (r instanceof Error ? null : r))));

OrgUnitRef.implement({
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ resolve: (u) => toGlobalId('OrgUnit', u.id) }),
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    level: t.field({ type: OrgLevelEnum, resolve: (u) => u.level }),
    closed: t.exposeBoolean('closed', { description: 'A closed unit gets no dispatch or delegation (D1a).' }),
    parent: t.field({
      type: OrgUnitRef,
      nullable: true,
      resolve: (u, _, ctx) => (u.parentId ? ctx.loaders.unit.load(u.parentId).then((p) => p && tag('OrgUnit', p)) : null),
    }),
    children: t.field({
      type: [OrgUnitRef],
      resolve: async (u, _, ctx) => (await ctx.loaders.unitChildren.load(u.id)).map((c) => tag('OrgUnit', c)),
    }),
    ancestors: t.field({
      type: [OrgUnitRef],
      description: 'From the province down to the parent.',
      resolve: async (u, _, ctx) => {
        const ids = ancestorIdsOf(u).slice(0, -1);
        const rows = await ctx.loaders.unit.loadMany(ids);
        return rows.filter((r): r is OrgUnit => !!r && !(r instanceof Error)).map((r) => tag('OrgUnit', r));
      },
    }),
  }),
});

builder.queryFields((t) => ({
  orgUnit: t.field({
    type: OrgUnitRef,
    nullable: true,
    args: { id: t.arg.id(), code: t.arg.string() },
    resolve: async (_, args, ctx) => {
      if (args.id != null) {
        const id = idOf(args.id, 'OrgUnit');
        const unit = id ? await ctx.loaders.unit.load(id) : null;
        return unit && tag('OrgUnit', unit);
      }
      if (args.code != null) {
        const unit = await unitByCode(ctx.db, args.code);
        return unit && tag('OrgUnit', unit);
      }
      return null;
    },
  }),
  orgUnits: t.field({
    type: [OrgUnitRef],
    description: 'Every unit, ordered so that each parent comes before its children.',
    resolve: async (_, __, ctx) => (await listUnits(ctx.db)).map((u) => tag('OrgUnit', u)),
  }),
}));

const CreateOrgUnitInput = builder.inputType('CreateOrgUnitInput', {
  fields: (t) => ({
    parentId: t.id(),
    level: t.field({ type: OrgLevelEnum, required: true }),
    code: t.string({ required: true }),
    name: t.string({ required: true }),
  }),
});

const OrgUnitPayload = builder.objectRef<{ orgUnit: OrgUnit | null; userErrors: never[] }>('OrgUnitPayload').implement({
  fields: (t) => ({
    orgUnit: t.field({ type: OrgUnitRef, nullable: true, resolve: (p) => p.orgUnit && tag('OrgUnit', p.orgUnit) }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
  }),
});

builder.mutationFields((t) => ({
  createOrgUnit: t.field({
    type: OrgUnitPayload,
    args: { input: t.arg({ type: CreateOrgUnitInput, required: true }) },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('orgUnit', async () => {
        const parentId = input.parentId == null ? null : idOf(input.parentId, 'OrgUnit');
        if (input.parentId != null && !parentId) throw validationError(['input', 'parentId'], 'Not an OrgUnit id');
        return createOrgUnit(ctx.db, ctx.ability, { parentId, level: input.level, code: input.code, name: input.name }, byOf(ctx));
      }) as never;
    },
  }),
  moveOrgUnit: t.field({
    type: OrgUnitPayload,
    description: 'D1a: a COUNTY to another city of its province; a CITY to another province only with no open case. Readers follow at once.',
    args: { input: t.arg({ type: MoveOrgUnitInput, required: true }) },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('orgUnit', async () =>
        moveOrgUnit(ctx.db, ctx.ability, { id: unitId(input.id, ['input', 'id']), parentId: unitId(input.parentId, ['input', 'parentId']) }, byOf(ctx)),
      ) as never;
    },
  }),
  updateOrgUnit: t.field({
    type: OrgUnitPayload,
    description: 'D1a: rename a unit, close or reopen it.',
    args: { input: t.arg({ type: UpdateOrgUnitInput, required: true }) },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('orgUnit', async () =>
        updateOrgUnit(ctx.db, ctx.ability, { id: unitId(input.id, ['input', 'id']), name: input.name, closed: input.closed }, byOf(ctx)),
      ) as never;
    },
  }),
}));

const MoveOrgUnitInput = builder.inputType('MoveOrgUnitInput', {
  fields: (t) => ({ id: t.id({ required: true }), parentId: t.id({ required: true }) }),
});
const UpdateOrgUnitInput = builder.inputType('UpdateOrgUnitInput', {
  fields: (t) => ({ id: t.id({ required: true }), name: t.string(), closed: t.boolean() }),
});

const unitId = (globalId: string, field: string[]) => {
  const id = idOf(globalId, 'OrgUnit');
  if (!id) throw validationError(field, 'Not an OrgUnit id');
  return id;
};

const byOf = (ctx: Context) => ({ userId: ctx.viewer?.kind === 'user' ? ctx.viewer.id : null, at: ctx.services.clock.now() });


/**
 * A unit filter's subtree: the unit's path; `false` when the ID names no unit
 * (a malformed or unknown ID matches nothing, D57); null when there is no filter.
 */
export async function unitPathOf(ctx: Context, unitId: string | null | undefined): Promise<string | false | null> {
  if (unitId == null) return null;
  const id = idOf(unitId, 'OrgUnit');
  const unit = id ? await ctx.loaders.unit.load(id) : null;
  return unit ? unit.path : false;
}
