-- Issue 25 (P8): search that an index serves for every term, on PostgreSQL and PGlite alike, with no
-- extension beyond the core: the trigram index (0001) cannot serve a 1–2 character term, the common case
-- in Chinese ("宽带", "欠费"), and with CI's C locale it cannot serve Chinese at all. `search_grams`
-- gives a text's bigrams (any characters) and its non-ASCII single characters, lower-cased; a GIN index
-- over it answers "which cases contain every gram of the term", and the ILIKE that follows keeps the
-- match exact (adjacency, order). IMMUTABLE: a function of its argument only, so it can be indexed.
CREATE OR REPLACE FUNCTION search_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[])
  FROM (SELECT lower(t) AS l) s,
  LATERAL (
    SELECT substr(s.l, i, 1) AS g FROM generate_series(1, length(s.l)) i WHERE ascii(substr(s.l, i, 1)) > 127
    UNION ALL
    SELECT substr(s.l, i, 2) FROM generate_series(1, length(s.l) - 1) i
  ) grams
$$;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "complaints_search_grams_idx" ON "complaints"
  USING gin (search_grams("number" || ' ' || "title" || ' ' || "description"));
