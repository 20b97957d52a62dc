import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { complaintEvents, complaints, slaClocks } from '../../src/db/schema.js';
import type { ClockKind } from '../../src/domain/enums.js';
import { DomainError } from '../../src/domain/errors.js';
import { type Engine, engine } from '../support/cases.js';
import { sh } from '../support/time.js';
import { T0, useWorld, type World } from '../support/world.js';

/** Shared by the SLA tests that drive the engine (clocks, calendar API, scanner). */

export { DAY, HOUR, MINUTE, served, sh } from '../support/time.js';

export type ClockRow = typeof slaClocks.$inferSelect;

/** Every clock row of a case, in the order they started. */
export const clocksOf = (db: Db, complaintId: string) =>
  db
    .select()
    .from(slaClocks)
    .where(eq(slaClocks.complaintId, complaintId))
    .orderBy(asc(slaClocks.startedAt), asc(slaClocks.kind));

/** Kinds of the clocks still running (paused included), sorted. */
export async function runningKinds(db: Db, complaintId: string) {
  return (await clocksOf(db, complaintId))
    .filter((c) => !c.stoppedAt)
    .map((c) => c.kind)
    .sort();
}

/** The one clock of this kind (the latest started, for kinds that can repeat). */
export async function clockOf(db: Db, complaintId: string, kind: ClockKind): Promise<ClockRow> {
  const rows = await db
    .select()
    .from(slaClocks)
    .where(and(eq(slaClocks.complaintId, complaintId), eq(slaClocks.kind, kind)))
    .orderBy(asc(slaClocks.startedAt));
  expect(rows.length, `a ${kind} clock`).toBeGreaterThan(0);
  return rows.at(-1)!;
}

/** Each named clock of the case (the latest of its kind, see clockOf) matches what is given for it. */
export async function expectClocks(
  db: Db,
  complaintId: string,
  expected: Partial<Record<ClockKind, Partial<ClockRow>>>,
) {
  for (const [kind, want] of Object.entries(expected))
    expect(await clockOf(db, complaintId, kind as ClockKind), kind).toMatchObject(want);
}

/** The case's `complaints.due_at` (what `overdue` and order by DUE_AT read). */
export async function caseDueAt(db: Db, complaintId: string) {
  const [row] = await db
    .select({ dueAt: complaints.dueAt })
    .from(complaints)
    .where(eq(complaints.id, complaintId));
  return row!.dueAt;
}

export const eventsOf = (db: Db, complaintId: string) =>
  db
    .select()
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, complaintId))
    .orderBy(asc(complaintEvents.position));

/** The DomainError `fn` is refused with (fails when it succeeds). */
export async function refusal(fn: () => Promise<unknown>): Promise<DomainError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** `run(body)`: a test body with the engine in its rolled-back transaction, the clock at T0. */
export const runner =
  (world: () => World) => (fn: (e: Engine, db: Db, w: World) => Promise<void>) => () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      await fn(engine(world(), db), db, world());
    });

/** `at('2026-12-11 18:00')`: moves the world's clock to a Shanghai wall-clock time. */
export const clockSetter = (world: () => World) => (local: string) => world().clock.set(sh(local));

/** At file level: the file's world, its `run` (see runner) and `at` (see clockSetter). */
export function useClockWorld() {
  const world = useWorld();
  return { world, run: runner(world), at: clockSetter(world) };
}
