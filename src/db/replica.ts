import { sql } from 'drizzle-orm';
import { type Database, type Db, rowsOf } from './client.js';

/**
 * Issue 25: reads that can bear a moment's lag (lists, statistics, exports,
 * reports) go to a streaming replica, while a client that has just written
 * reads its own write.
 *
 * How a viewer's own writes stay visible: after each mutation a viewer runs,
 * the primary's WAL position (`pg_current_wal_insert_lsn()`) is noted against the
 * viewer in `replica_writes` (an UNLOGGED table on the primary: no WAL, so the
 * note itself costs the replica nothing). A read asks the primary for that
 * note (one primary-key lookup) and goes to the replica only once the replica
 * has replayed that far (`pg_last_wal_replay_lsn()`); until then it reads the
 * primary. The note is in the database, not in one process, so it holds for a
 * client whose next request lands on another instance. A replica that does not
 * answer sends the read to the primary (and says so once in the log).
 */
export interface ReadRouting {
  /** The handle a lag-tolerant read for this viewer should use (`null`: no viewer). */
  readerFor(viewerKey: string | null): Promise<Db>;
  /** A mutation by this viewer has committed: its next reads must see it. */
  wrote(viewerKey: string): Promise<void>;
  /** Whether a replica is configured at all. */
  readonly replicated: boolean;
  close(): Promise<void>;
}

/** Whose writes a note is kept for: a staff user or a partner, by kind and id. */
export const viewerKeyOf = (viewer: { kind: string; id: string }) => `${viewer.kind}:${viewer.id}`;

/** Without a replica every read is the primary's. */
export function primaryOnly(primary: Db): ReadRouting {
  return {
    replicated: false,
    readerFor: async () => primary,
    wrote: async () => {},
    close: async () => {},
  };
}

/** A WAL position (`16/B374D848`) as one number, to compare. */
export function lsnValue(lsn: string): bigint {
  const m = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn.trim());
  if (!m) throw new Error(`Not a WAL position: ${lsn}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

type Warn = (fields: Record<string, unknown>, message: string) => void;

export function replicated(
  primary: Database,
  replica: Database,
  opts: { warn?: Warn; recheckMs?: number } = {},
): ReadRouting {
  const recheckMs = opts.recheckMs ?? 1000;
  // The furthest the replica is known to have replayed: it only grows, so a
  // note at or below it needs no new question to the replica.
  let replayed = 0n;
  // Whether the replica answered when last asked, and when that was: asked at most once per `recheckMs`
  // unless a viewer's note needs a newer position.
  let answering = false;
  let askedAt = Number.NEGATIVE_INFINITY;
  let warned = false;

  async function ask(): Promise<void> {
    askedAt = Date.now();
    try {
      const [row] = rowsOf<{ lsn: string | null }>(
        await replica.db.execute(sql`select pg_last_wal_replay_lsn()::text as lsn`),
      );
      if (!row?.lsn) throw new Error('DATABASE_REPLICA_URL names a server that is not a standby');
      const v = lsnValue(row.lsn);
      if (v > replayed) replayed = v;
      answering = true;
      warned = false;
    } catch (err) {
      if (!warned) opts.warn?.({ err }, 'read replica does not answer: reading from the primary');
      warned = true; // one line per outage, not one per read
      answering = false;
    }
  }

  /** Whether the replica answers and has replayed at least `needed`. */
  async function usable(needed: bigint): Promise<boolean> {
    if (Date.now() - askedAt >= recheckMs || (answering && needed > replayed)) await ask();
    return answering && replayed >= needed;
  }

  return {
    replicated: true,
    async readerFor(viewerKey) {
      let needed = 0n;
      if (viewerKey) {
        const [note] = rowsOf<{ lsn: string }>(
          await primary.db.execute(
            sql`select lsn from replica_writes where viewer_key = ${viewerKey}`,
          ),
        );
        if (note) needed = lsnValue(note.lsn);
      }
      return (await usable(needed)) ? replica.db : primary.db;
    },
    async wrote(viewerKey) {
      // The insert position, not pg_current_wal_lsn() (the write position): with synchronous_commit = off a
      // commit returns before its record is written, so the write position may still lie before it. And the
      // note only grows: a concurrent note of the same viewer taken earlier must not lower it.
      await primary.db.execute(sql`
        insert into replica_writes (viewer_key, lsn, at)
        values (${viewerKey}, pg_current_wal_insert_lsn()::text, now())
        on conflict (viewer_key) do update
          set lsn = case when excluded.lsn::pg_lsn > replica_writes.lsn::pg_lsn then excluded.lsn else replica_writes.lsn end,
              at = excluded.at`);
    },
    async close() {
      await replica.close();
    },
  };
}
