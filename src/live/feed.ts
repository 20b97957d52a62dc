import { gt, sql } from 'drizzle-orm';
import { anyId } from '../db/any-id.js';
import type { Database } from '../db/client.js';
import { rowReader } from '../db/rows.js';
import { complaintEvents, complaints } from '../db/schema.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import { EVENTS_CHANNEL } from '../events/append.js';

export type EventRow = typeof complaintEvents.$inferSelect;

/** One live subscription as the feed sees it: a predicate and a sink. */
export type FeedSubscriber = {
  /** Subscribers of one group accept the same events: `accepts` is asked once per group and event. */
  group?: string;
  /** Decided per event against the case as it is now (abilities per event, not per subscription). */
  accepts(event: EventRow, complaint: ComplaintRow): boolean;
  deliver(event: EventRow, complaint: ComplaintRow): void;
};

const BATCH = 500;
/** How soon a pump that failed (the database away) tries again. */
const RETRY_MS = 250;

/** Whole rows of the log, as the feed, replays and timelines read them. */
export const readEvents = rowReader(complaintEvents);
const readCases = rowReader(complaints);

const casesAtEvent = new WeakMap<object, ComplaintRow>();
/** The case as the feed read it together with this event (or with the event a subscription derived this from). */
export const caseAtEvent = (payload: object): ComplaintRow | undefined => casesAtEvent.get(payload);
/** `derived` (e.g. an alert made of an event) goes with the same case as `event`. */
export function sameCase(derived: object, event: object) {
  const c = casesAtEvent.get(event);
  if (c) casesAtEvent.set(derived, c);
}

/**
 * The event relay of one server instance (D51, issue "live feeds"). NOTIFY
 * carries only a position, as a wake-up; the feed then reads the log after
 * the last position it delivered, in order, loads each batch's cases once,
 * and offers every event to every local subscriber. The log is the source
 * of truth: a missed or coalesced NOTIFY, a reconnect of the LISTEN
 * connection, or a burst all end in the same read. Statements per event do
 * not depend on the number of subscribers.
 */
export class EventFeed {
  readonly #database: Database;
  /** Subscribers by group; a subscriber without a group is a group of its own. */
  readonly #groups = new Map<string | FeedSubscriber, Set<FeedSubscriber>>();
  #size = 0;
  readonly #onError: (e: unknown) => void;
  #last = 0n;
  #started: Promise<void> | null = null;
  #unlisten: (() => Promise<void>) | null = null;
  #pumping: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(database: Database, onError: (e: unknown) => void = () => {}) {
    this.#database = database;
    this.#onError = onError;
  }

  /** LISTENs and remembers where the log ends now: subscribers get what commits from here on. */
  start(): Promise<void> {
    return (this.#started ??= (async () => {
      const [row] = await this.#database.db
        .select({ last: sql<string>`coalesce(max(${complaintEvents.position}), 0)::text` })
        .from(complaintEvents);
      this.#last = BigInt(row!.last);
      this.#unlisten = await this.#database.listen(
        EVENTS_CHANNEL,
        () => void this.pump(),
        () => void this.pump(), // after a reconnect: catch up on whatever was announced meanwhile
      );
    })().catch((e) => {
      this.#started = null; // the database was away: the next subscriber starts it again
      throw e;
    }));
  }

  /** The position of the last event offered to subscribers. */
  get position() {
    return this.#last;
  }

  get size() {
    return this.#size;
  }

  subscribe(s: FeedSubscriber): () => void {
    const key = s.group ?? s;
    let members = this.#groups.get(key);
    if (!members) this.#groups.set(key, (members = new Set()));
    members.add(s);
    this.#size++;
    return () => {
      if (!members.delete(s)) return;
      this.#size--;
      if (!members.size && this.#groups.get(key) === members) this.#groups.delete(key);
    };
  }

  /** Reads and offers everything after the last position; concurrent wake-ups coalesce into one more round. */
  pump(): Promise<void> {
    if (this.#pumping) {
      this.#again = true;
      return this.#pumping;
    }
    this.#pumping = (async () => {
      try {
        do {
          this.#again = false;
          while (await this.#round()) {
            /* a full batch: read on */
          }
        } while (this.#again);
      } catch (e) {
        this.#onError(e);
        // The database is away (a restart): try again shortly rather than wait for a NOTIFY that may not come.
        if (!this.#stopped) setTimeout(() => void this.pump(), RETRY_MS).unref();
      } finally {
        this.#pumping = null;
      }
    })();
    return this.#pumping;
  }

  async #round(): Promise<boolean> {
    const db = this.#database.db;
    const events = await readEvents.select(
      db,
      gt(complaintEvents.position, this.#last),
      sql`order by ${complaintEvents.position} limit ${BATCH}`,
    );
    if (!events.length) return false;
    const ids = [...new Set(events.map((e) => e.complaintId))];
    const cases = new Map(
      (await readCases.select(db, anyId(complaints.id, ids))).map((c) => [c.id, c as ComplaintRow]),
    );
    for (const e of events) {
      const c = cases.get(e.complaintId);
      if (c) {
        casesAtEvent.set(e, c);
        for (const members of this.#groups.values()) {
          let ok = false;
          try {
            ok = members.values().next().value!.accepts(e, c); // the same for every member (a group is never empty)
          } catch (err) {
            this.#onError(err);
          }
          if (!ok) continue;
          for (const s of members) {
            try {
              s.deliver(e, c);
            } catch (err) {
              this.#onError(err);
            }
          }
        }
      }
      this.#last = e.position;
    }
    return events.length === BATCH;
  }

  async stop() {
    this.#stopped = true;
    await this.#unlisten?.();
    for (const members of this.#groups.values()) members.clear();
    this.#groups.clear();
    this.#size = 0;
    await this.#pumping;
  }
}

const feeds = new WeakMap<Database, EventFeed>();

/** The instance's feed for a database, started on first use. */
export async function feedFor(
  database: Database,
  onError?: (e: unknown) => void,
): Promise<EventFeed> {
  let feed = feeds.get(database);
  if (!feed) feeds.set(database, (feed = new EventFeed(database, onError)));
  await feed.start();
  return feed;
}

/** The instance's feed if one runs (without starting it). */
export const runningFeed = (database: Database) => feeds.get(database) ?? null;
