import type { Database } from '../db/client.js';

/** How a feed reads its table: the last position now, and the rows after one, oldest first. */
export type PositionSource<Row extends { position: bigint | null }> = {
  /** The LISTEN channel a writer NOTIFYs (a wake-up only: the payload is not read). */
  channel: string;
  last(database: Database): Promise<bigint>;
  after(database: Database, position: bigint, limit: number): Promise<Row[]>;
};

const BATCH = 500;

/**
 * The relay of one append-only table with a `position` on one server instance
 * (HOTSPOT alerts, incidents opened): like the event feed (./feed.ts), NOTIFY
 * only wakes it; it reads the rows after the last position it offered, so a
 * row committed on any instance reaches every subscriber of every instance
 * once, and a reconnected LISTEN catches up on what was committed meanwhile.
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

  constructor(
    database: Database,
    source: PositionSource<Row>,
    readonly onError: (e: unknown) => void = () => {},
  ) {
    this.#database = database;
    this.#source = source;
  }

  start(): Promise<void> {
    return (this.#started ??= (async () => {
      this.#last = await this.#source.last(this.#database);
      this.#unlisten = await this.#database.listen(
        this.#source.channel,
        () => void this.pump(),
        () => void this.pump(),
      );
    })().catch((e) => {
      this.#started = null;
      throw e;
    }));
  }

  subscribe(deliver: (row: Row) => void): () => void {
    this.#subscribers.add(deliver);
    return () => void this.#subscribers.delete(deliver);
  }

  get size() {
    return this.#subscribers.size;
  }

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
          if (rows.length === BATCH) this.#again = true;
        } while (this.#again);
      } catch (e) {
        this.onError(e);
      } finally {
        this.#pumping = null;
      }
    })();
    return this.#pumping;
  }

  async stop() {
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
