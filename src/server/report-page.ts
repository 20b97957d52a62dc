import type { Plugin } from 'graphql-yoga';
import { staff } from '../auth/guards.js';
import { verifyLink } from '../auth/signed-links.js';
import { complaintsWhere } from '../auth/sql.js';
import { loadStaffViewer } from '../auth/viewer.js';
import {
  type Figures,
  figuresOf,
  periodLabelZh,
  type ReportPeriod,
  type ReportRow,
  readableReport,
} from '../domain/analysis-report.js';
import { recordAudit } from '../domain/audit.js';
import type { OrgUnit } from '../domain/org.js';
import { readable } from '../graphql/complaint.js';
import type { Context, Services } from '../graphql/context.js';
import { formatDateTime } from '../graphql/datetime.js';
import { readScopeOf } from '../graphql/stats.js';
import { shanghaiDate } from '../sla/calendar.js';
import { contextFor } from './app.js';
import { csvCell } from './exports.js';
import { type RateLimiter, requestIdOf } from './plugins.js';
import { reportCharts, zhClock, zhKind } from './report-charts.js';

/**
 * D77: a report as a printable page (A4, Chinese, its charts inline SVG
 * drawn here, nothing loaded from anywhere) and as one CSV file whose first
 * column names the table of each row. Both are opened by a browser from a
 * link signed for one viewer (src/auth/signed-links.ts), valid 15 minutes:
 * altered or expired, 403. The viewer is loaded again as the link is
 * opened (disabled, reset or no longer reading the unit: 403), the same rate
 * limit as the API applies, and each download is one audit record like the
 * CSV exports (src/server/exports.ts).
 */

const ROUTE = /^\/reports\/([0-9a-f-]{36})\/(page\.html|report\.csv)$/;

const problem = (status: number, message: string) =>
  new Response(JSON.stringify({ errors: [{ message }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STATUS_ZH: Record<string, string> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  APPROVED: '已批准',
  RETURNED: '已退回',
};
const NATURE_ZH: Record<string, string> = {
  VALID: '有责',
  PARTIALLY_VALID: '部分有责',
  INVALID: '无责',
};
const REMEDY_ZH: Record<string, string> = {
  COMPENSATION: '赔偿',
  SERVICE_RESTORED: '恢复服务',
  BILL_ADJUSTED: '调账',
  APOLOGY: '道歉',
  EXPLANATION: '解释',
  OTHER: '其他',
};
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const change = (now: number, then: number) =>
  then === 0 ? '—' : `${now >= then ? '+' : ''}${(((now - then) / then) * 100).toFixed(1)}%`;
const money = (x: number) => x.toFixed(2);

/** What the page and the CSV show of a report. */
type View = {
  report: ReportRow;
  unit: OrgUnit;
  figures: Figures;
  unitCodes: Map<string, string>;
  lineName(code: string | null): string;
  typical: { number: string; title: string }[];
  author: string | null;
};

/** The title of a report's page, as the page, the PDF and the tests name it. */
export const reportTitle = (unit: Pick<OrgUnit, 'name'>, period: ReportPeriod, start: string) =>
  `${unit.name}${periodLabelZh(period, start)}投诉信息分析报告`;

async function viewOf(ctx: Context, report: ReportRow, unit: OrgUnit): Promise<View> {
  const figures = await figuresOf(
    ctx.db,
    complaintsWhere(ctx.ability, 'read'),
    report,
    unit,
    ctx.services.clock.now(),
    ctx.services.lines.remedyRecords(),
    await readScopeOf(ctx),
  );
  const unitCodes = new Map<string, string>();
  for (const id of new Set(
    figures.causes.map((c) => c.responsibleUnitId).filter((x): x is string => !!x),
  )) {
    const u = await ctx.loaders.unit.load(id);
    if (u) unitCodes.set(id, `${u.name}（${u.code}）`);
  }
  const typical = (
    await Promise.all(report.typicalCaseIds.map((id) => ctx.loaders.complaint.load(id)))
  )
    .map((c) => readable(ctx, c))
    .filter((c) => c !== null)
    .map((c) => ({ number: c.number, title: c.title }));
  const author = report.authorId
    ? ((await ctx.loaders.user.load(report.authorId))?.displayName ?? null)
    : null;
  return {
    report,
    unit,
    figures,
    unitCodes,
    lineName: (code) => (code ? (ctx.services.lines.get(code)?.name ?? code) : '未指定业务线'),
    typical,
    author,
  };
}

function table(caption: string, head: string[], rows: unknown[][]): string {
  const body = rows.length
    ? rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')
    : `<tr><td colspan="${head.length}" class="none">无</td></tr>`;
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

const share = (n: number, total: number) =>
  total > 0 ? `${((n / total) * 100).toFixed(1)}%` : '—';

export function renderPage(v: View): string {
  const { figures: f, report: r, unit } = v;
  const title = reportTitle(unit, r.period as ReportPeriod, r.periodStart);
  const charts = reportCharts(f, { line: v.lineName });
  const total = f.total.current;
  const dist = (
    caption: string,
    rows: { keys: Record<string, string | null>; count: number }[],
    dim: string,
    name: (k: string | null) => string = (k) => k ?? '未指定',
  ) =>
    table(
      caption,
      ['项目', '数量', '占比'],
      rows.map((x) => [name(x.keys[dim] ?? null), x.count, share(x.count, total)]),
    );
  const text = (h: string, body: string | null) =>
    `<section class="text"><h2>${esc(h)}</h2><p>${body ? esc(body).replace(/\n/g, '<br>') : '（未填写）'}</p></section>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
@page { size: A4; margin: 15mm 14mm; }
* { box-sizing: border-box; }
body { font-family: 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif; color: #222; margin: 0 auto; max-width: 182mm; font-size: 10.5pt; line-height: 1.5; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 12.5pt; border-left: 4px solid #3b6fb6; padding-left: 6px; margin: 6mm 0 2mm; }
.meta { text-align: center; color: #555; margin-bottom: 4mm; }
figure { margin: 3mm 0; page-break-inside: avoid; break-inside: avoid; text-align: center; }
figure svg { max-width: 100%; height: auto; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; page-break-inside: avoid; break-inside: avoid; }
caption { text-align: left; font-weight: bold; margin-bottom: 1mm; }
th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; }
th { background: #eef2f8; }
td.none { color: #888; text-align: center; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 6mm; }
</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">单位：${esc(unit.name)}（${esc(unit.code)}）　统计期：${esc(periodLabelZh(r.period as ReportPeriod, r.periodStart))}（${esc(shanghaiDate(new Date(f.from)))} 至 ${esc(shanghaiDate(new Date(Date.parse(f.to) - 1)))}）<br>
状态：${esc(STATUS_ZH[r.status] ?? r.status)}　撰写人：${esc(v.author ?? '—')}　${r.submittedAt ? `提交时间：${esc(formatDateTime(r.submittedAt))}` : `数据计算时间：${esc(formatDateTime(new Date(f.computedAt)))}`}</p>

<h2>一、总体情况</h2>
${table('受理量及趋势', ['本期', '上期', '环比', '去年同期', '同比'], [[f.total.current, f.total.previous, change(f.total.current, f.total.previous), f.total.yearAgo, change(f.total.current, f.total.yearAgo)]])}
${charts.map((c) => `<figure id="${c.id}" aria-label="${esc(c.title)}">${c.svg}</figure>`).join('\n')}

<h2>二、分类统计</h2>
<div class="grid">
${dist('按类型', f.byKind, 'KIND', zhKind)}
${dist('按业务线', f.byBusinessLine, 'BUSINESS_LINE', v.lineName)}
${dist('按类别', f.byCategory, 'CATEGORY')}
${dist('按渠道', f.byChannel, 'CHANNEL')}
${dist('按来源', f.bySource, 'SOURCE')}
${dist('按严重程度', f.bySeverity, 'SEVERITY')}
</div>
${dist('按下级单位', f.byUnit, 'UNIT')}

<h2>三、原因与责任</h2>
${table(
  '原因 × 责任单位',
  ['原因', '责任单位', '件数'],
  f.causes.map((c) => [
    c.cause,
    c.responsibleUnitId ? (v.unitCodes.get(c.responsibleUnitId) ?? c.responsibleUnitId) : '未指定',
    c.count,
  ]),
)}
<div class="grid">
${table(
  '定性',
  ['定性', '件数'],
  f.findings.byNature.map((n) => [NATURE_ZH[n.nature] ?? n.nature, n.count]),
)}
${table(
  '处理方式',
  ['方式', '件数', '金额（元）'],
  f.findings.byRemedy.map((x) => [REMEDY_ZH[x.kind] ?? x.kind, x.count, money(x.amount)]),
)}
</div>
${table('赔偿与调账', ['赔偿合计（元）', '调账合计（元）'], [[money(f.compensationTotal), money(f.adjustmentTotal)]])}

<h2>四、服务质量</h2>
${table('满意率、重开率、重复投诉率', ['满意率', '重开率', '重复投诉率'], [[pct(f.satisfactionRate), pct(f.reopenRate), pct(f.repeatRate)]])}
${table(
  '各环节及时率',
  ['环节', '考核件数', '及时件数', '及时率'],
  f.clocks.map((c) => [zhClock(c.clock), c.total, c.onTime, pct(c.rate)]),
)}
${table('整改', ['新开', '已完成', '已验证', '逾期'], [[f.rectifications.opened, f.rectifications.done, f.rectifications.verified, f.rectifications.overdue]])}
${table(
  '热点预警',
  ['单位', '业务线', '时段起', '件数', '基线'],
  f.hotspots.map((h) => [
    h.unitPath,
    v.lineName(h.line || null),
    formatDateTime(new Date(h.windowStart)),
    h.count,
    h.baseline,
  ]),
)}

<h2>五、典型案例</h2>
${table(
  '典型案例',
  ['案件编号', '标题'],
  v.typical.map((c) => [c.number, c.title]),
)}
${text('六、主要发现', r.findings)}
${text('七、改进措施', r.measures)}
${text('八、意见建议', r.suggestions)}
</body></html>`;
}

/** The CSV: `table,key,detail,count,value`, every table of the figures after a UTF-8 BOM. */
export function renderCsv(v: View): string {
  const f = v.figures;
  const rows: unknown[][] = [['table', 'key', 'detail', 'count', 'value']];
  const add = (table: string, key: unknown, detail: unknown, count: unknown, value: unknown = '') =>
    rows.push([table, key, detail, count, value]);
  add('total', 'current', '', f.total.current);
  add('total', 'previous', '', f.total.previous);
  add('total', 'yearAgo', '', f.total.yearAgo);
  for (const t of f.trend) add('trend', t.period, '', t.count);
  const dims: [string, keyof Figures, string][] = [
    ['byKind', 'byKind', 'KIND'],
    ['byBusinessLine', 'byBusinessLine', 'BUSINESS_LINE'],
    ['byCategory', 'byCategory', 'CATEGORY'],
    ['byChannel', 'byChannel', 'CHANNEL'],
    ['bySource', 'bySource', 'SOURCE'],
    ['bySeverity', 'bySeverity', 'SEVERITY'],
    ['byUnit', 'byUnit', 'UNIT'],
  ];
  for (const [name, field, dim] of dims)
    for (const r of f[field] as { keys: Record<string, string | null>; count: number }[])
      add(name, r.keys[dim] ?? '', '', r.count);
  for (const c of f.causes)
    add(
      'causes',
      c.cause,
      c.responsibleUnitId ? (v.unitCodes.get(c.responsibleUnitId) ?? c.responsibleUnitId) : '',
      c.count,
    );
  for (const n of f.findings.byNature) add('findingsByNature', n.nature, '', n.count);
  for (const x of f.findings.byRemedy)
    add('findingsByRemedy', x.kind, '', x.count, money(x.amount));
  add('rates', 'satisfactionRate', '', '', f.satisfactionRate ?? '');
  add('rates', 'reopenRate', '', '', f.reopenRate ?? '');
  add('rates', 'repeatRate', '', '', f.repeatRate ?? '');
  for (const c of f.clocks) add('clocks', c.clock, `onTime=${c.onTime}`, c.total, c.rate ?? '');
  add('amounts', 'compensationTotal', '', '', money(f.compensationTotal));
  add('amounts', 'adjustmentTotal', '', '', money(f.adjustmentTotal));
  for (const [k, n] of Object.entries(f.rectifications)) add('rectifications', k, '', n);
  for (const h of f.hotspots)
    add('hotspots', h.line, formatDateTime(new Date(h.windowStart)), h.count, h.baseline);
  for (const c of v.typical) add('typicalCases', c.number, c.title, '');
  return `\uFEFF${rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('')}`;
}

/** The page and CSV routes of reports: GET with a signed link (no bearer header: a browser opens them). */
export function useReportPages(services: Services, limiter: RateLimiter): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const m = ROUTE.exec(url.pathname);
      if (!m) return;
      if (request.method !== 'GET') return endResponse(problem(405, 'GET only'));
      const now = services.clock.now();
      const claims = verifyLink(services.config.jwtSecret, url.pathname, url.searchParams, now);
      if (!claims)
        return endResponse(
          problem(
            403,
            'This link is altered or has expired: ask the API for the report again (its links last 15 minutes)',
          ),
        );
      const viewer = await loadStaffViewer(services.db, claims.userId, null, claims.version);
      if (!viewer || staff(viewer))
        return endResponse(
          problem(403, 'This link no longer works: its user is disabled or signed out everywhere'),
        );
      const limited = limiter.take(viewer);
      if (limited)
        return endResponse(
          new Response(
            JSON.stringify({
              errors: [
                {
                  message: `Rate limit exceeded; retry in ${limited.retryAfter} s`,
                  extensions: { code: 'RATE_LIMITED' },
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
      const ctx = contextFor(services, viewer, requestIdOf(request));
      const found = await readableReport(
        { db: ctx.db, viewer, unitOf: (id) => ctx.loaders.unit.load(id) },
        m[1]!,
      );
      if (!found) return endResponse(problem(403, "You no longer read this report's unit"));
      const view = await viewOf(ctx, found.report, found.unit);
      const csv = m[2] === 'report.csv';
      await recordAudit(
        services.db,
        { userId: viewer.id, at: now },
        {
          action: 'EXPORT_REPORT',
          unitId: found.unit.id,
          detail: {
            report: found.report.id,
            format: csv ? 'CSV' : 'PAGE',
            period: found.report.period,
            periodStart: found.report.periodStart,
            status: found.report.status,
          },
        },
      );
      if (csv) {
        const name = `report-${found.unit.code}-${found.report.periodStart}.csv`;
        return endResponse(
          new Response(renderCsv(view), {
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': `attachment; filename="${name}"`,
              'cache-control': 'no-store',
            },
          }),
        );
      }
      return endResponse(
        new Response(renderPage(view), {
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
