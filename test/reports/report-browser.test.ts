import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { type Listening, listen } from '../../src/server/http.js';
import { reportTitle } from '../../src/server/report-page.js';
import { engine, HOUR } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D77 in a real browser: headless Chromium opens a report's page from its
 * signed link (no bearer header), every chart is drawn (SVG elements in each
 * figure), no request leaves the server, and the page prints to a PDF (A4)
 * whose page count and title are checked. The screenshot and the PDF are
 * kept under test-artifacts/ (git-ignored). Skipped where no Chromium is
 * installed.
 */
const EXECUTABLE = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].find((p) => existsSync(p));
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'reports');

/** The UTF-16BE hex form in which Chromium writes a PDF's /Title. */
const utf16Hex = (s: string) =>
  'FEFF' +
  [...s].map((ch) => ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')).join('');

describe.skipIf(!EXECUTABLE)('D77: a report page in headless Chromium', () => {
  const world = useWorld();
  let server: Listening;
  let browser: Browser;

  beforeAll(async () => {
    const w = world();
    server = await listen(w.app(w.database.db), { port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: EXECUTABLE, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('D77: every chart renders, nothing is requested off the server, and the page prints to an A4 PDF with its title', async () => {
    const w = world();
    const db = w.database.db;
    const e = engine(w, db);
    // A month of GZ's work: closed and reported cases on two lines, committed (the server reads them).
    w.clock.set(T0);
    await e.closed('city');
    await e.closed('city', {}, 'broadband');
    w.clock.set(new Date(T0.getTime() + HOUR));
    await e.reported('city');
    await e.register('gd.agent', { businessLine: 'broadband', category: 'TARIFF_POLICY' });
    const token = await w.token('gz.leader');
    const drafted = await gql(
      w.app(db),
      `mutation ($i: AnalysisReportKey!) { draftAnalysisReport(input: $i) { report { pageUrl figures { total { current } } } userErrors { message } } }`,
      {
        i: {
          unitId: toGlobalId('OrgUnit', w.units['GD-GZ']!.id),
          period: 'MONTH',
          periodStart: '2026-11-01',
        },
      },
      { token },
    );
    const report = drafted.data.draftAnalysisReport.report;
    expect(report.figures.total.current).toBeGreaterThan(0);
    const origin = new URL(server.url).origin;
    const pageUrl = origin + report.pageUrl;

    const context = await browser.newContext({ viewport: { width: 900, height: 1200 } });
    const page = await context.newPage();
    const requested: string[] = [];
    const offServer: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
      offServer.push(url);
      return route.abort();
    });
    const response = await page.goto(pageUrl, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    const title = reportTitle(w.units['GD-GZ']!, 'MONTH', '2026-11-01');
    expect(await page.title()).toBe(title);
    expect(await page.locator('h1').textContent()).toBe(title);

    // Every chart: an SVG with drawn shapes and text, laid out with a size.
    for (const id of ['chart-kind', 'chart-line', 'chart-trend', 'chart-causes', 'chart-rates']) {
      const svg = page.locator(`#${id} svg`);
      expect(await svg.count(), id).toBe(1);
      expect(await page.locator(`#${id} svg path`).count(), id).toBeGreaterThan(2);
      expect(await page.locator(`#${id} svg text`).count(), id).toBeGreaterThan(0);
      const box = await svg.boundingBox();
      expect(box!.width, id).toBeGreaterThan(300);
      expect(box!.height, id).toBeGreaterThan(100);
    }
    // The trend line has 13 points (its value labels).
    expect(
      await page
        .locator('#chart-trend svg text')
        .allInnerTexts()
        .then((t) => t.length),
    ).toBeGreaterThanOrEqual(13);
    // Only the page itself was requested: nothing else from the server, nothing from anywhere else.
    expect(offServer).toEqual([]);
    expect(requested).toEqual([pageUrl]);

    await page.screenshot({ path: join(ARTIFACTS, 'report-page.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    writeFileSync(join(ARTIFACTS, 'report-page.pdf'), pdf);
    const raw = Buffer.from(pdf).toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    const pages = (raw.match(/\/Type\s*\/Page\b/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(raw).toContain(`/Title <${utf16Hex(title)}>`);
    // Every page A4: 595 × 842 points (210 × 297 mm), give or take a rounding.
    const boxes = [...raw.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(boxes).toHaveLength(pages);
    for (const [wd, ht] of boxes) expect([Math.round(wd!), Math.round(ht!)]).toEqual([595, 842]);
    await context.close();
  }, 120_000);
});
