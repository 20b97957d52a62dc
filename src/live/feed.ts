import { anyId } from '../db/any-id.js';
import type { Database } from '../db/client.js';
import { rowReader } from '../db/rows.js';
import { complaintEvents, complaints } from '../db/schema.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import { EVENTS_CHANNEL } from '../events/append.js';
import { PositionFeed, type PositionSource, tableSource } from './position-feed.js';

export type EventRow = typeof complaintEvents.$inferSelect;

/** One live subscription as the feed sees it: a predicate and a sink. */
export type FeedSubscriber = {
  /** Subscribers of one group accept the same events: `accepts` is asked once per group and event. */
  group?: string;
  /** Decided per event against the case as it is now (abilities per event, not per subscription). */
  accepts(event: EventRow, complaint: ComplaintRow): boolean;
  deliver(event: EventRow, complaint: ComplaintRow): void;
};

/** Whole rows of the log, as the feed, replays and timelines read them. */
export const readEvents = rowReader(complaintEvents);
const readCases = rowReader(complaints, ['searchGrams']);

const casesAtEvent = new WeakMap<object, ComplaintRow>();
/** The case as the feed read it together with this event (or with the event a subscription derived this from). */
export const caseAtEvent = (payload: object): ComplaintRow | undefined => casesAtEvent.get(payload);
/** `derived` (e.g. an alert made of an event) goes with the same case as `event`. */
export function sameCase(derived: object, event: object) {
  const c = casesAtEvent.get(event);
  if (c) casesAtEvent.set(derived, c);
}

const eventRows = tableSource(EVENTS_CHANNEL, complaintEvents);
/** The log read by position, each batch's cases loaded once and kept with their events. */
const eventSource: PositionSource<EventRow> = {
  ...eventRows,
  after: async (database, position, limit) => {
    const events = await eventRows.after(database, position, limit);
    if (!events.length) return events;
    const ids = [...new Set(events.map((e) => e.complaintId))];
    const cases = new Map(
      (await readCases.select(database.db, anyId(complaints.id, ids))).map((c) => [
        c.id,
        c as ComplaintRow,
      ]),
    );
    for (const e of events) {
      const c = cases.get(e.complaintId);
      if (c) casesAtEvent.set(e, c);
    }
    return events;
  },
};

/**
 * The event relay of one server instance (D51, issue "live feeds"): the log's
 * PositionFeed (./position-feed.ts: NOTIFY carries only a position, as a
 * wake-up; the log after the last position delivered is read in order), each
 * batch's cases loaded once, and every event offered to the local subscribers
 * with its case, asking `accepts` once per group.
 */
export class EventFeed {
  readonly #relay: PositionFeed<EventRow>;
  /** Subscribers by group; a subscriber without a group is a group of its own. */
  readonly #groups = new Map<string | FeedSubscriber, Set<FeedSubscriber>>();
  #size = 0;
  readonly #onError: (e: unknown) => void;

  constructor(database: Database, onError: (e: unknown) => void = () => {}) {
    this.#onError = onError;
    this.#relay = new PositionFeed(database, eventSource, onError);
    this.#relay.subscribe((e) => this.#offer(e));
  }

  /** LISTENs and remembers where the log ends now: subscribers get what commits from here on. */
  start(): Promise<void> {
    return this.#relay.start();
  }

  /** The position of the last event offered to subscribers. */
  get position() {
    return this.#relay.position;
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
    return this.#relay.pump();
  }

  /** One event to every group that accepts it (an event whose case is gone goes to none). */
  #offer(e: EventRow) {
    const c = casesAtEvent.get(e);
    if (!c) return;
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

  async stop() {
    for (const members of this.#groups.values()) members.clear();
    this.#groups.clear();
    this.#size = 0;
    await this.#relay.stop();
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
