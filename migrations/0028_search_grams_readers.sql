-- Issue 25 (P8): the search's grams and the case's readers in one GIN index. A county handler's search asks for
-- the cases holding the term's grams that the county reads; with the two columns in one index the scan
-- intersects the term's posting lists with the county's and fetches the county's matches alone. Apart (0025's
-- index on the grams, 0000's on the readers), the planner had to either fetch every match in the province
-- and filter (49,819 rows at 10M for a term in 0.5 % of the cases) or build a bitmap of every case the county
-- reads (1,170,263 rows, 0.5 s) to AND with it. The search asks for both in one condition (searchWhere's
-- `within`, src/domain/complaint-list.ts). A condition on the grams alone uses the index as the old one.
-- At 10M cases the build takes ≈ 6 min and blocks writes to complaints meanwhile: on a large database, build
-- it first with CREATE INDEX CONCURRENTLY under this name (docs/operations.md); this migration then keeps it.
CREATE INDEX IF NOT EXISTS "complaints_search_grams_readers_idx" ON "complaints" USING gin ("search_grams","reader_units");--> statement-breakpoint
DROP INDEX IF EXISTS "complaints_search_grams_idx";
