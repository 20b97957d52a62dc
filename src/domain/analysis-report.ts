import { and, desc, eq, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import {
  approvesReportsOf,
  decidesReport,
  type ReportUnit,
  readsReport,
  writesReport,
} from '../auth/report-rules.js';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { analysisReports, complaints } from '../db/schema.js';
import { shanghaiMidnight } from '../sla/calendar.js';
import { lineRemedyTotals, type RemedyRecordKind } from './assessment-findings.js';
import { DEFAULT_KINDS, kindsWhere } from './complaint-list.js';
import { CONTACT_KINDS } from './enums.js';
import { DomainError, validation } from './errors.js';
import { type HotspotAlertRow, listHotspots } from './hotspots.js';
import { LIMITS, text } from './input.js';
import { escapeLike, type OrgUnit } from './org.js';
import {
  type ClockPerformance,
  complaintStats,
  type StatsRow,
  subtree,
  windowWhere,
} from './stats.js';
import { rollupMeasures, scanMeasures } from './stats-measures.js';
import type { StatsCover } from './stats-rollup.js';

/**
 * D77 periodic analysis reports. A report is a unit and a period (MONTH,
 * QUARTER, YEAR, starting on its first day in Asia/Shanghai); its figures
 * count the cases of the unit's subtree exactly as `complaintStats` and
 * `assessment` count them for that unit (D59: the viewer's readable set, the
 * subtree filter, registration in [from, to)). While DRAFT or RETURNED the
 * figures are computed when read; `submitAnalysisReport` computes them once
 * more and stores them, and from then on they are what was submitted
 * (frozen), whatever happens to the cases.
 */

export const REPORT_PERIODS = ['MONTH', 'QUARTER', 'YEAR'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
export const REPORT_STATUSES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export type ReportRow = typeof analysisReports.$inferSelect;

const MONTHS: Record<ReportPeriod, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
/** The trend line's length: this period and the twelve before it. */
export const TREND_PERIODS = 13;

// ------------------------------------------------------------------ periods

const ymd = (y: number, m: number) => {
  const yy = y + Math.floor((m - 1) / 12);
  const mm = ((((m - 1) % 12) + 12) % 12) + 1;
  return `${String(yy).padStart(4, '0')}-${String(mm).padStart(2, '0')}-01`;
};

/** The first day of the period `n` periods after (negative: before) the one starting at `start`. */
export function shiftPeriod(period: ReportPeriod, start: string, n: number): string {
  const [y, m] = start.split('-').map(Number) as [number, number];
  return ymd(y, m + n * MONTHS[period]);
}

/** A period's label as the statistics key it (D59): `2026-11`, `2026-Q4`, `2026`. */
export function periodLabel(period: ReportPeriod, start: string): string {
  const [y, m] = start.split('-').map(Number) as [number, number];
  if (period === 'MONTH') return start.slice(0, 7);
  if (period === 'QUARTER') return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  return String(y);
}

/** A period's label in Chinese, for the page and its title: 2026年11月, 2026年第4季度, 2026年. */
export function periodLabelZh(period: ReportPeriod, start: string): string {
  const [y, m] = start.split('-').map(Number) as [number, number];
  if (period === 'MONTH') return `${y}年${m}月`;
  if (period === 'QUARTER') return `${y}年第${Math.floor((m - 1) / 3) + 1}季度`;
  return `${y}年`;
}

/** D77: a period starts on the first day of a month, of a quarter (Jan, Apr, Jul, Oct) or of a year. */
export function checkPeriodStart(period: ReportPeriod, start: string, field: string[]) {
  const m = /^(\d{4})-(\d{2})-01$/.exec(start);
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12 || (month - 1) % MONTHS[period] !== 0) {
    const what =
      period === 'MONTH'
        ? 'the first day of a month'
        : period === 'QUARTER'
          ? 'the first day of a quarter (01-01, 04-01, 07-01, 10-01)'
          : 'the first day of a year (YYYY-01-01)';
    throw validation(field, `periodStart must be ${what}`);
  }
}

/** The period as the statistics window [from, to) (Asia/Shanghai midnights). */
export const periodWindow = (period: ReportPeriod, start: string) => ({
  from: shanghaiMidnight(start),
  to: shanghaiMidnight(shiftPeriod(period, start, 1)),
});

// ------------------------------------------------------------------ figures

export type CauseCount = { cause: string; responsibleUnitId: string | null; count: number };
export type FindingFigures = {
  byNature: { nature: string; count: number }[];
  byRemedy: { kind: string; count: number; amount: number }[];
  byCause: { category: string; count: number }[];
};
export type RectificationFigures = {
  opened: number;
  done: number;
  verified: number;
  overdue: number;
};
export type Figures = {
  /** The window counted, as ISO instants, and when the figures were computed. */
  from: string;
  to: string;
  computedAt: string;
  total: { current: number; previous: number; yearAgo: number };
  /** This period and the twelve before it, oldest first: the statistics key of each and its count. */
  trend: { period: string; count: number }[];
  byKind: StatsRow[];
  byBusinessLine: StatsRow[];
  byCategory: StatsRow[];
  byChannel: StatsRow[];
  bySource: StatsRow[];
  bySeverity: StatsRow[];
  byUnit: StatsRow[];
  causes: CauseCount[];
  findings: FindingFigures;
  satisfactionRate: number | null;
  reopenRate: number | null;
  repeatRate: number | null;
  clocks: ClockPerformance[];
  compensationTotal: number;
  adjustmentTotal: number;
  rectifications: RectificationFigures;
  /** Ids of the incidents of the period in the subtree (D76). */
  incidentIds: string[];
  hotspots: (Omit<HotspotAlertRow, 'position' | 'hour' | 'windowStart' | 'at'> & {
    windowStart: string;
    at: string;
  })[];
};

/** D70: the case's kind. Complaint.kind arrives with issue 22; until that column exists every case is a COMPLAINT. */
export async function countByKind(
  db: Db,
  readable: SQL,
  scope: OrgUnit,
  from: Date,
  to: Date,
  cover: ReadScope | null = null,
): Promise<StatsRow[]> {
  return complaintStats(
    db,
    readable,
    scope,
    from,
    to,
    ['KIND'],
    true,
    cover && {
      ...cover,
      kinds: CONTACT_KINDS,
    },
  );
}

/** The viewer's read rule in the statistics rollup's shape (src/auth/read-cover.ts), without kinds: each figure adds its own. */
export type ReadScope = Omit<StatsCover, 'kinds'>;

/** D79: a finding's root-cause code, as SQL over `f` (responsibility_findings). */
export const causeCodeOf = (): SQL => sql`f.cause`;

/** D75: rectifications of the subtree (by responsible unit) opened in the window, and where they stand now. */
export async function rectificationFigures(
  db: Db,
  scope: OrgUnit,
  from: Date,
  to: Date,
  now: Date,
): Promise<RectificationFigures> {
  const [r] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select count(*)::int as opened,
        count(*) filter (where status = 'DONE')::int as done,
        count(*) filter (where status = 'VERIFIED')::int as verified,
        count(*) filter (where status in ('OPEN', 'REOPENED') and due_at < ${now.toISOString()}::timestamptz)::int as overdue
      from rectifications
      where responsible_path like ${`${escapeLike(scope.path)}%`} and opened_at >= ${from.toISOString()}::timestamptz and opened_at < ${to.toISOString()}::timestamptz`),
  );
  return {
    opened: Number(r?.opened ?? 0),
    done: Number(r?.done ?? 0),
    verified: Number(r?.verified ?? 0),
    overdue: Number(r?.overdue ?? 0),
  };
}

/** D76: incidents concerning a unit of the subtree that started in the window, oldest first. */
export async function incidentIdsOf(
  db: Db,
  scope: OrgUnit,
  from: Date,
  to: Date,
): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select id::text as id from incidents
      where started_at >= ${from.toISOString()}::timestamptz and started_at < ${to.toISOString()}::timestamptz
        and exists (select 1 from unnest(unit_paths) p where p like ${`${escapeLike(scope.path)}%`})
      order by started_at, id`),
  );
  return rows.map((r) => r.id);
}

const rate = (n: number, d: number) => (d > 0 ? n / d : null);

/**
 * Every figure of a report, from the statistics' own statements where they
 * exist (complaintStats) and from the same filter (readable ∩ subtree ∩
 * window) where the report needs totals `assessment` gives per child unit.
 */
export async function computeFigures(
  db: Db,
  everyKind: SQL,
  scope: OrgUnit,
  period: ReportPeriod,
  start: string,
  now: Date,
  remedyRecords: readonly RemedyRecordKind[] = [],
  cover: ReadScope | null = null,
): Promise<Figures> {
  const { from, to } = periodWindow(period, start);
  // D70, D59: a report counts complaints, as the statistics do by default; only its volume by kind counts every kind.
  const readable = and(everyKind, kindsWhere(null))!;
  // Issue 25: from the rollups when the viewer's read rule has their shape (exactly the same figures), else scanned.
  const complaintCover = cover && { ...cover, kinds: DEFAULT_KINDS };
  const stats = (f: Date, t: Date, by: Parameters<typeof complaintStats>[5]) =>
    complaintStats(db, readable, scope, f, t, by, true, complaintCover);
  const where = and(readable, subtree(scope), windowWhere(from, to))!;

  const trendStart = shiftPeriod(period, start, -(TREND_PERIODS - 1));
  const trendRows = await stats(shanghaiMidnight(trendStart), to, [period]);
  const byLabel = new Map(trendRows.map((r) => [r.keys[period], r.count]));
  const trend = Array.from({ length: TREND_PERIODS }, (_, i) => {
    const label = periodLabel(period, shiftPeriod(period, trendStart, i));
    return { period: label, count: byLabel.get(label) ?? 0 };
  });
  // This period, the one before and the one a year before are all on the trend line (its 13 periods reach back a
  // year at every grain): the same windows and the same count, so one statement serves the four.
  const count = (s: string) => byLabel.get(periodLabel(period, s)) ?? 0;

  // D31, D26: received, reopened, repeats, callbacks and judged clocks (a rectification's included), as `assessment` counts them.
  const measured =
    (complaintCover &&
      (await rollupMeasures(db, {
        where,
        scope,
        from,
        to,
        subtreeOnly: true,
        cover: complaintCover,
        by: 'ALL',
        rectificationClocks: true,
        now,
      }))) ||
    (await scanMeasures(db, where, sql`null::text`, sql`true`, now));
  const totals = measured.cases.reduce(
    (t, c) => ({
      received: t.received + c.received,
      reopened: t.reopened + c.reopened,
      repeats: t.repeats + c.repeats,
      satisfied: t.satisfied + c.satisfied,
      reached: t.reached + c.reached,
    }),
    { received: 0, reopened: 0, repeats: 0, satisfied: 0, reached: 0 },
  );
  const clocks = measured.clocks;
  // The latest finding of each case (a case found again after a return counts once, as last found).
  const findings = sql`(select distinct on (f.complaint_id) f.*, ${causeCodeOf()} as cause_code
      from responsibility_findings f join ${complaints} on ${complaints.id} = f.complaint_id
      where ${where} order by f.complaint_id, f.determined_at desc)`;
  const causes = rowsOf<{ cause: string; unit: string | null; n: number }>(
    await db.execute(
      sql`select lf.cause_code as cause, lf.responsible_unit_id::text as unit, count(*)::int as n from ${findings} lf group by 1, 2 order by 3 desc, 1, 2`,
    ),
  );
  const natures = rowsOf<{ k: string; n: number }>(
    await db.execute(
      sql`select lf.nature::text as k, count(*)::int as n from ${findings} lf group by 1 order by 1`,
    ),
  );
  const remedies = rowsOf<{ k: string; n: number; amount: string | null }>(
    await db.execute(
      sql`select lf.remedy_kind::text as k, count(*)::int as n, coalesce(sum(lf.remedy_amount), 0)::text as amount from ${findings} lf group by 1 order by 1`,
    ),
  );
  // D31, D36: the lines' own remedy records (a billing dispute's adjustments) add to the amounts, as in `assessment`.
  const lineRemedies = await lineRemedyTotals(db, where, remedyRecords);
  for (const [k, amount] of lineRemedies) {
    const row = remedies.find((r) => r.k === k);
    if (row) row.amount = String(Number(row.amount ?? 0) + amount);
    else remedies.push({ k, n: 0, amount: String(amount) });
  }
  const amountOf = (k: string) => Number(remedies.find((r) => r.k === k)?.amount ?? 0);
  const hotspots = await listHotspots(db, from, to, [scope.path], scope.path);

  const { received } = totals;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    computedAt: now.toISOString(),
    total: {
      current: count(start),
      previous: count(shiftPeriod(period, start, -1)),
      yearAgo: count(shiftPeriod('YEAR', start, -1)),
    },
    trend,
    byKind: await countByKind(db, everyKind, scope, from, to, cover),
    byBusinessLine: await stats(from, to, ['BUSINESS_LINE']),
    byCategory: await stats(from, to, ['CATEGORY']),
    byChannel: await stats(from, to, ['CHANNEL']),
    bySource: await stats(from, to, ['SOURCE']),
    bySeverity: await stats(from, to, ['SEVERITY']),
    byUnit: await stats(from, to, ['UNIT']),
    causes: causes.map((c) => ({ cause: c.cause, responsibleUnitId: c.unit, count: Number(c.n) })),
    findings: {
      byNature: natures.map((r) => ({ nature: r.k, count: Number(r.n) })),
      byRemedy: remedies.map((r) => ({
        kind: r.k,
        count: Number(r.n),
        amount: Number(r.amount ?? 0),
      })),
      byCause: [
        ...causes.reduce(
          (m, c) => m.set(c.cause, (m.get(c.cause) ?? 0) + Number(c.n)),
          new Map<string, number>(),
        ),
      ].map(([category, n]) => ({ category, count: n })),
    },
    satisfactionRate: rate(totals.satisfied, totals.reached),
    reopenRate: rate(totals.reopened, received),
    repeatRate: rate(totals.repeats, received),
    clocks: clocks
      .filter((x) => x.total > 0)
      .map((x) => ({
        clock: x.clock,
        total: x.total,
        onTime: x.onTime,
        rate: rate(x.onTime, x.total),
      })),
    compensationTotal: amountOf('COMPENSATION'),
    adjustmentTotal: amountOf('BILL_ADJUSTED'),
    rectifications: await rectificationFigures(db, scope, from, to, now),
    incidentIds: await incidentIdsOf(db, scope, from, to),
    hotspots: hotspots.map(({ position: _p, hour: _h, windowStart, at, ...h }) => ({
      ...h,
      windowStart: windowStart.toISOString(),
      at: at.toISOString(),
    })),
  };
}

/** The report's figures: frozen ones once submitted, else computed now for the viewer's readable set. */
export async function figuresOf(
  db: Db,
  readable: SQL,
  report: ReportRow,
  unit: OrgUnit,
  now: Date,
  remedyRecords: readonly RemedyRecordKind[] = [],
  cover: ReadScope | null = null,
): Promise<Figures> {
  if (report.figures && (report.status === 'SUBMITTED' || report.status === 'APPROVED'))
    return report.figures as unknown as Figures;
  return computeFigures(
    db,
    readable,
    unit,
    report.period as ReportPeriod,
    report.periodStart,
    now,
    remedyRecords,
    cover,
  );
}

// ------------------------------------------------------------------ the workflow

export type ReportEnv = {
  db: Db;
  viewer: Viewer;
  readable: SQL;
  now: Date;
  unitOf(id: string): Promise<OrgUnit | null>;
  remedyRecords?: readonly RemedyRecordKind[];
  /** The viewer's read rule in the statistics rollup's shape, when it has it (issue 25): the figures are read from the rollups. */
  cover?: ReadScope | null;
};

const asReportUnit = (u: OrgUnit): ReportUnit => ({
  id: u.id,
  path: u.path,
  level: u.level,
  parentId: u.parentId,
});

async function reportFor(
  env: ReportEnv,
  id: string | null,
  lock: boolean,
): Promise<{ report: ReportRow; unit: OrgUnit }> {
  if (!id) throw validation(['id'], 'id is not an AnalysisReport ID');
  const q = env.db.select().from(analysisReports).where(eq(analysisReports.id, id));
  const [report] = lock ? await q.for('update') : await q;
  const unit = report ? await env.unitOf(report.unitId) : null;
  if (!report || !unit || !readsReport(env.viewer, unit))
    throw new DomainError('NOT_FOUND', 'No such analysis report');
  return { report, unit };
}

/** D77: creates the DRAFT of a unit and period, or returns the one that exists. */
export async function draftAnalysisReport(
  env: ReportEnv,
  input: { unitId: string | null; period: ReportPeriod; periodStart: string },
): Promise<ReportRow> {
  const unit = input.unitId ? await env.unitOf(input.unitId) : null;
  if (!unit || !readsReport(env.viewer, unit))
    throw new DomainError('NOT_FOUND', 'No such unit', ['input', 'unitId']);
  // D55's order: who may write (FORBIDDEN) before the input (VALIDATION).
  if (!writesReport(env.viewer, asReportUnit(unit))) {
    throw new DomainError(
      'FORBIDDEN',
      unit.level === 'PROVINCE'
        ? "A province's report is written by its LEGAL_OFFICER (D77)"
        : "A unit's report is written by its DEPARTMENT_LEADER (D77)",
    );
  }
  checkPeriodStart(input.period, input.periodStart, ['input', 'periodStart']);
  const reportOfPeriod = async () => {
    const [report] = await env.db
      .select()
      .from(analysisReports)
      .where(
        and(
          eq(analysisReports.unitId, unit.id),
          eq(analysisReports.period, input.period),
          eq(analysisReports.periodStart, input.periodStart),
        ),
      );
    return report;
  };
  const existing = await reportOfPeriod();
  if (existing) return existing;
  if (shanghaiMidnight(input.periodStart).getTime() > env.now.getTime())
    throw validation(['input', 'periodStart'], 'periodStart must not lie in the future');
  const [row] = await env.db
    .insert(analysisReports)
    .values({
      unitId: unit.id,
      unitPath: unit.path,
      period: input.period,
      periodStart: input.periodStart,
      status: 'DRAFT',
      authorId: env.viewer.id,
      createdAt: env.now,
      updatedAt: env.now,
    })
    .onConflictDoNothing()
    .returning();
  if (row) return row;
  // Drafted by someone else meanwhile: theirs is the report.
  return (await reportOfPeriod())!;
}

const EDITABLE: readonly string[] = ['DRAFT', 'RETURNED'];
const MAX_TYPICAL = 20;

/** D77: the author's texts and typical cases, while DRAFT or RETURNED. */
export async function updateAnalysisReport(
  env: ReportEnv,
  input: {
    id: string | null;
    findings?: string | null;
    measures?: string | null;
    suggestions?: string | null;
    typicalCaseIds?: readonly (string | null)[] | null;
  },
): Promise<ReportRow> {
  return env.db.transaction(async (tx) => {
    const { report, unit } = await reportFor({ ...env, db: tx }, input.id, true);
    if (!writesReport(env.viewer, asReportUnit(unit)))
      throw new DomainError('FORBIDDEN', "Only the report's author writes it (D77)");
    if (!EDITABLE.includes(report.status))
      throw new DomainError('INVALID_TRANSITION', `A ${report.status} report cannot be changed`);
    const set: Partial<ReportRow> = { updatedAt: env.now };
    if (input.findings !== undefined)
      set.findings = text(input.findings, ['input', 'findings'], { max: LIMITS.note });
    if (input.measures !== undefined)
      set.measures = text(input.measures, ['input', 'measures'], { max: LIMITS.note });
    if (input.suggestions !== undefined)
      set.suggestions = text(input.suggestions, ['input', 'suggestions'], { max: LIMITS.note });
    if (input.typicalCaseIds != null) {
      const ids = input.typicalCaseIds;
      if (ids.length > MAX_TYPICAL)
        throw validation(
          ['input', 'typicalCaseIds'],
          `typicalCaseIds takes at most ${MAX_TYPICAL} cases`,
        );
      const wanted = [...new Set(ids.filter((x): x is string => !!x))];
      // Typical cases are cases of the report: readable by the author and handled in the unit's subtree.
      const found = wanted.length
        ? (
            await tx
              .select({ id: complaints.id })
              .from(complaints)
              .where(and(inArray(complaints.id, wanted), env.readable, subtree(unit)))
          ).map((r) => r.id)
        : [];
      const bad = ids.findIndex((x) => !x || !found.includes(x));
      if (bad >= 0)
        throw validation(
          ['input', 'typicalCaseIds', String(bad)],
          "typicalCaseIds must name cases of the report's unit that you can read",
        );
      set.typicalCaseIds = wanted;
    }
    const [row] = await tx
      .update(analysisReports)
      .set(set)
      .where(eq(analysisReports.id, report.id))
      .returning();
    return row!;
  });
}

/** D77: DRAFT or RETURNED → SUBMITTED, its figures computed and frozen as they are now; the submitter is the author. */
export async function submitAnalysisReport(env: ReportEnv, id: string | null): Promise<ReportRow> {
  return env.db.transaction(async (tx) => {
    const { report, unit } = await reportFor({ ...env, db: tx }, id, true);
    if (!writesReport(env.viewer, asReportUnit(unit)))
      throw new DomainError('FORBIDDEN', "Only the report's author submits it (D77)");
    if (!EDITABLE.includes(report.status))
      throw new DomainError('INVALID_TRANSITION', `A ${report.status} report cannot be submitted`);
    const figures = await computeFigures(
      tx,
      env.readable,
      unit,
      report.period as ReportPeriod,
      report.periodStart,
      env.now,
      env.remedyRecords ?? [],
      env.cover ?? null,
    );
    const [row] = await tx
      .update(analysisReports)
      .set({
        status: 'SUBMITTED',
        figures: figures as unknown as Record<string, unknown>,
        authorId: env.viewer.id,
        submittedAt: env.now,
        updatedAt: env.now,
      })
      .where(eq(analysisReports.id, report.id))
      .returning();
    return row!;
  });
}

/** D77: SUBMITTED → APPROVED (read-only from then on) or RETURNED (with a note), by the approver, never the author. */
export async function decideAnalysisReport(
  env: ReportEnv,
  input: { id: string | null; approve: boolean; note?: string | null },
): Promise<ReportRow> {
  return env.db.transaction(async (tx) => {
    const { report, unit } = await reportFor({ ...env, db: tx }, input.id, true);
    const u = asReportUnit(unit);
    if (!approvesReportsOf(env.viewer, u)) {
      throw new DomainError(
        'FORBIDDEN',
        unit.level === 'COUNTY'
          ? "A county's report is approved by its city's DEPARTMENT_LEADER (D77)"
          : 'Reports are approved by the province LEGAL_OFFICER (D77)',
      );
    }
    if (report.status !== 'SUBMITTED')
      throw new DomainError(
        'INVALID_TRANSITION',
        `A ${report.status} report has no decision pending`,
      );
    if (!decidesReport(env.viewer, u, report.authorId))
      throw new DomainError('FORBIDDEN', "The report's author cannot approve it (D77)");
    const note = text(input.note, ['input', 'note'], {
      required: !input.approve,
      max: LIMITS.note,
    });
    const [row] = await tx
      .update(analysisReports)
      .set({
        status: input.approve ? 'APPROVED' : 'RETURNED',
        decidedBy: env.viewer.id,
        decidedAt: env.now,
        decisionNote: note,
        updatedAt: env.now,
      })
      .where(eq(analysisReports.id, report.id))
      .returning();
    return row!;
  });
}

/** D77 `analysisReport`: the report of a unit and period, or null (none, or not readable). */
export async function reportByKey(
  env: Pick<ReportEnv, 'db' | 'viewer'>,
  unit: OrgUnit,
  period: ReportPeriod,
  periodStart: string,
): Promise<ReportRow | null> {
  if (!readsReport(env.viewer, unit)) return null;
  const [row] = await env.db
    .select()
    .from(analysisReports)
    .where(
      and(
        eq(analysisReports.unitId, unit.id),
        eq(analysisReports.period, period),
        eq(analysisReports.periodStart, periodStart),
      ),
    );
  return row ?? null;
}

/** D77 `analysisReports`: readable reports (units at or below the viewer's reading grants), newest first, keyset on position. */
export async function listReports(
  db: Db,
  readingPaths: readonly string[],
  filter: { within: string | null; status: readonly string[] | null; before: bigint | null },
  limit: number,
): Promise<ReportRow[]> {
  if (!readingPaths.length) return [];
  const conds: SQL[] = [
    or(...readingPaths.map((p) => sql`${analysisReports.unitPath} like ${`${escapeLike(p)}%`}`))!,
  ];
  if (filter.within)
    conds.push(sql`${analysisReports.unitPath} like ${`${escapeLike(filter.within)}%`}`);
  if (filter.status?.length) conds.push(inArray(analysisReports.status, [...filter.status]));
  if (filter.before !== null) conds.push(lt(analysisReports.position, filter.before));
  return db
    .select()
    .from(analysisReports)
    .where(and(...conds))
    .orderBy(desc(analysisReports.position))
    .limit(limit);
}

/** A report by id, if the viewer reads it (for `node` and the page). */
export async function readableReport(
  env: Pick<ReportEnv, 'db' | 'viewer' | 'unitOf'>,
  id: string,
): Promise<{ report: ReportRow; unit: OrgUnit } | null> {
  const [report] = await env.db.select().from(analysisReports).where(eq(analysisReports.id, id));
  const unit = report ? await env.unitOf(report.unitId) : null;
  return report && unit && readsReport(env.viewer, unit) ? { report, unit } : null;
}
