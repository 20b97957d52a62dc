import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { auditedUnitPaths, auditsUnit } from '../auth/guards.js';
import { complaintsWhere } from '../auth/sql.js';
import { complaints, personalDataReads } from '../db/schema.js';
import { escapeLike } from '../domain/org.js';
import { builder } from './builder.js';
import { loadComplaint, ComplaintRef } from './complaint.js';
import { PageInfoRef, positionCursor, size, type PageInfo } from './connection.js';
import type { Context } from './context.js';
import { forbidden } from './errors.js';
import { idOf } from './global-id.js';
import { viewerRow, ViewerRef } from './identity.js';
import { tag } from './node.js';

type ReadRow = typeof personalDataReads.$inferSelect;
const readCursor = positionCursor('pdr');

const PersonalDataReadRef = builder.objectRef<ReadRow>('PersonalDataRead').implement({
  description: "One unmasked read of a complaint's personal data (D50).",
  fields: (t) => ({
    viewer: t.field({
      type: ViewerRef,
      resolve: async (r, _, ctx) =>
        (r.viewerUserId
          ? await viewerRow({ kind: 'user', id: r.viewerUserId } as never, ctx.loaders)
          : await ctx.loaders.partner.load(r.viewerPartnerId!).then((p) => p && tag('Partner', p)))!,
    }),
    complaint: t.field({ type: ComplaintRef, resolve: async (r, _, ctx) => (await loadComplaint(ctx, r.complaintId))! }),
    fields: t.stringList({ description: 'The personal fields served: name, phone, address, accountNumber.', resolve: (r) => r.fields }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

type Connection = { edges: { cursor: string; node: ReadRow }[]; pageInfo: PageInfo };

const EdgeRef = builder.objectRef<Connection['edges'][number]>('PersonalDataReadEdge').implement({
  fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: PersonalDataReadRef, resolve: (e) => e.node }) }),
});
const ConnectionRef = builder.objectRef<Connection>('PersonalDataReadConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EdgeRef], resolve: (c) => c.edges }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (c) => c.pageInfo }),
  }),
});

/** D50: the subtrees whose access log this viewer audits (its AUDITOR grants), narrowed to `unitId` when given. */
async function auditedPaths(ctx: Context, unitId: string | null | undefined): Promise<string[]> {
  const paths = auditedUnitPaths(ctx.viewer);
  if (!paths.length) throw forbidden('The personal-data access log is for AUDITORs');
  if (unitId == null) return paths;
  const id = idOf(unitId, 'OrgUnit');
  const unit = id ? await ctx.loaders.unit.load(id) : null;
  if (!unit || !auditsUnit(ctx.viewer, unit.path)) throw forbidden('You audit no such unit');
  return [unit.path];
}

builder.queryFields((t) => ({
  personalDataReads: t.field({
    type: ConnectionRef,
    description: 'Unmasked reads of personal data in a subtree, newest first; AUDITOR of that subtree only.',
    args: { unitId: t.arg.id(), complaintId: t.arg.id(), first: t.arg.int({ defaultValue: 50 }), after: t.arg.string() },
    resolve: async (_, args, ctx) => {
      const paths = await auditedPaths(ctx, args.unitId);
      const n = size(args.first, 50, 'first');
      const after = readCursor.decode(args.after, 'after');
      const inScope = sql.join(
        paths.map((p) => sql`${complaints.handlingPath} like ${escapeLike(p) + '%'}`),
        sql` or `,
      );
      const cases = sql`select ${complaints.id} from ${complaints} where (${inScope}) and ${complaintsWhere(ctx.ability, 'read')}`;
      const conds: SQL[] = [sql`${personalDataReads.complaintId} in (${cases})`];
      if (args.complaintId != null) {
        const cid = idOf(args.complaintId, 'Complaint');
        conds.push(cid ? eq(personalDataReads.complaintId, cid) : sql`false`);
      }
      if (after !== null) conds.push(lt(personalDataReads.position, after));
      const rows = await ctx.db
        .select()
        .from(personalDataReads)
        .where(and(...conds))
        .orderBy(desc(personalDataReads.position))
        .limit(n + 1);
      const edges = rows.slice(0, n).map((node) => ({ cursor: readCursor.encode(node.position!), node }));
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > n, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
  }),
}));

