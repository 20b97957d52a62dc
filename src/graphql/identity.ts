import { login } from '../auth/login.js';
import { readsPartner, readsStaff } from '../auth/guards.js';
import { type Viewer } from '../auth/viewer.js';
import { partners, roleGrants } from '../db/schema.js';
import { ROLES } from '../domain/enums.js';
import { validation } from '../domain/errors.js';
import type { AuditBy } from '../domain/audit.js';
import { DomainError } from '../domain/errors.js';
import { changePassword, createPartner, createUser, disableUser, resetPassword, rotatePartnerKey } from '../domain/org.js';
import type { Context } from './context.js';
import { builder } from './builder.js';
import { asPayload, requireStaff, UserErrorRef, type UserError } from './errors.js';
import { idOf, toGlobalId } from './global-id.js';
import { NodeRef, registerNode, tag, tagOf } from './node.js';
import { OrgUnitRef } from './org-unit.js';
import type { UserRow } from './loaders.js';

type PartnerRow = typeof partners.$inferSelect;
type GrantRow = typeof roleGrants.$inferSelect;

export const RoleEnum = builder.enumType('Role', { values: ROLES });

const RoleGrantRef = builder.objectRef<GrantRow>('RoleGrant').implement({
  fields: (t) => ({
    role: t.field({ type: RoleEnum, resolve: (g) => g.role }),
    unit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description: "The unit the role is bound to; null only for the bootstrap administrator's ADMIN grant over the whole tree.",
      resolve: (g, _, ctx) => (g.unitId ? ctx.loaders.unit.load(g.unitId).then((u) => u && tag('OrgUnit', u)) : null),
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
  readsStaff(ctx.viewer) ? (await ctx.loaders.user.loadMany(ids)).map((r) => (r instanceof Error ? null : r)) : ids.map(() => null),
);
/** A partner reads itself; staff read partners. */
registerNode('Partner', async (ids, ctx) =>
  (await ctx.loaders.partner.loadMany(ids)).map((r) =>
    r instanceof Error || !r || !readsPartner(ctx.viewer, r.id) ? null : r,
  ),
);

UserRef.implement({
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ resolve: (u) => toGlobalId('User', u.id) }),
    username: t.exposeString('username'),
    displayName: t.exposeString('displayName'),
    unit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description: 'The unit the user belongs to; null only for the bootstrap administrator.',
      resolve: (u, _, ctx) => (u.unitId ? ctx.loaders.unit.load(u.unitId).then((x) => x && tag('OrgUnit', x)) : null),
    }),
    roles: t.field({ type: [RoleGrantRef], resolve: (u, _, ctx) => ctx.loaders.grants.load(u.id) }),
    disabled: t.exposeBoolean('disabled', { description: 'A disabled user cannot log in; their tokens stop working at once.' }),
  }),
});

PartnerRef.implement({
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ resolve: (p) => toGlobalId('Partner', p.id) }),
    name: t.exposeString('name'),
    carrierCode: t.exposeString('carrierCode'),
    province: t.field({
      type: OrgUnitRef,
      description: "The province whose legal affairs department owns this partner's complaints (D41).",
      resolve: async (p, _, ctx) => tag('OrgUnit', (await ctx.loaders.unit.load(p.provinceId))!),
    }),
  }),
});

export const ViewerRef = builder.unionType('Viewer', {
  types: [UserRef, PartnerRef],
  resolveType: (v) => (tagOf(v) === 'Partner' ? PartnerRef : UserRef),
});

/** The row behind a viewer, tagged for the union. */
export async function viewerRow(viewer: Viewer, loaders: { user: { load(id: string): Promise<UserRow | null> }; partner: { load(id: string): Promise<PartnerRow | null> } }) {
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
    resolve: (_, __, ctx) => (ctx.viewer ? viewerRow(ctx.viewer, ctx.loaders) : null),
  }),
}));

type LoginResult = { token: string | null; viewer: object | null; userErrors: UserError[] };

const LoginPayload = builder.objectRef<LoginResult>('LoginPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { nullable: true }),
    viewer: t.field({ type: ViewerRef, nullable: true, resolve: (p) => p.viewer as never }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
  }),
});

const RoleGrantInput = builder.inputType('RoleGrantInput', {
  fields: (t) => ({ role: t.field({ type: RoleEnum, required: true }), unitId: t.id({ required: true }) }),
});

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    password: t.string({ required: true }),
    displayName: t.string({ required: true }),
    unitId: t.id({ required: true }),
    roles: t.field({ type: [RoleGrantInput], required: true }),
  }),
});

const UserPayload = builder.objectRef<{ user: UserRow | null; userErrors: UserError[] }>('UserPayload').implement({
  fields: (t) => ({
    user: t.field({ type: UserRef, nullable: true, resolve: (p) => p.user && tag('User', p.user) }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
  }),
});

const CreatePartnerInput = builder.inputType('CreatePartnerInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    carrierCode: t.string({ required: true }),
    provinceId: t.id({ description: 'Defaults to the only province when there is exactly one (D41).' }),
  }),
});

type PartnerResult = { partner: PartnerRow | null; apiKey: string | null; userErrors: UserError[] };
const PartnerPayload = builder.objectRef<PartnerResult>('PartnerPayload').implement({
  fields: (t) => ({
    partner: t.field({ type: PartnerRef, nullable: true, resolve: (p) => p.partner && tag('Partner', p.partner) }),
    apiKey: t.exposeString('apiKey', { nullable: true, description: 'Shown once; only its hash is stored.' }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
  }),
});

/** Who makes an administrative change, for its audit record (D52). */
export const auditBy = (ctx: Context): AuditBy => ({
  userId: ctx.viewer?.kind === 'user' ? ctx.viewer.id : null,
  partnerId: ctx.viewer?.kind === 'partner' ? ctx.viewer.id : null,
  at: ctx.services.clock.now(),
});

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({ currentPassword: t.string({ required: true }), newPassword: t.string({ required: true }) }),
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
    args: { username: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_, { username, password }, ctx) => {
      const wrong = { token: null, viewer: null, userErrors: [{ code: 'VALIDATION' as const, message: 'Wrong username or password', field: null }] };
      const address = ctx.clientAddress ?? null;
      const { config, clock } = ctx.services;
      const outcome = await login(ctx.db, { limits: config.login, jwtSecret: config.jwtSecret, clock }, username, password, address);
      if (outcome.ok) return { token: outcome.token, viewer: outcome.user && tag('User', outcome.user), userErrors: [] };
      // D52: a lock-out answers as a wrong password does; only the log tells them apart.
      const locked = outcome.lockedOut;
      if (locked) ctx.log?.warn({ event: 'login_refused', reason: locked.reason, username: username.trim().slice(0, 100), address, until: locked.until.toISOString(), requestId: ctx.requestId }, 'login refused: locked out (D52)');
      return wrong;
    },
  }),
  createUser: t.field({
    type: UserPayload,
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('user', () =>
        createUser(ctx.db, ctx.ability, {
          username: input.username,
          password: input.password,
          displayName: input.displayName,
          unitId: unitIdOf(input.unitId, ['input', 'unitId']),
          roles: input.roles.map((r, i) => ({ role: r.role, unitId: unitIdOf(r.unitId, ['input', 'roles', String(i), 'unitId']) })),
        }, auditBy(ctx)),
      );
    },
  }),
  createPartner: t.field({
    type: PartnerPayload,
    args: { input: t.arg({ type: CreatePartnerInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      requireStaff(ctx);
      const result = await asPayload('created', () =>
        createPartner(ctx.db, ctx.ability, {
          name: input.name,
          carrierCode: input.carrierCode,
          provinceId: input.provinceId == null ? null : unitIdOf(input.provinceId, ['input', 'provinceId']),
        }, auditBy(ctx)),
      );
      return { partner: result.created?.partner ?? null, apiKey: result.created?.apiKey ?? null, userErrors: result.userErrors };
    },
  }),
  disableUser: t.field({
    type: UserPayload,
    description: "D1a: the user cannot log in any more; their tokens stop at once (HTTP, SSE, WebSocket), on every instance.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, args, ctx) => {
      requireStaff(ctx);
      return asPayload('user', async () => disableUser(ctx.db, ctx.ability, idOrThrow(args.id, 'User', ['id']), auditBy(ctx)));
    },
  }),
  resetPassword: t.field({
    type: UserPayload,
    description: "An ADMIN sets a new password; the user's tokens stop working.",
    args: { userId: t.arg.id({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => {
      requireStaff(ctx);
      return asPayload('user', async () => resetPassword(ctx.db, ctx.ability, idOrThrow(args.userId, 'User', ['userId']), args.newPassword, auditBy(ctx)));
    },
  }),
  changePassword: t.field({
    type: UserPayload,
    description: 'D52: the signed-in user sets their own password; every token of theirs (this one included) stops: sign in again.',
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: (_, { input }, ctx) => {
      const viewer = requireStaff(ctx);
      return asPayload('user', async () => changePassword(ctx.db, viewer.id, input, auditBy(ctx)));
    },
  }),
  rotatePartnerKey: t.field({
    type: PartnerPayload,
    description: 'A new key, shown once; the old one stops working at once.',
    args: { partnerId: t.arg.id({ required: true }) },
    resolve: async (_, args, ctx) => {
      requireStaff(ctx);
      const result = await asPayload('rotated', async () => rotatePartnerKey(ctx.db, ctx.ability, idOrThrow(args.partnerId, 'Partner', ['partnerId']), auditBy(ctx)));
      return { partner: result.rotated?.partner ?? null, apiKey: result.rotated?.apiKey ?? null, userErrors: result.userErrors };
    },
  }),
}));
