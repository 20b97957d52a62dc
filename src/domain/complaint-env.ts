import { and, eq } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { AppAbility } from '../auth/abilities.js';
import type { Viewer } from '../auth/viewer.js';
import type { Clock } from '../config/clock.js';
import type { Config } from '../config/index.js';
import type { Db } from '../db/client.js';
import { complaintColumns, complaints } from '../db/schema.js';
import { type Actor, appendEvent } from '../events/append.js';
import type { Action, Status } from './enums.js';
import { DomainError } from './errors.js';
import type { ComplaintRow } from './lifecycle.js';
import type { LineRegistry } from './lines.js';

/**
 * What every change to a case runs with: the environment (database, clock,
 * lines, configuration), who acts, the case row locked for the change, and
 * the business line's after-commit hook (D35).
 */

export type Env = {
  db: Db;
  clock: Clock;
  lines: LineRegistry;
  config: Config;
  /**
   * D35: set when `db` is an enclosing transaction: after-commit hooks are
   * queued here for its owner to run once it commits (see `afterCommitted`).
   */
  afterCommit?: (() => Promise<void>)[];
};

/** D35: runs (or, inside an enclosing transaction, queues) the line's after-hook of a committed event. */
export async function afterCommitted(
  env: Env,
  lineCode: string | null,
  number: string,
  e: {
    complaintId: string;
    action: string;
    fromStatus: Status | null;
    toStatus: Status | null;
    at: Date;
    position: bigint;
  },
) {
  const job = () =>
    env.lines.afterCommit(lineCode, {
      complaintId: e.complaintId,
      number,
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus ?? e.fromStatus!,
      at: e.at,
      position: e.position,
    });
  if (env.afterCommit) env.afterCommit.push(job);
  else await job();
}

/** Runs `fn` in a transaction whose after-commit hooks (D35) run once it has committed. */
export async function withAfterCommit<T>(env: Env, fn: (env: Env) => Promise<T>): Promise<T> {
  const queue: (() => Promise<void>)[] = [];
  const result = await env.db.transaction((tx) => fn({ ...env, db: tx, afterCommit: queue }));
  for (const job of queue) await job();
  return result;
}
export type Who = { viewer: Viewer; ability: AppAbility };
export type CaseAction = Exclude<Action, 'REGISTER'>;

export const actorOf = (viewer: Viewer): Actor => ({ kind: viewer.kind, id: viewer.id });

/** The case row, locked until the transaction ends, or null. */
export async function lockCase(tx: Db, id: string) {
  const [c] = await tx
    .select(complaintColumns)
    .from(complaints)
    .where(eq(complaints.id, id))
    .for('update');
  return c ?? null;
}

/** Loads a case by id, or null. */
export async function complaintById(db: Db, id: string): Promise<ComplaintRow | null> {
  const [c] = await db.select(complaintColumns).from(complaints).where(eq(complaints.id, id));
  return c ?? null;
}

/**
 * D56: writes a change of the locked case `c`: its row at the next version
 * (CONFLICT when it changed meanwhile) and the one event named after the
 * action, chained to the case's last. Answers the new row and the event.
 */
export async function commitChange(
  tx: Db,
  c: ComplaintRow,
  viewer: Viewer,
  change: {
    action: string;
    to: Status;
    set: PgUpdateSetSource<typeof complaints>;
    at: Date;
    payload: Record<string, unknown> | null;
  },
) {
  const [updated] = await tx
    .update(complaints)
    .set({ ...change.set, version: c.version + 1 })
    .where(and(eq(complaints.id, c.id), eq(complaints.version, c.version)))
    .returning(complaintColumns);
  if (!updated) throw new DomainError('CONFLICT', `Case ${c.number} changed meanwhile: reload it`);
  const event = await appendEvent(tx, {
    complaintId: c.id,
    prevHash: c.lastEventHash,
    action: change.action,
    fromStatus: c.status,
    toStatus: change.to,
    actor: actorOf(viewer),
    at: change.at,
    payload: change.payload,
  });
  return { row: { ...updated, lastEventHash: event.hash }, event };
}
