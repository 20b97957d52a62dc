import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { complaintEvents, complaints } from '../db/schema.js';
import { canonicalize, chainHash } from '../domain/canonical-json.js';
import type { Status } from '../domain/enums.js';
import { formatDateTime } from '../graphql/datetime.js';
import { toGlobalId } from '../graphql/global-id.js';

/** Who made a change: a user, a partner, or the system itself (null). */
export type Actor = { kind: 'user' | 'partner'; id: string } | null;

export type NewEvent = {
  complaintId: string;
  /** The chain so far: the case's last event hash (null before the first). */
  prevHash: string | null;
  action: string;
  fromStatus: Status | null;
  toStatus: Status | null;
  actor: Actor;
  at: Date;
  payload: Record<string, unknown> | null;
};

/** The channel LISTEN/NOTIFY announces new event positions on (src/events/feed.ts). */
export const EVENTS_CHANNEL = 'complaint_events';

/** Any number: the key of the advisory lock that orders event positions. */
const EVENT_LOG_LOCK = 5_170_424_031;

const actorId = (a: Actor) => (a ? toGlobalId(a.kind === 'user' ? 'User' : 'Partner', a.id) : null);

/**
 * D56: the canonical body an event's hash covers, exactly as an AUDITOR reads
 * the event through the API (global IDs, `at` as served, absent as null).
 */
export function eventBody(e: Omit<NewEvent, 'prevHash'>): string {
  return canonicalize({
    action: e.action,
    actor: actorId(e.actor),
    at: formatDateTime(e.at),
    complaint: toGlobalId('Complaint', e.complaintId),
    fromStatus: e.fromStatus,
    payload: e.payload,
    toStatus: e.toStatus,
  });
}

/**
 * Appends one event: the last statement of every change (D51, D56), in the
 * caller's transaction. The advisory lock, held to commit, makes positions
 * follow commit order, so a reader resuming `after` a cursor never skips an
 * event committed late with a smaller position; the NOTIFY (delivered at
 * commit, dropped on rollback) is the outbox signal other instances wait on.
 */
export async function appendEvent(tx: Db, e: NewEvent) {
  const hash = chainHash(e.prevHash, eventBody(e));
  await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`);
  const [row] = await tx
    .insert(complaintEvents)
    .values({
      position: sql`nextval('complaint_event_position_seq')`,
      complaintId: e.complaintId,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorUserId: e.actor?.kind === 'user' ? e.actor.id : null,
      actorPartnerId: e.actor?.kind === 'partner' ? e.actor.id : null,
      at: e.at,
      payload: e.payload,
      hash,
    })
    .returning();
  await tx.update(complaints).set({ lastEventHash: hash }).where(eq(complaints.id, e.complaintId));
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${String(row!.position)})`);
  return row!;
}

export type ChainReport = { ok: true; checked: number } | { ok: false; checked: number; brokenAt: { position: bigint; eventId: string; reason: string } };

/**
 * D51: recomputes a case's chain from its stored events and reports the first
 * broken link: a changed body, a removed or reordered event, or a head that
 * no longer matches the case's recorded last hash.
 */
export async function verifyChain(db: Db, complaintId: string): Promise<ChainReport> {
  const events = await db
    .select()
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, complaintId))
    .orderBy(asc(complaintEvents.position));
  let prev: string | null = null;
  let checked = 0;
  for (const e of events) {
    const actor: Actor = e.actorUserId
      ? { kind: 'user', id: e.actorUserId }
      : e.actorPartnerId
        ? { kind: 'partner', id: e.actorPartnerId }
        : null;
    const expected = chainHash(prev, eventBody({ ...e, actor }));
    if (expected !== e.hash) {
      return { ok: false, checked, brokenAt: { position: e.position, eventId: e.id, reason: 'hash does not match the event and its predecessor' } };
    }
    prev = e.hash;
    checked++;
  }
  const [c] = await db.select({ last: complaints.lastEventHash }).from(complaints).where(eq(complaints.id, complaintId));
  if (c && c.last !== prev) {
    const last = events[events.length - 1];
    return {
      ok: false,
      checked,
      brokenAt: { position: last?.position ?? 0n, eventId: last?.id ?? '', reason: 'the chain ends before the case’s last recorded event (events removed)' },
    };
  }
  return { ok: true, checked };
}
