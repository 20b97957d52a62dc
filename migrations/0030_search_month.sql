-- Issue 25 (P8): the search index of 0028 (a case's grams and readers) with the case's Asia/Shanghai
-- registration month as a third key (btree_gin gives GIN its date operators). A search by a unit that does not
-- read a whole province pages newest first month by month (src/domain/complaint-list.ts, listComplaints): one
-- scan intersects the term's posting lists with the unit's and the month's, and the first page fetches its
-- month's matches, not every match the unit reads (5,889 for a term in 0.5 % of the cases at 10M, sorted for a
-- page of 20). btree_gin is a trusted extension (PostgreSQL's contrib; PGlite loads it, src/db/client.ts).
-- At 10M cases the build takes minutes and blocks writes to complaints meanwhile: on a large database, build it
-- first with CREATE INDEX CONCURRENTLY under this name (docs/operations.md); this migration then keeps it.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "complaints_search_month_idx" ON "complaints" USING gin ("search_grams","reader_units",((date_trunc('month', "registered_at" at time zone 'Asia/Shanghai'))::date));--> statement-breakpoint
DROP INDEX IF EXISTS "complaints_search_grams_readers_idx";
