import type { personalDataReads } from '../db/schema.js';
import { personalDataReadsPage } from '../domain/personal-data.js';
import { auditedScope } from './audit.js';
import { builder } from './builder.js';
import { loadComplaint, ComplaintRef } from './complaint.js';
import { keysetConnection } from './connection.js';
import { idOf } from './global-id.js';
import { viewerRow, ViewerRef } from './identity.js';
import { tag } from './node.js';

type ReadRow = typeof personalDataReads.$inferSelect;

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

const reads = keysetConnection('PersonalDataRead', PersonalDataReadRef, 'pdr');

builder.queryFields((t) => ({
  personalDataReads: t.field({
    type: reads.ConnectionRef,
    description: 'Unmasked reads of personal data in a subtree, newest first; AUDITOR of that subtree only.',
    args: { unitId: t.arg.id(), complaintId: t.arg.id(), first: t.arg.int({ defaultValue: 50 }), after: t.arg.string() },
    resolve: async (_, args, ctx) => {
      // D50: the subtrees whose access log this viewer audits.
      const paths = await auditedScope(ctx, args.unitId, 'The personal-data access log is');
      const page = reads.window(args.first, args.after);
      const filter = args.complaintId == null ? {} : { complaintId: idOf(args.complaintId, 'Complaint') };
      return reads.page(await personalDataReadsPage(ctx.db, ctx.ability, paths, filter, page), page.limit, page.after);
    },
  }),
}));

