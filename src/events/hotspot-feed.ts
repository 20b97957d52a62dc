import { gt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { hotspotAlerts } from '../db/schema.js';
import { HOTSPOTS_CHANNEL, type HotspotAlertRow } from '../domain/hotspots.js';

/**
 * The relay of HOTSPOT alerts on one server instance (D76), like the event
 * feed (src/events/feed.ts) but for the alerts table: NOTIFY is a wake-up
 * only, the relay reads the alerts after the last position it offered, so
 * an alert raised on any instance reaches every subscriber of every instance
 * once.
 */
export class HotspotFeed {
  readonly #database: Database;
  readonly #subscribers = new Set<(a: HotspotAlertRow) => void>();
  #last = 0n;
  #started: Promise<void> | null = null;
  #unlisten: (() => Promise<void>) | null = null;
  #pumping: Promise<void> | null = null;
  #again = false;

  constructor(database: Database, readonly onError: (e: unknown) => void = () => {}) {
    this.#database = database;
  }

  start(): Promise<void> {
    return (this.#started ??= (async () => {
      const [row] = await this.#database.db.select({ last: sql<string>`coalesce(max(${hotspotAlerts.position}), 0)::text` }).from(hotspotAlerts);
      this.#last = BigInt(row!.last);
      this.#unlisten = await this.#database.listen(HOTSPOTS_CHANNEL, () => void this.pump(), () => void this.pump());
    })().catch((e) => {
      this.#started = null;
      throw e;
    }));
  }

  subscribe(deliver: (a: HotspotAlertRow) => void): () => void {
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
          const rows = await this.#database.db.select().from(hotspotAlerts).where(gt(hotspotAlerts.position, this.#last)).orderBy(hotspotAlerts.position).limit(500);
          for (const a of rows) {
            this.#last = a.position;
            for (const s of this.#subscribers) {
              try {
                s(a);
              } catch (e) {
                this.onError(e);
              }
            }
          }
          if (rows.length === 500) this.#again = true;
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

const feeds = new WeakMap<Database, HotspotFeed>();

/** The instance's hotspot relay for a database, started on first use. */
export async function hotspotFeedFor(database: Database): Promise<HotspotFeed> {
  let feed = feeds.get(database);
  if (!feed) feeds.set(database, (feed = new HotspotFeed(database)));
  await feed.start();
  return feed;
}
