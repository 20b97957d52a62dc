import { gt, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.js';
import { rowReader } from '../db/rows.js';

/** How a feed reads its table: the last position now, and the rows after one, oldest first. */
export type PositionSource<Row extends { position: bigint | null }> = {
  /** The LISTEN channel a writer NOTIFYs (a wake-up only: the payload is not read). */
  channel: string;
  last(database: Database): Promise<bigint>;
  after(database: Database, position: bigint, limit: number): Promise<Row[]>;
};

/** An append-only table whose rows are numbered by a `position` column. */
type PositionTable = PgTable & { position: PgColumn };
type RowOf<T extends PositionTable> = T['$inferSelect'] & { position: bigint | null };

/** The source of an append-only table announced on `channel`: whole rows, read by position. */
export function tableSource<T extends PositionTable>(
  channel: string,
  table: T,
): PositionSource<RowOf<T>> {
  const rows = rowReader(table);
  return {
    channel,
    last: async (database) => {
      const [row] = await database.db
        .select({ last: sql<string>`coalesce(max(${table.position}), 0)::text` })
        .from(table as PgTable);
      return BigInt(row!.last);
    },
    after: (database, position, limit) =>
      rows.select(
        database.db,
        gt(table.position, position),
        sql`order by ${table.position} limit ${limit}`,
      ) as Promise<RowOf<T>[]>,
  };
}

const BATCH = 500;
/** How soon a pump that failed (the database away) tries again. */
const RETRY_MS = 250;

/**
 * The relay of one append-only table with a `position` on one server instance
 * (the event log, HOTSPOT alerts, incidents opened). NOTIFY only wakes it; it
 * then reads the rows after the last position it offered, in order, and offers
 * each to every local subscriber. The table is the source of truth: a missed or
 * coalesced NOTIFY, a reconnect of the LISTEN connection, or a burst all end in
 * the same read, so a row committed on any instance reaches every subscriber of
 * every instance once. Statements per row do not depend on the number of
 * subscribers.
 */
export class PositionFeed<Row extends { position: bigint | null }> {
  readonly #database: Database;
  readonly #source: PositionSource<Row>;
  readonly #subscribers = new Set<(row: Row) => void>();
  #last = 0n;
  #started: Promise<void> | null = null;
  #unlisten: (() => Promise<void>) | null = null;
  #pumping: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(
    database: Database,
    source: PositionSource<Row>,
    readonly onError: (e: unknown) => void = () => {},
  ) {
    this.#database = database;
    this.#source = source;
  }

  /** LISTENs and remembers where the table ends now: subscribers get what commits from here on. */
  start(): Promise<void> {
    return (this.#started ??= (async () => {
      this.#last = await this.#source.last(this.#database);
      this.#unlisten = await this.#database.listen(
        this.#source.channel,
        () => void this.pump(),
        () => void this.pump(), // after a reconnect: catch up on whatever was announced meanwhile
      );
    })().catch((e) => {
      this.#started = null; // the database was away: the next subscriber starts it again
      throw e;
    }));
  }

  /** The position of the last row offered to subscribers. */
  get position() {
    return this.#last;
  }

  subscribe(deliver: (row: Row) => void): () => void {
    this.#subscribers.add(deliver);
    return () => void this.#subscribers.delete(deliver);
  }

  get size() {
    return this.#subscribers.size;
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
          const rows = await this.#source.after(this.#database, this.#last, BATCH);
          for (const row of rows) {
            this.#last = row.position!;
            for (const s of this.#subscribers) {
              try {
                s(row);
              } catch (e) {
                this.onError(e);
              }
            }
          }
          if (rows.length === BATCH) this.#again = true; // a full batch: read on
        } while (this.#again);
      } catch (e) {
        this.onError(e);
        // The database is away (a restart): try again shortly rather than wait for a NOTIFY that may not come.
        if (!this.#stopped) setTimeout(() => void this.pump(), RETRY_MS).unref();
      } finally {
        this.#pumping = null;
      }
    })();
    return this.#pumping;
  }

  async stop() {
    this.#stopped = true;
    await this.#unlisten?.();
    this.#subscribers.clear();
    await this.#pumping;
  }
}

/** One started feed per database and source on this instance, made on first use. */
export function feedsOf<Row extends { position: bigint | null }>(source: PositionSource<Row>) {
  const feeds = new WeakMap<Database, PositionFeed<Row>>();
  return async (database: Database): Promise<PositionFeed<Row>> => {
    let feed = feeds.get(database);
    if (!feed) feeds.set(database, (feed = new PositionFeed(database, source)));
    await feed.start();
    return feed;
  };
}
