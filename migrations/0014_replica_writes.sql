-- Issue 25: the primary's WAL position after each viewer's last write, so that its next reads go to a
-- streaming replica only once the replica has replayed that far (src/db/replica.ts). UNLOGGED: it is read
-- on the primary only, its rows are hints (lost in a crash, they only send a read to the replica early),
-- and it writes no WAL of its own.
CREATE UNLOGGED TABLE IF NOT EXISTS "replica_writes" (
	"viewer_key" text PRIMARY KEY NOT NULL,
	"lsn" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
