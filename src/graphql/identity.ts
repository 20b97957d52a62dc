import { readsPartner, readsStaff } from '../auth/guards.js';
import { login } from '../auth/login.js';
import type { Viewer } from '../auth/viewer.js';
import type { partners, roleGrants } from '../db/schema.js';
import type { AuditBy } from '../domain/audit.js';
import { ROLES } from '../domain/enums.js';
import { DomainError, validation } from '../domain/errors.js';
import {
  changePassword,
  createPartner,
  createUser,
  disableUser,
  resetPassword,
  rotatePartnerKey,
} from '../domain/org.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { documented, ROLE_DOCS } from './enum-docs.js';
import { asPayload, requireStaff, type UserError, UserErrorRef } from './errors.js';
import { idOf, toGlobalId } from './global-id.js';
import type { UserRow } from './loaders.js';
import { NodeRef, registerNode, tag, tagOf } from './node.js';
import { OrgUnitRef } from './org-unit.js';

type PartnerRow = typeof partners.$inferSelect;
type GrantRow = typeof roleGrants.$inferSelect;

export const RoleEnum = builder.enumType('Role', {
  description:
    "A staff member's role; each grant binds one to a unit, and reaches that unit's subtree (D3). Partners are not users: they sign in with an API key (D40).",
  values: documented(ROLES, ROLE_DOCS),
});

const RoleGrantRef = builder.objectRef<GrantRow>('RoleGrant').implement({
  description: 'One role a user holds, bound to a unit (D3).',
  fields: (t) => ({
    role: t.field({ type: RoleEnum, description: 'The role.', resolve: (g) => g.role }),
    unit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description:
        "The unit the role is bound to; null only for the bootstrap administrator's ADMIN grant over the whole tree.",
      resolve: (g, _, ctx) =>
        g.unitId ? ctx.loaders.unit.load(g.unitId).then((u) => u && tag('OrgUnit', u)) : null,
    }),
  }),
});

export const UserRef = builder.objectRef<UserRow>('User');
export const PartnerRef = builder.objectRef<PartnerRow>('Partner');

/**
 * Staff names are visible to staff; a partner sees no staff (D40), so a
 * partner loading a User node gets null.
 */
registerNode('User', async (ids, ctx) =>
  readsStaff(ctx.viewer)
    ? (await ctx.loaders.user.loadMany(ids)).map((r) => (r instanceof Error ? null : r))
    : ids.map(() => null),
);
/** A partner reads itself; staff read partners. */
registerNode('Partner', async (ids, ctx) =>
  (await ctx.loaders.partner.loadMany(ids)).map((r) =>
    r instanceof Error || !r || !readsPartner(ctx.viewer, r.id) ? null : r,
  ),
);

UserRef.implement({
  description:
    'A staff member: agent, handler, leader, duty manager, auditor or administrator. Staff read each other; a partner sees no staff (null), D40.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ description: 'Global ID.', resolve: (u) => toGlobalId('User', u.id) }),
    username: t.exposeString('username', {
      description:
        'The sign-in name (2–64 letters, digits, dots, hyphens, underscores or @), unique.',
    }),
    displayName: t.exposeString('displayName', { description: 'The name to show.' }),
    unit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description: 'The unit the user belongs to; null only for the bootstrap administrator.',
      resolve: (u, _, ctx) =>
        u.unitId ? ctx.loaders.unit.load(u.unitId).then((x) => x && tag('OrgUnit', x)) : null,
    }),
    roles: t.field({
      type: [RoleGrantRef],
      description: 'Every role grant the user holds.',
      resolve: (u, _, ctx) => ctx.loaders.grants.load(u.id),
    }),
    disabled: t.exposeBoolean('disabled', {
      description: 'A disabled user cannot log in; their tokens stop working at once.',
    }),
  }),
});

PartnerRef.implement({
  description:
    'Another carrier that submits complaints between carriers through this API with its API key (header `X-API-Key`), and follows its own cases (D40). A partner reads itself; staff read every partner.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ description: 'Global ID.', resolve: (p) => toGlobalId('Partner', p.id) }),
    name: t.exposeString('name', { description: "The carrier's name." }),
    carrierCode: t.exposeString('carrierCode', {
      description: "The carrier's code, unique, upper case (2–32 of A–Z, 0–9, -).",
    }),
    province: t.field({
      type: OrgUnitRef,
      description:
        "The province whose legal affairs department owns this partner's complaints (D41).",
      resolve: async (p, _, ctx) => tag('OrgUnit', (await ctx.loaders.unit.load(p.provinceId))!),
    }),
  }),
});

export const ViewerRef = builder.unionType('Viewer', {
  description:
    'Who is signed in, or who acted: a staff User (bearer token from `login`) or a Partner (API key).',
  types: [UserRef, PartnerRef],
  resolveType: (v) => (tagOf(v) === 'Partner' ? PartnerRef : UserRef),
});

/** The row behind a viewer, tagged for the union. */
export async function viewerRow(
  viewer: Viewer,
  loaders: {
    user: { load(id: string): Promise<UserRow | null> };
    partner: { load(id: string): Promise<PartnerRow | null> };
  },
) {
  if (viewer.kind === 'partner') {
    const p = await loaders.partner.load(viewer.id);
    return p && tag('Partner', p);
  }
  const u = await loaders.user.load(viewer.id);
  return u && tag('User', u);
}

builder.queryFields((t) => ({
  me: t.field({
    type: ViewerRef,
    nullable: true,
    description:
      'The signed-in staff user or partner (who `Authorization: Bearer` or `X-API-Key` names).',
    resolve: (_, __, ctx) => (ctx.viewer ? viewerRow(ctx.viewer, ctx.loaders) : null),
  }),
}));

type LoginResult = { token: string | null; viewer: object | null; userErrors: UserError[] };

const LoginPayload = builder.objectRef<LoginResult>('LoginPayload').implement({
  description: 'The answer to `login`: a token, or a userError.',
  fields: (t) => ({
    token: t.exposeString('token', {
      nullable: true,
      description:
        'Send it as `Authorization: Bearer <token>` on HTTP, or as `authorization` in the WebSocket connection_init payload; null when refused.',
    }),
    viewer: t.field({
      type: ViewerRef,
      nullable: true,
      description: 'The user signed in; null when refused.',
      resolve: (p) => p.viewer as never,
    }),
    userErrors: t.field({
      type: [UserErrorRef],
      description:
        'Empty on success; VALIDATION "Wrong username or password" otherwise, whatever the reason (D52).',
      resolve: (p) => p.userErrors,
    }),
  }),
});

const RoleGrantInput = builder.inputType('RoleGrantInput', {
  description: 'A role to grant, bound to a unit.',
  fields: (t) => ({
    role: t.field({ type: RoleEnum, required: true, description: 'The role.' }),
    unitId: t.id({
      required: true,
      description: "The global ID of the unit it is bound to; it reaches that unit's subtree.",
    }),
  }),
});

const CreateUserInput = builder.inputType('CreateUserInput', {
  description: 'A new staff account.',
  fields: (t) => ({
    username: t.string({
      required: true,
      description:
        'The sign-in name: 2–64 letters, digits, dots, hyphens, underscores or @; unique.',
    }),
    password: t.string({
      required: true,
      description:
        'A first password: at least 12 characters, not the username. It only lets the user set their own with changePassword (D52).',
    }),
    displayName: t.string({ required: true, description: 'The name to show.' }),
    unitId: t.id({ required: true, description: 'The global ID of the unit the user belongs to.' }),
    roles: t.field({
      type: [RoleGrantInput],
      required: true,
      description: 'The roles granted, each bound to a unit.',
    }),
  }),
});

const UserPayload = builder
  .objectRef<{ user: UserRow | null; userErrors: UserError[] }>('UserPayload')
  .implement({
    description: 'The answer to a change to a user: the user, or the userErrors that refused it.',
    fields: (t) => ({
      user: t.field({
        type: UserRef,
        nullable: true,
        description: 'The user after the change; null when refused.',
        resolve: (p) => p.user && tag('User', p.user),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Empty on success.',
        resolve: (p) => p.userErrors,
      }),
    }),
  });

const CreatePartnerInput = builder.inputType('CreatePartnerInput', {
  description: 'A new partner carrier.',
  fields: (t) => ({
    name: t.string({ required: true, description: "The carrier's name." }),
    carrierCode: t.string({
      required: true,
      description: 'A unique code, 2–32 of A–Z, 0–9 and - (upper-cased).',
    }),
    provinceId: t.id({
      description: 'Defaults to the only province when there is exactly one (D41).',
    }),
  }),
});

type PartnerResult = { partner: PartnerRow | null; apiKey: string | null; userErrors: UserError[] };
const PartnerPayload = builder.objectRef<PartnerResult>('PartnerPayload').implement({
  description: 'The answer to creating a partner or rotating its key.',
  fields: (t) => ({
    partner: t.field({
      type: PartnerRef,
      nullable: true,
      description: 'The partner; null when refused.',
      resolve: (p) => p.partner && tag('Partner', p.partner),
    }),
    apiKey: t.exposeString('apiKey', {
      nullable: true,
      description:
        "The API key, shown once: hand it to the partner's integrator (header `X-API-Key`); only its hash is stored (D52).",
    }),
    userErrors: t.field({
      type: [UserErrorRef],
      description: 'Empty on success.',
      resolve: (p) => p.userErrors,
    }),
  }),
});

/** Who makes an administrative change, for its audit record (D52). */
export const auditBy = (ctx: Context): AuditBy => ({
  userId: ctx.viewer?.kind === 'user' ? ctx.viewer.id : null,
  partnerId: ctx.viewer?.kind === 'partner' ? ctx.viewer.id : null,
  at: ctx.services.clock.now(),
});

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  description: 'Your current password and the new one.',
  fields: (t) => ({
    currentPassword: t.string({ required: true, description: 'The password you signed in with.' }),
    newPassword: t.string({
      required: true,
      description: 'At least 12 characters, not blank, not your username (D52).',
    }),
  }),
});

const idOrThrow = (globalId: string, type: 'User' | 'Partner', field: string[]) => {
  const id = idOf(globalId, type);
  if (!id) throw new DomainError('VALIDATION', `Not a ${type} id`, field);
  return id;
};

const unitIdOf = (globalId: string, field: string[]) => {
  const id = idOf(globalId, 'OrgUnit');
  if (!id) throw validation(field, 'Not an OrgUnit id');
  return id;
};

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginPayload,
    description:
      'Signs a staff member in and returns a bearer token; the one operation that needs no credentials. Wrong username or password, a disabled user, or a locked-out name or address all answer the same VALIDATION userError. After 5 failures for one username in 15 minutes, or 20 from one address, logins are refused for 15 minutes; a request holding more than one `login` is refused (D52). Partners do not log in: they send their API key.',
    args: {
      username: t.arg.string({ required: true, description: 'Your sign-in name.' }),
      password: t.arg.string({ required: true, description: 'Your password.' }),
    },
    resolve: async (_, { username, password }, ctx) => {
      const wrong = {
        token: null,
        viewer: null,
        userErrors: [
          { code: 'VALIDATION' as const, message: 'Wrong username or password', field: null },
        ],
      };
      const address = ctx.clientAddress ?? null;
      const { config, clock } = ctx.services;
      const outcome = await login(
        ctx.db,
        { limits: config.login, jwtSecret: config.jwtSecret, clock },
        username,
        password,
        address,
      );
      if (outcome.ok)
        return {
          token: outcome.token,
          viewer: outcome.user && tag('User', outcome.user),
          userErrors: [],
        };
      // D52: a lock-out answers as a wrong password does; only the log tells them apart.
      const locked = outcome.lockedOut;
      if (locked)
        ctx.log?.warn(
          {
            event: 'login_refused',
            reason: locked.reason,
            username: username.trim().slice(0, 100),
            address,
            until: locked.until.toISOString(),
            requestId: ctx.requestId,
          },
          'login refused: locked out (D52)',
        );
      return wrong;
    },
  }),
  createUser: t.field({
    type: UserPayload,
    description:
      'An ADMIN creates a staff account in a unit of their subtree, with its role grants; the user must set their own password (changePassword) before doing anything else (D52). An audit record is written. userErrors: FORBIDDEN (a unit outside your subtree), VALIDATION (username taken or malformed, weak password, unknown unit). Staff only.',
    args: {
      input: t.arg({ type: CreateUserInput, required: true, description: 'The new account.' }),
    },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('user', () =>
        createUser(
          ctx.db,
          ctx.ability,
          {
            username: input.username,
            password: input.password,
            displayName: input.displayName,
            unitId: unitIdOf(input.unitId, ['input', 'unitId']),
            roles: input.roles.map((r, i) => ({
              role: r.role,
              unitId: unitIdOf(r.unitId, ['input', 'roles', String(i), 'unitId']),
            })),
          },
          auditBy(ctx),
        ),
      );
    },
  }),
  createPartner: t.field({
    type: PartnerPayload,
    description:
      'An ADMIN of the province creates a partner carrier and gets its API key, shown once (D40, D41, D52). An audit record is written. userErrors: FORBIDDEN (not your province), VALIDATION (carrier code taken or malformed, no province named when there is not exactly one). Staff only.',
    args: {
      input: t.arg({ type: CreatePartnerInput, required: true, description: 'The new partner.' }),
    },
    resolve: async (_, { input }, ctx) => {
      requireStaff(ctx);
      const result = await asPayload('created', () =>
        createPartner(
          ctx.db,
          ctx.ability,
          {
            name: input.name,
            carrierCode: input.carrierCode,
            provinceId:
              input.provinceId == null ? null : unitIdOf(input.provinceId, ['input', 'provinceId']),
          },
          auditBy(ctx),
        ),
      );
      return {
        partner: result.created?.partner ?? null,
        apiKey: result.created?.apiKey ?? null,
        userErrors: result.userErrors,
      };
    },
  }),
  disableUser: t.field({
    type: UserPayload,
    description:
      'An ADMIN disables a user of their subtree: the user cannot log in any more; their tokens stop at once (HTTP, SSE, WebSocket), on every instance (D1a). An audit record is written. userErrors: FORBIDDEN, NOT_FOUND, VALIDATION (malformed ID). Staff only.',
    args: { id: t.arg.id({ required: true, description: 'The global ID of the user.' }) },
    resolve: (_, args, ctx) => {
      requireStaff(ctx);
      return asPayload('user', async () =>
        disableUser(ctx.db, ctx.ability, idOrThrow(args.id, 'User', ['id']), auditBy(ctx)),
      );
    },
  }),
  resetPassword: t.field({
    type: UserPayload,
    description:
      "An ADMIN sets a new password for a user of their subtree; the user's tokens stop working, and the new password only lets its owner set their own (changePassword, D52). An audit record is written. userErrors: FORBIDDEN, NOT_FOUND, VALIDATION (weak password, malformed ID). Staff only.",
    args: {
      userId: t.arg.id({ required: true, description: 'The global ID of the user.' }),
      newPassword: t.arg.string({
        required: true,
        description: 'At least 12 characters, not blank, not the username (D52).',
      }),
    },
    resolve: (_, args, ctx) => {
      requireStaff(ctx);
      return asPayload('user', async () =>
        resetPassword(
          ctx.db,
          ctx.ability,
          idOrThrow(args.userId, 'User', ['userId']),
          args.newPassword,
          auditBy(ctx),
        ),
      );
    },
  }),
  changePassword: t.field({
    type: UserPayload,
    description:
      'The signed-in user sets their own password; every token of theirs (this one included) stops: sign in again (D52). userErrors: VALIDATION (wrong current password, weak new one). Staff only.',
    args: {
      input: t.arg({
        type: ChangePasswordInput,
        required: true,
        description: 'The current and the new password.',
      }),
    },
    resolve: (_, { input }, ctx) => {
      const viewer = requireStaff(ctx);
      return asPayload('user', async () => changePassword(ctx.db, viewer.id, input, auditBy(ctx)));
    },
  }),
  rotatePartnerKey: t.field({
    type: PartnerPayload,
    description:
      "An ADMIN of the partner's province gives it a new API key, shown once; the old one stops working at once (D52). An audit record is written. userErrors: FORBIDDEN, NOT_FOUND, VALIDATION (malformed ID). Staff only.",
    args: { partnerId: t.arg.id({ required: true, description: 'The global ID of the partner.' }) },
    resolve: async (_, args, ctx) => {
      requireStaff(ctx);
      const result = await asPayload('rotated', async () =>
        rotatePartnerKey(
          ctx.db,
          ctx.ability,
          idOrThrow(args.partnerId, 'Partner', ['partnerId']),
          auditBy(ctx),
        ),
      );
      return {
        partner: result.rotated?.partner ?? null,
        apiKey: result.rotated?.apiKey ?? null,
        userErrors: result.userErrors,
      };
    },
  }),
}));
