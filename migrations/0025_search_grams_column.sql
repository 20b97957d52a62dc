-- Issue 25 (P8): the search grams stored on the case instead of an expression index over a function.
-- The GIN index of 0015 computed search_grams for every row it indexed: on every insert, on every non-HOT
-- update of a case (each status change), and for every row of an index build (hours at 10M). It also kept
-- the planner from walking the registration index for a frequent term's first page, which would have
-- recomputed the function per row as a filter. Here the grams are a column, written by a trigger only when
-- number, title or description are written, and indexed as they are.
--
-- The grams are integers (4 bytes each, no collation to compare by): a non-ASCII character c of the
-- lower-cased text is -code(c); a bigram ab (any characters) is ((code(a) & 32767) << 16) | (code(b) & 65535),
-- never negative. Characters beyond those bits share grams with others: such a gram may let through a case
-- that does not hold the term, never keep out one that does, and the ILIKE that always follows the gram
-- condition (src/domain/complaint-list.ts) removes the former. Sorted and without repeats: a typical case
-- stores ~560 bytes.
DROP INDEX IF EXISTS "complaints_search_grams_idx";--> statement-breakpoint
DROP FUNCTION IF EXISTS search_grams(text);--> statement-breakpoint
-- The text is split into characters once (string_to_array with a null separator): substr(t, i, 1) walks a
-- UTF-8 text from its start at every call, quadratic in the length.
CREATE FUNCTION search_grams(t text) RETURNS int[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  cs int[] := ARRAY(SELECT ascii(c) FROM unnest(string_to_array(lower(t), NULL)) WITH ORDINALITY u(c, i) ORDER BY i);
  n int := cardinality(cs);
  a int;
  r int[] := '{}';
BEGIN
  FOR i IN 1..n LOOP
    a := cs[i];
    IF a > 127 THEN r := r || (-a); END IF;
    IF i < n THEN r := r || (((a & 32767) << 16) | (cs[i + 1] & 65535)); END IF;
  END LOOP;
  RETURN ARRAY(SELECT DISTINCT g FROM unnest(r) g ORDER BY g);
END $$;
--> statement-breakpoint
-- The grams a case must hold to contain the term: its bigrams (they imply its characters), or the character
-- itself for a one-character term. Fewer GIN lookups, and the planner's estimate (a product over the grams)
-- is not divided by grams the others imply.
CREATE FUNCTION search_term_grams(t text) RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE WHEN length(t) > 1 THEN ARRAY(SELECT g FROM unnest(search_grams(t)) g WHERE g >= 0) ELSE search_grams(t) END
$$;
--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "search_grams" integer[] DEFAULT '{}'::int[] NOT NULL;--> statement-breakpoint
-- The searched text is number || ' ' || title || ' ' || description; its grams are those of the number with
-- the space after it, then those of the space, title and description (every bigram lies in one part or the
-- other). Two parts, so that bench/generate.mts can compute the second once per distinct text.
CREATE FUNCTION complaints_search_grams() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_grams := search_grams(NEW.number || ' ') || search_grams(' ' || NEW.title || ' ' || NEW.description);
  RETURN NEW;
END $$;
--> statement-breakpoint
-- Registration, conversion (D71), partners' submissions and anonymisation (D15) all write these columns;
-- a status change writes none of them and computes nothing.
CREATE TRIGGER complaints_search_grams BEFORE INSERT OR UPDATE OF number, title, description ON complaints
  FOR EACH ROW EXECUTE FUNCTION complaints_search_grams();
--> statement-breakpoint
-- The backfill rewrites the table once (a column's type "changed" to itself through USING) rather than
-- updating every row: the rows are written once, without the dead versions an UPDATE leaves (which doubled
-- the table at 1M), and the other indexes are rebuilt in bulk instead of maintained row by row. 1M cases:
-- 255 s here against 420 s for the UPDATE, on a loaded 2-core machine; the table is locked meanwhile.
ALTER TABLE complaints ALTER COLUMN search_grams TYPE int[]
  USING search_grams(number || ' ') || search_grams(' ' || title || ' ' || description);--> statement-breakpoint
CREATE INDEX "complaints_search_grams_idx" ON "complaints" USING gin ("search_grams");--> statement-breakpoint
-- The planner estimates a term's matches from the column's element statistics.
ANALYZE complaints;
