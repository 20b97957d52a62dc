import { and, type SQL } from 'drizzle-orm';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { filterRefusal } from '../auth/guards.js';
import { coverArms, readCover } from '../auth/read-cover.js';
import { complaintsWhere } from '../auth/sql.js';
import type { Db } from '../db/client.js';
import {
  type ComplaintFilter,
  CountTimeout,
  countComplaints,
  DEFAULT_ORDER,
  filterWhere,
  listComplaints,
  needsGrams,
  numberShaped,
  probeFits,
  type SearchProbe,
  searchWhere,
  unreadPage,
} from '../domain/complaint-list.js';
import { phone as normalisePhone } from '../domain/input.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import { type OrgUnit, provinceCodes } from '../domain/org.js';
import { builder } from './builder.js';
import {
  ChannelEnum,
  ComplaintRef,
  ComplaintStatusEnum,
  ContactKindEnum,
  SeverityEnum,
  SourceEnum,
} from './complaint.js';
import { asksPage, type PageInfo, PageInfoRef, size } from './connection.js';
import type { Context } from './context.js';
import { documented } from './enum-docs.js';
import { badArgument, forbidden, refusalsAsErrors } from './errors.js';
import { tag } from './node.js';
import { unitPathOf } from './org-unit.js';

const ComplaintFilterRef = builder.inputType('ComplaintFilter', {
  description:
    'Narrows `complaints`; every field is optional and they combine with AND; a list matches any of its values (at most 100, D57). Partners may not use `unitId`, `escalated` or `overdue` (FORBIDDEN, D40).',
  fields: (t) => ({
    kinds: t.field({
      type: [ContactKindEnum],
      description:
        'The kinds of contact to list; default [COMPLAINT], so a portal sees what it saw before the other kinds existed (D70).',
    }),
    status: t.field({
      type: [ComplaintStatusEnum],
      description: 'Cases in any of these statuses.',
    }),
    businessLine: t.stringList({
      description: 'Cases of any of these business lines (`BusinessLine.code`).',
    }),
    category: t.stringList({ description: 'Cases of any of these category codes.' }),
    severity: t.field({ type: [SeverityEnum], description: 'Cases of any of these severities.' }),
    source: t.field({ type: [SourceEnum], description: 'Cases from any of these sources.' }),
    channel: t.field({
      type: [ChannelEnum],
      description: 'Cases that came in through any of these channels.',
    }),
    unitId: t.id({ description: "Complaints handled anywhere in this unit's subtree." }),
    overdue: t.boolean({
      description:
        'True: cases whose earliest running clock is past due now; false: the others. Staff only.',
    }),
    escalated: t.boolean({
      description: 'True: cases with at least one approved escalation; false: none. Staff only.',
    }),
    registeredFrom: t.field({
      type: 'DateTime',
      description: 'Registered at or after this time (inclusive).',
    }),
    registeredTo: t.field({
      type: 'DateTime',
      description:
        'Registered before this time (exclusive), so that [from, to) windows add up (D59).',
    }),
    search: t.string({
      description: 'Case number, title or description substring (at most 200 characters).',
    }),
    customerPhone: t.string({
      description:
        'Exact customer phone; matches only cases whose personal data the viewer sees unmasked, so it reveals nothing about the others (D50).',
    }),
  }),
});

const OrderFieldEnum = builder.enumType('ComplaintOrderField', {
  description: 'What `complaints` is ordered by; ties are broken so that paging is stable.',
  values: documented(['REGISTERED_AT', 'DUE_AT', 'SEVERITY'] as const, {
    REGISTERED_AT: 'When the case was registered.',
    DUE_AT:
      'The earliest due time among the running clocks; cases with none come last in ascending order.',
    SEVERITY: 'URGENT, MAJOR, ORDINARY, then unclassified; then by registration.',
  }),
});
const OrderDirectionEnum = builder.enumType('OrderDirection', {
  description: 'Ascending or descending.',
  values: documented(['ASC', 'DESC'] as const, {
    ASC: 'Smallest (earliest, least severe) first.',
    DESC: 'Largest (latest, most severe) first.',
  }),
});
const ComplaintOrderRef = builder.inputType('ComplaintOrder', {
  description: 'How `complaints` is ordered; default: newest registration first.',
  fields: (t) => ({
    field: t.field({ type: OrderFieldEnum, required: true, description: 'What to order by.' }),
    direction: t.field({ type: OrderDirectionEnum, required: true, description: 'Which way.' }),
  }),
});

type Connection = {
  rows: ComplaintRow[];
  cursors: string[];
  pageInfo: PageInfo;
  count: () => Promise<number>;
};

const EdgeRef = builder
  .objectRef<{ cursor: string; node: ComplaintRow }>('ComplaintEdge')
  .implement({
    description: 'One case in a page, with its cursor.',
    fields: (t) => ({
      cursor: t.exposeString('cursor', {
        description: 'Opaque; pass it as `after` or `before`. Valid only for the same order.',
      }),
      node: t.field({ type: ComplaintRef, description: 'The case.', resolve: (e) => e.node }),
    }),
  });

export const ComplaintConnectionRef = builder
  .objectRef<Connection>('ComplaintConnection')
  .implement({
    description: 'A page of cases.',
    fields: (t) => ({
      edges: t.field({
        type: [EdgeRef],
        description: 'The cases of this page with their cursors.',
        resolve: (c) => c.rows.map((node, i) => ({ cursor: c.cursors[i]!, node })),
      }),
      nodes: t.field({
        type: [ComplaintRef],
        description: 'The cases of this page, without cursors.',
        resolve: (c) => c.rows,
      }),
      pageInfo: t.field({
        type: PageInfoRef,
        description: 'Where this page starts and ends, and whether there is more.',
        resolve: (c) => c.pageInfo,
      }),
      totalCount: t.int({
        description:
          'Every case matching the filter that the viewer reads; counted only when asked for. Asked for alone (a badge), it is all the request reads: the page is read only when edges, nodes or pageInfo are asked. A count that takes longer than the server allows (COUNT_TIMEOUT_MS, 2 s by default) fails with the error code QUERY_TIMEOUT: narrow the filter or leave totalCount out.',
        resolve: async (c) => {
          try {
            return await c.count();
          } catch (err) {
            if (err instanceof CountTimeout)
              throw new GraphQLError(err.message, {
                extensions: { code: 'QUERY_TIMEOUT', timeoutMs: err.timeoutMs },
              });
            throw err;
          }
        },
      }),
    }),
  });

/** A forward page of the cases matching `where` (already holding the viewer's read rules), newest first, as a ComplaintConnection. */
export async function complaintConnection(
  ctx: Context,
  where: SQL,
  args: { first?: number | null; after?: string | null },
  info: GraphQLResolveInfo,
): Promise<Connection> {
  return refusalsAsErrors('after', () =>
    casesPage(
      ctx,
      ctx.db,
      where,
      DEFAULT_ORDER,
      { first: size(args.first, 20, 'first'), after: args.after },
      info,
    ),
  );
}

/**
 * One page of the cases matching `where`, read from `db`, its rows primed in the loaders; read only when the
 * selection (`info`) asks for its edges, nodes or pageInfo, and counted only when it asks for totalCount. A
 * portal's badge asks for the count alone: at 10M a county's search page took 26–32 ms beside its count. With the
 * filter `where` was made from, a filter the statistics rollup covers is counted from it (issue 25, D59: the
 * same figure, without reading every case).
 */
async function casesPage(
  ctx: Context,
  db: Db,
  where: SQL,
  order: Parameters<typeof listComplaints>[2],
  page: Parameters<typeof listComplaints>[3],
  info: GraphQLResolveInfo,
  filter?: ComplaintFilter,
  probe?: SearchProbe | null,
): Promise<Connection> {
  const rows = asksPage(info)
    ? await listComplaints(db, where, order, page, probe)
    : unreadPage(order, page);
  return casesConnection(ctx, rows, async () =>
    countComplaints(db, where, {
      timeoutMs: ctx.services.config.database.countTimeoutMs,
      rollup: filter && (await countCover(ctx, filter)),
    }),
  );
}

/** Issue 25: the viewer's read rule as the rollup counts it (src/auth/read-cover.ts), or null (then the count scans). */
async function countCover(ctx: Context, filter: ComplaintFilter) {
  const cover = await viewerCover(ctx);
  return cover && { filter, cover: { units: cover.units, me: cover.me } };
}

type ViewerCover = { ids: string[]; units: OrgUnit[]; me: string | null };
const covers = new WeakMap<Context, Promise<ViewerCover | null>>();

/**
 * The viewer's read cover (src/auth/read-cover.ts) with its units loaded, or null when the rule has another shape;
 * read once a request (a search's list and its count both ask).
 */
function viewerCover(ctx: Context): Promise<ViewerCover | null> {
  let cover = covers.get(ctx);
  if (!cover) {
    cover = (async () => {
      const rc = readCover(ctx.ability);
      if (!rc) return null;
      const units = await Promise.all(rc.units.map((id) => ctx.loaders.unit.load(id)));
      if (units.some((u) => !u)) return null;
      return { ids: rc.units, units: units as OrgUnit[], me: rc.me };
    })();
    covers.set(ctx, cover);
  }
  return cover;
}

/** A page of cases as a ComplaintConnection, its rows primed in the loaders; `count` runs only when totalCount is asked. */
export function casesConnection(
  ctx: Context,
  page: { rows: ComplaintRow[]; cursors: string[]; hasNextPage: boolean; hasPreviousPage: boolean },
  count: () => Promise<number>,
): Connection {
  for (const row of page.rows) ctx.loaders.complaint.prime(row.id, row);
  return {
    rows: page.rows.map((r) => tag('Complaint', r)),
    cursors: page.cursors,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors.at(-1) ?? null,
    },
    count,
  };
}

export type FilterArg = typeof ComplaintFilterRef.$inferInput;

/**
 * The list's whole condition: the viewer's CASL read rules as SQL, ANDed with the filter (D54).
 * D40: a filter a partner may not use is FORBIDDEN (a GraphQL error), before anything is read.
 */
export async function listWhere(ctx: Context, filter: FilterArg | null | undefined) {
  return (await listQuery(ctx, filter)).where;
}

/** `listWhere` with the filter in domain terms it was made from (what the count from the rollup reads). */
async function listQuery(ctx: Context, filter: FilterArg | null | undefined) {
  const refused = filterRefusal(ctx.viewer, filter as Record<string, unknown> | null | undefined);
  if (refused) throw forbidden(refused);
  const domain = await domainFilter(ctx, filter);
  // The search apart from the rest (issue 25, P8): a province's search page first looks among the newest cases
  // of the rest (listComplaints's probe, where `probeFits`).
  const rest = and(
    complaintsWhere(ctx.ability, 'read'),
    ...filterWhere({ ...domain, search: null }, ctx.services.clock.now()),
  )!;
  const search = domain.search?.trim();
  if (!search) return { where: rest, filter: domain, probe: null };
  const cover = await viewerCover(ctx);
  // A term the trigram index serves (ASCII, three characters or more) has no index holding the readers: its
  // page looks among the newest cases first whoever the viewer (a county's case-number prefix of the day: 9.6 ms
  // at 10M with the probe, 200 ms without).
  const fits = !needsGrams(search) || probeFits(cover?.units ?? null, domain.unitPath);
  const within = !fits && cover ? coverArms({ units: cover.ids, me: cover.me }) : null;
  // A term shaped like a case number's start is found by the numbers' btree and the texts holding digits (D5).
  const provinces = numberShaped(search) ? await provinceCodes(ctx.db) : null;
  const matches = and(...searchWhere(search, within, provinces))!;
  // Anyone else's page goes newest first month by month (migration 0030's month key beside the grams and readers).
  const probe: SearchProbe = fits
    ? { rest, matches }
    : { rest, matches, months: { now: ctx.services.clock.now() } };
  return { where: and(rest, matches)!, filter: domain, probe };
}

/** The GraphQL filter in domain terms: IDs decoded (unknown ones match nothing), the phone normalised and guarded (D50). */
async function domainFilter(
  ctx: Context,
  f: FilterArg | null | undefined,
): Promise<ComplaintFilter> {
  if (!f) return {};
  const unitPath = await unitPathOf(ctx, f.unitId);
  let customerPhone: ComplaintFilter['customerPhone'] = null;
  if (f.customerPhone != null) {
    customerPhone = {
      phone: normalisePhone(f.customerPhone, ['filter', 'customerPhone']),
      visible: complaintsWhere(ctx.ability, 'readPersonalData'),
    };
  }
  return { ...f, unitPath, customerPhone };
}

builder.queryFields((t) => ({
  complaints: t.field({
    type: ComplaintConnectionRef,
    description:
      'The cases the viewer reads (D54), filtered, ordered (default: newest first) and paged by cursor; `first` defaults to 20.',
    args: {
      filter: t.arg({
        type: ComplaintFilterRef,
        description: 'Which cases; none: every case the viewer reads.',
      }),
      orderBy: t.arg({
        type: ComplaintOrderRef,
        description: 'The order; default: newest registration first.',
      }),
      first: t.arg.int({ description: 'Page forwards: how many, 1–100 (default 20).' }),
      after: t.arg.string({
        description: 'Page forwards: the cases after this cursor (exclusive).',
      }),
      last: t.arg.int({ description: 'Page backwards: how many, 1–100.' }),
      before: t.arg.string({
        description: 'Page backwards: the cases before this cursor (exclusive).',
      }),
    },
    resolve: async (_, args, ctx, info) => {
      const backwards = args.last != null || args.before != null;
      if (backwards && (args.first != null || args.after != null)) {
        throw badArgument(
          'Page forwards (first/after) or backwards (last/before), not both',
          'last',
        );
      }
      const page = backwards
        ? { last: size(args.last, 20, 'last'), before: args.before }
        : { first: size(args.first, 20, 'first'), after: args.after };
      return refusalsAsErrors('filter', async () => {
        const { where, filter, probe } = await listQuery(ctx, args.filter);
        const reader = await ctx.reader(); // issue 25: a replica when configured
        const order = args.orderBy ?? DEFAULT_ORDER;
        return casesPage(ctx, reader, where, order, page, info, filter, probe);
      });
    },
  }),
}));
