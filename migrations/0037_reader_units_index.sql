-- Issue 25 (P6): the readers' own GIN index is redundant. complaints_search_month_idx (migration 0030) holds the
-- same key as its second column, and a GIN index serves a condition on any of its columns: `reader_units && $units`
-- (the read rule, D54) finds the same posting list there. At 10M no statement of the count, portal and search
-- benches scanned it, and without it they kept the same plans and times (bench/README.md, "Readers' index").
-- Every registration and every transition wrote it (a non-HOT update writes each index): 40 MB at 10M.
DROP INDEX IF EXISTS "complaints_reader_units_idx";
