import { and } from 'drizzle-orm';
import { coerceInputValue, GraphQLError, type GraphQLInputType } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { seesPersonalData } from '../auth/complaint-rules.js';
import { mayExportUnit, staff } from '../auth/guards.js';
import { complaintsWhere } from '../auth/sql.js';
import { authenticate, credentialsFrom } from '../auth/viewer.js';
import { recordAudit } from '../domain/audit.js';
import { DEFAULT_ORDER, kindsWhere, listComplaints, type Order } from '../domain/complaint-list.js';
import { CONTACT_KINDS, type ContactKind } from '../domain/enums.js';
import { DomainError } from '../domain/errors.js';
import { customerView, maskPhone } from '../domain/mask.js';
import { complaintStats, DIMENSIONS, type Dimension } from '../domain/stats.js';
import { type FilterArg, listWhere } from '../graphql/complaint-list.js';
import type { Context, Services } from '../graphql/context.js';
import { asGraphQLError } from '../graphql/errors.js';
import { getSchema } from '../graphql/schema.js';
import { scopeOf } from '../graphql/stats.js';
import { formatDateTime, parseDateTime } from '../wire/datetime.js';
import { idOf } from '../wire/global-id.js';
import { contextFor } from './app.js';
import type { RateLimiter } from './plugins.js';
import { requestIdOf } from './plugins.js';

/**
 * CSV downloads for the portals: GET /exports/complaints.csv?filter=<ComplaintFilter as JSON>&orderBy=<JSON>
 * and GET /exports/stats.csv?from=&to=&unitId=&groupBy=UNIT,STATUS. Same
 * credentials, permissions and filters as the GraphQL queries (the filter
 * coerced through the GraphQL input type); complaints are streamed page by
 * page (keyset) after a UTF-8 BOM, personal data masked per row (D50), at
 * most EXPORT_MAX_ROWS rows (a trailer line says so), and each export is one
 * audit record (who, filter, rows, when) that the scope's AUDITORs read.
 */

const COLUMNS = [
  'number',
  'status',
  'severity',
  'businessLine',
  'category',
  'channel',
  'source',
  'title',
  'registeredAt',
  'dueAt',
  'handlingUnit',
  'customerName',
  'customerPhone',
  'masked',
];

/** RFC 4180 quoting, and no spreadsheet formula injection (a leading = + - @ is neutralised). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const line = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

const problem = (status: number, message: string) =>
  new Response(JSON.stringify({ errors: [{ message }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/** The unit filter must lie inside what the viewer's grants cover: an out-of-scope export is refused, not emptied. */
async function checkScope(ctx: Context, unitId: string | null | undefined) {
  if (unitId == null) return;
  const id = idOf(unitId, 'OrgUnit');
  const unit = id ? await ctx.loaders.unit.load(id) : null;
  if (!unit) throw new DomainError('VALIDATION', 'No such unit', ['unitId']);
  if (!mayExportUnit(ctx.viewer, unit.path))
    throw new DomainError('FORBIDDEN', 'That unit is outside what you may read');
}

/** A JSON parameter coerced through its GraphQL input type, exactly as the GraphQL input would be (D57). */
function inputParam<T>(params: URLSearchParams, name: string, typeName: string): T | null {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new DomainError('VALIDATION', `${name} is not JSON: ${(e as Error).message}`, [name]);
  }
  const type = getSchema().getType(typeName) as GraphQLInputType;
  const problems: string[] = [];
  const coerced = coerceInputValue(value, type, (path, _invalid, error) =>
    problems.push(`${[name, ...path].join('.')}: ${error.message}`),
  );
  if (problems.length) throw new DomainError('VALIDATION', problems.join('; '), [name]);
  return coerced as T;
}

const BOM = '\uFEFF';

/** Issue 18: one audit record per export (who, what filter, how many rows, when), read by the AUDITORs of its scope. */
async function logExport(
  ctx: Context,
  action: 'EXPORT_COMPLAINTS' | 'EXPORT_STATS',
  unitId: string,
  detail: Record<string, unknown>,
) {
  const v = ctx.viewer!;
  await recordAudit(
    ctx.services.db,
    { userId: v.kind === 'user' ? v.id : null, at: ctx.services.clock.now() },
    { action, unitId, detail },
  );
}

async function complaintsCsv(ctx: Context, params: URLSearchParams): Promise<Response> {
  const filter = inputParam<FilterArg>(params, 'filter', 'ComplaintFilter');
  const order = inputParam<Order>(params, 'orderBy', 'ComplaintOrder') ?? DEFAULT_ORDER;
  await checkScope(ctx, filter?.unitId);
  const scope = await scopeOf(ctx, filter?.unitId);
  const where = await listWhere(ctx, filter);
  const reader = await ctx.reader(); // issue 25: a replica when configured
  const cap = ctx.services.config.exportMaxRows;
  const units = new Map<string, string>();
  const encoder = new TextEncoder();
  let after: string | null = null;
  let done = false;
  let rows = 0;
  let unmasked = 0;
  let truncated = false;
  let logged = false;
  // The record is written once, when the export ends (or the client leaves): with the rows actually written.
  const finish = async () => {
    if (logged) return;
    logged = true;
    // The filter as given, but a customer phone in it masked: the audit log keeps no personal data (D50).
    const given = params.get('filter')
      ? (JSON.parse(params.get('filter')!) as Record<string, unknown>)
      : null;
    if (given && typeof given.customerPhone === 'string')
      given.customerPhone = maskPhone(given.customerPhone);
    await logExport(ctx, 'EXPORT_COMPLAINTS', scope.id, {
      filter: given,
      orderBy: order,
      rows,
      unmaskedRows: unmasked,
      truncated,
      cap,
    });
  };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      // A UTF-8 BOM first, so spreadsheet programs read Chinese text as UTF-8.
      c.enqueue(encoder.encode(BOM + line(COLUMNS)));
    },
    async pull(c) {
      if (done) return c.close();
      const page = await listComplaints(reader, where, order, {
        first: Math.min(500, cap - rows + 1),
        after,
      });
      let out = '';
      for (const [i, r] of page.rows.entries()) {
        if (rows === cap) {
          truncated = true;
          break;
        }
        if (!units.has(r.handlingUnitId))
          units.set(r.handlingUnitId, (await ctx.loaders.unit.load(r.handlingUnitId))?.code ?? '');
        const customer = customerView(r, seesPersonalData(ctx.ability, r));
        if (!customer.masked) unmasked++;
        out += line([
          r.number,
          r.status,
          r.severity,
          r.businessLine,
          r.category,
          r.channel,
          r.source,
          r.title,
          formatDateTime(r.registeredAt),
          r.dueAt ? formatDateTime(r.dueAt) : '',
          units.get(r.handlingUnitId),
          customer.name,
          customer.phone,
          customer.masked,
        ]);
        rows++;
        after = page.cursors[i]!;
      }
      if (!truncated && rows === cap && page.hasNextPage) truncated = true;
      if (truncated)
        out += `# truncated: this export stops at ${cap} rows (EXPORT_MAX_ROWS); narrow the filter for the rest\r\n`;
      if (out) c.enqueue(encoder.encode(out));
      done = truncated || !page.hasNextPage;
      if (done) {
        await finish();
        c.close();
      }
    },
    async cancel() {
      await finish();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="complaints.csv"',
    },
  });
}

async function statsCsv(ctx: Context, params: URLSearchParams): Promise<Response> {
  const from = parseDateTime(params.get('from') ?? '');
  const to = parseDateTime(params.get('to') ?? '');
  if (!from || !to)
    throw new DomainError(
      'VALIDATION',
      'from and to must be DateTimes with an offset, e.g. 2026-11-22T09:30:00+08:00',
    );
  const groupBy = (params.get('groupBy') ?? '').split(',').filter(Boolean) as Dimension[];
  if (groupBy.some((d) => !DIMENSIONS.includes(d)))
    throw new DomainError('VALIDATION', `groupBy takes ${DIMENSIONS.join(', ')}`);
  const unitId = params.get('unitId');
  await checkScope(ctx, unitId);
  // The same scope and unit filter as complaintStats (D59).
  const scope = await scopeOf(ctx, unitId);
  // D70: the kinds counted, as the list's (default COMPLAINT), comma-separated.
  const kinds = params.get('kinds')
    ? (params.get('kinds')!.split(',').filter(Boolean) as ContactKind[])
    : null;
  if (kinds?.some((k) => !CONTACT_KINDS.includes(k)))
    throw new DomainError('VALIDATION', `kinds takes ${CONTACT_KINDS.join(', ')}`);
  const rows = await complaintStats(
    await ctx.reader(),
    and(complaintsWhere(ctx.ability, 'read'), kindsWhere(kinds))!,
    scope,
    from,
    to,
    groupBy,
    unitId != null,
  );
  const body =
    BOM +
    line([...groupBy, 'count']) +
    rows.map((r) => line([...groupBy.map((d) => r.keys[d]), r.count])).join('');
  await logExport(ctx, 'EXPORT_STATS', scope.id, {
    from: params.get('from'),
    to: params.get('to'),
    unitId,
    groupBy,
    rows: rows.length,
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="stats.csv"',
    },
  });
}

const ROUTES: Record<string, (ctx: Context, params: URLSearchParams) => Promise<Response>> = {
  '/exports/complaints.csv': complaintsCsv,
  '/exports/stats.csv': statsCsv,
};

/**
 * The export routes. Staff only (D40: FORBIDDEN to partners), at the same
 * per-viewer rate as GraphQL operations (issue 19: the limiter is shared).
 */
export function useExports(services: Services, limiter: RateLimiter): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const route = ROUTES[url.pathname];
      if (!route) return;
      if (request.method !== 'GET') return endResponse(problem(405, 'GET only'));
      const viewer = await authenticate(
        services.db,
        services.config.jwtSecret,
        credentialsFrom((n) => request.headers.get(n)),
        services.clock.now(),
      );
      if (!viewer)
        return endResponse(
          problem(401, 'Sign in first: send Authorization: Bearer <token> or X-API-Key: <key>'),
        );
      const refused = staff(viewer);
      if (refused)
        return endResponse(problem(403, `${refused}: the CSV exports are a staff operation (D40)`));
      const limited = limiter.take(viewer);
      if (limited) {
        return endResponse(
          new Response(
            JSON.stringify({
              errors: [
                {
                  message: `Rate limit of ${limited.perSecond} requests per second exceeded; retry in ${limited.retryAfter} s`,
                  extensions: { code: 'RATE_LIMITED', retryAfter: limited.retryAfter },
                },
              ],
            }),
            {
              status: 429,
              headers: {
                'content-type': 'application/json',
                'retry-after': String(limited.retryAfter),
              },
            },
          ),
        );
      }
      const ctx = contextFor(services, viewer, requestIdOf(request));
      try {
        endResponse(await route(ctx, url.searchParams));
      } catch (e) {
        // The GraphQL API's mapping (src/graphql/errors.ts), then its code as an HTTP status.
        const error = asGraphQLError(e, 'filter');
        if (error instanceof GraphQLError)
          return endResponse(
            problem(error.extensions?.code === 'FORBIDDEN' ? 403 : 400, error.message),
          );
        throw error;
      }
    },
  };
}
