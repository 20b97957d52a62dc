import { auditedUnitPaths, auditsUnit } from '../auth/guards.js';
import type { auditRecords } from '../db/schema.js';
import { auditRecordsPage } from '../domain/audit.js';
import { builder } from './builder.js';
import { keysetConnection } from './connection.js';
import type { Context } from './context.js';
import { forbidden } from './errors.js';
import { idOf } from './global-id.js';
import { PartnerRef, UserRef } from './identity.js';
import { tag } from './node.js';
import { OrgUnitRef } from './org-unit.js';

type AuditRow = typeof auditRecords.$inferSelect;

const AuditRecordRef = builder.objectRef<AuditRow>('AuditRecord').implement({
  description:
    'One change to users, grants, partners or units, or one CSV export, as the AUDITORs of the unit read it; append-only (D52).',
  fields: (t) => ({
    action: t.exposeString('action', {
      description:
        'CREATE_ORG_UNIT, MOVE_ORG_UNIT, UPDATE_ORG_UNIT, CREATE_USER, DISABLE_USER, RESET_PASSWORD, CHANGE_PASSWORD, CREATE_PARTNER, ROTATE_PARTNER_KEY, EXPORT_COMPLAINTS, EXPORT_STATS, EXPORT_REPORT (a report page or CSV opened, D77).',
    }),
    actor: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who made it; null for the system (seeding).',
      resolve: (r, _, ctx) =>
        r.actorUserId
          ? ctx.loaders.user.load(r.actorUserId).then((u) => u && tag('User', u))
          : null,
    }),
    unit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description: "The unit whose auditors read it (the unit concerned, or the exporter's scope).",
      resolve: (r, _, ctx) =>
        r.unitId ? ctx.loaders.unit.load(r.unitId).then((u) => u && tag('OrgUnit', u)) : null,
    }),
    targetUser: t.field({
      type: UserRef,
      nullable: true,
      description: 'The user changed; null when not about a user.',
      resolve: (r, _, ctx) =>
        r.targetUserId
          ? ctx.loaders.user.load(r.targetUserId).then((u) => u && tag('User', u))
          : null,
    }),
    targetPartner: t.field({
      type: PartnerRef,
      nullable: true,
      description: 'The partner changed; null when not about a partner.',
      resolve: (r, _, ctx) =>
        r.targetPartnerId
          ? ctx.loaders.partner.load(r.targetPartnerId).then((p) => p && tag('Partner', p))
          : null,
    }),
    targetUnit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description: 'The unit changed; null when not about a unit.',
      resolve: (r, _, ctx) =>
        r.targetUnitId
          ? ctx.loaders.unit.load(r.targetUnitId).then((u) => u && tag('OrgUnit', u))
          : null,
    }),
    detail: t.field({
      type: 'JSON',
      description:
        'What changed (never a password or key); for an export its filter and row count.',
      resolve: (r) => r.detail,
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When it happened.' }),
  }),
});

const records = keysetConnection('AuditRecord', AuditRecordRef, 'audit', 'audit record');

/** The subtrees this viewer audits (its AUDITOR grants), narrowed to `unitId` when given; `what` names the log in the refusal. */
export async function auditedScope(
  ctx: Context,
  unitId: string | null | undefined,
  what: string,
): Promise<string[]> {
  const paths = auditedUnitPaths(ctx.viewer);
  if (!paths.length) throw forbidden(`${what} for AUDITORs`);
  if (unitId == null) return paths;
  const id = idOf(unitId, 'OrgUnit');
  const unit = id ? await ctx.loaders.unit.load(id) : null;
  if (!unit || !auditsUnit(ctx.viewer, unit.path)) throw forbidden('You audit no such unit');
  return [unit.path];
}

builder.queryFields((t) => ({
  auditRecords: t.field({
    type: records.ConnectionRef,
    description:
      'Changes to users, grants, partners and units, and exports, in a subtree, newest first (D52). AUDITOR of that subtree only: anyone else, or a unit you do not audit, gets a FORBIDDEN GraphQL error.',
    args: {
      unitId: t.arg.id({ description: 'The subtree; default every subtree you audit.' }),
      first: t.arg.int({ defaultValue: 50, description: 'Page size, 1–100.' }),
      after: t.arg.string({ description: 'A cursor: the records older than it.' }),
    },
    resolve: async (_, args, ctx) => {
      const paths = await auditedScope(ctx, args.unitId, 'The audit records are');
      const page = records.window(args.first, args.after);
      return records.page(await auditRecordsPage(ctx.db, paths, page), page.limit, page.after);
    },
  }),
}));
