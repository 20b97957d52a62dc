import type { personalDataReads } from '../db/schema.js';
import { personalDataReadsPage } from '../domain/personal-data.js';
import { auditedScope } from './audit.js';
import { builder } from './builder.js';
import { ComplaintRef, loadComplaint } from './complaint.js';
import { keysetConnection } from './connection.js';
import { idOf } from './global-id.js';
import { ViewerRef, viewerRow } from './identity.js';
import { tag } from './node.js';

type ReadRow = typeof personalDataReads.$inferSelect;

const PersonalDataReadRef = builder.objectRef<ReadRow>('PersonalDataRead').implement({
  description:
    "One unmasked read of a complaint's personal data (D50): who read which fields of which case, and when. Append-only.",
  fields: (t) => ({
    viewer: t.field({
      type: ViewerRef,
      description: 'Who read it: a staff user or the submitting partner.',
      resolve: async (r, _, ctx) =>
        (r.viewerUserId
          ? await viewerRow({ kind: 'user', id: r.viewerUserId } as never, ctx.loaders)
          : await ctx.loaders.partner
              .load(r.viewerPartnerId!)
              .then((p) => p && tag('Partner', p)))!,
    }),
    complaint: t.field({
      type: ComplaintRef,
      description: 'The case read.',
      resolve: async (r, _, ctx) => (await loadComplaint(ctx, r.complaintId))!,
    }),
    fields: t.stringList({
      description:
        "The personal fields served: name, phone, address, accountNumber, and `details.<field>` for a line's own personal data.",
      resolve: (r) => r.fields,
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When it was read.' }),
  }),
});

const reads = keysetConnection(
  'PersonalDataRead',
  PersonalDataReadRef,
  'pdr',
  'personal-data read',
);

builder.queryFields((t) => ({
  personalDataReads: t.field({
    type: reads.ConnectionRef,
    description:
      'Unmasked reads of personal data in a subtree, newest first; AUDITOR of that subtree only (D50): anyone else, a partner, or a unit you do not audit gets a FORBIDDEN GraphQL error.',
    args: {
      unitId: t.arg.id({
        description: 'The subtree (cases handled in it); default every subtree you audit.',
      }),
      complaintId: t.arg.id({
        description: 'Only the reads of this case (global ID); a malformed ID matches nothing.',
      }),
      first: t.arg.int({ defaultValue: 50, description: 'Page size, 1–100.' }),
      after: t.arg.string({ description: 'A cursor: the reads older than it.' }),
    },
    resolve: async (_, args, ctx) => {
      // D50: the subtrees whose access log this viewer audits.
      const paths = await auditedScope(ctx, args.unitId, 'The personal-data access log is');
      const page = reads.window(args.first, args.after);
      const filter =
        args.complaintId == null ? {} : { complaintId: idOf(args.complaintId, 'Complaint') };
      return reads.page(
        await personalDataReadsPage(ctx.db, ctx.ability, paths, filter, page),
        page.limit,
        page.after,
      );
    },
  }),
}));
