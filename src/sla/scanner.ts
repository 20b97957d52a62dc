import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, lte, not, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { hashPassword } from '../auth/passwords.js';
import { type Clock, repeatEvery } from '../config/clock.js';
import type { Db } from '../db/client.js';
import {
  complaints,
  escalations,
  pendingDueAt,
  slaClocks,
  supervisionNotes,
  users,
} from '../db/schema.js';
import { appendEvent } from '../events/append.js';
import { formatDateTime } from '../wire/datetime.js';

/**
 * D21, D22: turns passed warning and due times into SLA_WARNING and
 * SLA_BREACH events, once per clock and threshold, on any number of server
 * instances. Each pass claims a batch of clocks with `FOR UPDATE SKIP
 * LOCKED` (another instance's claimed rows are skipped, never waited on),
 * marks them and appends their events in one transaction: an alert is
 * committed together with its mark or not at all. A pass after downtime
 * catches up on everything that passed meanwhile.
 */

export type ScanResult = { warnings: number; breaches: number; escalated: number };

const BATCH = 500;

/** One pass: claims up to `limit` clocks due for an alert and alerts them. */
export async function scanOnce(db: Db, now: Date, limit = BATCH): Promise<ScanResult> {
  return db.transaction(async (tx) => {
    const due = and(
      isNull(slaClocks.stoppedAt),
      isNull(slaClocks.pausedAt),
      or(
        and(not(slaClocks.warned), lte(slaClocks.warnAt, now)),
        and(not(slaClocks.breached), lte(slaClocks.dueAt, now)),
      ),
    );
    // Two steps, neither of which waits on a lock. First the clocks, oldest due first: only the
    // partial indexes sla_clocks_warn_idx / sla_clocks_due_idx serve this. Joined with complaints
    // and ordered by complaint in one statement, the planner preferred walking
    // sla_clocks_complaint_idx over every running clock (see bench/README.md). With the two
    // conditions OR-ed in one WHERE, it estimates them from the whole table, where the stopped
    // and already alerted clocks of history have long passed their times: at 1M cases it expected
    // 40,000 rows where none was due and scanned all clocks (55 ms a tick, growing with history;
    // `npm run bench:growth`). So the candidates come from each partial index in its own order,
    // `limit` each (an index scan that stops at `now`), and the rows are claimed by id, the whole
    // condition re-checked on the row locked.
    // (sla_clocks_due_idx is on `pendingDueAt`, which is due_at on every row the index holds.)
    const candidates = (at: AnyPgColumn | SQL, alerted: AnyPgColumn) =>
      tx
        .select({ id: slaClocks.id })
        .from(slaClocks)
        .where(
          and(
            isNull(slaClocks.stoppedAt),
            isNull(slaClocks.pausedAt),
            not(alerted),
            sql`${at} <= ${now.toISOString()}::timestamptz`,
          ),
        )
        .orderBy(at)
        .limit(limit);
    const clocks = await tx
      .select()
      .from(slaClocks)
      .where(
        and(
          sql`${slaClocks.id} in ((${candidates(slaClocks.warnAt, slaClocks.warned)}) union all (${candidates(pendingDueAt(slaClocks), slaClocks.breached)}))`,
          due,
        ),
      )
      .orderBy(slaClocks.dueAt, slaClocks.id)
      .limit(limit)
      .for('update', { skipLocked: true });
    if (!clocks.length) return { warnings: 0, breaches: 0, escalated: 0 };
    // Then their cases, whose rows carry the event chain's head. A case locked by a transition
    // in progress is skipped: its clocks stay unmarked and are claimed again by a later pass.
    const cases = await tx
      .select({
        id: complaints.id,
        status: complaints.status,
        severity: complaints.severity,
        lastHash: complaints.lastEventHash,
        level: complaints.escalationLevel,
      })
      .from(complaints)
      .where(inArray(complaints.id, [...new Set(clocks.map((c) => c.complaintId))]))
      .for('update', { skipLocked: true });
    const caseOf = new Map(cases.map((c) => [c.id, c]));
    const claimed = clocks.flatMap((clock) => {
      const c = caseOf.get(clock.complaintId);
      return c
        ? [{ clock, status: c.status, severity: c.severity, lastHash: c.lastHash, level: c.level }]
        : [];
    });

    const result: ScanResult = { warnings: 0, breaches: 0, escalated: 0 };
    const heads = new Map<string, string | null>();
    for (const { clock: c, status, severity, lastHash, level } of claimed) {
      const alerts: ('SLA_WARNING' | 'SLA_BREACH')[] = [];
      if (!c.warned && c.warnAt && c.warnAt <= now) alerts.push('SLA_WARNING');
      if (!c.breached && c.dueAt && c.dueAt <= now) alerts.push('SLA_BREACH');
      const breach = alerts.includes('SLA_BREACH');
      // D13: a breached RESOLVE clock of a MAJOR or URGENT case escalates it, into its supervision ledger.
      const escalate =
        breach && c.kind === 'RESOLVE' && (severity === 'MAJOR' || severity === 'URGENT');

      await tx
        .update(slaClocks)
        .set({
          warned: true,
          breached: c.breached || breach,
          state: breach || c.breached ? 'BREACHED' : 'WARNING',
        })
        .where(eq(slaClocks.id, c.id));
      if (escalate) {
        const note = `Automatic escalation: the RESOLVE time limit passed at ${formatDateTime(c.dueAt!)} (D13)`;
        await tx.insert(escalations).values({
          complaintId: c.complaintId,
          requestedAt: now,
          note,
          decidedAt: now,
          approved: true,
        });
        await tx
          .insert(supervisionNotes)
          .values({ complaintId: c.complaintId, note, at: now, byUserId: await systemAuthor(tx) });
        await tx
          .update(complaints)
          .set({ escalationLevel: sql`${complaints.escalationLevel} + 1` })
          .where(eq(complaints.id, c.complaintId));
        result.escalated++;
      }
      for (const action of alerts) {
        const prev = heads.has(c.complaintId) ? heads.get(c.complaintId)! : lastHash;
        const event = await appendEvent(tx, {
          complaintId: c.complaintId,
          prevHash: prev,
          action,
          fromStatus: status,
          toStatus: status,
          actor: null,
          at: now,
          payload: {
            clock: c.kind,
            dueAt: c.dueAt ? formatDateTime(c.dueAt) : null,
            ...(action === 'SLA_BREACH' && escalate ? { escalationLevel: level + 1 } : {}),
          },
        });
        heads.set(c.complaintId, event.hash);
        if (action === 'SLA_WARNING') result.warnings++;
        else result.breaches++;
      }
    }
    return result;
  });
}

/** Passes until nothing is left to alert (catching up after downtime), then returns the totals. */
export async function scanAll(db: Db, now: Date): Promise<ScanResult> {
  const total: ScanResult = { warnings: 0, breaches: 0, escalated: 0 };
  for (;;) {
    const r = await scanOnce(db, now);
    total.warnings += r.warnings;
    total.breaches += r.breaches;
    total.escalated += r.escalated;
    if (r.warnings + r.breaches === 0) return total;
  }
}

/** The scanner of one server instance: a pass every `intervalMs`, never two at once. */
export function startScanner(
  db: Db,
  clock: Clock,
  intervalMs: number,
  onError: (e: unknown) => void,
) {
  return repeatEvery(intervalMs, () => scanAll(db, clock.now()), onError);
}

/**
 * The author of what the platform writes by itself in a supervision ledger
 * (D13's automatic escalations): a user `system` with no unit, no role and a
 * random password nobody knows, created on first use.
 */
export async function systemAuthor(tx: Db): Promise<string> {
  const [found] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, SYSTEM_USERNAME));
  if (found) return found.id;
  await tx
    .insert(users)
    .values({
      username: SYSTEM_USERNAME,
      displayName: '系统 System',
      passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
      unitId: null,
    })
    .onConflictDoNothing();
  const [created] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, SYSTEM_USERNAME));
  return created!.id;
}

export const SYSTEM_USERNAME = 'system';
