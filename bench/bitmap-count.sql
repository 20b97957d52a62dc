-- Does a bitmap scan's count read the table? (issue 25, P8: a county's count of a frequent term)
-- Since PostgreSQL 11 a bitmap heap scan could skip a match's heap page when the query needed no column,
-- no recheck, and the page was all-visible (Alexander Kuzmenkov's "skip_fetch", commit 7c70996e). In
-- December 2024 pgsql-hackers found it unsafe: a VACUUM running between the index scan and the heap scan
-- can remove a matched row and mark its page all-visible. This script shows what the running server
-- does, on a scratch table of its own: all-visible pages, a count with no filter and nothing to
-- recheck, and the buffers the heap scan touched. PostgreSQL 15.18 and PGlite 0.5.16 (PostgreSQL 18.6)
-- both read one heap page per match (bench/results/issue25-bitmap-count/).
--   psql -X -f bench/bitmap-count.sql postgres://…/any_database
\set ON_ERROR_STOP on
select version();
-- With asynchronous commit (as the bench's and CI's servers run), VACUUM right after the insert cannot
-- mark its pages all-visible: the insert's commit is not flushed yet, so its hint bits are not set.
set synchronous_commit = on;
drop table if exists bitmap_count;
create table bitmap_count (id int primary key, k int not null, tags int[] not null, pad text not null)
  with (autovacuum_enabled = off);
insert into bitmap_count
  select i, i % 100, array[i % 100, 1000 + i % 7], repeat('x', 200) from generate_series(1, 200000) i;
create index on bitmap_count using gin (tags);
create index on bitmap_count (k);
vacuum (analyze) bitmap_count;
select relpages, relallvisible from pg_class where oid = 'bitmap_count'::regclass;
set enable_seqscan = off;
set enable_indexscan = off;
set enable_indexonlyscan = off;
set jit = off;
-- 2,000 matches on ≈ 2,000 pages, each all-visible; GIN's @> needs no recheck, the count no column.
-- "Heap Blocks" counts the pages the bitmap names; the buffers are what was read: a server that skips
-- the heap reads the index and the visibility map only (a few dozen buffers), one that does not reads
-- one page per match.
explain (analyze, buffers, costs off, timing off, summary off)
  select count(*) from bitmap_count where tags @> array[42];
-- The same with a btree: the heap is read all the same.
explain (analyze, buffers, costs off, timing off, summary off)
  select count(*) from bitmap_count where k = 42;
-- For contrast, the btree's index-only scan: it reads the index and the visibility map, not the heap
-- ("Heap Fetches: 0"), which shows that the pages are all-visible.
set enable_bitmapscan = off;
set enable_indexscan = on;
set enable_indexonlyscan = on;
explain (analyze, buffers, costs off, timing off, summary off)
  select count(*) from bitmap_count where k = 42;
drop table bitmap_count;
