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
  description: "One unmasked read of a complaint's personal data (D50): who read which fields of which case, and when. Append-only.",
  fields: (t) => ({
    viewer: t.field({
      type: ViewerRef,
      description: 'Who read it: a staff user or the submitting partner.',
      resolve: async (r, _, ctx) =>
        (r.viewerUserId
          ? await viewerRow({ kind: 'user', id: r.viewerUserId } as never, ctx.loaders)
          : await ctx.loaders.partner.load(r.viewerPartnerId!).then((p) => p && tag('Partner', p)))!,
    }),
    complaint: t.field({ type: ComplaintRef, description: 'The case read.', resolve: async (r, _, ctx) => (await loadComplaint(ctx, r.complaintId))! }),
    fields: t.stringList({ description: 'The personal fields served: name, phone, address, accountNumber, and `details.<field>` for a line\'s own personal data.', resolve: (r) => r.fields }),
    at: t.expose('at', { type: 'DateTime', description: 'When it was read.' }),
  }),
});

type Connection = { edges: { cursor: string; node: ReadRow }[]; pageInfo: PageInfo };

const EdgeRef = builder.objectRef<Connection['edges'][number]>('PersonalDataReadEdge').implement({
  description: 'One read in a page, with its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque; pass it as `after` for the older reads.' }),
    node: t.field({ type: PersonalDataReadRef, description: 'The read.', resolve: (e) => e.node }),
  }),
});
const ConnectionRef = builder.objectRef<Connection>('PersonalDataReadConnection').implement({
  description: 'A page of personal-data reads, newest first.',
  fields: (t) => ({
    edges: t.field({ type: [EdgeRef], description: 'The reads of this page.', resolve: (c) => c.edges }),
    pageInfo: t.field({ type: PageInfoRef, description: 'Whether older reads follow (`hasNextPage`, `endCursor`).', resolve: (c) => c.pageInfo }),
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
    description:
      'Unmasked reads of personal data in a subtree, newest first; AUDITOR of that subtree only (D50): anyone else, a partner, or a unit you do not audit gets a FORBIDDEN GraphQL error.',
    args: {
      unitId: t.arg.id({ description: 'The subtree (cases handled in it); default every subtree you audit.' }),
      complaintId: t.arg.id({ description: 'Only the reads of this case (global ID); a malformed ID matches nothing.' }),
      first: t.arg.int({ defaultValue: 50, description: 'Page size, 1–100.' }),
      after: t.arg.string({ description: 'A cursor: the reads older than it.' }),
    },
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

