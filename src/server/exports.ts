import { requestIdOf } from './plugins.js';
import type { Plugin } from 'graphql-yoga';
import { seesPersonalData } from '../auth/complaint-rules.js';
import { complaintsWhere } from '../auth/sql.js';
import { authenticate, credentialsFrom } from '../auth/viewer.js';
import { personalDataReads } from '../db/schema.js';
import { DEFAULT_ORDER, listComplaints, type Order } from '../domain/complaint-list.js';
import { DomainError } from '../domain/errors.js';
import { maskCustomer } from '../domain/mask.js';
import { complaintStats, DIMENSIONS, type Dimension } from '../domain/stats.js';
import { listWhere, type FilterArg } from '../graphql/complaint-list.js';
import { scopeOf } from '../graphql/stats.js';
import type { Context, Services } from '../graphql/context.js';
import { formatDateTime } from '../graphql/datetime.js';
import { idOf } from '../graphql/global-id.js';
import { contextFor } from './app.js';

/**
 * CSV downloads for the portals: GET /exports/complaints.csv?filter=<ComplaintFilter as JSON>&orderBy=<JSON>
 * and GET /exports/stats.csv?from=&to=&unitId=&groupBy=UNIT,STATUS. Same
 * credentials, permissions and filters as the GraphQL queries; complaints are
 * streamed page by page (keyset), personal data masked per row (D50) and
 * every unmasked row logged in the access log.
 */

const COLUMNS = ['number', 'status', 'severity', 'businessLine', 'category', 'channel', 'source', 'title', 'registeredAt', 'dueAt', 'handlingUnit', 'customerName', 'customerPhone', 'masked'];

/** RFC 4180 quoting, and no spreadsheet formula injection (a leading = + - @ is neutralised). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const line = (cells: unknown[]) => cells.map(csvCell).join(',') + '\r\n';

const problem = (status: number, message: string) =>
  new Response(JSON.stringify({ errors: [{ message }] }), { status, headers: { 'content-type': 'application/json' } });

/** The unit filter must lie inside what the viewer's grants cover: an out-of-scope export is refused, not emptied. */
async function checkScope(ctx: Context, unitId: string | null | undefined) {
  if (unitId == null) return;
  const id = idOf(unitId, 'OrgUnit');
  const unit = id ? await ctx.loaders.unit.load(id) : null;
  if (!unit) throw new DomainError('VALIDATION', 'No such unit', ['unitId']);
  const v = ctx.viewer!;
  const paths = v.kind === 'partner' ? [] : v.grants.filter((g) => g.role !== 'ADMIN' && g.unitPath).map((g) => g.unitPath!);
  if (!paths.some((p) => unit.path.startsWith(p))) throw new DomainError('FORBIDDEN', 'That unit is outside what you may read');
}

async function complaintsCsv(ctx: Context, params: URLSearchParams): Promise<Response> {
  const filter = params.get('filter') ? (JSON.parse(params.get('filter')!) as FilterArg) : null;
  const order = params.get('orderBy') ? (JSON.parse(params.get('orderBy')!) as Order) : DEFAULT_ORDER;
  if (!['REGISTERED_AT', 'DUE_AT', 'SEVERITY'].includes(order.field) || !['ASC', 'DESC'].includes(order.direction)) {
    throw new DomainError('VALIDATION', 'orderBy must be {"field": REGISTERED_AT|DUE_AT|SEVERITY, "direction": ASC|DESC}');
  }
  await checkScope(ctx, filter?.unitId);
  const where = await listWhere(ctx, filter);
  const units = new Map<string, string>();
  const encoder = new TextEncoder();
  let after: string | null = null;
  let done = false;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(encoder.encode(line(COLUMNS)));
    },
    async pull(c) {
      if (done) return c.close();
      const page = await listComplaints(ctx.db, where, order, { first: 500, after });
      const unmasked: { complaintId: string }[] = [];
      let out = '';
      for (const [i, r] of page.rows.entries()) {
        if (!units.has(r.handlingUnitId)) units.set(r.handlingUnitId, (await ctx.loaders.unit.load(r.handlingUnitId))?.code ?? '');
        const full = seesPersonalData(ctx.ability, r) && !r.anonymisedAt;
        const raw = { name: r.customerName, phone: r.customerPhone, address: null, accountNumber: null };
        const customer = full ? raw : maskCustomer(raw);
        if (full) unmasked.push({ complaintId: r.id });
        out += line([r.number, r.status, r.severity, r.businessLine, r.category, r.channel, r.source, r.title, formatDateTime(r.registeredAt), r.dueAt ? formatDateTime(r.dueAt) : '', units.get(r.handlingUnitId), customer.name, customer.phone, !full]);
        after = page.cursors[i]!;
      }
      if (unmasked.length) {
        const v = ctx.viewer!;
        await ctx.db.insert(personalDataReads).values(
          unmasked.map((u) => ({
            complaintId: u.complaintId,
            viewerUserId: v.kind === 'user' ? v.id : null,
            viewerPartnerId: v.kind === 'partner' ? v.id : null,
            fields: ['name', 'phone'],
            at: ctx.services.clock.now(),
          })),
        );
      }
      if (out) c.enqueue(encoder.encode(out));
      done = !page.hasNextPage;
      if (done) c.close();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="complaints.csv"' } });
}

async function statsCsv(ctx: Context, params: URLSearchParams): Promise<Response> {
  const from = new Date(params.get('from') ?? '');
  const to = new Date(params.get('to') ?? '');
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new DomainError('VALIDATION', 'from and to must be DateTimes');
  const groupBy = (params.get('groupBy') ?? '').split(',').filter(Boolean) as Dimension[];
  if (groupBy.some((d) => !DIMENSIONS.includes(d))) throw new DomainError('VALIDATION', `groupBy takes ${DIMENSIONS.join(', ')}`);
  const unitId = params.get('unitId');
  await checkScope(ctx, unitId);
  // The same scope and unit filter as complaintStats (D59).
  const scope = await scopeOf(ctx, unitId);
  const rows = await complaintStats(ctx.db, complaintsWhere(ctx.ability, 'read'), scope, from, to, groupBy, unitId != null);
  const body = line([...groupBy, 'count']) + rows.map((r) => line([...groupBy.map((d) => r.keys[d]), r.count])).join('');
  return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="stats.csv"' } });
}

const ROUTES: Record<string, (ctx: Context, params: URLSearchParams) => Promise<Response>> = {
  '/exports/complaints.csv': complaintsCsv,
  '/exports/stats.csv': statsCsv,
};

export function useExports(services: Services): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const route = ROUTES[url.pathname];
      if (!route) return;
      if (request.method !== 'GET') return endResponse(problem(405, 'GET only'));
      const viewer = await authenticate(services.db, services.config.jwtSecret, credentialsFrom((n) => request.headers.get(n)), services.clock.now());
      if (!viewer) return endResponse(problem(401, 'Sign in first: send Authorization: Bearer <token> or X-API-Key: <key>'));
      const ctx = contextFor(services, viewer, requestIdOf(request));
      try {
        endResponse(await route(ctx, url.searchParams));
      } catch (e) {
        if (e instanceof DomainError) return endResponse(problem(e.code === 'FORBIDDEN' ? 403 : 400, e.message));
        if (e instanceof SyntaxError) return endResponse(problem(400, `Bad JSON parameter: ${e.message}`));
        throw e;
      }
    },
  };
}
