import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { auditRecords, users } from '../../src/db/schema.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { engine, HOUR } from '../support/cases.js';
import { data, q, unitGid } from '../support/gql.js';
import { ASSESSMENT, STATS } from '../support/stats.js';
import { T0, useWorld, type World } from '../support/world.js';

/**
 * D77 periodic analysis reports: the figures are the statistics' (D59) for
 * the report's unit and period, frozen at submission; authors and approvers
 * as D77 names them; the page and the CSV behind links signed for the
 * viewer (15 minutes, 403 when altered or late).
 */
const world = useWorld();

const FIGURES = `
  total { current previous yearAgo }
  byKind { keys count } byBusinessLine { keys count } byCategory { keys count } byChannel { keys count }
  bySource { keys count } bySeverity { keys count } byUnit { keys count }
  causes { cause responsibleUnit { code } count }
  satisfactionRate reopenRate repeatRate clocks { clock total onTime rate }
  compensationTotal adjustmentTotal rectifications { opened done verified overdue }
  hotspots { count }`;
const REPORT = `id status period periodStart findings measures suggestions decisionNote pageUrl csvUrl author { username } decidedBy { username } submittedAt typicalCases { number } figures { ${FIGURES} }`;
const DRAFT = `mutation ($i: AnalysisReportKey!) { draftAnalysisReport(input: $i) { report { ${REPORT} } userErrors { code message field } } }`;
const UPDATE = `mutation ($i: UpdateAnalysisReportInput!) { updateAnalysisReport(input: $i) { report { ${REPORT} } userErrors { code message field } } }`;
const SUBMIT = `mutation ($id: ID!) { submitAnalysisReport(id: $id) { report { ${REPORT} } userErrors { code message field } } }`;
const DECIDE = `mutation ($i: ReportDecisionInput!) { decideAnalysisReport(input: $i) { report { ${REPORT} } userErrors { code message field } } }`;
const GET = `query ($u: ID!, $p: ReportPeriod!, $s: Date!) { analysisReport(unitId: $u, period: $p, periodStart: $s) { ${REPORT} } }`;

const MONTH = { period: 'MONTH', periodStart: '2026-11-01' };
const FROM = '2026-11-01T00:00:00+08:00';
const TO = '2026-12-01T00:00:00+08:00';

/** A month of cases across GD: closed through a city and a county, reported by the centre, registered only, and one in ZJ. */
async function seedMonth(w: World, db: Db) {
  const e = engine(w, db);
  w.clock.set(T0);
  const closedCity = await e.closed('city');
  w.clock.set(new Date(T0.getTime() + 2 * HOUR));
  const closedCounty = await e.closed('county');
  await e.reported('centre', {}, 'enterprise');
  await e.register('gd.agent', { businessLine: 'broadband', category: 'TARIFF_POLICY' });
  await e.register('gd.agent', { channel: 'BUSINESS_HALL' });
  await e.register('zj.agent');
  // Last month and a year ago, for the trend figures.
  w.clock.set(new Date('2026-10-15T10:00:00+08:00'));
  await e.register('gd.agent');
  w.clock.set(new Date('2025-11-10T10:00:00+08:00'));
  await e.register('gd.agent');
  w.clock.set(new Date(T0.getTime() + 3 * HOUR));
  return { closedCity, closedCounty };
}

const draft = async (w: World, db: Db, as: string, unit: string, key = MONTH) =>
  (await data(w, db, as, DRAFT, { i: { unitId: unitGid(w, unit), ...key } })).draftAnalysisReport;
const errorsOf = (p: { userErrors: { code: string }[] }) => p.userErrors.map((u) => u.code);

describe('D77, D59: the figures are the statistics of the unit and period', () => {
  it('D77, D59: volumes, shares and trend equal complaintStats for the same unit and window', () =>
    world().tx(async (db) => {
      const w = world();
      await seedMonth(w, db);
      const { report, userErrors } = await draft(w, db, 'gd.legal', 'GD');
      expect(userErrors).toEqual([]);
      expect(report.status).toBe('DRAFT');
      const f = report.figures;
      const stats = async (groupBy: string[], from = FROM, to = TO) =>
        (
          await data(w, db, 'gd.legal', STATS, {
            i: { from, to, unitId: unitGid(w, 'GD'), groupBy },
          })
        ).complaintStats;
      expect(f.byBusinessLine).toEqual(await stats(['BUSINESS_LINE']));
      expect(f.byCategory).toEqual(await stats(['CATEGORY']));
      expect(f.byChannel).toEqual(await stats(['CHANNEL']));
      expect(f.bySource).toEqual(await stats(['SOURCE']));
      expect(f.bySeverity).toEqual(await stats(['SEVERITY']));
      expect(f.byUnit).toEqual(await stats(['UNIT']));
      const [all] = await stats([]);
      expect(f.total.current).toBe(all.count);
      expect(f.total.current).toBe(5); // the ZJ case is not GD's
      expect(f.total.previous).toBe((await stats([], '2026-10-01T00:00:00+08:00', FROM))[0].count);
      expect(f.total.yearAgo).toBe(
        (await stats([], '2025-11-01T00:00:00+08:00', '2025-12-01T00:00:00+08:00'))[0].count,
      );
      expect([f.total.previous, f.total.yearAgo]).toEqual([1, 1]);
      // Every case is a COMPLAINT until Complaint.kind exists (issue 22).
      expect(f.byKind).toEqual([{ keys: { KIND: 'COMPLAINT' }, count: 5 }]);
      // Findings: two closed (city, county) and the centre's report, each VALID with 20 yuan compensation; causes OTHER by responsible unit.
      expect(f.compensationTotal).toBe(60);
      expect(f.causes.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(3);
    }));

  it('D77, D31: rates and on-time rates equal assessment for a unit without children (the centre) and sum to it for a city', () =>
    world().tx(async (db) => {
      const w = world();
      await seedMonth(w, db);
      w.clock.set(new Date(T0.getTime() + 4 * HOUR));
      await engine(w, db).closed('centre', {}, 'enterprise');
      const centre = (await draft(w, db, 'bc.leader', 'GD-BC')).report.figures;
      const [a] = (
        await data(w, db, 'bc.leader', ASSESSMENT, {
          i: { from: FROM, to: TO, unitId: unitGid(w, 'GD-BC'), by: 'UNIT' },
        })
      ).assessment;
      expect(centre.total.current).toBe(a.received);
      expect(centre.total.current).toBe(2);
      expect([centre.satisfactionRate, centre.reopenRate, centre.repeatRate]).toEqual([
        a.satisfactionRate,
        a.reopenRate,
        a.repeatRate,
      ]);
      expect(centre.clocks).toEqual(a.clocks);
      expect(centre.satisfactionRate).toBe(1);
      expect(centre.clocks.length).toBeGreaterThan(0);

      const city = (await draft(w, db, 'gz.leader', 'GD-GZ')).report.figures;
      const rows = (
        await data(w, db, 'gz.leader', ASSESSMENT, {
          i: { from: FROM, to: TO, unitId: unitGid(w, 'GD-GZ'), by: 'UNIT' },
        })
      ).assessment;
      expect(city.total.current).toBe(
        rows.reduce((n: number, r: { received: number }) => n + r.received, 0),
      );
      const sum = new Map<string, { total: number; onTime: number }>();
      for (const r of rows)
        for (const c of r.clocks)
          sum.set(c.clock, {
            total: (sum.get(c.clock)?.total ?? 0) + c.total,
            onTime: (sum.get(c.clock)?.onTime ?? 0) + c.onTime,
          });
      expect(
        city.clocks.map((c: { clock: string; total: number; onTime: number }) => [
          c.clock,
          c.total,
          c.onTime,
        ]),
      ).toEqual(
        [...sum].sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, v.total, v.onTime]),
      );
    }));

  it('D77: a submitted report keeps its figures when cases change afterwards; a draft follows them', () =>
    world().tx(async (db) => {
      const w = world();
      await seedMonth(w, db);
      const gz = (await draft(w, db, 'gz.leader', 'GD-GZ')).report;
      const submitted = (await data(w, db, 'gz.leader', SUBMIT, { id: gz.id }))
        .submitAnalysisReport;
      expect(submitted.userErrors).toEqual([]);
      expect(submitted.report).toMatchObject({
        status: 'SUBMITTED',
        author: { username: 'gz.leader' },
      });
      const frozen = submitted.report.figures;
      const other = (await draft(w, db, 'gd.legal', 'GD')).report.figures;

      // More cases in the month, dispatched to GZ and worked, after the submission.
      const e = engine(w, db);
      w.clock.set(new Date(T0.getTime() + 5 * HOUR));
      await e.closed('city');
      await e.reported('county');
      const get = async (unit: string) =>
        (
          await data(w, db, unit === 'GD' ? 'gd.legal' : 'gz.leader', GET, {
            u: unitGid(w, unit),
            p: 'MONTH',
            s: '2026-11-01',
          })
        ).analysisReport;
      expect((await get('GD-GZ')).figures).toEqual(frozen);
      // The approval keeps them too.
      const approved = (await data(w, db, 'gd.legal', DECIDE, { i: { id: gz.id, approve: true } }))
        .decideAnalysisReport;
      expect(approved.report.status).toBe('APPROVED');
      expect(approved.report.figures).toEqual(frozen);
      // The province's draft counts the new cases (it is live): so the frozen one could have changed.
      const live = (await get('GD')).figures;
      expect(live.total.current).toBe(other.total.current + 2);
      expect(live.compensationTotal).toBe(other.compensationTotal + 40);
    }));
});

describe('D77: authors, approvers and states', () => {
  it('D77: the unit’s DEPARTMENT_LEADER writes a city report, the province LEGAL_OFFICER approves; approved is read-only', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      expect(errorsOf(await draft(w, db, 'gz.handler', 'GD-GZ'))).toEqual(['FORBIDDEN']);
      expect(errorsOf(await draft(w, db, 'gd.legal', 'GD-GZ'))).toEqual(['FORBIDDEN']); // a province officer does not write a city's report
      const r = (await draft(w, db, 'gz.leader', 'GD-GZ')).report;
      // The same key returns the same report.
      expect((await draft(w, db, 'gz.leader', 'GD-GZ')).report.id).toBe(r.id);
      const upd = (i: Record<string, unknown>, as = 'gz.leader') =>
        data(w, db, as, UPDATE, { i: { id: r.id, ...i } }).then((d) => d.updateAnalysisReport);
      const c = await engine(w, db).resolved('city');
      const z = await engine(w, db).register('zj.agent');
      expect(
        (
          await upd({
            findings: '  网络质量投诉集中在天河区。 ',
            typicalCaseIds: [toGlobalId('Complaint', c.id)],
          })
        ).report,
      ).toMatchObject({
        findings: '网络质量投诉集中在天河区。',
        typicalCases: [{ number: c.number }],
      });
      expect((await upd({ typicalCaseIds: [toGlobalId('Complaint', z.id)] })).userErrors).toEqual([
        {
          code: 'VALIDATION',
          message: expect.any(String),
          field: ['input', 'typicalCaseIds', '0'],
        },
      ]);
      expect(errorsOf(await upd({ measures: 'x' }, 'sz.leader'))).toEqual(['NOT_FOUND']); // another city reads no GZ report
      expect(errorsOf(await upd({ measures: 'x' }, 'gz.handler'))).toEqual(['FORBIDDEN']);
      // Nothing to decide before submission; the author's city leader is not an approver of a city report.
      expect(
        errorsOf(
          (await data(w, db, 'gd.legal', DECIDE, { i: { id: r.id, approve: true } }))
            .decideAnalysisReport,
        ),
      ).toEqual(['INVALID_TRANSITION']);
      await data(w, db, 'gz.leader', SUBMIT, { id: r.id });
      expect(errorsOf(await upd({ measures: 'x' }))).toEqual(['INVALID_TRANSITION']);
      expect(
        errorsOf(
          (await data(w, db, 'gz.leader', DECIDE, { i: { id: r.id, approve: true } }))
            .decideAnalysisReport,
        ),
      ).toEqual(['FORBIDDEN']);
      // Returning needs a note (D57); then the author edits and submits again.
      const noNote = (await data(w, db, 'gd.legal', DECIDE, { i: { id: r.id, approve: false } }))
        .decideAnalysisReport;
      expect(noNote.userErrors).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: ['input', 'note'] },
      ]);
      const returned = (
        await data(w, db, 'gd.legal', DECIDE, {
          i: { id: r.id, approve: false, note: '请补充原因分析' },
        })
      ).decideAnalysisReport.report;
      expect(returned).toMatchObject({
        status: 'RETURNED',
        decisionNote: '请补充原因分析',
        decidedBy: { username: 'gd.legal' },
      });
      expect((await upd({ measures: '加强基站巡检' })).report.measures).toBe('加强基站巡检');
      expect(
        (await data(w, db, 'gz.leader', SUBMIT, { id: r.id })).submitAnalysisReport.report.status,
      ).toBe('SUBMITTED');
      expect(
        (await data(w, db, 'gd.legal', DECIDE, { i: { id: r.id, approve: true } }))
          .decideAnalysisReport.report.status,
      ).toBe('APPROVED');
      expect(errorsOf(await upd({ measures: 'y' }))).toEqual(['INVALID_TRANSITION']);
      expect(
        errorsOf((await data(w, db, 'gz.leader', SUBMIT, { id: r.id })).submitAnalysisReport),
      ).toEqual(['INVALID_TRANSITION']);
      expect(
        errorsOf(
          (await data(w, db, 'gd.legal', DECIDE, { i: { id: r.id, approve: false, note: 'n' } }))
            .decideAnalysisReport,
        ),
      ).toEqual(['INVALID_TRANSITION']);
    }));

  it("D77: a county's report is approved by its city's DEPARTMENT_LEADER; a province's by a LEGAL_OFFICER who is not its author", () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const county = (await draft(w, db, 'th.leader', 'GD-GZ-TH')).report;
      await data(w, db, 'th.leader', SUBMIT, { id: county.id });
      expect(
        errorsOf(
          (await data(w, db, 'gd.legal', DECIDE, { i: { id: county.id, approve: true } }))
            .decideAnalysisReport,
        ),
      ).toEqual(['FORBIDDEN']);
      expect(
        (await data(w, db, 'gz.leader', DECIDE, { i: { id: county.id, approve: true } }))
          .decideAnalysisReport.report.status,
      ).toBe('APPROVED');

      const province = (
        await draft(w, db, 'gd.legal', 'GD', { period: 'QUARTER', periodStart: '2026-10-01' })
      ).report;
      expect(province.figures.total.current).toBe(0);
      await data(w, db, 'gd.legal', SUBMIT, { id: province.id });
      // gd.legal is its author: never its approver.
      expect(
        errorsOf(
          (await data(w, db, 'gd.legal', DECIDE, { i: { id: province.id, approve: true } }))
            .decideAnalysisReport,
        ),
      ).toEqual(['FORBIDDEN']);
    }));

  it('D77: a period starts on its first day; who reads a report reads its unit’s statistics', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const bad = await draft(w, db, 'gz.leader', 'GD-GZ', {
        period: 'QUARTER',
        periodStart: '2026-11-01',
      });
      expect(bad.userErrors).toEqual([
        {
          code: 'VALIDATION',
          message: expect.stringContaining('quarter'),
          field: ['input', 'periodStart'],
        },
      ]);
      expect(
        (await draft(w, db, 'gz.leader', 'GD-GZ', { period: 'MONTH', periodStart: '2027-01-01' }))
          .userErrors[0].code,
      ).toBe('VALIDATION');
      await draft(w, db, 'gz.leader', 'GD-GZ');
      const get = async (as: string) =>
        (await q(w, db, as, GET, { u: unitGid(w, 'GD-GZ'), p: 'MONTH', s: '2026-11-01' })).data
          ?.analysisReport?.status ?? null;
      expect(await get('gz.handler')).toBe('DRAFT');
      expect(await get('gd.auditor')).toBe('DRAFT');
      expect(await get('gd.duty')).toBe('DRAFT');
      expect(await get('th.handler')).toBeNull(); // below the unit
      expect(await get('sz.leader')).toBeNull();
      expect(await get('zj.legal')).toBeNull();
      const list = async (as: string) =>
        (
          await data(
            w,
            db,
            as,
            `{ analysisReports(first: 10) { edges { node { unit { code } } } } }`,
          )
        ).analysisReports.edges.length;
      expect([await list('gz.handler'), await list('sz.leader'), await list('gd.legal')]).toEqual([
        1, 0, 1,
      ]);
      const partner = await q(w, db, 'partner', GET, {
        u: unitGid(w, 'GD-GZ'),
        p: 'MONTH',
        s: '2026-11-01',
      });
      expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }));
});

describe('D77: the page and the CSV behind signed links', () => {
  it('D77: the page has the title, five inline SVG charts and no reference off the server; the CSV names each row’s table', () =>
    world().tx(async (db) => {
      const w = world();
      await seedMonth(w, db);
      const app = w.app(db);
      const r = (await draft(w, db, 'gz.leader', 'GD-GZ')).report;
      const page = await app.yoga.fetch(`http://test${r.pageUrl}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('<title>Unit GD-GZ2026年11月投诉信息分析报告</title>');
      expect(html).toContain('size: A4');
      for (const id of ['chart-kind', 'chart-line', 'chart-trend', 'chart-causes', 'chart-rates'])
        expect(html).toMatch(new RegExp(`<figure id="${id}"[^>]*><svg`));
      expect(html).not.toMatch(/<script/i);
      // Nothing loaded from anywhere: the only URLs are SVG's namespace names.
      expect([...html.matchAll(/(?:src|href)\s*=\s*["']?([^"' >]+)/gi)].map((m) => m[1])).toEqual(
        [],
      );
      expect(
        [...html.matchAll(/https?:\/\/[^"' )]+/g)]
          .map((m) => m[0])
          .filter((u) => !u.startsWith('http://www.w3.org/')),
      ).toEqual([]);

      const csv = await app.yoga.fetch(`http://test${r.csvUrl}`);
      expect(csv.status).toBe(200);
      const bytes = new Uint8Array(await csv.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a UTF-8 BOM, like the exports
      const body = new TextDecoder().decode(bytes); // drops the BOM
      const lines = body
        .trim()
        .split('\r\n')
        .map((l) => l.split(','));
      expect(lines[0]).toEqual(['table', 'key', 'detail', 'count', 'value']);
      const tables = new Set(lines.slice(1).map((l) => l[0]));
      for (const t of [
        'total',
        'trend',
        'byKind',
        'byBusinessLine',
        'byUnit',
        'causes',
        'rates',
        'clocks',
        'amounts',
        'rectifications',
      ])
        expect(tables).toContain(t);
      expect(lines.filter((l) => l[0] === 'trend')).toHaveLength(13);
      expect(lines.find((l) => l[0] === 'total' && l[1] === 'current')![3]).toBe(
        String(r.figures.total.current),
      );

      // One audit record per download, for the unit's auditors.
      const audits = await db
        .select()
        .from(auditRecords)
        .where(
          and(
            eq(auditRecords.action, 'EXPORT_REPORT'),
            eq(auditRecords.unitId, w.units['GD-GZ']!.id),
          ),
        );
      expect(audits.map((a) => (a.detail as { format: string }).format).sort()).toEqual([
        'CSV',
        'PAGE',
      ]);
    }));

  it('D77: a link is the viewer’s for 15 minutes: altered, late, or of a disabled viewer it answers 403', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const app = w.app(db);
      const r = (await draft(w, db, 'gz.leader', 'GD-GZ')).report;
      const url = new URL(`http://test${r.pageUrl}`);
      const status = async (u: URL | string) => (await app.yoga.fetch(String(u))).status;
      expect(await status(url)).toBe(200);
      const other = new URL(url);
      other.searchParams.set('u', w.staff['sz.leader']!.id); // someone else's name on the link
      expect(await status(other)).toBe(403);
      const longer = new URL(url);
      longer.searchParams.set('e', String(Number(url.searchParams.get('e')) + 3600));
      expect(await status(longer)).toBe(403);
      expect(await status(`http://test${r.csvUrl.replace('report.csv', 'page.html')}`)).toBe(403); // the CSV's signature is not the page's
      w.clock.set(new Date(T0.getTime() + 14 * 60_000));
      expect(await status(url)).toBe(200);
      w.clock.set(new Date(T0.getTime() + 15 * 60_000 + 1000));
      expect(await status(url)).toBe(403);
      expect(await status(`http://test/reports/${url.pathname.split('/')[2]}/page.html`)).toBe(403); // no signature at all
      // A password reset (the token version moves) or a disabled user voids the viewer's links like its tokens (D52).
      w.clock.set(T0);
      expect(await status(url)).toBe(200);
      await db.update(users).set({ tokenVersion: 1 }).where(eq(users.id, w.staff['gz.leader']!.id));
      expect(await status(url)).toBe(403);
      const legal = (
        await data(w, db, 'gd.legal', GET, { u: unitGid(w, 'GD-GZ'), p: 'MONTH', s: '2026-11-01' })
      ).analysisReport;
      expect(await status(`http://test${legal.pageUrl}`)).toBe(200);
      await db.update(users).set({ disabled: true }).where(eq(users.id, w.staff['gd.legal']!.id));
      expect(await status(`http://test${legal.pageUrl}`)).toBe(403);
    }));
});
