-- Issue 25 (P8), migration 0032: the texts' part of a case-number search when every text holds digits.
-- The generated cases' titles and descriptions hold no digit, so at 10M the partial index of 0032 is empty and
-- the bench measures the numbers' part alone. Real complaints write dates, phone numbers and amounts. This
-- script fills a scratch table with such texts (every row with digits: the index then covers all of them) and
-- times the texts' condition as src/domain/complaint-list.ts (numberSearch) writes it.
--
--   psql postgres://bench:bench@127.0.0.1:54329/postgres -c "create database texts_digits"
--   psql postgres://bench:bench@127.0.0.1:54329/texts_digits -f bench/texts-with-digits.sql
\timing off
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DROP TABLE IF EXISTS texts;
CREATE TABLE texts (id serial PRIMARY KEY, title text NOT NULL, description text NOT NULL);
INSERT INTO texts (title, description)
SELECT '宽带断网 Broadband down',
  '客户于' || (2020 + i % 7) || '年' || (1 + i % 12) || '月' || (1 + i % 28) || '日来电，回拨号码1'
    || (3000000000::bigint + (i::bigint * 7919) % 999999999)::text || '，月费' || (i % 300) || '元，订单号'
    || (20200101 + i % 70000)::text || lpad((i % 100000)::text, 6, '0')
FROM generate_series(1, 2000000) i;
SET maintenance_work_mem = '1GB';
CREATE INDEX texts_digits_trgm_idx ON texts USING gin ((title || ' ' || description) gin_trgm_ops)
  WHERE (title || ' ' || description) ~ '[0-9]';
ANALYZE texts;
SELECT count(*) AS rows, pg_size_pretty(pg_relation_size('texts_digits_trgm_idx')) AS index_size FROM texts;
-- A day's prefix (the search's texts' part), twice: the second from shared buffers.
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM texts
  WHERE (title || ' ' || description) ~ '[0-9]' AND (title || ' ' || description) ILIKE '%GD20261123%';
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM texts
  WHERE (title || ' ' || description) ~ '[0-9]' AND (title || ' ' || description) ILIKE '%GD20261123%';
-- For contrast, digits alone (not number-shaped: the search leaves such a term to the whole text's index).
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM texts
  WHERE (title || ' ' || description) ~ '[0-9]' AND (title || ' ' || description) ILIKE '%20261123%';
