-- Issue 25 (P8), D5: a search for the start of a case number (`GD20261123`: a day's cases) without the trigram
-- index of the whole text (0001). Every number holds the trigrams `gd2`, `d20`, `202`, and that index reads posting
-- lists covering nearly every case to intersect them: 190 ms at 10M for a day's 10,957 cases. Such a term is in a
-- number exactly when the number starts with a province's code ending in the term's letters, then its digits
-- (src/domain/complaint-list.ts, numberSearch): a prefix of the numbers' btree. In the title or the description it
-- can only be where they hold a digit, which this partial trigram index of those texts alone finds.
-- At 10M cases the build takes minutes and blocks writes to complaints meanwhile: on a large database, build it
-- first with CREATE INDEX CONCURRENTLY under this name (docs/operations.md); this migration then keeps it.
CREATE INDEX IF NOT EXISTS "complaints_text_digits_trgm_idx" ON "complaints" USING gin (("title" || ' ' || "description") gin_trgm_ops) WHERE ("title" || ' ' || "description") ~ '[0-9]';--> statement-breakpoint
-- A LIKE prefix uses a plain btree only in the C collation (the embedded database's and CI's): in any other, the
-- numbers get a text_pattern_ops btree of their own.
DO $$
BEGIN
  IF (SELECT datcollate FROM pg_database WHERE datname = current_database()) NOT IN ('C', 'POSIX') THEN
    CREATE INDEX IF NOT EXISTS "complaints_number_pattern_idx" ON "complaints" ("number" text_pattern_ops);
  END IF;
END
$$;
