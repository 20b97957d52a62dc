import { and } from 'drizzle-orm';
import { filterRefusal } from '../auth/guards.js';
import { complaintsWhere } from '../auth/sql.js';
import { badArgument, forbidden, refusalsAsErrors } from './errors.js';
import { countComplaints, DEFAULT_ORDER, filterWhere, listComplaints, type ComplaintFilter } from '../domain/complaint-list.js';
import { phone as normalisePhone } from '../domain/input.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import { builder } from './builder.js';
import { ChannelEnum, ComplaintRef, ComplaintStatusEnum, SeverityEnum, SourceEnum } from './complaint.js';
import { PageInfoRef, size, type PageInfo } from './connection.js';
import type { Context } from './context.js';
import { idOf } from './global-id.js';
import { tag } from './node.js';
import { unitPathOf } from './org-unit.js';

const ComplaintFilterRef = builder.inputType('ComplaintFilter', {
  fields: (t) => ({
    status: t.field({ type: [ComplaintStatusEnum] }),
    businessLine: t.stringList(),
    category: t.stringList(),
    severity: t.field({ type: [SeverityEnum] }),
    source: t.field({ type: [SourceEnum] }),
    channel: t.field({ type: [ChannelEnum] }),
    unitId: t.id({ description: "Complaints handled anywhere in this unit's subtree." }),
    overdue: t.boolean(),
    escalated: t.boolean(),
    registeredFrom: t.field({ type: 'DateTime' }),
    registeredTo: t.field({ type: 'DateTime' }),
    search: t.string({ description: 'Case number, title or description substring.' }),
    customerPhone: t.string({ description: 'Exact customer phone; only for viewers allowed to see personal data.' }),
  }),
});

const OrderFieldEnum = builder.enumType('ComplaintOrderField', { values: ['REGISTERED_AT', 'DUE_AT', 'SEVERITY'] as const });
const OrderDirectionEnum = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });
const ComplaintOrderRef = builder.inputType('ComplaintOrder', {
  fields: (t) => ({
    field: t.field({ type: OrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true }),
  }),
});

type Connection = { rows: ComplaintRow[]; cursors: string[]; pageInfo: PageInfo; count: () => Promise<number> };

const EdgeRef = builder.objectRef<{ cursor: string; node: ComplaintRow }>('ComplaintEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: ComplaintRef, resolve: (e) => e.node }),
  }),
});

const ConnectionRef = builder.objectRef<Connection>('ComplaintConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EdgeRef], resolve: (c) => c.rows.map((node, i) => ({ cursor: c.cursors[i]!, node })) }),
    nodes: t.field({ type: [ComplaintRef], resolve: (c) => c.rows }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (c) => c.pageInfo }),
    totalCount: t.int({ description: 'Every case matching the filter that the viewer reads; counted only when asked for.', resolve: (c) => c.count() }),
  }),
});

export type FilterArg = typeof ComplaintFilterRef.$inferInput;

/**
 * The list's whole condition: the viewer's CASL read rules as SQL, ANDed with the filter (D54).
 * D40: a filter a partner may not use is FORBIDDEN (a GraphQL error), before anything is read.
 */
export async function listWhere(ctx: Context, filter: FilterArg | null | undefined) {
  const refused = filterRefusal(ctx.viewer, filter as Record<string, unknown> | null | undefined);
  if (refused) throw forbidden(refused);
  return and(complaintsWhere(ctx.ability, 'read'), ...filterWhere(await domainFilter(ctx, filter), ctx.services.clock.now()))!;
}

/** The GraphQL filter in domain terms: IDs decoded (unknown ones match nothing), the phone normalised and guarded (D50). */
async function domainFilter(ctx: Context, f: FilterArg | null | undefined): Promise<ComplaintFilter> {
  if (!f) return {};
  const unitPath = await unitPathOf(ctx, f.unitId);
  let customerPhone: ComplaintFilter['customerPhone'] = null;
  if (f.customerPhone != null) {
    customerPhone = { phone: normalisePhone(f.customerPhone, ['filter', 'customerPhone']), visible: complaintsWhere(ctx.ability, 'readPersonalData') };
  }
  return { ...f, unitPath, customerPhone };
}

builder.queryFields((t) => ({
  complaints: t.field({
    type: ConnectionRef,
    description: 'The cases the viewer reads (D54), filtered, ordered (default: newest first) and paged by cursor; `first` defaults to 20.',
    args: {
      filter: t.arg({ type: ComplaintFilterRef }),
      orderBy: t.arg({ type: ComplaintOrderRef }),
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
    },
    resolve: async (_, args, ctx) => {
      const backwards = args.last != null || args.before != null;
      if (backwards && (args.first != null || args.after != null)) {
        throw badArgument('Page forwards (first/after) or backwards (last/before), not both', 'last');
      }
      const page = backwards
        ? { last: size(args.last, 20, 'last'), before: args.before }
        : { first: size(args.first, 20, 'first'), after: args.after };
      return refusalsAsErrors('filter', async () => {
        const where = await listWhere(ctx, args.filter);
        const order = args.orderBy ?? DEFAULT_ORDER;
        const result = await listComplaints(ctx.db, where, order, page);
        for (const row of result.rows) ctx.loaders.complaint.prime(row.id, row);
        return {
          rows: result.rows.map((r) => tag('Complaint', r)),
          cursors: result.cursors,
          pageInfo: {
            hasNextPage: result.hasNextPage,
            hasPreviousPage: result.hasPreviousPage,
            startCursor: result.cursors[0] ?? null,
            endCursor: result.cursors.at(-1) ?? null,
          },
          count: () => countComplaints(ctx.db, where),
        };
      });
    },
  }),
}));
