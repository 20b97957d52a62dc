import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { readableWhere } from '../auth/complaint-rules.js';
import { complaintEvents, complaints } from '../db/schema.js';
import { escapeLike } from '../domain/org.js';
import { builder } from './builder.js';
import { ComplaintRef, ComplaintStatusEnum, SeverityEnum, loadComplaint } from './complaint.js';
import type { Context } from './context.js';
import { badArgument, PageInfoRef, positionCursor, size, type PageInfo } from './connection.js';
import { idOf, toGlobalId } from './global-id.js';
import { viewerRow, ViewerRef } from './identity.js';
import { NodeRef, registerNode, tag } from './node.js';

export type EventRow = typeof complaintEvents.$inferSelect;

/** D56: an event's cursor is its position in commit order, the same in `timeline`, `complaintEvents` and the feed. */
export const eventCursor = positionCursor('ev');

/** D40: a partner sees no payload, and an actor only where the partner itself acted. */
const forPartner = (ctx: Context) => ctx.viewer?.kind === 'partner';

export const ComplaintEventRef = builder.objectRef<EventRow>('ComplaintEvent');

ComplaintEventRef.implement({
  description: 'An append-only record of one change to a complaint (D51, D56).',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ resolve: (e) => toGlobalId('ComplaintEvent', e.id) }),
    cursor: t.string({
      description: "Opaque position in the event log's commit order; pass it as `after` to resume (exclusive).",
      resolve: (e) => eventCursor.encode(e.position),
    }),
    complaint: t.field({ type: ComplaintRef, resolve: async (e, _, ctx) => (await loadComplaint(ctx, e.complaintId))! }),
    action: t.exposeString('action', { description: 'A ComplaintAction name, or SLA_WARNING, SLA_BREACH, ANONYMISE (D56).' }),
    fromStatus: t.field({ type: ComplaintStatusEnum, nullable: true, resolve: (e) => e.fromStatus }),
    toStatus: t.field({ type: ComplaintStatusEnum, nullable: true, resolve: (e) => e.toStatus }),
    actor: t.field({
      type: ViewerRef,
      nullable: true,
      resolve: (e, _, ctx) => {
        if (forPartner(ctx)) return e.actorPartnerId === ctx.viewer!.id ? viewerRow(ctx.viewer!, ctx.loaders) : null;
        if (e.actorUserId) return viewerRow({ kind: 'user', id: e.actorUserId } as never, ctx.loaders);
        if (e.actorPartnerId) return ctx.loaders.partner.load(e.actorPartnerId).then((p) => p && tag('Partner', p));
        return null;
      },
    }),
    at: t.expose('at', { type: 'DateTime' }),
    payload: t.field({ type: 'JSON', nullable: true, resolve: (e, _, ctx) => (forPartner(ctx) ? null : e.payload) }),
    hash: t.exposeString('hash', {
      description: 'Lower-case hex SHA-256 chaining this event to the previous one of the same complaint (D56).',
    }),
  }),
});

registerNode('ComplaintEvent', async (ids, ctx) => {
  const rows = await ctx.db.select().from(complaintEvents).where(inArray(complaintEvents.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return Promise.all(
    ids.map(async (id) => {
      const e = byId.get(id);
      return e && (await loadComplaint(ctx, e.complaintId)) ? e : null;
    }),
  );
});

type EventConnection = { edges: { cursor: string; node: EventRow }[]; pageInfo: PageInfo };

const EdgeRef = builder.objectRef<EventConnection['edges'][number]>('ComplaintEventEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: ComplaintEventRef, resolve: (e) => e.node }),
  }),
});

export const ComplaintEventConnectionRef = builder.objectRef<EventConnection>('ComplaintEventConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EdgeRef], resolve: (c) => c.edges }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (c) => c.pageInfo }),
  }),
});

function connection(rows: EventRow[], hasNextPage: boolean, hasPreviousPage: boolean): EventConnection {
  const edges = rows.map((node) => ({ cursor: eventCursor.encode(node.position), node }));
  return {
    edges,
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/**
 * Keyset pages over event positions: forwards (`first`/`after`, ascending)
 * or backwards (`last`/`before`: the latest events, still returned in
 * ascending order). One extra row tells whether there is more.
 */
export async function eventPage(
  ctx: Context,
  where: SQL | undefined,
  args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null },
  defaultSize: number,
): Promise<EventConnection> {
  const backwards = args.last != null || args.before != null;
  if (backwards && (args.first != null || args.after != null)) {
    throw badArgument('Page forwards (first/after) or backwards (last/before), not both', 'last');
  }
  if (backwards) {
    const n = size(args.last, defaultSize, 'last');
    const before = eventCursor.decode(args.before, 'before');
    const rows = await ctx.db
      .select()
      .from(complaintEvents)
      .where(and(where, before !== null ? lt(complaintEvents.position, before) : undefined))
      .orderBy(desc(complaintEvents.position))
      .limit(n + 1);
    return connection(rows.slice(0, n).reverse(), before !== null, rows.length > n);
  }
  const n = size(args.first, defaultSize, 'first');
  const after = eventCursor.decode(args.after, 'after');
  const rows = await ctx.db
    .select()
    .from(complaintEvents)
    .where(and(where, after !== null ? gt(complaintEvents.position, after) : undefined))
    .orderBy(asc(complaintEvents.position))
    .limit(n + 1);
  return connection(rows.slice(0, n), rows.length > n, after !== null);
}

builder.objectField(ComplaintRef, 'timeline', (t) =>
  t.field({
    type: ComplaintEventConnectionRef,
    description: 'Every event of the case in commit order (D56); with no arguments its first 50.',
    args: { first: t.arg.int(), after: t.arg.string(), last: t.arg.int(), before: t.arg.string() },
    resolve: (c, args, ctx) => eventPage(ctx, eq(complaintEvents.complaintId, c.id), args, 50),
  }),
);

export const ComplaintEventFilterRef = builder.inputType('ComplaintEventFilter', {
  fields: (t) => ({
    unitId: t.id(),
    complaintId: t.id(),
    severity: t.field({ type: [SeverityEnum] }),
    actions: t.stringList(),
  }),
});

type EventFilter = { unitId?: string | null; complaintId?: string | null; severity?: readonly string[] | null; actions?: readonly string[] | null };

/**
 * D54 for events: those of readable cases only, narrowed by the filter. A
 * malformed or unknown unit or complaint ID matches nothing (D57: null in a query).
 */
export async function eventsWhere(ctx: Context, filter: EventFilter | null | undefined): Promise<SQL> {
  const caseConds: SQL[] = [readableWhere(ctx.viewer!)];
  const conds: SQL[] = [];
  if (filter?.unitId != null) {
    const unit = await ctx.loaders.unit.load(idOf(filter.unitId, 'OrgUnit') ?? '00000000-0000-0000-0000-000000000000');
    caseConds.push(unit ? sql`${complaints.handlingPath} like ${escapeLike(unit.path) + '%'}` : sql`false`);
  }
  if (filter?.complaintId != null) {
    const id = idOf(filter.complaintId, 'Complaint');
    conds.push(id ? eq(complaintEvents.complaintId, id) : sql`false`);
  }
  if (filter?.severity?.length) caseConds.push(inArray(complaints.severity, filter.severity as never[]));
  if (filter?.actions?.length) conds.push(inArray(complaintEvents.action, [...filter.actions]));
  const cases = sql`select ${complaints.id} from ${complaints} where ${and(...caseConds)}`;
  return and(sql`${complaintEvents.complaintId} in (${cases})`, ...conds)!;
}

builder.queryFields((t) => ({
  complaintEvents: t.field({
    type: ComplaintEventConnectionRef,
    description: 'Events of the cases the viewer reads, in commit order; resume with `after` (exclusive).',
    args: {
      filter: t.arg({ type: ComplaintEventFilterRef }),
      first: t.arg.int({ defaultValue: 50 }),
      after: t.arg.string(),
    },
    resolve: async (_, args, ctx) => eventPage(ctx, await eventsWhere(ctx, args.filter), { first: args.first, after: args.after }, 50),
  }),
}));
