-- Issue 25, D59: month-grained rollups beside 0020's day-grained ones. complaint_month_counts has the key of
-- complaint_counts with the Asia/Shanghai registration month (its first day) instead of the day;
-- complaint_status_month_counts that of complaint_status_counts; complaint_dim_month_counts counts by month, unit,
-- kind, status and ONE wide dimension at a time (dim, value: five rows per case), for the groupings and filters that
-- name a single line, category, severity, source or channel. The same trigger appends their delta rows in the same
-- transaction as the change (-1 for the old key, +1 for the new), stats_rollup_compact() folds them and
-- stats_rollup_rebuild() recounts them with the day tables. A window's whole months are read from them, its other
-- whole days from the day tables, its partial days from complaints (src/domain/stats-rollup.ts).
CREATE TABLE "complaint_dim_month_counts" (
	"handling_path" text NOT NULL,
	"handling_unit_id" uuid NOT NULL,
	"month" date NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"status" "complaint_status" NOT NULL,
	"dim" text NOT NULL,
	"value" text,
	"n" integer NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_month_counts" (
	"handling_path" text NOT NULL,
	"handling_unit_id" uuid NOT NULL,
	"month" date NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"status" "complaint_status" NOT NULL,
	"business_line" text,
	"category" text,
	"severity" "severity",
	"source" "source" NOT NULL,
	"channel" "channel" NOT NULL,
	"n" integer NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_status_month_counts" (
	"handling_path" text NOT NULL,
	"handling_unit_id" uuid NOT NULL,
	"month" date NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"status" "complaint_status" NOT NULL,
	"n" integer NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_dim_month_counts_key" ON "complaint_dim_month_counts" USING btree ("handling_path","month","kind","status","dim","value") NULLS NOT DISTINCT WHERE "complaint_dim_month_counts"."folded";--> statement-breakpoint
CREATE INDEX "complaint_dim_month_counts_month_idx" ON "complaint_dim_month_counts" USING btree ("dim","month");--> statement-breakpoint
CREATE INDEX "complaint_dim_month_counts_deltas_idx" ON "complaint_dim_month_counts" USING btree ("month") WHERE not "complaint_dim_month_counts"."folded";--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_month_counts_key" ON "complaint_month_counts" USING btree ("handling_path","month","kind","status","business_line","category","severity","source","channel") NULLS NOT DISTINCT WHERE "complaint_month_counts"."folded";--> statement-breakpoint
CREATE INDEX "complaint_month_counts_month_idx" ON "complaint_month_counts" USING btree ("month");--> statement-breakpoint
CREATE INDEX "complaint_month_counts_path_idx" ON "complaint_month_counts" USING btree ("handling_path" text_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "complaint_month_counts_deltas_idx" ON "complaint_month_counts" USING btree ("month") WHERE not "complaint_month_counts"."folded";--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_status_month_counts_key" ON "complaint_status_month_counts" USING btree ("handling_path","month","kind","status") WHERE "complaint_status_month_counts"."folded";--> statement-breakpoint
CREATE INDEX "complaint_status_month_counts_month_idx" ON "complaint_status_month_counts" USING btree ("month");--> statement-breakpoint
CREATE INDEX "complaint_status_month_counts_path_idx" ON "complaint_status_month_counts" USING btree ("handling_path" text_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "complaint_status_month_counts_deltas_idx" ON "complaint_status_month_counts" USING btree ("month") WHERE not "complaint_status_month_counts"."folded";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION complaint_counts_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  d date;
  m date;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    d := (OLD.registered_at AT TIME ZONE 'Asia/Shanghai')::date;
    m := date_trunc('month', d)::date;
    INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, d, OLD.kind, OLD.status, OLD.business_line, OLD.category, OLD.severity, OLD.source, OLD.channel, -1);
    INSERT INTO complaint_month_counts (handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, OLD.business_line, OLD.category, OLD.severity, OLD.source, OLD.channel, -1);
    INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, d, OLD.kind, OLD.status, -1);
    INSERT INTO complaint_status_month_counts (handling_path, handling_unit_id, month, kind, status, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, -1);
    INSERT INTO complaint_dim_month_counts (handling_path, handling_unit_id, month, kind, status, dim, value, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'BUSINESS_LINE', OLD.business_line, -1),
      (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'CATEGORY', OLD.category, -1),
      (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'SEVERITY', OLD.severity::text, -1),
      (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'SOURCE', OLD.source::text, -1),
      (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'CHANNEL', OLD.channel::text, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    d := (NEW.registered_at AT TIME ZONE 'Asia/Shanghai')::date;
    m := date_trunc('month', d)::date;
    INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, d, NEW.kind, NEW.status, NEW.business_line, NEW.category, NEW.severity, NEW.source, NEW.channel, 1);
    INSERT INTO complaint_month_counts (handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, NEW.business_line, NEW.category, NEW.severity, NEW.source, NEW.channel, 1);
    INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, d, NEW.kind, NEW.status, 1);
    INSERT INTO complaint_status_month_counts (handling_path, handling_unit_id, month, kind, status, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 1);
    INSERT INTO complaint_dim_month_counts (handling_path, handling_unit_id, month, kind, status, dim, value, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'BUSINESS_LINE', NEW.business_line, 1),
      (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'CATEGORY', NEW.category, 1),
      (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'SEVERITY', NEW.severity::text, 1),
      (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'SOURCE', NEW.source::text, 1),
      (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'CHANNEL', NEW.channel::text, 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- As 0020's, and the month tables too, in one transaction (readers see before or after, never between).
-- Returns how many delta rows of complaint_counts it folded (as before).
CREATE OR REPLACE FUNCTION stats_rollup_compact() RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE folded_rows integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('stats_rollup_compact')) THEN
    RETURN -1;
  END IF;
  WITH d AS (
    DELETE FROM complaint_counts WHERE NOT folded
    RETURNING handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n
  ), s AS (
    SELECT handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel,
      sum(n)::int AS n, count(*)::int AS rows
    FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  ), up AS (
    INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n, folded)
    SELECT handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n, true
    FROM s WHERE n <> 0
    ON CONFLICT (handling_path, day, kind, status, business_line, category, severity, source, channel) WHERE folded
    DO UPDATE SET n = complaint_counts.n + excluded.n
  )
  SELECT coalesce(sum(rows), 0)::int INTO folded_rows FROM s;
  DELETE FROM complaint_counts WHERE folded AND n = 0;
  WITH d AS (
    DELETE FROM complaint_month_counts WHERE NOT folded
    RETURNING handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, n
  ), s AS (
    SELECT handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, sum(n)::int AS n
    FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  )
  INSERT INTO complaint_month_counts (handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, n, folded)
  SELECT handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, n, true
  FROM s WHERE n <> 0
  ON CONFLICT (handling_path, month, kind, status, business_line, category, severity, source, channel) WHERE folded
  DO UPDATE SET n = complaint_month_counts.n + excluded.n;
  DELETE FROM complaint_month_counts WHERE folded AND n = 0;
  WITH d AS (
    DELETE FROM complaint_status_counts WHERE NOT folded
    RETURNING handling_path, handling_unit_id, day, kind, status, n
  ), s AS (
    SELECT handling_path, handling_unit_id, day, kind, status, sum(n)::int AS n FROM d GROUP BY 1, 2, 3, 4, 5
  )
  INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n, folded)
  SELECT handling_path, handling_unit_id, day, kind, status, n, true FROM s WHERE n <> 0
  ON CONFLICT (handling_path, day, kind, status) WHERE folded
  DO UPDATE SET n = complaint_status_counts.n + excluded.n;
  DELETE FROM complaint_status_counts WHERE folded AND n = 0;
  WITH d AS (
    DELETE FROM complaint_status_month_counts WHERE NOT folded
    RETURNING handling_path, handling_unit_id, month, kind, status, n
  ), s AS (
    SELECT handling_path, handling_unit_id, month, kind, status, sum(n)::int AS n FROM d GROUP BY 1, 2, 3, 4, 5
  )
  INSERT INTO complaint_status_month_counts (handling_path, handling_unit_id, month, kind, status, n, folded)
  SELECT handling_path, handling_unit_id, month, kind, status, n, true FROM s WHERE n <> 0
  ON CONFLICT (handling_path, month, kind, status) WHERE folded
  DO UPDATE SET n = complaint_status_month_counts.n + excluded.n;
  DELETE FROM complaint_status_month_counts WHERE folded AND n = 0;
  WITH d AS (
    DELETE FROM complaint_dim_month_counts WHERE NOT folded
    RETURNING handling_path, handling_unit_id, month, kind, status, dim, value, n
  ), s AS (
    SELECT handling_path, handling_unit_id, month, kind, status, dim, value, sum(n)::int AS n FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7
  )
  INSERT INTO complaint_dim_month_counts (handling_path, handling_unit_id, month, kind, status, dim, value, n, folded)
  SELECT handling_path, handling_unit_id, month, kind, status, dim, value, n, true FROM s WHERE n <> 0
  ON CONFLICT (handling_path, month, kind, status, dim, value) WHERE folded
  DO UPDATE SET n = complaint_dim_month_counts.n + excluded.n;
  DELETE FROM complaint_dim_month_counts WHERE folded AND n = 0;
  RETURN folded_rows;
END
$$;
--> statement-breakpoint
-- As 0020's: recounts the day tables from complaints under a SHARE lock, then the month tables from them. The rows
-- go in in day (month) order, so that a day's rows share heap pages as they do when the trigger writes them over
-- time (a window's edge days then read a few hundred pages, not one page per row).
CREATE OR REPLACE FUNCTION stats_rollup_rebuild() RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  LOCK TABLE complaints IN SHARE MODE;
  DELETE FROM complaint_counts;
  INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n, folded)
  SELECT handling_path, handling_unit_id, (registered_at AT TIME ZONE 'Asia/Shanghai')::date, kind, status, business_line, category, severity, source, channel,
    count(*)::int, true
  FROM complaints
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  ORDER BY 3;
  DELETE FROM complaint_status_counts;
  INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n, folded)
  SELECT handling_path, handling_unit_id, day, kind, status, sum(n)::int, true
  FROM complaint_counts
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 3;
  PERFORM stats_rollup_rebuild_months();
END
$$;
--> statement-breakpoint
-- The month tables from complaint_counts (exact in every transaction, deltas included: summed per month), under a
-- SHARE lock on complaints so that no write adds deltas meanwhile. Called by stats_rollup_rebuild() and, as the
-- backfill, below.
CREATE FUNCTION stats_rollup_rebuild_months() RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  LOCK TABLE complaints IN SHARE MODE;
  DELETE FROM complaint_month_counts;
  INSERT INTO complaint_month_counts (handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, n, folded)
  SELECT handling_path, handling_unit_id, date_trunc('month', day)::date, kind, status, business_line, category, severity, source, channel, sum(n)::int, true
  FROM complaint_counts
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  HAVING sum(n) <> 0
  ORDER BY 3;
  DELETE FROM complaint_status_month_counts;
  INSERT INTO complaint_status_month_counts (handling_path, handling_unit_id, month, kind, status, n, folded)
  SELECT handling_path, handling_unit_id, month, kind, status, sum(n)::int, true
  FROM complaint_month_counts
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 3;
  DELETE FROM complaint_dim_month_counts;
  INSERT INTO complaint_dim_month_counts (handling_path, handling_unit_id, month, kind, status, dim, value, n, folded)
  SELECT handling_path, handling_unit_id, month, kind, status, d.dim, d.value, sum(n)::int, true
  FROM complaint_month_counts CROSS JOIN LATERAL (VALUES ('BUSINESS_LINE', business_line), ('CATEGORY', category),
    ('SEVERITY', severity::text), ('SOURCE', source::text), ('CHANNEL', channel::text)) AS d (dim, value)
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ORDER BY 6, 3;
END
$$;
--> statement-breakpoint
SELECT stats_rollup_rebuild_months();
--> statement-breakpoint
ANALYZE complaint_month_counts;
--> statement-breakpoint
ANALYZE complaint_status_month_counts;
--> statement-breakpoint
ANALYZE complaint_dim_month_counts;
