import DataLoader from 'dataloader';
import { and, asc, eq, gt, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { eventFilterRefusal, readsInternals, visibleEventActions } from '../auth/guards.js';
import { complaintsWhere } from '../auth/sql.js';
import { anyId } from '../db/any-id.js';
import { rowsOf } from '../db/client.js';
import { complaintEvents, complaints } from '../db/schema.js';
import { MAX_FILTER_LIST } from '../domain/input.js';
import { escapeLike } from '../domain/org.js';
import { type EventRow, readEvents } from '../live/feed.js';
import { builder } from './builder.js';
import { ComplaintRef, ComplaintStatusEnum, loadComplaint, SeverityEnum } from './complaint.js';
import { type PageInfo, PageInfoRef, positionCursor, size } from './connection.js';
import type { Context } from './context.js';
import { badArgument, forbidden } from './errors.js';
import { idOf, toGlobalId } from './global-id.js';
import { ViewerRef, viewerRow } from './identity.js';
import { NodeRef, registerNode, tag } from './node.js';
import { unitPathOf } from './org-unit.js';

/** D56: an event's cursor is its position in commit order, the same in `timeline`, `complaintEvents` and the feed. */
export const eventCursor = positionCursor('ev');

/** D40: a partner sees no payload, and an actor only where the partner itself acted. */
const forPartner = (ctx: Context) => !readsInternals(ctx.viewer);

export const ComplaintEventRef = builder.objectRef<EventRow>('ComplaintEvent');

/** D40: the events this viewer sees of a case it reads (a partner: only those that speak to it), as SQL; undefined: all. */
export function visibleActionsWhere(ctx: Context): SQL | undefined {
  const actions = visibleEventActions(ctx.viewer);
  return actions ? inArray(complaintEvents.action, [...actions]) : undefined;
}

ComplaintEventRef.implement({
  description:
    'An append-only record of one change to a complaint (D51, D56): each successful complaint mutation appends exactly one, and the system its SLA warnings and breaches. A partner sees only the events that speak to it (REGISTER, ACCEPT, REJECT, RESOLVE_ON_SPOT, CONTACT_CUSTOMER, REPLY_TO_CUSTOMER, RECORD_CALLBACK, WITHDRAW, ARCHIVE), without payload or note (D40).',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ description: 'Global ID.', resolve: (e) => toGlobalId('ComplaintEvent', e.id) }),
    cursor: t.string({
      description:
        "Opaque position in the event log's commit order; pass it as `after` to resume (exclusive).",
      resolve: (e) => eventCursor.encode(e.position),
    }),
    complaint: t.field({
      type: ComplaintRef,
      description: 'The case it belongs to.',
      resolve: async (e, _, ctx) => (await loadComplaint(ctx, e.complaintId))!,
    }),
    action: t.exposeString('action', {
      description:
        'A ComplaintAction name, or SLA_WARNING, SLA_BREACH, ANONYMISE, MIGRATE_NOTES (D56; MIGRATE_NOTES: the one-time move of notes out of the payloads, D51).',
    }),
    fromStatus: t.field({
      type: ComplaintStatusEnum,
      nullable: true,
      description:
        'The status before; null for REGISTER. Equal to `toStatus` for an action that keeps the state.',
      resolve: (e) => e.fromStatus,
    }),
    toStatus: t.field({
      type: ComplaintStatusEnum,
      nullable: true,
      description: 'The status after.',
      resolve: (e) => e.toStatus,
    }),
    actor: t.field({
      type: ViewerRef,
      nullable: true,
      description:
        'Who acted: a staff user or a partner; null for what the system did itself (SLA_WARNING, SLA_BREACH, ANONYMISE), and for a partner reading an event it did not cause (D40).',
      resolve: (e, _, ctx) => {
        if (forPartner(ctx))
          return e.actorPartnerId === ctx.viewer!.id ? viewerRow(ctx.viewer!, ctx.loaders) : null;
        if (e.actorUserId)
          return viewerRow({ kind: 'user', id: e.actorUserId } as never, ctx.loaders);
        if (e.actorPartnerId)
          return ctx.loaders.partner.load(e.actorPartnerId).then((p) => p && tag('Partner', p));
        return null;
      },
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When it happened (+08:00).' }),
    payload: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'What the action recorded (e.g. the target unit, the deadline, the clocks started and stopped); never personal data or free text (D51). Null for partners.',
      resolve: (e, _, ctx) => (forPartner(ctx) ? null : e.payload),
    }),
    note: t.string({
      nullable: true,
      description:
        "The event's free text (D51); its SHA-256 is `payload.noteSha256`; null once anonymised (D15).",
      resolve: (e, _, ctx) => (forPartner(ctx) ? null : e.note),
    }),
    hash: t.exposeString('hash', {
      description:
        'Lower-case hex SHA-256 chaining this event to the previous one of the same complaint (D56).',
    }),
  }),
});

registerNode('ComplaintEvent', async (ids, ctx) => {
  const rows = await ctx.db
    .select()
    .from(complaintEvents)
    .where(and(inArray(complaintEvents.id, ids), visibleActionsWhere(ctx)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return Promise.all(
    ids.map(async (id) => {
      const e = byId.get(id);
      return e && (await loadComplaint(ctx, e.complaintId)) ? e : null;
    }),
  );
});

type EventConnection = { edges: { cursor: string; node: EventRow }[]; pageInfo: PageInfo };

const EdgeRef = builder
  .objectRef<EventConnection['edges'][number]>('ComplaintEventEdge')
  .implement({
    description: 'One event in a page, with its cursor.',
    fields: (t) => ({
      cursor: t.exposeString('cursor', {
        description: "The event's cursor, equal to `ComplaintEvent.cursor`.",
      }),
      node: t.field({ type: ComplaintEventRef, description: 'The event.', resolve: (e) => e.node }),
    }),
  });

export const ComplaintEventConnectionRef = builder
  .objectRef<EventConnection>('ComplaintEventConnection')
  .implement({
    description: 'A page of events in commit order.',
    fields: (t) => ({
      edges: t.field({
        type: [EdgeRef],
        description: 'The events of this page.',
        resolve: (c) => c.edges,
      }),
      pageInfo: t.field({
        type: PageInfoRef,
        description: 'Where this page starts and ends, and whether there is more.',
        resolve: (c) => c.pageInfo,
      }),
    }),
  });

function connection(
  rows: EventRow[],
  hasNextPage: boolean,
  hasPreviousPage: boolean,
): EventConnection {
  const edges = rows.map((node) => ({ cursor: eventCursor.encode(node.position), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** A forward keyset page of the log (`complaintEvents`): ascending positions after `after`, one extra row telling whether there is more. */
async function eventPage(
  ctx: Context,
  where: SQL,
  first: number | null | undefined,
  afterCursor: string | null | undefined,
): Promise<EventConnection> {
  const n = size(first, 50, 'first');
  const after = eventCursor.decode(afterCursor, 'after');
  const rows = await ctx.db
    .select()
    .from(complaintEvents)
    .where(and(where, after !== null ? gt(complaintEvents.position, after) : undefined))
    .orderBy(asc(complaintEvents.position))
    .limit(n + 1);
  return connection(rows.slice(0, n), rows.length > n, after !== null);
}

type TimelineArgs = {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
};
const timelineLoaders = new WeakMap<object, Map<string, DataLoader<string, EventConnection>>>();

/**
 * Timelines of many cases in one statement (a window per case), so a page of
 * 100 complaints with their timelines costs what a page of 10 does.
 */
function timelineLoader(ctx: Context, args: TimelineArgs) {
  const backwards = args.last != null || args.before != null;
  if (backwards && (args.first != null || args.after != null)) {
    throw badArgument('Page forwards (first/after) or backwards (last/before), not both', 'last');
  }
  const n = backwards ? size(args.last, 50, 'last') : size(args.first, 50, 'first');
  const cursor = backwards
    ? eventCursor.decode(args.before, 'before')
    : eventCursor.decode(args.after, 'after');
  let byArgs = timelineLoaders.get(ctx.loaders);
  if (!byArgs) timelineLoaders.set(ctx.loaders, (byArgs = new Map()));
  const key = `${backwards}:${n}:${cursor}`;
  let loader = byArgs.get(key);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const dir = sql.raw(backwards ? 'desc' : 'asc');
      const where = and(
        anyId(complaintEvents.complaintId, ids),
        visibleActionsWhere(ctx),
        cursor === null
          ? undefined
          : backwards
            ? lt(complaintEvents.position, cursor)
            : gt(complaintEvents.position, cursor),
      );
      // the first n + 1 of each case in reading order (one more tells whether there are more)
      const rows = rowsOf<Record<string, unknown>>(
        await ctx.db.execute(sql`select ${readEvents.columns} from (
          select ${readEvents.columns}, row_number() over (partition by ${complaintEvents.complaintId} order by ${complaintEvents.position} ${dir}) as rn
          from ${complaintEvents} where ${where}) ranked where rn <= ${n + 1}`),
      ).map(readEvents.map);
      const groups = new Map<string, EventRow[]>(ids.map((id) => [id, []]));
      for (const row of rows) groups.get(row.complaintId)?.push(row);
      return ids.map((id) => {
        const sorted = groups
          .get(id)!
          .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
        const more = sorted.length > n;
        if (backwards) return connection(sorted.slice(more ? 1 : 0), cursor !== null, more);
        return connection(sorted.slice(0, n), more, cursor !== null);
      });
    });
    byArgs.set(key, loader);
  }
  return loader;
}

builder.objectField(ComplaintRef, 'timeline', (t) =>
  t.field({
    type: ComplaintEventConnectionRef,
    description:
      "Every event of the case the viewer may see, in commit order (D56): page forwards with `first`/`after`, or backwards with `last`/`before` (a case's latest events); with no arguments its first 50. Mixing the two directions, a size outside 1–100 or a foreign cursor is a VALIDATION GraphQL error (D57).",
    args: {
      first: t.arg.int({
        description: 'How many events from the start (or after `after`), 1–100.',
      }),
      after: t.arg.string({ description: 'A cursor: the events after it (exclusive).' }),
      last: t.arg.int({ description: 'How many events from the end (or before `before`), 1–100.' }),
      before: t.arg.string({ description: 'A cursor: the events before it (exclusive).' }),
    },
    resolve: (c, args, ctx) => timelineLoader(ctx, args).load(c.id),
  }),
);

export const ComplaintEventFilterRef = builder.inputType('ComplaintEventFilter', {
  description:
    'Narrows an event query or feed; every field is optional and they combine with AND. Lists take at most 100 values (D57).',
  fields: (t) => ({
    unitId: t.id({
      description:
        "Events of cases handled anywhere in this unit's subtree; FORBIDDEN to partners (D40). An unknown or malformed ID matches nothing.",
    }),
    complaintId: t.id({
      description:
        'Events of this one case (global ID); an unknown or malformed ID matches nothing.',
    }),
    severity: t.field({
      type: [SeverityEnum],
      description: 'Events of cases of these severities, e.g. [MAJOR, URGENT] for a duty manager.',
    }),
    actions: t.stringList({
      description:
        'Only these actions (ComplaintAction names, SLA_WARNING, SLA_BREACH, ANONYMISE).',
    }),
  }),
});

/** D57: the filter's lists are bounded (issue 19), a VALIDATION error before any statement. */
export function checkEventFilter(filter: EventFilter | null | undefined) {
  for (const name of ['severity', 'actions'] as const) {
    if ((filter?.[name]?.length ?? 0) > MAX_FILTER_LIST)
      throw badArgument(`${name} takes at most ${MAX_FILTER_LIST} values`, name);
  }
}

type EventFilter = {
  unitId?: string | null;
  complaintId?: string | null;
  severity?: readonly string[] | null;
  actions?: readonly string[] | null;
};

/**
 * D54 for events: those of readable cases only, narrowed by the filter. A
 * malformed or unknown unit or complaint ID matches nothing (D57: null in a query).
 */
export async function eventsWhere(
  ctx: Context,
  filter: EventFilter | null | undefined,
): Promise<SQL> {
  const refused = eventFilterRefusal(
    ctx.viewer,
    filter as Record<string, unknown> | null | undefined,
  );
  if (refused) throw forbidden(refused);
  checkEventFilter(filter);
  const caseConds: SQL[] = [complaintsWhere(ctx.ability, 'read')];
  const conds: SQL[] = [];
  const unitPath = await unitPathOf(ctx, filter?.unitId);
  if (unitPath !== null)
    caseConds.push(
      unitPath ? sql`${complaints.handlingPath} like ${`${escapeLike(unitPath)}%`}` : sql`false`,
    );
  if (filter?.complaintId != null) {
    const id = idOf(filter.complaintId, 'Complaint');
    conds.push(id ? eq(complaintEvents.complaintId, id) : sql`false`);
  }
  if (filter?.severity?.length)
    caseConds.push(inArray(complaints.severity, filter.severity as never[]));
  if (filter?.actions?.length) conds.push(inArray(complaintEvents.action, [...filter.actions]));
  const visible = visibleActionsWhere(ctx);
  if (visible) conds.push(visible);
  const cases = sql`select ${complaints.id} from ${complaints} where ${and(...caseConds)}`;
  return and(sql`${complaintEvents.complaintId} in (${cases})`, ...conds)!;
}

builder.queryFields((t) => ({
  complaintEvents: t.field({
    type: ComplaintEventConnectionRef,
    description:
      'Events of the cases the viewer reads (D54), in commit order; resume with `after` (exclusive) from the last cursor you processed. A first responder gets every event of the cases they first answered, wherever those cases are (D10). For live delivery use the `complaintEvents` subscription.',
    args: {
      filter: t.arg({
        type: ComplaintEventFilterRef,
        description: 'Which events; none: all the viewer may see.',
      }),
      first: t.arg.int({ defaultValue: 50, description: 'Page size, 1–100.' }),
      after: t.arg.string({
        description: 'A cursor: the events after it (exclusive); none: from the beginning.',
      }),
    },
    resolve: async (_, args, ctx) =>
      eventPage(ctx, await eventsWhere(ctx, args.filter), args.first, args.after),
  }),
}));
