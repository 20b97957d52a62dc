import { ORG_LEVELS } from '../domain/enums.js';
import { validation as validationError } from '../domain/errors.js';
import {
  ancestorIdsOf,
  createOrgUnit,
  listUnits,
  moveOrgUnit,
  type OrgUnit,
  unitByCode,
  updateOrgUnit,
} from '../domain/org.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { documented, ORG_LEVEL_DOCS } from './enum-docs.js';
import { asPayload, requireStaff, UserErrorRef } from './errors.js';
import { idOf, toGlobalId } from './global-id.js';
import { NodeRef, registerNode, tag } from './node.js';

export const OrgLevelEnum = builder.enumType('OrgLevel', {
  description:
    'The level of a unit in the tree PROVINCE → CITY → COUNTY, plus the CENTER units a province runs (D1).',
  values: documented(ORG_LEVELS, ORG_LEVEL_DOCS),
});

export const OrgUnitRef = builder.objectRef<OrgUnit>('OrgUnit');

/** The unit `id` names, through the request's loader (null for no id or no such unit). */
export const loadUnit = (ctx: Context, id: string | null) =>
  id ? ctx.loaders.unit.load(id).then((u) => u && tag('OrgUnit', u)) : null;

/** Options of a non-null field naming the unit a row refers to (units are never deleted). */
export const unitRefField = <P>(description: string, idOf: (p: P) => string) => ({
  type: OrgUnitRef,
  description,
  resolve: async (p: P, _args: unknown, ctx: Context) => (await loadUnit(ctx, idOf(p)))!,
});

/** Units are public to every signed-in viewer: names and codes of the organisation are not secrets. */
registerNode('OrgUnit', (ids, ctx) =>
  ctx.loaders.unit.loadMany(ids).then((rows) => rows.map((r) => (r instanceof Error ? null : r))),
);

OrgUnitRef.implement({
  description:
    'A unit of the organisation: a province, city, county or centre (D1). Every signed-in viewer reads units; names and codes are not secrets.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({
      description: 'Global ID; pass it as `unitId` to filters, statistics and feeds.',
      resolve: (u) => toGlobalId('OrgUnit', u.id),
    }),
    code: t.exposeString('code', {
      description:
        "Stable code, e.g. GD, GD-GZ, GD-GZ-TH: 2–32 of A–Z, 0–9 and -; a province's is letters only and starts its case numbers (D5).",
    }),
    name: t.exposeString('name', { description: 'The name to show, e.g. 广州市.' }),
    level: t.field({
      type: OrgLevelEnum,
      description: 'Province, city, county or centre.',
      resolve: (u) => u.level,
    }),
    closed: t.exposeBoolean('closed', {
      description: 'A closed unit gets no dispatch or delegation (D1a).',
    }),
    parent: t.field({
      type: OrgUnitRef,
      nullable: true,
      description: 'The unit above; null for a province.',
      resolve: (u, _, ctx) =>
        u.parentId ? ctx.loaders.unit.load(u.parentId).then((p) => p && tag('OrgUnit', p)) : null,
    }),
    children: t.field({
      type: [OrgUnitRef],
      description: 'The units directly below.',
      resolve: async (u, _, ctx) =>
        (await ctx.loaders.unitChildren.load(u.id)).map((c) => tag('OrgUnit', c)),
    }),
    ancestors: t.field({
      type: [OrgUnitRef],
      description: 'From the province down to the parent.',
      resolve: async (u, _, ctx) => {
        const ids = ancestorIdsOf(u).slice(0, -1);
        const rows = await ctx.loaders.unit.loadMany(ids);
        return rows
          .filter((r): r is OrgUnit => !!r && !(r instanceof Error))
          .map((r) => tag('OrgUnit', r));
      },
    }),
  }),
});

builder.queryFields((t) => ({
  orgUnit: t.field({
    type: OrgUnitRef,
    nullable: true,
    description:
      'One unit by global ID or by code; null when none matches (or the ID is malformed).',
    args: {
      id: t.arg.id({ description: "The unit's global ID." }),
      code: t.arg.string({
        description: "The unit's code, e.g. GD-GZ; used when `id` is not given.",
      }),
    },
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
  description: 'A new unit.',
  fields: (t) => ({
    parentId: t.id({
      description: 'The global ID of the unit above; omitted only for a province.',
    }),
    level: t.field({
      type: OrgLevelEnum,
      required: true,
      description:
        'Its level; it must fit under the parent (a CITY or CENTER under a PROVINCE, a COUNTY under a CITY).',
    }),
    code: t.string({
      required: true,
      description: 'A unique code, 2–32 of A–Z, 0–9 and -; letters only for a province (D57).',
    }),
    name: t.string({ required: true, description: 'The name to show.' }),
  }),
});

const OrgUnitPayload = builder
  .objectRef<{ orgUnit: OrgUnit | null; userErrors: never[] }>('OrgUnitPayload')
  .implement({
    description: 'The answer to a change to a unit: the unit, or the userErrors that refused it.',
    fields: (t) => ({
      orgUnit: t.field({
        type: OrgUnitRef,
        nullable: true,
        description: 'The unit after the change; null when refused.',
        resolve: (p) => p.orgUnit && tag('OrgUnit', p.orgUnit),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Empty on success.',
        resolve: (p) => p.userErrors,
      }),
    }),
  });

builder.mutationFields((t) => ({
  createOrgUnit: t.field({
    type: OrgUnitPayload,
    description:
      'An ADMIN creates a unit below one of their subtree (the bootstrap administrator also a province) (D1). An audit record is written. userErrors: FORBIDDEN (outside your subtree), VALIDATION (code taken or malformed, a level that does not fit the parent). Staff only.',
    args: {
      input: t.arg({ type: CreateOrgUnitInput, required: true, description: 'The new unit.' }),
    },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('orgUnit', async () => {
        const parentId = input.parentId == null ? null : idOf(input.parentId, 'OrgUnit');
        if (input.parentId != null && !parentId)
          throw validationError(['input', 'parentId'], 'Not an OrgUnit id');
        return createOrgUnit(
          ctx.db,
          ctx.ability,
          { parentId, level: input.level, code: input.code, name: input.name },
          byOf(ctx),
        );
      }) as never;
    },
  }),
  moveOrgUnit: t.field({
    type: OrgUnitPayload,
    description:
      'An ADMIN moves a unit and its subtree: a COUNTY to another city of its province at any time; a CITY to another province only with no open case in its subtree. Who reads the cases follows the new tree at once; history stays as it was (D1a). An audit record is written. userErrors: FORBIDDEN, NOT_FOUND, VALIDATION (a move these rules refuse, a parent of the wrong level). Staff only.',
    args: {
      input: t.arg({
        type: MoveOrgUnitInput,
        required: true,
        description: 'The unit and its new parent.',
      }),
    },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('orgUnit', async () =>
        moveOrgUnit(
          ctx.db,
          ctx.ability,
          {
            id: unitId(input.id, ['input', 'id']),
            parentId: unitId(input.parentId, ['input', 'parentId']),
          },
          byOf(ctx),
        ),
      ) as never;
    },
  }),
  updateOrgUnit: t.field({
    type: OrgUnitPayload,
    description:
      'An ADMIN renames a unit, closes it or reopens it; a closed unit receives no dispatch or delegation and keeps its cases (D1a). An audit record is written. userErrors: FORBIDDEN, NOT_FOUND, VALIDATION. Staff only.',
    args: {
      input: t.arg({
        type: UpdateOrgUnitInput,
        required: true,
        description: 'The unit and what changes.',
      }),
    },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('orgUnit', async () =>
        updateOrgUnit(
          ctx.db,
          ctx.ability,
          { id: unitId(input.id, ['input', 'id']), name: input.name, closed: input.closed },
          byOf(ctx),
        ),
      ) as never;
    },
  }),
}));

const MoveOrgUnitInput = builder.inputType('MoveOrgUnitInput', {
  description: 'A unit to move and where to.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The global ID of the unit to move.' }),
    parentId: t.id({ required: true, description: 'The global ID of its new parent.' }),
  }),
});
const UpdateOrgUnitInput = builder.inputType('UpdateOrgUnitInput', {
  description: 'What changes on a unit; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The global ID of the unit.' }),
    name: t.string({ description: 'The new name.' }),
    closed: t.boolean({
      description:
        'True closes the unit (no more dispatches or delegations to it); false reopens it.',
    }),
  }),
});

const unitId = (globalId: string, field: string[]) => {
  const id = idOf(globalId, 'OrgUnit');
  if (!id) throw validationError(field, 'Not an OrgUnit id');
  return id;
};

const byOf = (ctx: Context) => ({
  userId: ctx.viewer?.kind === 'user' ? ctx.viewer.id : null,
  at: ctx.services.clock.now(),
});

/**
 * A unit filter's subtree: the unit's path; `false` when the ID names no unit
 * (a malformed or unknown ID matches nothing, D57); null when there is no filter.
 */
export async function unitPathOf(
  ctx: Context,
  unitId: string | null | undefined,
): Promise<string | false | null> {
  if (unitId == null) return null;
  const id = idOf(unitId, 'OrgUnit');
  const unit = id ? await ctx.loaders.unit.load(id) : null;
  return unit ? unit.path : false;
}
