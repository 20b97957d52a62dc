import { sql } from 'drizzle-orm';
import type { Database, Db } from '../db/client.js';

/**
 * D52, D1a: credentials that stop at once — a disabled user, a reset or
 * changed password, a rotated partner key — on every instance.
 *
 * Requests re-read the user (or key) from the database each time
 * (src/auth/viewer.ts), so HTTP stops by itself. Live paths hold a viewer
 * for as long as they are open; they watch here. The change announces the
 * viewer's key (`user:<id>` or `partner:<id>`) with NOTIFY in its own
 * transaction (delivered at commit, dropped on rollback), every instance
 * LISTENs, and each watcher of that key is told. After a reconnect of the
 * LISTEN connection (notifications may have been missed) every watcher's
 * `stillValid` is asked again against the database.
 */
export const REVOCATION_CHANNEL = 'viewer_revoked';

export type ViewerKey = `user:${string}` | `partner:${string}`;

export const viewerKey = (v: { kind: 'user' | 'partner'; id: string }): ViewerKey =>
  `${v.kind}:${v.id}`;

/** Announces, in the caller's transaction, that the viewer's current credentials stop. */
export async function announceRevocation(tx: Db, key: ViewerKey) {
  await tx.execute(sql`select pg_notify(${REVOCATION_CHANNEL}, ${key})`);
}

type Watcher = { onRevoked: () => void; stillValid?: () => Promise<boolean> };

export class RevocationWatch {
  readonly #database: Database;
  readonly #watchers = new Map<string, Set<Watcher>>();
  #started: Promise<void> | null = null;
  #unlisten: (() => Promise<void>) | null = null;

  constructor(database: Database) {
    this.#database = database;
  }

  start(): Promise<void> {
    return (this.#started ??= (async () => {
      this.#unlisten = await this.#database.listen(
        REVOCATION_CHANNEL,
        (key) => this.#revoke(key),
        () => void this.#recheck(),
      );
    })());
  }

  /** Calls `onRevoked` once when the viewer's credentials stop; returns the unwatch function. */
  watch(key: ViewerKey, onRevoked: () => void, stillValid?: () => Promise<boolean>): () => void {
    let set = this.#watchers.get(key);
    if (!set) this.#watchers.set(key, (set = new Set()));
    let fired = false;
    const w: Watcher = {
      onRevoked: () => {
        if (fired) return;
        fired = true;
        set!.delete(w);
        onRevoked();
      },
      stillValid,
    };
    set.add(w);
    return () => {
      set!.delete(w);
      if (!set!.size && this.#watchers.get(key) === set) this.#watchers.delete(key);
    };
  }

  get size() {
    let n = 0;
    for (const s of this.#watchers.values()) n += s.size;
    return n;
  }

  #revoke(key: string) {
    for (const w of [...(this.#watchers.get(key) ?? [])]) w.onRevoked();
  }

  async #recheck() {
    for (const set of [...this.#watchers.values()]) {
      for (const w of [...set]) {
        if (w.stillValid && !(await w.stillValid().catch(() => true))) w.onRevoked();
      }
    }
  }

  async stop() {
    await this.#unlisten?.();
    this.#watchers.clear();
  }
}

const watches = new WeakMap<Database, RevocationWatch>();

/** The instance's revocation watch for a database, listening from the first use. */
export async function revocationsFor(database: Database): Promise<RevocationWatch> {
  let w = watches.get(database);
  if (!w) watches.set(database, (w = new RevocationWatch(database)));
  await w.start();
  return w;
}
