import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { complaints } from '../db/schema.js';
import { FINDING_NATURES, type FindingNature, REMEDY_KINDS, type RemedyKind } from './enums.js';
import type { OrgUnit } from './org.js';
import { escapeLike } from './org.js';

/**
 * The parts of D31's assessment that are not counts of cases: findings by
 * responsible unit (by nature, by remedy with amounts, by cause), the return
 * rate (returns and sent-back reports per dispatch, 推诿), and rectifications
 * open and overdue (D75) per unit; and per person, the steps they owned
 * besides first response: the ASSIGNMENT clocks of the reports they
 * submitted, and their rework. Every figure is over the cases `where` selects
 * (the viewer's readable set, the unit filter and the registration window,
 * D59), attributed as said below.
 */

export type FindingSummary = {
  byNature: { nature: FindingNature; count: number }[];
  byRemedy: { kind: RemedyKind; count: number; amount: number }[];
  byCause: { category: string; count: number }[];
};

export type UnitExtras = {
  findings: FindingSummary;
  dispatches: number;
  bounced: number;
  rectificationsOpen: number;
  rectificationsOverdue: number;
};
export type PersonExtras = {
  owned: number;
  bounced: number;
  assignmentClocks: { total: number; onTime: number };
};

/** A line's records that are remedies paid out (the plugins' `remedyRecords`, D31). */
export type RemedyRecordKind = {
  line: string;
  kind: string;
  remedy: RemedyKind;
  amountField: string;
};

/** The scope's direct child holding `path` (or the scope itself; outside the scope, `id`): the UNIT row a figure counts in (D59). */
const childOf = (scope: OrgUnit, path: SQL, id: SQL) =>
  sql`(case when ${path} like ${`${escapeLike(scope.path)}%`}
    then coalesce(nullif(split_part(substr(${path}, ${scope.path.length + 1}), '/', 1), '')::uuid, ${scope.id}::uuid)
    else ${id} end)::text`;

export const emptyFindings = (): FindingSummary => ({ byNature: [], byRemedy: [], byCause: [] });
const emptyUnit = (): UnitExtras => ({
  findings: emptyFindings(),
  dispatches: 0,
  bounced: 0,
  rectificationsOpen: 0,
  rectificationsOverdue: 0,
});

/** The latest finding of each case (the case's responsibility, D12), with its responsible unit or else the handling unit. */
const latestFindings = (where: SQL) => sql`
  select distinct on (rf.complaint_id) rf.complaint_id, rf.nature, rf.cause, rf.remedy_kind, rf.remedy_amount,
    coalesce(rf.responsible_unit_id, ${complaints.handlingUnitId}) as unit_id
  from ${complaints} join responsibility_findings rf on rf.complaint_id = ${complaints.id}
  where ${where}
  order by rf.complaint_id, rf.determined_at desc, rf.id desc`;

/**
 * The lines' remedy records (`lr`, a `line_records` row) in SQL: `any`, the
 * rows that are remedies; `remedy`, a row's remedy kind; `amount`, what it
 * paid (a `case` that reads 0 where the amount is not a number).
 */
function remedyRecordsSql(remedyRecords: readonly RemedyRecordKind[]) {
  const which = (r: RemedyRecordKind) => sql`(lr.line = ${r.line} and lr.kind = ${r.kind})`;
  const remedy = sql.join(
    remedyRecords.map((r) => sql`when ${which(r)} then ${r.remedy}`),
    sql` `,
  );
  const amount = sql.join(
    remedyRecords.map(
      (r) =>
        sql`when ${which(r)} and jsonb_typeof(lr.data -> ${r.amountField}) = 'number' then (lr.data ->> ${r.amountField})::numeric`,
    ),
    sql` `,
  );
  return {
    any: sql.join(remedyRecords.map(which), sql` or `),
    remedy: sql`(case ${remedy} end)`,
    amount: sql`sum(case ${amount} else 0 end)`,
  };
}

/**
 * D31, D77: what the lines' own remedy records (e.g. refunds on bills) paid out on the cases `where` matches,
 * per remedy kind: the amounts a report adds to its findings' totals.
 */
export async function lineRemedyTotals(
  db: Db,
  where: SQL,
  remedyRecords: readonly RemedyRecordKind[],
): Promise<Map<RemedyKind, number>> {
  const out = new Map<RemedyKind, number>();
  if (!remedyRecords.length) return out;
  const lr = remedyRecordsSql(remedyRecords);
  const rows = rowsOf<{ remedy: RemedyKind; amount: string | null }>(
    await db.execute(sql`
      select ${lr.remedy} as remedy, ${lr.amount}::text as amount
      from ${complaints} join line_records lr on lr.complaint_id = ${complaints.id}
      where ${where} and (${lr.any})
      group by 1`),
  );
  for (const r of rows) out.set(r.remedy, Number(r.amount ?? 0));
  return out;
}

/** D31 per UNIT row key (see `childOf`): findings, return rate parts, rectifications. */
export async function unitExtras(
  db: Db,
  where: SQL,
  scope: OrgUnit,
  now: Date,
  remedyRecords: readonly RemedyRecordKind[],
): Promise<Map<string, UnitExtras>> {
  const out = new Map<string, UnitExtras>();
  const at = (k: string) => out.get(k) ?? (out.set(k, emptyUnit()), out.get(k)!);
  const key = childOf(scope, sql`u.path`, sql`u.id`);
  // Only units of the scope's subtree have rows here: a dispatch to, or a finding against, a unit outside it is not this scope's.
  const inScope = sql`u.path like ${`${escapeLike(scope.path)}%`}`;

  // Findings by the responsible unit (D31), the latest of each case.
  const findings = rowsOf<{
    k: string;
    nature: FindingNature;
    cause: string;
    remedy: RemedyKind;
    n: number;
    amount: string | null;
  }>(
    await db.execute(sql`
      select ${key} as k, f.nature::text as nature, f.cause, f.remedy_kind::text as remedy, count(*)::int as n, sum(f.remedy_amount)::text as amount
      from (${latestFindings(where)}) f join org_units u on u.id = f.unit_id
      where ${inScope}
      group by 1, 2, 3, 4`),
  );
  for (const r of findings) {
    const s = at(r.k).findings;
    bump(
      s.byNature,
      (x) => x.nature === r.nature,
      () => ({ nature: r.nature, count: 0 }),
    ).count += Number(r.n);
    const rem = bump(
      s.byRemedy,
      (x) => x.kind === r.remedy,
      () => ({ kind: r.remedy, count: 0, amount: 0 }),
    );
    rem.count += Number(r.n);
    rem.amount += Number(r.amount ?? 0);
    bump(
      s.byCause,
      (x) => x.category === r.cause,
      () => ({ category: r.cause, count: 0 }),
    ).count += Number(r.n);
  }

  // Remedies a line records of its own (e.g. refunds on bills), for the same responsible unit.
  if (remedyRecords.length) {
    const lr = remedyRecordsSql(remedyRecords);
    const paid = rowsOf<{ k: string; remedy: RemedyKind; amount: string | null }>(
      await db.execute(sql`
        select ${key} as k, ${lr.remedy} as remedy, ${lr.amount}::text as amount
        from ${complaints} join line_records lr on lr.complaint_id = ${complaints.id}
        left join lateral (select responsible_unit_id from responsibility_findings rf where rf.complaint_id = ${complaints.id}
                           order by rf.determined_at desc, rf.id desc limit 1) lf on true
        join org_units u on u.id = coalesce(lf.responsible_unit_id, ${complaints.handlingUnitId})
        where ${where} and ${inScope} and (${lr.any})
        group by 1, 2`),
    );
    for (const r of paid) {
      bump(
        at(r.k).findings.byRemedy,
        (x) => x.kind === r.remedy,
        () => ({ kind: r.remedy, count: 0, amount: 0 }),
      ).amount += Number(r.amount ?? 0);
    }
  }

  // Return rate (推诿): each dispatch or delegation counts for the unit that received it, with its return and its reports sent back.
  const returns = rowsOf<{ k: string; dispatches: number; bounced: number }>(
    await db.execute(sql`
      select ${key} as k, count(*)::int as dispatches, (count(a.returned_at) + coalesce(sum(a.sent_back), 0))::int as bounced
      from ${complaints} join assignments a on a.complaint_id = ${complaints.id} join org_units u on u.id = a.to_unit_id
      where ${where} and ${inScope} group by 1`),
  );
  for (const r of returns)
    Object.assign(at(r.k), { dispatches: Number(r.dispatches), bounced: Number(r.bounced) });

  // Rectifications (D75) of the responsible unit: open (OPEN or REOPENED) and, of those, overdue.
  const rects = rowsOf<{ k: string; open: number; overdue: number }>(
    await db.execute(sql`
      select ${key} as k, count(*)::int as open, count(*) filter (where r.due_at < ${now.toISOString()}::timestamptz)::int as overdue
      from ${complaints} join rectifications r on r.complaint_id = ${complaints.id} join org_units u on u.id = r.responsible_unit_id
      where ${where} and ${inScope} and r.status in ('OPEN', 'REOPENED') group by 1`),
  );
  for (const r of rects)
    Object.assign(at(r.k), {
      rectificationsOpen: Number(r.open),
      rectificationsOverdue: Number(r.overdue),
    });

  for (const e of out.values()) sortSummary(e.findings);
  return out;
}

/**
 * D31 per PERSON: what a person owned besides first response — the dispatches
 * they took (acknowledged or returned) with their returns and the reports of
 * theirs sent back (rework), and the ASSIGNMENT clocks their reports stopped
 * (the handler who submitted a unit's report; the city handler whose approval
 * made a county's report the city's).
 */
export async function personExtras(db: Db, where: SQL): Promise<Map<string, PersonExtras>> {
  const out = new Map<string, PersonExtras>();
  const at = (k: string) =>
    out.get(k) ??
    (out.set(k, { owned: 0, bounced: 0, assignmentClocks: { total: 0, onTime: 0 } }), out.get(k)!);
  const taken = rowsOf<{ k: string; owned: number; returned: number }>(
    await db.execute(sql`
      select e.actor_user_id::text as k, count(*)::int as owned, count(*) filter (where e.action = 'RETURN')::int as returned
      from ${complaints} join complaint_events e on e.complaint_id = ${complaints.id}
      where ${where} and e.action in ('ACKNOWLEDGE', 'RETURN') and e.actor_user_id is not null group by 1`),
  );
  for (const r of taken)
    Object.assign(at(r.k), { owned: Number(r.owned), bounced: Number(r.returned) });
  // Each report sent back counts against whoever made it the unit's report (the latest submission before it).
  const rework = rowsOf<{ k: string; n: number }>(
    await db.execute(sql`
      select s.actor_user_id::text as k, count(*)::int as n
      from ${complaints} join complaint_events r on r.complaint_id = ${complaints.id}
      cross join lateral (select actor_user_id from complaint_events s
        where s.complaint_id = r.complaint_id and s.position < r.position
          and (s.action = 'SUBMIT_REPORT' or (s.action = 'REVIEW_REPORT' and s.to_status = 'PENDING_APPROVAL'))
        order by s.position desc limit 1) s
      where ${where} and r.action in ('CONFIRM_REPORT', 'REVIEW_REPORT') and (r.payload ->> 'approve') = 'false'
        and s.actor_user_id is not null
      group by 1`),
  );
  for (const r of rework) at(r.k).bounced += Number(r.n);
  // ASSIGNMENT clocks stopped by a report: judged MET or MISSED, for the one whose action stopped them.
  const clocks = rowsOf<{ k: string; total: number; on_time: number }>(
    await db.execute(sql`
      select e.actor_user_id::text as k, count(*)::int as total, count(*) filter (where c.state = 'MET')::int as on_time
      from ${complaints} join sla_clocks c on c.complaint_id = ${complaints.id}
      cross join lateral (select actor_user_id from complaint_events e
        where e.complaint_id = c.complaint_id and e.at = c.stopped_at and e.action in ('SUBMIT_REPORT', 'REVIEW_REPORT')
        order by e.position limit 1) e
      where ${where} and c.kind = 'ASSIGNMENT' and c.state in ('MET', 'MISSED') and e.actor_user_id is not null
      group by 1`),
  );
  for (const r of clocks)
    at(r.k).assignmentClocks = { total: Number(r.total), onTime: Number(r.on_time) };
  return out;
}

function bump<T>(list: T[], match: (x: T) => boolean, make: () => T): T {
  let x = list.find(match);
  if (!x) list.push((x = make()));
  return x;
}

/** Natures and remedies in their enum order, causes by count (then code). */
function sortSummary(s: FindingSummary) {
  s.byNature.sort((a, b) => FINDING_NATURES.indexOf(a.nature) - FINDING_NATURES.indexOf(b.nature));
  s.byRemedy.sort((a, b) => REMEDY_KINDS.indexOf(a.kind) - REMEDY_KINDS.indexOf(b.kind));
  for (const r of s.byRemedy) r.amount = Math.round(r.amount * 100) / 100;
  s.byCause.sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
}
