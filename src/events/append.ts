import { asc, eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import { rowReader } from '../db/rows.js';
import { complaintColumns, complaintEvents, complaints } from '../db/schema.js';
import { canonicalize, chainHash, sha256Hex } from '../domain/canonical-json.js';
import type { Status } from '../domain/enums.js';
import { formatDateTime } from '../wire/datetime.js';
import { toGlobalId } from '../wire/global-id.js';

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

/**
 * D51: an event's free text is kept beside it, never in the hashed payload.
 * A payload's `note` is taken out; when it holds text, the payload gets its
 * lower-case hex SHA-256 as `noteSha256` (the chain commits to the text, and
 * D15 can still erase it).
 */
export function splitNote(payload: Record<string, unknown> | null): {
  payload: Record<string, unknown> | null;
  note: string | null;
} {
  if (!payload || !Object.hasOwn(payload, 'note')) return { payload, note: null };
  const { note, ...rest } = payload;
  if (typeof note !== 'string' || note === '') return { payload: rest, note: null };
  return { payload: { ...rest, noteSha256: sha256Hex(note) }, note };
}

/** The channel LISTEN/NOTIFY announces new event positions on (src/live/feed.ts). */
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

const events = rowReader(complaintEvents);

/** The positions' sequence, each value taken only under the event-log lock. */
const POSITION = sql`(select nextval('complaint_event_position_seq') from (select pg_advisory_xact_lock(${EVENT_LOG_LOCK})) as event_log_lock)`;

/**
 * Appends one event: the last statement of every change (D51, D56), in the
 * caller's transaction. The advisory lock, held to commit, makes positions
 * follow commit order, so a reader resuming `after` a cursor never skips an
 * event committed late with a smaller position; the NOTIFY (delivered at
 * commit, dropped on rollback) is the outbox signal other instances wait on.
 *
 * One statement (issue 25): the lock, the position, the insert, the case's
 * chain head and the NOTIFY go in one round trip, so the lock every writer
 * of the platform queues for is held for that statement and the commit only.
 * The position's subquery takes the lock before `nextval`; the chain head's
 * update is a data-modifying CTE (always run, whether referenced or not).
 */
export async function appendEvent(tx: Db, given: NewEvent) {
  const { payload, note } = splitNote(given.payload);
  const e = { ...given, payload };
  const hash = chainHash(e.prevHash, eventBody(e));
  const insert = tx
    .insert(complaintEvents)
    .values({
      position: POSITION,
      complaintId: e.complaintId,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorUserId: e.actor?.kind === 'user' ? e.actor.id : null,
      actorPartnerId: e.actor?.kind === 'partner' ? e.actor.id : null,
      at: e.at,
      payload: e.payload,
      note,
      hash,
    })
    .returning();
  const head = tx
    .update(complaints)
    .set({ lastEventHash: hash })
    .where(eq(complaints.id, e.complaintId));
  const [raw] = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`with appended as ${insert}, head as ${head}
      select ${events.columns}, pg_notify(${EVENTS_CHANNEL}, position::text)::text as notified from appended`),
  );
  return events.map(raw!);
}

/** A case's stored events, in chain order. */
const chainOf = (db: Db, complaintId: string) =>
  db
    .select()
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, complaintId))
    .orderBy(asc(complaintEvents.position));

/** Who made a stored event, as its hash covers it. */
const storedActor = (e: { actorUserId: string | null; actorPartnerId: string | null }): Actor =>
  e.actorUserId
    ? { kind: 'user', id: e.actorUserId }
    : e.actorPartnerId
      ? { kind: 'partner', id: e.actorPartnerId }
      : null;

export type ChainReport =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: { position: bigint; eventId: string; reason: string } };

/**
 * D51: recomputes a case's chain from its stored events and reports the first
 * broken link: a changed body, a removed or reordered event, or a head that
 * no longer matches the case's recorded last hash.
 */
export async function verifyChain(db: Db, complaintId: string): Promise<ChainReport> {
  const events = await chainOf(db, complaintId);
  let prev: string | null = null;
  let checked = 0;
  for (const e of events) {
    const actor = storedActor(e);
    const expected = chainHash(prev, eventBody({ ...e, actor }));
    if (expected !== e.hash) {
      return {
        ok: false,
        checked,
        brokenAt: {
          position: e.position,
          eventId: e.id,
          reason: 'hash does not match the event and its predecessor',
        },
      };
    }
    prev = e.hash;
    checked++;
  }
  const [c] = await db
    .select({ last: complaints.lastEventHash })
    .from(complaints)
    .where(eq(complaints.id, complaintId));
  if (c && c.last !== prev) {
    const last = events[events.length - 1];
    return {
      ok: false,
      checked,
      brokenAt: {
        position: last?.position ?? 0n,
        eventId: last?.id ?? '',
        reason: 'the chain ends before the case’s last recorded event (events removed)',
      },
    };
  }
  return { ok: true, checked };
}

/**
 * D51 migration (issue 18): events written before notes moved out of the
 * payloads carry their free text in `payload.note`. Per such case, in one
 * transaction: every event's payload gets `noteSha256` in place of `note`
 * (the text moves to the `note` column), the case's chain is recomputed from
 * its first event, and a `MIGRATE_NOTES` event (no actor) is appended whose
 * payload records the chain head it replaced (`previousHead`) and how many
 * events were rewritten, so an auditor who kept the old head sees where it
 * went. A case whose chain does not verify as stored is left untouched (a
 * rewrite would hide the tampering; verifyChain still reports it). Idempotent:
 * a second run finds no intact case with a `note` in a payload. Needs the
 * table owner (the append-only trigger is disabled for the rewrite only).
 * Returns the number of cases migrated.
 */
export async function moveNotesOutOfPayloads(db: Db, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const cases = (await tx.execute(
      sql`select distinct complaint_id as id from complaint_events where jsonb_exists(payload, 'note')`,
    )) as unknown;
    const ids = (Array.isArray(cases) ? cases : ((cases as { rows: unknown[] }).rows ?? [])) as {
      id: string;
    }[];
    if (!ids.length) return 0;
    await tx.execute(
      sql`alter table complaint_events disable trigger complaint_events_append_only`,
    );
    let migrated = 0;
    for (const { id } of ids) {
      const [c] = await tx
        .select(complaintColumns)
        .from(complaints)
        .where(eq(complaints.id, id))
        .for('update');
      if (!c) continue;
      const events = await chainOf(tx, id);
      // A chain that does not verify as stored is left exactly as it is: rehashing it would launder the tampering.
      let head: string | null = null;
      let intact = true;
      for (const ev of events) {
        const actor = storedActor(ev);
        if (chainHash(head, eventBody({ ...ev, actor })) !== ev.hash) intact = false;
        head = ev.hash;
      }
      if (!intact || head !== c.lastEventHash) continue;
      let prev: string | null = null;
      let rewritten = 0;
      for (const ev of events) {
        const moved = splitNote(ev.payload);
        const changed = moved.payload !== ev.payload;
        const actor = storedActor(ev);
        const hash = chainHash(prev, eventBody({ ...ev, actor, payload: moved.payload }));
        if (changed || hash !== ev.hash) {
          await tx
            .update(complaintEvents)
            .set({ payload: moved.payload, note: changed ? moved.note : ev.note, hash })
            .where(eq(complaintEvents.id, ev.id));
          if (changed) rewritten++;
        }
        prev = hash;
      }
      await appendEvent(tx, {
        complaintId: id,
        prevHash: prev,
        action: 'MIGRATE_NOTES',
        fromStatus: c.status,
        toStatus: c.status,
        actor: null,
        at: now,
        payload: { previousHead: c.lastEventHash, rewritten },
      });
      migrated++;
    }
    await tx.execute(sql`alter table complaint_events enable trigger complaint_events_append_only`);
    return migrated;
  });
}
